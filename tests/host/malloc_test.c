/*
 * Host tests for the runtime's allocator (user/lib/malloc.c), built from
 * the same source with -DMALLOC_HOST_TEST: its functions are pgm_malloc
 * and so on, over the fake break below, and its panics longjmp back here.
 *
 * The fake sbrk hands out a static arena. What fresh memory (above the
 * break) holds is `fresh`: 0, as in Pagoda, where the allocator may take it
 * for zero without writing it. MALLOC-004 makes it a non-zero poison
 * instead: the allocator still takes it for zero, so every byte it did
 * write into fresh memory shows, and every block it handed out shows the
 * poison where it wrote nothing.
 */
#include "user/lib/malloc_private.h"

#include "check.h"
#include "fake_panic.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define KiB(n) ((size_t)(n) << 10)
#define MiB(n) ((size_t)(n) << 20)
#define ARENA MiB(64)
#define POISON 0xa5

static _Alignas(4096) unsigned char arena[ARENA];
static size_t brk_off, brk_limit;
static unsigned sbrk_calls;

void *pgm_sbrk(ptrdiff_t incr)
{
	size_t old = brk_off;
	if (incr < 0 ? (size_t)-incr > old : (size_t)incr > brk_limit - old) {
		errno = ENOMEM;
		return (void *)-1;
	}
	brk_off += (size_t)incr;
	sbrk_calls++;
	return arena + old;
}

void pgm_panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(panic_message, sizeof panic_message, fmt, ap);
	va_end(ap);
	if (panic_armed) {
		panic_armed = 0;
		longjmp(panic_jump, 1);
	}
	fprintf(stderr, "unexpected panic: %s\n", panic_message);
	abort();
}

/* A new, empty heap whose break starts `start` bytes into the arena, with
 * all fresh memory holding `fresh`. */
static void heap_reset(unsigned char fresh, size_t start)
{
	malloc_host_reset();
	memset(arena, fresh, ARENA);
	brk_off = start;
	brk_limit = ARENA;
	sbrk_calls = 0;
}

static bool reads(const void *p, unsigned char byte, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		if (b[i] != byte)
			return false;
	return true;
}

/* Block contents: never zero, different per tag and offset. */
static unsigned char pat(unsigned tag, size_t i)
{
	return (unsigned char)((tag * 31 + i * 7) | 1);
}

static void fill(void *p, size_t n, unsigned tag)
{
	for (size_t i = 0; i < n; i++)
		((unsigned char *)p)[i] = pat(tag, i);
}

static bool intact(const void *p, size_t n, unsigned tag)
{
	for (size_t i = 0; i < n; i++)
		if (((const unsigned char *)p)[i] != pat(tag, i))
			return false;
	return true;
}

static uint64_t rng;
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void t_align_zero(void)
{
	/* The break starts off 16-byte alignment: malloc aligns it itself. */
	heap_reset(0, 8);
	for (size_t n = 0; n < 2100; n += (n < 64 ? 1 : 13)) {
		unsigned char *p = pgm_malloc(n);
		CHECK(p);
		CHECK_EQ((uintptr_t)p % 16, 0);
		CHECK(reads(p, 0, n));
		CHECK(pgm_malloc_usable_size(p) >= n);
		fill(p, n, 1);
		if (n % 3)
			pgm_free(p);
	}
	size_t big[] = { KiB(64), MiB(1), MiB(3) + 5 };
	for (unsigned i = 0; i < 3; i++) {
		unsigned char *p = pgm_malloc(big[i]);
		CHECK(p && (uintptr_t)p % 16 == 0 && reads(p, 0, big[i]));
	}
	CHECK_EQ(malloc_census(NULL, 1), 0);
}

/* One live block of the workloads. */
struct blk {
	unsigned char *p;
	size_t n;
	unsigned tag;
};
#define LIVE 160

static size_t rnd_size(void)
{
	uint64_t r = rnd() % 100;
	if (r < 70)
		return rnd() % 512;
	if (r < 95)
		return rnd() % KiB(16);
	return rnd() % KiB(512);
}

/* ops random operations over LIVE slots; every new block and every added
 * byte must read zero, every block keep its pattern (so none overlap). */
static void workload(struct blk *b, unsigned ops, uint64_t seed)
{
	rng = seed;
	for (unsigned op = 0; op < ops; op++) {
		struct blk *s = &b[rnd() % LIVE];
		unsigned tag = op + 1;
		uint64_t what = rnd() % 10;
		if (s->p) {
			CHECK(intact(s->p, s->n, s->tag));
			if (what < 5) {
				pgm_free(s->p);
				s->p = NULL;
				continue;
			}
			size_t n = rnd_size() + 1;
			unsigned char *q = pgm_realloc(s->p, n);
			CHECK(q && (uintptr_t)q % 16 == 0);
			CHECK(intact(q, n < s->n ? n : s->n, s->tag));
			if (n > s->n)
				CHECK(reads(q + s->n, 0, n - s->n));
			s->p = q;
			s->n = n;
		} else {
			size_t n = rnd_size(), align = 16;
			if (what < 6) {
				s->p = pgm_malloc(n);
			} else if (what < 8) {
				s->p = pgm_calloc(n / 8 + 1, 8);
				n = (n / 8 + 1) * 8;
			} else {
				align = (size_t)1 << (4 + rnd() % 10);
				s->p = pgm_aligned_alloc(align, n);
			}
			CHECK(s->p && (uintptr_t)s->p % align == 0);
			CHECK(s->p > arena && s->p + n <= arena + brk_off);
			CHECK(reads(s->p, 0, n));
			s->n = n;
		}
		s->tag = tag;
		fill(s->p, s->n, tag);
		if (op % 64 == 0)
			CHECK_EQ(malloc_census(NULL, 1), 0);
	}
	for (unsigned i = 0; i < LIVE; i++)
		CHECK(!b[i].p || intact(b[i].p, b[i].n, b[i].tag));
	CHECK_EQ(malloc_census(NULL, 1), 0);
}

static void t_workload(void)
{
	static struct blk b[LIVE];
	heap_reset(0, 0);
	memset(b, 0, sizeof b);
	workload(b, 4000, 0x9e3779b97f4a7c15ULL);
}

static void t_calloc_reused(void)
{
	heap_reset(0, 0);
	size_t sizes[] = { 24, 1000, KiB(100) };
	for (unsigned i = 0; i < 3; i++) {
		unsigned char *p = pgm_malloc(sizes[i]);
		unsigned char *guard = pgm_malloc(1); /* keeps p off the top */
		CHECK(p && guard);
		memset(p, 0xff, pgm_malloc_usable_size(p));
		pgm_free(p);
		unsigned char *q = pgm_calloc(1, sizes[i]);
		CHECK(q == p); /* the same chunk, reused */
		CHECK(reads(q, 0, pgm_malloc_usable_size(q)));
		memset(q, 0xff, sizes[i]);
		pgm_free(q);
		q = pgm_malloc(sizes[i]); /* malloc too: its blocks read zero */
		CHECK(q == p && reads(q, 0, sizes[i]));
	}
	CHECK_EQ(malloc_census(NULL, 1), 0);
}

/* Bytes of the heap so far that are not the poison. */
static size_t written(void)
{
	size_t n = 0;
	for (size_t i = 0; i < brk_off; i++)
		n += arena[i] != POISON;
	return n;
}

static void t_fresh_untouched(void)
{
	heap_reset(POISON, 0);
	unsigned char *small = pgm_malloc(64);
	unsigned char *m = pgm_malloc(MiB(1));
	unsigned char *c = pgm_calloc(MiB(1) / 64, 64);
	unsigned char *a = pgm_aligned_alloc(4096, MiB(1));
	CHECK(small && m && c && a);
	CHECK(reads(small, POISON, 64));
	CHECK(reads(m, POISON, MiB(1)));
	CHECK(reads(c, POISON, MiB(1)));
	CHECK(reads(a, POISON, MiB(1)));
	/* Growing the last block into the top writes nothing of it either. */
	CHECK(pgm_realloc(a, MiB(2)) == a);
	CHECK(reads(a, POISON, MiB(2)));
	CHECK(brk_off >= MiB(4));
	/* Five heads, and the aligned block's gap as a free chunk. */
	CHECK(written() <= 128);
}

static void t_coalesce(void)
{
	enum { N = 300 };
	static unsigned char *p[N];
	size_t total = 0;

	heap_reset(0, 0);
	rng = 12345;
	for (unsigned i = 0; i < N; i++) {
		p[i] = pgm_malloc(rnd() % 3000);
		CHECK(p[i]);
		total += pgm_malloc_usable_size(p[i]) + 16;
	}
	/* Free the odd ones: holes between used chunks, none merging. */
	for (unsigned i = 1; i < N; i += 2)
		pgm_free(p[i]);
	struct malloc_census k;
	CHECK_EQ(malloc_census(&k, 1), 0);
	CHECK_EQ(k.free_chunks, N / 2 - 1); /* the last merged into the top */
	/* Then the even ones, in a shuffled order: everything merges. */
	for (unsigned i = 0; i < N; i += 2) {
		unsigned j = (unsigned)(rnd() % (N / 2)) * 2;
		unsigned char *t = p[i];
		p[i] = p[j];
		p[j] = t;
	}
	for (unsigned i = 0; i < N; i += 2)
		pgm_free(p[i]);
	CHECK_EQ(malloc_census(&k, 1), 0);
	CHECK_EQ(k.free_chunks, 0);
	CHECK_EQ(k.chunks, 0);
	CHECK_EQ(k.free_bytes, k.heap);
	size_t brk = brk_off;
	unsigned char *all = pgm_malloc(total - 16);
	CHECK(all && all == arena + 16);
	CHECK_EQ(brk_off, brk);
	/* Merging in the middle: three neighbours freed become one chunk. */
	pgm_free(all);
	unsigned char *x = pgm_malloc(5000), *y = pgm_malloc(7000), *z = pgm_malloc(9000);
	unsigned char *guard = pgm_malloc(10);
	CHECK(x && y && z && guard);
	pgm_free(x);
	pgm_free(z);
	pgm_free(y);
	CHECK_EQ(malloc_census(&k, 1), 0);
	CHECK_EQ(k.free_chunks, 1);
	unsigned char *xyz = pgm_malloc(5000 + 7000 + 9000 + 32);
	CHECK(xyz == x);
}

static void t_aligned(void)
{
	heap_reset(0, 0);
	unsigned char *x = pgm_malloc(100);
	unsigned char *a = pgm_aligned_alloc(4096, 10000);
	CHECK(x && a);
	CHECK_EQ((uintptr_t)a % 4096, 0);
	CHECK(reads(a, 0, 10000));
	/* The gap below a is a free chunk: a small block lands in it, without
	 * the break moving. */
	size_t brk = brk_off;
	struct malloc_census k;
	CHECK_EQ(malloc_census(&k, 1), 0);
	CHECK_EQ(k.free_chunks, 1);
	unsigned char *g = pgm_malloc(1000);
	CHECK(g > x && g + 1000 <= a);
	CHECK_EQ(brk_off, brk);
	/* Every power of two, from the top and from free chunks; the waste
	 * stays under one alignment plus a chunk. */
	for (size_t align = 1; align <= KiB(64); align <<= 1) {
		void *p = NULL;
		CHECK_EQ(pgm_posix_memalign(&p, align < 8 ? 8 : align, 3 * align), 0);
		CHECK_EQ((uintptr_t)p % align, 0);
		unsigned char *q = pgm_memalign(align, 100);
		CHECK(q && (uintptr_t)q % align == 0 && reads(q, 0, 100));
		size_t before = brk_off;
		unsigned char *r = pgm_aligned_alloc(align, 1);
		CHECK(r && (uintptr_t)r % align == 0);
		CHECK(brk_off - before <= align + 2 * 48 + 4096);
		pgm_free(p);
	}
	CHECK_EQ(malloc_census(NULL, 1), 0);
}

static void t_realloc(void)
{
	heap_reset(0, 0);
	unsigned char *p = pgm_malloc(100), *q = pgm_malloc(100), *guard = pgm_malloc(8);
	CHECK(p && q && guard);
	fill(p, 100, 7);
	pgm_free(q);
	/* Into the free chunk above. */
	unsigned char *p2 = pgm_realloc(p, 150);
	CHECK(p2 == p && intact(p, 100, 7) && reads(p + 100, 0, 50));
	/* Into the top, past the break. */
	unsigned char *t = pgm_malloc(5000); /* too big for the hole: the top's */
	CHECK(t);
	fill(t, 5000, 9);
	size_t brk = brk_off;
	CHECK(pgm_realloc(t, KiB(300)) == t);
	CHECK(intact(t, 5000, 9) && reads(t + 5000, 0, KiB(300) - 5000));
	CHECK(brk_off > brk);
	/* Shrinks in place; what it cut reads zero if it grows back. */
	fill(t, KiB(300), 10);
	CHECK(pgm_realloc(t, 40) == t && intact(t, 40, 10));
	CHECK(pgm_realloc(t, 60) == t && intact(t, 40, 10) && reads(t + 40, 0, 20));
	/* Moves when boxed in: contents kept, the old chunk freed. */
	fill(p, 150, 11);
	unsigned char *m = pgm_realloc(p, KiB(20));
	CHECK(m && m != p && intact(m, 150, 11) && reads(m + 150, 0, KiB(20) - 150));
	CHECK_EQ(malloc_census(NULL, 1), 0);
	CHECK(pgm_realloc(NULL, 10) != NULL);
	errno = 0;
	CHECK(pgm_realloc(m, 0) == NULL);
	CHECK_EQ(malloc_census(NULL, 1), 0);
}

static void t_errors(void)
{
	heap_reset(0, 0);
	errno = 0;
	CHECK(pgm_calloc(SIZE_MAX / 2, 3) == NULL && errno == ENOMEM);
	errno = 0;
	CHECK(pgm_calloc((size_t)1 << 32, (size_t)1 << 32) == NULL && errno == ENOMEM);
	errno = 0;
	CHECK(pgm_malloc(SIZE_MAX) == NULL && errno == ENOMEM);
	errno = 0;
	CHECK(pgm_malloc(SIZE_MAX - 8) == NULL && errno == ENOMEM);
	unsigned char *p = pgm_malloc(32);
	CHECK(p);
	fill(p, 32, 3);
	errno = 0;
	CHECK(pgm_realloc(p, SIZE_MAX - 15) == NULL && errno == ENOMEM && intact(p, 32, 3));
	errno = 0;
	CHECK(pgm_aligned_alloc(3, 10) == NULL && errno == EINVAL);
	CHECK(pgm_memalign(0, 10) == NULL && errno == EINVAL);
	void *out = &out;
	CHECK_EQ(pgm_posix_memalign(&out, 4, 10), EINVAL);
	CHECK_EQ(pgm_posix_memalign(&out, 24, 10), EINVAL);
	CHECK(out == &out);
	/* The break will not move: NULL and ENOMEM, the heap still whole. */
	brk_limit = brk_off;
	errno = 0;
	CHECK(pgm_malloc(MiB(1)) == NULL && errno == ENOMEM);
	CHECK(pgm_realloc(p, MiB(1)) == NULL && intact(p, 32, 3));
	CHECK_EQ(pgm_posix_memalign(&out, 4096, MiB(1)), ENOMEM);
	CHECK_EQ(malloc_census(NULL, 1), 0);
	/* free(NULL) does nothing; malloc(0) is a unique block. */
	pgm_free(NULL);
	brk_limit = ARENA;
	void *z1 = pgm_malloc(0), *z2 = pgm_malloc(0);
	CHECK(z1 && z2 && z1 != z2);
	pgm_free(z1);
	pgm_free(z2);
	CHECK_EQ(malloc_census(NULL, 1), 0);
}

/* Runs stmt, which must panic with a message containing needle. */
#define CHECK_PANICS(stmt, needle)                                     \
	do {                                                           \
		panic_message[0] = '\0';                               \
		if (EXPECT_PANIC()) {                                  \
			stmt;                                          \
			panic_armed = 0;                               \
			CHECK(!"expected a panic from: " #stmt);       \
		}                                                      \
		CHECK(strstr(panic_message, "malloc: ") == panic_message); \
		CHECK(strstr(panic_message, needle));                  \
	} while (0)

static void t_misuse(void)
{
	heap_reset(0, 0);
	unsigned char *p = pgm_malloc(100), *q = pgm_malloc(200), *r = pgm_malloc(300);
	unsigned char *guard = pgm_malloc(1);
	long local;
	CHECK(p && q && r && guard);
	pgm_free(q);
	CHECK_PANICS(pgm_free(q), "already freed");
	CHECK_PANICS(pgm_realloc(q, 10), "already freed");
	/* r merges into the free chunk below it; its head still says freed. */
	pgm_free(r);
	CHECK_PANICS(pgm_free(r), "already freed");
	CHECK_PANICS(pgm_free(p + 32), "not a block from malloc");
	CHECK_PANICS(pgm_free(p + 8), "not a pointer into the heap");
	CHECK_PANICS(pgm_free(&local), "not a pointer into the heap");
	CHECK_PANICS(pgm_malloc_usable_size(arena + brk_off - 16), "not a pointer into the heap");
	/* None of that changed the heap. */
	CHECK_EQ(malloc_census(NULL, 1), 0);
	pgm_free(p);
	pgm_free(guard);
	struct malloc_census k;
	CHECK_EQ(malloc_census(&k, 1), 0);
	CHECK_EQ(k.free_bytes, k.heap);
}

static void t_no_leak(void)
{
	static struct blk b[LIVE];
	heap_reset(0, 0);
	memset(b, 0, sizeof b);
	workload(b, 3000, 42);
	if (check_failing())
		return;
	for (unsigned i = 0; i < LIVE; i++)
		pgm_free(b[i].p);
	struct malloc_census k;
	CHECK_EQ(malloc_census(&k, 1), 0);
	CHECK_EQ(k.chunks, 0);
	CHECK_EQ(k.used_bytes, 0);
	CHECK_EQ(k.free_chunks, 0);
	CHECK_EQ(k.free_bytes, k.heap);
	CHECK_EQ(k.top, k.heap);
}

static void t_census_catches(void)
{
	/* The census must be able to fail: a heap with a trampled head, and
	 * a free chunk claimed zero that is not. */
	heap_reset(0, 0);
	unsigned char *p = pgm_malloc(100), *q = pgm_malloc(5000), *guard = pgm_malloc(1);
	CHECK(p && q && guard);
	CHECK_EQ(malloc_census(NULL, 1), 0);
	size_t saved;
	memcpy(&saved, p - 8, sizeof saved);
	memset(p - 8, 0x55, 8);
	CHECK_EQ(malloc_census(NULL, 0), -1);
	memcpy(p - 8, &saved, sizeof saved);
	/* The top is zero from where it starts: write into it. */
	arena[brk_off - 1] = 1;
	CHECK_EQ(malloc_census(NULL, 0), 0);
	CHECK_EQ(malloc_census(NULL, 1), -1);
}

int main(void)
{
	run_test("MALLOC-001", "every block is 16-aligned and reads zero, even from a misaligned break", t_align_zero);
	run_test("MALLOC-002", "4000 random malloc/calloc/aligned_alloc/realloc/free: no overlap, added bytes zero, heap consistent", t_workload);
	run_test("MALLOC-003", "a reused chunk is zeroed: calloc and malloc after free read zero", t_calloc_reused);
	run_test("MALLOC-004", "fresh memory is never written: malloc, calloc, aligned_alloc, realloc into the top write only heads", t_fresh_untouched);
	run_test("MALLOC-005", "free coalesces: all freed is one top the size of the heap; neighbours merge", t_coalesce);
	run_test("MALLOC-006", "aligned_alloc/memalign/posix_memalign align to any power of two; the gap is reused", t_aligned);
	run_test("MALLOC-007", "realloc keeps contents, grows into a free chunk or the top in place, shrinks in place, moves", t_realloc);
	run_test("MALLOC-008", "overflow, huge sizes, bad alignments, a stuck break: NULL with ENOMEM/EINVAL; malloc(0), free(NULL)", t_errors);
	run_test("MALLOC-009", "double free, interior and foreign pointers panic with one line, heap untouched", t_misuse);
	run_test("MALLOC-010", "after a workload and freeing everything, the free space is the whole heap (no lost chunk)", t_no_leak);
	run_test("MALLOC-011", "the census itself fails on a trampled head and on a dirty byte claimed zero", t_census_catches);
	return test_summary();
}
