#include <arch/kva.h>
#include <stdio.h>
#include <stdlib.h>

uint8_t *fake_phys_mem;
paddr_t fake_phys_base;
size_t fake_phys_size;

void *fake_pa_to_kva(paddr_t pa)
{
	if (pa < fake_phys_base || pa - fake_phys_base >= fake_phys_size) {
		fprintf(stderr, "fake_pa_to_kva: 0x%llx outside fake RAM\n", (unsigned long long)pa);
		abort();
	}
	return fake_phys_mem + (pa - fake_phys_base);
}
