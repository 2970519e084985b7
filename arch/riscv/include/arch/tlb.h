/*
 * Every TLB flush in Pagoda goes through these helpers; nothing else
 * issues sfence.vma.
 *
 * ASIDs: the width is probed at boot. The U74 (VisionFive 2) implements 0
 * ASID bits, so there an address-space switch needs a full flush and an
 * ASID-targeted flush degrades to a full one. With ASIDs, a flush for one
 * address space leaves global (kernel) entries and other spaces alone.
 * These flush the local hart only; remote harts (SBI RFENCE) come with SMP.
 */
#ifndef ARCH_TLB_H
#define ARCH_TLB_H

#include "kernel/types.h"

/* ASID bits the hart implements (0..16); valid after tlb_probe_asid_bits(). */
extern unsigned tlb_asid_bits;

/* sfence.vma instructions these helpers have issued since boot (sysinfo
 * SYSINFO_TLB_FLUSHES: tests and benchmarks count flushes with it). */
extern unsigned long tlb_flush_count;

/* Writes all-ones to satp.ASID and reads back how many bits stuck.
 * Call with the kernel page table active; leaves satp as it was. */
void tlb_probe_asid_bits(void);

/* Everything, every address space, global entries included. */
void tlb_flush_all(void);

/* One page of the kernel half (global mappings), in every address space. */
void tlb_flush_kernel_page(vaddr_t va);

/* Every non-global entry of address space asid. */
void tlb_flush_asid(unsigned asid);

/* One page of address space asid. */
void tlb_flush_page(unsigned asid, vaddr_t va);

/* Above this many pages a range flush drops the whole address space
 * instead: one sfence.vma rather than one per page (in QEMU each one
 * empties its whole software TLB anyway). */
#define TLB_FLUSH_RANGE_PAGES 16

/* Every page of [va, va + size) of address space asid (va, size page
 * aligned), or all of asid's entries when that is more than
 * TLB_FLUSH_RANGE_PAGES pages. */
void tlb_flush_range(unsigned asid, vaddr_t va, size_t size);

/* Makes satp point at root with asid, flushing as the ASID width requires
 * (no ASIDs: full flush on every switch). */
void tlb_switch_root(paddr_t root, unsigned asid);

/* The root table satp points at now. */
paddr_t tlb_loaded_root(void);

#endif
