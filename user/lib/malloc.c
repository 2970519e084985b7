/*
 * malloc for Pagoda programs, in place of picolibc's (libpagoda is linked
 * whole, before -lc, so no libc malloc member is pulled in).
 *
 * Why: memory fresh from sbrk is always zero in Pagoda (a paged heap is
 * zero-filled by its pager on first touch, an unpaged one mapped from
 * frames the kernel zeroes), yet picolibc's malloc memsets every block, so
 * malloc(64 MiB) on a paged heap faulted in, dirtied and, under pressure,
 * swapped out and back 64 MiB of zeros. This one knows which parts of the
 * heap are still zero and writes only chunk heads there: a block carved
 * from fresh memory costs a 16-byte head however big it is (an aligned one
 * also a free chunk's fields in the gap below it).
 *
 * The contract, beyond C11's:
 * - Every byte of a block that the caller has not written reads zero, as
 *   with picolibc (code may rely on it): fresh memory is zero for free, a
 *   reused chunk is zeroed as it is handed out (cheap: usually resident).
 *   So calloc is malloc with an overflow check; bytes realloc adds read 0.
 * - malloc's blocks are 16-byte aligned (lp64's max_align_t); memalign,
 *   aligned_alloc and posix_memalign take any power of two.
 * - malloc(0) is a unique block (usable size 32); realloc(p, 0) frees p
 *   and returns NULL.
 * - Failure: NULL with errno ENOMEM (EINVAL: alignment not a power of two).
 * - free and realloc check the block's head: a double free, a pointer into
 *   a block or one malloc never returned ends the program with one line via
 *   pg_panic instead of corrupting the heap (cheap checks: not all misuse).
 * - Single-threaded, like the runtime: no locks. A thread made with
 *   thread_start must not call any of these.
 * - malloc owns the break: nothing else may call sbrk (malloc panics if it
 *   moved). The heap never shrinks (Pagoda's sbrk keeps the pages anyway).
 * - No mallinfo, malloc_stats, mallopt or cfree: using one pulls picolibc's
 *   malloc in, and the link fails on duplicate symbols, as it should.
 */
#include <errno.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "malloc_private.h"

/* tests/host/malloc_test.c builds this file under other names: see
 * malloc_private.h. */
#ifdef MALLOC_HOST_TEST
#define malloc pgm_malloc
#define free pgm_free
#define calloc pgm_calloc
#define realloc pgm_realloc
#define aligned_alloc pgm_aligned_alloc
#define memalign pgm_memalign
#define posix_memalign pgm_posix_memalign
#define malloc_usable_size pgm_malloc_usable_size
#define sbrk pgm_sbrk
#define pg_panic pgm_panic
#else
#include <pagoda/runtime.h>
#endif

/*
 * The heap, from heap_start to the break, is a row of chunks and then the
 * top. A chunk is 16-aligned, a multiple of 16 bytes long, at least
 * MIN_CHUNK:
 *
 *   c+0   prev_size   the size of the chunk below; valid only when this
 *                     chunk's PREV_FREE is set (it is that free chunk's footer)
 *   c+8   head        tag << 48 | size | PREV_FREE
 *   c+16  in use:     the caller's block (so it is 16-aligned) up to c+size
 *         free:       next, prev (its bin's list), clean
 *   c+size            the next chunk's prev_size
 *
 * tag is TAG_USED or TAG_FREE (free checks it). A free chunk's clean is the
 * address from which every byte up to its end is zero; it is at least
 * c + META, since the chunk's own fields are not. Free chunks never touch
 * each other or the top: free merges them.
 *
 * The top, [top, top_end), is the part never handed out or given back at
 * the end. It has no header, so carving a chunk from it writes just that
 * chunk's head; [top_clean, top_end) is zero, and sbrk extends it with
 * more zeros.
 */
struct chunk {
	size_t prev_size;
	size_t head;
	struct chunk *next, *prev; /* free chunks only */
	uintptr_t clean;            /* free chunks only */
};

#define ALIGN 16UL
#define HDR 16UL       /* prev_size and head: a block starts HDR into its chunk */
#define META 40UL      /* a free chunk's fields, which are never zero */
#define MIN_CHUNK 48UL /* room for META, rounded to ALIGN */
#define TAG_SHIFT 48
#define TAG_USED 0xa110UL
#define TAG_FREE 0xf4eeUL
#define PREV_FREE 1UL
#define SIZE_MASK (((1UL << TAG_SHIFT) - 1) & ~(ALIGN - 1))
/* More than Sv39's user half: larger requests (and alignments) fail before
 * any of the arithmetic below could overflow or reach the tag. */
#define MAX_REQUEST (1UL << 40)
#define GROW_UNIT 4096UL /* sbrk maps whole pages anyway */

/* Segregated free lists: one bin per size up to SMALL_MAX (16 apart), then
 * one per power of two (2^10 < size < 2^11 in the first, up to 2^48). */
#define SMALL_MAX 1024UL
#define NSMALL (SMALL_MAX / ALIGN - MIN_CHUNK / ALIGN + 1)
#define NBINS (NSMALL + TAG_SHIFT - 10)

static struct chunk *bins[NBINS];
static uint64_t binmap[(NBINS + 63) / 64]; /* bit b: bins[b] is not empty */
static uintptr_t heap_start;               /* 0 until the first allocation */
static uintptr_t top, top_end, top_clean;

static inline struct chunk *at(uintptr_t a)
{
	return (struct chunk *)a;
}

static inline size_t csize(const struct chunk *c)
{
	return c->head & SIZE_MASK;
}

static inline size_t ctag(const struct chunk *c)
{
	return c->head >> TAG_SHIFT;
}

static inline uintptr_t clamp(uintptr_t x, uintptr_t lo, uintptr_t hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

/* Zeroes [from, to) except what is known zero already: [clean, to). */
static void zero_below(uintptr_t from, uintptr_t clean, uintptr_t to)
{
	uintptr_t end = clamp(clean, from, to);
	if (end > from)
		memset((void *)from, 0, end - from);
}

static unsigned bin_of(size_t size)
{
	if (size <= SMALL_MAX)
		return (unsigned)(size / ALIGN - MIN_CHUNK / ALIGN);
	return (unsigned)(NSMALL + (63 - __builtin_clzl(size)) - 10);
}

static void bin_insert(struct chunk *c)
{
	unsigned b = bin_of(csize(c));
	c->prev = NULL;
	c->next = bins[b];
	if (c->next)
		c->next->prev = c;
	bins[b] = c;
	binmap[b / 64] |= 1ULL << (b % 64);
}

static void bin_remove(struct chunk *c)
{
	unsigned b = bin_of(csize(c));
	if (c->prev)
		c->prev->next = c->next;
	else
		bins[b] = c->next;
	if (c->next)
		c->next->prev = c->prev;
	if (!bins[b])
		binmap[b / 64] &= ~(1ULL << (b % 64));
}

/* The first non-empty bin from b on, or NBINS. */
static unsigned next_bin(unsigned b)
{
	for (; b < NBINS; b = (b | 63) + 1) {
		uint64_t m = binmap[b / 64] >> (b % 64);
		if (m)
			return b + (unsigned)__builtin_ctzll(m);
	}
	return NBINS;
}

/* Takes out of its bin a free chunk of at least `want` bytes: the best fit
 * in want's own bin, else the first of the next non-empty bin (all of
 * whose chunks fit). NULL if there is none. */
static struct chunk *bin_take(size_t want)
{
	unsigned b = bin_of(want);
	struct chunk *best = NULL;

	for (struct chunk *c = bins[b]; c; c = c->next)
		if (csize(c) >= want && (!best || csize(c) < csize(best))) {
			best = c;
			if (csize(c) == want)
				break;
		}
	if (!best && (b = next_bin(b + 1)) < NBINS)
		best = bins[b];
	if (best)
		bin_remove(best);
	return best;
}

/*
 * The clean mark of two runs merged: the lower one's mark, if the upper
 * run (at `upper`, marked upper_clean) is zero but for a free chunk's
 * fields at its start, which are zeroed (they are resident: they were just
 * written); otherwise the upper's mark.
 */
static uintptr_t absorb(uintptr_t lower_clean, uintptr_t upper, uintptr_t upper_clean)
{
	if (upper_clean - upper > META)
		return upper_clean;
	memset((void *)upper, 0, upper_clean - upper);
	return lower_clean;
}

/*
 * Makes [c, c + size) free, merging it with a free chunk below and a free
 * chunk or the top above. Its head must be written (PREV_FREE right); its
 * bytes from `clean` on are zero.
 */
static void release(uintptr_t c, size_t size, uintptr_t clean)
{
	if (at(c)->head & PREV_FREE) {
		uintptr_t lower = c - at(c)->prev_size;
		bin_remove(at(lower));
		clean = absorb(at(lower)->clean, c, clean);
		size += c - lower;
		c = lower;
	}
	uintptr_t next = c + size;
	if (next == top) {
		top_clean = absorb(clean, top, top_clean);
		top = c;
		return;
	}
	if (ctag(at(next)) == TAG_FREE) {
		bin_remove(at(next));
		size += csize(at(next));
		clean = absorb(clean, next, at(next)->clean);
		next = c + size;
	}
	at(c)->head = TAG_FREE << TAG_SHIFT | size; /* below it is in use: it would have merged */
	at(c)->clean = clean;
	at(next)->prev_size = size;
	at(next)->head |= PREV_FREE;
	bin_insert(at(c));
}

/* Frees [c, end), a spare piece of a chunk being handed out or shrunk. */
static void split_off(uintptr_t c, uintptr_t end, uintptr_t clean)
{
	at(c)->head = TAG_USED << TAG_SHIFT | (end - c); /* below it is the block: in use */
	release(c, end - c, clamp(clean, c + META, end));
}

static _Noreturn void bad_pointer(const char *fn, void *ptr, const char *why)
{
	pg_panic("malloc: %s(%p): %s", fn, ptr, why);
}

/* The chunk of block ptr, which `fn` was given; panics unless it is one. */
static struct chunk *chunk_of(const char *fn, void *ptr)
{
	uintptr_t p = (uintptr_t)ptr;
	if ((p & (ALIGN - 1)) || p < heap_start + HDR || p >= top)
		bad_pointer(fn, ptr, "not a pointer into the heap");
	struct chunk *c = at(p - HDR);
	if (ctag(c) == TAG_FREE)
		bad_pointer(fn, ptr, "already freed");
	if (ctag(c) != TAG_USED || csize(c) < MIN_CHUNK || csize(c) > top - (p - HDR))
		bad_pointer(fn, ptr, "not a block from malloc (or the heap is corrupt)");
	return c;
}

static bool heap_init(void)
{
	uintptr_t brk = (uintptr_t)sbrk(0);
	uintptr_t pad = -brk & (ALIGN - 1);
	if (brk == (uintptr_t)-1 || (pad && sbrk((ptrdiff_t)pad) == (void *)-1)) {
		errno = ENOMEM;
		return false;
	}
	heap_start = top = top_end = top_clean = brk + pad;
	return true;
}

/* Grows the top, if need be, to at least `bytes` (the new part is zero). */
static bool top_reserve(size_t bytes)
{
	if (top_end - top >= bytes)
		return true;
	size_t incr = (bytes - (top_end - top) + GROW_UNIT - 1) & ~(GROW_UNIT - 1);
	void *old = sbrk((ptrdiff_t)incr);
	if (old == (void *)-1) {
		errno = ENOMEM;
		return false;
	}
	if ((uintptr_t)old != top_end)
		pg_panic("malloc: the break moved under the heap (sbrk used outside malloc)");
	top_end += incr;
	return true;
}

/* The chunk size for a block of n bytes (n <= MAX_REQUEST). */
static size_t chunk_size(size_t n)
{
	size_t need = (n + HDR + ALIGN - 1) & ~(ALIGN - 1);
	return need < MIN_CHUNK ? MIN_CHUNK : need;
}

/* Where, in a free run starting at c, a chunk goes for its block to be
 * align-aligned: at c, or far enough up that the gap can be a free chunk. */
static uintptr_t place(uintptr_t c, size_t align)
{
	uintptr_t p = (c + HDR + align - 1) & ~(align - 1);
	if (p - HDR != c && p - HDR - c < MIN_CHUNK)
		p += align;
	return p - HDR;
}

/*
 * Hands out a chunk of `need` bytes whose block is align-aligned, from the
 * free run [c, end): a chunk already out of its bin, or the top (c == top,
 * end == top_end) when that is big enough. Bytes of the run from `clean`
 * on are zero. The gap below the chunk and the rest above it are freed;
 * the block is zeroed only below `clean`.
 */
static void *carve(uintptr_t c, uintptr_t end, uintptr_t clean, size_t need, size_t align)
{
	bool from_top = c == top;
	uintptr_t a = place(c, align), a_end = a + need;

	if (!from_top && end - a_end < MIN_CHUNK)
		a_end = end; /* too little left for a chunk: the block keeps it */
	at(a)->head = TAG_USED << TAG_SHIFT | (a_end - a);
	if (from_top) {
		top = a_end;
		if (top_clean < top)
			top_clean = top;
	} else if (a_end < end) {
		split_off(a_end, end, clean);
	} else {
		at(end)->head &= ~PREV_FREE;
	}
	if (a > c)
		split_off(c, a, clean);
	zero_below(a + HDR, clean, a_end);
	return (void *)(a + HDR);
}

static void *alloc(size_t n, size_t align)
{
	if (n > MAX_REQUEST || align > MAX_REQUEST) {
		errno = ENOMEM;
		return NULL;
	}
	size_t need = chunk_size(n);
	/* Any free chunk this big has room for the gap place() may leave. */
	struct chunk *c = bin_take(align > ALIGN ? need + align + MIN_CHUNK : need);
	if (c)
		return carve((uintptr_t)c, (uintptr_t)c + csize(c), c->clean, need, align);
	if ((!heap_start && !heap_init()) || !top_reserve(place(top, align) + need - top))
		return NULL;
	return carve(top, top_end, top_clean, need, align);
}

/*
 * Extends block c (chunk size s) to chunk size need in place, into the
 * free chunk or the top above it; false if neither has room. The added
 * bytes read zero; any spare end is freed.
 */
static bool grow_in_place(struct chunk *c, size_t s, size_t need)
{
	uintptr_t a = (uintptr_t)c, next = a + s, clean;

	if (next == top) {
		if (!top_reserve(need - s))
			return false;
		clean = top_clean;
		top = a + need;
		if (top_clean < top)
			top_clean = top;
	} else if (ctag(at(next)) == TAG_FREE && s + csize(at(next)) >= need) {
		uintptr_t end = next + csize(at(next));
		clean = at(next)->clean;
		bin_remove(at(next));
		if (end - (a + need) < MIN_CHUNK)
			need = end - a;
		if (a + need < end)
			split_off(a + need, end, clean);
		else
			at(end)->head &= ~PREV_FREE;
	} else {
		return false;
	}
	c->head = (c->head & ~SIZE_MASK) | need;
	zero_below(next, clean, a + need);
	return true;
}

/* malloc: a block of at least size bytes, 16-aligned, reading zero; the
 * caller owns it until free or realloc. NULL with errno ENOMEM. */
void *malloc(size_t size)
{
	return alloc(size, ALIGN);
}

/* free: gives back a block from malloc and friends; NULL is a no-op.
 * Panics (one line) on a pointer that is not a live block. */
void free(void *ptr)
{
	if (!ptr)
		return;
	struct chunk *c = chunk_of("free", ptr);
	size_t s = csize(c);
	/* Tagged free even if it merges into the chunk below, so a second
	 * free of it is still caught. */
	c->head = TAG_FREE << TAG_SHIFT | s | (c->head & PREV_FREE);
	release((uintptr_t)c, s, (uintptr_t)c + s);
}

/* calloc: nmemb * size bytes reading zero, as malloc's are; NULL with
 * ENOMEM if the product overflows. Writes nothing to fresh memory. */
void *calloc(size_t nmemb, size_t size)
{
	size_t n;
	if (__builtin_mul_overflow(nmemb, size, &n)) {
		errno = ENOMEM;
		return NULL;
	}
	return alloc(n, ALIGN);
}

/*
 * realloc: resizes block ptr to size bytes, keeping its contents up to
 * the smaller size; the bytes added read zero. Shrinks in place, grows in
 * place into a free chunk or the top above it, else moves (malloc, copy,
 * free). realloc(NULL, n) is malloc(n); realloc(p, 0) frees p and returns
 * NULL. On failure NULL with ENOMEM, and ptr is untouched and still owned
 * by the caller.
 */
void *realloc(void *ptr, size_t size)
{
	if (!ptr)
		return malloc(size);
	if (size == 0) {
		free(ptr);
		return NULL;
	}
	struct chunk *c = chunk_of("realloc", ptr);
	if (size > MAX_REQUEST) {
		errno = ENOMEM;
		return NULL;
	}
	uintptr_t a = (uintptr_t)c, p = (uintptr_t)ptr;
	size_t s = csize(c), need = chunk_size(size);

	if (need <= s) {
		if (s - need >= MIN_CHUNK) {
			c->head = (c->head & ~SIZE_MASK) | need;
			split_off(a + need, a + s, a + s);
			s = need;
		}
		/* Under 64 bytes: the block's tail reads zero if it grows back. */
		zero_below(p + size, a + s, a + s);
		return ptr;
	}
	if (grow_in_place(c, s, need))
		return ptr;
	void *q = malloc(size);
	if (q) {
		memcpy(q, ptr, s - HDR);
		free(ptr);
	}
	return q;
}

/* memalign: like malloc, the block aligned to align (a power of two; else
 * NULL with EINVAL). The gap below the block (under align + 48 bytes) is
 * split off as a free chunk, so it is not wasted. */
void *memalign(size_t align, size_t size)
{
	if (align == 0 || (align & (align - 1))) {
		errno = EINVAL;
		return NULL;
	}
	return alloc(size, align < ALIGN ? ALIGN : align);
}

/* aligned_alloc: C11's; memalign (any power of two, any size). */
void *aligned_alloc(size_t align, size_t size)
{
	return memalign(align, size);
}

/* posix_memalign: memalign's block in *out and 0, else EINVAL (align not
 * a power of two times sizeof(void *)) or ENOMEM, *out untouched. */
int posix_memalign(void **out, size_t align, size_t size)
{
	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	void *p = memalign(align, size);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

/* malloc_usable_size: the bytes block ptr may use (at least what was
 * asked); 0 for NULL. */
size_t malloc_usable_size(void *ptr)
{
	return ptr ? csize(chunk_of("malloc_usable_size", ptr)) - HDR : 0;
}

static bool all_zero(uintptr_t from, uintptr_t to)
{
	for (; from < to; from++)
		if (*(const unsigned char *)from)
			return false;
	return true;
}

/* malloc_census: see malloc_private.h. */
int malloc_census(struct malloc_census *out, int verify_zero)
{
	struct malloc_census k = { 0 };
	size_t below = 0, binned = 0; /* below: the last chunk's size if it is free */
	uintptr_t a;

	for (a = heap_start; a < top; a += csize(at(a))) {
		const struct chunk *c = at(a);
		size_t s = csize(c);
		if (s < MIN_CHUNK || s > top - a || !(c->head & PREV_FREE) != !below ||
		    (below && c->prev_size != below))
			return -1;
		below = 0;
		if (ctag(c) == TAG_USED) {
			k.used_bytes += s;
			k.chunks++;
		} else if (ctag(c) == TAG_FREE && a + s != top && c->clean >= a + META &&
			   c->clean <= a + s && (!verify_zero || all_zero(c->clean, a + s))) {
			k.free_bytes += s;
			k.free_chunks++;
			below = s;
		} else {
			return -1;
		}
	}
	if (a != top || top_clean < top || top_clean > top_end ||
	    (verify_zero && !all_zero(top_clean, top_end)))
		return -1;
	for (unsigned b = 0; b < NBINS; b++) {
		if (!bins[b] != !(binmap[b / 64] & (1ULL << (b % 64))))
			return -1;
		for (const struct chunk *c = bins[b], *prev = NULL; c; prev = c, c = c->next) {
			uintptr_t ca = (uintptr_t)c;
			if (ca < heap_start || ca >= top || ctag(c) != TAG_FREE ||
			    bin_of(csize(c)) != b || c->prev != prev || ++binned > k.free_chunks)
				return -1;
		}
	}
	if (binned != k.free_chunks)
		return -1;
	k.heap = top_end - heap_start;
	k.top = top_end - top;
	k.free_bytes += k.top;
	if (out)
		*out = k;
	return 0;
}

#ifdef MALLOC_HOST_TEST
void malloc_host_reset(void)
{
	memset(bins, 0, sizeof bins);
	memset(binmap, 0, sizeof binmap);
	heap_start = top = top_end = top_clean = 0;
}
#endif
