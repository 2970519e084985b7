/*
 * U-SWAP-013 (boot arguments "swaptest swaptrim"): the swapper's low
 * watermark. Its pool grows while the machine has frames to spare; when
 * something else (here init, allocating frames of its own) takes the
 * machine's free frames below the watermark, the kernel's mem_watch
 * signals the swapper, which evicts and gives frames back until the
 * machine is above the watermark again. The client whose pages were
 * evicted still reads back every word it wrote.
 */
#include <pagoda/child.h>
#include <pagoda/ipc.h>
#include <pagoda/runtime.h>
#include <pagoda/test.h>
#include <stdio.h>

#include "init.h"
#include "swapclient.h"
#include "user/swapper/swapper.h"

#define PAGE 4096UL
#define TRIM_POOL_CAP 1024UL   /* frames: the pool may grow this far */
#define TRIM_KID_PAGES 512UL   /* the client's heap: all of it resident at first */
#define TRIM_HEADROOM 4096UL   /* the watermark, this far below the free frames at start */
#define TRIM_BELOW 16UL        /* init takes the machine this far below the watermark */

static long hog[TRIM_HEADROOM + TRIM_BELOW];
static unsigned long low_mark;

unsigned long swaptrim_start_word(unsigned long policy)
{
	long free_now = pg_sysinfo(SYSINFO_FREE_FRAMES);
	low_mark = free_now > (long)(TRIM_HEADROOM + 1024) ? (unsigned long)free_now - TRIM_HEADROOM : 1024;
	if (low_mark > 0xffff)
		low_mark = 0xffff;
	return SWAP_START_W0(TRIM_POOL_CAP, policy) | SWAP_LOWMARK(low_mark);
}

/* Takes the machine's free frames to TRIM_BELOW under the watermark, a
 * frame at a time (each allocation may wake the swapper); returns how
 * many frames it holds. */
static unsigned long hog_below_watermark(void)
{
	unsigned long n = 0;
	long free_now = pg_sysinfo(SYSINFO_FREE_FRAMES);
	unsigned long want = free_now > (long)low_mark ? (unsigned long)free_now - low_mark + TRIM_BELOW : TRIM_BELOW;
	while (n < want && n < sizeof hog / sizeof hog[0] && (hog[n] = pg_frame_alloc(0)) >= 0)
		n++;
	return n;
}

static void swap_trim(void)
{
	struct kid k;
	struct swapstats grown, trimmed, after;
	long rc = kid_start_paged(&k);
	if (rc >= 0)
		rc = kid_memtest(&k, TRIM_KID_PAGES * PAGE, 0x7e1a, MEMTEST_SEQ | MEMTEST_PHASES);
	struct pg_msg phase = rc >= 0 ? pg_recv(k.ep) : (struct pg_msg){ .status = rc };
	TEST_CHECK_EQ(phase.status, 0);
	TEST_CHECK_EQ(msg_label(phase), CHILD_PHASE);
	/* Written, waiting for us: the pool grew to hold all of it. */
	TEST_CHECK_EQ(swap_stats(&grown), 0);
	TEST_CHECK(grown.pool >= TRIM_KID_PAGES);
	TEST_CHECK_EQ(grown.pageouts, 0);
	unsigned long held = hog_below_watermark();
	/* The swapper serves calls in order: our call comes after the trims
	 * its trim thread asked for as we went below (they write to the disk,
	 * so they may still be going on). */
	TEST_CHECK_EQ(swap_stats(&trimmed), 0);
	long free_hogged = pg_sysinfo(SYSINFO_FREE_FRAMES);
	printf("swaptest: watermark %lu: init took %lu frames; the pool went from %lu to %lu frames, "
	       "%lu page-outs; %ld frames free\n",
	       low_mark, held, grown.pool, trimmed.pool, trimmed.pageouts, free_hogged);
	TEST_CHECK(held > TRIM_BELOW);
	TEST_CHECK(trimmed.pool < grown.pool);
	TEST_CHECK(trimmed.pageouts > 0);
	TEST_CHECK(free_hogged >= (long)low_mark); /* given back: above the watermark again */
	/* The client verifies every page, many of them now read back from swap. */
	pg_reply(MSG_INFO(0, 0, 0), 0, 0, 0, 0, HANDLE_NONE);
	phase = pg_recv(k.ep);
	TEST_CHECK_EQ(phase.status, 0);
	TEST_CHECK_EQ(phase.w[0], MEMTEST_VERIFIED);
	pg_reply(MSG_INFO(0, 0, 0), 0, 0, 0, 0, HANDLE_NONE);
	long status = kid_end(&k, 0);
	TEST_CHECK_EQ(status, 0); /* mismatched words */
	for (unsigned long i = 0; i < held; i++)
		pg_handle_delete(hog[i]);
	TEST_CHECK_EQ(swap_stats(&after), 0);
	TEST_CHECK(after.pageins > trimmed.pageins);
	TEST_CHECK_EQ(after.free, after.pool);
	TEST_CHECK_EQ(after.used, 0); /* slots */
}

void swaptrim_run(void)
{
	/* Warm-up, as the other swap tests: the pool grown for such a client
	 * once, so the leak check sees only what the test itself keeps. */
	struct kid k;
	long rc = kid_memtest_start(&k, TRIM_KID_PAGES * PAGE, 0x7e19, MEMTEST_SEQ);
	if (kid_end(&k, rc < 0) != 0 || rc < 0)
		printf("swaptest: the warm-up client failed\n");
	test_run_noleak("U-SWAP-013", "below the low watermark the swapper gives frames back; data survive",
			swap_trim);
}
