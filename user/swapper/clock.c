/*
 * CLOCK (second chance): a hand sweeps the pool frames in order; a page
 * used since the hand last passed (its accessed bit, cleared as it is read)
 * gets another round, the first one not used is the victim.
 */
#include <pagoda/errno.h>
#include <stdbool.h>

#include "user/swapper/policy.h"
#include "user/swapper/swapper.h"

static struct policy_env env;
static bool present[SWAP_MAX_POOL];
static unsigned hand, count;

static int clock_init(const struct policy_env *e)
{
	if (e->nframes == 0 || e->nframes > SWAP_MAX_POOL)
		return -ERR_INVAL;
	env = *e;
	for (unsigned i = 0; i < SWAP_MAX_POOL; i++)
		present[i] = false;
	hand = count = 0;
	return 0;
}

static void clock_added(unsigned frame, uint64_t key)
{
	(void)key; /* pages are told apart by frame alone */
	if (frame < env.nframes && !present[frame]) {
		present[frame] = true;
		count++;
	}
}

static void clock_removed(unsigned frame)
{
	if (frame < env.nframes && present[frame]) {
		present[frame] = false;
		count--;
	}
}

static long clock_pick(void)
{
	if (count == 0)
		return -1;
	/* Two full turns find a victim: the first clears every bit it passes. */
	long fallback = -1;
	for (unsigned step = 0; step < 2 * env.nframes + 1; step++) {
		unsigned f = hand;
		hand = (hand + 1) % env.nframes;
		if (!present[f])
			continue;
		if (fallback < 0)
			fallback = f;
		if (!env.accessed(env.ctx, f))
			return f;
	}
	return fallback; /* everything is hot (used again as we looked) */
}

const struct swap_policy clock_policy = {
	.name = "clock",
	.init = clock_init,
	.page_added = clock_added,
	.page_removed = clock_removed,
	.pick_victim = clock_pick,
};
