/*
 * virtio-blk (virtio 1.2, section 5.2) over virtio-mmio, in user space,
 * behind the block interface of drivers/block.h.
 *
 * Features taken when offered: SIZE_MAX and SEG_MAX (honoured: a transfer
 * is cut into requests of at most seg_max data descriptors of at most
 * size_max bytes each), BLK_SIZE (the block interface's sector_size), FLUSH
 * (else a flush succeeds without the device: it has no volatile cache), RO
 * (writes are refused with -ERR_PERM). One request queue of up to
 * VBLK_QUEUE_SIZE entries; up to VBLK_SLOTS requests in flight. Completion is
 * interrupt-driven: the driver binds the device's interrupt to a
 * notification, waits on it, reads and acknowledges InterruptStatus,
 * acknowledges the interrupt (pg_irq_ack) and reaps the used ring. Each
 * request's status byte is checked (IOERR, UNSUPP or anything else: -ERR_IO).
 * A device that corrupts the used ring is reported, reset (so it drops every
 * buffer) and every request in flight fails with -ERR_IO; the device is then
 * dead until closed and opened again.
 *
 * Every piece of memory the device sees comes from pg_frame_alloc (the
 * queue, the request headers and status bytes); data buffers are the
 * caller's (struct block_req: buf and buf_pa).
 */
#ifndef DRIVERS_VIRTIO_VIRTIO_BLK_H
#define DRIVERS_VIRTIO_VIRTIO_BLK_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/block.h"
#include "drivers/virtio/virtio_mmio.h"
#include "drivers/virtio/virtqueue.h"

/* Feature bits. */
#define VIRTIO_BLK_F_SIZE_MAX 1
#define VIRTIO_BLK_F_SEG_MAX 2
#define VIRTIO_BLK_F_GEOMETRY 4
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_F_FLUSH 9

/* Configuration space offsets (from VIRTIO_MMIO_CONFIG, both versions). */
#define VIRTIO_BLK_CFG_CAPACITY 0  /* u64, 512-byte sectors */
#define VIRTIO_BLK_CFG_SIZE_MAX 8  /* u32 */
#define VIRTIO_BLK_CFG_SEG_MAX 12  /* u32 */
#define VIRTIO_BLK_CFG_BLK_SIZE 20 /* u32 */

/* Request types and status values. */
#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_T_GET_ID 8
#define VIRTIO_BLK_S_OK 0
#define VIRTIO_BLK_S_IOERR 1
#define VIRTIO_BLK_S_UNSUPP 2

#define VBLK_QUEUE_SIZE 128 /* queue entries we ask for (fewer if the device has fewer) */
#define VBLK_SLOTS 64       /* requests in flight at most */
#define VBLK_MAX_SEGS 64    /* data descriptors per request at most (ours) */
#define VBLK_SEG_BYTES (4UL << 20) /* bytes per descriptor without SIZE_MAX */

/* The header the device reads first. */
struct virtio_blk_req_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector; /* in 512-byte units, whatever blk_size is */
};

struct virtio_blk_stats {
	unsigned long requests;   /* requests handed to the device */
	unsigned long notifies;   /* QueueNotify writes (kicks) */
	unsigned long interrupts; /* wake-ups by the device's interrupt */
	unsigned long flushes;    /* flush requests handed to the device */
	unsigned long splits;     /* requests beyond the first, from cutting transfers */
	unsigned long errors;     /* requests that failed with -ERR_IO */
	unsigned max_inflight;    /* the most requests in flight at once */
	unsigned max_segments;    /* the most data descriptors in one request */
};

struct vblk_slot {
	struct block_req *req; /* NULL: free */
	volatile struct virtio_blk_req_hdr *hdr;
	uint64_t hdr_pa;
	volatile uint8_t *status;
	uint64_t status_pa;
};

struct virtio_blk {
	struct block_dev bdev; /* what users of the block interface see */
	struct virtio_mmio mmio;
	struct virtq vq;
	struct virtio_dma ring, hdrs;
	volatile void *window;
	size_t window_size;
	long irq, note;         /* the device's interrupt, and our notification */
	uint64_t capacity512;   /* from the configuration space */
	uint32_t blk_size;      /* bytes: bdev.sector_size */
	uint32_t dev_seg_max;   /* the device's limits (0: none given) */
	uint32_t dev_size_max;
	uint32_t seg_max;       /* what we use: data descriptors per request */
	uint32_t seg_bytes;     /* and bytes per descriptor (a multiple of blk_size) */
	bool flush;             /* VIRTIO_BLK_F_FLUSH negotiated */
	bool dead;              /* the device misbehaved: it was reset */
	unsigned inflight;
	char name[40];
	struct vblk_slot slots[VBLK_SLOTS];
	struct virtio_blk_stats stats;
};

/*
 * Maps the window (frame handle `window`, physical base, size bytes),
 * checks a virtio-blk device is there and brings it up with its interrupt
 * (handle irq). blk must stay where it is while open. Returns 0, -ERR_NOENT
 * (no block device in that slot), or another -ERR_*; on failure nothing is
 * left mapped or allocated.
 */
long virtio_blk_open(struct virtio_blk *blk, long window, uint64_t base, size_t size, long irq);

/* Resets the device and gives back everything open took. */
void virtio_blk_close(struct virtio_blk *blk);

/*
 * Lowers the limits the driver uses (0: the device's): at most seg_max data
 * descriptors of at most seg_bytes bytes (rounded down to blk_size) per
 * request. Never above the device's own. Returns 0 or -ERR_INVAL
 * (seg_bytes below one block).
 */
long virtio_blk_set_limits(struct virtio_blk *blk, uint32_t seg_max, uint32_t seg_bytes);

/*
 * One request of any type (sector in 512-byte units) with one optional data
 * buffer (len 0: none) that the device reads or writes; waits for it.
 * For tests and for request types the block interface has no name for.
 * Returns 0 or -ERR_IO (status byte not OK), or another -ERR_*.
 */
long virtio_blk_raw(struct virtio_blk *blk, uint32_t type, uint64_t sector, uint64_t buf_pa,
		    uint32_t len, bool device_writes);

#endif
