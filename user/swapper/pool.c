/*
 * The swapper's pool of frames (pool.h): how it grows above the low
 * watermark and gives frames back below it.
 *
 * Growing asks the kernel for the free-frame count and the quota left
 * (two sysinfo calls) each time a fault finds no free frame below the
 * cap. Below the watermark that is once per reclaim, i.e. per
 * SWAP_CLUSTER faults, against the several system calls and the IPC
 * round trip each fault costs anyway; at the cap it is never (the cap is
 * checked first).
 */
#include <pagoda/errno.h>
#include <pagoda/runtime.h>
#include <stdbool.h>

#include "user/swapper/pool.h"

#define QUOTA_RESERVE (1UL << 20)    /* quota the pool leaves for page tables and handles */
#define TRIM_SLACK (4 * SWAP_CLUSTER) /* frames above the watermark a trim leaves */

struct frame frames[SWAP_MAX_POOL];
static unsigned npool;                 /* frames 0 .. npool-1 were ours once */
static uint16_t absent[SWAP_MAX_POOL]; /* of those, the ones given back */
static unsigned nabsent;
static unsigned pool_max;              /* the cap */
static unsigned long low_frames;       /* the low watermark: the pool grows only above it */
static uint16_t freelist[SWAP_MAX_POOL];
static unsigned nfree;
static unsigned long trims, given_back;

unsigned pool_frames(void)
{
	return npool - nabsent;
}

unsigned pool_cap(void)
{
	return pool_max;
}

unsigned pool_nfree(void)
{
	return nfree;
}

unsigned long pool_low(void)
{
	return low_frames;
}

unsigned pool_span(void)
{
	return npool;
}

void pool_put(unsigned f)
{
	freelist[nfree++] = (uint16_t)f;
}

/* Makes a frame ours: allocated, mapped at frame_va, its physical address
 * known; the number of one given back if there is one, else npool.
 * Returns its number, or -ERR_*. */
static long pool_add(void)
{
	unsigned n = nabsent ? absent[nabsent - 1] : npool;
	long f = pg_frame_alloc(0);
	if (f < 0)
		return f;
	long rc = pg_map(HANDLE_SELF, f, (unsigned long)frame_va(n), RIGHT_READ | RIGHT_WRITE);
	long pa = rc < 0 ? rc : pg_frame_phys(f);
	if (pa < 0) {
		pg_unmap(HANDLE_SELF, (unsigned long)frame_va(n), 4096UL);
		pg_handle_delete(f);
		return pa;
	}
	frames[n] = (struct frame){ .handle = f, .pa = (uint64_t)pa };
	if (n == npool)
		npool++;
	else
		nabsent--;
	return n;
}

/* Gives free frame f (off the free list) back to the machine. */
static void pool_give_back(unsigned f)
{
	pg_unmap(HANDLE_SELF, (unsigned long)frame_va(f), 4096UL);
	pg_handle_delete(frames[f].handle); /* no mapping left: the frame is free */
	frames[f] = (struct frame){ .handle = HANDLE_NONE };
	absent[nabsent++] = (uint16_t)f;
}

/* Whether the pool may take one more frame from the machine: below its
 * cap, the machine's free frames above the low watermark, and quota left
 * for the page tables and handles that come with it. */
static bool pool_may_grow(void)
{
	return pool_frames() < pool_max && pg_sysinfo(SYSINFO_FREE_FRAMES) > (long)low_frames &&
	       pg_sysinfo(SYSINFO_QUOTA_LEFT) > (long)QUOTA_RESERVE;
}

long pool_init(unsigned cap, unsigned long low)
{
	pool_max = cap;
	low_frames = low;
	/* A cluster's worth now, whatever the watermark says, so that evicting
	 * always has frames to work with; the rest as faults need them. Pushed
	 * so that frame 0 is handed out first, as pool_add's frames follow. */
	while (npool < SWAP_CLUSTER) {
		long rc = pool_add();
		if (rc < 0) {
			while (npool > 0) /* as we found it: SWAP_START may be tried again */
				pool_give_back(--npool);
			nabsent = 0;
			return rc;
		}
	}
	for (unsigned f = SWAP_CLUSTER; f-- > 0;)
		pool_put(f);
	return 0;
}

long pool_spare(void)
{
	if (nfree)
		return freelist[--nfree];
	return pool_may_grow() ? pool_add() : -1;
}

unsigned long pool_trim(unsigned (*evict)(void))
{
	unsigned long given = 0;
	while (pool_frames() > SWAP_CLUSTER &&
	       pg_sysinfo(SYSINFO_FREE_FRAMES) < (long)(low_frames + TRIM_SLACK)) {
		if (!nfree && evict() == 0)
			break; /* nothing evictable: dirty pages and no swap */
		pool_give_back(freelist[--nfree]);
		given++;
	}
	trims++;
	given_back += given;
	return given;
}

void pool_trim_stats(unsigned long *t, unsigned long *g)
{
	*t = trims;
	*g = given_back;
}

long pool_watch(long ntfn, uint64_t bits)
{
	return pg_mem_watch(ntfn, low_frames, bits);
}
