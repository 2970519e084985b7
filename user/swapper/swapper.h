/*
 * The swap pager (user/swapper/): anonymous memory served from a pool of
 * frames that follows the machine's low watermark, paged out to a virtio-blk
 * disk or partition. This header is its
 * protocol (control messages on its pager endpoint, from whoever set it up:
 * init) and the on-disk header of a swap device, shared with the tests.
 *
 * Start: spawn "swapper" with an endpoint as its bootstrap handle; it
 * announces its own endpoint (PAGER_HELLO, libpager's pager_announce).
 * Then, with pg_call on that endpoint:
 *   SWAP_DEV      w0 = window base, w1 = size, w2 = slot; handle = the
 *                 device window (one call per virtio-mmio slot)
 *   SWAP_DEV_IRQ  w2 = slot; handle = its interrupt
 *   SWAP_START    w0 = the pool's cap in frames (0: SWAP_MAX_POOL) in its
 *                 low 32 bits, the replacement policy (enum swap_policy_id;
 *                 0: CLOCK) in bits 32..39, the read-ahead window in pages
 *                 (0: the default, 16; 1: none; at most 32) in bits 40..47,
 *                 the low watermark in free frames of the machine (0: a
 *                 32nd of its frames, at least 2 x SWAP_CLUSTER) in bits
 *                 48..63 (SWAP_START_W0, SWAP_READAHEAD, SWAP_LOWMARK).
 *                 The pool starts at SWAP_CLUSTER frames and grows while
 *                 the machine's free frames are above the watermark,
 *                 w1 = at most this
 *                 many swap slots (0: the whole disk), w2 = where on the
 *                 disk (SWAP_WHOLE_DISK, or SWAP_PARTLABEL with w3 = the GPT
 *                 partition name, up to 8 bytes packed little-endian, or
 *                 SWAP_TYPE_SWAP: the partition of type Linux swap). Opens
 *                 the first virtio block device, checks (or writes) its header,
 *                 makes the pool. Reply w0 = 0 or -ERR_* (a foreign
 *                 disk: -ERR_BADFORMAT; too small: -ERR_NOSPC; no such
 *                 partition: -ERR_NOENT), w1 = the cap, w2 = swap slots,
 *                 w3 = the GPT partition number used (0: the whole disk).
 *   SWAP_CLIENT   w0 = client id (the badge its regions' handles carry),
 *                 w1 = region base, w2 = region size (both 0: any address:
 *                 a process spawned with this id's badged handle as its
 *                 pager, all of whose regions we serve); handle = the client's
 *                 process handle with RIGHT_READ | RIGHT_WRITE (for
 *                 ad_query and unmap). Then create the region with
 *                 pg_handle_mint(swapper_ep, RIGHT_WRITE, id).
 *                 The swapper watches the process (process_watch): when it
 *                 exits, its frames and slots return by themselves.
 *   SWAP_FORGET   w0 = client id: the client is gone (or going): its frames
 *                 and slots return. Reply w0 = 0, or -ERR_NOENT (also when
 *                 its exit returned them already).
 *   SWAP_STATS    reply w0 = page-ins, w1 = page-outs, w2 = faults,
 *                 w3 = SWAP_STATS_W3(free pool frames, pool frames, the cap)
 *   SWAP_SWAPINFO reply w0 = swap slots used, w1 = total, w2 = bad slots,
 *                 w3 = clients killed (out of swap or a read error)
 *   SWAP_PRINT    prints one summary line on the console; reply w0 = 0
 *   SWAP_DISKBENCH w0 = bytes: the raw sequential throughput of the swap
 *                 device with this driver and no paging (make bench's
 *                 disk_raw_mbps): writes then reads w0 bytes from slot 1 on,
 *                 SWAP_CLUSTER pages in flight per transfer, from pool frames (the
 *                 same buffers and request shape as page-outs). Only with no
 *                 client and nothing swapped (else -ERR_BUSY): it overwrites
 *                 swap slots. Reply w0 = 0 or -ERR_*, w1 = write time, w2 =
 *                 read time (rdtime ticks), w3 = the bytes moved each way.
 *   SWAP_TRIM     the machine is short of frames: give pool frames back
 *                 (evicting) until its free frames are a little above the
 *                 low watermark. The swapper's own trim thread sends it when
 *                 the kernel's mem_watch signals; anyone may. Reply w0 =
 *                 frames given back, w1 = pool frames now.
 *   SWAP_REAP     w0 = a set of client slots (bit i: slot i) whose process
 *                 may have exited: the swapper's own event thread sends it
 *                 when the kernel's process_watch signals. Each slot's
 *                 process is checked, and only one that has exited is
 *                 released, so a stale or stray bit does nothing. Reply
 *                 w0 = clients released.
 *   SWAP_AHEAD    reply w0 = pages read ahead, w1 = pages zero-filled ahead
 *                 (mapped past a sequential first write), w2 = of those,
 *                 evicted still all zero (dropped, no I/O), w3 =
 *                 SWAP_AHEAD_W3(accessed bits the policy asked, pg_ad_query
 *                 calls that read them): the fault-around counters.
 *   SWAP_BEHIND   reply w0 = pages read ahead behind the client (read
 *                 while it ran, and used), w1 = faults that waited for
 *                 such a read, w2 = pages being read ahead now, w3 =
 *                 faults on a page whose write behind was still in flight
 *                 (they waited for the writes).
 *   SWAP_HOLD     a test hook: w0 = 1: completed writes behind are taken in
 *                 only when a wait needs them (a fault on a page being
 *                 written, every batch busy, a control message), never by
 *                 polling, so a page evicted lately is still in flight at its
 *                 next fault whatever the device's speed; w0 = 0: as usual.
 * An unknown label or bad arguments: a reply labelled PAGER_FAIL, w0 = the
 * error. Successful replies carry the request's label.
 */
#ifndef USER_SWAPPER_SWAPPER_H
#define USER_SWAPPER_SWAPPER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum swap_label {
	SWAP_DEV = 0x70,
	SWAP_DEV_IRQ,
	SWAP_START,
	SWAP_CLIENT,
	SWAP_FORGET,
	SWAP_STATS,
	SWAP_SWAPINFO,
	SWAP_PRINT,
	SWAP_DISKBENCH,
	SWAP_TRIM,
	SWAP_REAP,
	SWAP_AHEAD,
	SWAP_BEHIND,
	SWAP_HOLD,
};

/* SWAP_START's w2: which part of the disk holds swap (the kernel command
 * line's swap=vda, swap=PARTLABEL=name, swap=TYPE=swap). */
enum swap_where { SWAP_WHOLE_DISK = 0, SWAP_PARTLABEL = 1, SWAP_TYPE_SWAP = 2 };

/* SWAP_START's w0 bits 32..39: which replacement policy (user/swapper/
 * policy.h) picks the pages to evict (the kernel command line's
 * swappolicy=clock|fifo|random|clockpro). Unknown: -ERR_INVAL. */
enum swap_policy_id {
	SWAP_POLICY_CLOCK = 0,
	SWAP_POLICY_FIFO = 1,
	SWAP_POLICY_RANDOM = 2,
	SWAP_POLICY_CLOCKPRO = 3,
};
/* What init asks for when swappolicy= is absent: scan resistant, and
 * closest to OPT across pool sizes (docs/bench.md, "Replacement
 * policies"). A SWAP_START word of 0 still means CLOCK (the ABI's 0). */
#define SWAP_POLICY_DEFAULT SWAP_POLICY_CLOCKPRO
#define SWAP_POLICY_SHIFT 32
#define SWAP_START_W0(pool, policy) \
	((unsigned long)(pool) | (unsigned long)(policy) << SWAP_POLICY_SHIFT)
#define SWAP_READAHEAD_SHIFT 40
#define SWAP_READAHEAD(pages) ((unsigned long)(pages) << SWAP_READAHEAD_SHIFT)
/* SWAP_AHEAD's w3: two counts, each modulo 2^32. */
#define SWAP_AHEAD_W3(asked, calls) (((unsigned long)(asked) & 0xffffffffUL) << 32 | \
				     ((unsigned long)(calls) & 0xffffffffUL))

/* SWAP_STATS's w3: three frame counts of at most SWAP_MAX_POOL. */
#define SWAP_STATS_W3(free, pool, cap) \
	((unsigned long)(free) | (unsigned long)(pool) << 20 | (unsigned long)(cap) << 40)
#define SWAP_STATS_FIELD(w3, i) (((w3) >> (20 * (i))) & 0xfffffUL)
#define SWAP_LOWMARK_SHIFT 48
#define SWAP_LOWMARK(frames) ((unsigned long)(frames) << SWAP_LOWMARK_SHIFT)

/* The pool's cap, in frames (SWAP_START's pool, 0: this). The swapper
 * holds a frame handle for each (its handle table grows with the pool, up
 * to HANDLE_TABLE_MAX) and its quota pays for them: the pool stops growing
 * when the quota runs low, as when the machine's free frames reach the low
 * watermark. */
#define SWAP_MAX_POOL 4096 /* 16 MiB; uint16_t frame numbers (+ 1) still fit */
/* Victims the policy names per reclaim, written in one transfer (the host
 * simulator, tests/host/policysim.c, replays the same discipline). */
#define SWAP_CLUSTER 8
#define SWAP_MIN_SLOTS 64     /* a smaller disk is refused */
#define SWAP_MAX_SLOTS (1UL << 18) /* 1 GiB of swap at most is used */
#define SWAP_MAX_CLIENTS 16

/*
 * The header in the first 4 KiB of the disk (slot 0; slot i is the 4 KiB
 * at byte offset 4096 * i). Little-endian.
 */
#define SWAP_MAGIC "PAGODA-SWAP"
#define SWAP_VERSION 1
struct swap_header {
	char magic[16];   /* "PAGODA-SWAP", NUL padded */
	uint32_t version; /* SWAP_VERSION */
	uint32_t page_size; /* 4096 */
	uint64_t slots;   /* slots on the device, slot 0 (this header) included */
};

enum swap_header_verdict {
	SWAP_HDR_OURS,    /* a Pagoda swap header */
	SWAP_HDR_EMPTY,   /* all zero: free to take (write a header) */
	SWAP_HDR_FOREIGN, /* something else: refuse */
};

/* What the first len bytes of a disk hold. */
static inline enum swap_header_verdict swap_header_check(const void *first, size_t len)
{
	const struct swap_header *h = first;
	if (len >= sizeof *h && memcmp(h->magic, SWAP_MAGIC, sizeof SWAP_MAGIC) == 0 &&
	    h->version == SWAP_VERSION && h->page_size == 4096)
		return SWAP_HDR_OURS;
	const unsigned char *b = first;
	for (size_t i = 0; i < len; i++)
		if (b[i])
			return SWAP_HDR_FOREIGN;
	return SWAP_HDR_EMPTY;
}

/* Fills a 4 KiB header page for a disk of `slots` slots. */
static inline void swap_header_make(void *page, uint64_t slots)
{
	memset(page, 0, 4096);
	struct swap_header *h = page;
	memcpy(h->magic, SWAP_MAGIC, sizeof SWAP_MAGIC);
	h->version = SWAP_VERSION;
	h->page_size = 4096;
	h->slots = slots;
}

#endif
