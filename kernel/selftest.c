/*
 * Kernel boot-time self-tests, run with the boot argument "selftest".
 * Each test has an id and a line of description; the runner runs each test
 * twice and checks that the second run returns every frame it took, and
 * prints "PASS id desc" or "FAIL id desc: reason" for scripts/run-tests.sh.
 */
#include <arch/csr.h>
#include <arch/kva.h>
#include <arch/pagetable.h>
#include <arch/sections.h>
#include <arch/tlb.h>
#include <arch/trap.h>
#include <pagoda/errno.h>

#include "kernel/boot_info.h"
#include "kernel/console.h"
#include "kernel/format.h"
#include "kernel/timer.h"
#include "kernel/warn.h"
#include "mm/frame.h"
#include "kernel/panic.h"
#include "mm/kmap.h"

static char failure[160];

#define EXPECT(cond)                                                                    \
	do {                                                                            \
		if (!(cond)) {                                                          \
			ksnprintf(failure, sizeof failure, "line %d: %s", __LINE__, #cond); \
			return;                                                         \
		}                                                                       \
	} while (0)

/* A virtual page reserved for these tests: the last of the device-window
 * region, which ioremap fills from the bottom. */
#define SCRATCH_VA (IOMAP_REGION_BASE + IOMAP_REGION_SIZE - PAGE_SIZE)

static void test_frames(void)
{
	size_t before = frame_free_count();
	paddr_t a = frame_alloc();
	paddr_t b = frame_alloc();
	EXPECT(a != PADDR_NONE && b != PADDR_NONE && a != b);
	EXPECT(IS_ALIGNED(a, PAGE_SIZE) && IS_ALIGNED(b, PAGE_SIZE));
	EXPECT(frame_free_count() == before - 2);
	paddr_t block = frame_alloc_order(4);
	EXPECT(block != PADDR_NONE && IS_ALIGNED(block, PAGE_SIZE << 4));
	uint64_t *words = pa_to_kva(a);
	words[0] = 0xdeadbeef;
	frame_free(a);
	paddr_t z = frame_alloc_zeroed();
	EXPECT(z != PADDR_NONE);
	const uint64_t *zw = pa_to_kva(z);
	for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
		EXPECT(zw[i] == 0);
	EXPECT(frame_alloc_order(FRAME_MAX_ORDER + 1) == PADDR_NONE);
	frame_free(z);
	frame_free(b);
	frame_free(block);
	EXPECT(frame_free_count() == before);
}

static void test_map_unmap(void)
{
	paddr_t frame = frame_alloc_zeroed();
	EXPECT(frame != PADDR_NONE);
	EXPECT(pt_map(kernel_root, SCRATCH_VA, frame, PAGE_SIZE, PT_READ | PT_WRITE | PT_GLOBAL, false) == 0);
	EXPECT(pt_map(kernel_root, SCRATCH_VA, frame, PAGE_SIZE, PT_READ, false) == -ERR_EXIST);
	volatile uint64_t *va = (volatile uint64_t *)SCRATCH_VA;
	*va = 0x1234567890abcdefUL;
	EXPECT(*(uint64_t *)pa_to_kva(frame) == 0x1234567890abcdefUL);
	unsigned level = 9;
	pte_t *pte = pt_lookup(kernel_root, SCRATCH_VA, &level);
	EXPECT(pte && level == 0);
	EXPECT((*pte & (PTE_A | PTE_D | PTE_G | PTE_R | PTE_W)) == (PTE_A | PTE_D | PTE_G | PTE_R | PTE_W));
	EXPECT(!(*pte & (PTE_U | PTE_X)));
	EXPECT(pt_unmap(kernel_root, SCRATCH_VA, PAGE_SIZE) == 1);
	tlb_flush_kernel_page(SCRATCH_VA);
	uint64_t value;
	EXPECT(arch_probe_read64((const void *)SCRATCH_VA, &value) == -ERR_FAULT);
	frame_free(frame);
}

static bool leaf_rights(vaddr_t va, pte_t want, pte_t forbid)
{
	pte_t *pte = pt_lookup(kernel_root, va, NULL);
	return pte && (*pte & want) == want && !(*pte & forbid);
}

static void test_kernel_rights(void)
{
	extern char boot_stack_slot[];
	const pte_t ad = PTE_A;
	EXPECT(leaf_rights((vaddr_t)_text_start, PTE_R | PTE_X | PTE_G | ad, PTE_W | PTE_U));
	EXPECT(leaf_rights((vaddr_t)_rodata_start, PTE_R | PTE_G | ad, PTE_W | PTE_X | PTE_U));
	EXPECT(leaf_rights((vaddr_t)_data_start, PTE_R | PTE_W | PTE_D | ad, PTE_X | PTE_U));
	EXPECT(leaf_rights((vaddr_t)_bss_end - PAGE_SIZE, PTE_R | PTE_W | PTE_D | ad, PTE_X | PTE_U));
	EXPECT(pt_lookup(kernel_root, (vaddr_t)boot_stack_slot, NULL) == NULL);
	uint64_t value;
	EXPECT(arch_probe_read64(boot_stack_slot, &value) == -ERR_FAULT);
	EXPECT(arch_probe_read64(_text_start, &value) == 0);
	EXPECT(leaf_rights(DMAP_BASE + boot_info.usable[0].base, PTE_R | PTE_W | PTE_D | ad,
			   PTE_X | PTE_U));
}

static void test_direct_map(void)
{
	bool large = false;
	for (unsigned i = 0; i < boot_info.nram; i++) {
		const struct phys_range *r = &boot_info.ram[i];
		EXPECT(pt_translate(kernel_root, DMAP_BASE + r->base) == r->base);
		EXPECT(pt_translate(kernel_root, DMAP_BASE + r->end - 8) == r->end - 8);
		EXPECT(pt_translate(kernel_root, DMAP_BASE + r->end) == PADDR_NONE ||
		       r->end == boot_info.ram[i + 1 < boot_info.nram ? i + 1 : i].base);
		for (paddr_t pa = ALIGN_UP(r->base, MiB(2)); pa + MiB(2) <= r->end; pa += MiB(2)) {
			unsigned level = 0;
			if (pt_lookup(kernel_root, DMAP_BASE + pa, &level) && level > 0)
				large = true;
		}
	}
	EXPECT(large); /* the direct map uses large pages where they fit */
}

static bool same_text(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static void test_traps(void)
{
	unsigned long warnings = warn_count;
	bool hit = WARN_ON(warnings == warn_count); /* deliberately true */
	EXPECT(hit);
	EXPECT(warn_count == warnings + 1);
	uint64_t value = 0;
	EXPECT(arch_probe_read64((const void *)(DMAP_BASE + DMAP_SIZE - PAGE_SIZE), &value) == -ERR_FAULT);
	EXPECT(arch_probe_read64((const void *)0x1000, &value) == -ERR_FAULT); /* user half, no mapping */
	EXPECT(same_text(trap_cause_name(13), "load page fault"));
	EXPECT(same_text(trap_cause_name(SCAUSE_INTERRUPT | 5), "supervisor timer interrupt"));
	EXPECT(same_text(trap_cause_name(SCAUSE_INTERRUPT | 63), "unknown cause"));
	EXPECT(this_hart()->trap == NULL);               /* traps unwound */
}

static void test_kernel_stacks(void)
{
	uint64_t top = kstack_alloc();
	EXPECT(top != 0 && IS_ALIGNED(top, KSTACK_SLOT_SIZE));
	uint64_t value;
	EXPECT(arch_probe_read64((const void *)(top - 8), &value) == 0);
	EXPECT(value == 0); /* fresh stacks are zeroed */
	EXPECT(arch_probe_read64((const void *)(top - KSTACK_USABLE), &value) == 0);
	EXPECT(arch_probe_read64((const void *)(top - KSTACK_SLOT_SIZE), &value) == -ERR_FAULT);
	uint64_t second = kstack_alloc();
	EXPECT(second != 0 && second != top);
	kstack_free(second);
	kstack_free(top);
	EXPECT(arch_probe_read64((const void *)(top - 8), &value) == -ERR_FAULT);
}

static void test_timer(void)
{
	uint64_t start_ticks = timer_ticks();
	uint64_t start_time = arch_read_time();
	/* Bounded wait: 10x the expected time, measured on the timebase. */
	uint64_t deadline = start_time + 30 * timer_interval();
	while (timer_ticks() < start_ticks + 3 && arch_read_time() < deadline)
		arch_wait_for_interrupt();
	EXPECT(timer_ticks() >= start_ticks + 3);
	EXPECT(arch_read_time() - start_time >= 2 * timer_interval());
	EXPECT(timer_interval() == boot_info.fdt.timebase_hz / TIMER_HZ);
}

static void test_soft_accessed_dirty(void)
{
	/* QEMU sets A/D in hardware, so the fault a U74 would take never comes;
	 * drive the kernel's fix-up directly on a leaf installed without A/D. */
	paddr_t frame = frame_alloc_zeroed();
	EXPECT(frame != PADDR_NONE);
	EXPECT(pt_map(kernel_root, SCRATCH_VA, frame, PAGE_SIZE, PT_READ | PT_WRITE | PT_SOFT_AD, false) == 0);
	pte_t *pte = pt_lookup(kernel_root, SCRATCH_VA, NULL);
	EXPECT(pte && !(*pte & (PTE_A | PTE_D)));
	EXPECT(!pt_fix_accessed_dirty(kernel_root, SCRATCH_VA, PT_EXEC)); /* not executable */
	EXPECT(pt_fix_accessed_dirty(kernel_root, SCRATCH_VA, PT_READ));   /* a load: A */
	EXPECT((*pte & (PTE_A | PTE_D)) == PTE_A);
	EXPECT(!pt_fix_accessed_dirty(kernel_root, SCRATCH_VA, PT_READ));  /* nothing left */
	EXPECT(pt_fix_accessed_dirty(kernel_root, SCRATCH_VA, PT_WRITE));  /* a store: D */
	EXPECT((*pte & (PTE_A | PTE_D)) == (PTE_A | PTE_D));
	EXPECT(!pt_fix_accessed_dirty(kernel_root, SCRATCH_VA + PAGE_SIZE, PT_READ)); /* unmapped */
	tlb_flush_kernel_page(SCRATCH_VA);
	*(volatile uint64_t *)SCRATCH_VA = 7; /* and the page works */
	EXPECT(*(uint64_t *)pa_to_kva(frame) == 7);
	EXPECT(pt_unmap(kernel_root, SCRATCH_VA, PAGE_SIZE) == 1);
	tlb_flush_kernel_page(SCRATCH_VA);
	frame_free(frame);
}

struct selftest {
	const char *id;
	const char *description;
	void (*run)(void);
};

static const struct selftest tests[] = {
	{ "KT-001", "frame allocator: alloc, aligned blocks, zeroing, free", test_frames },
	{ "KT-002", "page tables: map, rights, unmap, flush, fault after unmap", test_map_unmap },
	{ "KT-003", "kernel image: text RX, rodata R, data RW NX, A/D set, stack guard", test_kernel_rights },
	{ "KT-004", "direct map covers all RAM with large pages", test_direct_map },
	{ "KT-005", "traps: WARN_ON resumes, faults recovered, causes named", test_traps },
	{ "KT-006", "kernel stacks: guard page below, freed on release", test_kernel_stacks },
	{ "KT-007", "timer ticks at timebase/TIMER_HZ", test_timer },
	{ "KT-008", "software A/D: a U74-style A/D fault is fixed without a pager", test_soft_accessed_dirty },
};

unsigned selftest_run(void)
{
	unsigned passed = 0, failed = 0;
	for (unsigned i = 0; i < ARRAY_SIZE(tests); i++) {
		/* A first run may leave page tables the kernel keeps for good
		 * (a kernel-half table, once made, stays); the second run must
		 * give back every frame it takes. */
		failure[0] = '\0';
		tests[i].run();
		size_t before = frame_free_count();
		if (!failure[0])
			tests[i].run();
		size_t after = frame_free_count();
		if (!failure[0] && after != before)
			ksnprintf(failure, sizeof failure, "leaked %ld frames",
				  (long)before - (long)after);
		if (failure[0]) {
			failed++;
			kprintf("FAIL %s %s: %s\n", tests[i].id, tests[i].description, failure);
		} else {
			passed++;
			kprintf("PASS %s %s\n", tests[i].id, tests[i].description);
		}
	}
	kprintf("selftest: %u passed, %u failed\n", passed, failed);
	return failed;
}

static unsigned long recurse_forever(unsigned long depth)
{
	volatile char pad[256];
	pad[0] = (char)depth;
	if (depth == ~0UL) /* never: the guard page stops us first */
		return 0;
	return recurse_forever(depth + 1) + pad[0];
}

void selftest_crash(const char *kind)
{
	char name[16];
	unsigned n = 0;
	while (kind[n] && kind[n] != ' ' && n + 1 < sizeof name) {
		name[n] = kind[n];
		n++;
	}
	name[n] = '\0';
	kind = name;
	kprintf("crashtest: %s\n", kind);
	if (kind[0] == 's') /* "stack": overflow into the guard page */
		recurse_forever(0);
	if (kind[0] == 'f') /* "fault": a kernel load from an unmapped address */
		(void)*(volatile uint64_t *)(DMAP_BASE + DMAP_SIZE - PAGE_SIZE);
	panic("selftest_crash: deliberate panic (%s)", kind);
}
