/*
 * User tests of the growing handle table (U-HANDLE-*): a process holds
 * thousands of handles, numbers stay put while the table grows, a table
 * that cannot grow refuses with ERR_NOSPC and changes nothing, and every
 * frame of a grown table comes back (when it empties, or with its process).
 *
 * Each test cleans up even when a check fails (the checks run in helpers
 * that return early; the caller then releases everything), so a failure
 * cannot leave init's quota exhausted for the tests after it.
 */
#include <pagoda/abi.h>
#include <pagoda/child.h>
#include <pagoda/runtime.h>
#include <pagoda/test.h>
#include <stdbool.h>

#include "init.h"

#define MANY 2000 /* handles: the table doubles 1 -> 8 frames (2048 slots) */
#define SLOT_BYTES 16 /* sizeof(struct handle) in the kernel: a table of S slots is S * 16 bytes */

static long many[MANY];
static unsigned long many_pa[MANY]; /* frames: the physical address; notifications: 0 */
static unsigned char seen[HANDLE_TABLE_MAX / 8];

static bool is_frame(unsigned i)
{
	return i % 2;
}

/* Every handle in many[0..n) names what it named when made: each
 * notification takes a signal, each frame has its physical address. */
static void many_usable(unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (many[i] < 0)
			continue; /* deleted */
		if (is_frame(i)) {
			TEST_CHECK_EQ(pg_frame_phys(many[i]), (long)many_pa[i]);
		} else {
			unsigned long bit = 1UL << (i % 63);
			TEST_CHECK_EQ(pg_signal(many[i], bit), 0);
			TEST_CHECK_EQ(pg_poll(many[i]), (long)bit);
		}
	}
}

static void many_checks(void)
{
	for (unsigned i = 0; i < MANY; i++) {
		many[i] = is_frame(i) ? pg_frame_alloc(0) : pg_notification_create();
		TEST_CHECK(many[i] >= 0);
		if (is_frame(i)) {
			long pa = pg_frame_phys(many[i]);
			TEST_CHECK(pa > 0 && (pa & 4095) == 0);
			many_pa[i] = (unsigned long)pa;
		}
	}
	/* Distinct numbers, all below the maximum, well past one frame's 256. */
	long top = 0;
	for (unsigned i = 0; i < MANY; i++) {
		long h = many[i];
		TEST_CHECK(h >= 0 && h < HANDLE_TABLE_MAX);
		TEST_CHECK(!(seen[h / 8] & (1u << (h % 8))));
		seen[h / 8] |= (unsigned char)(1u << (h % 8));
		if (h > top)
			top = h;
	}
	TEST_CHECK(top >= MANY);
	/* Every one works and still names its object: the table moved three
	 * times while they were made, the numbers did not. */
	many_usable(MANY);
	/* Every other one goes (the table stays: half of it is in use). The
	 * lowest number freed is the next one given out. */
	long lowest = HANDLE_TABLE_MAX;
	for (unsigned i = 0; i < MANY; i += 2) {
		if (many[i] < lowest)
			lowest = many[i];
		TEST_CHECK_EQ(pg_handle_delete(many[i]), 0);
		many[i] = -1;
	}
	long again = pg_notification_create();
	TEST_CHECK_EQ(again, lowest);
	TEST_CHECK_EQ(pg_handle_delete(again), 0);
	TEST_CHECK_EQ(pg_handle_delete(lowest), -ERR_BADHANDLE); /* gone twice over */
	many_usable(MANY);
}

static void handles_many(void)
{
	long free_before = test_free_frames();
	long quota_before = pg_sysinfo(SYSINFO_QUOTA_LEFT);
	for (unsigned i = 0; i < MANY; i++)
		many[i] = -1;
	for (unsigned i = 0; i < sizeof seen; i++)
		seen[i] = 0;
	many_checks();
	/* The rest goes, from the top down: the table halves back to one frame
	 * on the way (while the handles left still work). */
	for (unsigned i = MANY; i-- > 0;) {
		if (many[i] >= 0 && pg_handle_delete(many[i]) != 0 && !test_failing())
			test_failed(__FILE__, __LINE__, "a handle made by this test did not delete");
		many[i] = -1;
		if (i == MANY / 4 && !test_failing())
			many_usable(MANY / 4);
	}
	if (test_failing())
		return;
	TEST_CHECK_EQ(pg_sysinfo(SYSINFO_QUOTA_LEFT), quota_before);
	TEST_CHECK_EQ(test_free_frames(), free_before);
}

/* ---- a table that cannot grow -------------------------------------------- */

#define EAT_MAX 1024  /* frames holding the quota */
#define MINT_MAX 4096 /* handles filling the table */

static struct {
	long note;              /* what the fillers are minted from */
	long eat[EAT_MAX];      /* frames, largest first */
	unsigned long eat_pa[EAT_MAX];
	unsigned neat;
	long mint[MINT_MAX];
	unsigned nmint;
	long extra[2];          /* made once room is back */
} nr;

/* What pg_thread_create would run if it wrongly succeeded: it ends at once. */
static void thread_ends(void)
{
	pg_thread_exit(0);
}
static unsigned char thread_stack[1024] __attribute__((aligned(16)));

/* A second thread of ours receiving on rx.ep: what arrives is recorded
 * and rx.done signalled (bit 1); when rx.ep dies it signals bit 2 and ends. */
#define RX_PRIORITY 10 /* init's own (kernel/roottask.c): pg_yield runs it */
static struct {
	long ep, done, thread;
	volatile long status, handle;
	volatile unsigned long info, word;
} rx;
static unsigned char rx_stack[4096] __attribute__((aligned(16)));

static void receiver(void)
{
	for (;;) {
		struct pg_msg m = pg_recv(rx.ep);
		if (m.status < 0) {
			pg_signal(rx.done, 2);
			pg_thread_exit(0);
		}
		rx.status = m.status;
		rx.info = m.info;
		rx.word = m.w[0];
		rx.handle = m.handle;
		pg_signal(rx.done, 1);
	}
}

/* The state with the table full and under 8 KiB of quota left. */
static void no_room_checks(void)
{
	long left = pg_sysinfo(SYSINFO_QUOTA_LEFT);
	long free_frames = test_free_frames();
	/* Doubling the table needs at least two frames of quota. */
	TEST_CHECK(left >= 0 && left < 8192);
	TEST_CHECK(nr.nmint > 0);
	/* The table is full: the numbers fill it up to a power of two. */
	long top = 0;
	for (unsigned i = 0; i < nr.nmint; i++)
		top = nr.mint[i] > top ? nr.mint[i] : top;
	long size = top + 1;
	TEST_CHECK(size >= 256 && size <= HANDLE_TABLE_MAX && (size & (size - 1)) == 0);

	/* Every call that adds a handle says ERR_NOSPC, before anything else:
	 * a frame of 4 KiB would still fit the quota, the doubled table not. */
	TEST_CHECK_EQ(pg_handle_mint(nr.note, RIGHT_WRITE, 0), -ERR_NOSPC);
	TEST_CHECK_EQ(pg_notification_create(), -ERR_NOSPC);
	TEST_CHECK_EQ(pg_endpoint_create(), -ERR_NOSPC);
	TEST_CHECK_EQ(pg_frame_alloc(0), -ERR_NOSPC);
	TEST_CHECK_EQ(pg_thread_create((unsigned long)thread_ends,
				       (unsigned long)(thread_stack + sizeof thread_stack), 0, 1),
		      -ERR_NOSPC);
	/* A handle sent to us arrives as ERR_NOSPC in place of its number, the
	 * message itself intact (our own thread receives it here). */
	TEST_CHECK_EQ(pg_send(rx.ep, MSG_INFO(5, 1, 1), 42, 0, 0, 0, nr.note), 0);
	TEST_CHECK_EQ(pg_wait(rx.done), 1);
	TEST_CHECK_EQ(rx.status, 0);
	TEST_CHECK_EQ(rx.handle, -ERR_NOSPC);
	TEST_CHECK(rx.word == 42 && MSG_LABEL(rx.info) == 5 && !(rx.info & MSG_HAS_HANDLE));
	/* ... and nothing changed. */
	TEST_CHECK_EQ(pg_sysinfo(SYSINFO_QUOTA_LEFT), left);
	TEST_CHECK_EQ(test_free_frames(), free_frames);
	for (unsigned i = 0; i < nr.nmint; i++)
		TEST_CHECK_EQ(pg_signal(nr.mint[i], 1), 0);
	TEST_CHECK_EQ(pg_poll(nr.note), 1);
	for (unsigned i = 0; i < nr.neat; i++)
		TEST_CHECK_EQ(pg_frame_phys(nr.eat[i]), (long)nr.eat_pa[i]);

	/* Room again: the largest frame goes. Its number is the one free slot. */
	long freed = nr.eat[0];
	TEST_CHECK_EQ(pg_handle_delete(freed), 0);
	nr.eat[0] = -1;
	left = pg_sysinfo(SYSINFO_QUOTA_LEFT);
	free_frames = test_free_frames();
	nr.extra[0] = pg_handle_mint(nr.note, RIGHT_WRITE, 0);
	TEST_CHECK_EQ(nr.extra[0], freed);
	TEST_CHECK_EQ(pg_sysinfo(SYSINFO_QUOTA_LEFT), left); /* no growth: no charge */
	/* The next one doubles the table: the new block is charged, the old one
	 * refunded, and the handle gets the first number past the old size. */
	nr.extra[1] = pg_handle_mint(nr.note, RIGHT_WRITE, 0);
	TEST_CHECK_EQ(nr.extra[1], size);
	TEST_CHECK_EQ(pg_sysinfo(SYSINFO_QUOTA_LEFT), left - size * SLOT_BYTES);
	TEST_CHECK_EQ(test_free_frames(), free_frames - size * SLOT_BYTES / 4096);
	/* Everything made before the move still works. */
	for (unsigned i = 0; i < nr.nmint; i++)
		TEST_CHECK_EQ(pg_signal(nr.mint[i], 2), 0);
	TEST_CHECK_EQ(pg_signal(nr.extra[1], 2), 0);
	TEST_CHECK_EQ(pg_poll(nr.note), 2);
	for (unsigned i = 1; i < nr.neat; i++)
		TEST_CHECK_EQ(pg_frame_phys(nr.eat[i]), (long)nr.eat_pa[i]);
}

/* Takes frames, largest first, until the quota refuses even one page. */
static void eat_quota(void)
{
	for (int order = 9; order >= 0; order--) {
		for (;;) {
			long f = pg_frame_alloc((unsigned long)order);
			if (f == -ERR_NOMEM || f == -ERR_NOSPC)
				break;
			TEST_CHECK(f >= 0);
			TEST_CHECK(nr.neat < EAT_MAX);
			nr.eat_pa[nr.neat] = (unsigned long)pg_frame_phys(f);
			nr.eat[nr.neat++] = f;
		}
	}
}

/* Fills every free slot with a handle to nr.note, until the table cannot grow. */
static void fill_table(void)
{
	for (;;) {
		long h = pg_handle_mint(nr.note, RIGHT_WRITE, 0);
		if (h == -ERR_NOSPC)
			return;
		TEST_CHECK(h >= 0);
		TEST_CHECK(nr.nmint < MINT_MAX);
		nr.mint[nr.nmint++] = h;
	}
}

static void handles_no_room(void)
{
	long free_before = test_free_frames();
	long quota_before = pg_sysinfo(SYSINFO_QUOTA_LEFT);
	nr.neat = nr.nmint = 0;
	nr.extra[0] = nr.extra[1] = -1;
	nr.note = pg_notification_create();
	rx.ep = pg_endpoint_create();
	rx.done = pg_notification_create();
	rx.thread = pg_thread_create((unsigned long)receiver, (unsigned long)(rx_stack + sizeof rx_stack), 0,
				     RX_PRIORITY);
	TEST_CHECK(nr.note >= 0 && rx.ep >= 0 && rx.done >= 0 && rx.thread >= 0);
	eat_quota();
	if (!test_failing())
		fill_table();
	if (!test_failing())
		no_room_checks();

	/* Give it all back, whatever happened. */
	for (unsigned i = 0; i < 2; i++)
		if (nr.extra[i] >= 0)
			pg_handle_delete(nr.extra[i]);
	for (unsigned i = 0; i < nr.nmint; i++)
		pg_handle_delete(nr.mint[i]);
	for (unsigned i = 0; i < nr.neat; i++)
		if (nr.eat[i] >= 0)
			pg_handle_delete(nr.eat[i]);
	pg_handle_delete(nr.note);
	/* The receiver ends when its endpoint dies. */
	pg_object_destroy(rx.ep);
	long ended = pg_wait(rx.done);
	for (int i = 0; i < 100 && pg_thread_set_priority(rx.thread, RX_PRIORITY) != -ERR_DEAD; i++)
		pg_yield();
	long dead = pg_thread_set_priority(rx.thread, RX_PRIORITY);
	pg_handle_delete(rx.thread);
	pg_handle_delete(rx.done);
	pg_handle_delete(rx.ep);
	if (test_failing())
		return;
	TEST_CHECK_EQ(ended, 2);
	TEST_CHECK_EQ(dead, -ERR_DEAD);
	/* The table shrank back, so all the quota and every frame is back. */
	TEST_CHECK_EQ(pg_sysinfo(SYSINFO_QUOTA_LEFT), quota_before);
	TEST_CHECK_EQ(test_free_frames(), free_before);
}

/* ---- a grown table dies with its process ---------------------------------- */

/* A child serving echo calls; each call hands it a handle it keeps. */
static void child_takes_handles(long ep, long note, unsigned n, long growth_frames)
{
	long free_start = test_free_frames();
	for (unsigned i = 0; i < n; i++) {
		struct pg_msg r = pg_call(ep, MSG_INFO(1, 1, 1), i, 0, 0, 0, note);
		TEST_CHECK_EQ(r.status, 0);
		TEST_CHECK_EQ(r.w[0], i);
	}
	/* Nothing but its table took memory: one frame became eight. */
	if (growth_frames >= 0)
		TEST_CHECK_EQ(test_free_frames(), free_start - growth_frames);
}

static void echo_child_round(unsigned n, long growth_frames)
{
	long ep = pg_endpoint_create();
	long note = pg_notification_create();
	TEST_CHECK(ep >= 0 && note >= 0);
	long proc = spawn("child", 10, ep);
	TEST_CHECK(proc >= 0);
	struct pg_msg hello = pg_recv(ep);
	TEST_CHECK_EQ(hello.status, 0);
	pg_reply(MSG_INFO(CMD_ECHO, 1, 0), 0, 0, 0, 0, HANDLE_NONE);
	child_takes_handles(ep, note, n, growth_frames);
	pg_object_destroy(proc);
	long status = pg_process_wait(proc);
	pg_handle_delete(proc);
	pg_handle_delete(note);
	pg_handle_delete(ep);
	TEST_CHECK_EQ(status, -ERR_DEAD);
}

static void handles_die_with_process(void)
{
	echo_child_round(MANY, -1); /* warm up: kernel slabs the first round keeps */
	if (test_failing())
		return;
	long free_before = test_free_frames();
	long quota_before = pg_sysinfo(SYSINFO_QUOTA_LEFT);
	/* It starts with 2 handles (itself, its endpoint): MANY more make
	 * 2002, in 2048 slots: 8 frames where it had 1. */
	echo_child_round(MANY, 7);
	if (test_failing())
		return;
	TEST_CHECK_EQ(test_free_frames(), free_before);
	TEST_CHECK_EQ(pg_sysinfo(SYSINFO_QUOTA_LEFT), quota_before);
}

void utest_handles_run(void)
{
	test_run("U-HANDLE-001",
		 "2000 handles: distinct numbers that survive growth; all deleted, frames and quota return",
		 handles_many);
	test_run("U-HANDLE-002",
		 "a full table without quota to double: new and received handles get ERR_NOSPC, nothing changes",
		 handles_no_room);
	test_run("U-HANDLE-003",
		 "a child's table grown to 2048 slots by received handles goes with it: frames return exactly",
		 handles_die_with_process);
}
