/*
 * Host tests for the frame allocator's half of mem_watch (mm/memwatch.h):
 * the hooks run exactly when an allocation takes the free count below the
 * fire level or a free brings it back to the rearm level, never otherwise,
 * and always with the allocator's count already up to date.
 */
#include "mm/frame.h"
#include "mm/memwatch.h"

#include "check.h"

#include <arch/kva.h>

#include <stdlib.h>
#include <string.h>

#define B 0x80000000ULL /* fake RAM base */
#define RAM MiB(1)      /* 256 frames, one of them the allocator's metadata */

/* What the hooks saw: how often they ran and the free count each time. */
static unsigned fired, rearmed;
static size_t fired_at, rearmed_at;

void mem_watch_fire(void)
{
	fired++;
	fired_at = frame_free_count();
}

void mem_watch_rearm(void)
{
	rearmed++;
	rearmed_at = frame_free_count();
}

static void setup(void)
{
	free(fake_phys_mem);
	fake_phys_mem = aligned_alloc(PAGE_SIZE, RAM);
	if (!fake_phys_mem)
		abort();
	memset(fake_phys_mem, 0x5a, RAM);
	fake_phys_base = B;
	fake_phys_size = RAM;
	struct phys_range r = { B, B + RAM };
	if (frame_init(&r, 1) != 0)
		abort();
	fired = rearmed = 0;
	fired_at = rearmed_at = 0;
}

static void t_fire_on_crossing_only(void)
{
	setup();
	size_t start = frame_free_count();
	paddr_t pa[8];
	frame_watch_set_levels(start - 2, 0);
	pa[0] = frame_alloc();
	pa[1] = frame_alloc(); /* start - 2 free: not below yet */
	CHECK_EQ(fired, 0);
	pa[2] = frame_alloc();
	CHECK_EQ(fired, 1);
	CHECK_EQ(fired_at, start - 3);
	/* The level stays until the hook's owner moves it: each allocation
	 * below it calls again. Moved away, nothing more. */
	pa[3] = frame_alloc_zeroed();
	CHECK_EQ(fired, 2);
	frame_watch_set_levels(0, 0);
	pa[4] = frame_alloc_order(2);
	CHECK_EQ(fired, 2);
	for (unsigned i = 0; i < 5; i++)
		frame_free(pa[i]);
	CHECK_EQ(rearmed, 0);
	CHECK_EQ(frame_free_count(), start);
}

static void t_rearm_on_crossing_only(void)
{
	setup();
	size_t start = frame_free_count();
	paddr_t pa[4];
	for (unsigned i = 0; i < 4; i++)
		pa[i] = frame_alloc();
	frame_watch_set_levels(0, start - 1);
	frame_free(pa[0]);
	frame_free(pa[1]); /* start - 2 free: not there yet */
	CHECK_EQ(rearmed, 0);
	frame_free(pa[2]);
	CHECK_EQ(rearmed, 1);
	CHECK_EQ(rearmed_at, start - 1);
	CHECK_EQ(fired, 0);
	frame_watch_set_levels(0, 0);
	frame_free(pa[3]);
	CHECK_EQ(rearmed, 1);
	CHECK_EQ(frame_free_count(), start);
}

static void t_order_counts_whole_block(void)
{
	/* A block of 8 frames crosses a level 3 frames below in one step. */
	setup();
	size_t start = frame_free_count();
	frame_watch_set_levels(start - 3, 0);
	paddr_t block = frame_alloc_order(3);
	CHECK_EQ(fired, 1);
	CHECK_EQ(fired_at, start - 8);
	frame_watch_set_levels(0, start);
	frame_free(block);
	CHECK_EQ(rearmed, 1);
	CHECK_EQ(rearmed_at, start);
}

static void t_failed_alloc_and_init(void)
{
	setup();
	/* An allocation that fails takes nothing: no crossing. */
	frame_watch_set_levels(frame_free_count(), 0);
	CHECK_EQ(frame_alloc_order(FRAME_MAX_ORDER), PADDR_NONE);
	CHECK_EQ(fired, 0);
	/* frame_init forgets the levels with everything else. */
	setup();
	CHECK(frame_alloc() != PADDR_NONE);
	CHECK_EQ(fired, 0);
}

int main(void)
{
	run_test("FRAMEWATCH-001", "an allocation calls mem_watch_fire only below the fire level",
		 t_fire_on_crossing_only);
	run_test("FRAMEWATCH-002", "a free calls mem_watch_rearm only at or above the rearm level",
		 t_rearm_on_crossing_only);
	run_test("FRAMEWATCH-003", "a multi-frame block counts whole, both ways, count already updated",
		 t_order_counts_whole_block);
	run_test("FRAMEWATCH-004", "a failed allocation crosses nothing; frame_init turns the levels off",
		 t_failed_alloc_and_init);
	free(fake_phys_mem);
	return test_summary();
}
