/*
 * Host tests for the swapper's replacement policies (user/swapper/clock.c,
 * fifo.c, random.c, clockpro.c), the traces (traces.c) and the simulator
 * with its Belady's optimal (tests/host/policysim.c).
 *
 * Policies are driven two ways: directly, with a fake environment whose
 * accessed bits the test sets, and through the simulator on small traces
 * written here, where a property (a hot page survives a scan, a page is
 * forgotten) shows as a hit or a miss of one access. Where CLOCK-Pro is
 * meant to differ from CLOCK, the test checks CLOCK does the opposite, so
 * the scenario really tells the two apart.
 */
#include "tests/host/check.h"
#include "tests/host/policysim.h"

#include <stdlib.h>
#include <string.h>

#include "user/swapper/swapper.h"

/* ---- a fake environment: accessed bits the test controls ---------------- */

static int abit[SWAP_MAX_POOL];
static unsigned nreads; /* accessed() calls */

static int fake_accessed(void *ctx, unsigned f)
{
	(void)ctx;
	int a = abit[f];
	abit[f] = 0;
	nreads++;
	return a;
}

static void fake_init(const struct swap_policy *p, unsigned nframes)
{
	memset(abit, 0, sizeof abit);
	struct policy_env env = { .nframes = nframes, .accessed = fake_accessed };
	if (p->init(&env) != 0)
		check_failed(__FILE__, __LINE__, "init refused");
}

/* A fault that brings page key into frame f, as the swapper makes it:
 * the policy's fault call, then page_added. */
static void fault_add(const struct swap_policy *p, unsigned f, uint64_t key)
{
	if (p->fault)
		p->fault();
	p->page_added(f, key);
}

static unsigned npolicies;
static const struct swap_policy *const *policies;

/* ---- simulating hand-made traces ---------------------------------------------- */

#define MAX_TRACE 4096
static uint32_t buf[MAX_TRACE];
static struct sim_trace tr = { .page = buf };

static void tr_reset(void)
{
	tr.len = 0;
	tr.npages = 0;
}

static void tr_add(uint32_t page)
{
	if (tr.len < MAX_TRACE)
		buf[tr.len++] = page;
	if (page >= tr.npages)
		tr.npages = page + 1;
}

/* Faults of p (NULL: OPT) on the first n accesses of tr. */
static long faults_upto(const struct swap_policy *p, size_t n, unsigned frames)
{
	struct sim_trace t = { .page = buf, .len = n, .npages = tr.npages };
	return p ? sim_policy_faults(p, &t, frames) : sim_opt_faults(&t, frames);
}

/* Whether access number i of tr (0-based) faults under p. */
static int misses_at(const struct swap_policy *p, size_t i, unsigned frames)
{
	return faults_upto(p, i + 1, frames) - faults_upto(p, i, frames) == 1;
}

/* ---- OPT ------------------------------------------------------------------------ */

static void t_opt_textbook(void)
{
	/* 1,2,3,4,1,2,5,1,2,3,4,5: with 3 frames OPT faults on 1,2,3,4,5,3,4
	 * (evicting 3, then 4, then 1) = 7; with 4 frames on 1,2,3,4,5,4 = 6. */
	static const uint32_t seq[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5 };
	tr_reset();
	for (unsigned i = 0; i < 12; i++)
		tr_add(seq[i]);
	CHECK_EQ(faults_upto(NULL, 12, 3), 7);
	CHECK_EQ(faults_upto(NULL, 12, 4), 6);
	CHECK_EQ(faults_upto(NULL, 12, 5), 5); /* every page fits: first touches only */
	CHECK_EQ(faults_upto(NULL, 12, 1), 12); /* no two neighbours are equal */
	/* The same string shows Belady's anomaly with FIFO when each fault
	 * evicts one page: 9 faults with 3 frames, 10 with 4. */
	sim_cluster = 1;
	long f3 = faults_upto(&fifo_policy, 12, 3), f4 = faults_upto(&fifo_policy, 12, 4);
	sim_cluster = SIM_CLUSTER;
	CHECK_EQ(f3, 9);
	CHECK_EQ(f4, 10);
}

static void t_opt_lower_bound(void)
{
	/* On every trace and pool size, no policy beats OPT, and every policy
	 * faults at least once per distinct page and at most once per access. */
	for (int id = 0; id < TRACE_COUNT; id++) {
		struct sim_trace t;
		CHECK(sim_trace_load(&t, id, 64) == 0);
		char *seen = calloc(t.npages, 1);
		long distinct = 0;
		for (size_t i = 0; i < t.len; i++)
			if (!seen[t.page[i]]++)
				distinct++;
		free(seen);
		for (unsigned frames = 16; frames <= 128; frames += 16) {
			long opt = sim_opt_faults(&t, frames);
			if (opt < distinct || opt > (long)t.len)
				check_failed(__FILE__, __LINE__, "OPT outside [distinct, length]");
			for (unsigned p = 0; p < npolicies; p++) {
				long f = sim_policy_faults(policies[p], &t, frames);
				if (f < opt || f > (long)t.len)
					check_failed(__FILE__, __LINE__, policies[p]->name);
			}
		}
		sim_trace_free(&t);
		if (check_failing())
			return;
	}
}

/* ---- every policy ------------------------------------------------------------- */

static void t_empty(void)
{
	for (unsigned p = 0; p < npolicies; p++) {
		fake_init(policies[p], 16);
		CHECK(policies[p]->pick_victim() == -1);
		for (unsigned f = 0; f < 16; f++)
			fault_add(policies[p], f, 1ULL << 32 | f);
		for (unsigned f = 0; f < 16; f++)
			policies[p]->page_removed(f);
		CHECK(policies[p]->pick_victim() == -1);
		struct policy_env bad = { .nframes = SWAP_MAX_POOL + 1, .accessed = fake_accessed };
		CHECK(policies[p]->init(&bad) < 0);
		bad.nframes = 0;
		CHECK(policies[p]->init(&bad) < 0);
	}
}

static void t_removed_not_victim(void)
{
	/* A client going away takes back frames the policy did not name: they
	 * must never be named afterwards, until added again. */
	for (unsigned p = 0; p < npolicies; p++) {
		const struct swap_policy *pol = policies[p];
		fake_init(pol, 32);
		for (unsigned f = 0; f < 32; f++) {
			fault_add(pol, f, 1ULL << 32 | f);
			abit[f] = 1;
		}
		pol->page_removed(3);
		pol->page_removed(17);
		pol->page_removed(17); /* twice: harmless */
		for (unsigned k = 0; k < 30; k++) {
			long v = pol->pick_victim();
			if (v < 0 || v >= 32 || v == 3 || v == 17)
				check_failed(__FILE__, __LINE__, pol->name);
			if (check_failing())
				return;
			pol->page_removed((unsigned)v);
		}
		CHECK(pol->pick_victim() == -1);
		fault_add(pol, 17, 2ULL << 32 | 17);
		CHECK(pol->pick_victim() == 17);
	}
}

static void t_second_chance(void)
{
	/* Frames 0..3 added in order, frame 0 used since: CLOCK passes it
	 * (clearing its bit) and takes 1; FIFO takes 0 all the same. */
	fake_init(&clock_policy, 4);
	for (unsigned f = 0; f < 4; f++)
		clock_policy.page_added(f, f);
	abit[0] = 1;
	CHECK_EQ(clock_policy.pick_victim(), 1);
	CHECK_EQ(abit[0], 0);
	clock_policy.page_removed(1);
	/* Every page used: a full turn clears all, then the first is taken. */
	abit[0] = abit[2] = abit[3] = 1;
	CHECK_EQ(clock_policy.pick_victim(), 2);

	fake_init(&fifo_policy, 4);
	for (unsigned f = 0; f < 4; f++)
		fifo_policy.page_added(f, f);
	abit[0] = 1;
	CHECK_EQ(fifo_policy.pick_victim(), 0);
	CHECK_EQ(abit[0], 1); /* never looked at */
	fifo_policy.page_removed(0);
	fifo_policy.page_added(0, 9); /* back in: now the newest */
	CHECK_EQ(fifo_policy.pick_victim(), 1);
}

static void t_policies_repeat(void)
{
	/* Same trace, same pool: same faults (random has a fixed seed). */
	struct sim_trace t;
	CHECK(sim_trace_load(&t, TRACE_ZIPF, 64) == 0);
	for (unsigned p = 0; p < npolicies; p++) {
		long a = sim_policy_faults(policies[p], &t, 64);
		long b = sim_policy_faults(policies[p], &t, 64);
		if (a < 0 || a != b)
			check_failed(__FILE__, __LINE__, policies[p]->name);
	}
	sim_trace_free(&t);
}

/* ---- CLOCK-Pro ------------------------------------------------------------------ */

#define FRAMES 32
#define FRESH_BASE 1000 /* pages from here on: a scan, each touched once */

static uint32_t fresh_page;

static void scan(unsigned n)
{
	while (n--)
		tr_add(fresh_page++);
}

/* A hot set of 12 pages (0..11), used again and again after the pool has
 * filled with other pages, then a one-time scan 8 times the pool, then the
 * hot set once more: CLOCK-Pro keeps all of it, CLOCK loses all of it. */
static void t_scan_resistance(void)
{
	tr_reset();
	fresh_page = FRESH_BASE;
	scan(2 * FRAMES); /* fill the pool: the hot set is judged, not a warm-up */
	for (unsigned round = 0; round < 12; round++)
		for (uint32_t p = 0; p < 12; p++)
			tr_add(p);
	scan(8 * FRAMES);
	size_t last = tr.len;
	for (uint32_t p = 0; p < 12; p++)
		tr_add(p);
	long cp = faults_upto(&clockpro_policy, tr.len, FRAMES) -
		  faults_upto(&clockpro_policy, last, FRAMES);
	long ck = faults_upto(&clock_policy, tr.len, FRAMES) -
		  faults_upto(&clock_policy, last, FRAMES);
	CHECK_EQ(cp, 0);
	CHECK_EQ(ck, 12);
}

/* Page X is used once, then again while in its test period (a few other
 * pages later), then a long scan; X comes through it (it became hot). A page
 * used only once before the scan (Y) does not. */
static void t_test_period_hit(void)
{
	tr_reset();
	fresh_page = FRESH_BASE;
	const uint32_t X = 500, Y = 501;
	scan(2 * FRAMES);
	for (unsigned k = 0; k < 6; k++) {
		tr_add(X);
		scan(4);
	}
	tr_add(Y);
	scan(8 * FRAMES);
	size_t x_at = tr.len;
	tr_add(X);
	tr_add(Y);
	CHECK(!misses_at(&clockpro_policy, x_at, FRAMES));
	CHECK(misses_at(&clockpro_policy, x_at + 1, FRAMES));
	CHECK(misses_at(&clock_policy, x_at, FRAMES));
	struct clockpro_census c;
	clockpro_census(&c);
	CHECK(c.hot > 0 && c.hot + c.cold <= FRAMES && c.cold_target <= FRAMES);
}

/* A page evicted in its test period is remembered (its next fault makes it
 * hot) only while fewer than 2 x nframes other ghosts came after it: P
 * returns soon after its eviction and survives a scan; Q returns after far
 * more than 2 x nframes other evictions, comes back cold, and the scan
 * takes it. */
static void t_history_bounded(void)
{
	tr_reset();
	fresh_page = FRESH_BASE;
	const uint32_t P = 600, Q = 601;
	scan(2 * FRAMES);
	for (unsigned k = 0; k < 3; k++) { /* used often: a hot set to demote from */
		for (uint32_t p = 0; p < FRAMES / 2; p++)
			tr_add(p);
		scan(8);
	}
	tr_add(P);
	tr_add(Q);
	scan(FRAMES / 2); /* P and Q evicted, P's ghost kept */
	tr_add(P);
	scan(6 * FRAMES); /* Q's ghost forgotten */
	tr_add(Q);
	scan(8 * FRAMES);
	size_t at = tr.len;
	tr_add(P);
	tr_add(Q);
	CHECK(!misses_at(&clockpro_policy, at, FRAMES));
	CHECK(misses_at(&clockpro_policy, at + 1, FRAMES));
	/* However long the run, the ghosts stay within twice the pool's size
	 * (and the history is that long: more than nframes of them). */
	tr_reset();
	fresh_page = FRESH_BASE;
	for (unsigned k = 0; k < 40; k++) {
		tr_add(k % 4); /* a few pages used often enough to be promoted */
		scan(50);
	}
	CHECK(faults_upto(&clockpro_policy, tr.len, FRAMES) > 0);
	struct clockpro_census c;
	clockpro_census(&c);
	CHECK(c.ghosts > FRAMES && c.ghosts <= 2 * FRAMES);
}

/* A working set (a hot set used for long, beside one-time pages) holds the
 * hot pages, then stops being used for good, and a loop over more pages
 * than the pool plus its cold pages (44 > 32 + 4) begins. Nothing is
 * promoted until a loop page is hit as a ghost, and a loop page comes back
 * after 40 other evictions: with only nframes (32) ghosts it would be
 * forgotten each time and the loop would fault on every access for good,
 * the stale hot set never demoted (CLOCK does that here). With 2 x nframes
 * the loop is learnt: in its last 10 turns fewer than 60% of the accesses
 * fault (OPT: 27%). */
static void t_loop_after_working_set(void)
{
	tr_reset();
	fresh_page = FRESH_BASE;
	uint64_t x = 1;
	for (unsigned r = 0; r < 3; r++) {
		for (unsigned k = 0; k < 8 * FRAMES; k++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			tr_add((uint32_t)(x >> 33) % (FRAMES / 2));
		}
		scan(2 * FRAMES);
	}
	const unsigned loop = FRAMES + FRAMES / 4 + FRAMES / 8, turns = 30;
	size_t start = tr.len;
	for (unsigned r = 0; r < turns; r++)
		for (uint32_t k = 0; k < loop; k++)
			tr_add(100 + k);
	size_t last10 = start + (turns - 10) * loop;
	long cp = faults_upto(&clockpro_policy, tr.len, FRAMES) -
		  faults_upto(&clockpro_policy, last10, FRAMES);
	long ck = faults_upto(&clock_policy, tr.len, FRAMES) -
		  faults_upto(&clock_policy, last10, FRAMES);
	long opt = faults_upto(NULL, tr.len, FRAMES) - faults_upto(NULL, last10, FRAMES);
	CHECK_EQ(ck, 10 * loop);
	CHECK(cp < 6 * (long)loop);
	CHECK(opt < 3 * (long)loop);
}

/* The kernel sets a new page's accessed bit at its fault; CLOCK-Pro clears
 * it at the next fault or, as here, the next reclaim, so a use after that
 * counts when the cold hand first reaches the page. 64 frames: 56 pages hot, 8 cold (frames 56..63);
 * the first reclaim takes frame 56 and a new page Z comes into it; the
 * second reclaim takes 57, Z is used once, and the following ones take
 * 58..63 and reach Z: used in its test period, it turns hot, never named.
 * (Were the first reading after the fault skipped as the fault's own, that
 * use would be skipped with it and Z named once 58..63 are gone.) */
static void t_new_page_use(void)
{
	const struct swap_policy *p = &clockpro_policy;
	fake_init(p, 64);
	for (unsigned f = 0; f < 64; f++) {
		fault_add(p, f, 1ULL << 32 | f);
		abit[f] = 1; /* the faults' own */
	}
	long v = p->pick_victim();
	CHECK_EQ(v, 56);
	p->page_removed((unsigned)v);
	const unsigned Z = 56;
	fault_add(p, Z, 2ULL << 32 | Z);
	abit[Z] = 1;
	v = p->pick_victim();
	CHECK_EQ(v, 57);
	p->page_removed((unsigned)v);
	abit[Z] = 1; /* used once */
	for (unsigned f = 58; f < 64 + 8 && !check_failing(); f++) {
		v = p->pick_victim();
		CHECK(v >= 0 && v != Z);
		if (f < 64)
			CHECK_EQ(v, f);
		p->page_removed((unsigned)v);
	}
	struct clockpro_census c;
	clockpro_census(&c);
	CHECK(c.hot > 0);
}

/* A new page's fault's own bit is cleared at the next fault already, if it
 * is set by then: a use between that fault and the next reclaim counts.
 * 64 frames as in POL-015; the first reclaim takes 56 and 57; Z comes into
 * 56 (its bit set: the fault's own), W into 57, and Z is used after W's
 * fault. The next picks take 58..63 and then reach Z: used in its test
 * period, it turns hot (demoting hot pages unused since the first
 * reclaim, which the next picks take), never named; W, new and not used,
 * gets one more turn. (Were Z's bit
 * cleared only at the next reclaim, as before, that use would be taken for
 * the fault's own and Z named once 58..63 are gone.) Then the other half:
 * a page whose bit is still clear at the next fault (its client has not
 * run yet, or it was read ahead) keeps it as the fault's own: Y comes into
 * 58 untouched, V into 59 (Y's bit read: clear), Y is touched once: at the
 * next reclaim that is taken for its first access, and Y is named. */
static void t_new_page_next_fault(void)
{
	const struct swap_policy *p = &clockpro_policy;
	fake_init(p, 64);
	for (unsigned f = 0; f < 64; f++) {
		fault_add(p, f, 1ULL << 32 | f);
		abit[f] = 1; /* the faults' own */
	}
	for (unsigned f = 56; f < 58; f++) {
		CHECK_EQ(p->pick_victim(), f);
		p->page_removed(f);
	}
	const unsigned Z = 56, W = 57;
	fault_add(p, Z, 2ULL << 32 | Z);
	abit[Z] = 1;
	fault_add(p, W, 2ULL << 32 | W);
	abit[W] = 1;
	CHECK_EQ(abit[Z], 0); /* read (and cleared) at W's fault */
	abit[Z] = 1;          /* used once since */
	for (unsigned k = 0; k < 8 && !check_failing(); k++) {
		long v = p->pick_victim();
		CHECK(v >= 0 && v != Z && v != W); /* W: not used, one more turn */
		if (k < 6)
			CHECK_EQ(v, 58 + k);
		p->page_removed((unsigned)v);
	}

	fake_init(p, 64);
	for (unsigned f = 0; f < 64; f++) {
		fault_add(p, f, 1ULL << 32 | f);
		abit[f] = 1;
	}
	for (unsigned f = 56; f < 60; f++) {
		CHECK_EQ(p->pick_victim(), f);
		p->page_removed(f);
	}
	const unsigned Y = 58, V = 59;
	fault_add(p, Y, 2ULL << 32 | Y); /* not touched yet */
	fault_add(p, V, 2ULL << 32 | V);
	abit[V] = 1;
	abit[Y] = 1; /* Y's first access, after V's fault */
	int named_y = 0;
	for (unsigned k = 0; k < 8 && !check_failing(); k++) {
		long v = p->pick_victim();
		CHECK(v >= 0);
		named_y |= v == Y;
		p->page_removed((unsigned)v);
	}
	CHECK(named_y);
}

/* A fault that reads ahead adds several pages; only its first page_added
 * settles the FRESH pages (reads their bits): the pages added after it
 * came in untouched, and no client ran in between. The next fault reads
 * each of them once. (An earlier version read every FRESH bit at each
 * page_added: 28 readings for these 8 pages.) */
static void t_readahead_reads(void)
{
	const struct swap_policy *p = &clockpro_policy;
	fake_init(p, 64);
	for (unsigned f = 0; f < 64; f++) {
		fault_add(p, f, 1ULL << 32 | f);
		abit[f] = 1;
	}
	unsigned freed[9];
	for (unsigned k = 0; k < 9; k++) {
		long v = p->pick_victim();
		CHECK(v >= 0);
		if (v < 0)
			return;
		freed[k] = (unsigned)v;
		p->page_removed((unsigned)v);
	}
	p->fault();
	nreads = 0;
	for (unsigned k = 0; k < 8; k++) /* one fault: its page and 7 read ahead */
		p->page_added(freed[k], 2ULL << 32 | k);
	CHECK_EQ(nreads, 0); /* the pick before left nothing FRESH */
	abit[freed[0]] = 1; /* the faulted page used; the others not yet */
	abit[freed[3]] = 1; /* a read-ahead page used */
	fault_add(p, freed[8], 2ULL << 32 | 8);
	CHECK_EQ(nreads, 8);
	CHECK_EQ(abit[freed[0]], 0);
	CHECK_EQ(abit[freed[3]], 0);
}

static void t_clockpro_client_gone(void)
{
	/* A ghost hit whose page goes away before the promotion, and hot pages
	 * taken back: the policy goes on naming only resident frames. */
	const struct swap_policy *p = &clockpro_policy;
	fake_init(p, 16);
	for (unsigned f = 0; f < 16; f++) {
		fault_add(p, f, 1ULL << 32 | f);
		abit[f] = 1;
	}
	long v = p->pick_victim();
	CHECK(v >= 0 && v < 16);
	p->page_removed((unsigned)v);
	fault_add(p, (unsigned)v, 1ULL << 32 | (unsigned)v); /* a ghost hit */
	p->page_removed((unsigned)v);                       /* and gone at once */
	p->page_removed(0);                                 /* a hot page, gone */
	unsigned named = 0;
	for (long w; (w = p->pick_victim()) >= 0; named++) {
		CHECK(w < 16 && w != v && w != 0);
		p->page_removed((unsigned)w);
	}
	CHECK_EQ(named, 14);
	struct clockpro_census c;
	clockpro_census(&c);
	CHECK_EQ(c.hot + c.cold, 0);
}

/* ---- the swap-cache what-if ------------------------------------------------------- */

/* FIFO with its page_added calls recorded. */
static unsigned nadded;
static unsigned added_frame[64];
static uint64_t added_key[64];

static void rec_added(unsigned frame, uint64_t key)
{
	if (nadded < 64) {
		added_frame[nadded] = frame;
		added_key[nadded++] = key;
	}
	fifo_policy.page_added(frame, key);
}

static void t_swap_cache(void)
{
	/* 4 frames, 2 victims a reclaim, FIFO: pages 1..4 fill frames 0..3
	 * (the free list is a queue from frame 0); 5 reclaims frames 0 and 1
	 * (pages 1, 2) and takes frame 0, freed first; 2 is still in frame 1:
	 * a soft fault, frame 1 taken back; 1 misses (its frame was reused)
	 * and reclaims frames 2, 3 (pages 3, 4), taking frame 2; 4 is a soft
	 * fault on frame 3; 3 misses, reclaims frames 0 and 1 and takes 0. */
	static const uint32_t seq[] = { 1, 2, 3, 4, 5, 2, 1, 4, 3 };
	struct swap_policy rec = fifo_policy;
	rec.page_added = rec_added;
	tr_reset();
	for (unsigned i = 0; i < 9; i++)
		tr_add(seq[i]);
	sim_cluster = 2;
	sim_swap_cache = 1;
	nadded = 0;
	long misses = faults_upto(&rec, 9, 4);
	unsigned long soft = sim_soft_faults;
	sim_swap_cache = 0;
	long lifo = faults_upto(&rec, 9, 4);
	sim_cluster = SIM_CLUSTER;
	CHECK_EQ(misses, 7);
	CHECK_EQ(soft, 2);
	CHECK_EQ(lifo, 9); /* main.c's discipline: every refault is a miss */
	CHECK_EQ(sim_soft_faults, 0);
	/* page_added: the frames in that order, the soft faults with the
	 * frame and key their page had. */
	static const unsigned frame[] = { 0, 1, 2, 3, 0, 1, 2, 3, 0 };
	static const uint32_t page[] = { 1, 2, 3, 4, 5, 2, 1, 4, 3 };
	for (unsigned i = 0; i < 9; i++) {
		CHECK_EQ(added_frame[i], frame[i]);
		CHECK(added_key[i] == (1ULL << 32 | page[i]));
	}
	/* No policy beats OPT with it either: a page is in memory (resident or
	 * cached) only in one of the pool's frames. */
	sim_swap_cache = 1;
	for (int id = 0; id < TRACE_COUNT && !check_failing(); id++) {
		struct sim_trace t;
		CHECK(sim_trace_load(&t, id, 64) == 0);
		for (unsigned frames = 16; frames <= 128; frames += 16) {
			long opt = sim_opt_faults(&t, frames);
			for (unsigned p = 0; p < npolicies; p++) {
				long f = sim_policy_faults(policies[p], &t, frames);
				if (f < opt || f + (long)sim_soft_faults > (long)t.len)
					check_failed(__FILE__, __LINE__, policies[p]->name);
			}
		}
		sim_trace_free(&t);
	}
	sim_swap_cache = 0;
}

/* ---- traces ----------------------------------------------------------------------- */

static void t_traces(void)
{
	static struct trace_gen a, b;
	static const unsigned mems[] = { 1, 16, 100, 128, 1024, 5000 };
	for (int id = 0; id < TRACE_COUNT; id++) {
		CHECK_EQ(trace_lookup(trace_name(id)), id);
		for (unsigned m = 0; m < sizeof mems / sizeof mems[0]; m++) {
			unsigned n = trace_pages(id, mems[m]);
			unsigned long len = trace_length(id, mems[m]), i = 0;
			CHECK(n > 0 && n <= TRACE_MAX_PAGES && len > 0);
			trace_start(&a, id, mems[m]);
			trace_start(&b, id, mems[m]);
			for (long p; (p = trace_next(&a)) >= 0; i++) {
				if (p >= n || p != trace_next(&b))
					check_failed(__FILE__, __LINE__, trace_name(id));
				if (check_failing())
					return;
			}
			CHECK_EQ(i, len);
			CHECK(trace_next(&b) == -1 && trace_next(&a) == -1);
		}
	}
	CHECK(trace_lookup("nope") == -1 && trace_lookup("loo") == -1 && trace_lookup(NULL) == -1);
	CHECK(trace_name(TRACE_COUNT) == NULL && trace_pages(TRACE_COUNT, 128) == 0);
	trace_start(&a, TRACE_COUNT, 128);
	CHECK(trace_next(&a) == -1);
}

static void t_trace_shapes(void)
{
	/* The shapes traces.h promises, for M = 128. */
	struct sim_trace t;
	CHECK(sim_trace_load(&t, TRACE_LOOP, 128) == 0);
	for (size_t i = 0; i < t.len; i++)
		CHECK(t.page[i] == i % 144);
	sim_trace_free(&t);

	CHECK(sim_trace_load(&t, TRACE_SEQSCAN, 128) == 0);
	unsigned *count = calloc(t.npages, sizeof *count);
	for (size_t i = 0; i < t.len; i++)
		count[t.page[i]]++;
	for (unsigned p = 64; p < t.npages; p++) /* each scan page exactly once */
		CHECK(count[p] == 1);
	for (unsigned p = 0; p < 64; p++) /* 6 * 512 hot accesses over 64 pages */
		CHECK(count[p] > 20);
	free(count);
	sim_trace_free(&t);

	CHECK(sim_trace_load(&t, TRACE_ZIPF, 128) == 0);
	count = calloc(t.npages, sizeof *count);
	for (size_t i = 0; i < t.len; i++)
		count[t.page[i]]++;
	/* Page 0 has weight 1/H(512) = 15% of 5120: about 750, page 1 half. */
	CHECK(count[0] > 600 && count[0] < 900 && count[1] > 280 && count[1] < 480);
	free(count);
	sim_trace_free(&t);

	CHECK(sim_trace_load(&t, TRACE_SHIFT, 128) == 0);
	for (size_t i = 0; i < t.len; i++) { /* phase i/1280 uses [48 * phase, +96) */
		unsigned lo = (unsigned)(i / 1280) * 48;
		CHECK(t.page[i] >= lo && t.page[i] < lo + 96);
	}
	sim_trace_free(&t);
}

int main(void)
{
	policies = sim_policies(&npolicies);
	run_test("POL-001", "OPT on the textbook string: 7 faults with 3 frames, 6 with 4; FIFO's anomaly", t_opt_textbook);
	run_test("POL-002", "no policy beats OPT on any trace or pool size; faults within [distinct, length]", t_opt_lower_bound);
	run_test("POL-003", "every policy: -1 with nothing resident; init refuses 0 and too many frames", t_empty);
	run_test("POL-004", "every policy: frames taken back without being named are never named", t_removed_not_victim);
	run_test("POL-005", "CLOCK gives a used page a second chance (clearing its bit); FIFO does not", t_second_chance);
	run_test("POL-006", "every policy repeats exactly on the same trace", t_policies_repeat);
	run_test("POL-007", "CLOCK-Pro: a one-time scan leaves the hot set resident (CLOCK loses it)", t_scan_resistance);
	run_test("POL-008", "CLOCK-Pro: a page used again in its test period turns hot and outlives a scan", t_test_period_hit);
	run_test("POL-009", "CLOCK-Pro: ghosts are remembered, at most 2 x nframes of them, then forgotten", t_history_bounded);
	run_test("POL-010", "CLOCK-Pro: pages taken back (a ghost hit, a hot page) are never named", t_clockpro_client_gone);
	run_test("POL-011", "traces: same pages every run, within their universe and length, names", t_traces);
	run_test("POL-012", "traces: loop, seqscan, zipf and shift have the shapes traces.h gives", t_trace_shapes);
	run_test("POL-013", "CLOCK-Pro: a loop longer than the pool, after a working set gone stale, is learnt", t_loop_after_working_set);
	run_test("POL-014", "--swap-cache: freed frames queue, a fault on a page still in one is soft, not a miss", t_swap_cache);
	run_test("POL-015", "CLOCK-Pro: a new page used after the next reclaim, before the cold hand reaches it, turns hot", t_new_page_use);
	run_test("POL-016", "CLOCK-Pro: a new page's own bit is cleared at the next fault if set by then: a use after that counts", t_new_page_next_fault);
	run_test("POL-017", "CLOCK-Pro: a fault reading ahead reads accessed bits at its first page only", t_readahead_reads);
	return test_summary();
}
