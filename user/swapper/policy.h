/*
 * The swapper's replacement policy: which resident page to evict next.
 * One struct of function pointers, so CLOCK (clock.c) can be swapped for
 * FIFO, random or a scan-resistant policy and compared on the same runs.
 *
 * Pages are named by the pool frame holding them (0 .. nframes-1) while
 * resident, and by a key while not: page_added gives the key of the page
 * now in the frame (a client's serial number << 32 | the page's index in
 * its region; never reused, so a policy may remember keys of evicted pages,
 * as CLOCK-Pro does, without mistaking a new page for an old one). The
 * swapper calls page_added when it brings a page into a frame (a fault,
 * or a page it keeps after all) and page_removed when it takes the frame
 * back (evicted, or its client went away);
 * pick_victim names a frame that holds a page (it stays added until the
 * swapper calls page_removed), or -1 if none does. fault, if the policy
 * has one, is called once at the start of each fault, before that fault's
 * page_added and pick_victim calls: the clients may have run since the
 * last one, so accessed bits may have changed (a fault that reads ahead
 * adds several pages, and only the first of them can see new bits). The environment's
 * accessed() says whether a frame's page was used since the last time it
 * was asked (the accessed bit, read and cleared with pg_ad_query).
 */
#ifndef USER_SWAPPER_POLICY_H
#define USER_SWAPPER_POLICY_H

#include <stdint.h>

struct policy_env {
	unsigned nframes;
	int (*accessed)(void *ctx, unsigned frame);
	void *ctx;
};

struct swap_policy {
	const char *name;
	int (*init)(const struct policy_env *env); /* 0 or -ERR_* */
	void (*page_added)(unsigned frame, uint64_t key);
	void (*page_removed)(unsigned frame);
	long (*pick_victim)(void);
	void (*fault)(void); /* may be NULL */
};

extern const struct swap_policy clock_policy;  /* clock.c */
extern const struct swap_policy fifo_policy;   /* fifo.c */
extern const struct swap_policy random_policy; /* random.c */
extern const struct swap_policy clockpro_policy; /* clockpro.c */

/* CLOCK-Pro's state, for tests and reports: resident hot and cold pages,
 * remembered non-resident ones (at most 2 x nframes), the cold-page target. */
struct clockpro_census {
	unsigned hot, cold, ghosts, cold_target;
};
void clockpro_census(struct clockpro_census *c);

#endif
