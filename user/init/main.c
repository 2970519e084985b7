/*
 * init: the root task. It holds every device and all remaining memory,
 * and starts the other programs from the boot archive. With the boot
 * argument "utest" it runs the user-space test suite and exits with the
 * number of failures (the kernel then powers off); otherwise it runs the
 * demo programs.
 */
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

int main(void)
{
	const struct pg_process_info *info = runtime_info();
	printf("init: pid %ld, %lu devices, boot archive %lu bytes\n", info->pid, info->ndevices,
	       info->boot_archive_size);
	if (has_bootarg("utest"))
		return utest_run();

	long hello = spawn("hello", 10, HANDLE_NONE);
	if (hello < 0) {
		printf("init: cannot start hello: %s\n", err_text(hello));
		return 1;
	}
	long status = pg_process_wait(hello);
	printf("init: hello exited with status %ld\n", status);
	return 0;
}
