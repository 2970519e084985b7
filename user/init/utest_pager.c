/*
 * User tests of page faults as IPC (issue 4): regions, the pager protocol
 * of <pagoda/pager.h>, libpager and the example pagers.
 *
 * The setup of every test: init starts a pager ("zeropager" or
 * "patternpager") with an endpoint of its own as bootstrap; the pager
 * announces its endpoint there (pager_announce). Init starts a "child",
 * creates regions in it with pg_region_create (init holds the child's
 * process handle) through badged copies of the pager's endpoint, then
 * drives the child with CMD_MEM requests (<pagoda/child.h>) and the
 * pattern pager with its controls (<pagoda/patternpager.h>).
 */
#include <pagoda/child.h>
#include <pagoda/libpager.h>
#include <pagoda/patternpager.h>
#include <pagoda/test.h>
#include <string.h>

#include "init.h"

#define PRIO_CHILD 10
#define PRIO_PAGER 12 /* a server runs above its clients */
#define PAGE 4096UL

/* Where the tests put regions: clear of images, heap and stack. */
#define SPARSE_BASE 0x0800000000UL /* 1 GiB */
#define REGION_A 0x0900000000UL
#define REGION_B 0x0a00000000UL

/* ---- pagers and children ------------------------------------------------ */

struct pager {
	long proc; /* process handle */
	long ep;   /* its endpoint (RIGHT_WRITE | RIGHT_GRANT) */
};

static long start_pager(struct pager *p, const char *name)
{
	p->proc = p->ep = HANDLE_NONE;
	long boot = pg_endpoint_create();
	if (boot < 0)
		return boot;
	p->proc = spawn(name, PRIO_PAGER, boot);
	struct pg_msg hello = { .status = p->proc };
	if (p->proc >= 0)
		hello = pg_recv(boot);
	if (hello.status == 0 && MSG_LABEL(hello.info) == PAGER_HELLO && msg_handle(hello) >= 0) {
		p->ep = hello.handle;
		pg_reply(MSG_INFO(0, 0, 0), 0, 0, 0, 0, HANDLE_NONE);
	}
	pg_handle_delete(boot);
	return p->ep >= 0 ? 0 : hello.status < 0 ? hello.status : -ERR_INVAL;
}

/* Kills the pager (if still alive) and returns how it ended. */
static long stop_pager(struct pager *p)
{
	if (p->proc < 0)
		return p->proc;
	pg_object_destroy(p->proc);
	long status = pg_process_wait(p->proc);
	pg_handle_delete(p->proc);
	pg_handle_delete(p->ep);
	p->proc = p->ep = HANDLE_NONE;
	return status;
}

/* A control call to the pattern pager; returns its reply. */
static struct pg_msg control(struct pager *p, unsigned long label, unsigned long w0,
			     unsigned long w1, unsigned long w2, unsigned long w3, long handle)
{
	return pg_call(p->ep, MSG_INFO(label, 4, handle != HANDLE_NONE), w0, w1, w2, w3, handle);
}

/* Did control() succeed? (The pager answers errors with PAGER_FAIL.) */
static int control_ok(struct pg_msg m, unsigned long label)
{
	return m.status == 0 && MSG_LABEL(m.info) == label;
}

/* Fault i of the pattern pager (~0UL: the last). */
struct seen {
	unsigned long addr, access, pc, badge;
	long pid, tid;
};

static struct seen fault_seen(struct pager *p, unsigned long i)
{
	struct seen s = { 0 };
	struct pg_msg m = control(p, PP_FAULT, i, 0, 0, 0, HANDLE_NONE);
	if (control_ok(m, PP_FAULT))
		s = (struct seen){ m.w[0], m.w[1], m.w[2], m.w[3], 0, 0 };
	m = control(p, PP_WHO, i, 0, 0, 0, HANDLE_NONE);
	if (control_ok(m, PP_WHO)) {
		s.pid = (long)m.w[0];
		s.tid = (long)m.w[1];
	}
	return s;
}

static long faults_seen(struct pager *p)
{
	struct pg_msg m = control(p, PP_FAULTS, 0, 0, 0, 0, HANDLE_NONE);
	return control_ok(m, PP_FAULTS) ? (long)m.w[0] : -1;
}

/* A child in CMD_MEM, served by regions init gives it. */
struct kid {
	long proc, ep, pid;
};

/* Starts a child and leaves it waiting for its command (in its HELLO). */
static long start_kid(struct kid *k)
{
	k->proc = HANDLE_NONE;
	k->ep = pg_endpoint_create();
	if (k->ep < 0)
		return k->ep;
	k->proc = spawn("child", PRIO_CHILD, k->ep);
	if (k->proc < 0)
		return k->proc;
	struct pg_msg hello = pg_recv(k->ep);
	if (hello.status < 0 || MSG_LABEL(hello.info) != CHILD_HELLO)
		return -ERR_INVAL;
	k->pid = (long)hello.w[0];
	return 0;
}

/* Gives the child waiting in HELLO its command. */
static void kid_command(struct kid *k, unsigned long cmd, unsigned long arg)
{
	(void)k;
	pg_reply(MSG_INFO(cmd, 1, 0), arg, 0, 0, 0, HANDLE_NONE);
}

/* A CMD_MEM request; returns the reply. */
static struct pg_msg kid_op(struct kid *k, unsigned long op, unsigned long w0, unsigned long w1,
			    unsigned long w2, unsigned long w3)
{
	return pg_call(k->ep, MSG_INFO(op, 4, 0), w0, w1, w2, w3, HANDLE_NONE);
}

/* A CMD_MEM request that does not wait (the child may fault on it). */
static long kid_op_async(struct kid *k, unsigned long op, unsigned long w0)
{
	return pg_send(k->ep, MSG_INFO(op, 1, 0), w0, 0, 0, 0, HANDLE_NONE);
}

/* What end_kid returns for a child that did not end by itself in time. */
#define KID_HUNG (-1000L)
#define KID_PATIENCE 100 /* ticks: 1 s */

/* Has the child exited? (No region has base 0: region_destroy says
 * -ERR_NOENT while the child lives, -ERR_DEAD once it has exited.) */
static int kid_exited(struct kid *k)
{
	return pg_region_destroy(k->proc, 0) == -ERR_DEAD;
}

/*
 * Ends the child and releases it: kill it first if kill, else wait for it
 * to end by itself, for at most KID_PATIENCE ticks (a test that expects the
 * kernel to kill a thread must fail, not hang, if it does not): then it is
 * killed and KID_HUNG returned. Otherwise returns its exit status.
 */
static long end_kid(struct kid *k, int kill)
{
	if (k->proc < 0) {
		if (k->ep >= 0)
			pg_handle_delete(k->ep);
		k->ep = HANDLE_NONE;
		return k->proc;
	}
	long hung = 0;
	if (kill) {
		pg_object_destroy(k->proc);
	} else {
		long t0 = pg_sysinfo(SYSINFO_TICKS);
		while (!kid_exited(k) && pg_sysinfo(SYSINFO_TICKS) - t0 < KID_PATIENCE)
			pg_yield();
		if (!kid_exited(k)) {
			pg_object_destroy(k->proc);
			hung = KID_HUNG;
		}
	}
	long status = pg_process_wait(k->proc);
	pg_handle_delete(k->proc);
	pg_handle_delete(k->ep);
	k->proc = k->ep = HANDLE_NONE;
	return hung ? hung : status;
}

/* A region in the child's space served by p through a handle with badge. */
static long give_region(struct kid *k, struct pager *p, unsigned long base, unsigned long size,
			unsigned long rights, unsigned long badge, unsigned long timeout)
{
	long h = pg_handle_mint(p->ep, RIGHT_WRITE, badge);
	if (h < 0)
		return h;
	long rc = pg_region_create(k->proc, base, size, rights, h, timeout);
	pg_handle_delete(h); /* the region keeps the endpoint and the badge */
	return rc;
}

/* Everything a test may have started, for one cleanup path. */
struct scene {
	struct pager pager;
	struct kid kids[2];
	long handles[4];
};

static void scene_init(struct scene *s)
{
	s->pager.proc = s->pager.ep = HANDLE_NONE;
	for (int i = 0; i < 2; i++)
		s->kids[i].proc = s->kids[i].ep = HANDLE_NONE;
	for (int i = 0; i < 4; i++)
		s->handles[i] = HANDLE_NONE;
}

static void scene_end(struct scene *s)
{
	for (int i = 0; i < 2; i++)
		end_kid(&s->kids[i], 1);
	stop_pager(&s->pager);
	for (int i = 0; i < 4; i++)
		if (s->handles[i] != HANDLE_NONE)
			pg_handle_delete(s->handles[i]);
}

/* Every test body runs in a scene and leaves nothing behind. */
#define SCENE_TEST(name)                                 \
	static void name##_in(struct scene *s);          \
	void name(void)                                  \
	{                                                \
		struct scene s;                          \
		scene_init(&s);                          \
		name##_in(&s);                           \
		scene_end(&s);                           \
	}                                                \
	static void name##_in(struct scene *s)

/* ---- U-PAGER-001: sparse use of a region larger than RAM ----------------- */

#define SPARSE_SIZE (1UL << 30)
#define SPARSE_PAGES 16
#define SPARSE_STRIDE (SPARSE_SIZE / SPARSE_PAGES) /* 64 MiB apart */

SCENE_TEST(pager_sparse)
{
	struct kid *k = &s->kids[0];
	TEST_CHECK_EQ(start_pager(&s->pager, "zeropager"), 0);
	TEST_CHECK_EQ(start_kid(k), 0);
	/* More than the whole machine could back. */
	TEST_CHECK(SPARSE_SIZE / PAGE > (unsigned long)pg_sysinfo(SYSINFO_TOTAL_FRAMES));
	TEST_CHECK_EQ(give_region(k, &s->pager, SPARSE_BASE, SPARSE_SIZE, RIGHT_READ | RIGHT_WRITE, 1, 0), 0);
	kid_command(k, CMD_MEM, 0);
	unsigned long first = SPARSE_BASE + 3 * PAGE;
	long before = test_free_frames();
	struct pg_msg r = kid_op(k, MEM_TOUCH, first, SPARSE_STRIDE, SPARSE_PAGES, MEM_TOUCH_WRITE);
	TEST_CHECK_EQ(r.status, 0);
	long used = before - test_free_frames();
	/* The pages, one level-0 table each (64 MiB apart), one level-1
	 * table, and a little kernel bookkeeping. */
	if (used < SPARSE_PAGES || used > 2 * SPARSE_PAGES + 1 + 6) {
		char why[96];
		snprintf(why, sizeof why, "touching %d pages used %ld frames", SPARSE_PAGES, used);
		test_failed(__FILE__, __LINE__, why);
		return;
	}
	/* Each page holds what was written; the rest of a page is zero. */
	r = kid_op(k, MEM_TOUCH, first, SPARSE_STRIDE, SPARSE_PAGES, MEM_TOUCH_CHECK);
	TEST_CHECK(r.status == 0 && r.w[0] == 0);
	r = kid_op(k, MEM_READ, first + SPARSE_STRIDE + 8, 0, 0, 0);
	TEST_CHECK(r.status == 0 && r.w[0] == 0);
	TEST_CHECK_EQ(before - test_free_frames(), used); /* no new frame for that */
}

/* ---- U-PAGER-002: the fault message's fields ----------------------------- */

SCENE_TEST(pager_fault_fields)
{
	struct pager *p = &s->pager;
	struct kid *k = &s->kids[0];
	const unsigned long rw = RIGHT_READ | RIGHT_WRITE, rx = RIGHT_READ | RIGHT_EXEC;
	const unsigned long data = REGION_A, code = REGION_B;
	TEST_CHECK_EQ(start_pager(p, "patternpager"), 0);
	TEST_CHECK_EQ(start_kid(k), 0);
	TEST_CHECK_EQ(give_region(k, p, data, 16 * PAGE, rw, 0x21, 0), 0);
	TEST_CHECK_EQ(give_region(k, p, code, 4 * PAGE, rx, 0x22, 0), 0);
	TEST_CHECK(control_ok(control(p, PP_REGION, 0x21, data, 16 * PAGE, rw, HANDLE_NONE), PP_REGION));
	TEST_CHECK(control_ok(control(p, PP_REGION, 0x22, code, 4 * PAGE, rx, HANDLE_NONE), PP_REGION));
	kid_command(k, CMD_MEM, 0);

	/* A read: the pattern comes back, the pager saw a read at that address
	 * from the load in the child's mem_load, through badge 0x21. */
	struct pg_msg r = kid_op(k, MEM_READ, data + 0x1238, 0, 0, 0);
	TEST_CHECK_EQ(r.status, 0);
	TEST_CHECK(r.w[0] == PATTERN_WORD(data + 0x1238));
	unsigned long load_fn = r.w[1];
	struct seen f = fault_seen(p, ~0UL);
	TEST_CHECK(f.addr == data + 0x1238);
	TEST_CHECK_EQ(f.access, FAULT_READ);
	TEST_CHECK(f.pc >= load_fn && f.pc < load_fn + 32);
	TEST_CHECK_EQ(f.badge, 0x21);
	TEST_CHECK_EQ(f.pid, k->pid);
	TEST_CHECK(f.tid > 0);
	TEST_CHECK_EQ(faults_seen(p), 1);

	/* A write, on another page. */
	r = kid_op(k, MEM_WRITE, data + 0x2010, 0x5a5a5a5a, 0, 0);
	TEST_CHECK_EQ(r.status, 0);
	unsigned long store_fn = r.w[1];
	f = fault_seen(p, ~0UL);
	TEST_CHECK(f.addr == data + 0x2010);
	TEST_CHECK_EQ(f.access, FAULT_WRITE);
	TEST_CHECK(f.pc >= store_fn && f.pc < store_fn + 32);
	TEST_CHECK_EQ(f.badge, 0x21);
	TEST_CHECK_EQ(f.pid, k->pid);
	/* The page is the pager's pattern plus the write; no more faults. */
	r = kid_op(k, MEM_READ, data + 0x2018, 0, 0, 0);
	TEST_CHECK(r.status == 0 && r.w[0] == PATTERN_WORD(data + 0x2018));
	r = kid_op(k, MEM_READ, data + 0x2010, 0, 0, 0);
	TEST_CHECK(r.status == 0 && r.w[0] == 0x5a5a5a5a);
	TEST_CHECK_EQ(faults_seen(p), 2);

	/* An instruction fetch: the child calls into the code region, where
	 * the pager puts a page of `ret`; pc is the faulting address. */
	r = kid_op(k, MEM_CALL, code + 0x40, 0, 0, 0);
	TEST_CHECK_EQ(r.status, 0);
	f = fault_seen(p, ~0UL);
	TEST_CHECK(f.addr == code + 0x40);
	TEST_CHECK_EQ(f.access, FAULT_EXEC);
	TEST_CHECK(f.pc == code + 0x40);
	TEST_CHECK_EQ(f.badge, 0x22);
	TEST_CHECK_EQ(f.pid, k->pid);
	r = kid_op(k, MEM_READ, code + 0x40, 0, 0, 0); /* R+X: readable too */
	TEST_CHECK(r.status == 0 && r.w[0] == (RET_INSN | RET_INSN << 32));
	TEST_CHECK_EQ(faults_seen(p), 3);
}

/* ---- U-PAGER-003: a write to a read-only region --------------------------- */

SCENE_TEST(pager_readonly_kill)
{
	struct pager *p = &s->pager;
	struct kid *a = &s->kids[0], *b = &s->kids[1];
	TEST_CHECK_EQ(start_pager(p, "patternpager"), 0);
	TEST_CHECK(control_ok(control(p, PP_REGION, 0x31, REGION_A, 4 * PAGE, RIGHT_READ, HANDLE_NONE),
			      PP_REGION));
	/* A write to a page never mapped: killed before any pager hears of it. */
	TEST_CHECK_EQ(start_kid(a), 0);
	TEST_CHECK_EQ(give_region(a, p, REGION_A, 4 * PAGE, RIGHT_READ, 0x31, 0), 0);
	kid_command(a, CMD_WRITE, REGION_A + 0x1000);
	TEST_CHECK_EQ(end_kid(a, 0), -ERR_FAULT);
	TEST_CHECK_EQ(faults_seen(p), 0);
	/* A read maps the page read-only; a write to it then is killed too. */
	TEST_CHECK_EQ(start_kid(b), 0);
	TEST_CHECK_EQ(give_region(b, p, REGION_A, 4 * PAGE, RIGHT_READ, 0x31, 0), 0);
	kid_command(b, CMD_MEM, 0);
	struct pg_msg r = kid_op(b, MEM_READ, REGION_A + 8, 0, 0, 0);
	TEST_CHECK(r.status == 0 && r.w[0] == PATTERN_WORD(REGION_A + 8));
	TEST_CHECK_EQ(faults_seen(p), 1);
	r = kid_op(b, MEM_WRITE, REGION_A + 8, 1, 0, 0);
	TEST_CHECK(r.status < 0); /* the child died owing the reply */
	TEST_CHECK_EQ(end_kid(b, 0), -ERR_FAULT);
	TEST_CHECK_EQ(faults_seen(p), 1);
}

/* ---- U-PAGER-004: sharing -------------------------------------------------- */

SCENE_TEST(pager_shared)
{
	struct pager *p = &s->pager;
	struct kid *a = &s->kids[0], *b = &s->kids[1];
	const unsigned long rw = RIGHT_READ | RIGHT_WRITE, size = 8 * PAGE;
	TEST_CHECK_EQ(start_pager(p, "patternpager"), 0);
	/* The same pages at different addresses in the two spaces. */
	TEST_CHECK(control_ok(control(p, PP_REGION, 0x41, REGION_A, size, rw | PP_SHARED, HANDLE_NONE),
			      PP_REGION));
	TEST_CHECK(control_ok(control(p, PP_REGION, 0x42, REGION_B, size, rw | PP_SHARED, HANDLE_NONE),
			      PP_REGION));
	TEST_CHECK_EQ(start_kid(a), 0);
	TEST_CHECK_EQ(give_region(a, p, REGION_A, size, rw, 0x41, 0), 0);
	kid_command(a, CMD_MEM, 0);
	TEST_CHECK_EQ(start_kid(b), 0);
	TEST_CHECK_EQ(give_region(b, p, REGION_B, size, rw, 0x42, 0), 0);
	kid_command(b, CMD_MEM, 0);

	TEST_CHECK_EQ(kid_op(a, MEM_WRITE, REGION_A + 0x1008, 0xa11ce, 0, 0).status, 0);
	struct pg_msg r = kid_op(b, MEM_READ, REGION_B + 0x1008, 0, 0, 0);
	TEST_CHECK(r.status == 0 && r.w[0] == 0xa11ce);
	TEST_CHECK_EQ(kid_op(b, MEM_WRITE, REGION_B + 0x1010, 0xb0b, 0, 0).status, 0);
	r = kid_op(a, MEM_READ, REGION_A + 0x1010, 0, 0, 0);
	TEST_CHECK(r.status == 0 && r.w[0] == 0xb0b);
	TEST_CHECK_EQ(faults_seen(p), 2);

	/* a unmaps its page: b still has it, with both writes. */
	r = kid_op(a, MEM_UNMAP, REGION_A + 0x1000, PAGE, 0, 0);
	TEST_CHECK(r.status == 0 && r.w[0] == 1);
	r = kid_op(b, MEM_READ, REGION_B + 0x1008, 0, 0, 0);
	TEST_CHECK(r.status == 0 && r.w[0] == 0xa11ce);
	TEST_CHECK_EQ(kid_op(b, MEM_WRITE, REGION_B + 0x1018, 7, 0, 0).status, 0);
	TEST_CHECK_EQ(faults_seen(p), 2);
	/* a faults on it again and gets the same page back. */
	r = kid_op(a, MEM_READ, REGION_A + 0x1018, 0, 0, 0);
	TEST_CHECK(r.status == 0 && r.w[0] == 7);
	TEST_CHECK_EQ(faults_seen(p), 3);
}

/* ---- U-PAGER-005: accessed/dirty ----------------------------------------- */

SCENE_TEST(pager_accessed_dirty)
{
	struct kid *k = &s->kids[0];
	enum { PAGES = 10, MAPPED = 8 };
	unsigned char ad[PAGES];
	const unsigned char A = PAGE_ACCESSED, AD = PAGE_ACCESSED | PAGE_DIRTY;
	TEST_CHECK_EQ(start_pager(&s->pager, "zeropager"), 0);
	TEST_CHECK_EQ(start_kid(k), 0);
	TEST_CHECK_EQ(give_region(k, &s->pager, REGION_A, PAGES * PAGE, RIGHT_READ | RIGHT_WRITE, 0x51, 0), 0);
	kid_command(k, CMD_MEM, 0);
	/* Map the first 8 pages (the last 2 stay unmapped), then start clean. */
	TEST_CHECK_EQ(kid_op(k, MEM_TOUCH, REGION_A, PAGE, MAPPED, MEM_TOUCH_WRITE).status, 0);
	TEST_CHECK(pg_ad_query(k->proc, REGION_A, PAGES, ad) >= 0);
	/* Read pages 1 and 4, write 2 and 5, read then write 6. */
	TEST_CHECK_EQ(kid_op(k, MEM_READ, REGION_A + 1 * PAGE, 0, 0, 0).status, 0);
	TEST_CHECK_EQ(kid_op(k, MEM_READ, REGION_A + 4 * PAGE + 16, 0, 0, 0).status, 0);
	TEST_CHECK_EQ(kid_op(k, MEM_WRITE, REGION_A + 2 * PAGE, 1, 0, 0).status, 0);
	TEST_CHECK_EQ(kid_op(k, MEM_WRITE, REGION_A + 5 * PAGE + 8, 1, 0, 0).status, 0);
	TEST_CHECK_EQ(kid_op(k, MEM_READ, REGION_A + 6 * PAGE, 0, 0, 0).status, 0);
	TEST_CHECK_EQ(kid_op(k, MEM_WRITE, REGION_A + 6 * PAGE, 1, 0, 0).status, 0);
	memset(ad, 0xee, sizeof ad);
	TEST_CHECK(pg_ad_query(k->proc, REGION_A, PAGES, ad) >= 0);
	static const unsigned char want[PAGES] = { 0, A, AD, 0, A, AD, AD, 0, 0, 0 };
	for (int i = 0; i < PAGES; i++)
		TEST_CHECK_EQ(ad[i], want[i]);
	/* Asked again with nothing touched in between: all clear. */
	memset(ad, 0xee, sizeof ad);
	TEST_CHECK(pg_ad_query(k->proc, REGION_A, PAGES, ad) >= 0);
	for (int i = 0; i < PAGES; i++)
		TEST_CHECK_EQ(ad[i], 0);
	/* A dirty page read again is accessed, not dirty. */
	TEST_CHECK_EQ(kid_op(k, MEM_READ, REGION_A + 2 * PAGE, 0, 0, 0).status, 0);
	TEST_CHECK(pg_ad_query(k->proc, REGION_A, PAGES, ad) >= 0);
	TEST_CHECK_EQ(ad[2], A);
}

/* ---- U-PAGER-006: the pager dies mid-fault -------------------------------- */

/* Puts the pattern pager in stall mode: returns the notification a stalled
 * fault signals in s->handles[0], the release handle in s->handles[1]. */
static long stall_pager(struct scene *s)
{
	long note = pg_notification_create();
	if (note < 0)
		return note;
	s->handles[0] = note;
	long give = pg_handle_mint(note, RIGHT_WRITE, 0);
	if (give < 0)
		return give;
	struct pg_msg r = control(&s->pager, PP_STALL, 1, 0, 0, 0, give);
	pg_handle_delete(give);
	if (!control_ok(r, PP_STALL) || msg_handle(r) < 0)
		return r.status < 0 ? r.status : -ERR_INVAL;
	s->handles[1] = r.handle;
	return 0;
}

static void pager_dies_scene(struct scene *s)
{
	struct pager *p = &s->pager;
	struct kid *a = &s->kids[0], *b = &s->kids[1];
	const unsigned long rw = RIGHT_READ | RIGHT_WRITE;
	TEST_CHECK_EQ(start_pager(p, "patternpager"), 0);
	TEST_CHECK_EQ(start_kid(a), 0);
	TEST_CHECK_EQ(give_region(a, p, REGION_A, 4 * PAGE, rw, 0x61, 0), 0);
	kid_command(a, CMD_MEM, 0);
	TEST_CHECK_EQ(start_kid(b), 0);
	TEST_CHECK_EQ(give_region(b, p, REGION_A, 4 * PAGE, rw, 0x62, 0), 0);
	kid_command(b, CMD_MEM, 0);
	/* Each has a page from the pager already. */
	TEST_CHECK_EQ(kid_op(a, MEM_WRITE, REGION_A, 3, 0, 0).status, 0);
	TEST_CHECK_EQ(kid_op(b, MEM_WRITE, REGION_A, 4, 0, 0).status, 0);
	TEST_CHECK_EQ(stall_pager(s), 0);
	/* a faults; the pager takes the fault and stalls. */
	TEST_CHECK_EQ(kid_op_async(a, MEM_READ, REGION_A + PAGE), 0);
	TEST_CHECK_EQ(pg_wait(s->handles[0]), 1);
	/* A region with a fault waiting in it cannot go. */
	TEST_CHECK_EQ(pg_region_destroy(a->proc, REGION_A), -ERR_BUSY);
	/* The pager dies: a's fault fails ("the pager went away"). */
	TEST_CHECK_EQ(stop_pager(p), -ERR_DEAD);
	TEST_CHECK_EQ(end_kid(a, 0), -ERR_FAULT);
	/* b keeps the page it has (the mapping holds the frame)... */
	struct pg_msg r = kid_op(b, MEM_READ, REGION_A, 0, 0, 0);
	TEST_CHECK(r.status == 0 && r.w[0] == 4);
	/* ...but a new fault finds its region's pager gone. */
	TEST_CHECK_EQ(kid_op_async(b, MEM_READ, REGION_A + PAGE), 0);
	TEST_CHECK_EQ(end_kid(b, 0), -ERR_FAULT);
}

void pager_dies(void)
{
	/* Twice: the first round warms the kernel's object caches, the
	 * second must give back every frame it took. */
	for (int round = 0; round < 2; round++) {
		long before = test_free_frames();
		struct scene s;
		scene_init(&s);
		pager_dies_scene(&s);
		scene_end(&s);
		if (test_failing())
			return;
		if (round == 1)
			TEST_CHECK_EQ(test_free_frames(), before);
	}
}

/* ---- U-PAGER-007: a lying pager -------------------------------------------- */

static const unsigned char lie_want[LIE_COUNT] = {
	[LIE_NO_HANDLE] = ERR_INVAL,     [LIE_BAD_HANDLE] = ERR_BADHANDLE,
	[LIE_NOT_A_FRAME] = ERR_INVAL,   [LIE_FOREIGN_FRAME] = ERR_PERM,
	[LIE_DEVICE_FRAME] = ERR_PERM,   [LIE_PAST_END] = ERR_RANGE,
	[LIE_BELOW_BASE] = ERR_RANGE,    [LIE_STRADDLE] = ERR_RANGE,
	[LIE_MISALIGNED] = ERR_ALIGN,    [LIE_EXCESS_RIGHTS] = ERR_PERM,
	[LIE_WRITE_EXEC] = ERR_PERM,     [LIE_NO_RIGHTS] = ERR_PERM,
	[LIE_ZERO_OUTSIDE] = ERR_RANGE,  [LIE_NARROW_HANDLE] = ERR_PERM,
	[LIE_ALREADY_MAPPED] = ERR_EXIST, [LIE_BAD_LABEL] = ERR_INVAL,
};

/* Checks the lies told about the pager's last fault. */
static void check_lies(struct pager *p, unsigned long faults_lied_to, int first)
{
	struct pg_msg r = control(p, PP_LIES, 0, 0, 0, 0, HANDLE_NONE);
	TEST_CHECK(control_ok(r, PP_LIES));
	TEST_CHECK_EQ(r.w[2], faults_lied_to);
	for (int k = 0; k < LIE_COUNT; k++) {
		unsigned got = (unsigned)(r.w[k / 8] >> (8 * (k % 8))) & 0xff;
		unsigned want = lie_want[k];
		if (k == LIE_ALREADY_MAPPED && first)
			want = PP_LIE_SKIPPED; /* nothing mapped yet */
		if (k == LIE_DEVICE_FRAME && runtime_info()->ndevices == 0)
			want = PP_LIE_SKIPPED;
		if (got != want) {
			char why[96];
			snprintf(why, sizeof why, "lie %d: the kernel answered -%u, not -%u", k, got, want);
			test_failed(__FILE__, __LINE__, why);
			return;
		}
	}
}

SCENE_TEST(pager_liar)
{
	struct pager *p = &s->pager;
	struct kid *k = &s->kids[0];
	const unsigned long rw = RIGHT_READ | RIGHT_WRITE, size = 4 * PAGE;
	TEST_CHECK_EQ(start_pager(p, "patternpager"), 0);
	TEST_CHECK(control_ok(control(p, PP_REGION, 0x71, REGION_A, size, rw, HANDLE_NONE), PP_REGION));
	/* Frames that are not the pager's: one of ours, and a device window. */
	long mine = pg_frame_alloc(0);
	TEST_CHECK(mine >= 0);
	s->handles[0] = mine;
	TEST_CHECK(control_ok(control(p, PP_GIVE, PP_SLOT_FOREIGN, 0, 0, 0, mine), PP_GIVE));
	if (runtime_info()->ndevices > 0)
		TEST_CHECK(control_ok(control(p, PP_GIVE, PP_SLOT_DEVICE, 0, 0, 0,
					      runtime_info()->devices[0].handle),
				      PP_GIVE));
	TEST_CHECK(control_ok(control(p, PP_LIAR, 1, 0, 0, 0, HANDLE_NONE), PP_LIAR));
	TEST_CHECK_EQ(start_kid(k), 0);
	TEST_CHECK_EQ(give_region(k, p, REGION_A, size, rw, 0x71, 0), 0);
	kid_command(k, CMD_MEM, 0);

	/* Every lie is refused and the fault waits; then the truth serves it. */
	TEST_CHECK_EQ(kid_op(k, MEM_WRITE, REGION_A + 0x10, 0x1234, 0, 0).status, 0);
	check_lies(p, 1, 1);
	if (test_failing())
		return;
	struct pg_msg r = kid_op(k, MEM_READ, REGION_A + 0x18, 0, 0, 0);
	TEST_CHECK(r.status == 0 && r.w[0] == PATTERN_WORD(REGION_A + 0x18));
	r = kid_op(k, MEM_READ, REGION_A + 0x10, 0, 0, 0);
	TEST_CHECK(r.status == 0 && r.w[0] == 0x1234);
	/* A second fault: now mapping over the first page is refused too. */
	TEST_CHECK_EQ(kid_op(k, MEM_WRITE, REGION_A + 3 * PAGE, 1, 0, 0).status, 0);
	check_lies(p, 2, 0);
	if (test_failing())
		return;
	TEST_CHECK_EQ(faults_seen(p), 2);
}

/* ---- U-PAGER-008: region timeout -------------------------------------------- */

SCENE_TEST(pager_timeout)
{
	struct pager *p = &s->pager;
	struct kid *k = &s->kids[0];
	const unsigned long rw = RIGHT_READ | RIGHT_WRITE, timeout = 20;
	TEST_CHECK_EQ(start_pager(p, "patternpager"), 0);
	TEST_CHECK_EQ(start_kid(k), 0);
	TEST_CHECK_EQ(give_region(k, p, REGION_A, 4 * PAGE, rw, 0x81, timeout), 0);
	kid_command(k, CMD_MEM, 0);
	TEST_CHECK_EQ(stall_pager(s), 0);
	long t0 = pg_sysinfo(SYSINFO_TICKS);
	TEST_CHECK_EQ(kid_op_async(k, MEM_READ, REGION_A), 0);
	TEST_CHECK_EQ(pg_wait(s->handles[0]), 1); /* the pager holds the fault */
	TEST_CHECK_EQ(end_kid(k, 0), -ERR_FAULT);  /* "did not answer in time" */
	long waited = pg_sysinfo(SYSINFO_TICKS) - t0;
	TEST_CHECK(waited >= (long)timeout);
	TEST_CHECK(waited < 5 * (long)timeout);
	/* Released, the pager answers too late: no fault is owed any more. */
	TEST_CHECK_EQ(pg_signal(s->handles[1], 1), 0);
	struct pg_msg r = control(p, PP_LATE, 0, 0, 0, 0, HANDLE_NONE);
	TEST_CHECK(control_ok(r, PP_LATE));
	TEST_CHECK_EQ((long)r.w[0], -ERR_NOENT);
	/* And it still serves: a new child's fault is answered. */
	TEST_CHECK(control_ok(control(p, PP_STALL, 0, 0, 0, 0, HANDLE_NONE), PP_STALL));
	TEST_CHECK_EQ(start_kid(k), 0);
	TEST_CHECK_EQ(give_region(k, p, REGION_A, 4 * PAGE, rw, 0x82, timeout), 0);
	kid_command(k, CMD_MEM, 0);
	r = kid_op(k, MEM_READ, REGION_A + 0x28, 0, 0, 0);
	TEST_CHECK(r.status == 0 && r.w[0] == PATTERN_WORD(REGION_A + 0x28));
}

/* ---- U-PAGER-009: libpager fails a refused answer ---------------------------- */

SCENE_TEST(pager_refused_answer)
{
	/* zeropager answers a read with a read-write page: in a read-only
	 * region the kernel refuses that, libpager says so and fails the
	 * fault, and the child dies ("the pager failed the fault") rather
	 * than waiting. The pager goes on. */
	struct kid *k = &s->kids[0];
	TEST_CHECK_EQ(start_pager(&s->pager, "zeropager"), 0);
	TEST_CHECK_EQ(start_kid(k), 0);
	TEST_CHECK_EQ(give_region(k, &s->pager, REGION_A, 4 * PAGE, RIGHT_READ, 0x91, 0), 0);
	TEST_CHECK_EQ(give_region(k, &s->pager, REGION_B, 4 * PAGE, RIGHT_READ | RIGHT_WRITE, 0x92, 0), 0);
	kid_command(k, CMD_MEM, 0);
	TEST_CHECK_EQ(kid_op(k, MEM_WRITE, REGION_B, 5, 0, 0).status, 0);
	TEST_CHECK(kid_op(k, MEM_READ, REGION_A, 0, 0, 0).status < 0);
	TEST_CHECK_EQ(end_kid(k, 0), -ERR_FAULT);
	TEST_CHECK_EQ(start_kid(k), 0);
	TEST_CHECK_EQ(give_region(k, &s->pager, REGION_B, 4 * PAGE, RIGHT_READ | RIGHT_WRITE, 0x93, 0), 0);
	kid_command(k, CMD_MEM, 0);
	struct pg_msg r = kid_op(k, MEM_READ, REGION_B + 8, 0, 0, 0);
	TEST_CHECK(r.status == 0 && r.w[0] == 0);
}

/* ---- U-PAGER-010: region_create / region_destroy arguments ------------------ */

SCENE_TEST(pager_region_args)
{
	struct pager *p = &s->pager;
	struct kid *k = &s->kids[0];
	const unsigned long rw = RIGHT_READ | RIGHT_WRITE;
	TEST_CHECK_EQ(start_pager(p, "zeropager"), 0);
	TEST_CHECK_EQ(start_kid(k), 0);
	long h = pg_handle_mint(p->ep, RIGHT_WRITE, 0xa1);
	TEST_CHECK(h >= 0);
	s->handles[0] = h;
	TEST_CHECK_EQ(pg_region_create(k->proc, REGION_A + 8, PAGE, rw, h, 0), -ERR_ALIGN);
	TEST_CHECK_EQ(pg_region_create(k->proc, REGION_A, PAGE + 8, rw, h, 0), -ERR_ALIGN);
	TEST_CHECK_EQ(pg_region_create(k->proc, REGION_A, 0, rw, h, 0), -ERR_RANGE);
	TEST_CHECK_EQ(pg_region_create(k->proc, USER_STACK_TOP, 1UL << 30, rw, h, 0), -ERR_RANGE);
	TEST_CHECK_EQ(pg_region_create(k->proc, REGION_A, PAGE, 0, h, 0), -ERR_INVAL);
	TEST_CHECK_EQ(pg_region_create(k->proc, REGION_A, PAGE, RIGHT_GRANT, h, 0), -ERR_INVAL);
	TEST_CHECK_EQ(pg_region_create(k->proc, REGION_A, PAGE, rw, k->proc, 0), -ERR_INVAL);
	long recv_only = pg_handle_mint(k->ep, RIGHT_READ, 0);
	TEST_CHECK(recv_only >= 0);
	s->handles[1] = recv_only;
	TEST_CHECK_EQ(pg_region_create(k->proc, REGION_A, PAGE, rw, recv_only, 0), -ERR_PERM);
	long weak_proc = pg_handle_mint(k->proc, RIGHT_READ, 0);
	TEST_CHECK(weak_proc >= 0);
	s->handles[2] = weak_proc;
	TEST_CHECK_EQ(pg_region_create(weak_proc, REGION_A, PAGE, rw, h, 0), -ERR_PERM);
	TEST_CHECK_EQ(pg_region_create(k->proc, REGION_A, 4 * PAGE, rw, h, 0), 0);
	TEST_CHECK_EQ(pg_region_create(k->proc, REGION_A + 3 * PAGE, PAGE, rw, h, 0), -ERR_EXIST);
	TEST_CHECK_EQ(pg_region_create(k->proc, REGION_A - PAGE, 2 * PAGE, rw, h, 0), -ERR_EXIST);
	TEST_CHECK_EQ(pg_region_create(k->proc, REGION_A + 4 * PAGE, PAGE, rw, h, 0), 0); /* adjacent */
	TEST_CHECK_EQ(pg_region_destroy(k->proc, REGION_A + PAGE), -ERR_NOENT);
	TEST_CHECK_EQ(pg_region_destroy(weak_proc, REGION_A), -ERR_PERM);
	TEST_CHECK_EQ(pg_region_destroy(k->proc, REGION_A), 0);
	TEST_CHECK_EQ(pg_region_destroy(k->proc, REGION_A), -ERR_NOENT);
	/* Gone: a fault there is outside every region now. */
	kid_command(k, CMD_READ, REGION_A);
	TEST_CHECK_EQ(end_kid(k, 0), -ERR_FAULT);
	/* A dead child's space takes no regions. */
	TEST_CHECK_EQ(start_kid(k), 0);
	kid_command(k, CMD_EXIT, 0);
	TEST_CHECK_EQ(pg_process_wait(k->proc), 0);
	TEST_CHECK_EQ(pg_region_create(k->proc, REGION_A, PAGE, rw, h, 0), -ERR_DEAD);
}

/* ---- U-PAGER-011: runs of pages, protect and retry ------------------------ */

SCENE_TEST(pager_runs_protect_retry)
{
	struct pager *p = &s->pager;
	struct kid *k = &s->kids[0];
	const unsigned long rw = RIGHT_READ | RIGHT_WRITE;
	TEST_CHECK_EQ(start_pager(p, "patternpager"), 0);
	TEST_CHECK_EQ(start_kid(k), 0);
	TEST_CHECK_EQ(give_region(k, p, REGION_A, 16 * PAGE, rw, 0xb1, 0), 0);
	TEST_CHECK_EQ(give_region(k, p, REGION_B, 4 * PAGE, rw, 0xb2, 0), 0);
	TEST_CHECK(control_ok(control(p, PP_REGION, 0xb1, REGION_A, 16 * PAGE, rw | PP_RUNS, HANDLE_NONE),
			      PP_REGION));
	TEST_CHECK(control_ok(control(p, PP_REGION, 0xb2, REGION_B, 4 * PAGE, rw | PP_TRACK, HANDLE_NONE),
			      PP_REGION));
	/* The pager may change rights in the child's space: it gets a handle. */
	TEST_CHECK(control_ok(control(p, PP_GIVE, PP_SLOT_PROCESS, 0, 0, 0, k->proc), PP_GIVE));
	kid_command(k, CMD_MEM, 0);

	/* One answer maps two pages: the second costs no fault. */
	struct pg_msg r = kid_op(k, MEM_READ, REGION_A + 3 * PAGE + 16, 0, 0, 0);
	TEST_CHECK(r.status == 0 && r.w[0] == PATTERN_WORD(REGION_A + 3 * PAGE + 16));
	TEST_CHECK_EQ(faults_seen(p), 1);
	r = kid_op(k, MEM_READ, REGION_A + 2 * PAGE + 8, 0, 0, 0);
	TEST_CHECK(r.status == 0 && r.w[0] == PATTERN_WORD(REGION_A + 2 * PAGE + 8));
	TEST_CHECK_EQ(faults_seen(p), 1);
	r = kid_op(k, MEM_READ, REGION_A + 4 * PAGE, 0, 0, 0);
	TEST_CHECK(r.status == 0 && r.w[0] == PATTERN_WORD(REGION_A + 4 * PAGE));
	TEST_CHECK_EQ(faults_seen(p), 2);

	/* Dirty tracking: the pager write-protects a written page (after a
	 * "writeback"); reads still work, the next write faults, the pager
	 * protects it read-write again and answers RETRY: the store runs
	 * again, once. */
	TEST_CHECK_EQ(kid_op(k, MEM_WRITE, REGION_B + 8, 8, 0, 0).status, 0);
	TEST_CHECK_EQ(faults_seen(p), 3);
	r = control(p, PP_CLEAN, 0xb2, REGION_B, 1, 0, HANDLE_NONE);
	TEST_CHECK(control_ok(r, PP_CLEAN) && r.w[0] == 1);
	r = kid_op(k, MEM_READ, REGION_B + 8, 0, 0, 0);
	TEST_CHECK(r.status == 0 && r.w[0] == 8);
	TEST_CHECK_EQ(faults_seen(p), 3);
	TEST_CHECK_EQ(kid_op(k, MEM_WRITE, REGION_B + 8, 9, 0, 0).status, 0);
	TEST_CHECK_EQ(faults_seen(p), 4);
	struct seen f = fault_seen(p, ~0UL);
	TEST_CHECK(f.addr == REGION_B + 8);
	TEST_CHECK_EQ(f.access, FAULT_WRITE);
	r = kid_op(k, MEM_READ, REGION_B + 8, 0, 0, 0);
	TEST_CHECK(r.status == 0 && r.w[0] == 9);
	TEST_CHECK_EQ(kid_op(k, MEM_WRITE, REGION_B + 16, 10, 0, 0).status, 0);
	TEST_CHECK_EQ(faults_seen(p), 4);
	/* protect never gives more than the page was mapped with. */
	TEST_CHECK_EQ(pg_protect(k->proc, REGION_A + 2 * PAGE, 2 * PAGE, RIGHT_READ | RIGHT_EXEC), -ERR_PERM);
	TEST_CHECK_EQ(pg_protect(k->proc, REGION_A + 2 * PAGE, PAGE, RIGHT_READ), -ERR_INVAL); /* half a run */
}

/* ---- U-PAGER-012: a process killed while its timed fault waits ----------- */

/*
 * Killing a process whose thread waits on a timed fault must end that fault
 * (kernel/fault.c fault_forget, from thread_stop): before, the thread stayed
 * on the timeout list and the deadline touched a freed thread and region.
 */
SCENE_TEST(pager_kill_timed)
{
	struct pager *p = &s->pager;
	struct kid *k = &s->kids[0];
	const unsigned long rw = RIGHT_READ | RIGHT_WRITE, timeout = 10;
	TEST_CHECK_EQ(start_pager(p, "patternpager"), 0);
	TEST_CHECK_EQ(start_kid(k), 0);
	TEST_CHECK_EQ(give_region(k, p, REGION_A, 4 * PAGE, rw, 0xc1, timeout), 0);
	kid_command(k, CMD_MEM, 0);
	TEST_CHECK_EQ(stall_pager(s), 0);
	long t0 = pg_sysinfo(SYSINFO_TICKS);
	TEST_CHECK_EQ(kid_op_async(k, MEM_READ, REGION_A), 0);
	TEST_CHECK_EQ(pg_wait(s->handles[0]), 1);
	TEST_CHECK_EQ(end_kid(k, 1), -ERR_DEAD); /* killed before the deadline */
	while (pg_sysinfo(SYSINFO_TICKS) - t0 < 3 * (long)timeout)
		pg_yield(); /* the deadline passes */
	/* The pager, released, owes nothing; and it still serves. */
	TEST_CHECK_EQ(pg_signal(s->handles[1], 1), 0);
	struct pg_msg r = control(p, PP_LATE, 0, 0, 0, 0, HANDLE_NONE);
	TEST_CHECK(control_ok(r, PP_LATE));
	TEST_CHECK_EQ((long)r.w[0], -ERR_NOENT);
	TEST_CHECK(control_ok(control(p, PP_STALL, 0, 0, 0, 0, HANDLE_NONE), PP_STALL));
	TEST_CHECK_EQ(start_kid(k), 0);
	TEST_CHECK_EQ(give_region(k, p, REGION_A, 4 * PAGE, rw, 0xc2, timeout), 0);
	kid_command(k, CMD_MEM, 0);
	r = kid_op(k, MEM_READ, REGION_A, 0, 0, 0);
	TEST_CHECK(r.status == 0 && r.w[0] == PATTERN_WORD(REGION_A));
}

/* ---- U-PAGER-013: a page mapped for a read is not dirty ------------------- */

/*
 * A fault answer marks only what the faulting access did (A, and D for a
 * store) on the faulting page: a page mapped read-write for a read, and
 * only read, is accessed but not dirty, and the other pages of a
 * multi-page answer are untouched (kernel/fault.c resume_after_fault).
 */
SCENE_TEST(pager_fresh_page_clean)
{
	struct pager *p = &s->pager;
	struct kid *k = &s->kids[0];
	const unsigned long rw = RIGHT_READ | RIGHT_WRITE;
	unsigned char ad[4];
	TEST_CHECK_EQ(start_pager(p, "patternpager"), 0);
	TEST_CHECK_EQ(start_kid(k), 0);
	TEST_CHECK_EQ(give_region(k, p, REGION_A, 4 * PAGE, rw, 0xd1, 0), 0);
	TEST_CHECK(control_ok(control(p, PP_REGION, 0xd1, REGION_A, 4 * PAGE, rw | PP_RUNS, HANDLE_NONE),
			      PP_REGION));
	kid_command(k, CMD_MEM, 0);
	TEST_CHECK_EQ(kid_op(k, MEM_READ, REGION_A + 8, 0, 0, 0).status, 0);     /* pages 0-1 */
	TEST_CHECK_EQ(kid_op(k, MEM_WRITE, REGION_A + 2 * PAGE, 1, 0, 0).status, 0); /* pages 2-3 */
	TEST_CHECK(pg_ad_query(k->proc, REGION_A, 4, ad) >= 0);
	TEST_CHECK_EQ(ad[0], PAGE_ACCESSED);              /* read */
	TEST_CHECK_EQ(ad[1], 0);                          /* mapped, never touched */
	TEST_CHECK_EQ(ad[2], PAGE_ACCESSED | PAGE_DIRTY); /* written */
	TEST_CHECK_EQ(ad[3], 0);
}

/* ---- U-PAGER-014: the answer's map marks the faulting page ---------------- */

/*
 * init serves the fault itself. Right after its PAGER_ZERO answer, before
 * the child runs again (init keeps the hart: a reply does not switch),
 * the page already shows the faulting store's A and D: the kernel marks
 * them as it writes the leaf (pt_install). QEMU's MMU would set them only
 * when the store ran again, and a U74's never: without the mark, the
 * query here reads nothing.
 */
SCENE_TEST(pager_answer_marks)
{
	struct kid *k = &s->kids[0];
	const unsigned long rw = RIGHT_READ | RIGHT_WRITE;
	unsigned char ad[2] = { 0xee, 0xee };
	long ep = s->handles[0] = pg_endpoint_create();
	TEST_CHECK(ep >= 0);
	TEST_CHECK_EQ(start_kid(k), 0);
	TEST_CHECK_EQ(pg_region_create(k->proc, REGION_A, 2 * PAGE, rw, ep, 0), 0);
	kid_command(k, CMD_MEM, 0);
	TEST_CHECK_EQ(pg_send(k->ep, MSG_INFO(MEM_WRITE, 2, 0), REGION_A + 8, 5, 0, 0, HANDLE_NONE), 0);
	struct pg_msg f = pg_recv(ep);
	TEST_CHECK_EQ(MSG_LABEL(f.info), PAGER_FAULT);
	TEST_CHECK_EQ(f.w[0], REGION_A + 8);
	TEST_CHECK_EQ(pg_reply(MSG_INFO(PAGER_ZERO, 2, 0), REGION_A, rw, 0, 0, HANDLE_NONE), 0);
	TEST_CHECK(pg_ad_query(k->proc, REGION_A, 2, ad) >= 0);
	TEST_CHECK_EQ(ad[0], PAGE_ACCESSED | PAGE_DIRTY);
	TEST_CHECK_EQ(ad[1], 0); /* not mapped */
	/* The store then completes on the zeroed page. */
	struct pg_msg r = kid_op(k, MEM_READ, REGION_A + 8, 0, 0, 0);
	TEST_CHECK(r.status == 0 && r.w[0] == 5);
}
