/*
 * User tests of process_spawn's pager, quota and SPAWN_SUSPENDED, and of
 * process_start (U-SPAWN-*): a child spawned with a pager has no
 * anonymous memory until it touches it, and every touch of its stack,
 * heap or .bss is a fault for that pager; a suspended child runs only
 * when started.
 */
#include <pagoda/abi.h>
#include <pagoda/child.h>
#include <pagoda/pager.h>
#include <pagoda/runtime.h>
#include <pagoda/test.h>

#include "init.h"

#define PRIO_CHILD 10
#define PAGE 4096UL
#define HEAP_TEST_BYTES (16 * PAGE)
#define BADGE 0x5a

/* U-SPAWN-001: a suspended child does nothing until process_start. Two
 * children call one endpoint with CHILD_HELLO: A, spawned first but
 * suspended, must call after B, spawned running, however the scheduler
 * orders the rest; then both are told to exit. */
static void spawn_suspended(void)
{
	long ep = pg_endpoint_create();
	long a = spawn_with("child", PRIO_CHILD, ep, HANDLE_NONE, 0, SPAWN_SUSPENDED);
	long b = spawn_with("child", PRIO_CHILD, ep, HANDLE_NONE, 0, 0);
	TEST_CHECK(ep >= 0 && a >= 0 && b >= 0);
	if (ep < 0 || a < 0 || b < 0)
		return;
	TEST_CHECK_EQ(pg_process_start(b), -ERR_INVAL); /* running already */
	struct pg_msg first = pg_recv(ep);
	TEST_CHECK_EQ(pg_process_start(a), 0);
	TEST_CHECK_EQ(pg_process_start(a), -ERR_INVAL); /* only once */
	pg_reply(MSG_INFO(CMD_EXIT, 1, 0), 11, 0, 0, 0, HANDLE_NONE);
	struct pg_msg second = pg_recv(ep);
	pg_reply(MSG_INFO(CMD_EXIT, 1, 0), 22, 0, 0, 0, HANDLE_NONE);
	TEST_CHECK_EQ(first.status, 0);
	TEST_CHECK_EQ(second.status, 0);
	/* CHILD_HELLO's w0 is the caller's pid: B's came first. */
	TEST_CHECK_EQ(pg_process_wait(b), 11);
	TEST_CHECK_EQ(pg_process_wait(a), 22);
	TEST_CHECK(first.w[0] != second.w[0]);
	/* A suspended child that is never started is destroyed cleanly. */
	long c = spawn_with("child", PRIO_CHILD, ep, HANDLE_NONE, 0, SPAWN_SUSPENDED);
	TEST_CHECK(c >= 0);
	TEST_CHECK_EQ(pg_object_destroy(c), 0);
	TEST_CHECK_EQ(pg_process_start(c), -ERR_DEAD);
	pg_handle_delete(c);
	pg_handle_delete(a);
	pg_handle_delete(b);
	pg_handle_delete(ep);
}

struct seen_faults {
	unsigned long stack, heap, bss, other, bad_badge, bad_end, writes;
};

/* Answers with a fresh zeroed page, counting where the fault was. */
static void count_and_zero(const struct pg_msg *m, struct seen_faults *s)
{
	unsigned long addr = m->w[0], page = addr & ~(PAGE - 1);
	unsigned long end = m->w[1] & ~FAULT_ACCESS_MASK; /* the region's */
	if (addr >= USER_STACK_TOP - USER_PAGED_STACK_SIZE && addr < USER_STACK_TOP) {
		s->stack++;
		s->bad_end += end != USER_STACK_TOP;
	} else if (addr >= USER_HEAP_BASE && addr < USER_PAGED_HEAP_END) {
		s->heap++;
		s->bad_end += end != USER_PAGED_HEAP_END;
	} else if (addr >= USER_IMAGE_BASE && addr < USER_HEAP_BASE) {
		s->bss++;
		s->bad_end += end <= addr || end > USER_HEAP_BASE;
	} else {
		s->other++;
	}
	s->bad_badge += m->badge != BADGE;
	s->writes += (m->w[1] & FAULT_ACCESS_MASK) == FAULT_WRITE;
	pg_reply(MSG_INFO(PAGER_ZERO, 2, 0), page, RIGHT_READ | RIGHT_WRITE, 0, 0, HANDLE_NONE);
}

/* U-SPAWN-002: a child spawned with us as its pager. Its first
 * instruction that touches the stack faults to us; so do its heap (a
 * CMD_MEMTEST over HEAP_TEST_BYTES of malloc) and its .bss. One endpoint
 * is both its bootstrap and, badged, its pager: we serve its faults and
 * its commands in one loop until its memtest has verified. */
static void spawn_with_pager(void)
{
	long free_before = test_free_frames();
	long ep = pg_endpoint_create();
	long pager = ep >= 0 ? pg_handle_mint(ep, RIGHT_WRITE, BADGE) : -1;
	TEST_CHECK(pager >= 0);
	if (pager < 0)
		return;
	long child = spawn_with("child", PRIO_CHILD, ep, pager, 0, SPAWN_SUSPENDED);
	pg_handle_delete(pager); /* its regions keep the endpoint */
	TEST_CHECK(child >= 0);
	if (child < 0) {
		pg_handle_delete(ep);
		return;
	}
	/* Nothing of it is mapped yet: the free frames did not pay for a stack. */
	long free_spawned = test_free_frames();
	TEST_CHECK_EQ(pg_process_start(child), 0);
	struct seen_faults s = { 0 };
	unsigned long stack_before_hello = 0;
	int done = 0, said_hello = 0;
	while (!done) {
		struct pg_msg m = pg_recv(ep);
		if (m.status < 0) {
			TEST_CHECK_EQ(m.status, 0);
			break;
		}
		switch (MSG_LABEL(m.info)) {
		case PAGER_FAULT:
			count_and_zero(&m, &s);
			break;
		case CHILD_HELLO:
			said_hello = 1;
			stack_before_hello = s.stack;
			pg_reply(MSG_INFO(CMD_MEMTEST, 4, 0), 0, HEAP_TEST_BYTES, 0x5a5a, MEMTEST_SEQ | MEMTEST_PHASES,
				 HANDLE_NONE);
			break;
		case CHILD_PHASE:
			done = m.w[0] == MEMTEST_VERIFIED;
			pg_reply(MSG_INFO(0, 0, 0), 0, 0, 0, 0, HANDLE_NONE);
			break;
		default:
			TEST_CHECK_EQ(MSG_LABEL(m.info), PAGER_FAULT);
			done = 1;
		}
	}
	/* It exits now, without touching new pages (free's pages were used). */
	long status = pg_process_wait(child);
	TEST_CHECK_EQ(status, 0); /* mismatched words */
	TEST_CHECK(said_hello);
	TEST_CHECK(stack_before_hello >= 1); /* the stack was ours before it could call */
	TEST_CHECK(s.heap >= HEAP_TEST_BYTES / PAGE); /* every heap page it wrote */
	TEST_CHECK(s.bss >= 1);                       /* its .bss (the runtime's state) */
	TEST_CHECK_EQ(s.other, 0);
	TEST_CHECK_EQ(s.bad_badge, 0);
	TEST_CHECK_EQ(s.bad_end, 0); /* each fault names its region's end */
	TEST_CHECK(s.writes >= 1);
	printf("spawn: paged child faulted %lu stack, %lu heap, %lu .bss pages to its pager\n",
	       s.stack, s.heap, s.bss);
	pg_handle_delete(child);
	pg_handle_delete(ep);
	TEST_CHECK(free_before - free_spawned < (long)(USER_STACK_SIZE / PAGE)); /* no stack mapped */
	TEST_CHECK_EQ(test_free_frames(), free_before);
}

/* U-SPAWN-003: process_spawn's new arguments are checked before anything
 * is made, and the quota asked for is the quota given. */
static void spawn_arguments(void)
{
	long free_before = test_free_frames();
	long ep = pg_endpoint_create();
	long ntfn = pg_notification_create();
	long ro = pg_handle_mint(ep, RIGHT_READ, 0);
	TEST_CHECK(ep >= 0 && ntfn >= 0 && ro >= 0);
	TEST_CHECK_EQ(spawn_with("child", PRIO_CHILD, ep, HANDLE_NONE, 0, 2), -ERR_INVAL);
	TEST_CHECK_EQ(spawn_with("child", PRIO_CHILD, ep, HANDLE_NONE, 0, ~0UL), -ERR_INVAL);
	TEST_CHECK_EQ(spawn_with("child", PRIO_CHILD, ep, ntfn, 0, 0), -ERR_INVAL); /* not an endpoint */
	TEST_CHECK_EQ(spawn_with("child", PRIO_CHILD, ep, ro, 0, 0), -ERR_PERM);
	TEST_CHECK_EQ(spawn_with("child", PRIO_CHILD, ep, 4000, 0, 0), -ERR_BADHANDLE);
	TEST_CHECK_EQ(spawn_with("child", PRIO_CHILD, ep, HANDLE_NONE, 1UL << 50, 0), -ERR_NOMEM);
	TEST_CHECK_EQ(pg_process_start(ntfn), -ERR_INVAL); /* not a process */
	TEST_CHECK_EQ(pg_process_start(HANDLE_SELF), -ERR_INVAL); /* we run */
	/* A child given 1 MiB runs out there (CMD_EXHAUST: the pages it got). */
	long child = spawn_with("child", PRIO_CHILD, ep, HANDLE_NONE, 1UL << 20, 0);
	TEST_CHECK(child >= 0);
	if (child >= 0) {
		struct pg_msg hello = pg_recv(ep);
		TEST_CHECK_EQ(hello.status, 0);
		pg_reply(MSG_INFO(CMD_EXHAUST, 1, 0), 0, 0, 0, 0, HANDLE_NONE);
		long pages = pg_process_wait(child);
		TEST_CHECK(pages > 0 && pages * (long)PAGE < (1L << 20));
		TEST_CHECK(pages * (long)PAGE > (1L << 19));
		pg_handle_delete(child);
	}
	pg_handle_delete(ro);
	pg_handle_delete(ntfn);
	pg_handle_delete(ep);
	TEST_CHECK_EQ(test_free_frames(), free_before);
}

void utest_spawn_run(void)
{
	test_run_noleak("U-SPAWN-001", "a suspended child runs only after process_start, once",
			spawn_suspended);
	test_run_noleak("U-SPAWN-002", "a child spawned with a pager: stack, heap, .bss all fault to it, each naming its region's end",
			spawn_with_pager);
	test_run_noleak("U-SPAWN-003", "process_spawn checks pager, quota, flags; a 1 MiB quota is 1 MiB",
			spawn_arguments);
}
