/* User tests of memory limits and of what process_spawn refuses. */
#include <pagoda/child.h>
#include <pagoda/ipc.h>
#include <pagoda/pager.h>
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
	TEST_CHECK_EQ(pg_process_spawn(junk, sizeof junk, 10, HANDLE_NONE, HANDLE_NONE, 0, 0), -ERR_BADFORMAT);
	/* Cut short: the program headers point past the end. */
	TEST_CHECK_EQ(pg_process_spawn(copy, 200, 10, HANDLE_NONE, HANDLE_NONE, 0, 0), -ERR_BADFORMAT);
	/* Another machine's executable (e_machine = x86-64). */
	copy[18] = 62;
	copy[19] = 0;
	TEST_CHECK_EQ(pg_process_spawn(copy, child.size, 10, HANDLE_NONE, HANDLE_NONE, 0, 0), -ERR_BADFORMAT);
	copy[18] = 243; /* RISC-V again: now it starts */
	long ok = pg_process_spawn(copy, child.size, 10, HANDLE_NONE, HANDLE_NONE, 0, 0);
	TEST_CHECK(ok >= 0);
	/* Without a bootstrap endpoint the child gives up at once. */
	TEST_CHECK_EQ(pg_process_wait(ok), 127); /* pg_panic: "no bootstrap endpoint" */
	pg_handle_delete(ok);
	free(copy);
	/* Nothing of a refused image stays behind. */
	TEST_CHECK_EQ(test_free_frames(), free_before);
}

/* A child started with a fresh endpoint; replies to its hello with cmd(arg). */
static long child_with(long ep, unsigned long cmd, unsigned long arg, long *proc)
{
	*proc = spawn("child", 10, ep);
	if (*proc < 0)
		return *proc;
	struct pg_msg hello = pg_recv(ep);
	if (hello.status < 0)
		return hello.status;
	return pg_reply(MSG_INFO(cmd, 1, 0), arg, 0, 0, 0, HANDLE_NONE);
}

void map_into_another_space(void)
{
	const unsigned long va = 0x2200000000UL;
	long f = pg_frame_alloc(0);
	TEST_CHECK(f >= 0);
	TEST_CHECK_EQ(pg_map(HANDLE_SELF, f, va, RIGHT_READ | RIGHT_WRITE), 0);
	*(volatile long *)va = 77; /* what the child will find */
	TEST_CHECK_EQ(pg_unmap(HANDLE_SELF, va, 4096), 1);
	/* From here on nothing may stay behind (our own page tables for va,
	 * made just now, stay with our space: they are not counted). */
	long free_before = test_free_frames();

	long ep = pg_endpoint_create();
	long proc;
	/* The child reads va: we map our frame into its space first. */
	proc = spawn("child", 10, ep);
	TEST_CHECK(proc >= 0);
	TEST_CHECK_EQ(pg_map(proc, f, va, RIGHT_READ), 0);
	long weak = pg_handle_mint(proc, RIGHT_READ, 0); /* may look, may not change */
	TEST_CHECK_EQ(pg_map(weak, f, va + 4096, RIGHT_READ), -ERR_PERM);
	TEST_CHECK_EQ(pg_unmap(weak, va, 4096), -ERR_PERM);
	pg_handle_delete(weak);
	struct pg_msg hello = pg_recv(ep);
	TEST_CHECK_EQ(hello.status, 0);
	pg_reply(MSG_INFO(CMD_READ, 1, 0), va, 0, 0, 0, HANDLE_NONE);
	TEST_CHECK_EQ(pg_process_wait(proc), 77);
	/* Its space is gone: mapping into it now fails cleanly. */
	TEST_CHECK_EQ(pg_map(proc, f, va, RIGHT_READ), -ERR_DEAD);
	pg_handle_delete(proc);

	/* Mapped, then unmapped from the child's space before it reads: killed. */
	TEST_CHECK_EQ(child_with(ep, CMD_EXIT, 0, &proc), 0); /* a warm-up child... */
	TEST_CHECK_EQ(pg_process_wait(proc), 0);
	pg_handle_delete(proc);
	proc = spawn("child", 10, ep);
	TEST_CHECK(proc >= 0);
	TEST_CHECK_EQ(pg_map(proc, f, va, RIGHT_READ), 0);
	TEST_CHECK_EQ(pg_unmap(proc, va, 4096), 1);
	hello = pg_recv(ep);
	pg_reply(MSG_INFO(CMD_READ, 1, 0), va, 0, 0, 0, HANDLE_NONE);
	TEST_CHECK_EQ(pg_process_wait(proc), -ERR_FAULT);
	pg_handle_delete(proc);
	pg_handle_delete(ep);
	pg_handle_delete(f); /* the frame goes back: nothing maps it any more */
	TEST_CHECK_EQ(test_free_frames(), free_before + 1);
}

/* U-MEM-004: a page mapped into another space (a pager's read-ahead)
 * starts untouched: pg_ad_query reports nothing until the space uses it,
 * then the read sets A only and a write sets D. */
void map_into_another_space_untouched(void)
{
	const unsigned long va = 0x2200000000UL;
	long free_before = test_free_frames();
	long f = pg_frame_alloc(0), ep = pg_endpoint_create(), proc;
	TEST_CHECK(f >= 0 && ep >= 0);
	TEST_CHECK_EQ(child_with(ep, CMD_MEM, 0, &proc), 0);
	TEST_CHECK_EQ(pg_map(proc, f, va, RIGHT_READ | RIGHT_WRITE), 0);
	unsigned char ad = 0xff;
	TEST_CHECK(pg_ad_query(proc, va, 1, &ad) >= 0);
	TEST_CHECK_EQ(ad, 0);
	struct pg_msg m = ipc_call(ep, MEM_READ, va, 0, 0, 0);
	TEST_CHECK_EQ(m.status, 0);
	TEST_CHECK(pg_ad_query(proc, va, 1, &ad) >= 0);
	TEST_CHECK_EQ(ad, PAGE_ACCESSED);
	m = ipc_call(ep, MEM_WRITE, va, 5, 0, 0);
	TEST_CHECK_EQ(m.status, 0);
	TEST_CHECK(pg_ad_query(proc, va, 1, &ad) >= 0);
	TEST_CHECK_EQ(ad, PAGE_ACCESSED | PAGE_DIRTY);
	/* Our own mappings keep A/D preset: nothing to fix on first use. */
	TEST_CHECK_EQ(pg_map(HANDLE_SELF, f, va, RIGHT_READ), 0);
	TEST_CHECK(pg_ad_query(HANDLE_SELF, va, 1, &ad) >= 0);
	TEST_CHECK(ad & PAGE_ACCESSED);
	TEST_CHECK_EQ(pg_unmap(HANDLE_SELF, va, 4096), 1);
	pg_send(ep, MSG_INFO(MEM_EXIT, 1, 0), 0, 0, 0, 0, HANDLE_NONE);
	TEST_CHECK_EQ(pg_process_wait(proc), 0);
	pg_handle_delete(proc);
	pg_handle_delete(ep);
	pg_handle_delete(f);
	/* Our page tables for va stay with our space (U-MEM-003 made them). */
	TEST_CHECK_EQ(test_free_frames(), free_before);
}

/* U-MEM-005: map_run maps a run of frames in one call, all or none: a bad
 * handle, a page of the run already mapped, a bad count, rights, address
 * or array leave the space and the quota as they were; what the frames
 * hold stays theirs. */
void map_run_all_or_none(void)
{
	const unsigned long va = 0x2200000000UL; /* its tables: U-MEM-003's */
	const unsigned long rw = RIGHT_READ | RIGHT_WRITE;
	long free_before = test_free_frames();
	long f[4];
	for (int i = 0; i < 4; i++) {
		f[i] = pg_frame_alloc(0);
		TEST_CHECK(f[i] >= 0);
	}
	TEST_CHECK_EQ(pg_map_run(HANDLE_SELF, f, 4, va, rw), 0);
	for (int i = 0; i < 4; i++)
		*(volatile long *)(va + i * 4096UL) = 100 + i;
	TEST_CHECK_EQ(pg_unmap(HANDLE_SELF, va, 4 * 4096), 4);

	long with_bad[4] = { f[0], f[1], 255, f[3] }; /* 255: an empty slot */
	TEST_CHECK_EQ(pg_map_run(HANDLE_SELF, with_bad, 4, va, rw), -ERR_BADHANDLE);
	TEST_CHECK_EQ(pg_unmap(HANDLE_SELF, va, 4 * 4096), 0); /* nothing was mapped */

	/* The third page of the run is taken: the two before it are never
	 * mapped, and what was reserved for the run (its records, the most
	 * tables it could need) is given back to the quota. */
	TEST_CHECK_EQ(pg_map(HANDLE_SELF, f[2], va + 2 * 4096, rw), 0);
	long quota_before = pg_sysinfo(SYSINFO_QUOTA_LEFT);
	long three[3] = { f[0], f[1], f[3] };
	TEST_CHECK_EQ(pg_map_run(HANDLE_SELF, three, 3, va, rw), -ERR_EXIST);
	TEST_CHECK_EQ(pg_sysinfo(SYSINFO_QUOTA_LEFT), quota_before);
	TEST_CHECK_EQ(pg_unmap(HANDLE_SELF, va, 4 * 4096), 1); /* f[2]'s alone */

	TEST_CHECK_EQ(pg_map_run(HANDLE_SELF, f, 0, va, rw), -ERR_RANGE);
	TEST_CHECK_EQ(pg_map_run(HANDLE_SELF, f, MAP_RUN_MAX + 1, va, rw), -ERR_RANGE);
	TEST_CHECK_EQ(pg_map_run(HANDLE_SELF, f, 4, va, 0x100), -ERR_INVAL);
	TEST_CHECK_EQ(pg_map_run(HANDLE_SELF, f, 4, va, RIGHT_WRITE | RIGHT_EXEC), -ERR_PERM);
	TEST_CHECK_EQ(pg_map_run(HANDLE_SELF, f, 4, va + 8, rw), -ERR_ALIGN);
	TEST_CHECK_EQ(pg_map_run(HANDLE_SELF, NULL, 4, va, rw), -ERR_FAULT);
	TEST_CHECK_EQ(pg_unmap(HANDLE_SELF, va, 4 * 4096), 0);

	/* Mapped again, in another order: each frame kept its own words. */
	long reversed[4] = { f[3], f[2], f[1], f[0] };
	TEST_CHECK_EQ(pg_map_run(HANDLE_SELF, reversed, 4, va, RIGHT_READ), 0);
	for (int i = 0; i < 4; i++)
		TEST_CHECK_EQ(*(volatile long *)(va + i * 4096UL), 103 - i);
	TEST_CHECK_EQ(pg_unmap(HANDLE_SELF, va, 4 * 4096), 4);
	for (int i = 0; i < 4; i++)
		pg_handle_delete(f[i]);
	TEST_CHECK_EQ(test_free_frames(), free_before);
}

/* Flushes the kernel issued during one MEM_READ of va by the child behind
 * ep (the switches there and back included); the word read in *word. */
static long flushes_across_read(long ep, unsigned long va, long *word)
{
	long before = pg_sysinfo(SYSINFO_TLB_FLUSHES);
	struct pg_msg m = ipc_call(ep, MEM_READ, va, 0, 0, 0);
	long after = pg_sysinfo(SYSINFO_TLB_FLUSHES);
	*word = m.status < 0 ? m.status : (long)m.w[0];
	return after - before;
}

/* U-MEM-006: changes to a space that is not running (a pager working on
 * its client) issue no TLB flush; the space's ASID is flushed once when it
 * next runs, and the change is seen. Changes to the caller's own space
 * are flushed at once. */
void lazy_tlb_flush(void)
{
	const unsigned long va = 0x2200000000UL, rw = RIGHT_READ | RIGHT_WRITE;
	long free_before = test_free_frames();
	long fa = pg_frame_alloc(0), fb = pg_frame_alloc(0), ep = pg_endpoint_create(), proc;
	TEST_CHECK(fa >= 0 && fb >= 0 && ep >= 0);
	TEST_CHECK_EQ(pg_map_run(HANDLE_SELF, (long[]){ fa, fb }, 2, va, rw), 0);
	*(volatile long *)va = 11;
	*(volatile long *)(va + 4096) = 22;
	/* Our own space is loaded: each change is flushed before the call returns. */
	long before = pg_sysinfo(SYSINFO_TLB_FLUSHES);
	TEST_CHECK_EQ(pg_unmap(HANDLE_SELF, va, 4096), 1);
	TEST_CHECK_EQ(pg_unmap(HANDLE_SELF, va + 4096, 4096), 1);
	TEST_CHECK_EQ(pg_sysinfo(SYSINFO_TLB_FLUSHES), before + 2);

	TEST_CHECK_EQ(child_with(ep, CMD_MEM, 0, &proc), 0);
	TEST_CHECK_EQ(pg_map(proc, fb, va, RIGHT_READ), 0);
	long word = 0;
	flushes_across_read(ep, va, &word); /* sets the page's A: nothing left to fix */
	TEST_CHECK_EQ(word, 22);
	long clean = flushes_across_read(ep, va, &word); /* nothing pending */
	TEST_CHECK_EQ(word, 22);

	/* Six changes to the child's space while it waits: no flush at all. */
	unsigned char ad[2];
	before = pg_sysinfo(SYSINFO_TLB_FLUSHES);
	TEST_CHECK_EQ(pg_unmap(proc, va, 4096), 1);
	TEST_CHECK_EQ(pg_map(proc, fa, va, RIGHT_READ), 0);
	TEST_CHECK_EQ(pg_ad_query(proc, va, 1, ad), 0);
	TEST_CHECK_EQ(pg_protect(proc, va, 4096, RIGHT_READ), 1);
	TEST_CHECK_EQ(pg_map(proc, fb, va + 4096, RIGHT_READ), 0);
	TEST_CHECK_EQ(pg_unmap(proc, va + 4096, 4096), 1);
	TEST_CHECK_EQ(pg_sysinfo(SYSINFO_TLB_FLUSHES), before);
	/* One flush of its ASID when it runs (without ASIDs every switch
	 * flushes everything anyway), and it reads the new page. */
	long pending = flushes_across_read(ep, va, &word);
	TEST_CHECK_EQ(word, 11);
	TEST_CHECK_EQ(pending, clean + (pg_sysinfo(SYSINFO_ASID_BITS) > 0 ? 1 : 0));

	pg_send(ep, MSG_INFO(MEM_EXIT, 1, 0), 0, 0, 0, 0, HANDLE_NONE);
	TEST_CHECK_EQ(pg_process_wait(proc), 0);
	pg_handle_delete(proc);
	pg_handle_delete(ep);
	pg_handle_delete(fa);
	pg_handle_delete(fb);
	/* Our page tables for va stay with our space (U-MEM-003 made them). */
	TEST_CHECK_EQ(test_free_frames(), free_before);
}
