/*
 * The boot page table, built before the MMU is on.
 *
 * This file runs at the physical load address with translation off, so it
 * must only use PC-relative addressing: no pointers stored in data, no
 * switch jump tables (built with -fno-jump-tables), no calls outside this
 * file except the SBI helpers below it in the same translation unit.
 *
 * The table it builds maps three things:
 *   - the 1 GiB gigapage holding the image, at its own physical address, so
 *     the instruction after `csrw satp` can still be fetched;
 *   - the image at KERNEL_VIRT_BASE with 2 MiB megapages (RWX for now; the
 *     final table in mm/kmap.c gives each section its own rights);
 *   - the direct-map gigapages holding the device tree, so kmain can parse it.
 * kmain later adds direct-map gigapages for all RAM (boot_pagetable_map_ram)
 * and then replaces this table entirely.
 */
#include <arch/csr.h>
#include <arch/memlayout.h>
#include <arch/pagetable.h>
#include <arch/sections.h>
#include <arch/tlb.h>

#include "arch/riscv/boot.h"

pte_t boot_root[PT_ENTRIES] __attribute__((aligned(4096)));
static pte_t boot_image_l1[PT_ENTRIES] __attribute__((aligned(4096)));

extern uint64_t load_pa_slot;

#define BOOT_LEAF (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D | PTE_G)

static void early_puts(const char *s)
{
	for (; *s; s++) {
		register long a0 __asm__("a0") = *s;
		register long a7 __asm__("a7") = 1; /* legacy console_putchar: works everywhere */
		__asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "a1", "memory");
	}
}

static __attribute__((noreturn)) void early_fail(const char *why)
{
	early_puts("pagoda: boot failed: ");
	early_puts(why);
	early_puts("\n");
	for (;;) {
		register long a0 __asm__("a0") = 0;
		register long a1 __asm__("a1") = 1; /* system failure */
		register long a6 __asm__("a6") = 0;
		register long a7 __asm__("a7") = 0x53525354; /* SRST shutdown */
		__asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a6), "r"(a7) : "memory");
		__asm__ volatile("wfi");
	}
}

void boot_fail_no_sv39(void)
{
	early_fail("this hart does not support Sv39 (satp kept its old value)");
}

static void map_direct_gigapage(paddr_t pa)
{
	unsigned long giga = pa >> 30;
	if (giga >= DMAP_SIZE >> 30)
		return; /* beyond the direct map: kmain reports it */
	boot_root[PT_INDEX(DMAP_BASE, 2) + giga] = pte_make(giga << 30, BOOT_LEAF);
}

uint64_t boot_pagetable_build(paddr_t load_pa, paddr_t fdt_pa)
{
	if (!IS_ALIGNED(load_pa, MiB(2)))
		early_fail("kernel not loaded at a 2 MiB aligned address");
	if ((load_pa >> 30) >= PT_ENTRIES / 2)
		early_fail("kernel loaded above 256 GiB: cannot identity-map it in Sv39");
	load_pa_slot = load_pa;

	uint64_t image_size = (uint64_t)(_image_end - _image_start);
	uint64_t megapages = ALIGN_UP(image_size, MiB(2)) / MiB(2);
	if (megapages > PT_ENTRIES)
		early_fail("kernel image larger than 1 GiB");

	boot_root[PT_INDEX(load_pa, 2)] = pte_make(ALIGN_DOWN(load_pa, GiB(1)), BOOT_LEAF | PTE_X);

	for (uint64_t i = 0; i < megapages; i++)
		boot_image_l1[i] = pte_make(load_pa + i * MiB(2), BOOT_LEAF | PTE_X);
	boot_root[PT_INDEX(KERNEL_VIRT_BASE, 2)] = pte_make((paddr_t)(uintptr_t)boot_image_l1, PTE_V);

	map_direct_gigapage(fdt_pa);
	map_direct_gigapage(fdt_pa + FDT_WINDOW_SLACK);

	return SATP_MODE_SV39 | ((paddr_t)(uintptr_t)boot_root >> 12);
}

bool boot_pagetable_map_ram(paddr_t base, paddr_t end)
{
	if (end > DMAP_SIZE)
		return false;
	for (paddr_t giga = ALIGN_DOWN(base, GiB(1)); giga < end; giga += GiB(1))
		map_direct_gigapage(giga);
	tlb_flush_all();
	return true;
}
