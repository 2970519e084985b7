/*
 * Host stand-in for <arch/kva.h>: "physical memory" is a buffer the
 * test allocates; physical address fake_phys_base maps to fake_phys_mem[0].
 */
#ifndef ARCH_KVA_H
#define ARCH_KVA_H

#include <arch/memlayout.h>

extern uint8_t *fake_phys_mem;
extern paddr_t fake_phys_base;
extern size_t fake_phys_size;

void *fake_pa_to_kva(paddr_t pa); /* aborts outside the fake memory */

static inline void *pa_to_kva(paddr_t pa)
{
	return fake_pa_to_kva(pa);
}

static inline paddr_t kva_to_pa(const void *kva)
{
	return (paddr_t)((const uint8_t *)kva - fake_phys_mem) + fake_phys_base;
}

#endif
