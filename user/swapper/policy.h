/*
 * The swapper's replacement policy: which resident page to evict next.
 * One struct of function pointers, so CLOCK (clock.c) can be swapped for
 * FIFO, random or a scan-resistant policy and compared on the same runs.
 *
 * Pages are named by the pool frame holding them (0 .. nframes-1). The
 * swapper calls page_added when it maps a frame into a client and
 * page_removed when it takes it back (evicted, or its client went away);
 * pick_victim names a frame that holds a page (it stays added until the
 * swapper calls page_removed), or -1 if none does. The environment's
 * accessed() says whether a frame's page was used since the last time it
 * was asked (the accessed bit, read and cleared with pg_ad_query).
 */
#ifndef USER_SWAPPER_POLICY_H
#define USER_SWAPPER_POLICY_H

struct policy_env {
	unsigned nframes;
	int (*accessed)(void *ctx, unsigned frame);
	void *ctx;
};

struct swap_policy {
	const char *name;
	int (*init)(const struct policy_env *env); /* 0 or -ERR_* */
	void (*page_added)(unsigned frame);
	void (*page_removed)(unsigned frame);
	long (*pick_victim)(void);
};

extern const struct swap_policy clock_policy;  /* clock.c */
extern const struct swap_policy fifo_policy;   /* fifo.c */
extern const struct swap_policy random_policy; /* random.c */

#endif
