/*
 * The user-space test suite (boot argument "utest"): IPC, bad system-call
 * arguments, isolation, teardown, scheduling. Each test has an id and a
 * line; scripts/run-tests.sh counts the PASS/FAIL lines.
 */
#include <pagoda/child.h>
#include <pagoda/ipc.h>
#include <pagoda/runtime.h>
#include <pagoda/test.h>
#include <stdlib.h>
#include <string.h>

#include "init.h"

#define PRIO_INIT 10
#define KERNEL_ADDR 0xffffffc000000000UL  /* the direct map */
#define KERNEL_TEXT 0xffffffff80000000UL
#define UNMAPPED_ADDR 0x3000000000UL
#define NONCANONICAL 0x8000000000UL

/* A child started with a fresh endpoint, having said hello. */
struct child {
	long proc, ep;
	long pid;
	unsigned long badge; /* what the child's HELLO carried */
};

static long start_child(struct child *c, unsigned long priority, unsigned long badge)
{
	c->ep = pg_endpoint_create();
	if (c->ep < 0)
		return c->ep;
	long given = badge ? pg_handle_mint(c->ep, RIGHT_ALL, badge) : c->ep;
	c->proc = spawn("child", priority, given);
	if (given != c->ep)
		pg_handle_delete(given);
	if (c->proc < 0)
		return c->proc;
	struct pg_msg hello = pg_recv(c->ep);
	if (hello.status < 0 || MSG_LABEL(hello.info) != CHILD_HELLO)
		return -ERR_INVAL;
	c->pid = (long)hello.w[0];
	c->badge = hello.badge;
	return 0;
}

/* Replies to the child's HELLO with a command. */
static void command(struct child *c, unsigned long cmd, unsigned long arg)
{
	(void)c;
	pg_reply(MSG_INFO(cmd, 1, 0), arg, 0, 0, 0, HANDLE_NONE);
}

/* Waits for the child to end; returns its status and releases it. */
static long finish_child(struct child *c)
{
	long status = pg_process_wait(c->proc);
	pg_handle_delete(c->proc);
	pg_handle_delete(c->ep);
	return status;
}

/* Ends a child that will not end by itself. */
static long kill_child(struct child *c)
{
	pg_object_destroy(c->proc);
	return finish_child(c);
}

/* ---- IPC ----------------------------------------------------------------- */

static void ipc_roundtrip(void)
{
	struct child c;
	TEST_CHECK_EQ(start_child(&c, PRIO_INIT, 0), 0);
	command(&c, CMD_ECHO, 0);
	static const unsigned long patterns[][4] = {
		{ 0, 0, 0, 0 },
		{ ~0UL, 0x8000000000000000UL, 1, 0x7fffffffffffffffUL },
		{ 0x0123456789abcdefUL, 0xfedcba9876543210UL, 0xdeadbeefUL, 42 },
	};
	for (unsigned i = 0; i < 3; i++) {
		const unsigned long *w = patterns[i];
		struct pg_msg r = pg_call(c.ep, MSG_INFO(7, 4, 0), w[0], w[1], w[2], w[3], HANDLE_NONE);
		TEST_CHECK_EQ(r.status, 0);
		TEST_CHECK_EQ(MSG_LENGTH(r.info), 4);
		for (unsigned k = 0; k < 4; k++)
			TEST_CHECK(r.w[k] == w[k]);
		TEST_CHECK_EQ(r.handle, HANDLE_NONE);
	}
	/* Words beyond the length are not passed on (zero, not stale). */
	struct pg_msg r = pg_call(c.ep, MSG_INFO(7, 1, 0), 5, 6, 7, 8, HANDLE_NONE);
	TEST_CHECK(r.status == 0 && r.w[0] == 5 && r.w[1] == 0 && r.w[3] == 0);
	/* A length above MSG_WORDS is refused. */
	TEST_CHECK_EQ(pg_call(c.ep, MSG_INFO(7, 5, 0), 0, 0, 0, 0, HANDLE_NONE).status, -ERR_INVAL);
	TEST_CHECK_EQ(kill_child(&c), -ERR_DEAD);
}

static void ipc_badges(void)
{
	/* Two children call the same endpoint through differently badged
	 * handles; the badge tells us which is which. */
	long ep = pg_endpoint_create();
	TEST_CHECK(ep >= 0);
	long ha = pg_handle_mint(ep, RIGHT_ALL, 0x1111);
	long hb = pg_handle_mint(ep, RIGHT_ALL, 0x2222);
	TEST_CHECK(ha >= 0 && hb >= 0);
	TEST_CHECK_EQ(pg_handle_mint(ha, RIGHT_ALL, 0x3333), -ERR_PERM); /* a badge is fixed */
	long pa = spawn("child", PRIO_INIT, ha);
	long pb = spawn("child", PRIO_INIT, hb);
	TEST_CHECK(pa >= 0 && pb >= 0);
	for (int i = 0; i < 2; i++) {
		struct pg_msg hello = pg_recv(ep);
		TEST_CHECK_EQ(hello.status, 0);
		TEST_CHECK(hello.badge == 0x1111 || hello.badge == 0x2222);
		/* Exit with a code naming the badge we saw. */
		pg_reply(MSG_INFO(CMD_EXIT, 1, 0), hello.badge == 0x1111 ? 11 : 22, 0, 0, 0, HANDLE_NONE);
	}
	TEST_CHECK_EQ(pg_process_wait(pa), 11);
	TEST_CHECK_EQ(pg_process_wait(pb), 22);
	pg_handle_delete(pa);
	pg_handle_delete(pb);
	pg_handle_delete(ha);
	pg_handle_delete(hb);
	pg_handle_delete(ep);
}

static void ipc_unanswered_call(void)
{
	/* Receiving again with a call unanswered fails that caller, never
	 * leaving it waiting forever. */
	struct child a, b;
	TEST_CHECK_EQ(start_child(&a, PRIO_INIT, 0), 0);
	TEST_CHECK_EQ(start_child(&b, PRIO_INIT, 0), 0); /* drops a's HELLO */
	TEST_CHECK_EQ(finish_child(&a), 100);             /* child: call failed -> 100 */
	command(&b, CMD_EXIT, 9);
	TEST_CHECK_EQ(finish_child(&b), 9);
}

static void ipc_handle_transfer(void)
{
	struct child c;
	TEST_CHECK_EQ(start_child(&c, PRIO_INIT, 0), 0);
	command(&c, CMD_CHECK_HANDLE, 0);
	long note = pg_notification_create();
	TEST_CHECK(note >= 0);
	long weak = pg_handle_mint(note, RIGHT_WRITE, 0); /* signal only */
	TEST_CHECK(weak >= 0);
	struct pg_msg r = pg_call(c.ep, MSG_INFO(9, 0, 1), 0, 0, 0, 0, weak);
	TEST_CHECK_EQ(r.status, 0);
	TEST_CHECK((long)r.w[0] >= 0);          /* the child got a handle */
	TEST_CHECK_EQ((long)r.w[1], -ERR_PERM); /* and could not widen it */
	TEST_CHECK_EQ((long)r.w[2], -ERR_PERM); /* READ is not among WRITE's rights */
	TEST_CHECK_EQ((long)r.w[3], 0);         /* but could use what it has */
	TEST_CHECK_EQ(pg_poll(note), 4);
	/* Without RIGHT_GRANT on the endpoint, no handle may travel. */
	long nogrant = pg_handle_mint(c.ep, RIGHT_READ | RIGHT_WRITE, 0);
	TEST_CHECK_EQ(pg_send(nogrant, MSG_INFO(9, 0, 1), 0, 0, 0, 0, weak), -ERR_PERM);
	/* A bad handle to transfer is refused before anything is sent. */
	TEST_CHECK_EQ(pg_send(c.ep, MSG_INFO(9, 0, 1), 0, 0, 0, 0, 200), -ERR_BADHANDLE);
	pg_handle_delete(nogrant);
	pg_handle_delete(weak);
	pg_handle_delete(note);
	TEST_CHECK_EQ(kill_child(&c), -ERR_DEAD);
}

static void ipc_deleted_endpoint(void)
{
	/* A call through a handle to a destroyed endpoint fails cleanly. */
	long ep = pg_endpoint_create();
	long copy = pg_handle_mint(ep, RIGHT_WRITE, 0);
	TEST_CHECK(ep >= 0 && copy >= 0);
	TEST_CHECK_EQ(pg_object_destroy(copy), -ERR_PERM); /* a reduced handle cannot destroy */
	TEST_CHECK_EQ(pg_object_destroy(ep), 0);
	TEST_CHECK_EQ(pg_call(copy, MSG_INFO(1, 0, 0), 0, 0, 0, 0, HANDLE_NONE).status, -ERR_DEAD);
	TEST_CHECK_EQ(pg_call(ep, MSG_INFO(1, 0, 0), 0, 0, 0, 0, HANDLE_NONE).status, -ERR_DEAD);
	long other = pg_notification_create();
	TEST_CHECK(other != copy && other != ep); /* revoked slots are not reused */
	TEST_CHECK_EQ(pg_handle_delete(copy), 0);
	TEST_CHECK_EQ(pg_handle_delete(ep), 0);
	TEST_CHECK_EQ(pg_handle_delete(ep), -ERR_BADHANDLE);
	pg_handle_delete(other);

	/* A thread blocked on an endpoint that is destroyed wakes with -ERR_DEAD. */
	struct child c;
	TEST_CHECK_EQ(start_child(&c, PRIO_INIT, 0), 0);
	command(&c, CMD_RECV, 0);
	pg_yield(); /* let it block in recv */
	TEST_CHECK_EQ(pg_object_destroy(c.ep), 0);
	TEST_CHECK_EQ(finish_child(&c), -ERR_DEAD);
}

/* ---- bad system-call arguments ------------------------------------------- */

static long raw_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long r0 __asm__("a0") = a0, r1 __asm__("a1") = a1, r2 __asm__("a2") = a2;
	register long r3 __asm__("a3") = a3, r4 __asm__("a4") = a4, r5 __asm__("a5") = a5;
	register long r6 __asm__("a6") = a6, r7 __asm__("a7") = nr;
	__asm__ volatile("ecall"
			 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7)
			 :
			 : "memory");
	return r0;
}

static void bad_arguments(void)
{
	/* Values wrong for every argument of every call: pointers to kernel,
	 * unmapped or non-canonical memory, misaligned, negative, huge, and
	 * handles that are empty (255) or out of the table (256). (0 and 1
	 * are real handles, HANDLE_SELF and HANDLE_BOOTSTRAP; null pointers
	 * are tried below where a pointer is taken.) */
	static const long bad[] = { (long)KERNEL_ADDR, (long)KERNEL_TEXT, (long)UNMAPPED_ADDR + 3,
				    (long)NONCANONICAL, -1, 0x7fffffffffffffffL, 255, 256 };
	for (long nr = 0; nr < SYS_COUNT; nr++) {
		if (nr == SYS_yield || nr == SYS_thread_exit || nr == SYS_endpoint_create ||
		    nr == SYS_notification_create)
			continue; /* no argument that can be wrong (or, exit, none that is checked) */
		for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			long v = bad[i];
			long rc = raw_syscall(nr, v, v, v, v, v, v, v);
			if (rc >= 0) {
				char what[96];
				snprintf(what, sizeof what, "syscall %ld with all arguments 0x%lx returned %ld", nr,
					 (unsigned long)v, rc);
				test_failed(__FILE__, __LINE__, what);
				return;
			}
		}
	}
	TEST_CHECK_EQ(raw_syscall(SYS_COUNT, 0, 0, 0, 0, 0, 0, 0), -ERR_NOSYS);
	TEST_CHECK_EQ(raw_syscall(-1, 0, 0, 0, 0, 0, 0, 0), -ERR_NOSYS);
	TEST_CHECK_EQ(pg_debug_write(NULL, 16), -ERR_FAULT);
	TEST_CHECK_EQ(pg_process_spawn(NULL, 4096, 1, HANDLE_NONE, HANDLE_NONE, 0, 0), -ERR_FAULT);
	TEST_CHECK_EQ(pg_thread_create(0x10000, 0x3ffffe0008 + 4, 0, 1), -ERR_INVAL); /* misaligned sp */
	TEST_CHECK_EQ(pg_debug_write((const void *)KERNEL_TEXT, 16), -ERR_FAULT);
	TEST_CHECK_EQ(pg_debug_write((const void *)UNMAPPED_ADDR, 16), -ERR_FAULT);
	TEST_CHECK_EQ(pg_debug_write("x", 1UL << 40), -ERR_RANGE);
	TEST_CHECK_EQ(pg_process_spawn((const void *)KERNEL_ADDR, 4096, 1, HANDLE_NONE, HANDLE_NONE, 0, 0), -ERR_FAULT);
	TEST_CHECK_EQ(pg_frame_alloc(64), -ERR_RANGE);
	long f = pg_frame_alloc(0);
	TEST_CHECK(f >= 0);
	TEST_CHECK_EQ(pg_map(HANDLE_SELF, f, 0x20001001, RIGHT_READ), -ERR_ALIGN);
	TEST_CHECK_EQ(pg_map(HANDLE_SELF, f, KERNEL_ADDR, RIGHT_READ), -ERR_RANGE);
	TEST_CHECK_EQ(pg_map(HANDLE_SELF, f, 0x20001000, RIGHT_WRITE | RIGHT_EXEC), -ERR_PERM);
	TEST_CHECK_EQ(pg_map(HANDLE_SELF, f, 0x20001000, 0x100), -ERR_INVAL);
	TEST_CHECK_EQ(pg_map(HANDLE_SELF, f, 0x20001000, RIGHT_READ | RIGHT_WRITE), 0);
	TEST_CHECK_EQ(pg_map(HANDLE_SELF, f, 0x20001000, RIGHT_READ), -ERR_EXIST);
	*(volatile long *)0x20001000 = 99;
	TEST_CHECK_EQ(*(volatile long *)0x20001000, 99);
	TEST_CHECK_EQ(pg_unmap(HANDLE_SELF, 0x20001000, 4096), 1);
	TEST_CHECK_EQ(pg_handle_delete(f), 0);
}

/* ---- isolation ------------------------------------------------------------ */

/* Starts a child, gives it cmd(arg), and returns how it ended. */
static long child_doing(unsigned long cmd, unsigned long arg)
{
	struct child c;
	long rc = start_child(&c, PRIO_INIT, 0);
	if (rc < 0)
		return rc + 1000; /* distinguishable from any expected status */
	command(&c, cmd, arg);
	return finish_child(&c);
}

static void isolation(void)
{
	/* Memory only this process has: the child cannot see it. */
	volatile long *secret = malloc(64 * 1024);
	TEST_CHECK(secret);
	secret[8000] = 0x5ec7e7;
	TEST_CHECK_EQ(child_doing(CMD_READ, (unsigned long)&secret[8000]), -ERR_FAULT);
	free((void *)secret);
	TEST_CHECK_EQ(child_doing(CMD_READ, KERNEL_ADDR), -ERR_FAULT);
	TEST_CHECK_EQ(child_doing(CMD_READ, KERNEL_TEXT), -ERR_FAULT);
	TEST_CHECK_EQ(child_doing(CMD_WRITE, USER_IMAGE_BASE), -ERR_FAULT); /* its own text: RX */
	TEST_CHECK_EQ(child_doing(CMD_WRITE, USER_INFO_PAGE), -ERR_FAULT); /* read-only */
	TEST_CHECK_EQ(child_doing(CMD_EXEC, KERNEL_TEXT), -ERR_FAULT);
	TEST_CHECK_EQ(child_doing(CMD_EXEC_STACK, 0), -ERR_FAULT);
	TEST_CHECK_EQ(child_doing(CMD_EXEC_HEAP, 0), -ERR_FAULT);
	TEST_CHECK_EQ(child_doing(CMD_STACK_OVERFLOW, 0), -ERR_FAULT);
	/* And its neighbours (we) are unaffected. */
	TEST_CHECK_EQ(child_doing(CMD_EXIT, 5), 5);
}

/* ---- teardown ------------------------------------------------------------- */

static void create_destroy_many(void)
{
	for (int i = 0; i < 20; i++) {
		struct child c;
		TEST_CHECK_EQ(start_child(&c, PRIO_INIT, 0), 0);
		if (i % 2) {
			command(&c, CMD_EXIT, (unsigned long)i);
			TEST_CHECK_EQ(finish_child(&c), i);
		} else {
			command(&c, CMD_ECHO, 0);
			TEST_CHECK_EQ(kill_child(&c), -ERR_DEAD);
		}
	}
}

static void teardown_exact(void)
{
	create_destroy_many(); /* warm up: kernel slabs the first round keeps */
	if (test_failing())
		return;
	long before = test_free_frames();
	long quota_before = pg_sysinfo(SYSINFO_QUOTA_LEFT);
	create_destroy_many();
	TEST_CHECK_EQ(test_free_frames(), before);
	TEST_CHECK_EQ(pg_sysinfo(SYSINFO_QUOTA_LEFT), quota_before);
}

/* ---- scheduling ----------------------------------------------------------- */

static void priorities(void)
{
	long note = pg_notification_create();
	TEST_CHECK(note >= 0);
	/* A higher-priority child runs as soon as it is ready: by the time we
	 * run again it has signalled. */
	struct child hi;
	TEST_CHECK_EQ(start_child(&hi, PRIO_INIT + 5, 0), 0);
	long weak = pg_handle_mint(note, RIGHT_WRITE, 0);
	pg_reply(MSG_INFO(CMD_SIGNAL_EXIT, 1, 1), (unsigned long)0, 0, 0, 0, weak);
	TEST_CHECK_EQ(pg_poll(note), 1);
	TEST_CHECK_EQ(finish_child(&hi), 0);
	pg_handle_delete(weak);
	pg_handle_delete(note);

	/* A spinning lower-priority child does not starve us. */
	struct child lo;
	TEST_CHECK_EQ(start_child(&lo, PRIO_INIT - 5, 0), 0);
	command(&lo, CMD_SPIN, 0);
	long t0 = pg_sysinfo(SYSINFO_TICKS);
	for (int i = 0; i < 100; i++)
		pg_yield(); /* yield finds nothing of our priority: we keep running */
	TEST_CHECK(pg_sysinfo(SYSINFO_TICKS) - t0 < 50);
	TEST_CHECK_EQ(kill_child(&lo), -ERR_DEAD);
}

static void preemption(void)
{
	/* A spinner at our priority: only the timer can give us the hart back. */
	struct child spin;
	TEST_CHECK_EQ(start_child(&spin, PRIO_INIT, 0), 0);
	command(&spin, CMD_SPIN, 0);
	long t0 = pg_sysinfo(SYSINFO_TICKS);
	pg_yield(); /* runs the spinner; we come back only if it is preempted */
	long t1 = pg_sysinfo(SYSINFO_TICKS);
	TEST_CHECK(t1 > t0); /* time passed while the spinner had the hart */
	TEST_CHECK_EQ(kill_child(&spin), -ERR_DEAD);
}

/* utest_handles.c: the growing handle table (U-HANDLE-*). Declared here
 * rather than in init.h, which this change does not touch. */
void utest_handles_run(void);
/* utest_spawn.c: process_spawn's pager, quota and flags (U-SPAWN-*). */
void utest_spawn_run(void);

int utest_run(void)
{
	test_run("U-IPC-001", "call/reply between address spaces round-trips values exactly", ipc_roundtrip);
	test_run("U-IPC-002", "badges identify senders and cannot be re-minted", ipc_badges);
	test_run("U-IPC-005", "a call left unanswered by a new recv fails with ERR_NOREPLY",
		 ipc_unanswered_call);
	test_run("U-IPC-003", "handle transfer works; rights cannot grow; GRANT is required",
		 ipc_handle_transfer);
	test_run("U-IPC-004", "deleted endpoints fail callers and wake blocked threads",
		 ipc_deleted_endpoint);
	test_run("U-SYS-001", "every syscall with null, kernel, unmapped, odd, huge args errors",
		 bad_arguments);
	test_run("U-ISO-001", "reading others', kernel memory, executing stack/heap kills cleanly",
		 isolation);
	test_run("U-MEM-001", "20 processes created and destroyed: frames and quota return exactly",
		 teardown_exact);
	test_run("U-MEM-002", "a process allocating without end gets ERR_NOMEM at its quota; all returns",
		 quota_exhaustion);
	test_run("U-MEM-003", "map/unmap act on another space through its process handle (WRITE)",
		 map_into_another_space);
	test_run("U-MEM-004", "a page mapped into another space starts untouched; use sets A, then D",
		 map_into_another_space_untouched);
	test_run("U-MEM-005", "map_run maps a run of frames, all or none; bad handle, taken page, bad args change nothing, quota included",
		 map_run_all_or_none);
	test_run("U-MEM-006", "changes to a space not running flush nothing until it runs, then its ASID once",
		 lazy_tlb_flush);
	test_run("U-ELF-001", "junk, truncated and foreign ELF images are refused; nothing leaks",
		 elf_refusal);
	utest_memwatch_run();
	utest_exitwatch_run();
	utest_handles_run();
	utest_spawn_run();
	test_run_noleak("U-PAGER-001", "a 1 GiB region touched at 16 pages uses only those and their tables",
			pager_sparse);
	test_run_noleak("U-PAGER-002", "read, write, exec faults reach the pager: address, access, pc, badge, pid",
			pager_fault_fields);
	test_run_noleak("U-PAGER-003", "a write to a read-only region kills the writer; the pager never sees it",
			pager_readonly_kill);
	test_run_noleak("U-PAGER-004", "two spaces sharing a region see each other's writes; unmap spares the other",
			pager_shared);
	test_run_noleak("U-PAGER-005", "the A/D query reports exactly the pages read/written since the last query",
			pager_accessed_dirty);
	test_run_noleak("U-PAGER-006", "a pager killed mid-fault: the faulting threads die with a reason",
			pager_dies);
	test_run_noleak("U-PAGER-007", "a lying pager's answers get the right errors; then the fault completes",
			pager_liar);
	test_run_noleak("U-PAGER-008", "a region timeout kills a thread a stalled pager leaves waiting",
			pager_timeout);
	test_run_noleak("U-PAGER-009", "libpager reports a refused answer and fails the fault, never leaves it",
			pager_refused_answer);
	test_run_noleak("U-PAGER-010", "region_create/destroy check alignment, range, rights, handles, overlap",
			pager_region_args);
	test_run_noleak("U-PAGER-011", "one answer maps a run of pages; protect + RETRY catch the first write",
			pager_runs_protect_retry);
	test_run("U-PAGER-012", "a process killed while its timed fault waits leaves nothing behind",
		 pager_kill_timed);
	test_run_noleak("U-PAGER-013", "a page faulted in by a read and only read is accessed, not dirty",
			pager_fresh_page_clean);
	test_run_noleak("U-PAGER-014", "a fault answer's map marks the faulting page before the access runs again",
			pager_answer_marks);
	test_run("U-SCHED-001", "higher priority runs first; a low-priority spinner cannot starve us",
		 priorities);
	test_run("U-SCHED-002", "timer preemption shares the hart between equal priorities", preemption);
	if (strstr(runtime_info()->bootargs, "uart-input")) /* QEMU feeds the serial port */
		test_run("U-IRQ-001", UART_IRQ_TEST_DESC, uart_irq_test);
	return test_summary();
}
