/*
 * User tests of mem_watch (U-MEMWATCH-*): the kernel signals a notification
 * when the machine's free frames drop below a threshold, once per crossing,
 * and arms the watch again when they are back at or above it.
 *
 * Deterministic without sleeps: while the suite runs, init is the only
 * process and nothing else allocates, so the free-frame count moves only
 * with the frames these tests take (pg_frame_alloc(0): at least one frame
 * each) and give back. BURST frames always cross a threshold MARGIN below
 * where the count started. Each test gives back everything it took even
 * when a check fails (checks run in helpers that return early; the test
 * function then cleans up), and ends by checking the count is back.
 */
#include <pagoda/abi.h>
#include <pagoda/runtime.h>
#include <pagoda/test.h>

#include "init.h"

#define BURST 32  /* frames taken at a time */
#define MARGIN 16 /* thresholds sit this far below the starting count */
#define INIT_PRIORITY 10 /* kernel/roottask.c */

static long frames[3 * BURST];
static unsigned nframes;

/* Takes n single frames (kept in frames[]). */
static void take(unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		TEST_CHECK(nframes < sizeof frames / sizeof frames[0]);
		long f = pg_frame_alloc(0);
		TEST_CHECK(f >= 0);
		frames[nframes++] = f;
	}
}

static void give_back(void)
{
	while (nframes)
		pg_handle_delete(frames[--nframes]);
}

/* ---- U-MEMWATCH-001 ------------------------------------------------------ */

static long start_free; /* free frames when the running test began */
static long note;

static void fires_once_per_crossing_checks(void)
{
	TEST_CHECK_EQ(pg_mem_watch(note, start_free - MARGIN, 0x4), 0);
	TEST_CHECK_EQ(pg_poll(note), 0); /* not below yet */
	take(BURST);
	TEST_CHECK_EQ(pg_poll(note), 0x4);
	take(BURST); /* further down: the same crossing, no second signal */
	TEST_CHECK_EQ(pg_poll(note), 0);
	give_back(); /* back above: armed again, silently */
	TEST_CHECK_EQ(pg_poll(note), 0);
	take(BURST);
	TEST_CHECK_EQ(pg_poll(note), 0x4);
}

static void fires_once_per_crossing(void)
{
	nframes = 0;
	start_free = test_free_frames();
	note = pg_notification_create();
	TEST_CHECK(note >= 0);
	fires_once_per_crossing_checks();
	give_back();
	pg_handle_delete(note);
	if (test_failing())
		return;
	TEST_CHECK_EQ(test_free_frames(), start_free);
}

/* ---- U-MEMWATCH-002 ------------------------------------------------------ */

static void already_below_checks(void)
{
	/* Above the free count: below it already, so signalled at once. */
	TEST_CHECK_EQ(pg_mem_watch(note, start_free + 1, 0x10), 0);
	TEST_CHECK_EQ(pg_poll(note), 0x10);
	take(BURST); /* still below: nothing new */
	TEST_CHECK_EQ(pg_poll(note), 0);
	give_back();
	/* A second call replaces the watch: threshold and bits. */
	TEST_CHECK_EQ(pg_mem_watch(note, start_free - MARGIN, 0x20), 0);
	TEST_CHECK_EQ(pg_poll(note), 0);
	take(BURST);
	TEST_CHECK_EQ(pg_poll(note), 0x20);
}

static void already_below(void)
{
	nframes = 0;
	start_free = test_free_frames();
	note = pg_notification_create();
	TEST_CHECK(note >= 0);
	already_below_checks();
	give_back();
	pg_handle_delete(note);
	if (test_failing())
		return;
	TEST_CHECK_EQ(test_free_frames(), start_free);
}

/* ---- U-MEMWATCH-003 ------------------------------------------------------ */

static struct {
	long ep, weak, signal_only, gone, dead;
} bad;

static void bad_arguments_checks(void)
{
	long low = start_free - MARGIN;
	long total = pg_sysinfo(SYSINFO_TOTAL_FRAMES);
	TEST_CHECK(total > 0 && bad.ep >= 0 && bad.weak >= 0 && bad.signal_only >= 0);
	TEST_CHECK(bad.gone >= 0 && bad.dead >= 0);
	/* Not a notification: handle_lookup's wrong type is -ERR_INVAL. */
	TEST_CHECK_EQ(pg_mem_watch(bad.ep, low, 1), -ERR_INVAL);
	TEST_CHECK_EQ(pg_mem_watch(HANDLE_SELF, low, 1), -ERR_INVAL);
	/* No handle at all: an emptied slot, a negative number. */
	TEST_CHECK_EQ(pg_handle_delete(bad.gone), 0);
	TEST_CHECK_EQ(pg_mem_watch(bad.gone, low, 1), -ERR_BADHANDLE);
	bad.gone = -1;
	TEST_CHECK_EQ(pg_mem_watch(-1, low, 1), -ERR_BADHANDLE);
	/* A destroyed notification. */
	TEST_CHECK_EQ(pg_object_destroy(bad.dead), 0);
	TEST_CHECK_EQ(pg_mem_watch(bad.dead, low, 1), -ERR_DEAD);
	/* Without RIGHT_WRITE (the right signal needs): poll/wait only. */
	TEST_CHECK_EQ(pg_mem_watch(bad.weak, low, 1), -ERR_PERM);
	/* Bits 0 would signal nothing. */
	TEST_CHECK_EQ(pg_mem_watch(note, low, 0), -ERR_INVAL);
	/* More frames than the machine has. */
	TEST_CHECK_EQ(pg_mem_watch(note, (unsigned long)total + 1, 1), -ERR_RANGE);
	TEST_CHECK_EQ(pg_mem_watch(note, ~0UL, 1), -ERR_RANGE);
	/* None of them set a watch. */
	take(BURST);
	TEST_CHECK_EQ(pg_poll(note), 0);
	give_back();
	/* RIGHT_WRITE alone is enough; the whole machine is the limit. */
	TEST_CHECK_EQ(pg_mem_watch(bad.signal_only, (unsigned long)total, 0x2), 0);
	TEST_CHECK_EQ(pg_poll(note), 0x2); /* never all free: below at once */
	TEST_CHECK_EQ(pg_mem_watch(bad.signal_only, 0, 0), 0);
}

static void bad_arguments(void)
{
	nframes = 0;
	start_free = test_free_frames();
	note = pg_notification_create();
	TEST_CHECK(note >= 0);
	bad.ep = pg_endpoint_create();
	bad.weak = pg_handle_mint(note, RIGHT_READ, 0);
	bad.signal_only = pg_handle_mint(note, RIGHT_WRITE, 0);
	bad.gone = pg_notification_create();
	bad.dead = pg_notification_create();
	bad_arguments_checks();
	give_back();
	long made[] = { bad.ep, bad.weak, bad.signal_only, bad.gone, bad.dead, note };
	for (unsigned i = 0; i < sizeof made / sizeof made[0]; i++)
		if (made[i] >= 0)
			pg_handle_delete(made[i]);
	if (test_failing())
		return;
	TEST_CHECK_EQ(test_free_frames(), start_free);
}

/* ---- U-MEMWATCH-004 ------------------------------------------------------ */

static void zero_removes_checks(void)
{
	long low = start_free - MARGIN;
	/* Removed while armed. */
	TEST_CHECK_EQ(pg_mem_watch(note, low, 0x8), 0);
	TEST_CHECK_EQ(pg_mem_watch(note, 0, 0), 0);
	take(BURST);
	TEST_CHECK_EQ(pg_poll(note), 0);
	give_back();
	/* Removing what is not there: nothing to do (bits do not matter). */
	TEST_CHECK_EQ(pg_mem_watch(note, 0, 123), 0);
	/* Removed after it fired, before it was armed again. */
	TEST_CHECK_EQ(pg_mem_watch(note, low, 0x8), 0);
	take(BURST);
	TEST_CHECK_EQ(pg_poll(note), 0x8);
	TEST_CHECK_EQ(pg_mem_watch(note, 0, 0), 0);
	give_back();
	take(BURST);
	TEST_CHECK_EQ(pg_poll(note), 0);
}

static void zero_removes(void)
{
	nframes = 0;
	start_free = test_free_frames();
	note = pg_notification_create();
	TEST_CHECK(note >= 0);
	zero_removes_checks();
	give_back();
	pg_handle_delete(note);
	if (test_failing())
		return;
	TEST_CHECK_EQ(test_free_frames(), start_free);
}

/* ---- U-MEMWATCH-005 ------------------------------------------------------ */

static struct {
	long survivor, destroyed, dropped, fired_dropped, reuse[3];
} die;

/* Watches that die unlink themselves: the others still fire, and objects
 * made later in the dead ones' memory are not taken for watches. */
static void dies_with_notification_checks(void)
{
	long low = start_free - MARGIN;
	TEST_CHECK(die.survivor >= 0 && die.destroyed >= 0 && die.dropped >= 0);
	/* The survivor first: the others are in front of it in the list. */
	TEST_CHECK_EQ(pg_mem_watch(die.survivor, low, 0x1), 0);
	TEST_CHECK_EQ(pg_mem_watch(die.destroyed, low, 0x2), 0);
	TEST_CHECK_EQ(pg_mem_watch(die.dropped, low, 0x4), 0);
	TEST_CHECK_EQ(pg_object_destroy(die.destroyed), 0); /* dead, handle kept */
	TEST_CHECK_EQ(pg_handle_delete(die.dropped), 0);    /* last reference */
	die.dropped = -1;
	for (unsigned i = 0; i < 3; i++) {
		die.reuse[i] = pg_notification_create();
		TEST_CHECK(die.reuse[i] >= 0);
	}
	take(BURST);
	TEST_CHECK_EQ(pg_poll(die.survivor), 0x1);
	for (unsigned i = 0; i < 3; i++)
		TEST_CHECK_EQ(pg_poll(die.reuse[i]), 0);
	/* One that dies after firing, before it is armed again (below now:
	 * watching signals at once). */
	die.fired_dropped = pg_notification_create();
	TEST_CHECK(die.fired_dropped >= 0);
	TEST_CHECK_EQ(pg_mem_watch(die.fired_dropped, low, 0x8), 0);
	TEST_CHECK_EQ(pg_poll(die.fired_dropped), 0x8);
	TEST_CHECK_EQ(pg_handle_delete(die.fired_dropped), 0);
	die.fired_dropped = -1;
	give_back();
	take(BURST);
	TEST_CHECK_EQ(pg_poll(die.survivor), 0x1);
}

static void dies_with_notification(void)
{
	nframes = 0;
	start_free = test_free_frames();
	die.survivor = pg_notification_create();
	die.destroyed = pg_notification_create();
	die.dropped = pg_notification_create();
	die.fired_dropped = die.reuse[0] = die.reuse[1] = die.reuse[2] = -1;
	dies_with_notification_checks();
	give_back();
	long made[] = { die.survivor, die.destroyed, die.dropped, die.fired_dropped,
			die.reuse[0], die.reuse[1], die.reuse[2] };
	for (unsigned i = 0; i < sizeof made / sizeof made[0]; i++)
		if (made[i] >= 0)
			pg_handle_delete(made[i]);
	if (test_failing())
		return;
	TEST_CHECK_EQ(test_free_frames(), start_free);
}

/* ---- U-MEMWATCH-006 ------------------------------------------------------ */

/* A second thread of ours, above our priority, waiting on the watched
 * notification as a swap pager would: it records what it got and ends. */
struct waiter {
	long thread, note;
	volatile long got;
};
static struct waiter waiter;
static unsigned char waiter_stack[4096] __attribute__((aligned(16)));

/* Only its argument: a new thread has no gp, so no global (the compiler
 * may reach those gp-relative). */
static void wait_once(struct waiter *w)
{
	w->got = pg_wait(w->note);
	pg_thread_exit(0);
}

static void wakes_waiter_checks(void)
{
	long low = start_free - MARGIN;
	TEST_CHECK_EQ(pg_mem_watch(note, low, 0x40), 0);
	waiter.note = note;
	waiter.thread = pg_thread_create((unsigned long)wait_once,
					 (unsigned long)(waiter_stack + sizeof waiter_stack),
					 (unsigned long)&waiter, INIT_PRIORITY + 1);
	TEST_CHECK(waiter.thread >= 0); /* it ran at once, and now waits */
	TEST_CHECK_EQ(waiter.got, 0);
	/* The allocation that crosses wakes it, and it runs before that call
	 * returns to us: not one frame later. */
	for (unsigned i = 0; i < BURST; i++) {
		take(1);
		if (test_failing())
			return;
		if (test_free_frames() >= low) {
			TEST_CHECK_EQ(waiter.got, 0);
			continue;
		}
		TEST_CHECK_EQ(waiter.got, 0x40);
		return;
	}
	TEST_CHECK(!"BURST frames did not cross the threshold");
}

static void wakes_waiter(void)
{
	nframes = 0;
	waiter.thread = -1;
	waiter.got = 0;
	start_free = test_free_frames();
	note = pg_notification_create();
	TEST_CHECK(note >= 0);
	wakes_waiter_checks();
	if (waiter.thread >= 0 && !waiter.got)
		pg_signal(note, 0x80); /* a failed check: end it all the same */
	give_back();
	long dead = waiter.thread >= 0 ? pg_thread_set_priority(waiter.thread, 1) : -ERR_DEAD;
	if (waiter.thread >= 0)
		pg_handle_delete(waiter.thread);
	pg_handle_delete(note);
	if (test_failing())
		return;
	TEST_CHECK_EQ(dead, -ERR_DEAD); /* it ran to its end when woken */
	TEST_CHECK_EQ(test_free_frames(), start_free);
}

void utest_memwatch_run(void)
{
	test_run("U-MEMWATCH-001", "below the threshold signals once per crossing; recovery re-arms it",
		 fires_once_per_crossing);
	test_run("U-MEMWATCH-002", "already below when set: signalled at once; a second call replaces it",
		 already_below);
	test_run("U-MEMWATCH-003", "wrong type, no handle, dead, no WRITE, bits 0, above total: refused",
		 bad_arguments);
	test_run("U-MEMWATCH-004", "low_frames 0 removes the watch, armed or fired",
		 zero_removes);
	test_run("U-MEMWATCH-005", "a watched notification destroyed or dropped unlinks; the rest still fire",
		 dies_with_notification);
	test_run("U-MEMWATCH-006", "a higher-priority waiter wakes in the very allocation that crosses",
		 wakes_waiter);
}
