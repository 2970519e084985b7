/*
 * Replacement-policy simulator (policysim.c): the swapper's policies
 * (user/swapper/policy.h), the very same .c files, driven by the swapper's
 * own discipline (user/swapper/main.c: reclaim and the accessed bits;
 * pool.c: the free list) over a page trace, and Belady's optimal (OPT) on
 * the same trace.
 * Shared by the policysim program and tests/host/policy_test.c.
 */
#ifndef TESTS_HOST_POLICYSIM_H
#define TESTS_HOST_POLICYSIM_H

#include <stddef.h>
#include <stdint.h>

#include "user/swapper/policy.h"
#include "user/swapper/swapper.h"
#include "user/swapper/traces.h"

/* Victims main.c asks for per reclaim (one constant for both). */
#define SIM_CLUSTER SWAP_CLUSTER
#define SIM_MAX_CLUSTER 64

/* What-ifs, for experiments only (the real swapper is the defaults):
 * victims asked for per reclaim (1..SIM_MAX_CLUSTER, default SIM_CLUSTER),
 * frames handed out from the last down instead of main.c's frame 0 up,
 * and sim_swap_cache (below). */
extern unsigned sim_cluster;
extern int sim_frames_down;

/*
 * sim_swap_cache: "free but cached" frames, a discipline main.c does not
 * have (yet). A frame freed by a reclaim keeps its page's contents and
 * identity until a miss reuses it. The free list is a queue: frames
 * 0..nframes-1 in that order at the start, victims appended in the order
 * picked, a miss taking the head (the frame freed longest ago; its old
 * page is then gone, the policy having been told at the eviction). An
 * access to a page whose frame is still on the free list is a soft fault,
 * not a miss (no disk I/O, no reclaim): the frame leaves the queue (the
 * others keep their order), page_added(frame, the page's key) is called as
 * for a miss and the accessed bit set after it. Only misses are returned
 * by sim_policy_faults; the soft faults are counted in sim_soft_faults.
 */
extern int sim_swap_cache;

/* env.accessed calls in the last sim_policy_faults run: each is one
 * pg_ad_query system call in the real swapper. */
extern unsigned long sim_reads;

/* Soft faults in the last sim_policy_faults run (sim_swap_cache only). */
extern unsigned long sim_soft_faults;

/* A whole trace in memory: pages[0..len-1], each below npages. */
struct sim_trace {
	uint32_t *page;
	size_t len;
	unsigned npages;
};

/* The online policies the simulator knows, in report order; count in *n. */
const struct swap_policy *const *sim_policies(unsigned *n);

/* The policy called `name` (its .name), or NULL. */
const struct swap_policy *sim_policy_named(const char *name);

/* Generates trace `id` shaped for mem_frames into t (malloc'd; free with
 * sim_trace_free). Returns 0, or -1 when out of memory. */
int sim_trace_load(struct sim_trace *t, enum trace_id id, unsigned mem_frames);
void sim_trace_free(struct sim_trace *t);

/*
 * Faults of policy p with `frames` pool frames (1..SWAP_MAX_POOL) on trace
 * t, every miss counted (the first touch of a page too; not the soft faults
 * of sim_swap_cache, which changes the free list as said above). Replays
 * main.c: frames 0..frames-1 pushed on a LIFO free list; a hit sets the
 * frame's accessed bit, no policy call; a miss with no free frame reclaims
 * (up to SIM_CLUSTER pick_victim calls, stopping at -1, page_removed after
 * each, victims pushed in the order picked), pops a frame, calls
 * page_added with key 1 << 32 | page, and sets the accessed bit (the
 * faulting access). env.accessed reads and clears the bit. Returns -1,
 * with a message on stderr, if the policy misbehaves (names a frame
 * holding no page, or nothing while every frame is full) or init refuses.
 */
long sim_policy_faults(const struct swap_policy *p, const struct sim_trace *t, unsigned frames);

/* Faults of Belady's MIN with `frames` frames on t (first touches too):
 * on a miss with memory full, evict the page used again farthest ahead.
 * No online policy can do better. */
long sim_opt_faults(const struct sim_trace *t, unsigned frames);

#endif
