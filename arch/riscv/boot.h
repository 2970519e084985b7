/* Hand-offs between early boot (arch/riscv/) and kmain. */
#ifndef ARCH_RISCV_BOOT_H
#define ARCH_RISCV_BOOT_H

#include <arch/pagetable.h>

/* The boot table stays mapped until the final kernel table replaces it. */
extern pte_t boot_root[PT_ENTRIES];

/* The device tree may run this far past its start: its gigapage and the
 * next one are mapped, enough for any blob up to FDT_MAX_SIZE. */
#define FDT_WINDOW_SLACK (4u << 20)

/* Called from entry.S with the MMU off; returns the satp value to write. */
uint64_t boot_pagetable_build(paddr_t load_pa, paddr_t fdt_pa);
void boot_fail_no_sv39(void);

/*
 * Adds direct-map gigapages covering [base, end) to the boot table, so the
 * frame allocator can reach all RAM before the final table exists.
 * Returns false when part of the range lies beyond the direct map.
 */
bool boot_pagetable_map_ram(paddr_t base, paddr_t end);

#endif
