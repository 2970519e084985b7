/*
 * Random: any resident page, chosen by a xorshift32 generator with a fixed
 * seed (so runs repeat exactly): a random frame, then the first one from
 * there on (wrapping) that holds a page.
 */
#include <pagoda/errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "user/swapper/policy.h"
#include "user/swapper/swapper.h"

#define RANDOM_SEED 0x2545f491u

static unsigned nframes, count;
static bool present[SWAP_MAX_POOL];
static uint32_t state;

static uint32_t xorshift32(void)
{
	uint32_t x = state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return state = x;
}

static int random_init(const struct policy_env *e)
{
	if (e->nframes == 0 || e->nframes > SWAP_MAX_POOL)
		return -ERR_INVAL;
	nframes = e->nframes;
	for (unsigned i = 0; i < SWAP_MAX_POOL; i++)
		present[i] = false;
	count = 0;
	state = RANDOM_SEED;
	return 0;
}

static void random_added(unsigned frame, uint64_t key)
{
	(void)key; /* pages are told apart by frame alone */
	if (frame < nframes && !present[frame]) {
		present[frame] = true;
		count++;
	}
}

static void random_removed(unsigned frame)
{
	if (frame < nframes && present[frame]) {
		present[frame] = false;
		count--;
	}
}

static long random_pick(void)
{
	if (count == 0)
		return -1;
	unsigned start = xorshift32() % nframes;
	for (unsigned i = 0; i < nframes; i++) {
		unsigned f = (start + i) % nframes;
		if (present[f])
			return f;
	}
	return -1;
}

const struct swap_policy random_policy = {
	.name = "random",
	.init = random_init,
	.page_added = random_added,
	.page_removed = random_removed,
	.pick_victim = random_pick,
};
