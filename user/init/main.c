/*
 * init: the root task. It holds every device and all remaining memory,
 * and starts the other programs from the boot archive. With the boot
 * argument "utest" it runs the user-space test suite and exits with the
 * number of failures (the kernel then powers off); with "bench" it runs
 * the benchmarks of `make bench` (docs/bench.md); otherwise it runs the
 * demo programs.
 */
#include <pagoda/child.h>
#include <pagoda/runtime.h>
#include <stdio.h>
#include <string.h>

#include "init.h"
#include "kernel/cpio.h"

const char *progname = "init";

long spawn(const char *name, unsigned long priority, long bootstrap)
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
	return pg_process_spawn(entry.data, entry.size, priority, bootstrap);
}

static int has_bootarg(const char *word)
{
	const char *args = runtime_info()->bootargs;
	size_t n = strlen(word);
	for (const char *p = args; (p = strstr(p, word)); p += n)
		if ((p == args || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return 1;
	return 0;
}

/*
 * Boot argument "bench": bench measures call/reply against a "child" echo
 * server in another address space. A process init spawns gets a fixed quota
 * too small to spawn one of its own, so init starts the server and hands its
 * endpoint to bench as the bootstrap handle. Both run at BENCH_PRIORITY, so
 * calls take the kernel's direct-switch path.
 */
#define BENCH_PRIORITY 10

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
	long bench = pg_must(spawn("bench", BENCH_PRIORITY, ep), "bench: spawn bench");
	long status = pg_process_wait(bench);
	printf("init: bench exited with status %ld\n", status);
	pg_object_destroy(echo);
	pg_process_wait(echo);
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

	long hello = spawn("hello", 10, HANDLE_NONE);
	if (hello < 0) {
		printf("init: cannot start hello: %s\n", err_text(hello));
		return 1;
	}
	long status = pg_process_wait(hello);
	printf("init: hello exited with status %ld\n", status);
	return 0;
}
