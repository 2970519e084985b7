/*
 * init: the root task. It holds every device and all remaining memory,
 * and starts the other programs from the boot archive. With the boot
 * argument "utest" it runs the user-space test suite and exits with the
 * number of failures (the kernel then powers off); with "bench" it runs
 * the benchmarks of `make bench` (docs/bench.md); otherwise it runs the
 * demo programs.
 */
#include <pagoda/child.h>
#include <pagoda/libpager.h>
#include <pagoda/patternpager.h>
#include <pagoda/runtime.h>
#include <stdio.h>
#include <string.h>

#include "console.h"
#include "init.h"
#include "kernel/cpio.h"

const char *progname = "init";

long spawn_with(const char *name, unsigned long priority, long bootstrap, long pager,
		unsigned long quota, unsigned long flags)
{
	const struct pg_process_info *info = runtime_info();
	if (!info->boot_archive_va)
		return -ERR_NOENT;
	struct cpio_entry entry;
	char why[96];
	int rc = cpio_find((const void *)info->boot_archive_va, info->boot_archive_size, name, &entry,
			   why, sizeof why);
	if (rc < 0)
		return rc;
	return pg_process_spawn(entry.data, entry.size, priority, bootstrap, pager, quota, flags);
}

long spawn(const char *name, unsigned long priority, long bootstrap)
{
	return spawn_with(name, priority, bootstrap, HANDLE_NONE, 0, 0);
}

/*
 * Boot argument "bench": bench measures call/reply against a "child" echo
 * server in another address space, and page faults served by "zeropager"
 * and "patternpager". A process init spawns gets a fixed quota too small to
 * spawn one of its own, and only init holds bench's process handle (which
 * region_create needs), so init starts the servers and sets bench up:
 * bench's bootstrap handle is an endpoint it calls once at its start; init
 * then creates two regions in it and replies with their bases and page
 * count (w0 zeropager's, w1 the pattern pager's, w2 pages) and the echo
 * server's endpoint (the handle). bench and the echo server run at
 * BENCH_PRIORITY, so calls take the kernel's direct-switch path; the pagers
 * run above, as servers do.
 */
#define BENCH_PRIORITY 10
#define BENCH_PAGER_PRIORITY 12
#define BENCH_ZERO_VA 0x3100000000UL
#define BENCH_PATTERN_VA 0x3200000000UL
#define BENCH_FAULT_PAGES 63 /* at most 64: the pattern pager's PP_SHARED slots */
#define BENCH_BADGE 1

/* Starts pager `name` (libpager's pager_announce); returns its endpoint. */
static long bench_pager(const char *name, long *proc)
{
	long boot = pg_must(pg_endpoint_create(), "bench: endpoint_create");
	*proc = pg_must(spawn(name, BENCH_PAGER_PRIORITY, boot), name);
	struct pg_msg hello = pg_recv(boot);
	if (hello.status < 0 || MSG_LABEL(hello.info) != PAGER_HELLO || msg_handle(hello) < 0)
		pg_panic("bench: %s did not announce its endpoint", name);
	pg_reply(MSG_INFO(0, 0, 0), 0, 0, 0, 0, HANDLE_NONE);
	pg_handle_delete(boot);
	return hello.handle;
}

static void bench_end(long proc)
{
	pg_object_destroy(proc);
	pg_process_wait(proc);
}

static int run_bench(unsigned long instret_at_main)
{
	/* Instructions retired on this hart from reset to init's main:
	 * firmware, kernel boot and init's crt0 (docs/bench.md). */
	printf("bench: instructions_to_init %lu instructions\n", instret_at_main);
	long ep = pg_must(pg_endpoint_create(), "bench: endpoint_create");
	long echo = pg_must(spawn("child", BENCH_PRIORITY, ep), "bench: spawn child");
	struct pg_msg hello = pg_recv(ep);
	if (hello.status < 0 || MSG_LABEL(hello.info) != CHILD_HELLO)
		pg_panic("bench: the echo server did not say hello");
	pg_reply(MSG_INFO(CMD_ECHO, 1, 0), 0, 0, 0, 0, HANDLE_NONE);

	/* The pagers. The pattern pager answers the region's faults from frames
	 * it fills once and keeps (PP_SHARED): refaults get them ready-made. */
	long zero, pattern;
	long zero_ep = bench_pager("zeropager", &zero);
	long pattern_ep = bench_pager("patternpager", &pattern);
	const unsigned long size = BENCH_FAULT_PAGES * 4096UL, rw = RIGHT_READ | RIGHT_WRITE;
	struct pg_msg m = pg_call(pattern_ep, MSG_INFO(PP_REGION, 4, 0), BENCH_BADGE, BENCH_PATTERN_VA,
				  size, rw | PP_SHARED, HANDLE_NONE);
	if (m.status < 0 || MSG_LABEL(m.info) != PP_REGION)
		pg_panic("bench: the pattern pager refused PP_REGION");
	long badged = pg_must(pg_handle_mint(pattern_ep, RIGHT_WRITE, BENCH_BADGE), "bench: mint");

	long boot = pg_must(pg_endpoint_create(), "bench: endpoint_create");
	long bench = pg_must(spawn("bench", BENCH_PRIORITY, boot), "bench: spawn bench");
	if (pg_recv(boot).status < 0) /* bench asks for its setup */
		pg_panic("bench: no call from bench");
	pg_must(pg_region_create(bench, BENCH_ZERO_VA, size, rw, zero_ep, 0), "bench: zero region");
	pg_must(pg_region_create(bench, BENCH_PATTERN_VA, size, rw, badged, 0), "bench: pattern region");
	pg_reply(MSG_INFO(0, 3, 1), BENCH_ZERO_VA, BENCH_PATTERN_VA, BENCH_FAULT_PAGES, 0, ep);
	long status = pg_process_wait(bench);
	printf("init: bench exited with status %ld\n", status);
	bench_end(echo);
	bench_end(zero);
	bench_end(pattern);
	return status != 0;
}

int main(void)
{
	/* Read first thing, and only for bench: a board's firmware may not
	 * let user mode read instret. */
	unsigned long instret_at_main = 0;
	if (has_bootarg("bench"))
		__asm__ volatile("rdinstret %0" : "=r"(instret_at_main));
	const struct pg_process_info *info = runtime_info();
	printf("init: pid %ld, %lu devices, boot archive %lu bytes\n", info->pid, info->ndevices,
	       info->boot_archive_size);
	if (has_bootarg("irqtest"))
		return irqtest_run();
	if (has_bootarg("utest"))
		return utest_run();
	if (has_bootarg("bench"))
		return run_bench(instret_at_main);
	if (has_bootarg("blktest"))
		return blktest_run();
	if (has_bootarg("swaptest"))
		return swaptest_run();
	if (console_wanted()) /* a swap disk, or cmds=: console.h */
		return console_run();

	long hello = spawn("hello", 10, HANDLE_NONE);
	if (hello < 0) {
		printf("init: cannot start hello: %s\n", err_text(hello));
		return 1;
	}
	long status = pg_process_wait(hello);
	printf("init: hello exited with status %ld\n", status);
	return 0;
}
