/*
 * init's side of the swap pager (swapclient.c): starting the swapper on the
 * first virtio-blk disk, asking it for its counters, and "kids": children
 * (the "child" program) whose memory the swapper serves, for the console's
 * memtest and make bench's swapbench (swapbench.c).
 */
#ifndef USER_INIT_SWAPCLIENT_H
#define USER_INIT_SWAPCLIENT_H

#include <pagoda/ipc.h>
#include <pagoda/syscalls.h>
#include <stddef.h>

#define SWAPCLIENT_BASE 0x0800000000UL /* where a kid_start kid's memory starts */
#define SWAPCLIENT_MAX (1UL << 30)     /* the most a console memtest kid may take */

/* The swapper's endpoint (HANDLE_NONE until swapper_start), and what
 * SWAP_START answered (0, or -ERR_* when there is no swap). */
extern long swapper_ep;
extern long swap_rc;
extern const char *swap_type; /* swapon -s: "disk" or "partition" */
extern char swap_name[40];    /* "virtio-blk@0x10008000" (+ "p2" for a partition) */

/* The first virtio-mmio window holding a block device, or NULL. */
const struct pg_device_info *swap_find_disk(void);

/* Spawns the swapper, sets swapper_ep from its hello and hands it every
 * virtio-mmio window and interrupt (SWAP_DEV, SWAP_DEV_IRQ). Returns its
 * process handle (the caller's), or -ERR_* after saying why. */
long swapper_spawn(void);

/* SWAP_START with that w0 and slot limit (swapper.h), where= from the
 * swap= boot argument; sets swap_rc and returns the swapper's reply. */
struct pg_msg swapper_start_with(unsigned long start_w0, unsigned long max_slots);

/* The console's swap: spawns and starts the swapper on the first
 * virtio-blk disk with the swap=, swappolicy=, swappool= and swapra= boot
 * arguments; sets swap_name and swap_type, and says why on the console
 * when there is no swap. */
void swapper_start(void);

struct swapstats {
	unsigned long pageins, pageouts, faults;
	unsigned long free, pool, cap; /* pool frames: free, had now, at most */
	unsigned long used, total, bad, kills; /* swap slots */
	unsigned long write_waits; /* faults on a page still being written behind */
};

/* Fills *s from SWAP_STATS, SWAP_SWAPINFO and SWAP_BEHIND; 0, or -1
 * (zeroed) without swap. */
int swap_stats(struct swapstats *s);

/* SWAP_HOLD (a test hook, swapper.h): hold = 1: writes behind stay in
 * flight until a wait needs them; 0: as usual. 0, or -1. */
int swap_hold(int hold);

/*
 * Spawns program `name` with the swapper as the pager of its stack, heap
 * and .bss (a new swapper client, *id): spawned suspended, told to the
 * swapper (SWAP_CLIENT, whole space), then started. Returns its process
 * handle, or -ERR_* (-ERR_NOENT without swap), and then nothing is left
 * over. When it has ended, SWAP_FORGET *id gives its pages back.
 */
long swap_spawn(const char *name, unsigned long priority, long bootstrap, unsigned long *id);

/* A "child" whose memory the swapper serves: with paged, its own heap
 * (swap_spawn); else the region [SWAPCLIENT_BASE, +size) of a child
 * spawned as usual (replay and swapbench keep the child's stack and heap
 * out of the pool, so the pool holds exactly the memory under test). */
struct kid {
	long proc, ep;
	unsigned long id; /* its swapper client, 0: none */
	int paged;
};

/* Spawns a child and gives it size bytes (a page multiple) of swapped
 * memory at SWAPCLIENT_BASE. The child waits for kid_memtest. 0 or -ERR_*;
 * on an error, call kid_end(k, 1) all the same. */
long kid_start(struct kid *k, unsigned long size);

/* Spawns a child with the swapper as its pager (swap_spawn); it waits for
 * kid_memtest, which then runs over its heap. As kid_start otherwise. */
long kid_start_paged(struct kid *k);

/* Sends a started kid its CMD_MEMTEST (pagoda/child.h) over its memory. */
long kid_memtest(struct kid *k, unsigned long size, unsigned long seed, unsigned long how);

/* kid_start_paged, then kid_memtest: a child running CMD_MEMTEST over
 * size bytes of its own heap. */
long kid_memtest_start(struct kid *k, unsigned long size, unsigned long seed, unsigned long how);

/* Tells a kid_start kid to serve memory requests (CMD_MEM): kid_touch. */
long kid_mem(struct kid *k);

/* MEM_TOUCH (how: MEM_TOUCH_WRITE, _CHECK, _READ) of one word in each of
 * the first `pages` pages of a kid_mem kid: the child's answer (for a
 * check, the pages holding a wrong word), or -ERR_* when the call failed
 * (the kid was killed at one of those pages, say). */
long kid_touch(struct kid *k, unsigned long pages, unsigned long how);

/* Waits for the kid (destroying it first if kill), returns the swapper's
 * clients and the handles; returns its exit status. */
long kid_end(struct kid *k, int kill);

#endif
