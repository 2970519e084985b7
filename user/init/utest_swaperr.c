/*
 * Swap disk errors and a swapper that dies: U-SWAP-010..012, run by
 * swaptest_run (utest_swap.c) after it has started the swapper, under
 * "swaptest" plus one of these boot arguments:
 *   swaperr-write  the disk fails writes to some sectors (QEMU blkdebug):
 *                  the swapper marks those slots bad and writes elsewhere;
 *                  a child over 4x the pool still verifies exactly.
 *   swaperr-read   the disk fails reads of a sector: the child whose page
 *                  was there is killed with a line; the next one verifies.
 *   swaperr-nowrite  (with swapsmall: 64 slots) every write after the
 *                  header fails: slots go bad until none is left, and the
 *                  client whose page then has nowhere to go is killed.
 *                  With swaperr-hold too (SWAP_HOLD), the failed writes
 *                  are found only when the client faults on one of
 *                  those pages: it is killed at that fault.
 *   swaperr-pager  the swapper is killed while a child faults on its
 *                  region: the child dies ("the pager went away" or "the
 *                  region's pager is gone"); init goes on; frames return.
 * tests/suites/76-swaperr.sh makes the blkdebug configurations and boots.
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

#define PRIO_CHILD 10
#define POOL_PAGES 128UL /* what swaptest_run starts the swapper with */
#define PAGE 4096UL

static long sw_proc = HANDLE_NONE;

/* U-SWAP-010 (swaperr-write): writes to some sectors fail. */
static void swaperr_write(void)
{
	struct swapstats before, after;
	TEST_CHECK_EQ(swap_stats(&before), 0);
	struct kid k;
	long rc = kid_memtest_start(&k, 4 * POOL_PAGES * PAGE, 0x3e770010UL, MEMTEST_SEQ | MEMTEST_RANDOM);
	long status = kid_end(&k, rc < 0);
	TEST_CHECK_EQ(rc, 0);
	TEST_CHECK_EQ(swap_stats(&after), 0);
	printf("swaptest: after write errors: %lu bad slots, child status %ld\n", after.bad, status);
	TEST_CHECK_EQ(status, 0);               /* mismatched words */
	TEST_CHECK(after.bad > before.bad);     /* some writes failed, their slots marked */
	TEST_CHECK_EQ(after.kills, before.kills); /* another slot took each page */
	TEST_CHECK_EQ(after.used, 0);
	TEST_CHECK_EQ(after.free, after.pool);
}

/* U-SWAP-011 (swaperr-read): a read fails: its owner dies, never with
 * wrong data; the next client is served. */
static void swaperr_read(void)
{
	struct swapstats before, mid, after;
	TEST_CHECK_EQ(swap_stats(&before), 0);
	struct kid k;
	long rc = kid_memtest_start(&k, 4 * POOL_PAGES * PAGE, 0x3e770011UL, MEMTEST_SEQ);
	long status = kid_end(&k, rc < 0);
	TEST_CHECK_EQ(rc, 0);
	TEST_CHECK_EQ(swap_stats(&mid), 0);
	printf("swaptest: the child whose swapped page could not be read ended with status %ld (%s)\n",
	       status, status < 0 ? err_text(status) : "its mismatch count");
	/* Killed at the fault the swapper failed (-ERR_IO): the kernel ends
	 * it with the fault status, never a mismatch count, never 0. */
	TEST_CHECK_EQ(status, -ERR_FAULT);
	TEST_CHECK_EQ(mid.kills, before.kills + 1);
	TEST_CHECK(mid.bad > before.bad); /* the unreadable slot is not used again */
	TEST_CHECK_EQ(mid.used, 0);       /* the dead client's slots came back */
	/* The swapper goes on: a second child pages out and in and verifies. */
	rc = kid_memtest_start(&k, 2 * POOL_PAGES * PAGE, 0x3e770111UL, MEMTEST_SEQ | MEMTEST_RANDOM);
	status = kid_end(&k, rc < 0);
	TEST_CHECK_EQ(rc, 0);
	TEST_CHECK_EQ(status, 0);
	TEST_CHECK_EQ(swap_stats(&after), 0);
	TEST_CHECK_EQ(after.kills, mid.kills);
	TEST_CHECK_EQ(after.free, after.pool);
}

/* U-SWAP-017 (swaperr-nowrite, swapsmall): every write fails. A page
 * written behind tries slot after slot, marking each bad, until none is
 * left: it is lost, and its owner is killed with a line at the next
 * message, before it can read the page back (never zeros for it). A
 * client that fits in the pool is still served. */
static void swaperr_no_good_slot(void)
{
	struct swapstats before, mid, after;
	TEST_CHECK_EQ(swap_stats(&before), 0);
	struct kid k;
	long rc = kid_memtest_start(&k, (POOL_PAGES + 32) * PAGE, 0x3e770017UL, MEMTEST_SEQ);
	long status = kid_end(&k, rc < 0);
	TEST_CHECK_EQ(rc, 0);
	TEST_CHECK_EQ(swap_stats(&mid), 0);
	printf("swaptest: with every write failing: %lu of %lu slots bad, child status %ld (%s)\n",
	       mid.bad, mid.total, status, status < 0 ? err_text(status) : "its mismatch count");
	TEST_CHECK_EQ(status, -ERR_FAULT); /* killed at a fault, never a count */
	TEST_CHECK_EQ(mid.kills, before.kills + 1);
	TEST_CHECK_EQ(mid.bad, mid.total); /* every slot */
	TEST_CHECK_EQ(mid.used, 0);
	rc = kid_memtest_start(&k, POOL_PAGES / 2 * PAGE, 0x3e770117UL, MEMTEST_SEQ | MEMTEST_RANDOM);
	status = kid_end(&k, rc < 0);
	TEST_CHECK_EQ(rc, 0);
	TEST_CHECK_EQ(status, 0);
	TEST_CHECK_EQ(swap_stats(&after), 0);
	TEST_CHECK_EQ(after.kills, mid.kills);
	TEST_CHECK_EQ(after.free, after.pool);
}

/* U-SWAP-019 (swaperr-nowrite, swaperr-hold, swapsmall): every write
 * fails, and the swapper looks at finished writes only when it must wait
 * for them (SWAP_HOLD). A child writes a little more than the pool, then
 * reads it back: its first fault on an evicted page waits for the writes
 * in flight, which find no good slot; the page is lost, and the fault
 * kills its owner there and then, never answering it with zeros. */
static void swaperr_lost_at_fault(void)
{
	const unsigned long pages = POOL_PAGES + SWAP_CLUSTER; /* one or two batches */
	struct swapstats before, after;
	struct kid k;
	TEST_CHECK_EQ(swap_hold(1), 0);
	TEST_CHECK_EQ(swap_stats(&before), 0);
	long rc = kid_start(&k, pages * PAGE), check = -1;
	if (rc == 0 && (rc = kid_mem(&k)) == 0 && (rc = kid_touch(&k, pages, MEM_TOUCH_WRITE)) == 0)
		check = kid_touch(&k, pages, MEM_TOUCH_CHECK); /* no message to the swapper before */
	long status = kid_end(&k, rc != 0);
	TEST_CHECK_EQ(swap_hold(0), 0);
	TEST_CHECK_EQ(swap_stats(&after), 0);
	printf("swaptest: a lost page found at a fault: check %ld, child status %ld, %lu of %lu "
	       "slots bad, %lu faults waited for a write\n", check, status, after.bad, after.total,
	       after.write_waits - before.write_waits);
	TEST_CHECK_EQ(rc, 0);                 /* the writes went out (held) */
	TEST_CHECK(check < 0);                /* the reading child died at a fault */
	TEST_CHECK_EQ(status, -ERR_FAULT);    /* killed at a fault, never a mismatch count */
	TEST_CHECK_EQ(after.write_waits, before.write_waits + 1); /* that fault */
	TEST_CHECK_EQ(after.kills, before.kills + 1);
	TEST_CHECK_EQ(after.bad, after.total); /* every slot tried */
	TEST_CHECK_EQ(after.used, 0);
	TEST_CHECK_EQ(after.free, after.pool);
}

/* U-SWAP-012 (swaperr-pager): the swapper dies under a faulting child. */
static void swaperr_pager_dies(void)
{
	long free_before = test_free_frames();
	struct kid k;
	long rc = kid_memtest_start(&k, 4 * POOL_PAGES * PAGE, 0x3e770012UL, MEMTEST_SEQ | MEMTEST_RANDOM);
	if (rc < 0) {
		kid_end(&k, 1);
		TEST_CHECK_EQ(rc, 0);
	}
	/* Let it run until the swapper is paging out (the pool is full). */
	long faults = 0;
	for (unsigned i = 0; i < 100000 && faults >= 0 && faults < (long)(POOL_PAGES + 64); i++) {
		pg_yield();
		struct swapstats s;
		faults = swap_stats(&s) < 0 ? -1 : (long)s.faults;
	}
	printf("swaptest: killing the swapper after %ld faults\n", faults);
	TEST_CHECK(faults >= (long)(POOL_PAGES + 64));
	TEST_CHECK_EQ(pg_object_destroy(sw_proc), 0);
	pg_process_wait(sw_proc);
	long status = pg_process_wait(k.proc);
	printf("swaptest: its client ended with status %ld (%s)\n", status,
	       status < 0 ? err_text(status) : "its mismatch count");
	/* The swapper is gone: forgetting fails, nothing hangs. */
	TEST_CHECK(ipc_call(swapper_ep, SWAP_FORGET, k.id, 0, 0, 0).status < 0);
	k.id = 0; /* nothing left to forget */
	kid_end(&k, 0);
	TEST_CHECK_EQ(status, -ERR_FAULT); /* killed at a fault, never a count */
	/* The pool (and the child) came back. */
	long free_after = test_free_frames();
	printf("swaptest: free frames %ld before the child, %ld after both died\n", free_before,
	       free_after);
	TEST_CHECK(free_after >= free_before + (long)POOL_PAGES);
	/* And the system goes on: a new process runs and exits. */
	long ep = pg_endpoint_create();
	TEST_CHECK(ep >= 0);
	long proc = spawn("child", PRIO_CHILD, ep);
	struct pg_msg hello = proc >= 0 ? pg_recv(ep) : (struct pg_msg){ .status = proc };
	if (hello.status >= 0)
		pg_reply(MSG_INFO(CMD_EXIT, 1, 0), 42, 0, 0, 0, HANDLE_NONE);
	long st = proc >= 0 ? pg_process_wait(proc) : proc;
	if (proc >= 0)
		pg_handle_delete(proc);
	pg_handle_delete(ep);
	TEST_CHECK_EQ(hello.status, 0);
	TEST_CHECK_EQ(st, 42);
}

int swaperr_run(long swapper_proc)
{
	sw_proc = swapper_proc;
	if (has_bootarg("swaperr-write"))
		test_run("U-SWAP-010", "swap write errors: bad slots are marked, pages go elsewhere, 4x the pool verifies",
			 swaperr_write);
	else if (has_bootarg("swaperr-read"))
		test_run("U-SWAP-011", "a swap read error kills the page's owner with a line; the next client verifies",
			 swaperr_read);
	else if (has_bootarg("swaperr-nowrite") && has_bootarg("swaperr-hold"))
		test_run("U-SWAP-019", "every swap write fails, found at a fault on a page being written: its owner is killed there",
			 swaperr_lost_at_fault);
	else if (has_bootarg("swaperr-nowrite"))
		test_run("U-SWAP-017", "every swap write fails: a page with no good slot left kills its owner; others go on",
			 swaperr_no_good_slot);
	else if (has_bootarg("swaperr-pager"))
		test_run("U-SWAP-012", "the swapper dies under a faulting client: it is killed, init goes on, frames return",
			 swaperr_pager_dies);
	else
		return 0;
	return 1;
}
