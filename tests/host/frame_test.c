/*
 * Host tests for mm/frame.c: phys_usable_ranges and the buddy allocator,
 * run over a malloc'd buffer posing as physical RAM (tests/host/fakearch).
 * frame_init fully reinitialises, so every test starts from a fresh init.
 */
#include "mm/frame.h"

#include "check.h"
#include "fake_panic.h"

#include <arch/kva.h>
#include <pagoda/errno.h>

#include <stdlib.h>
#include <string.h>

#define B 0x80000000ULL /* fake RAM base, 2 GiB aligned like QEMU virt */
#define PG PAGE_SIZE

/* Gives the fake RAM [base, base + size); contents are garbage (0x5a) so
 * nothing can pass by relying on zeroed memory, except for huge sizes
 * where filling would be slow. */
static void fake_ram(paddr_t base, size_t size)
{
	free(fake_phys_mem);
	fake_phys_mem = aligned_alloc(PG, size);
	if (!fake_phys_mem) {
		fprintf(stderr, "frame_test: cannot allocate %zu bytes\n", size);
		abort();
	}
	if (size <= MiB(64))
		memset(fake_phys_mem, 0x5a, size);
	fake_phys_base = base;
	fake_phys_size = size;
}

/* Runs stmt, which must panic with a message containing needle. Disarms
 * the panic catcher if it did not panic, so a later panic cannot jump into
 * a dead frame. */
#define CHECK_PANICS(stmt, needle)                                        \
	do {                                                              \
		panic_message[0] = '\0';                                  \
		if (EXPECT_PANIC()) {                                     \
			stmt;                                             \
			panic_armed = 0;                                  \
			CHECK(!"expected a panic from: " #stmt);          \
		}                                                         \
		CHECK(strstr(panic_message, "frame_free: ") == panic_message); \
		CHECK(strstr(panic_message, needle));                     \
	} while (0)

static const char *hex(paddr_t pa)
{
	static char buf[32];
	snprintf(buf, sizeof buf, "0x%llx", (unsigned long long)pa);
	return buf;
}

static bool in_ranges(const struct phys_range *r, unsigned n, paddr_t base, paddr_t end)
{
	for (unsigned i = 0; i < n; i++)
		if (r[i].base <= base && end <= r[i].end)
			return true;
	return false;
}

/* ---- phys_usable_ranges ---- */

static void t_usable_unaligned(void)
{
	struct phys_range mem[] = { { B + 0x123, B + 0x100fff } };
	struct phys_range out[4];

	CHECK_EQ(phys_usable_ranges(mem, 1, NULL, 0, out, 4), 1);
	CHECK_EQ(out[0].base, B + 0x1000);
	CHECK_EQ(out[0].end, B + 0x100000);

	/* An unaligned reservation eats the partial pages on both sides. */
	struct phys_range res[] = { { B + 0x1800, B + 0x2800 } };
	struct phys_range mem2[] = { { B, B + 0x10000 } };
	CHECK_EQ(phys_usable_ranges(mem2, 1, res, 1, out, 4), 2);
	CHECK_EQ(out[0].base, B);
	CHECK_EQ(out[0].end, B + 0x1000);
	CHECK_EQ(out[1].base, B + 0x3000);
	CHECK_EQ(out[1].end, B + 0x10000);

	/* Pieces shorter than a page after alignment are dropped. */
	struct phys_range mem3[] = { { B, B + 0x2000 } };
	struct phys_range res3[] = { { B + 0x800, B + 0x1800 } };
	CHECK_EQ(phys_usable_ranges(mem3, 1, res3, 1, out, 4), 0);
}

static void t_usable_overlap(void)
{
	struct phys_range mem[] = { { B, B + MiB(3) }, { B + MiB(1), B + MiB(5) },
				    { B + MiB(2), B + MiB(4) } };
	struct phys_range res[] = { { B + MiB(1), B + MiB(2) },
				    { B + MiB(1) + KiB(512), B + MiB(2) + KiB(512) } };
	struct phys_range out[4];

	CHECK_EQ(phys_usable_ranges(mem, 3, NULL, 0, out, 4), 1);
	CHECK_EQ(out[0].base, B);
	CHECK_EQ(out[0].end, B + MiB(5));

	CHECK_EQ(phys_usable_ranges(mem, 3, res, 2, out, 4), 2);
	CHECK_EQ(out[0].base, B);
	CHECK_EQ(out[0].end, B + MiB(1));
	CHECK_EQ(out[1].base, B + MiB(2) + KiB(512));
	CHECK_EQ(out[1].end, B + MiB(5));
}

static void t_usable_unsorted(void)
{
	struct phys_range mem[] = { { B + MiB(64), B + MiB(80) }, { B, B + MiB(8) },
				    { B + MiB(16), B + MiB(32) } };
	struct phys_range res[] = { { B + MiB(70), B + MiB(72) }, { B + MiB(1), B + MiB(2) } };
	struct phys_range out[8];
	static const paddr_t want[][2] = {
		{ B, B + MiB(1) },		{ B + MiB(2), B + MiB(8) },
		{ B + MiB(16), B + MiB(32) },	{ B + MiB(64), B + MiB(70) },
		{ B + MiB(72), B + MiB(80) },
	};

	CHECK_EQ(phys_usable_ranges(mem, 3, res, 2, out, 8), 5);
	for (unsigned i = 0; i < 5; i++) {
		CHECK_EQ(out[i].base, want[i][0]);
		CHECK_EQ(out[i].end, want[i][1]);
	}
}

static void t_usable_reserved_all(void)
{
	struct phys_range mem[] = { { B, B + MiB(4) }, { B + MiB(8), B + MiB(9) } };
	struct phys_range res[] = { { B + MiB(2), B + MiB(10) }, { B - MiB(1), B + MiB(3) } };
	struct phys_range out[2] = { { 7, 7 }, { 7, 7 } };

	CHECK_EQ(phys_usable_ranges(mem, 2, res, 2, out, 2), 0);
	CHECK_EQ(out[0].base, 7); /* untouched */
	CHECK_EQ(phys_usable_ranges(NULL, 0, res, 2, out, 2), 0);
}

static void t_usable_straddle(void)
{
	struct phys_range mem[] = { { B, B + MiB(16) } };
	/* One over each end, one in the middle. */
	struct phys_range res[] = { { B - MiB(1), B + MiB(1) },
				    { B + MiB(15), B + MiB(17) },
				    { B + MiB(4), B + MiB(5) } };
	struct phys_range out[4];

	CHECK_EQ(phys_usable_ranges(mem, 1, res, 3, out, 4), 2);
	CHECK_EQ(out[0].base, B + MiB(1));
	CHECK_EQ(out[0].end, B + MiB(4));
	CHECK_EQ(out[1].base, B + MiB(5));
	CHECK_EQ(out[1].end, B + MiB(15));
}

static void t_usable_adjacent(void)
{
	/* Touching at an unaligned point: the straddling page is whole RAM
	 * and must survive, so merging happens before alignment. */
	struct phys_range mem[] = { { B + 0x1800, B + 0x4000 }, { B, B + 0x1800 },
				    { B + 0x4000, B + 0x8000 } };
	struct phys_range out[4];

	CHECK_EQ(phys_usable_ranges(mem, 3, NULL, 0, out, 4), 1);
	CHECK_EQ(out[0].base, B);
	CHECK_EQ(out[0].end, B + 0x8000);

	/* Adjacent reservations cut one hole, not two. */
	struct phys_range res[] = { { B + 0x2000, B + 0x3000 }, { B + 0x3000, B + 0x5000 } };
	CHECK_EQ(phys_usable_ranges(mem, 3, res, 2, out, 4), 2);
	CHECK_EQ(out[0].end, B + 0x2000);
	CHECK_EQ(out[1].base, B + 0x5000);
}

static void t_usable_nospc(void)
{
	struct phys_range mem[] = { { B, B + MiB(16) } };
	struct phys_range res[] = { { B + MiB(4), B + MiB(5) }, { B + MiB(8), B + MiB(9) } };
	struct phys_range out[4] = { { 0 }, { 0 }, { 0xdead, 0xbeef }, { 0 } };

	CHECK_EQ(phys_usable_ranges(mem, 1, res, 2, out, 2), -ERR_NOSPC);
	CHECK_EQ(out[2].base, 0xdead); /* never writes past max */
	CHECK_EQ(phys_usable_ranges(mem, 1, res, 2, out, 0), -ERR_NOSPC);
	CHECK_EQ(phys_usable_ranges(mem, 1, res, 2, out, 3), 3);
	CHECK_EQ(out[2].base, B + MiB(9));
	CHECK_EQ(out[2].end, B + MiB(16));
}

static void t_usable_degenerate(void)
{
	struct phys_range out[4];
	/* Empty and inverted ranges are ignored, address 0 works, and the
	 * top of the address space does not wrap. */
	struct phys_range mem[] = { { B, B }, { B + MiB(2), B + MiB(1) }, { 0, 0x3000 },
				    { 0xfffffffffffff800ULL, 0xffffffffffffffffULL } };
	struct phys_range res[] = { { 0x1000, 0x1000 }, { 0x2000, 0x1000 } };

	CHECK_EQ(phys_usable_ranges(mem, 4, res, 2, out, 4), 1);
	CHECK_EQ(out[0].base, 0);
	CHECK_EQ(out[0].end, 0x3000);

	struct phys_range top[] = { { 0xffffffffffffe000ULL, 0xffffffffffffffffULL } };
	CHECK_EQ(phys_usable_ranges(top, 1, NULL, 0, out, 4), 1);
	CHECK_EQ(out[0].base, 0xffffffffffffe000ULL);
	CHECK_EQ(out[0].end, 0xfffffffffffff000ULL);
}

/* ---- frame_init ---- */

static void t_init_errors(void)
{
	struct phys_range unsorted[] = { { B + MiB(2), B + MiB(3) }, { B, B + MiB(1) } };
	struct phys_range overlap[] = { { B, B + MiB(2) }, { B + MiB(1), B + MiB(3) } };
	struct phys_range unaligned_base[] = { { B + 0x800, B + MiB(1) } };
	struct phys_range unaligned_end[] = { { B, B + MiB(1) + 1 } };
	struct phys_range empty[] = { { B, B } };
	/* Span 16 GiB: 4 MiB of metadata, and no range is that large. */
	struct phys_range sparse[] = { { B, B + PG }, { B + GiB(16) - PG, B + GiB(16) } };

	CHECK_EQ(frame_init(unsorted, 2), -ERR_INVAL);
	CHECK_EQ(frame_init(overlap, 2), -ERR_INVAL);
	CHECK_EQ(frame_init(unaligned_base, 1), -ERR_INVAL);
	CHECK_EQ(frame_init(unaligned_end, 1), -ERR_INVAL);
	CHECK_EQ(frame_init(empty, 1), -ERR_INVAL);
	CHECK_EQ(frame_init(NULL, 0), -ERR_NOMEM);
	CHECK_EQ(frame_init(sparse, 2), -ERR_NOMEM);
}

static void t_init_one_range(void)
{
	struct phys_range r[] = { { B, B + MiB(4) } };

	fake_ram(B, MiB(4));
	CHECK_EQ(frame_init(r, 1), 0);
	/* 1024 frames need 1024 bytes of metadata: one page, at the base. */
	CHECK_EQ(frame_metadata_range().base, B);
	CHECK_EQ(frame_metadata_range().end, B + PG);
	CHECK_EQ(frame_total_count(), 1023);
	CHECK_EQ(frame_free_count(), 1023);

	paddr_t a = frame_alloc(), c = frame_alloc_order(3);
	CHECK(a != PADDR_NONE && c != PADDR_NONE);
	CHECK_EQ(frame_free_count(), 1023 - 1 - 8);
	CHECK_EQ(frame_total_count(), 1023);
	frame_free(c);
	frame_free(a);
	CHECK_EQ(frame_free_count(), 1023);
}

static void t_init_holes(void)
{
	/* Span 32 MiB: 8192 bytes of metadata. r[0] is too small, r[1] fits
	 * it exactly and is used up; the rest is free. */
	struct phys_range r[] = { { B, B + PG },
				  { B + KiB(64), B + KiB(72) },
				  { B + MiB(1), B + MiB(1) + 3 * PG },
				  { B + MiB(24), B + MiB(32) } };

	fake_ram(B, MiB(32));
	CHECK_EQ(frame_init(r, 4), 0);
	CHECK_EQ(frame_metadata_range().base, B + KiB(64));
	CHECK_EQ(frame_metadata_range().end, B + KiB(72));
	CHECK_EQ(frame_total_count(), 1 + 3 + 2048);
	CHECK_EQ(frame_free_count(), 1 + 3 + 2048);

	size_t n = 0;
	paddr_t pa;
	bool got_single = false;
	while ((pa = frame_alloc()) != PADDR_NONE) {
		CHECK(in_ranges(r, 4, pa, pa + PG));
		CHECK(pa < B + KiB(64) || pa >= B + KiB(72));
		got_single |= pa == B;
		n++;
	}
	CHECK_EQ(n, 2052);
	CHECK(got_single);
	CHECK_EQ(frame_free_count(), 0);
}

static void t_init_unaligned(void)
{
	/* Neither end is aligned to anything large; the only 2 MiB-aligned
	 * 2 MiB window inside is [B + 2 MiB, B + 4 MiB). */
	struct phys_range r[] = { { B + 0x3000, B + 0x409000 } };

	fake_ram(B, MiB(5));
	CHECK_EQ(frame_init(r, 1), 0);
	CHECK_EQ(frame_metadata_range().base, B + 0x3000);
	CHECK_EQ(frame_total_count(), 0x406 - 1);
	CHECK_EQ(frame_alloc_order(10), PADDR_NONE);
	CHECK_EQ(frame_alloc_order(9), B + MiB(2));
	CHECK_EQ(frame_alloc_order(9), PADDR_NONE);
	/* The 1 MiB blocks left: [1 MiB, 2 MiB) only ([0, 1 MiB) has the
	 * metadata and the unaligned start in it). */
	CHECK_EQ(frame_alloc_order(8), B + MiB(1));
	CHECK_EQ(frame_alloc_order(8), PADDR_NONE);
	/* Every block of every order handed out is naturally aligned. */
	for (unsigned o = 7;; o--) {
		paddr_t pa;
		while ((pa = frame_alloc_order(o)) != PADDR_NONE) {
			CHECK(IS_ALIGNED(pa, PG << o));
			CHECK(in_ranges(r, 1, pa, pa + (PG << o)));
			CHECK(pa >= frame_metadata_range().end);
		}
		if (o == 0)
			break;
	}
	CHECK_EQ(frame_free_count(), 0);
}

/* ---- alloc / free ---- */

/* Largest order that can be allocated right now (then given back). */
static int largest_order(void)
{
	for (int o = FRAME_MAX_ORDER; o >= 0; o--) {
		paddr_t pa = frame_alloc_order((unsigned)o);
		if (pa != PADDR_NONE) {
			frame_free(pa);
			return o;
		}
	}
	return -1;
}

static void t_alloc_all_singles(void)
{
	struct phys_range r[] = { { B, B + MiB(8) } };
	enum { N = 2047 };
	static paddr_t got[N];
	static uint8_t seen[2048];

	fake_ram(B, MiB(8));
	CHECK_EQ(frame_init(r, 1), 0);
	int big = largest_order();
	CHECK_EQ(big, 10); /* [B + 4 MiB, B + 8 MiB) */
	CHECK_EQ(frame_total_count(), N);

	memset(seen, 0, sizeof seen);
	for (unsigned i = 0; i < N; i++) {
		paddr_t pa = frame_alloc();
		CHECK(pa != PADDR_NONE);
		CHECK(IS_ALIGNED(pa, PG));
		CHECK(pa >= frame_metadata_range().end && pa < B + MiB(8));
		size_t idx = (size_t)((pa - B) / PG);
		CHECK(!seen[idx]);
		seen[idx] = 1;
		got[i] = pa;
	}
	CHECK_EQ(frame_alloc(), PADDR_NONE);
	CHECK_EQ(frame_alloc_order(1), PADDR_NONE);
	CHECK_EQ(frame_free_count(), 0);

	/* Free evens then odds, so merging happens out of allocation order. */
	for (unsigned i = 0; i < N; i += 2)
		frame_free(got[i]);
	for (unsigned i = 1; i < N; i += 2)
		frame_free(got[i]);
	CHECK_EQ(frame_free_count(), N);
	CHECK_EQ(largest_order(), big);
	CHECK_EQ(frame_alloc_order(10), B + MiB(4));
}

static void t_alignment(void)
{
	struct phys_range r[] = { { B + 0x5000, B + MiB(32) } };

	fake_ram(B, MiB(32));
	CHECK_EQ(frame_init(r, 1), 0);
	size_t before = frame_free_count();
	paddr_t small = frame_alloc(); /* break up the low blocks a bit */
	paddr_t blocks[12];

	for (unsigned o = 0; o < 12; o++) {
		blocks[o] = frame_alloc_order(o);
		CHECK(blocks[o] != PADDR_NONE);
		CHECK(IS_ALIGNED(blocks[o], PG << o));
		CHECK(in_ranges(r, 1, blocks[o], blocks[o] + (PG << o)));
	}
	for (unsigned o = 0; o < 12; o++)
		frame_free(blocks[o]);
	frame_free(small);
	CHECK_EQ(frame_free_count(), before);
}

static void t_max_order(void)
{
	/* 1 GiB at B (1 GiB aligned) plus a small range below for the
	 * metadata; only touched pages become resident. */
	struct phys_range r[] = { { B - MiB(2), B }, { B, B + GiB(1) } };

	fake_ram(B - MiB(2), GiB(1) + MiB(2));
	CHECK_EQ(frame_init(r, 2), 0);
	CHECK_EQ(frame_alloc_order(FRAME_MAX_ORDER + 1), PADDR_NONE);
	CHECK_EQ(frame_alloc_order(~0u), PADDR_NONE);
	size_t before = frame_free_count();

	paddr_t giga = frame_alloc_order(FRAME_MAX_ORDER);
	CHECK_EQ(giga, B);
	CHECK_EQ(frame_alloc_order(FRAME_MAX_ORDER), PADDR_NONE);
	CHECK_EQ(frame_free_count(), before - ((size_t)1 << FRAME_MAX_ORDER));
	frame_free(giga);

	/* Drain the low range, so the next frame splits the 1 GiB block all
	 * the way down; freeing it must merge all the way back up. */
	paddr_t low[512];
	unsigned nlow = 0;
	paddr_t pa;
	while (nlow < 512 && (pa = frame_alloc()) != PADDR_NONE && pa < B)
		low[nlow++] = pa;
	CHECK_EQ(pa, B);
	CHECK_EQ(frame_alloc_order(FRAME_MAX_ORDER), PADDR_NONE);
	frame_free(pa);
	CHECK_EQ(frame_alloc_order(FRAME_MAX_ORDER), B);
	frame_free(B);
	for (unsigned i = 0; i < nlow; i++)
		frame_free(low[i]);
	CHECK_EQ(frame_free_count(), before);
}

static void t_zeroed(void)
{
	struct phys_range r[] = { { B, B + MiB(1) } };
	static paddr_t got[256];
	unsigned n = 0;
	paddr_t pa;

	fake_ram(B, MiB(1));
	CHECK_EQ(frame_init(r, 1), 0);
	/* Dirty every free frame, then give them all back. */
	while ((pa = frame_alloc()) != PADDR_NONE) {
		memset(pa_to_kva(pa), 0xab, PG);
		got[n++] = pa;
	}
	for (unsigned i = 0; i < n; i++)
		frame_free(got[i]);
	for (unsigned i = 0; i < n; i++) {
		pa = frame_alloc_zeroed();
		CHECK(pa != PADDR_NONE);
		const uint8_t *p = pa_to_kva(pa);
		for (size_t j = 0; j < PG; j++)
			CHECK_EQ(p[j], 0);
	}
	CHECK_EQ(frame_alloc_zeroed(), PADDR_NONE);
}

static void t_double_free(void)
{
	struct phys_range r[] = { { B, B + MiB(1) } };

	fake_ram(B, MiB(1));
	CHECK_EQ(frame_init(r, 1), 0);
	paddr_t a = frame_alloc(), b = frame_alloc(); /* b keeps a from merging */
	size_t before = frame_free_count();

	frame_free(a);
	CHECK_PANICS(frame_free(a), "double free");
	CHECK(strstr(panic_message, hex(a)));
	CHECK_EQ(frame_free_count(), before + 1);

	/* Freeing b merges; a second free of b now hits a non-head frame or
	 * a free head, and must still panic naming b. */
	frame_free(b);
	CHECK_PANICS(frame_free(b), hex(b));
	CHECK_EQ(frame_free_count(), before + 2);
}

static void t_free_inside(void)
{
	struct phys_range r[] = { { B, B + MiB(1) } };

	fake_ram(B, MiB(1));
	CHECK_EQ(frame_init(r, 1), 0);
	size_t before = frame_free_count();
	paddr_t blk = frame_alloc_order(2);

	CHECK(blk != PADDR_NONE);
	CHECK_PANICS(frame_free(blk + PG), "inside a block");
	CHECK(strstr(panic_message, hex(blk + PG)));
	CHECK_PANICS(frame_free(blk + 3 * PG), hex(blk + 3 * PG));
	CHECK_EQ(frame_free_count(), before - 4); /* nothing changed */
	frame_free(blk);
	CHECK_EQ(frame_free_count(), before);
}

static void t_free_outside(void)
{
	/* A hole at [B + 1 MiB, B + 2 MiB); metadata is the page at B. */
	struct phys_range r[] = { { B, B + MiB(1) }, { B + MiB(2), B + MiB(3) } };

	fake_ram(B, MiB(3));
	CHECK_EQ(frame_init(r, 2), 0);
	size_t before = frame_free_count();

	CHECK_PANICS(frame_free(B - PG), hex(B - PG));
	CHECK(strstr(panic_message, "outside"));
	CHECK_PANICS(frame_free(B + MiB(3)), hex(B + MiB(3)));
	CHECK_PANICS(frame_free(0), "0x0");
	CHECK_PANICS(frame_free(B + MiB(1) + PG), hex(B + MiB(1) + PG));
	CHECK(strstr(panic_message, "not managed"));
	CHECK_PANICS(frame_free(B), hex(B)); /* the metadata page */
	paddr_t a = frame_alloc();
	CHECK_PANICS(frame_free(a + 8), "not page aligned");
	CHECK(strstr(panic_message, hex(a + 8)));
	frame_free(a);
	CHECK_EQ(frame_free_count(), before);
}

/* xorshift64*: fixed seed, so a failure reproduces exactly. */
static uint64_t rng_state;
static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* How many blocks of each order greedy largest-first allocation yields;
 * everything is freed again. Equal before and after means the free lists
 * coalesced back to the same maximal blocks. */
static void fragmentation_profile(size_t counts[FRAME_MAX_ORDER + 1], paddr_t *scratch)
{
	size_t n = 0;
	for (int o = FRAME_MAX_ORDER; o >= 0; o--) {
		paddr_t pa;
		counts[o] = 0;
		while ((pa = frame_alloc_order((unsigned)o)) != PADDR_NONE) {
			scratch[n++] = pa;
			counts[o]++;
		}
	}
	while (n)
		frame_free(scratch[--n]);
}

static void t_stress(void)
{
	/* Three ranges with holes, unaligned ends. */
	struct phys_range r[] = { { B + 0x3000, B + 0x180000 },
				  { B + 0x200000, B + 0x5ff000 },
				  { B + 0x601000, B + MiB(8) } };
	enum { FRAMES = MiB(8) / PG, SLOTS = 512, STEPS = 60000 };
	static uint8_t owned[FRAMES];
	static paddr_t scratch[FRAMES];
	static struct { paddr_t pa; unsigned order; } live[SLOTS];
	size_t prof_before[FRAME_MAX_ORDER + 1], prof_after[FRAME_MAX_ORDER + 1];
	unsigned nlive = 0;

	fake_ram(B, MiB(8));
	CHECK_EQ(frame_init(r, 3), 0);
	const size_t total = frame_total_count();
	const struct phys_range m = frame_metadata_range();
	size_t expect_free = total;

	fragmentation_profile(prof_before, scratch);
	memset(owned, 0, sizeof owned);
	rng_state = 0x9e3779b97f4a7c15ULL;
	for (unsigned step = 0; step < STEPS; step++) {
		uint64_t x = rng();
		if (nlive < SLOTS && (x & 0xff) < 140) {
			/* Mostly small orders, sometimes big ones. */
			unsigned order = (unsigned)((x >> 8) % 8);
			if (order >= 5 && ((x >> 16) & 3))
				order -= 4;
			paddr_t pa = frame_alloc_order(order);
			if (pa == PADDR_NONE)
				continue;
			paddr_t end = pa + (PG << order);
			CHECK(IS_ALIGNED(pa, PG << order));
			CHECK(in_ranges(r, 3, pa, end)); /* never spans a hole */
			CHECK(end <= m.base || pa >= m.end);
			for (paddr_t f = pa; f < end; f += PG) {
				CHECK(!owned[(f - B) / PG]);
				owned[(f - B) / PG] = 1;
				*(uint64_t *)pa_to_kva(f) = f; /* allocator must not touch */
			}
			live[nlive].pa = pa;
			live[nlive].order = order;
			nlive++;
			expect_free -= (size_t)1 << order;
		} else if (nlive) {
			unsigned i = (unsigned)((x >> 8) % nlive);
			paddr_t pa = live[i].pa, end = pa + (PG << live[i].order);
			for (paddr_t f = pa; f < end; f += PG) {
				CHECK_EQ(*(uint64_t *)pa_to_kva(f), f);
				owned[(f - B) / PG] = 0;
			}
			frame_free(pa);
			expect_free += (size_t)1 << live[i].order;
			live[i] = live[--nlive];
		}
		CHECK_EQ(frame_free_count(), expect_free);
	}
	while (nlive) {
		nlive--;
		frame_free(live[nlive].pa);
	}
	CHECK_EQ(frame_free_count(), total);
	CHECK_EQ(frame_total_count(), total);
	fragmentation_profile(prof_after, scratch);
	for (unsigned o = 0; o <= FRAME_MAX_ORDER; o++)
		CHECK_EQ(prof_after[o], prof_before[o]);
}

static void t_hole_no_merge(void)
{
	/* A one-page hole at B + 2 MiB - 4 KiB: [B, B + 2 MiB) is not one
	 * block even though every other frame of it is RAM, and the range
	 * above is not merged with it into a 4 MiB block. */
	struct phys_range r[] = { { B, B + MiB(2) - PG }, { B + MiB(2), B + MiB(4) } };
	static paddr_t got[1024];
	unsigned n = 0;
	paddr_t pa;

	fake_ram(B, MiB(4));
	CHECK_EQ(frame_init(r, 2), 0);
	/* Churn: take everything a frame at a time, give it all back, so
	 * every buddy pair next to the hole gets a chance to merge. */
	while ((pa = frame_alloc()) != PADDR_NONE) {
		CHECK(pa != B + MiB(2) - PG);
		got[n++] = pa;
	}
	while (n)
		frame_free(got[--n]);
	CHECK_EQ(frame_alloc_order(10), PADDR_NONE);
	CHECK_EQ(frame_alloc_order(9), B + MiB(2));
	CHECK_EQ(frame_alloc_order(9), PADDR_NONE);
	/* Below the hole (and above the metadata page at B) the largest
	 * blocks are the two 512 KiB ones at B + 512 KiB and B + 1 MiB. */
	CHECK_EQ(frame_alloc_order(8), PADDR_NONE);
	paddr_t x = frame_alloc_order(7), y = frame_alloc_order(7);
	CHECK_EQ(MIN(x, y), B + KiB(512));
	CHECK_EQ(MAX(x, y), B + MiB(1));
	CHECK_EQ(frame_alloc_order(7), PADDR_NONE);
}

static void t_reinit(void)
{
	struct phys_range r1[] = { { B, B + MiB(2) } };
	struct phys_range r2[] = { { B + MiB(1), B + MiB(2) } };
	struct phys_range bad[] = { { B + 1, B + MiB(2) } };

	fake_ram(B, MiB(2));
	CHECK_EQ(frame_init(r1, 1), 0);
	CHECK(frame_alloc_order(4) != PADDR_NONE);
	CHECK_EQ(frame_init(r2, 1), 0);
	CHECK_EQ(frame_total_count(), 255);
	CHECK_EQ(frame_free_count(), 255);
	CHECK_EQ(frame_metadata_range().base, B + MiB(1));

	/* A failed init leaves an empty allocator, not the old one. */
	CHECK_EQ(frame_init(bad, 1), -ERR_INVAL);
	CHECK_EQ(frame_free_count(), 0);
	CHECK_EQ(frame_total_count(), 0);
	CHECK_EQ(frame_alloc(), PADDR_NONE);
	CHECK_EQ(frame_metadata_range().end, 0);
	CHECK_PANICS(frame_free(B + MiB(1) + PG), "outside");
}

int main(void)
{
	run_test("FRAME-001", "usable ranges: unaligned edges are aligned inward", t_usable_unaligned);
	run_test("FRAME-002", "usable ranges: overlapping mem and reserved ranges merge", t_usable_overlap);
	run_test("FRAME-003", "usable ranges: unsorted input gives sorted output", t_usable_unsorted);
	run_test("FRAME-004", "usable ranges: reserved covering all RAM gives none", t_usable_reserved_all);
	run_test("FRAME-005", "usable ranges: reserved straddling both ends and the middle", t_usable_straddle);
	run_test("FRAME-006", "usable ranges: adjacent mem ranges merge before alignment", t_usable_adjacent);
	run_test("FRAME-007", "usable ranges: too small out gives -ERR_NOSPC, no overrun", t_usable_nospc);
	run_test("FRAME-008", "usable ranges: empty ranges, address 0 and top of memory", t_usable_degenerate);
	run_test("FRAME-009", "init rejects bad input and ranges too small for metadata", t_init_errors);
	run_test("FRAME-010", "init over one range: metadata at base, exact counts", t_init_one_range);
	run_test("FRAME-011", "init with holes: metadata in first fitting range, exact counts", t_init_holes);
	run_test("FRAME-012", "init over a range not aligned to large orders", t_init_unaligned);
	run_test("FRAME-013", "alloc every frame, all distinct; freeing all coalesces fully", t_alloc_all_singles);
	run_test("FRAME-014", "order-k allocations are aligned to their size", t_alignment);
	run_test("FRAME-015", "order FRAME_MAX_ORDER works, larger orders fail", t_max_order);
	run_test("FRAME-016", "frame_alloc_zeroed returns zeroes after frames were dirtied", t_zeroed);
	run_test("FRAME-017", "double free panics naming the address", t_double_free);
	run_test("FRAME-018", "freeing the middle of a block panics", t_free_inside);
	run_test("FRAME-019", "freeing outside RAM, in a hole, metadata, misaligned panics", t_free_outside);
	run_test("FRAME-020", "random alloc/free stress: no overlap, exact counts", t_stress);
	run_test("FRAME-021", "blocks never merge across a hole between ranges", t_hole_no_merge);
	run_test("FRAME-022", "frame_init re-initialises fully; failed init leaves it empty", t_reinit);
	free(fake_phys_mem);
	return test_summary();
}
