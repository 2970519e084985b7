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

#define SWAPCLIENT_CHUNK (64UL << 20) /* the swapper's MAX_REGION_PAGES: one client */
#define SWAPCLIENT_MAX_CHUNKS 4       /* so a kid has at most 256 MiB */
#define SWAPCLIENT_BASE 0x0800000000UL /* where a kid's memory starts */

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
	unsigned long pageins, pageouts, faults, free, pool;
	unsigned long used, total, bad, kills; /* swap slots */
};

/* Fills *s from SWAP_STATS and SWAP_SWAPINFO; 0, or -1 (zeroed) without swap. */
int swap_stats(struct swapstats *s);

/* A child whose [SWAPCLIENT_BASE, +size) the swapper serves. */
struct kid {
	long proc, ep;
	unsigned long ids[SWAPCLIENT_MAX_CHUNKS]; /* its swapper clients */
	unsigned nids;
};

/* Spawns a child and gives it size bytes (a page multiple, at most
 * SWAPCLIENT_MAX_CHUNKS chunks) of swapped memory, one swapper client per
 * chunk. The child waits for kid_memtest. 0 or -ERR_*; on an error, call
 * kid_end(k, 1) all the same. */
long kid_start(struct kid *k, unsigned long size);

/* Sends a started kid its CMD_MEMTEST (pagoda/child.h) over its memory. */
long kid_memtest(struct kid *k, unsigned long size, unsigned long seed, unsigned long how);

/* kid_start, then kid_memtest: a child running CMD_MEMTEST over size. */
long kid_memtest_start(struct kid *k, unsigned long size, unsigned long seed, unsigned long how);

/* Waits for the kid (destroying it first if kill), returns the swapper's
 * clients and the handles; returns its exit status. */
long kid_end(struct kid *k, int kill);

#endif
