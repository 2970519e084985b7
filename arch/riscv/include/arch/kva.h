/*
 * Reaching physical memory from the kernel: every RAM frame is mapped in the
 * direct map (see <arch/memlayout.h>). Host tests replace this header with
 * one over a fake physical memory (tests/host/fakearch/arch/kva.h).
 */
#ifndef ARCH_KVA_H
#define ARCH_KVA_H

#include <arch/memlayout.h>

/* Physical to kernel virtual, through the direct map. pa must be RAM. */
static inline void *pa_to_kva(paddr_t pa)
{
	return (void *)(uintptr_t)(pa + DMAP_BASE);
}

/* Kernel virtual (direct map) back to physical. */
static inline paddr_t kva_to_pa(const void *kva)
{
	return (paddr_t)(uintptr_t)kva - DMAP_BASE;
}

#endif
