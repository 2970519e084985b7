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
#include "user/swapper/swapper.h"

#define PRIO_CHILD 10
#define PRIO_SWAPPER 12
#define POOL_PAGES 128UL
#define SWAP_BASE 0x0800000000UL
#define PAGE 4096UL

static long swapper_proc = HANDLE_NONE, swapper_ep = HANDLE_NONE;
static unsigned long next_id = 1;

struct swapstats {
	unsigned long pageins, pageouts, faults, free, pool;
};

static int swap_stats(struct swapstats *s)
{
	struct pg_msg m = ipc_call(swapper_ep, SWAP_STATS, 0, 0, 0, 0);
	if (m.status < 0 || msg_label(m) != SWAP_STATS)
		return -1;
	*s = (struct swapstats){ m.w[0], m.w[1], m.w[2], m.w[3] & 0xffffffffUL, m.w[3] >> 32 };
	return 0;
}

struct memkid {
	long proc, ep;
	unsigned long id;
};

/* Starts a child whose [SWAP_BASE, +size) the swapper serves, running
 * CMD_MEMTEST with seed and passes how. */
static long memkid_start(struct memkid *k, unsigned long size, unsigned long seed,
			 unsigned long how)
{
	k->proc = HANDLE_NONE;
	k->id = next_id++;
	k->ep = pg_endpoint_create();
	if (k->ep < 0)
		return k->ep;
	k->proc = spawn("child", PRIO_CHILD, k->ep);
	if (k->proc < 0)
		return k->proc;
	struct pg_msg hello = pg_recv(k->ep);
	if (hello.status < 0 || msg_label(hello) != CHILD_HELLO)
		return -ERR_INVAL;
	long given = pg_handle_mint(k->proc, RIGHT_READ | RIGHT_WRITE, 0);
	if (given < 0)
		return given;
	struct pg_msg m = pg_call(swapper_ep, MSG_INFO(SWAP_CLIENT, 3, 1), k->id, SWAP_BASE, size, 0,
				  given);
	pg_handle_delete(given);
	if (m.status < 0)
		return m.status;
	if (msg_label(m) != SWAP_CLIENT)
		return (long)m.w[0];
	long badged = pg_handle_mint(swapper_ep, RIGHT_WRITE, k->id);
	if (badged < 0)
		return badged;
	long rc = pg_region_create(k->proc, SWAP_BASE, size, RIGHT_READ | RIGHT_WRITE, badged, 0);
	pg_handle_delete(badged);
	if (rc < 0)
		return rc;
	return pg_reply(MSG_INFO(CMD_MEMTEST, 4, 0), SWAP_BASE, size, seed, how, HANDLE_NONE);
}

/* Waits for the child, tells the swapper it is gone; returns its status. */
static long memkid_end(struct memkid *k)
{
	long status = k->proc;
	if (k->proc >= 0) {
		status = pg_process_wait(k->proc);
		ipc_call(swapper_ep, SWAP_FORGET, k->id, 0, 0, 0);
		pg_handle_delete(k->proc);
	}
	if (k->ep >= 0)
		pg_handle_delete(k->ep);
	k->proc = k->ep = HANDLE_NONE;
	return status;
}

static void kill_kids(struct memkid *kids, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (kids[i].proc >= 0)
			pg_object_destroy(kids[i].proc);
}

/* n children, each over pool_multiple x the pool; all must verify. */
static void run_kids(unsigned n, unsigned long pool_multiple, unsigned long how, int expect_io)
{
	struct memkid kids[4];
	struct swapstats before, after;
	TEST_CHECK(n <= 4);
	TEST_CHECK_EQ(swap_stats(&before), 0);
	for (unsigned i = 0; i < n; i++)
		kids[i].proc = kids[i].ep = HANDLE_NONE;
	long rc = 0;
	for (unsigned i = 0; i < n && rc >= 0; i++)
		rc = memkid_start(&kids[i], pool_multiple * POOL_PAGES * PAGE, 0x5eed0000UL + i * 77 + next_id, how);
	if (rc < 0)
		kill_kids(kids, n);
	long status[4];
	for (unsigned i = 0; i < n; i++)
		status[i] = memkid_end(&kids[i]);
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

static int has_word(const char *word)
{
	const char *args = runtime_info()->bootargs;
	size_t n = strlen(word);
	for (const char *p = args; (p = strstr(p, word)); p += n)
		if ((p == args || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return 1;
	return 0;
}

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
	struct memkid k = { .proc = HANDLE_NONE, .ep = HANDLE_NONE };
	struct pg_msg info = ipc_call(swapper_ep, SWAP_SWAPINFO, 0, 0, 0, 0);
	TEST_CHECK_EQ(info.status, 0);
	unsigned long kills = info.w[3];
	long rc = memkid_start(&k, 4 * POOL_PAGES * PAGE, 0xf011, MEMTEST_SEQ);
	if (rc < 0 && k.proc >= 0)
		pg_object_destroy(k.proc);
	long status = memkid_end(&k);
	TEST_CHECK_EQ(rc, 0);
	printf("swaptest: the child wanting %lu pages ended with status %ld\n", 4 * POOL_PAGES, status);
	TEST_CHECK(status != 0);
	info = ipc_call(swapper_ep, SWAP_SWAPINFO, 0, 0, 0, 0);
	TEST_CHECK_EQ(info.w[3], kills + 1);
	TEST_CHECK_EQ(info.w[0], 0); /* slots used */
	/* Still serving: a child within pool + swap verifies. */
	rc = memkid_start(&k, POOL_PAGES * PAGE + 32 * PAGE, 0xf012, MEMTEST_SEQ | MEMTEST_RANDOM);
	if (rc < 0 && k.proc >= 0)
		pg_object_destroy(k.proc);
	status = memkid_end(&k);
	TEST_CHECK_EQ(rc, 0);
	TEST_CHECK_EQ(status, 0);
	struct swapstats s;
	TEST_CHECK_EQ(swap_stats(&s), 0);
	TEST_CHECK_EQ(s.free, s.pool);
}

static void swap_started(void)
{
	TEST_CHECK_EQ(start_rc, 0);
}

static void hand_devices(void)
{
	const struct pg_process_info *info = runtime_info();
	unsigned long slot = 0;
	for (unsigned long i = 0; i < info->ndevices && i < INFO_MAX_DEVICES; i++) {
		const struct pg_device_info *d = &info->devices[i];
		if (strcmp(d->kind, "virtio,mmio") != 0)
			continue;
		struct pg_msg m = pg_call(swapper_ep, MSG_INFO(SWAP_DEV, 3, 1), d->base, d->size, slot, 0,
					  d->handle);
		if (m.status == 0 && d->irq_handle >= 0)
			m = pg_call(swapper_ep, MSG_INFO(SWAP_DEV_IRQ, 3, 1), 0, 0, slot, 0,
				    d->irq_handle);
		if (m.status < 0)
			printf("init: cannot hand virtio slot %lu to the swapper: %s\n", slot,
			       err_text(m.status));
		slot++;
	}
}

int swaptest_run(void)
{
	long boot = pg_must(pg_endpoint_create(), "swaptest: endpoint_create");
	swapper_proc = spawn("swapper", PRIO_SWAPPER, boot);
	if (swapper_proc < 0) {
		printf("init: cannot start the swapper: %s\n", err_text(swapper_proc));
		return 1;
	}
	struct pg_msg hello = pg_recv(boot);
	if (hello.status < 0 || msg_label(hello) != PAGER_HELLO || msg_handle(hello) < 0) {
		printf("init: the swapper did not announce its endpoint\n");
		return 1;
	}
	swapper_ep = hello.handle;
	pg_reply(MSG_INFO(0, 0, 0), 0, 0, 0, 0, HANDLE_NONE);
	pg_handle_delete(boot);
	hand_devices();
	int small = has_word("swapsmall");
	unsigned long where, label;
	swap_where_from_bootargs(&where, &label);
	int policy_given;
	unsigned long policy = swap_policy_from_bootargs(&policy_given);
	struct pg_msg m = ipc_call(swapper_ep, SWAP_START, SWAP_START_W0(POOL_PAGES, policy),
				   small ? SWAP_MIN_SLOTS : 0, where, label);
	start_rc = m.status < 0 ? m.status : (long)m.w[0];
	printf("init: swapper started: %s (pool %lu pages, %lu swap slots)\n",
	       start_rc < 0 ? err_text(start_rc) : "ok", m.w[1], m.w[2]);

	test_run("U-SWAP-004", "swap header: an empty disk is taken, ours recognised, foreign refused",
		 swap_header_logic);
	if (has_word("swapforeign")) {
		test_run("U-SWAP-005", "the swapper refuses a disk that holds something else",
			 swap_foreign);
	} else if (small && start_rc == 0) {
		test_run("U-SWAP-006", "out of swap: the biggest client is killed with a line; no deadlock",
			 swap_full);
	} else if (start_rc == 0 && swaperr_run(swapper_proc, swapper_ep)) {
		/* swaperr-*: disk errors, a dying swapper (utest_swaperr.c) */
	} else if (start_rc == 0) {
		/* Warm-up: every frame and page table the tests need once,
		 * so test_run_noleak sees only what they keep. */
		run_kids(1, 4, MEMTEST_SEQ, 0);
		test_run_noleak("U-SWAP-001", "sequential write and verify of 4x the pool: exact, paged out and in",
				swap_sequential);
		test_run_noleak("U-SWAP-002", "seeded random read-modify-write over 2x the pool, full verify",
				swap_random);
		if (!policy_given) /* swappolicy=: 001 and 002 only, a short boot */
			test_run_noleak("U-SWAP-003", "four children at once, each 1x the pool: all verify",
					swap_four);
	} else {
		test_run("U-SWAP-001", "the swapper starts on the disk", swap_started);
	}
	ipc_call(swapper_ep, SWAP_PRINT, 0, 0, 0, 0);
	pg_object_destroy(swapper_proc);
	pg_process_wait(swapper_proc);
	return test_summary();
}
