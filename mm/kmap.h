/*
 * The kernel's own address space: built once at boot, then shared (its
 * root entries 256..511 copied) by every user address space.
 */
#ifndef MM_KMAP_H
#define MM_KMAP_H

#include "kernel/types.h"
#include "mm/frame.h"

/* Physical address of the kernel root table (valid after kmap_init). */
extern paddr_t kernel_root;

/*
 * Builds the final kernel table and switches to it:
 *  - the direct map of every range in ram (largest pages that fit, RW, never X);
 *  - the image at KERNEL_VIRT_BASE: text RX, rodata R, data and bss RW, the
 *    boot stack's guard page left unmapped;
 *  - empty level-1 tables for the kernel-stack and device-window regions, so
 *    the kernel's root entries never change after this.
 * ram must already be reachable through the boot table's direct map.
 * Returns 0 or -ERR_NOMEM / -ERR_RANGE (RAM beyond the direct map);
 * on error the boot table stays active.
 */
int kmap_init(const struct phys_range *ram, unsigned n, paddr_t load_pa);

/*
 * Maps the device window [pa, pa+size) uncached-by-PMA, RW, never X, and
 * returns its kernel virtual address (with pa's offset within its page),
 * or NULL when the window region is full or arguments are bad. Windows are
 * never unmapped.
 */
volatile void *ioremap(paddr_t pa, size_t size);

/*
 * A kernel stack: KSTACK_USABLE bytes of fresh frames in its own slot of
 * the kernel-stack region, above an unmapped guard page. Returns the
 * initial stack pointer (the slot's top), or 0 when out of memory or slots.
 * kstack_free takes that same value and returns the frames.
 */
uint64_t kstack_alloc(void);
void kstack_free(uint64_t top);

#endif
