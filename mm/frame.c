/*
 * Physical frame allocator: binary buddy allocator (contract in mm/frame.h).
 *
 * State per frame lives in meta[], one byte per 4 KiB frame of the span
 * [span_base, span_end) that covers every usable range, holes included.
 * Only the head frame of a block carries its order; the other frames of a
 * block say META_INSIDE. Holes between ranges and the metadata array's own
 * frames say META_NOT_RAM, so a buddy there never looks free and blocks can
 * never be merged across memory that is not ours.
 */
#include "mm/frame.h"

#include "kernel/panic.h"
#include "kernel/types.h"
#include "mm/memwatch.h"

#include <arch/kva.h>
#include <pagoda/errno.h>

#define META_NOT_RAM 0x00 /* hole between ranges, or the metadata itself */
#define META_INSIDE 0x01  /* a non-head frame of some block (free or not) */
#define META_FREE 0x40    /* | order: head of a free block */
#define META_ALLOC 0x80   /* | order: head of an allocated block */
#define META_ORDER_MASK 0x1f

_Static_assert(FRAME_MAX_ORDER <= META_ORDER_MASK, "order must fit the metadata byte");

/* Stored in the first bytes of every free block's head frame. */
struct free_node {
	struct free_node *next;
	struct free_node *prev;
};

static struct free_node *free_lists[FRAME_MAX_ORDER + 1];
static uint8_t *meta;         /* NULL until a successful frame_init */
static paddr_t span_base;     /* pa of meta[0] */
static paddr_t span_end;      /* first pa past the last usable range */
static struct phys_range meta_range;
static size_t free_frames;
static size_t total_frames;
static size_t watch_fire_below; /* mm/memwatch.h; 0 = off */
static size_t watch_rearm_at;   /* mm/memwatch.h; 0 = off */

static inline paddr_t block_size(unsigned order)
{
	return (paddr_t)PAGE_SIZE << order;
}

static inline size_t meta_index(paddr_t pa)
{
	return (size_t)((pa - span_base) >> PAGE_SHIFT);
}

static void list_push(paddr_t pa, unsigned order)
{
	struct free_node *node = pa_to_kva(pa);

	node->prev = NULL;
	node->next = free_lists[order];
	if (node->next)
		node->next->prev = node;
	free_lists[order] = node;
	meta[meta_index(pa)] = (uint8_t)(META_FREE | order);
}

/* O(1) thanks to the back links: merging must pull a buddy out of the
 * middle of its list. The caller rewrites the head's metadata byte. */
static void list_remove(paddr_t pa, unsigned order)
{
	struct free_node *node = pa_to_kva(pa);

	if (node->prev)
		node->prev->next = node->next;
	else
		free_lists[order] = node->next;
	if (node->next)
		node->next->prev = node->prev;
}

static void fill(uint8_t *dst, uint8_t value, size_t len)
{
	for (size_t i = 0; i < len; i++)
		dst[i] = value;
}

/*
 * Hands [base, end) to the free lists as maximal naturally aligned blocks:
 * at each step the largest order that both the address's alignment and the
 * remaining length allow. Blocks therefore never leave the range.
 */
static void add_free_range(paddr_t base, paddr_t end)
{
	fill(meta + meta_index(base), META_INSIDE, meta_index(end) - meta_index(base));
	while (base < end) {
		unsigned order = 0;

		while (order < FRAME_MAX_ORDER && IS_ALIGNED(base, block_size(order + 1)) &&
		       end - base >= block_size(order + 1))
			order++;
		list_push(base, order);
		free_frames += (size_t)1 << order;
		base += block_size(order);
	}
}

/*
 * Re-initialisation wipes everything (used by host tests); a failed init
 * leaves an empty allocator, so frame_alloc returns PADDR_NONE and any
 * frame_free panics instead of touching stale state.
 */
int frame_init(const struct phys_range *usable, unsigned n)
{
	for (unsigned o = 0; o <= FRAME_MAX_ORDER; o++)
		free_lists[o] = NULL;
	meta = NULL;
	span_base = span_end = 0;
	meta_range = (struct phys_range){ 0, 0 };
	free_frames = total_frames = 0;
	watch_fire_below = watch_rearm_at = 0;

	/* Validate all input before touching any RAM. */
	for (unsigned i = 0; i < n; i++) {
		if (!IS_ALIGNED(usable[i].base, PAGE_SIZE) || !IS_ALIGNED(usable[i].end, PAGE_SIZE) ||
		    usable[i].base >= usable[i].end)
			return -ERR_INVAL;
		if (i > 0 && usable[i].base < usable[i - 1].end)
			return -ERR_INVAL; /* unsorted or overlapping */
	}
	if (n == 0)
		return -ERR_NOMEM;

	paddr_t first = usable[0].base, last = usable[n - 1].end;
	size_t nframes = (size_t)((last - first) >> PAGE_SHIFT);
	paddr_t meta_bytes = ALIGN_UP((paddr_t)nframes, PAGE_SIZE);
	unsigned home = 0;

	/* The array must be physically contiguous, so it needs one range that
	 * holds it whole; the first fit keeps it low and predictable. */
	while (home < n && usable[home].end - usable[home].base < meta_bytes)
		home++;
	if (home == n)
		return -ERR_NOMEM;

	span_base = first;
	span_end = last;
	meta_range.base = usable[home].base;
	meta_range.end = usable[home].base + meta_bytes;
	meta = pa_to_kva(meta_range.base);
	fill(meta, META_NOT_RAM, nframes); /* holes and metadata stay so */

	for (unsigned i = 0; i < n; i++) {
		paddr_t base = i == home ? meta_range.end : usable[i].base;

		if (base < usable[i].end)
			add_free_range(base, usable[i].end);
	}
	total_frames = free_frames;
	return 0;
}

paddr_t frame_alloc_order(unsigned order)
{
	unsigned o = order;

	if (order > FRAME_MAX_ORDER)
		return PADDR_NONE;
	while (o <= FRAME_MAX_ORDER && !free_lists[o])
		o++;
	if (o > FRAME_MAX_ORDER)
		return PADDR_NONE;

	paddr_t pa = kva_to_pa(free_lists[o]);

	list_remove(pa, o);
	/* Split: keep the low half, give the high half back, until small
	 * enough. The high half's head is currently META_INSIDE; list_push
	 * turns it into a free head. */
	while (o > order) {
		o--;
		list_push(pa + block_size(o), o);
	}
	meta[meta_index(pa)] = (uint8_t)(META_ALLOC | order);
	free_frames -= (size_t)1 << order;
	if (free_frames < watch_fire_below)
		mem_watch_fire();
	return pa;
}

paddr_t frame_alloc(void)
{
	return frame_alloc_order(0);
}

paddr_t frame_alloc_zeroed(void)
{
	paddr_t pa = frame_alloc_order(0);

	if (pa != PADDR_NONE) {
		/* Word stores: the frame is page aligned, so this is safe and
		 * eight times fewer stores than a byte loop. */
		uint64_t *p = pa_to_kva(pa);

		for (size_t i = 0; i < PAGE_SIZE / sizeof(uint64_t); i++)
			p[i] = 0;
	}
	return pa;
}

void frame_free(paddr_t pa)
{
	unsigned long long a = (unsigned long long)pa;

	/* Every check is a kernel bug caught early: a bad free corrupts the
	 * free lists silently, much later, somewhere else. */
	if (!IS_ALIGNED(pa, PAGE_SIZE))
		panic("frame_free: 0x%llx is not page aligned", a);
	if (!meta || pa < span_base || pa >= span_end)
		panic("frame_free: 0x%llx is outside managed RAM", a);

	uint8_t m = meta[meta_index(pa)];

	if (m == META_NOT_RAM)
		panic("frame_free: 0x%llx is not managed RAM (hole or allocator metadata)", a);
	if (m & META_FREE)
		panic("frame_free: double free of 0x%llx", a);
	if (m == META_INSIDE)
		panic("frame_free: 0x%llx is inside a block, not the head of an allocation", a);

	unsigned order = m & META_ORDER_MASK;

	free_frames += (size_t)1 << order;
	meta[meta_index(pa)] = META_INSIDE; /* list_push below sets the head */

	/* Merge with the buddy while it is a whole free block of the same
	 * order. A buddy in a hole or outside the span never matches, so
	 * merging stops at range boundaries by itself. Adjacent ranges with
	 * no gap between them are contiguous RAM and may merge; that is safe. */
	while (order < FRAME_MAX_ORDER) {
		paddr_t buddy = pa ^ block_size(order);

		if (buddy < span_base || buddy >= span_end ||
		    meta[meta_index(buddy)] != (uint8_t)(META_FREE | order))
			break;
		list_remove(buddy, order);
		meta[meta_index(buddy)] = META_INSIDE;
		pa = MIN(pa, buddy);
		order++;
	}
	list_push(pa, order);
	if (watch_rearm_at && free_frames >= watch_rearm_at)
		mem_watch_rearm();
}

void frame_watch_set_levels(size_t fire_below, size_t rearm_at)
{
	watch_fire_below = fire_below;
	watch_rearm_at = rearm_at;
}

size_t frame_free_count(void)
{
	return free_frames;
}

size_t frame_total_count(void)
{
	return total_frames;
}

struct phys_range frame_metadata_range(void)
{
	return meta_range;
}

/* Is pa inside some non-empty range of r? */
static bool covered(const struct phys_range *r, unsigned n, paddr_t pa, paddr_t *end)
{
	for (unsigned i = 0; i < n; i++) {
		if (r[i].base <= pa && pa < r[i].end) {
			*end = r[i].end;
			return true;
		}
	}
	return false;
}

/*
 * A sweep from low to high addresses that emits each usable piece in order,
 * so the output is sorted and merged without any scratch memory, and
 * -ERR_NOSPC depends only on the final result's size. Adjacent and
 * overlapping mem ranges are merged before alignment, so a page that
 * straddles two touching ranges is not lost. Inputs are tiny (a few
 * ranges from the device tree), so the quadratic scans do not matter.
 */
int phys_usable_ranges(const struct phys_range *mem, unsigned nmem,
		       const struct phys_range *reserved, unsigned nreserved,
		       struct phys_range *out, unsigned max)
{
	unsigned count = 0;
	paddr_t cursor = 0; /* everything below has been emitted or skipped */

	for (;;) {
		/* p: lowest RAM address >= cursor. */
		paddr_t p = PADDR_NONE, e;
		bool found = false;

		for (unsigned i = 0; i < nmem; i++) {
			if (mem[i].base < mem[i].end && mem[i].end > cursor) {
				paddr_t start = MAX(mem[i].base, cursor);

				if (!found || start < p)
					p = start;
				found = true;
			}
		}
		if (!found)
			return (int)count;
		/* Reserved at p: skip past that reservation and look again. */
		if (covered(reserved, nreserved, p, &e)) {
			cursor = e;
			continue;
		}

		/* e: end of the contiguous RAM run from p (merging touching or
		 * overlapping mem ranges), then cut at the next reservation. */
		paddr_t next;

		e = p;
		while (covered(mem, nmem, e, &next))
			e = next;
		for (unsigned i = 0; i < nreserved; i++)
			if (reserved[i].base < reserved[i].end && reserved[i].base > p &&
			    reserved[i].base < e)
				e = reserved[i].base;
		cursor = e;

		/* Page-align inward; guard ALIGN_UP against wrapping at 2^64. */
		if (p > PADDR_NONE - (PAGE_SIZE - 1))
			continue;
		paddr_t base = ALIGN_UP(p, PAGE_SIZE), end = ALIGN_DOWN(e, PAGE_SIZE);

		if (base >= end)
			continue;
		if (count == max)
			return -ERR_NOSPC;
		out[count].base = base;
		out[count].end = end;
		count++;
	}
}
