/*
 * Physical frame allocator: a binary buddy allocator over all usable RAM.
 *
 *   order 0 = one 4 KiB frame, order k = 2^k frames, naturally aligned
 *   (an order-k block's physical address is a multiple of 4 KiB << k).
 *
 * Free blocks are kept on one doubly linked free list per order, linked
 * through the free frames themselves (reached via the kernel direct map,
 * pa_to_kva()). A one-byte state per frame (in a metadata array carved from
 * RAM at init) records whether a frame heads a free block and its order,
 * so alloc and free are O(MAX_ORDER) and free needs no size argument.
 *
 * Not thread-safe yet: callers hold the (future) memory lock.
 *
 * An allocation or free whose free count crosses a level of the memory
 * watch calls that watch's hook before it returns (mm/memwatch.h).
 */
#ifndef MM_FRAME_H
#define MM_FRAME_H

#include "kernel/types.h"

#define FRAME_MAX_ORDER 18 /* largest block: 2^18 frames = 1 GiB */

struct phys_range {
	paddr_t base; /* inclusive */
	paddr_t end;  /* exclusive */
};

/*
 * Computes the usable RAM: every range of mem minus every range of
 * reserved, each result page-aligned inward (base up, end down), sorted by
 * base, empty pieces dropped. Inputs may be unsorted and may overlap.
 * Writes at most max ranges to out; returns how many, or -ERR_NOSPC when
 * out is too small. Pure: touches nothing but out.
 */
int phys_usable_ranges(const struct phys_range *mem, unsigned nmem,
		       const struct phys_range *reserved, unsigned nreserved,
		       struct phys_range *out, unsigned max);

/*
 * Takes ownership of the frames in usable (sorted, non-overlapping,
 * page-aligned: what phys_usable_ranges returns). Carves its metadata array
 * from the first usable range large enough; everything else becomes free.
 * Returns 0, or -ERR_NOMEM when no range can hold the metadata, or
 * -ERR_INVAL for unsorted/unaligned/overlapping/empty ranges (adjacent
 * ranges are accepted and may merge: they are contiguous RAM).
 * The kernel calls it once. Calling it again discards all previous state
 * (outstanding allocations are forgotten); host tests rely on that. On
 * failure the allocator is left empty: allocs return PADDR_NONE.
 */
int frame_init(const struct phys_range *usable, unsigned n);

/* One frame, contents undefined. Returns PADDR_NONE when none is free. */
paddr_t frame_alloc(void);

/* One frame filled with zeroes, or PADDR_NONE. */
paddr_t frame_alloc_zeroed(void);

/* 2^order contiguous frames aligned to their size, or PADDR_NONE
 * (also for order > FRAME_MAX_ORDER). */
paddr_t frame_alloc_order(unsigned order);

/*
 * Returns a block obtained from frame_alloc*() to the allocator; its order
 * is remembered, so pa alone suffices. Freeing an address that is not the
 * head of an allocated block (double free, misaligned, outside RAM) panics:
 * that is a kernel bug, never a caller error.
 */
void frame_free(paddr_t pa);

/* Frames currently free, and frames managed in total (free + allocated,
 * excluding the metadata). Tests compare frame_free_count() before and after. */
size_t frame_free_count(void);
size_t frame_total_count(void);

/* The allocator's own footprint: the metadata array's physical range. */
struct phys_range frame_metadata_range(void);

#endif
