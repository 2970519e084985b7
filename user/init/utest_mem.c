/* User tests of memory limits and of what process_spawn refuses. */
#include <pagoda/child.h>
#include <pagoda/runtime.h>
#include <pagoda/test.h>
#include <stdlib.h>
#include <string.h>

#include "init.h"
#include "kernel/cpio.h"

#define QUOTA_OF_A_CHILD (4L << 20) /* kernel/loader.h SPAWN_DEFAULT_QUOTA */

void quota_exhaustion(void)
{
	long free_before = test_free_frames();
	long ep = pg_endpoint_create();
	long proc = spawn("child", 10, ep);
	TEST_CHECK(ep >= 0 && proc >= 0);
	struct pg_msg hello = pg_recv(ep);
	TEST_CHECK_EQ(hello.status, 0);
	pg_reply(MSG_INFO(CMD_EXHAUST, 1, 0), 0, 0, 0, 0, HANDLE_NONE);
	long pages = pg_process_wait(proc);
	/* Refused with ERR_NOMEM, after using most of its quota but not more. */
	TEST_CHECK(pages > 0);
	TEST_CHECK(pages * 4096 < QUOTA_OF_A_CHILD);
	TEST_CHECK(pages * 4096 > QUOTA_OF_A_CHILD / 2);
	pg_handle_delete(proc);
	pg_handle_delete(ep);
	/* The machine still has what it had, and we can still allocate. */
	TEST_CHECK_EQ(test_free_frames(), free_before);
	long f = pg_frame_alloc(0);
	TEST_CHECK(f >= 0);
	pg_handle_delete(f);
}

void elf_refusal(void)
{
	const struct pg_process_info *info = runtime_info();
	struct cpio_entry child;
	TEST_CHECK_EQ(cpio_find((const void *)info->boot_archive_va, info->boot_archive_size, "child",
				&child, NULL, 0),
		      0);
	unsigned char *copy = malloc(child.size);
	TEST_CHECK(copy);
	memcpy(copy, child.data, child.size);
	long free_before = test_free_frames();

	/* Not an ELF at all. */
	static const char junk[] = "this is not an executable";
	TEST_CHECK_EQ(pg_process_spawn(junk, sizeof junk, 10, HANDLE_NONE), -ERR_BADFORMAT);
	/* Cut short: the program headers point past the end. */
	TEST_CHECK_EQ(pg_process_spawn(copy, 200, 10, HANDLE_NONE), -ERR_BADFORMAT);
	/* Another machine's executable (e_machine = x86-64). */
	copy[18] = 62;
	copy[19] = 0;
	TEST_CHECK_EQ(pg_process_spawn(copy, child.size, 10, HANDLE_NONE), -ERR_BADFORMAT);
	copy[18] = 243; /* RISC-V again: now it starts */
	long ok = pg_process_spawn(copy, child.size, 10, HANDLE_NONE);
	TEST_CHECK(ok >= 0);
	/* Without a bootstrap endpoint the child gives up at once. */
	TEST_CHECK_EQ(pg_process_wait(ok), 127); /* pg_panic: "no bootstrap endpoint" */
	pg_handle_delete(ok);
	free(copy);
	/* Nothing of a refused image stays behind. */
	TEST_CHECK_EQ(test_free_frames(), free_before);
}
