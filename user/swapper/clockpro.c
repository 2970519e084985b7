/*
 * CLOCK-Pro (Jiang, Chen, Zhang, "CLOCK-Pro: an effective improvement of
 * the CLOCK replacement", USENIX ATC 2005): CLOCK made scan- and
 * loop-resistant by judging a page on its reuse distance, not on how
 * recently it was used.
 *
 * Pages are hot (resident, short reuse distance) or cold. Cold pages are
 * resident or not; a cold page is "in its test period" from its fault (or
 * a re-reference) until the hot hand passes it: re-referenced within that
 * time, its reuse distance beat the oldest hot page's and it becomes hot.
 * Non-resident cold pages in their test period (ghosts) are remembered by
 * key, at most nframes of them. Evictions take resident cold pages only,
 * so a one-time scan churns through the cold pages and leaves the hot ones.
 * The share of cold pages adapts: a test-period hit raises the target,
 * a ghost expiring unused lowers it.
 *
 * Formulation: the paper's single list in access order (head: most
 * recent), a hand passing a page being equivalent to moving it to the
 * head; each hand is the oldest page of its kind (HAND_cold: resident
 * cold; HAND_hot: hot; HAND_test: in test) and moves toward the head.
 * Resident pages are found by frame, ghosts by an open-addressing hash of
 * their keys.
 *
 * Adaptations to the swapper (main.c):
 *  - The kernel sets a page's accessed bit at the fault that brings it in,
 *    so the first reading after a fault cannot tell a re-reference from
 *    the fault itself (the paper's reference bit starts clear). A cold
 *    page whose first reading is set gets one more pass without being
 *    judged (Linux's two-touch rule for new pages does the same). Without
 *    this every new page would look re-referenced and turn hot: no scan
 *    resistance at all (seqscan 1.20x OPT instead of 1.00x, loop 5.7x).
 *    A page read ahead comes in with its bit clear: unused, it goes first.
 *  - Accessed bits are read only in pick_victim. A ghost hit at a fault
 *    is recorded and its promotion (which may need HAND_hot, and so the
 *    bits of hot pages) is done at the next pick_victim, with the page
 *    still at its old place in the list, as the paper orders it.
 *  - A reclaim takes SWAP_CLUSTER (8) victims, all cold: the cold target
 *    never goes below that (see clockpro_init).
 * docs/bench.md "Replacement policies" has its faults against OPT.
 */
#include <pagoda/errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "user/swapper/policy.h"
#include "user/swapper/swapper.h"

#ifndef SWAP_CLUSTER
#define SWAP_CLUSTER 8 /* victims main.c asks for per reclaim */
#endif

#define NIL (-1)
#define MAX_NODES (2 * SWAP_MAX_POOL) /* resident pages + ghosts */
#define HASH_SIZE (2 * SWAP_MAX_POOL) /* ghosts <= SWAP_MAX_POOL: load <= 1/2 */

enum state {
	UNUSED,
	HOT,   /* resident */
	COLD,  /* resident, test period over */
	TEST,  /* resident, in its test period */
	GHOST, /* not resident, in its test period */
};
enum { FRESH = 1, PROMOTE = 2 }; /* node flags */

struct node {
	uint64_t key;
	int prev, next; /* prev: toward the head (newer); next: toward the tail */
	unsigned frame; /* while resident */
	uint8_t state, flags;
};

static struct policy_env env;
static struct node node[MAX_NODES];
static int spare;                     /* unused nodes, chained by next */
static int frame_node[SWAP_MAX_POOL]; /* the node of each frame's page, or NIL */
static int ghost_hash[HASH_SIZE];     /* ghosts by key, or NIL */
static int head;                      /* the most recent node; its prev is the tail */
static int hand_hot, hand_cold, hand_test;
static unsigned nhot, ncold, ntest, nghost; /* ncold: resident cold; ntest: TEST + GHOST */
static unsigned cold_target, min_cold, max_cold;
static bool warm; /* a victim was asked for: new pages start cold */
static int pending[SWAP_MAX_POOL];    /* ghost hits to promote at the next pick */
static unsigned npending;

/* ---- the list ---------------------------------------------------------------- */

/* Adds d (1 or -1, as unsigned) to the counters node i's state is in. */
static void count(int i, unsigned d)
{
	enum state s = node[i].state;
	if (s == HOT)
		nhot += d;
	if (s == COLD || s == TEST)
		ncold += d;
	if (s == TEST || s == GHOST)
		ntest += d;
	if (s == GHOST)
		nghost += d;
}

static void set_state(int i, enum state s)
{
	count(i, (unsigned)-1);
	node[i].state = (uint8_t)s;
	count(i, 1);
}

/* Takes node i out of the list; a hand on it moves on to the next newer. */
static void unlink_node(int i)
{
	struct node *n = &node[i];
	int newer = n->prev == i ? NIL : n->prev;
	if (hand_hot == i)
		hand_hot = newer;
	if (hand_cold == i)
		hand_cold = newer;
	if (hand_test == i)
		hand_test = newer;
	if (head == i)
		head = n->next == i ? NIL : n->next;
	node[n->prev].next = n->next;
	node[n->next].prev = n->prev;
	n->prev = n->next = i;
}

static void push_head(int i)
{
	struct node *n = &node[i];
	if (head == NIL) {
		n->prev = n->next = i;
	} else {
		n->next = head;
		n->prev = node[head].prev;
		node[n->prev].next = i;
		node[head].prev = i;
	}
	head = i;
}

/* Node i gets state s and the smallest recency: what passing it does. */
static void to_head(int i, enum state s)
{
	unlink_node(i);
	set_state(i, s);
	push_head(i);
}

static bool is_kind(int i, int hand)
{
	enum state s = node[i].state;
	if (hand == 0)
		return s == HOT;
	if (hand == 1)
		return s == COLD || s == TEST;
	return s == TEST || s == GHOST;
}

/* Moves a hand (0 hot, 1 cold, 2 test) from where it is toward the head,
 * wrapping to the tail, to the first node of its kind; NIL if none. */
static int seek(int *hand, int kind, unsigned n)
{
	if (n == 0 || head == NIL)
		return *hand = NIL;
	int i = *hand == NIL ? node[head].prev : *hand;
	while (!is_kind(i, kind))
		i = node[i].prev;
	return *hand = i;
}

/* ---- ghosts by key -------------------------------------------------------------- */

static unsigned home(uint64_t key)
{
	return (unsigned)((key * 0x9e3779b97f4a7c15ULL) >> 32) % HASH_SIZE;
}

static unsigned hash_slot(uint64_t key)
{
	unsigned s = home(key);
	while (ghost_hash[s] != NIL && node[ghost_hash[s]].key != key)
		s = (s + 1) % HASH_SIZE;
	return s; /* the key's slot, or the empty one ending its probe */
}

static void hash_remove(uint64_t key)
{
	unsigned i = hash_slot(key);
	if (ghost_hash[i] == NIL)
		return;
	/* Backward-shift deletion: no tombstones, probes stay short. */
	for (unsigned j = (i + 1) % HASH_SIZE; ghost_hash[j] != NIL; j = (j + 1) % HASH_SIZE) {
		unsigned k = home(node[ghost_hash[j]].key);
		bool movable = i <= j ? (k <= i || k > j) : (k <= i && k > j);
		if (movable) {
			ghost_hash[i] = ghost_hash[j];
			i = j;
		}
	}
	ghost_hash[i] = NIL;
}

/* ---- the hands ------------------------------------------------------------------ */

static void free_node(int i)
{
	unlink_node(i);
	set_state(i, UNUSED);
	node[i].flags = 0;
	node[i].next = spare;
	spare = i;
}

/* The paper's adaptation: one page more or less, within the bounds. */
static void adjust_target(int d)
{
	if (d > 0 && cold_target < max_cold)
		cold_target++;
	if (d < 0 && cold_target > min_cold)
		cold_target--;
}

/* The end of a test period without a re-reference: a ghost is forgotten
 * (its next fault is a first one) and the cold target shrinks; a resident
 * page stays, cold (its bit is for HAND_cold to read). */
static void end_test(int i)
{
	if (node[i].state == GHOST) {
		hash_remove(node[i].key);
		free_node(i);
		adjust_target(-1);
	} else if (node[i].state == TEST) {
		set_state(i, COLD);
	}
}

/* HAND_test: ends the oldest test period (too many ghosts). */
static void run_hand_test(void)
{
	int i = seek(&hand_test, 2, ntest);
	if (i != NIL) {
		hand_test = node[i].prev == i ? NIL : node[i].prev;
		end_test(i);
	}
}

static int accessed(int i)
{
	node[i].flags &= (uint8_t)~FRESH;
	return env.accessed(env.ctx, node[i].frame);
}

/* HAND_hot comes to rest on the first hot page from node i on (toward the
 * head), ending the test periods of the cold pages it passes. */
static void rest_hot(int i)
{
	while (nhot && node[i].state != HOT) {
		int newer = node[i].prev;
		end_test(i);
		i = newer;
	}
	hand_hot = nhot ? i : NIL;
}

/*
 * HAND_hot: turns the oldest unreferenced hot page cold, sparing (and
 * clearing) referenced ones and ending the test periods of the cold pages
 * it passes. Stops at `trigger` (the page that wants to become hot): then
 * every hot page older than the trigger's last use was used since, so the
 * trigger is not hotter than they are. Returns whether a page was demoted.
 * With trigger NIL it always demotes one (a full turn clears every bit).
 */
static bool run_hand_hot(int trigger)
{
	if (nhot == 0)
		return false;
	int i = hand_hot == NIL ? node[head].prev : hand_hot;
	for (unsigned steps = 0; i != trigger; steps++) {
		int newer = node[i].prev;
		if (node[i].state != HOT) {
			end_test(i);
		} else if (accessed(i) && steps < 2 * MAX_NODES) {
			to_head(i, HOT);
		} else {
			to_head(i, COLD);
			rest_hot(newer); /* NIL if no hot page is left */
			return true;
		}
		i = newer;
	}
	rest_hot(i); /* as if it had passed the trigger */
	return false;
}

/* A test-period re-reference of node i (resident, state TEST): a larger cold
 * target, and i becomes hot if HAND_hot makes room below the hot target
 * before reaching it; else it starts a new test period. Either way it is
 * now the most recent page. */
static void promote(int i)
{
	adjust_target(+1);
	while (nhot + cold_target >= env.nframes)
		if (node[i].state != TEST || !run_hand_hot(i))
			break;
	to_head(i, nhot + cold_target < env.nframes ? HOT : TEST);
}

/* ---- the interface ------------------------------------------------------------------ */

static int clockpro_init(const struct policy_env *e)
{
	if (e->nframes == 0 || e->nframes > SWAP_MAX_POOL)
		return -ERR_INVAL;
	env = *e;
	for (int i = 0; i < MAX_NODES; i++)
		node[i] = (struct node){ .prev = i, .next = i + 1 < MAX_NODES ? i + 1 : NIL };
	spare = 0;
	for (unsigned f = 0; f < SWAP_MAX_POOL; f++)
		frame_node[f] = NIL;
	for (unsigned s = 0; s < HASH_SIZE; s++)
		ghost_hash[s] = NIL;
	head = hand_hot = hand_cold = hand_test = NIL;
	nhot = ncold = ntest = nghost = npending = 0;
	/* The cold share adapts between one reclaim's worth of pages (main.c
	 * takes SWAP_CLUSTER victims at a time, all of them cold), an eighth
	 * of a smaller pool, and all of the pool but that. A smaller floor
	 * gains nothing, as a reclaim empties that many frames anyway (4:
	 * geometric mean 1.498x OPT against 1.470x); a larger one shrinks the
	 * hot set (16: the loop trace faults 28% more). */
	min_cold = e->nframes / 8 < SWAP_CLUSTER ? e->nframes / 8 : SWAP_CLUSTER;
	if (min_cold == 0)
		min_cold = 1;
	max_cold = e->nframes > 2 * min_cold ? e->nframes - min_cold : min_cold;
	cold_target = min_cold;
	warm = false;
	return 0;
}

static void clockpro_added(unsigned frame, uint64_t key)
{
	if (frame >= env.nframes || frame_node[frame] != NIL)
		return;
	unsigned s = hash_slot(key);
	int i = ghost_hash[s];
	if (i != NIL) {
		/* A ghost hit: promoted at the next pick (see the top). */
		hash_remove(key);
		set_state(i, TEST);
		node[i].flags = FRESH | PROMOTE;
		pending[npending++] = i;
	} else {
		if (spare == NIL) /* cannot happen: ghosts <= nframes */
			return;
		i = spare;
		spare = node[i].next;
		node[i].key = key;
		node[i].flags = FRESH;
		/* Until the pool first fills, pages start hot up to the hot target. */
		set_state(i, !warm && nhot + cold_target < env.nframes ? HOT : TEST);
		push_head(i);
	}
	node[i].frame = frame;
	frame_node[frame] = i;
}

static void clockpro_removed(unsigned frame)
{
	if (frame >= env.nframes || frame_node[frame] == NIL)
		return;
	int i = frame_node[frame];
	frame_node[frame] = NIL;
	if (node[i].flags & PROMOTE) { /* its client went away before the promotion */
		unsigned k = 0;
		while (pending[k] != i)
			k++;
		for (npending--; k < npending; k++)
			pending[k] = pending[k + 1];
		node[i].flags &= (uint8_t)~PROMOTE;
	}
	if (node[i].state != TEST) {
		free_node(i); /* not in a test period: nothing to remember */
		return;
	}
	/* Evicted in its test period: remembered as a ghost until it ends. */
	set_state(i, GHOST);
	ghost_hash[hash_slot(node[i].key)] = i;
	while (nghost > env.nframes)
		run_hand_test();
}

static long clockpro_pick(void)
{
	if (nhot + ncold == 0)
		return -1;
	warm = true;
	for (unsigned k = 0; k < npending; k++) { /* in the order of the faults */
		int i = pending[k];
		node[i].flags &= (uint8_t)~PROMOTE;
		if (node[i].state == TEST)
			promote(i);
		else
			to_head(i, TEST); /* its test ended first: a new one */
	}
	npending = 0;
	/* Each page is passed at most three times (fresh, referenced, then
	 * unreferenced): the bound only guards against bits set meanwhile. */
	for (unsigned budget = 4 * MAX_NODES; budget; budget--) {
		if (ncold == 0) { /* all hot: HAND_hot makes one cold */
			run_hand_hot(NIL);
			continue;
		}
		int i = seek(&hand_cold, 1, ncold);
		bool fresh = node[i].flags & FRESH;
		if (accessed(i)) {
			if (fresh)
				to_head(i, node[i].state); /* the fault's own access */
			else if (node[i].state == TEST)
				promote(i);
			else
				to_head(i, TEST); /* used again: a new test period */
			continue;
		}
		/* The victim. It stays until page_removed; the hand moves on. */
		hand_cold = node[i].prev == i ? NIL : node[i].prev;
		return node[i].frame;
	}
	if (ncold == 0)
		run_hand_hot(NIL);
	int i = seek(&hand_cold, 1, ncold);
	return i == NIL ? -1 : (long)node[i].frame;
}

void clockpro_census(struct clockpro_census *c)
{
	*c = (struct clockpro_census){
		.hot = nhot, .cold = ncold, .ghosts = nghost, .cold_target = cold_target
	};
}

const struct swap_policy clockpro_policy = {
	.name = "clockpro",
	.init = clockpro_init,
	.page_added = clockpro_added,
	.page_removed = clockpro_removed,
	.pick_victim = clockpro_pick,
};
