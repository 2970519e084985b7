/*
 * Pagoda's Sv39 virtual memory layout (39-bit addresses, sign-extended).
 *
 *   0x0000_0000_0000_0000 +------------------------------+
 *                         | user half (256 GiB)          |  per address space,
 *   0x0000_003f_ffff_ffff +------------------------------+  root entries 0..255
 *                         |   (non-canonical hole)       |
 *   0xffff_ffc0_0000_0000 +------------------------------+
 *                         | direct map of physical RAM   |  VA = DMAP_BASE + PA,
 *                         |   (up to 128 GiB of PA)      |  root entries 256..383
 *   0xffff_ffe0_0000_0000 +------------------------------+
 *                         | kernel stacks: 32 KiB slots, |  root entry 384
 *                         | page 0 of each is the guard  |
 *   0xffff_ffe0_4000_0000 +------------------------------+
 *                         | device windows (MMIO)        |  root entry 385
 *   0xffff_ffe0_8000_0000 +------------------------------+
 *                         |   (unused)                   |
 *   0xffff_ffff_8000_0000 +------------------------------+
 *                         | kernel image (text, rodata,  |  linked here; the
 *                         | data, bss), 2 GiB window     |  physical load address
 *   0xffff_ffff_ffff_ffff +------------------------------+  is found at run time
 *
 * Kernel root-table entries (256..511) are fixed at boot and copied into
 * every address space, so they must never change afterwards.
 */
#ifndef ARCH_MEMLAYOUT_H
#define ARCH_MEMLAYOUT_H

#ifdef __ASSEMBLER__
#define _UL(x) x
#else
#include "kernel/types.h"
#define _UL(x) x##UL
#endif

#define USER_TOP _UL(0x0000004000000000) /* first address above the user half */
#define DMAP_BASE _UL(0xffffffc000000000)
#define DMAP_SIZE (_UL(128) << 30)
#define KSTACK_REGION_BASE _UL(0xffffffe000000000)
#define KSTACK_REGION_SIZE (_UL(1) << 30)
#define IOMAP_REGION_BASE _UL(0xffffffe040000000)
#define IOMAP_REGION_SIZE (_UL(1) << 30)
#define KERNEL_VIRT_BASE _UL(0xffffffff80000000)

/*
 * A kernel stack slot: 8 pages, naturally aligned. Page 0 is never mapped
 * (the guard); the stack grows down from the slot's top. The trap entry
 * recognises an overflow by the frame landing in page 0 of its slot.
 */
#define KSTACK_SLOT_PAGES 8
#define KSTACK_SLOT_SIZE (KSTACK_SLOT_PAGES << 12)
#define KSTACK_USABLE (KSTACK_SLOT_SIZE - (1 << 12))

#endif
