/*
 * The swapper's pool: the frames it holds client pages in, each mapped
 * in its own space at POOL_VA + f * 4096 (for zeroing, and I/O straight
 * from and into it) and known by its number f (0 .. SWAP_MAX_POOL-1).
 *
 * The pool starts with SWAP_CLUSTER frames and grows a frame at a time
 * (pool_spare) while the machine's free frames are above the low
 * watermark, the swapper's quota allows and the cap is not reached.
 * Below the watermark the kernel's mem_watch signals (pool_watch), and
 * pool_trim gives frames back. A given-back frame's number is reused
 * first, so a pool that never shrank hands out 0, 1, 2, ... (the order
 * tests/host/policysim.c replays).
 *
 * Single-threaded: only the swapper's main thread calls these.
 */
#ifndef USER_SWAPPER_POOL_H
#define USER_SWAPPER_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "user/swapper/swapper.h"

#define POOL_VA 0x2800000000UL /* our own mapping of every pool frame */

struct client;

struct frame {
	long handle;          /* HANDLE_NONE: not ours now (given back) */
	uint64_t pa;
	struct client *owner; /* NULL: free */
	unsigned long vpn;    /* owner's page it holds (va / PAGE) */
};

/* Indexed by frame number; entries at and above pool_span() are unused. */
extern struct frame frames[SWAP_MAX_POOL];

static inline void *frame_va(unsigned f)
{
	return (void *)(POOL_VA + f * 4096UL);
}

/* Whether frame f holds only zero bytes. */
static inline bool frame_is_zero(unsigned f)
{
	const uint64_t *w = frame_va(f);
	for (unsigned long i = 0; i < 4096 / sizeof *w; i++)
		if (w[i])
			return false;
	return true;
}

/* Copies a 4 KiB page (both 8-byte aligned), eight words a step: the
 * C library's memcpy moves a word a step, and the write-behind copy of
 * every page written out is on the page-out path. */
static inline void page_copy(void *dst, const void *src)
{
	uint64_t *d = dst;
	const uint64_t *s = src;
	for (unsigned i = 0; i < 4096 / sizeof *d; i += 8) {
		uint64_t a = s[i], b = s[i + 1], c = s[i + 2], e = s[i + 3];
		uint64_t f = s[i + 4], g = s[i + 5], h = s[i + 6], k = s[i + 7];
		d[i] = a, d[i + 1] = b, d[i + 2] = c, d[i + 3] = e;
		d[i + 4] = f, d[i + 5] = g, d[i + 6] = h, d[i + 7] = k;
	}
}

/*
 * Sets the cap (frames, CLUSTER .. SWAP_MAX_POOL) and the low watermark
 * (free frames of the machine), and takes the first SWAP_CLUSTER frames,
 * all free. 0, or -ERR_* (nothing kept) when they cannot be had.
 */
long pool_init(unsigned cap, unsigned long low_frames);

/*
 * Asks the kernel to signal ntfn with bits when the machine's free frames
 * fall below the low watermark (mem_watch), so that someone calls
 * pool_trim. 0 or -ERR_*: without it the pool never shrinks, which is not
 * fatal.
 */
long pool_watch(long ntfn, uint64_t bits);

/* Frames the pool holds now; the cap; free ones; the watermark. */
unsigned pool_frames(void);
unsigned pool_cap(void);
unsigned pool_nfree(void);
unsigned long pool_low(void);

/* Frame numbers ever used are below this (a bound for scans of frames[]). */
unsigned pool_span(void);

/*
 * A frame holding no page, without evicting: the last one freed (LIFO:
 * policysim replays this), else a new one if the pool may grow. Its
 * number, or -1. The caller owns it until pool_put.
 */
long pool_spare(void);

/* Puts frame f, which holds no page now, on the free list. */
void pool_put(unsigned f);

/*
 * The machine fell below the low watermark: gives frames back until it
 * has a few clusters' worth above it again, keeping at least a cluster.
 * evict() frees frames when none is free (returns how many; 0: nothing
 * can go). Returns the frames given back.
 */
unsigned long pool_trim(unsigned (*evict)(void));

/* SWAP_TRIM calls answered, and the frames they gave back in all. */
void pool_trim_stats(unsigned long *trims, unsigned long *given_back);

#endif
