/*
 * bench: the user-space half of `make bench` (docs/bench.md).
 *
 * Counts instructions retired on the hart (the instret CSR, kernel and
 * firmware included) around system calls. Under `qemu -icount shift=0`
 * the counts are exact and repeatable; on hardware or without -icount
 * they are whatever the counter says (QEMU without -icount returns host
 * cycles), so the figures only mean something under `make bench`.
 *
 * init starts us (boot argument "bench") at BENCH_PRIORITY with an
 * endpoint as our bootstrap handle; we call it once (setup()) and init, which
 * holds our process handle, creates two regions in our space (one served by
 * "zeropager", one by "patternpager") and replies with where they are and the
 * endpoint of a "child" echo server (see run_bench in user/init/main.c).
 * Prints one line per figure, "bench: NAME VALUE UNIT", then "bench: done",
 * and exits 0; a failed call panics (exit 127).
 */
#include <pagoda/ipc.h>
#include <pagoda/pager.h>
#include <pagoda/patternpager.h>
#include <pagoda/runtime.h>
#include <stdio.h>
#include <stdlib.h>

const char *progname = "bench";

#define BENCH_PRIORITY 10 /* what init starts us and the echo server at */

#define BATCHES 11       /* batches per loop figure; the median is reported */
#define CALLS 256        /* calls per batch */
#define SAMPLES 31       /* single-call samples (map, unmap); the median */
#define BATCH_ORDER 6    /* map_page_batched: one frame of 2^6 = 64 pages */
#define BATCH_PAGES (1UL << BATCH_ORDER)
#define PAGE 4096UL

/* Free in our address space (above the heap, below the stack), each in a
 * 2 MiB region of its own so their page tables are separate. */
#define VA_SINGLE 0x3000000000UL
#define VA_BATCH 0x3000200000UL

static inline unsigned long rdinstret(void)
{
	unsigned long v;
	__asm__ volatile("rdinstret %0" : "=r"(v)::"memory");
	return v;
}

static int cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;
	return x < y ? -1 : x > y;
}

static unsigned long median(unsigned long *v, unsigned n)
{
	qsort(v, n, sizeof *v, cmp_ulong);
	return v[n / 2];
}

/* (total - overhead) / n, rounded to the nearest; never below zero. */
static unsigned long per_item(unsigned long total, unsigned long overhead, unsigned long n)
{
	return total > overhead ? (total - overhead + n / 2) / n : 0;
}

/* ---- results ---------------------------------------------------------- */

#define MAX_FIGURES 16
static struct {
	const char *name;
	unsigned long value;
} figures[MAX_FIGURES];
static unsigned nfigures;

static void record(const char *name, unsigned long value)
{
	if (nfigures == MAX_FIGURES)
		pg_panic("too many figures");
	figures[nfigures].name = name;
	figures[nfigures].value = value;
	nfigures++;
}

/* ---- batches: instret around a loop of n calls -------------------------
 * Each is noinline with the same shape, so batch_empty's count (two
 * instret reads, the loop's increment and branch) is the overhead the
 * others subtract. What the calls' stubs do (load a7 and the arguments,
 * ecall, move results) counts as part of the call. */

static __attribute__((noinline)) unsigned long batch_empty(unsigned long n)
{
	unsigned long t0 = rdinstret();
	for (unsigned long i = 0; i < n; i++)
		__asm__ volatile("" ::: "memory");
	return rdinstret() - t0;
}

static __attribute__((noinline)) unsigned long batch_sysinfo(unsigned long n)
{
	unsigned long t0 = rdinstret();
	for (unsigned long i = 0; i < n; i++)
		pg_sysinfo(SYSINFO_TICKS);
	return rdinstret() - t0;
}

static __attribute__((noinline)) unsigned long batch_yield(unsigned long n)
{
	unsigned long t0 = rdinstret();
	for (unsigned long i = 0; i < n; i++)
		pg_yield();
	return rdinstret() - t0;
}

/* What init's answer to our setup call gave us. */
static long echo_ep;                      /* the echo server's endpoint */
static unsigned long zero_va, pattern_va; /* the zeropager's and the pattern pager's regions */
static unsigned long fault_pages;         /* pages in each */

static __attribute__((noinline)) unsigned long batch_call(unsigned long n)
{
	long ep = echo_ep;
	unsigned long t0 = rdinstret();
	for (unsigned long i = 0; i < n; i++)
		pg_call(ep, MSG_INFO(1, MSG_WORDS, 0), i, 1, 2, 3, HANDLE_NONE);
	return rdinstret() - t0;
}

/* The median over BATCHES batches of CALLS calls, minus the loop's own
 * cost, per call. */
static unsigned long loop_figure(unsigned long (*batch)(unsigned long))
{
	unsigned long empty[BATCHES], full[BATCHES];
	batch_empty(CALLS); /* warm up: first-touch faults, the kernel's slabs */
	batch(CALLS);
	for (unsigned b = 0; b < BATCHES; b++) {
		empty[b] = batch_empty(CALLS);
		full[b] = batch(CALLS);
	}
	return per_item(median(full, BATCHES), median(empty, BATCHES), CALLS);
}

/* ---- null_syscall ------------------------------------------------------ */

/* sysinfo(SYSINFO_TICKS): decode, read a counter, return. yield with nobody
 * else ready does more (it requeues the caller and picks again). */
static void bench_null_syscall(void)
{
	record("null_syscall", loop_figure(batch_sysinfo));
}

/* ---- ipc_roundtrip ----------------------------------------------------- */

static void check_echo(long ep, unsigned long seed)
{
	struct pg_msg r = pg_call(ep, MSG_INFO(1, MSG_WORDS, 0), seed, ~seed, seed * 3, 42, HANDLE_NONE);
	if (r.status < 0)
		pg_panic("call to the echo server: %s", err_text(r.status));
	if (MSG_LENGTH(r.info) != MSG_WORDS || r.w[0] != seed || r.w[1] != ~seed ||
	    r.w[2] != seed * 3 || r.w[3] != 42)
		pg_panic("the echo server's reply does not match the call");
}

/* pg_call with four words to a server in another address space that
 * replies with the same words (the "child" program's CMD_ECHO loop:
 * pg_reply_recv in C). One call = call + reply_recv + the server's loop. */
static void bench_ipc_roundtrip(void)
{
	check_echo(echo_ep, 0x1234);
	record("ipc_roundtrip", loop_figure(batch_call));
	check_echo(echo_ep, 0x5678); /* still answering: the batches were round trips */
}

/* ---- context_switch ---------------------------------------------------- */

/* The partner: a second thread of ours at the same priority that yields
 * until told to stop. It has no TLS and no gp (a new thread gets only pc,
 * sp and a0): it touches nothing but *arg. */
static __attribute__((noreturn)) void yield_partner(unsigned long arg)
{
	volatile unsigned long *flag = (volatile unsigned long *)arg;
	flag[0] = 1; /* running */
	while (!flag[1])
		pg_yield();
	flag[0] = 2; /* stopped */
	pg_thread_exit(0);
	for (;;)
		;
}

/* With the partner ready at our priority, every pg_yield switches to it and
 * its pg_yield switches back: one loop iteration is two switches, each a
 * yield syscall plus the switch (same address space, no satp write). */
static void bench_context_switch(void)
{
	static volatile unsigned long flag[2];
	size_t stack_size = 16384;
	char *stack = malloc(stack_size);
	if (!stack)
		pg_panic("no memory for the partner's stack");
	unsigned long sp = ((unsigned long)stack + stack_size) & ~15UL;
	long th = pg_must(pg_thread_create((unsigned long)yield_partner, sp, (unsigned long)flag,
					   BENCH_PRIORITY),
			  "thread_create");
	pg_yield();
	if (flag[0] != 1)
		pg_panic("the yield partner did not run: not at our priority?");
	unsigned long per_iteration = loop_figure(batch_yield);
	record("context_switch", (per_iteration + 1) / 2);
	flag[1] = 1;
	while (flag[0] != 2)
		pg_yield();
	pg_handle_delete(th);
	/* The stack stays allocated: the partner may not have left it yet
	 * when thread_exit returned to us. */
}

/* ---- map_page / unmap_page --------------------------------------------- */

/* Instret around each single call; the median of SAMPLES, minus an empty
 * pair of reads. The page tables for the address exist already (a warm-up
 * map made them; unmap leaves tables in place), so this is the cost of a
 * mapping, not of building tables. */
static void bench_map_unmap(void)
{
	unsigned long pair[SAMPLES], map[SAMPLES], unmap[SAMPLES];
	const unsigned long rw = RIGHT_READ | RIGHT_WRITE;

	long one = pg_must(pg_frame_alloc(0), "frame_alloc(0)");
	pg_must(pg_map(HANDLE_SELF, one, VA_SINGLE, rw), "map (warm-up)");
	pg_must(pg_unmap(HANDLE_SELF, VA_SINGLE, PAGE), "unmap (warm-up)");
	for (unsigned s = 0; s < SAMPLES; s++) {
		unsigned long t0 = rdinstret();
		unsigned long t1 = rdinstret();
		pair[s] = t1 - t0;
		t0 = rdinstret();
		long rc = pg_map(HANDLE_SELF, one, VA_SINGLE, rw);
		t1 = rdinstret();
		map[s] = t1 - t0;
		pg_must(rc, "map");
		t0 = rdinstret();
		rc = pg_unmap(HANDLE_SELF, VA_SINGLE, PAGE);
		t1 = rdinstret();
		unmap[s] = t1 - t0;
		if (rc != 1)
			pg_panic("unmap of one page returned %ld", rc);
	}
	unsigned long overhead = median(pair, SAMPLES);
	record("map_page", per_item(median(map, SAMPLES), overhead, 1));
	record("unmap_page", per_item(median(unmap, SAMPLES), overhead, 1));

	/* Batched: one call maps (unmaps) a 64-page frame; per page. 256 KiB
	 * is below the 2 MiB of a large page, so the kernel writes 64 leaves. */
	long many = pg_must(pg_frame_alloc(BATCH_ORDER), "frame_alloc(BATCH_ORDER)");
	pg_must(pg_map(HANDLE_SELF, many, VA_BATCH, rw), "map batch (warm-up)");
	pg_must(pg_unmap(HANDLE_SELF, VA_BATCH, BATCH_PAGES * PAGE), "unmap batch (warm-up)");
	for (unsigned s = 0; s < SAMPLES; s++) {
		unsigned long t0 = rdinstret();
		long rc = pg_map(HANDLE_SELF, many, VA_BATCH, rw);
		unsigned long t1 = rdinstret();
		map[s] = t1 - t0;
		pg_must(rc, "map batch");
		t0 = rdinstret();
		rc = pg_unmap(HANDLE_SELF, VA_BATCH, BATCH_PAGES * PAGE);
		t1 = rdinstret();
		unmap[s] = t1 - t0;
		if (rc != (long)BATCH_PAGES)
			pg_panic("unmap of %lu pages returned %ld", BATCH_PAGES, rc);
	}
	record("map_page_batched", per_item(median(map, SAMPLES), overhead, BATCH_PAGES));
	record("unmap_page_batched", per_item(median(unmap, SAMPLES), overhead, BATCH_PAGES));
	pg_handle_delete(one);
	pg_handle_delete(many);
}

/* ---- fault_zero / fault_pager ------------------------------------------ */

#define MAX_FAULT_PAGES 64

/* Instret around one load of the first word of page va: a page fault and
 * its whole round trip if the page is not mapped. */
static __attribute__((noinline)) unsigned long touch(unsigned long va, unsigned long *value)
{
	unsigned long t0 = rdinstret();
	unsigned long v = *(volatile unsigned long *)va;
	unsigned long t1 = rdinstret();
	*value = v;
	return t1 - t0;
}

/*
 * The fault round trip in a region of ours: a load from a page not mapped
 * -> trap -> the kernel sends PAGER_FAULT to the region's pager -> its
 * answer maps a page -> the load runs again. Each of the region's pages is
 * touched once first (warm-up: the page tables are built; the pattern pager
 * fills a frame per page and keeps it), then all are unmapped, then each is
 * touched again, measured, and again, mapped now (the overhead: the reads
 * and the load). The median fault minus the median overhead.
 */
static unsigned long fault_figure(unsigned long base, int pattern)
{
	unsigned long fault[MAX_FAULT_PAGES], mapped[MAX_FAULT_PAGES], v;
	unsigned long n = fault_pages, size = n * PAGE;
	for (unsigned long i = 0; i < n; i++)
		touch(base + i * PAGE, &v);
	if (pg_unmap(HANDLE_SELF, base, size) != (long)n)
		pg_panic("unmapping the region at 0x%lx: not %lu pages", base, n);
	for (unsigned long i = 0; i < n; i++) {
		unsigned long va = base + i * PAGE;
		fault[i] = touch(va, &v);
		if (v != (pattern ? PATTERN_WORD(va) : 0))
			pg_panic("page 0x%lx holds 0x%lx", va, v);
		mapped[i] = touch(va, &v);
	}
	pg_unmap(HANDLE_SELF, base, size); /* the zeroed pages go back to the zeropager */
	return per_item(median(fault, n), median(mapped, n), 1);
}

/* zeropager answers PAGER_ZERO: the kernel allocates a page (charged to
 * the pager), zeroes it and maps it. The pattern pager answers PAGER_MAP
 * with the frame it filled for that page at the warm-up and kept: the
 * round trip without any filling. */
static void bench_faults(void)
{
	record("fault_zero", fault_figure(zero_va, 0));
	record("fault_pager", fault_figure(pattern_va, 1));
}

/* ---- protect_page / ad_query ------------------------------------------- */

/* Write the first word of each of n pages at va (sets A and D again). */
static void dirty_pages(unsigned long va, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		*(volatile unsigned long *)(va + i * PAGE) = i;
}

/*
 * pg_protect on our own space, single-call figures like map_page (median of
 * the samples minus an empty pair of reads). protect_page: one page (a
 * one-page frame), alternating read-write -> read -> read-write, both calls
 * measured. protect_page_batched: the same over a 64-page frame mapped at
 * once, one call for all 64 pages, per page. Then pg_ad_query over the
 * 64 pages: ad_query is one call for all 64 (per page), ad_query_single one
 * call for one page; before each measured query the pages it asks about are
 * written to (outside the reads), so every query finds A and D set, reports
 * them, clears them and flushes each page's TLB entry.
 */
static void bench_protect_ad(void)
{
	unsigned long pair[SAMPLES], t[2 * SAMPLES];
	const unsigned long rw = RIGHT_READ | RIGHT_WRITE, ro = RIGHT_READ;
	static unsigned char ad[BATCH_PAGES];

	for (unsigned s = 0; s < SAMPLES; s++) {
		unsigned long t0 = rdinstret();
		unsigned long t1 = rdinstret();
		pair[s] = t1 - t0;
	}
	unsigned long overhead = median(pair, SAMPLES);

	long one = pg_must(pg_frame_alloc(0), "frame_alloc(0)");
	pg_must(pg_map(HANDLE_SELF, one, VA_SINGLE, rw), "map (protect)");
	for (unsigned s = 0; s < 2 * SAMPLES; s++) {
		unsigned long to = s % 2 ? rw : ro;
		unsigned long t0 = rdinstret();
		long rc = pg_protect(HANDLE_SELF, VA_SINGLE, PAGE, to);
		unsigned long t1 = rdinstret();
		t[s] = t1 - t0;
		if (rc != 1)
			pg_panic("protect of one page returned %ld", rc);
	}
	record("protect_page", per_item(median(t, 2 * SAMPLES), overhead, 1));
	pg_must(pg_unmap(HANDLE_SELF, VA_SINGLE, PAGE), "unmap (protect)");

	long many = pg_must(pg_frame_alloc(BATCH_ORDER), "frame_alloc(BATCH_ORDER)");
	pg_must(pg_map(HANDLE_SELF, many, VA_BATCH, rw), "map batch (protect)");
	for (unsigned s = 0; s < 2 * SAMPLES; s++) {
		unsigned long to = s % 2 ? rw : ro;
		unsigned long t0 = rdinstret();
		long rc = pg_protect(HANDLE_SELF, VA_BATCH, BATCH_PAGES * PAGE, to);
		unsigned long t1 = rdinstret();
		t[s] = t1 - t0;
		if (rc != (long)BATCH_PAGES)
			pg_panic("protect of %lu pages returned %ld", BATCH_PAGES, rc);
	}
	record("protect_page_batched", per_item(median(t, 2 * SAMPLES), overhead, BATCH_PAGES));

	/* The mapping is read-write again (the last protect). */
	dirty_pages(VA_BATCH, BATCH_PAGES);
	pg_must(pg_ad_query(HANDLE_SELF, VA_BATCH, BATCH_PAGES, ad), "ad_query (warm-up)");
	for (unsigned s = 0; s < SAMPLES; s++) {
		dirty_pages(VA_BATCH, BATCH_PAGES);
		unsigned long t0 = rdinstret();
		long rc = pg_ad_query(HANDLE_SELF, VA_BATCH, BATCH_PAGES, ad);
		unsigned long t1 = rdinstret();
		t[s] = t1 - t0;
		pg_must(rc, "ad_query");
		if (ad[0] != (PAGE_ACCESSED | PAGE_DIRTY) || ad[BATCH_PAGES - 1] != (PAGE_ACCESSED | PAGE_DIRTY))
			pg_panic("ad_query: a written page is not accessed and dirty (%u, %u)", ad[0],
				 ad[BATCH_PAGES - 1]);
	}
	record("ad_query", per_item(median(t, SAMPLES), overhead, BATCH_PAGES));
	for (unsigned s = 0; s < 2 * SAMPLES; s++) {
		unsigned long va = VA_BATCH + (s % BATCH_PAGES) * PAGE;
		dirty_pages(va, 1);
		unsigned long t0 = rdinstret();
		long rc = pg_ad_query(HANDLE_SELF, va, 1, ad);
		unsigned long t1 = rdinstret();
		t[s] = t1 - t0;
		pg_must(rc, "ad_query (one page)");
		if (ad[0] != (PAGE_ACCESSED | PAGE_DIRTY))
			pg_panic("ad_query: page 0x%lx written, state %u", va, ad[0]);
	}
	record("ad_query_single", per_item(median(t, 2 * SAMPLES), overhead, 1));
	pg_must(pg_unmap(HANDLE_SELF, VA_BATCH, BATCH_PAGES * PAGE), "unmap batch (ad_query)");
	pg_handle_delete(one);
	pg_handle_delete(many);
}

/* One call on our bootstrap endpoint: init answers with our regions
 * (w0 zeropager's, w1 the pattern pager's, w2 pages in each) and the echo
 * server's endpoint. */
static void setup(void)
{
	long boot = runtime_bootstrap_handle();
	if (boot < 0)
		pg_panic("no bootstrap endpoint: start me from init with \"bench\"");
	struct pg_msg r = pg_call(boot, MSG_INFO(0, 0, 0), 0, 0, 0, 0, HANDLE_NONE);
	if (r.status < 0 || msg_handle(r) < 0 || MSG_LENGTH(r.info) != 3 || !r.w[2] ||
	    r.w[2] > MAX_FAULT_PAGES)
		pg_panic("init's setup answer is not what we expect");
	echo_ep = r.handle;
	zero_va = r.w[0];
	pattern_va = r.w[1];
	fault_pages = r.w[2];
}

int main(void)
{
	setup();
	/* Every measurement first, then all the printing. */
	bench_null_syscall();
	bench_ipc_roundtrip();
	bench_context_switch();
	bench_map_unmap();
	bench_faults();
	bench_protect_ad(); /* last: its mappings do not change the figures above */
	for (unsigned i = 0; i < nfigures; i++)
		printf("bench: %s %lu instructions\n", figures[i].name, figures[i].value);
	printf("bench: done\n");
	return 0;
}
