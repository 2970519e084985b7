#include "kernel/banner.h"

#include <arch/sbi.h>
#include <arch/tlb.h>

#include "kernel/boot_info.h"
#include "kernel/console.h"
#include "kernel/timer.h"
#include "kernel/version.h"

static void print_size(uint64_t bytes)
{
	if (bytes >= GiB(1) && bytes % GiB(1) == 0)
		kprintf("%lu GiB", (unsigned long)(bytes >> 30));
	else if (bytes >= MiB(1))
		kprintf("%lu MiB", (unsigned long)(bytes >> 20));
	else
		kprintf("%lu KiB", (unsigned long)(bytes >> 10));
}

static void print_range(const char *label, uint64_t base, uint64_t end, const char *why)
{
	kprintf("  %-12s 0x%010lx-0x%010lx  ", label, (unsigned long)base, (unsigned long)end);
	print_size(end - base);
	kprintf("%s%s\n", why ? "  " : "", why ? why : "");
}

void banner_print(void)
{
	const struct boot_info *bi = &boot_info;
	const struct fdt_info *fdt = &bi->fdt;

	kprintf("\nPagoda %s: RISC-V Sv39 microkernel\n", PAGODA_VERSION);
	kprintf("  board        %s\n", fdt->model[0] ? fdt->model : "(unnamed)");
	kprintf("  firmware     %s %ld.%ld, SBI %ld.%ld:%s%s%s%s%s%s\n", sbi_impl_name(sbi.impl_id),
		sbi.impl_version >> 16, sbi.impl_version & 0xffff, (sbi.spec_version >> 24) & 0x7f,
		sbi.spec_version & 0xffffff, sbi.time ? " TIME" : "", sbi.ipi ? " IPI" : "",
		sbi.rfence ? " RFENCE" : "", sbi.hsm ? " HSM" : "", sbi.srst ? " SRST" : "",
		sbi.dbcn ? " DBCN" : "");
	kprintf("  bootargs     \"%s\"\n", fdt->bootargs);

	for (unsigned i = 0; i < fdt->nharts; i++) {
		const struct fdt_hart *h = &fdt->harts[i];
		kprintf("  hart %-7u %s, %s%s%s\n", h->hartid, h->mmu_type[0] ? h->mmu_type : "no MMU",
			h->enabled ? "enabled" : "disabled",
			h->usable ? "" : " (never used)",
			h->hartid == bi->boot_hartid ? ", boot hart" : (h->usable ? ", parked" : ""));
	}
	for (unsigned i = 0; i < fdt->nmem; i++)
		print_range("memory", fdt->mem[i].base, fdt->mem[i].base + fdt->mem[i].size, NULL);
	for (unsigned i = 0; i < bi->nreserved; i++)
		print_range("reserved", bi->reserved[i].base, bi->reserved[i].end, bi->reserved_why[i]);
	if (fdt->initrd_end > fdt->initrd_start)
		print_range("initrd", fdt->initrd_start, fdt->initrd_end, NULL);
	kprintf("  kernel       loaded at 0x%lx, linked at 0x%lx\n", (unsigned long)bi->load_pa,
		(unsigned long)0xffffffff80000000UL);
	kprintf("  frames       %lu free of %lu (", (unsigned long)frame_free_count(),
		(unsigned long)frame_total_count());
	print_size(frame_free_count() * PAGE_SIZE);
	kprintf(" free)\n");
	kprintf("  mmu          Sv39, %u ASID bits%s\n", tlb_asid_bits,
		tlb_asid_bits ? "" : " (full TLB flush on every switch)");
	kprintf("  timebase     %lu Hz, tick %u Hz via %s\n", (unsigned long)fdt->timebase_hz, TIMER_HZ,
		timer_source());
	kprintf("  console      %s\n", console_describe());
	if (fdt->plic.present)
		kprintf("  plic         0x%lx, %u sources\n", (unsigned long)fdt->plic.base, fdt->plic.ndev);
	else
		kprintf("  plic         none found\n");
	if (fdt->nvirtio == 0)
		kprintf("  virtio-mmio  none\n");
	for (unsigned i = 0; i < fdt->nvirtio; i++)
		kprintf("  virtio-mmio  0x%lx irq %u\n", (unsigned long)fdt->virtio[i].base,
			fdt->virtio[i].irq);
	kprintf("\n");
}
