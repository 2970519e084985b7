/* Host tests for arch/riscv/pagetable.c over a fake physical memory. */
#include <stdlib.h>
#include <string.h>

#include <arch/kva.h>
#include <arch/pagetable.h>
#include <pagoda/errno.h>

#include "check.h"
#include "mm/frame.h"

#define RAM_BASE 0x80000000UL
#define RAM_SIZE (64UL << 20)

static paddr_t root;

static void setup(void)
{
	free(fake_phys_mem);
	fake_phys_mem = aligned_alloc(4096, RAM_SIZE);
	memset(fake_phys_mem, 0xa5, RAM_SIZE); /* garbage, as real RAM */
	fake_phys_base = RAM_BASE;
	fake_phys_size = RAM_SIZE;
	struct phys_range r = { RAM_BASE, RAM_BASE + RAM_SIZE };
	if (frame_init(&r, 1) != 0)
		abort();
	root = frame_alloc_zeroed();
}

static void map_and_translate(void)
{
	setup();
	size_t free0 = frame_free_count();
	CHECK_EQ(pt_map(root, 0x10000, RAM_BASE + 0x5000, 0x3000, PT_READ | PT_WRITE | PT_USER, false), 0);
	CHECK_EQ(frame_free_count(), free0 - 2); /* one level-1 and one level-0 table */
	CHECK_EQ(pt_translate(root, 0x10000), RAM_BASE + 0x5000);
	CHECK_EQ(pt_translate(root, 0x12abc), RAM_BASE + 0x7abc);
	CHECK_EQ(pt_translate(root, 0x13000), PADDR_NONE);
	CHECK_EQ(pt_translate(root, 0xf000), PADDR_NONE);
	unsigned level = 7;
	pte_t *pte = pt_lookup(root, 0x11000, &level);
	CHECK(pte != NULL);
	CHECK_EQ(level, 0);
	CHECK_EQ(*pte & 0xff, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D);
}

static void ad_bits(void)
{
	setup();
	CHECK_EQ(pt_map(root, 0x1000, RAM_BASE, 0x1000, PT_READ | PT_EXEC, false), 0);
	pte_t pte = *pt_lookup(root, 0x1000, NULL);
	CHECK(pte & PTE_A);
	CHECK(!(pte & PTE_D)); /* not writable: D stays clear */
	CHECK_EQ(pt_map(root, 0x2000, RAM_BASE, 0x1000, PT_READ | PT_WRITE | PT_SOFT_AD, false), 0);
	pte = *pt_lookup(root, 0x2000, NULL);
	CHECK(!(pte & (PTE_A | PTE_D))); /* software tracking asked for */
}

static void large_pages(void)
{
	setup();
	/* 2 MiB aligned both sides, 4 MiB + 4 KiB long: two megapages and a page. */
	vaddr_t va = DMAP_BASE + RAM_BASE;
	CHECK_EQ(pt_map(root, va, RAM_BASE, (4UL << 20) + 4096, PT_READ | PT_WRITE | PT_GLOBAL, true), 0);
	unsigned level;
	CHECK(pt_lookup(root, va, &level) && level == 1);
	CHECK(pt_lookup(root, va + (2UL << 20), &level) && level == 1);
	CHECK(pt_lookup(root, va + (4UL << 20), &level) && level == 0);
	CHECK_EQ(pt_translate(root, va + 0x123456), RAM_BASE + 0x123456);
	/* A 1 GiB aligned range gets a gigapage without touching memory there. */
	CHECK_EQ(pt_map(root, DMAP_BASE + (1UL << 30) * 8, (1UL << 30) * 8, 1UL << 30, PT_READ, true), 0);
	CHECK(pt_lookup(root, DMAP_BASE + (1UL << 30) * 8 + 12345, &level) && level == 2);
	/* Unmapping half a megapage is refused and changes nothing. */
	CHECK_EQ(pt_unmap(root, va, 4096), -ERR_ALIGN);
	CHECK_EQ(pt_translate(root, va), RAM_BASE);
	CHECK_EQ(pt_unmap(root, va, 2UL << 20), 512);
	CHECK_EQ(pt_translate(root, va), PADDR_NONE);
}

static void bad_arguments(void)
{
	setup();
	size_t free0 = frame_free_count();
	CHECK_EQ(pt_map(root, 0x1001, RAM_BASE, 0x1000, PT_READ, false), -ERR_ALIGN);
	CHECK_EQ(pt_map(root, 0x1000, RAM_BASE + 1, 0x1000, PT_READ, false), -ERR_ALIGN);
	CHECK_EQ(pt_map(root, 0x1000, RAM_BASE, 0x1001, PT_READ, false), -ERR_ALIGN);
	CHECK_EQ(pt_map(root, 0x1000, RAM_BASE, 0, PT_READ, false), -ERR_INVAL);
	CHECK_EQ(pt_map(root, 0x1000, RAM_BASE, 0x1000, PT_WRITE, false), -ERR_INVAL);
	CHECK_EQ(pt_map(root, 0x0000008000000000UL, RAM_BASE, 0x1000, PT_READ, false), -ERR_RANGE);
	CHECK_EQ(pt_map(root, USER_TOP - 0x1000, RAM_BASE, 0x2000, PT_READ, false), -ERR_RANGE);
	CHECK_EQ(frame_free_count(), free0); /* checks fail before any table is made */
}

static void no_partial_map(void)
{
	setup();
	CHECK_EQ(pt_map(root, 0x5000, RAM_BASE, 0x1000, PT_READ, false), 0);
	/* 0x3000..0x7000 overlaps the page at 0x5000: nothing may be mapped. */
	CHECK_EQ(pt_map(root, 0x3000, RAM_BASE + 0x10000, 0x4000, PT_READ, false), -ERR_EXIST);
	CHECK_EQ(pt_translate(root, 0x3000), PADDR_NONE);
	CHECK_EQ(pt_translate(root, 0x4000), PADDR_NONE);
	CHECK_EQ(pt_translate(root, 0x5000), RAM_BASE);
}

static void out_of_memory(void)
{
	setup();
	/* Exhaust the allocator, then ask for a map needing new tables. */
	while (frame_alloc() != PADDR_NONE)
		;
	CHECK_EQ(pt_map(root, 0x40000000, RAM_BASE, 0x1000, PT_READ, false), -ERR_NOMEM);
	CHECK_EQ(pt_translate(root, 0x40000000), PADDR_NONE);
}

static void unmap_and_free_tables(void)
{
	setup();
	size_t free0 = frame_free_count();
	for (vaddr_t va = 0; va < (8UL << 20); va += 0x200000)
		CHECK_EQ(pt_map(root, va + 0x1000, RAM_BASE, 0x1000, PT_READ, false), 0);
	CHECK_EQ(pt_unmap(root, 0, 8UL << 20), 4);
	CHECK_EQ(pt_unmap(root, 0, 8UL << 20), 0); /* holes are skipped */
	pt_free_tables(root, 0, 255);
	CHECK_EQ(frame_free_count(), free0);
	for (unsigned i = 0; i < 256; i++)
		CHECK_EQ(((pte_t *)pa_to_kva(root))[i], 0);
}

static void canonical(void)
{
	CHECK(pt_va_canonical(0));
	CHECK(pt_va_canonical(0x3fffffffffUL));
	CHECK(!pt_va_canonical(0x4000000000UL));
	CHECK(pt_va_canonical(0xffffffc000000000UL));
	CHECK(!pt_va_canonical(0xffffff8000000000UL));
	CHECK_EQ(PT_INDEX(0xffffffff80000000UL, 2), 510);
	CHECK_EQ(PT_INDEX(DMAP_BASE, 2), 256);
}

static void change_prot(void)
{
	setup();
	CHECK_EQ(pt_map(root, 0x4000, RAM_BASE, 0x1000, PT_READ | PT_WRITE | PT_USER, false), 0);
	pte_t *pte = pt_lookup(root, 0x4000, NULL);
	pte_t before = *pte;
	/* Write-protect: R stays, W goes, frame and A/D are kept. */
	CHECK_EQ(pt_change_prot(root, 0x4000, PT_READ | PT_USER), 0x1000);
	CHECK_EQ(*pte & (PTE_R | PTE_W | PTE_X | PTE_U), PTE_R | PTE_U);
	CHECK_EQ(*pte & (PTE_A | PTE_D), before & (PTE_A | PTE_D));
	CHECK_EQ(pte_pa(*pte), RAM_BASE);
	CHECK_EQ(pt_change_prot(root, 0x4000, PT_READ | PT_WRITE | PT_USER), 0x1000);
	CHECK_EQ(*pte, before);
	CHECK_EQ(pt_change_prot(root, 0x9000, PT_READ), 0); /* unmapped */
	/* On a megapage the whole leaf changes, and its size is reported. */
	CHECK_EQ(pt_map(root, 0x200000, RAM_BASE, 0x200000, PT_READ | PT_WRITE, true), 0);
	CHECK_EQ(pt_change_prot(root, 0x212000, PT_READ), 0x200000);
	CHECK(!(*pt_lookup(root, 0x200000, NULL) & PTE_W));
}

static void accessed_dirty(void)
{
	setup();
	CHECK_EQ(pt_map(root, 0x4000, RAM_BASE, 0x1000, PT_READ | PT_WRITE, false), 0);
	CHECK_EQ(pt_map(root, 0x5000, RAM_BASE, 0x1000, PT_READ, false), 0);
	CHECK_EQ(pt_accessed_dirty(root, 0x4000, false), PT_AD_ACCESSED | PT_AD_DIRTY);
	CHECK_EQ(pt_accessed_dirty(root, 0x5000, false), PT_AD_ACCESSED);
	CHECK_EQ(pt_accessed_dirty(root, 0x4000, true), PT_AD_ACCESSED | PT_AD_DIRTY);
	CHECK_EQ(pt_accessed_dirty(root, 0x4000, false), 0); /* cleared */
	CHECK_EQ(pt_accessed_dirty(root, 0x5000, false), PT_AD_ACCESSED); /* untouched */
	/* Cleared bits come back through the software path, as on a U74. */
	CHECK(pt_fix_accessed_dirty(root, 0x4000, PT_WRITE));
	CHECK_EQ(pt_accessed_dirty(root, 0x4000, false), PT_AD_ACCESSED | PT_AD_DIRTY);
	CHECK_EQ(pt_accessed_dirty(root, 0x6000, true), 0); /* unmapped */
}

/* The two halves of pt_map, as aspace_map_run uses them: prepare every
 * range of a run, then install each; prepare writes no leaf. */
static void prepare_then_install(void)
{
	setup();
	size_t free0 = frame_free_count();
	/* Two ranges in different 2 MiB regions, one of them a megapage. */
	CHECK_EQ(pt_prepare(root, 0x1ff000, RAM_BASE, 0x1000, PT_READ | PT_USER, true), 0);
	CHECK_EQ(pt_prepare(root, 0x200000, RAM_BASE + 0x200000, 0x200000, PT_READ | PT_USER, true), 0);
	CHECK_EQ(frame_free_count(), free0 - 2); /* a level-1 and one level-0 table */
	CHECK_EQ(pt_translate(root, 0x1ff000), PADDR_NONE); /* no leaf yet */
	CHECK_EQ(pt_translate(root, 0x200000), PADDR_NONE);
	/* Preparing again is still accepted: nothing is mapped there. */
	CHECK_EQ(pt_prepare(root, 0x1ff000, RAM_BASE, 0x1000, PT_READ | PT_USER, true), 0);
	pt_install(root, 0x1ff000, RAM_BASE, 0x1000, PT_READ | PT_USER, true, 0, 0);
	pt_install(root, 0x200000, RAM_BASE + 0x200000, 0x200000, PT_READ | PT_USER, true, 0, 0);
	CHECK_EQ(frame_free_count(), free0 - 2); /* installing allocates nothing */
	unsigned level;
	CHECK(pt_lookup(root, 0x1ff000, &level) && level == 0);
	CHECK(pt_lookup(root, 0x300000, &level) && level == 1);
	CHECK_EQ(pt_translate(root, 0x3fffff), RAM_BASE + 0x3fffff);
	/* Now taken: prepare refuses, and bad arguments are refused as by pt_map. */
	CHECK_EQ(pt_prepare(root, 0x1ff000, RAM_BASE, 0x1000, PT_READ, true), -ERR_EXIST);
	CHECK_EQ(pt_prepare(root, 0x1ff001, RAM_BASE, 0x1000, PT_READ, true), -ERR_ALIGN);
	/* Out of table frames: prepare fails and writes no leaf. */
	while (frame_alloc() != PADDR_NONE)
		;
	CHECK_EQ(pt_prepare(root, 0x40000000, RAM_BASE, 0x1000, PT_READ, false), -ERR_NOMEM);
	CHECK_EQ(pt_translate(root, 0x40000000), PADDR_NONE);
}

/* A fault's answer: install marks the leaf covering touch_va as that
 * access would (A, D for a store), if the leaf permits it; nothing else. */
static void install_marks_touch(void)
{
	setup();
	const unsigned rw = PT_READ | PT_WRITE | PT_USER | PT_SOFT_AD;
	CHECK_EQ(pt_prepare(root, 0x10000, RAM_BASE, 0x3000, rw, false), 0);
	pt_install(root, 0x10000, RAM_BASE, 0x3000, rw, false, 0x11abc, PT_WRITE);
	CHECK_EQ(pt_accessed_dirty(root, 0x10000, false), 0);
	CHECK_EQ(pt_accessed_dirty(root, 0x11000, false), PT_AD_ACCESSED | PT_AD_DIRTY);
	CHECK_EQ(pt_accessed_dirty(root, 0x12000, false), 0);
	/* A load marks A alone. */
	CHECK_EQ(pt_prepare(root, 0x20000, RAM_BASE, 0x1000, rw, false), 0);
	pt_install(root, 0x20000, RAM_BASE, 0x1000, rw, false, 0x20008, PT_READ);
	CHECK_EQ(pt_accessed_dirty(root, 0x20000, false), PT_AD_ACCESSED);
	/* A store through a read-only leaf is a real fault: nothing marked. */
	const unsigned ro = PT_READ | PT_USER | PT_SOFT_AD;
	CHECK_EQ(pt_prepare(root, 0x30000, RAM_BASE, 0x1000, ro, false), 0);
	pt_install(root, 0x30000, RAM_BASE, 0x1000, ro, false, 0x30000, PT_WRITE);
	CHECK_EQ(pt_accessed_dirty(root, 0x30000, false), 0);
	/* Outside the range, or no access: nothing marked. */
	CHECK_EQ(pt_prepare(root, 0x40000, RAM_BASE, 0x1000, rw, false), 0);
	pt_install(root, 0x40000, RAM_BASE, 0x1000, rw, false, 0x41000, PT_WRITE);
	CHECK_EQ(pt_accessed_dirty(root, 0x40000, false), 0);
	CHECK_EQ(pt_prepare(root, 0x50000, RAM_BASE, 0x1000, rw, false), 0);
	pt_install(root, 0x50000, RAM_BASE, 0x1000, rw, false, 0x50000, 0);
	CHECK_EQ(pt_accessed_dirty(root, 0x50000, false), 0);
}

int main(void)
{
	run_test("PT-001", "map 4 KiB pages and translate them back", map_and_translate);
	run_test("PT-002", "leaves get A (and D when writable) unless soft A/D is asked", ad_bits);
	run_test("PT-003", "largest pages that fit; a large leaf is unmapped whole", large_pages);
	run_test("PT-004", "bad alignment, rights and ranges are refused with no side effect", bad_arguments);
	run_test("PT-005", "an overlapping map changes nothing", no_partial_map);
	run_test("PT-006", "out of table frames: error, nothing mapped", out_of_memory);
	run_test("PT-007", "unmap skips holes; freeing tables returns every frame", unmap_and_free_tables);
	run_test("PT-008", "Sv39 canonical addresses and root indexes", canonical);
	run_test("PT-009", "rights change keeps frame and A/D; a large leaf changes whole", change_prot);
	run_test("PT-010", "A/D state read and cleared; the software path sets it again", accessed_dirty);
	run_test("PT-011", "prepare makes tables and writes no leaf; install then cannot fail", prepare_then_install);
	run_test("PT-012", "install marks the touched leaf as the access would, nothing else", install_marks_touch);
	free(fake_phys_mem);
	return test_summary();
}
