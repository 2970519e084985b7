/*
 * FIFO: the page resident longest goes first, used or not. The frames
 * holding pages form one list in the order they were added (a page the
 * swapper keeps after all, page_added again, goes to the back).
 */
#include <pagoda/errno.h>
#include <stdbool.h>

#include "user/swapper/policy.h"
#include "user/swapper/swapper.h"

#define NONE (-1)

static unsigned nframes;
static bool present[SWAP_MAX_POOL];
static int prev[SWAP_MAX_POOL], next[SWAP_MAX_POOL];
static int head = NONE, tail = NONE;

static int fifo_init(const struct policy_env *e)
{
	if (e->nframes == 0 || e->nframes > SWAP_MAX_POOL)
		return -ERR_INVAL;
	nframes = e->nframes;
	for (unsigned i = 0; i < SWAP_MAX_POOL; i++) {
		present[i] = false;
		prev[i] = next[i] = NONE;
	}
	head = tail = NONE;
	return 0;
}

static void fifo_added(unsigned frame, uint64_t key)
{
	(void)key; /* pages are told apart by frame alone */
	if (frame >= nframes || present[frame])
		return;
	present[frame] = true;
	prev[frame] = tail;
	next[frame] = NONE;
	if (tail != NONE)
		next[tail] = (int)frame;
	else
		head = (int)frame;
	tail = (int)frame;
}

static void fifo_removed(unsigned frame)
{
	if (frame >= nframes || !present[frame])
		return;
	present[frame] = false;
	if (prev[frame] != NONE)
		next[prev[frame]] = next[frame];
	else
		head = next[frame];
	if (next[frame] != NONE)
		prev[next[frame]] = prev[frame];
	else
		tail = prev[frame];
	prev[frame] = next[frame] = NONE;
}

static long fifo_pick(void)
{
	return head; /* NONE (-1) when empty */
}

const struct swap_policy fifo_policy = {
	.name = "fifo",
	.init = fifo_init,
	.page_added = fifo_added,
	.page_removed = fifo_removed,
	.pick_victim = fifo_pick,
};
