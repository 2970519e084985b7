/*
 * Boot argument "blktest": init starts the virtio-blk test program and
 * hands it every virtio-mmio window and interrupt (user/blktest/blktest.h
 * has the protocol). init's exit status is blktest's: its failures.
 */
#include <pagoda/runtime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "init.h"
#include "user/blktest/blktest.h"

#define BLKTEST_PRIORITY 10

/* "blkdisk=BYTES" among the boot arguments, or 0. */
static unsigned long disk_bytes(void)
{
	size_t n;
	const char *p = bootarg_value("blkdisk=", &n);
	return p ? strtoul(p, NULL, 0) : 0;
}

int blktest_run(void)
{
	const struct pg_process_info *info = runtime_info();
	long ep = pg_must(pg_endpoint_create(), "blktest: endpoint_create");
	long child = spawn("blktest", BLKTEST_PRIORITY, ep);
	if (child < 0) {
		printf("init: cannot start blktest: %s\n", err_text(child));
		return 1;
	}
	unsigned long slot = 0;
	for (unsigned long i = 0; i < info->ndevices && i < INFO_MAX_DEVICES; i++) {
		const struct pg_device_info *d = &info->devices[i];
		if (strcmp(d->kind, "virtio,mmio") != 0)
			continue;
		long rc = pg_send(ep, MSG_INFO(BLKTEST_MSG_WINDOW, 4, 1), d->base, d->size, d->irq,
				  slot, d->handle);
		if (rc == 0 && d->irq_handle >= 0)
			rc = pg_send(ep, MSG_INFO(BLKTEST_MSG_IRQ, 4, 1), 0, 0, 0, slot, d->irq_handle);
		if (rc < 0)
			printf("init: cannot hand virtio slot %lu to blktest: %s\n", slot, err_text(rc));
		slot++;
	}
	pg_send(ep, MSG_INFO(BLKTEST_MSG_END, 1, 0), disk_bytes(), 0, 0, 0, HANDLE_NONE);
	long status = pg_process_wait(child);
	printf("init: blktest exited with status %ld\n", status);
	return (int)status;
}
