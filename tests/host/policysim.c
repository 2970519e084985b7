/*
 * policysim: page faults of the swapper's replacement policies on the
 * traces of user/swapper/traces.h, against Belady's optimal (policysim.h
 * says how the simulation follows user/swapper/main.c). make bench runs it
 * through scripts/bench-policies.sh; docs/bench.md "Replacement policies".
 *
 *   policysim [--mem M] [--csv FILE] [--table]
 *       Every trace shaped for M frames (default 128). stdout: the bench
 *       lines at M frames (faults_<policy>_<trace>, faults_opt_<trace>,
 *       faults_ratio_<policy>_<trace> and faults_geomean_<policy> in
 *       per-mille of OPT), or with --table the same as a readable table.
 *       --csv: trace,policy,frames,faults for pools of M/4 .. 2M frames
 *       (steps of M/8, within 8 .. SWAP_MAX_POOL).
 *   policysim --trace NAME --policy NAME [--mem M] [--frames F]
 *       One run: prints the faults of that policy ("opt" too) on that
 *       trace with F frames (default M): what the real swapper, replaying
 *       the trace in QEMU with a pool of F frames, must count.
 * What-ifs (policysim.h), not the swapper as it is: --cluster N victims a
 * reclaim instead of 8; --frames-down: the pool's frames handed out from
 * the last down (the swapper's order up to session 2), not 0 first;
 * --swap-cache: freed frames keep their pages until reused, a fault on one
 * is a soft fault, not a miss (--table then also gives the soft faults;
 * one run prints its misses and its soft faults).
 */
#include "tests/host/policysim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "user/swapper/swapper.h"

static const struct swap_policy *const policies[] = {
	&clock_policy,
	&fifo_policy,
	&random_policy,
	&clockpro_policy,
};
#define NPOLICIES (sizeof policies / sizeof policies[0])

unsigned sim_cluster = SIM_CLUSTER;
int sim_frames_down;
int sim_swap_cache;
unsigned long sim_reads;
unsigned long sim_soft_faults;

const struct swap_policy *const *sim_policies(unsigned *n)
{
	*n = NPOLICIES;
	return policies;
}

const struct swap_policy *sim_policy_named(const char *name)
{
	for (unsigned i = 0; i < NPOLICIES; i++)
		if (strcmp(policies[i]->name, name) == 0)
			return policies[i];
	return NULL;
}

int sim_trace_load(struct sim_trace *t, enum trace_id id, unsigned mem_frames)
{
	static struct trace_gen g; /* 16 KiB: not on the stack */
	t->len = trace_length(id, mem_frames);
	t->npages = trace_pages(id, mem_frames);
	t->page = malloc((t->len ? t->len : 1) * sizeof *t->page);
	if (!t->page)
		return -1;
	trace_start(&g, id, mem_frames);
	for (size_t i = 0; i < t->len; i++)
		t->page[i] = (uint32_t)trace_next(&g);
	return 0;
}

void sim_trace_free(struct sim_trace *t)
{
	free(t->page);
	t->page = NULL;
	t->len = 0;
}

/* ---- the swapper's discipline --------------------------------------------- */

#define NONE UINT32_MAX

/* The simulated pool: what the swapper keeps in frames[], vpage.frame, the free
 * list, plus the hardware's accessed bit of each frame's mapping. The free
 * list is a doubly linked list of frames: pool.c's LIFO stack pushes and
 * pops at its tail; --swap-cache's FIFO pushes at the tail, pops the head
 * and takes frames back from anywhere. */
static struct {
	unsigned nframes;
	uint32_t owner[SWAP_MAX_POOL]; /* page in the frame, or NONE */
	uint8_t abit[SWAP_MAX_POOL];
	uint32_t fl_prev[SWAP_MAX_POOL], fl_next[SWAP_MAX_POOL]; /* the free list */
	uint32_t fl_head, fl_tail;
	unsigned nfree;
	uint32_t cached[SWAP_MAX_POOL]; /* --swap-cache: the page a free frame still holds */
	uint32_t *where;     /* per page: its frame, or NONE */
	uint32_t *cached_in; /* per page: the free frame still holding it, or NONE */
} pool;

static void fl_push(uint32_t f) /* at the tail */
{
	pool.fl_prev[f] = pool.fl_tail;
	pool.fl_next[f] = NONE;
	if (pool.fl_tail != NONE)
		pool.fl_next[pool.fl_tail] = f;
	else
		pool.fl_head = f;
	pool.fl_tail = f;
	pool.nfree++;
}

static void fl_remove(uint32_t f)
{
	if (pool.fl_prev[f] != NONE)
		pool.fl_next[pool.fl_prev[f]] = pool.fl_next[f];
	else
		pool.fl_head = pool.fl_next[f];
	if (pool.fl_next[f] != NONE)
		pool.fl_prev[pool.fl_next[f]] = pool.fl_prev[f];
	else
		pool.fl_tail = pool.fl_prev[f];
	pool.nfree--;
}

/* The frame a miss takes: main.c's stack top (the tail), or with
 * --swap-cache the frame freed longest ago (the head), whose cached page
 * is then gone for good (the policy was told at its eviction). */
static uint32_t fl_pop(void)
{
	uint32_t f = sim_swap_cache ? pool.fl_head : pool.fl_tail;
	fl_remove(f);
	if (pool.cached[f] != NONE) {
		pool.cached_in[pool.cached[f]] = NONE;
		pool.cached[f] = NONE;
	}
	return f;
}

/* env.accessed: pg_ad_query reads and clears the bit; a free frame (no
 * page, or not mapped) reads 0, as frame_accessed says. */
static int sim_accessed(void *ctx, unsigned f)
{
	(void)ctx;
	sim_reads++;
	if (f >= pool.nframes || pool.owner[f] == NONE)
		return 0;
	int a = pool.abit[f];
	pool.abit[f] = 0;
	return a;
}

/* main.c's reclaim(): up to sim_cluster victims, each page_removed at once,
 * the frames pushed on the free list in the order picked. Returns the
 * number freed, or -1 if the policy named a frame without a page. */
static int sim_reclaim(const struct swap_policy *p)
{
	uint32_t victim[SIM_MAX_CLUSTER];
	unsigned n = 0;
	for (unsigned k = 0; k < sim_cluster && k < SIM_MAX_CLUSTER; k++) {
		long v = p->pick_victim();
		if (v < 0)
			break;
		if ((unsigned long)v >= pool.nframes || pool.owner[v] == NONE) {
			fprintf(stderr, "policysim: %s named frame %ld, which holds no page\n",
				p->name, v);
			return -1;
		}
		p->page_removed((unsigned)v);
		pool.where[pool.owner[v]] = NONE;
		if (sim_swap_cache) { /* the frame keeps the page until reused */
			pool.cached[v] = pool.owner[v];
			pool.cached_in[pool.owner[v]] = (uint32_t)v;
		}
		pool.owner[v] = NONE;
		pool.abit[v] = 0;
		victim[n++] = (uint32_t)v;
	}
	for (unsigned i = 0; i < n; i++)
		fl_push(victim[i]);
	return (int)n;
}

long sim_policy_faults(const struct swap_policy *p, const struct sim_trace *t, unsigned frames)
{
	if (frames == 0 || frames > SWAP_MAX_POOL) {
		fprintf(stderr, "policysim: pools hold 1..%d frames\n", SWAP_MAX_POOL);
		return -1;
	}
	pool.nframes = frames;
	pool.nfree = 0;
	pool.fl_head = pool.fl_tail = NONE;
	sim_reads = 0;
	sim_soft_faults = 0;
	for (unsigned f = 0; f < frames; f++) {
		pool.owner[f] = NONE;
		pool.cached[f] = NONE;
		pool.abit[f] = 0;
		/* The swapper's order: its pool grows 0, 1, 2, ..., so frame 0
		 * is handed out first (--swap-cache: a queue, frame 0 first as
		 * well; --frames-down: the stack the other way up) */
		fl_push(!sim_frames_down && !sim_swap_cache ? frames - 1 - f : f);
	}
	size_t np = t->npages ? t->npages : 1;
	pool.where = malloc(np * sizeof *pool.where);
	pool.cached_in = malloc(np * sizeof *pool.cached_in);
	long faults = -1;
	if (!pool.where || !pool.cached_in)
		goto out;
	for (unsigned i = 0; i < t->npages; i++)
		pool.where[i] = pool.cached_in[i] = NONE;
	struct policy_env env = { .nframes = frames, .accessed = sim_accessed, .ctx = NULL };
	if (p->init(&env) < 0) {
		fprintf(stderr, "policysim: %s refused %u frames\n", p->name, frames);
		goto out;
	}
	faults = 0;
	for (size_t i = 0; i < t->len; i++) {
		uint32_t page = t->page[i];
		uint32_t f = pool.where[page];
		if (f != NONE) {
			pool.abit[f] = 1; /* the MMU sets A; the policy is not told */
			continue;
		}
		if (p->fault) /* a fault (soft or not) follows */
			p->fault();
		if (sim_swap_cache && (f = pool.cached_in[page]) != NONE) {
			/* A soft fault: the page's frame, still free, is taken back
			 * (the rest of the free list keeps its order); no disk I/O,
			 * no reclaim, not a miss. To the policy it is a page added
			 * (its frame, its key), like the miss that first brought it. */
			sim_soft_faults++;
			fl_remove(f);
			pool.cached[f] = NONE;
			pool.cached_in[page] = NONE;
			pool.owner[f] = page;
			pool.where[page] = f;
			p->page_added(f, 1ULL << 32 | page);
			pool.abit[f] = 1; /* the kernel marks the faulting access */
			continue;
		}
		faults++;
		if (pool.nfree == 0) {
			int freed = sim_reclaim(p);
			if (freed <= 0) {
				if (freed == 0)
					fprintf(stderr, "policysim: %s named no victim with %u frames full\n",
						p->name, frames);
				faults = -1;
				goto out;
			}
		}
		f = fl_pop();
		pool.owner[f] = page;
		pool.where[page] = f;
		p->page_added(f, 1ULL << 32 | page);
		pool.abit[f] = 1; /* the kernel marks the faulting access */
	}
out:
	free(pool.where);
	free(pool.cached_in);
	pool.where = pool.cached_in = NULL;
	return faults;
}

/* ---- Belady's MIN ------------------------------------------------------------ */

long sim_opt_faults(const struct sim_trace *t, unsigned frames)
{
	if (frames == 0)
		return -1;
	/* next[i]: where page[i] is used again (len: never). */
	size_t *next = malloc((t->len ? t->len : 1) * sizeof *next);
	size_t *last = malloc((t->npages ? t->npages : 1) * sizeof *last);
	uint32_t *res = malloc(frames * sizeof *res);    /* resident pages */
	size_t *resnext = malloc(frames * sizeof *resnext); /* their next use */
	uint32_t *slot = malloc((t->npages ? t->npages : 1) * sizeof *slot);
	long faults = -1;
	if (!next || !last || !res || !resnext || !slot)
		goto out;
	for (unsigned p = 0; p < t->npages; p++) {
		last[p] = t->len;
		slot[p] = NONE;
	}
	for (size_t i = t->len; i-- > 0;) {
		next[i] = last[t->page[i]];
		last[t->page[i]] = i;
	}
	unsigned nres = 0;
	faults = 0;
	for (size_t i = 0; i < t->len; i++) {
		uint32_t page = t->page[i];
		if (slot[page] != NONE) {
			resnext[slot[page]] = next[i];
			continue;
		}
		faults++;
		unsigned s = nres;
		if (nres == frames) {
			/* A linear scan: traces are short and pools small. */
			s = 0;
			for (unsigned j = 1; j < nres; j++)
				if (resnext[j] > resnext[s])
					s = j;
			slot[res[s]] = NONE;
		} else {
			nres++;
		}
		res[s] = page;
		resnext[s] = next[i];
		slot[page] = s;
	}
out:
	free(next);
	free(last);
	free(res);
	free(resnext);
	free(slot);
	return faults;
}

/* ---- the program ------------------------------------------------------------- */

#ifndef POLICYSIM_NO_MAIN

static void usage(void)
{
	fprintf(stderr, "usage: policysim [--mem M] [--csv FILE] [--table] [what-ifs]\n"
			"       policysim --trace NAME --policy NAME|opt [--mem M] [--frames F] "
			"[what-ifs]\n"
			"what-ifs: --cluster N (victims a reclaim, 1..%d), --frames-down, --swap-cache\n",
		SIM_MAX_CLUSTER);
	exit(2);
}

static long run_one(const char *policy, const struct sim_trace *t, unsigned frames)
{
	if (strcmp(policy, "opt") == 0)
		return sim_opt_faults(t, frames);
	return sim_policy_faults(sim_policy_named(policy), t, frames);
}

/* The CSV: every policy and OPT on every trace, pools of M/4 .. 2M. */
static int write_csv(const char *path, const struct sim_trace *tr, unsigned mem)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		return -1;
	}
	unsigned step = mem / 8 ? mem / 8 : 1, lo = mem / 4, hi = 2 * mem;
	if (lo < SIM_CLUSTER)
		lo = SIM_CLUSTER;
	if (hi > SWAP_MAX_POOL)
		hi = SWAP_MAX_POOL;
	fprintf(f, "trace,policy,frames,faults\n");
	int rc = 0;
	for (int id = 0; id < TRACE_COUNT; id++)
		for (unsigned frames = lo; frames <= hi; frames += step) {
			for (unsigned p = 0; p <= NPOLICIES; p++) {
				long n = p < NPOLICIES ? sim_policy_faults(policies[p], &tr[id], frames)
						       : sim_opt_faults(&tr[id], frames);
				rc |= n < 0;
				fprintf(f, "%s,%s,%u,%ld\n", trace_name(id),
					p < NPOLICIES ? policies[p]->name : "opt", frames, n);
			}
		}
	return fclose(f) || rc ? -1 : 0;
}

/* The figures at M frames: bench lines, or a table for people. */
static int report(const struct sim_trace *tr, unsigned mem, int table)
{
	long opt[TRACE_COUNT], faults[NPOLICIES][TRACE_COUNT];
	unsigned long reads[NPOLICIES][TRACE_COUNT], soft[NPOLICIES][TRACE_COUNT];
	double logsum[NPOLICIES] = { 0 };
	for (int id = 0; id < TRACE_COUNT; id++) {
		if ((opt[id] = sim_opt_faults(&tr[id], mem)) <= 0)
			return -1;
		for (unsigned p = 0; p < NPOLICIES; p++) {
			if ((faults[p][id] = sim_policy_faults(policies[p], &tr[id], mem)) < 0)
				return -1;
			reads[p][id] = sim_reads;
			soft[p][id] = sim_soft_faults;
			logsum[p] += log((double)faults[p][id] / (double)opt[id]);
		}
	}
	if (table) {
		printf("page faults with %u frames, and faults / OPT%s\n%-8s %6s", mem,
		       sim_swap_cache ? " (--swap-cache: misses only)" : "", "trace", "opt");
		for (unsigned p = 0; p < NPOLICIES; p++)
			printf(" %15s", policies[p]->name);
		printf("\n");
		for (int id = 0; id < TRACE_COUNT; id++) {
			printf("%-8s %6ld", trace_name(id), opt[id]);
			for (unsigned p = 0; p < NPOLICIES; p++)
				printf(" %7ld (%5.2f)", faults[p][id], (double)faults[p][id] / opt[id]);
			printf("\n");
		}
		printf("%-8s %6s", "geomean", "");
		for (unsigned p = 0; p < NPOLICIES; p++)
			printf(" %15.3f", exp(logsum[p] / TRACE_COUNT));
		if (sim_swap_cache) {
			printf("\n\nsoft faults (a freed frame taken back: no disk I/O)\n%-15s",
			       "trace");
			for (unsigned p = 0; p < NPOLICIES; p++)
				printf(" %15s", policies[p]->name);
			for (int id = 0; id < TRACE_COUNT; id++) {
				printf("\n%-15s", trace_name(id));
				for (unsigned p = 0; p < NPOLICIES; p++)
					printf(" %15lu", soft[p][id]);
			}
		}
		printf("\n\naccessed bits read per fault (a pg_ad_query each in the swapper)\n%-15s",
		       "trace");
		for (unsigned p = 0; p < NPOLICIES; p++)
			printf(" %15s", policies[p]->name);
		printf("\n");
		for (int id = 0; id < TRACE_COUNT; id++) {
			printf("%-15s", trace_name(id));
			for (unsigned p = 0; p < NPOLICIES; p++)
				printf(" %15.2f", (double)reads[p][id] / (double)faults[p][id]);
			printf("\n");
		}
		return 0;
	}
	for (int id = 0; id < TRACE_COUNT; id++) {
		for (unsigned p = 0; p < NPOLICIES; p++)
			printf("bench: faults_%s_%s %ld faults\n", policies[p]->name, trace_name(id),
			       faults[p][id]);
		printf("bench: faults_opt_%s %ld faults\n", trace_name(id), opt[id]);
	}
	for (int id = 0; id < TRACE_COUNT; id++)
		for (unsigned p = 0; p < NPOLICIES; p++)
			printf("bench: faults_ratio_%s_%s %ld permille\n", policies[p]->name,
			       trace_name(id), (faults[p][id] * 1000 + opt[id] / 2) / opt[id]);
	for (unsigned p = 0; p < NPOLICIES; p++)
		printf("bench: faults_geomean_%s %ld permille\n", policies[p]->name,
		       lround(1000 * exp(logsum[p] / TRACE_COUNT)));
	return 0;
}

static unsigned number(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (!*s || *end || v == 0 || v > 1u << 20)
		usage();
	return (unsigned)v;
}

int main(int argc, char **argv)
{
	unsigned mem = 128, frames = 0;
	const char *csv = NULL, *trace = NULL, *policy = NULL;
	int table = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--table") == 0) {
			table = 1;
			continue;
		}
		if (strcmp(a, "--frames-down") == 0) {
			sim_frames_down = 1;
			continue;
		}
		if (strcmp(a, "--swap-cache") == 0) {
			sim_swap_cache = 1;
			continue;
		}
		if (!v)
			usage();
		i++;
		if (strcmp(a, "--mem") == 0)
			mem = number(v);
		else if (strcmp(a, "--frames") == 0)
			frames = number(v);
		else if (strcmp(a, "--csv") == 0)
			csv = v;
		else if (strcmp(a, "--trace") == 0)
			trace = v;
		else if (strcmp(a, "--policy") == 0)
			policy = v;
		else if (strcmp(a, "--cluster") == 0)
			sim_cluster = number(v);
		else
			usage();
	}
	if (sim_cluster > SIM_MAX_CLUSTER)
		usage();
	if (mem < TRACE_MIN_MEM || mem > TRACE_MAX_MEM || mem % 8) {
		fprintf(stderr, "policysim: --mem must be a multiple of 8 in %d..%d\n", TRACE_MIN_MEM,
			TRACE_MAX_MEM);
		return 2;
	}
	if (trace || policy) {
		int id = trace ? trace_lookup(trace) : -1;
		if (id < 0 || !policy || (strcmp(policy, "opt") && !sim_policy_named(policy)))
			usage();
		struct sim_trace t;
		if (sim_trace_load(&t, id, mem) < 0)
			return 1;
		long n = run_one(policy, &t, frames ? frames : mem);
		sim_trace_free(&t);
		if (n < 0)
			return 1;
		if (sim_swap_cache && strcmp(policy, "opt"))
			printf("%ld %lu\n", n, sim_soft_faults);
		else
			printf("%ld\n", n);
		return 0;
	}
	if (mem > SWAP_MAX_POOL) {
		fprintf(stderr, "policysim: the swapper's pool holds at most %d frames\n", SWAP_MAX_POOL);
		return 2;
	}
	struct sim_trace tr[TRACE_COUNT];
	for (int id = 0; id < TRACE_COUNT; id++)
		if (sim_trace_load(&tr[id], id, mem) < 0)
			return 1;
	int rc = (csv && write_csv(csv, tr, mem) < 0) || report(tr, mem, table) < 0;
	for (int id = 0; id < TRACE_COUNT; id++)
		sim_trace_free(&tr[id]);
	return rc;
}

#endif
