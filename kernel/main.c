/*
 * kmain: from the boot page table to a running kernel.
 *
 *   entry.S      boot table, MMU on, jump to the link address
 *   kmain        parse the device tree, pick the console, find free RAM,
 *                start the frame allocator, build the final kernel table,
 *                start the tick, print what was found, run self-tests
 */
#include <arch/csr.h>
#include <arch/kva.h>
#include <arch/sbi.h>
#include <arch/sections.h>
#include <arch/tlb.h>
#include <arch/trap.h>
#include <pagoda/errno.h>

#include "arch/riscv/boot.h"
#include "kernel/banner.h"
#include "kernel/boot_info.h"
#include "kernel/console.h"
#include "kernel/irq.h"
#include "kernel/panic.h"
#include "kernel/roottask.h"
#include "kernel/timer.h"
#include "mm/frame.h"
#include "mm/kmap.h"

struct boot_info boot_info;
extern char boot_stack_top[];

static struct hart_local boot_hart_local;
/* A whole stack slot, so the trap entry's overflow check holds on it too. */
static uint8_t emergency_stack[KSTACK_SLOT_SIZE]
	__attribute__((aligned(KSTACK_SLOT_SIZE), section(".bss.stack")));

/* A boot failure the user can act on: says what and stops the machine. */
static __attribute__((noreturn)) void boot_fail(const char *what, const char *detail)
{
	kprintf("pagoda: boot failed: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	sbi_shutdown(true);
}

static void reserve(paddr_t base, paddr_t end, const char *why)
{
	struct boot_info *bi = &boot_info;
	if (end <= base)
		return;
	if (bi->nreserved == BOOT_MAX_RANGES)
		boot_fail("too many reserved ranges", why);
	bi->reserved[bi->nreserved] = (struct phys_range){ base, end };
	bi->reserved_why[bi->nreserved++] = why;
}

static void parse_device_tree(void)
{
	static char err[160];
	struct boot_info *bi = &boot_info;
	if (bi->fdt_pa == 0 || !IS_ALIGNED(bi->fdt_pa, 8) || bi->fdt_pa >= DMAP_SIZE)
		boot_fail("no usable device tree pointer in a1", NULL);
	const void *blob = pa_to_kva(bi->fdt_pa);
	int rc = fdt_parse(blob, FDT_WINDOW_SLACK, &bi->fdt, err, sizeof err);
	if (rc < 0)
		boot_fail("malformed device tree", err);
	if (bi->fdt.nmem == 0)
		boot_fail("device tree has no memory node", NULL);
	if (bi->fdt.timebase_hz == 0)
		boot_fail("device tree has no /cpus timebase-frequency", NULL);
}

static void setup_console(void)
{
	const struct fdt_uart *uart = &boot_info.fdt.uart;
	if (!uart->present || !uart->is_16550)
		return; /* stay on the SBI console */
	volatile void *regs = ioremap(uart->base, uart->size ? uart->size : PAGE_SIZE);
	if (regs)
		console_use_uart(uart, regs);
}

/*
 * Splits RAM into what firmware owns, what the kernel keeps (image, device
 * tree, initrd), and what the frame allocator gets.
 */
static void plan_physical_memory(void)
{
	struct boot_info *bi = &boot_info;
	const struct fdt_info *fdt = &bi->fdt;
	struct phys_range mem[FDT_MAX_MEM];
	for (unsigned i = 0; i < fdt->nmem; i++)
		mem[i] = (struct phys_range){ fdt->mem[i].base, fdt->mem[i].base + fdt->mem[i].size };

	/* Firmware's regions stay out of the direct map: it may protect them
	 * (PMP) or ask for no-map. */
	for (unsigned i = fdt->nrsvmap; i < fdt->nreserved; i++)
		reserve(fdt->reserved[i].base, fdt->reserved[i].base + fdt->reserved[i].size,
			"firmware (/reserved-memory)");
	/* Firmware owns the first 2 MiB of the bank the kernel sits in, whether
	 * or not the tree says so (boards.md: OpenSBI's PMP region). */
	for (unsigned i = 0; i < fdt->nmem; i++)
		if (bi->load_pa >= mem[i].base && bi->load_pa < mem[i].end)
			reserve(mem[i].base, MIN(mem[i].base + MiB(2), bi->load_pa), "firmware");
	unsigned nfirmware = bi->nreserved;

	int n = phys_usable_ranges(mem, fdt->nmem, bi->reserved, nfirmware, bi->ram, BOOT_MAX_RANGES);
	if (n <= 0)
		boot_fail("no RAM left after firmware reservations", NULL);
	bi->nram = (unsigned)n;

	/* The reservation block's ranges (initrd, tree, anything a boot loader
	 * placed) are mapped, but not free. */
	for (unsigned i = 0; i < fdt->nrsvmap; i++)
		reserve(fdt->reserved[i].base, fdt->reserved[i].base + fdt->reserved[i].size,
			"boot loader (reservation block)");
	reserve(bi->load_pa, bi->load_pa + (paddr_t)(_image_end - _image_start), "kernel");
	reserve(ALIGN_DOWN(bi->fdt_pa, PAGE_SIZE), bi->fdt_pa + fdt->totalsize, "device tree blob");
	if (fdt->initrd_end > fdt->initrd_start)
		reserve(fdt->initrd_start, fdt->initrd_end, "initrd");

	n = phys_usable_ranges(mem, fdt->nmem, bi->reserved, bi->nreserved, bi->usable, BOOT_MAX_RANGES);
	if (n <= 0)
		boot_fail("no free RAM for the frame allocator", NULL);
	bi->nusable = (unsigned)n;
}

/*
 * Finds `key` or `key=value` among the space-separated boot arguments.
 * Returns NULL when absent, else a pointer to the value (which runs to the
 * next space) or to "" for a bare key.
 */
static const char *bootarg(const char *key)
{
	for (const char *p = boot_info.fdt.bootargs; *p;) {
		while (*p == ' ')
			p++;
		const char *k = key, *q = p;
		while (*k && *q == *k) {
			q++;
			k++;
		}
		if (!*k && *q == '=')
			return q + 1;
		if (!*k && (*q == ' ' || *q == '\0'))
			return q;
		while (*p && *p != ' ')
			p++;
	}
	return NULL;
}

static const char *boot_hart_isa(void)
{
	for (unsigned i = 0; i < boot_info.fdt.nharts; i++)
		if (boot_info.fdt.harts[i].hartid == boot_info.boot_hartid)
			return boot_info.fdt.harts[i].isa;
	return "";
}

void kmain(uint64_t hartid, paddr_t fdt_pa, paddr_t load_pa);
void kmain(uint64_t hartid, paddr_t fdt_pa, paddr_t load_pa)
{
	boot_hart_local.hartid = hartid;
	boot_hart_local.emergency_sp = (uint64_t)(uintptr_t)(emergency_stack + sizeof emergency_stack);
	trap_init_hart(&boot_hart_local);
	/* User mode may read cycle, time and instret (make bench counts with
	 * them); firmware decides whether M-mode lets these through. */
	csr_write(scounteren, 0x7);
	sbi_probe();

	boot_info.boot_hartid = hartid;
	boot_info.fdt_pa = fdt_pa;
	boot_info.load_pa = load_pa;
	parse_device_tree();
	plan_physical_memory();

	for (unsigned i = 0; i < boot_info.nram; i++)
		if (!boot_pagetable_map_ram(boot_info.ram[i].base, boot_info.ram[i].end))
			boot_fail("RAM lies beyond the 128 GiB direct map", NULL);
	int rc = frame_init(boot_info.usable, boot_info.nusable);
	if (rc < 0)
		boot_fail("frame allocator could not start", err_text(rc));
	rc = kmap_init(boot_info.ram, boot_info.nram, load_pa);
	if (rc < 0)
		boot_fail("could not build the kernel page table", err_text(rc));
	tlb_probe_asid_bits();

	setup_console();
	timer_init(boot_info.fdt.timebase_hz, boot_hart_isa());
	arch_irq_enable();

	banner_print();

	const char *crash = bootarg("crashtest");
	if (crash)
		selftest_crash(crash);
	if (bootarg("selftest")) {
		unsigned failed = selftest_run();
		sbi_shutdown(failed != 0);
	}
	if (bootarg("poweroff"))
		sbi_shutdown(false);

	irq_init(&boot_info.fdt, hartid);
	boot_hart_local.kernel_stack_top = (uint64_t)(uintptr_t)boot_stack_top;
	roottask_start();

	kprintf("pagoda: nothing to run; idling (Ctrl-A X leaves QEMU)\n");
	for (;;)
		arch_wait_for_interrupt();
}
