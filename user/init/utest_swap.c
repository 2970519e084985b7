/*
 * Boot argument "swaptest": the swap pager (user/swapper/) against a real
 * virtio disk, tests U-SWAP-*. init starts the swapper, hands it every
 * virtio-mmio window and interrupt (as blktest_start.c does for blktest),
 * starts it with a small pool, then runs children (CMD_MEMTEST of
 * <pagoda/child.h>) whose memory is a region the swapper serves: together
 * they use several times the pool, so pages go to the disk and come back.
 * tests/suites/75-swap.sh boots it with a fresh, zeroed disk image.
 * With "swapforeign" too, the disk holds something else: the swapper must
 * refuse it (U-SWAP-005). With "swappolicy=fifo" (or random, clock) the
 * swapper evicts by that policy and only U-SWAP-001/002 run (issue 7:
 * policies compared on the same runs). init's exit status: the number of
 * failed tests.
 */
#include <pagoda/child.h>
#include <pagoda/ipc.h>
#include <pagoda/libpager.h>
#include <pagoda/runtime.h>
#include <pagoda/test.h>
#include <stdio.h>
#include <string.h>

#include "init.h"
#include "swapclient.h"
#include "user/swapper/swapper.h"

#define POOL_PAGES 128UL
#define PAGE 4096UL

static long swapper_proc = HANDLE_NONE;

/* n children, each over pool_multiple x the pool; all must verify. */
static void run_kids(unsigned n, unsigned long pool_multiple, unsigned long how, int expect_io)
{
	struct kid kids[4];
	struct swapstats before, after;
	TEST_CHECK(n <= 4);
	TEST_CHECK_EQ(swap_stats(&before), 0);
	long rc = 0;
	unsigned started = 0;
	for (; started < n && rc >= 0; started++)
		rc = kid_memtest_start(&kids[started], pool_multiple * POOL_PAGES * PAGE,
				       0x5eed0000UL + started * 77 + pool_multiple, how);
	long status[4] = { 0 };
	for (unsigned i = 0; i < started; i++)
		status[i] = kid_end(&kids[i], rc < 0);
	TEST_CHECK_EQ(rc, 0);
	TEST_CHECK_EQ(swap_stats(&after), 0);
	printf("swaptest: %u x %lu pages: %lu page-ins, %lu page-outs, %lu faults\n", n,
	       pool_multiple * POOL_PAGES, after.pageins - before.pageins,
	       after.pageouts - before.pageouts, after.faults - before.faults);
	for (unsigned i = 0; i < n; i++)
		TEST_CHECK_EQ(status[i], 0); /* mismatched words */
	if (expect_io) {
		TEST_CHECK(after.pageouts > before.pageouts);
		TEST_CHECK(after.pageins > before.pageins);
	}
	TEST_CHECK_EQ(after.free, after.pool); /* every frame back in the pool */
}

/* U-SWAP-001 */
static void swap_sequential(void)
{
	run_kids(1, 4, MEMTEST_SEQ, 1);
}

/* U-SWAP-002 */
static void swap_random(void)
{
	run_kids(1, 2, MEMTEST_RANDOM, 1);
}

/* U-SWAP-003 */
static void swap_four(void)
{
	run_kids(4, 1, MEMTEST_SEQ | MEMTEST_RANDOM, 1);
}

/* U-SWAP-004: the header logic: empty, ours, foreign. */
static void swap_header_logic(void)
{
	static unsigned char page[4096];
	memset(page, 0, sizeof page);
	TEST_CHECK_EQ(swap_header_check(page, sizeof page), SWAP_HDR_EMPTY);
	swap_header_make(page, 100);
	TEST_CHECK_EQ(swap_header_check(page, sizeof page), SWAP_HDR_OURS);
	page[2] = 'x'; /* a damaged magic */
	TEST_CHECK_EQ(swap_header_check(page, sizeof page), SWAP_HDR_FOREIGN);
	memset(page, 0, sizeof page);
	page[4095] = 1; /* one byte of something else, at the very end */
	TEST_CHECK_EQ(swap_header_check(page, sizeof page), SWAP_HDR_FOREIGN);
	memset(page, 0, sizeof page);
	memcpy(page, "\x7f" "ELF", 4);
	TEST_CHECK_EQ(swap_header_check(page, sizeof page), SWAP_HDR_FOREIGN);
	swap_header_make(page, 100);
	((struct swap_header *)page)->version = SWAP_VERSION + 1;
	TEST_CHECK_EQ(swap_header_check(page, sizeof page), SWAP_HDR_FOREIGN);
}

static long start_rc;

/* U-SWAP-005 (boot argument swapforeign): a disk holding other data. */
static void swap_foreign(void)
{
	TEST_CHECK_EQ(start_rc, -ERR_BADFORMAT);
}

/* U-SWAP-006 (boot argument swapsmall: 64 swap slots): a child wanting
 * more than pool + swap is killed with a line saying so; the swapper goes
 * on serving, and every frame and slot comes back. */
static void swap_full(void)
{
	struct kid k;
	struct pg_msg info = ipc_call(swapper_ep, SWAP_SWAPINFO, 0, 0, 0, 0);
	TEST_CHECK_EQ(info.status, 0);
	unsigned long kills = info.w[3];
	long rc = kid_memtest_start(&k, 4 * POOL_PAGES * PAGE, 0xf011, MEMTEST_SEQ);
	if (rc < 0 && k.proc >= 0)
		pg_object_destroy(k.proc);
	long status = kid_end(&k, rc < 0);
	TEST_CHECK_EQ(rc, 0);
	printf("swaptest: the child wanting %lu pages ended with status %ld\n", 4 * POOL_PAGES, status);
	TEST_CHECK(status != 0);
	info = ipc_call(swapper_ep, SWAP_SWAPINFO, 0, 0, 0, 0);
	TEST_CHECK_EQ(info.w[3], kills + 1);
	TEST_CHECK_EQ(info.w[0], 0); /* slots used */
	/* Still serving: a child within pool + swap verifies. */
	rc = kid_memtest_start(&k, POOL_PAGES * PAGE + 32 * PAGE, 0xf012, MEMTEST_SEQ | MEMTEST_RANDOM);
	if (rc < 0 && k.proc >= 0)
		pg_object_destroy(k.proc);
	status = kid_end(&k, rc < 0);
	TEST_CHECK_EQ(rc, 0);
	TEST_CHECK_EQ(status, 0);
	struct swapstats s;
	TEST_CHECK_EQ(swap_stats(&s), 0);
	TEST_CHECK_EQ(s.free, s.pool);
}

/* U-SWAP-014: a client that exits is released by the swapper itself
 * (process_watch), with no SWAP_FORGET: its frames and slots are back by
 * the time process_wait returns, because the swapper's event thread runs
 * above our priority and the exit makes it ready first. */
static void swap_exit_releases(void)
{
	struct kid k;
	struct swapstats before, after;
	TEST_CHECK_EQ(swap_stats(&before), 0);
	long rc = kid_memtest_start(&k, 2 * POOL_PAGES * PAGE, 0x5eed0e71UL, MEMTEST_SEQ);
	TEST_CHECK_EQ(rc, 0);
	if (rc < 0) {
		kid_end(&k, 1);
		return;
	}
	TEST_CHECK_EQ(pg_process_wait(k.proc), 0); /* 0 mismatched words */
	TEST_CHECK_EQ(swap_stats(&after), 0);
	TEST_CHECK(after.pageouts > before.pageouts); /* it had pages on the disk */
	TEST_CHECK_EQ(after.used, before.used);       /* slots back */
	TEST_CHECK_EQ(after.free, after.pool);        /* frames back */
	struct pg_msg m = ipc_call(swapper_ep, SWAP_FORGET, k.id, 0, 0, 0);
	TEST_CHECK(msg_label(m) == PAGER_FAIL && (long)m.w[0] == -ERR_NOENT); /* gone already */
	kid_end(&k, 0);
}

/* SWAP_AHEAD's counters: read ahead, zero-filled ahead, dropped unwritten,
 * accessed bits asked, pg_ad_query calls. */
static void swap_ahead(unsigned long out[5])
{
	struct pg_msg m = ipc_call(swapper_ep, SWAP_AHEAD, 0, 0, 0, 0);
	TEST_CHECK_EQ(msg_label(m), SWAP_AHEAD);
	for (int i = 0; i < 3; i++)
		out[i] = m.w[i];
	out[3] = m.w[3] >> 32;
	out[4] = m.w[3] & 0xffffffffUL;
}

/* U-SWAP-015: fault-around. A child writes nearly half of a region of 4x
 * the pool in order, then reads it back. Its first writes fault about
 * once per 16 pages (the swapper maps the pages after a sequential first
 * write zeroed, read-write); the pages so mapped past the half, never
 * written, are evicted without a write; and the policy's accessed-bit
 * questions take fewer pg_ad_query calls than there are questions. */
static void swap_fault_around(void)
{
	const unsigned long written = 2 * POOL_PAGES - 8; /* mid-window: some mapped past it */
	struct kid k;
	struct swapstats before, after;
	unsigned long a0[5], a1[5];
	TEST_CHECK_EQ(swap_stats(&before), 0);
	swap_ahead(a0);
	long rc = kid_start(&k, 4 * POOL_PAGES * PAGE);
	if (rc == 0)
		rc = kid_memtest(&k, written * PAGE, 0x5eed0f0aUL, MEMTEST_SEQ);
	long status = kid_end(&k, rc < 0);
	TEST_CHECK_EQ(rc, 0);
	TEST_CHECK_EQ(status, 0); /* mismatched words */
	TEST_CHECK_EQ(swap_stats(&after), 0);
	swap_ahead(a1);
	unsigned long faults = after.faults - before.faults, outs = after.pageouts - before.pageouts;
	unsigned long zeroed = a1[1] - a0[1], dropped = a1[2] - a0[2];
	unsigned long asked = a1[3] - a0[3], calls = a1[4] - a0[4];
	printf("swaptest: fault-around over %lu pages: %lu faults, %lu page-outs, %lu zero-filled "
	       "ahead (%lu dropped), %lu accessed bits asked in %lu calls\n",
	       written, faults, outs, zeroed, dropped, asked, calls);
	TEST_CHECK(faults < written / 4);     /* a write and a read pass: 2 x 248 without */
	TEST_CHECK(zeroed >= written * 7 / 8);
	TEST_CHECK(dropped >= 1);             /* mapped past the half, evicted unwritten */
	TEST_CHECK(outs <= written);          /* no page-out of a page never written */
	TEST_CHECK(calls > 0 && calls * 2 < asked); /* in runs: 1 call per question without */
	TEST_CHECK_EQ(after.free, after.pool);
}

/* SWAP_BEHIND: pages read ahead behind clients, faults that waited for
 * one, pages being read ahead now. */
static void swap_behind(unsigned long out[3])
{
	struct pg_msg m = ipc_call(swapper_ep, SWAP_BEHIND, 0, 0, 0, 0);
	TEST_CHECK_EQ(msg_label(m), SWAP_BEHIND);
	for (int i = 0; i < 3; i++)
		out[i] = msg_label(m) == SWAP_BEHIND ? m.w[i] : 0;
}

/* U-SWAP-016: read-ahead behind the client. A child writes 2x the pool,
 * then reads its first pages in order: the swapper reads the window after
 * them while it runs. The child exits with that read in flight: its frames
 * and slots return all the same (and the read's frames too). */
static void swap_exit_reading_ahead(void)
{
	const unsigned long pages = 2 * POOL_PAGES;
	struct kid k;
	struct swapstats before, after;
	unsigned long behind[3];
	TEST_CHECK_EQ(swap_stats(&before), 0);
	long rc = kid_start(&k, pages * PAGE);
	TEST_CHECK_EQ(rc, 0);
	if (rc < 0) {
		kid_end(&k, 1);
		return;
	}
	TEST_CHECK_EQ(kid_mem(&k), 0);
	TEST_CHECK_EQ(kid_touch(&k, pages, MEM_TOUCH_WRITE), 0);
	/* Page 0 alone, then page 1: in order, so 1 .. 16 now, 17 .. 32 behind. */
	TEST_CHECK_EQ(kid_touch(&k, 2, MEM_TOUCH_CHECK), 0); /* no page with a wrong word */
	swap_behind(behind);
	TEST_CHECK_EQ(behind[2], 16); /* one window in flight, as the child exits */
	pg_call(k.ep, MSG_INFO(MEM_EXIT, 1, 0), 0, 0, 0, 0, HANDLE_NONE);
	TEST_CHECK_EQ(kid_end(&k, 0), 0);
	TEST_CHECK_EQ(swap_stats(&after), 0);
	swap_behind(behind);
	TEST_CHECK_EQ(behind[2], 0);            /* the read was waited for, its frames freed */
	TEST_CHECK_EQ(after.used, before.used); /* slots back */
	TEST_CHECK_EQ(after.free, after.pool);  /* frames back */
}

/* U-SWAP-018: a page wanted back while its write behind is still in
 * flight. With SWAP_HOLD the swapper looks at finished writes only when
 * it must wait for them, so the pages a child's writes evicted are still
 * "being written" when it reads them back in order: such a fault waits
 * for the writes in flight (write_waits), then reads the page from its
 * slot (reading back evicts again: more writes, more such faults). Every
 * page must hold what was written. */
static void swap_fault_while_writing(void)
{
	const unsigned long pages = POOL_PAGES + 2 * SWAP_CLUSTER; /* a few batches, not 4 */
	struct kid k;
	struct swapstats before, after;
	TEST_CHECK_EQ(swap_hold(1), 0);
	TEST_CHECK_EQ(swap_stats(&before), 0);
	long rc = kid_start(&k, pages * PAGE);
	TEST_CHECK_EQ(rc, 0);
	if (rc == 0 && (rc = kid_mem(&k)) == 0) {
		TEST_CHECK_EQ(kid_touch(&k, pages, MEM_TOUCH_WRITE), 0);
		/* No message to the swapper in between: it would take the writes in. */
		TEST_CHECK_EQ(kid_touch(&k, pages, MEM_TOUCH_CHECK), 0); /* no wrong word */
		pg_call(k.ep, MSG_INFO(MEM_EXIT, 1, 0), 0, 0, 0, 0, HANDLE_NONE);
	}
	TEST_CHECK_EQ(kid_end(&k, rc != 0), 0);
	TEST_CHECK_EQ(swap_hold(0), 0);
	TEST_CHECK_EQ(swap_stats(&after), 0);
	printf("swaptest: with writes held in flight: %lu page-outs, %lu page-ins, %lu faults "
	       "waited for a write\n", after.pageouts - before.pageouts, after.pageins - before.pageins,
	       after.write_waits - before.write_waits);
	TEST_CHECK(after.pageouts > before.pageouts);
	TEST_CHECK(after.pageins > before.pageins); /* read back from the slots written */
	TEST_CHECK(after.write_waits > before.write_waits);
	TEST_CHECK_EQ(after.used, before.used); /* slots back */
	TEST_CHECK_EQ(after.free, after.pool);  /* frames back */
}

static void swap_started(void)
{
	TEST_CHECK_EQ(start_rc, 0);
}

int swaptest_run(void)
{
	swapper_proc = swapper_spawn();
	if (swapper_proc < 0)
		return 1;
	int small = has_bootarg("swapsmall");
	int policy_given;
	unsigned long policy = swap_policy_from_bootargs(&policy_given);
	int trim = has_bootarg("swaptrim");
	struct pg_msg m = swapper_start_with(trim ? swaptrim_start_word(policy) : SWAP_START_W0(POOL_PAGES, policy),
					     small ? SWAP_MIN_SLOTS : 0);
	start_rc = swap_rc;
	printf("init: swapper started: %s (pool %lu pages, %lu swap slots)\n",
	       start_rc < 0 ? err_text(start_rc) : "ok", m.w[1], m.w[2]);

	test_run("U-SWAP-004", "swap header: an empty disk is taken, ours recognised, foreign refused",
		 swap_header_logic);
	if (has_bootarg("swapforeign")) {
		test_run("U-SWAP-005", "the swapper refuses a disk that holds something else",
			 swap_foreign);
	} else if (trim && start_rc == 0) {
		swaptrim_run();
	} else if (start_rc == 0 && swaperr_run(swapper_proc)) {
		/* swaperr-*: disk errors, a dying swapper (utest_swaperr.c) */
	} else if (small && start_rc == 0) {
		test_run("U-SWAP-006", "out of swap: the biggest client is killed with a line; no deadlock",
			 swap_full);
	} else if (start_rc == 0) {
		/* Warm-up: every frame and page table the tests need once,
		 * so test_run_noleak sees only what they keep: the pool grown
		 * to its cap, the swapper's tables for four clients at once. */
		run_kids(1, 4, MEMTEST_SEQ, 0);
		if (!policy_given)
			run_kids(4, 1, MEMTEST_SEQ, 0);
		test_run_noleak("U-SWAP-001", "sequential write and verify of 4x the pool: exact, paged out and in",
				swap_sequential);
		test_run_noleak("U-SWAP-002", "seeded random read-modify-write over 2x the pool, full verify",
				swap_random);
		if (!policy_given) { /* swappolicy=: 001 and 002 only, a short boot */
			test_run_noleak("U-SWAP-003", "four children at once, each 1x the pool: all verify",
					swap_four);
			test_run_noleak("U-SWAP-014",
					"a client that exits is released without SWAP_FORGET: frames, slots back",
					swap_exit_releases);
			test_run_noleak("U-SWAP-015",
					"fault-around: a sequential first write faults once per window; unwritten pages go without I/O",
					swap_fault_around);
			test_run_noleak("U-SWAP-016",
					"a client that exits while pages are read ahead behind it: frames, slots back",
					swap_exit_reading_ahead);
			test_run_noleak("U-SWAP-018",
					"a page faulted while its write is in flight: the fault waits for it, the page is exact",
					swap_fault_while_writing);
		}
	} else {
		test_run("U-SWAP-001", "the swapper starts on the disk", swap_started);
	}
	ipc_call(swapper_ep, SWAP_PRINT, 0, 0, 0, 0);
	pg_object_destroy(swapper_proc);
	pg_process_wait(swapper_proc);
	return test_summary();
}
