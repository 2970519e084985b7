/*
 * User tests of process_watch (U-EXITWATCH-*): the kernel signals a
 * notification when a watched process exits, once, with the watch's bits.
 *
 * Each test spawns `child` processes, which call their bootstrap endpoint
 * with CHILD_HELLO and are answered CMD_EXIT; process_wait then says they
 * are gone, so every poll below happens after the exit it is about, with
 * no timing involved. They run under test_run_noleak: every process,
 * notification and watch is gone again when a test ends.
 */
#include <pagoda/abi.h>
#include <pagoda/child.h>
#include <pagoda/ipc.h>
#include <pagoda/runtime.h>
#include <pagoda/test.h>

#include "init.h"

#define PRIO_CHILD 10
#define MAX_WATCHES 4 /* PROCESS_EXIT_WATCHES, kernel/process.h */

/* A child on bootstrap endpoint ep, waiting in its CHILD_HELLO call
 * (answered by child_exit). Its process handle, or -ERR_*. */
static long child_spawn(long ep)
{
	return spawn_with("child", PRIO_CHILD, ep, HANDLE_NONE, 0, 0);
}

/* Answers the next CHILD_HELLO on ep with CMD_EXIT code, and waits for
 * process proc (the caller) to end: 1 if it ended with code. */
static int child_exit(long ep, long proc, unsigned long code)
{
	struct pg_msg m = pg_recv(ep);
	if (m.status < 0 || msg_label(m) != CHILD_HELLO)
		return 0;
	pg_reply(MSG_INFO(CMD_EXIT, 1, 0), code, 0, 0, 0, HANDLE_NONE);
	return pg_process_wait(proc) == (long)code;
}

/* U-EXITWATCH-001: an exit signals every watch once, with its own bits;
 * watching a process that has exited signals at once and says so. */
static void exit_signals(void)
{
	long ep = pg_endpoint_create(), a = pg_notification_create(), b = pg_notification_create();
	long child = ep >= 0 ? child_spawn(ep) : ep;
	TEST_CHECK(ep >= 0 && a >= 0 && b >= 0 && child >= 0);
	if (child >= 0) {
		TEST_CHECK_EQ(pg_process_watch(child, a, 0x5), 0);
		TEST_CHECK_EQ(pg_process_watch(child, a, 0x100), 0); /* a second watch, same ntfn */
		TEST_CHECK_EQ(pg_process_watch(child, b, 0x2), 0);
		TEST_CHECK_EQ(pg_poll(a), 0); /* alive: nothing yet */
		TEST_CHECK(child_exit(ep, child, 7));
		TEST_CHECK_EQ(pg_poll(a), 0x105);
		TEST_CHECK_EQ(pg_poll(b), 0x2);
		TEST_CHECK_EQ(pg_poll(a), 0); /* once */
		TEST_CHECK_EQ(pg_process_watch(child, b, 0x40), 1); /* gone: at once */
		TEST_CHECK_EQ(pg_poll(b), 0x40);
		TEST_CHECK_EQ(pg_process_watch(child, b, 0), 1); /* removing: says gone */
		TEST_CHECK_EQ(pg_poll(b), 0);
		pg_handle_delete(child);
	}
	pg_handle_delete(a);
	pg_handle_delete(b);
	pg_handle_delete(ep);
}

/* U-EXITWATCH-002: bits 0 removes only that notification's watches, and
 * frees their slots; the exit then signals the others alone. */
static void zero_removes(void)
{
	long ep = pg_endpoint_create(), a = pg_notification_create(), b = pg_notification_create();
	long child = ep >= 0 ? child_spawn(ep) : ep;
	TEST_CHECK(ep >= 0 && a >= 0 && b >= 0 && child >= 0);
	if (child >= 0) {
		for (unsigned i = 0; i < MAX_WATCHES - 1; i++)
			TEST_CHECK_EQ(pg_process_watch(child, a, 1UL << i), 0);
		TEST_CHECK_EQ(pg_process_watch(child, b, 0x80), 0);
		TEST_CHECK_EQ(pg_process_watch(child, a, 0), 0); /* alive: 0 */
		TEST_CHECK_EQ(pg_process_watch(child, a, 0), 0); /* none left: nothing to do */
		/* The three slots are free again: three new watches fit. */
		for (unsigned i = 0; i < MAX_WATCHES - 1; i++)
			TEST_CHECK_EQ(pg_process_watch(child, b, 0x1000UL << i), 0);
		TEST_CHECK(child_exit(ep, child, 0));
		TEST_CHECK_EQ(pg_poll(a), 0);
		TEST_CHECK_EQ(pg_poll(b), 0x7080);
		pg_handle_delete(child);
	}
	pg_handle_delete(a);
	pg_handle_delete(b);
	pg_handle_delete(ep);
}

/* U-EXITWATCH-003: bad arguments are refused and change nothing. */
static void bad_arguments(void)
{
	long ep = pg_endpoint_create(), n = pg_notification_create();
	long child = ep >= 0 ? child_spawn(ep) : ep;
	TEST_CHECK(ep >= 0 && n >= 0 && child >= 0);
	if (child < 0 || n < 0) {
		pg_handle_delete(ep);
		pg_handle_delete(n);
		return;
	}
	long no_read = pg_handle_mint(child, RIGHT_WRITE, 0);
	long no_write = pg_handle_mint(n, RIGHT_READ, 0);
	TEST_CHECK(no_read >= 0 && no_write >= 0);
	TEST_CHECK_EQ(pg_process_watch(HANDLE_SELF, n, 1), -ERR_INVAL);
	TEST_CHECK_EQ(pg_process_watch(n, n, 1), -ERR_INVAL);         /* not a process */
	TEST_CHECK_EQ(pg_process_watch(child, ep, 1), -ERR_INVAL);    /* not a notification */
	TEST_CHECK_EQ(pg_process_watch(child, 4000, 1), -ERR_BADHANDLE);
	TEST_CHECK_EQ(pg_process_watch(no_read, n, 1), -ERR_PERM);
	TEST_CHECK_EQ(pg_process_watch(child, no_write, 1), -ERR_PERM);
	for (unsigned i = 0; i < MAX_WATCHES; i++)
		TEST_CHECK_EQ(pg_process_watch(child, n, 1UL << i), 0);
	TEST_CHECK_EQ(pg_process_watch(child, n, 0x10), -ERR_NOSPC);
	TEST_CHECK(child_exit(ep, child, 0));
	TEST_CHECK_EQ(pg_poll(n), 0xf); /* the four watches, not the refused ones */
	pg_handle_delete(no_read);
	pg_handle_delete(no_write);
	pg_handle_delete(child);
	pg_handle_delete(n);
	pg_handle_delete(ep);
}

/* U-EXITWATCH-004: a watch keeps its notification's memory, not its life:
 * destroyed, it is not signalled; its last handle dropped, the exit
 * releases it (our quota would stay charged for it otherwise). */
static void notification_lifetime(void)
{
	long quota = pg_sysinfo(SYSINFO_QUOTA_LEFT); /* objects are charged to us */
	long ep = pg_endpoint_create(), a = pg_notification_create(), b = pg_notification_create();
	long c = pg_notification_create();
	long child = ep >= 0 ? child_spawn(ep) : ep;
	TEST_CHECK(ep >= 0 && a >= 0 && b >= 0 && c >= 0 && child >= 0);
	if (child >= 0) {
		TEST_CHECK_EQ(pg_process_watch(child, a, 1), 0);
		TEST_CHECK_EQ(pg_process_watch(child, b, 2), 0);
		TEST_CHECK_EQ(pg_process_watch(child, c, 4), 0);
		TEST_CHECK_EQ(pg_object_destroy(a), 0);
		pg_handle_delete(b); /* only the watch holds it now */
		TEST_CHECK(child_exit(ep, child, 0));
		TEST_CHECK_EQ(pg_poll(a), -ERR_DEAD);
		TEST_CHECK_EQ(pg_poll(c), 4);
		pg_handle_delete(child);
	}
	pg_handle_delete(a);
	pg_handle_delete(c);
	pg_handle_delete(ep);
	TEST_CHECK_EQ(pg_sysinfo(SYSINFO_QUOTA_LEFT), quota); /* b released, and all else */
}

void utest_exitwatch_run(void)
{
	test_run_noleak("U-EXITWATCH-001", "an exit signals each watch once with its bits; watching the dead says so",
			exit_signals);
	test_run_noleak("U-EXITWATCH-002", "bits 0 removes that notification's watches and frees their slots",
			zero_removes);
	test_run_noleak("U-EXITWATCH-003", "self, wrong types, bad handle, missing rights, a fifth watch: refused",
			bad_arguments);
	test_run_noleak("U-EXITWATCH-004", "a destroyed notification is not signalled; a dropped one is freed at exit",
			notification_lifetime);
}
