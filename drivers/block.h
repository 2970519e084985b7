/*
 * The block-device interface: what a swap pager (or anything else) needs
 * from a disk, so virtio-blk, an SD/MMC or an NVMe driver can serve it.
 *
 * A device is an array of capacity_sectors sectors of sector_size bytes
 * (a power of two >= 512; the device's logical block size). Transfers move
 * whole sectors between the disk and one buffer that is contiguous both
 * virtually (buf, for drivers that copy by CPU) and physically (buf_pa, for
 * drivers that DMA): frames from pg_frame_alloc are. The driver splits a
 * transfer that exceeds the hardware's limits (segment count and size,
 * request size); the caller never needs to know them.
 *
 * Several requests go in at once through transfer(): the driver puts as
 * many in flight as the hardware takes, and returns when all of them are
 * done (submit N, wait for all). Each request gets its own status; the call
 * returns 0 if all succeeded, else the first failed request's status.
 * Requests in one call may complete in any order; a read and a write of the
 * same sector in one call have no defined order.
 *
 * Statuses: 0; -ERR_INVAL (unknown op, count 0, no buffer); -ERR_RANGE
 * (sectors beyond capacity, or the byte count overflows): refused before
 * the device sees anything; -ERR_PERM (write to a read-only device); -ERR_IO
 * (the device reported an error, or misbehaved). A flush makes every
 * completed write durable; a device without a volatile write cache does
 * nothing for it and succeeds.
 *
 * Without waiting: start() hands requests to the device and returns;
 * each completes later, when poll() takes in its completion (a request is
 * done when its pending count is 0 again; its status is then final).
 * A caller starts write-behind this way and goes on working while the
 * disk writes. While a request is in flight its buffer and the request
 * itself belong to the driver (so do its sector and pending fields).
 * transfer() may be called while started requests are in flight; it
 * returns when its own are done (and may take in others' meanwhile).
 *
 * Single-threaded: one caller at a time per device.
 */
#ifndef DRIVERS_BLOCK_H
#define DRIVERS_BLOCK_H

#include <pagoda/errno.h>
#include <stdbool.h>
#include <stdint.h>

enum block_op { BLOCK_READ = 1, BLOCK_WRITE = 2, BLOCK_FLUSH = 3 };

struct block_req {
	enum block_op op;
	uint64_t sector; /* first sector (ignored by BLOCK_FLUSH) */
	uint32_t count;  /* sectors (ignored by BLOCK_FLUSH) */
	void *buf;       /* count * sector_size bytes, virtually contiguous */
	uint64_t buf_pa; /* the same bytes' physical address (contiguous) */
	long status;     /* out: 0 or -ERR_* */
	uint32_t pending; /* the driver's own: pieces still in flight */
};

struct block_dev;

struct block_ops {
	/* Does all n requests (several in flight), waits for all; 0 or the
	 * first error. */
	long (*transfer)(struct block_dev *dev, struct block_req *reqs, unsigned n);
	/* Starts all n requests without waiting: 0; -ERR_AGAIN if the
	 * device cannot take them all now (none started: poll, or transfer
	 * them). A request its checks refuse is done at once with its
	 * status. May be NULL: block_start then transfers. */
	long (*start)(struct block_dev *dev, struct block_req *reqs, unsigned n);
	/* Takes in completions; with wait, first waits until one more
	 * request completes, unless none is in flight. Returns the requests
	 * (pieces) still in flight. */
	unsigned (*poll)(struct block_dev *dev, bool wait);
};

struct block_dev {
	const struct block_ops *ops;
	const char *name;          /* "virtio-blk@0x10008000" */
	uint64_t capacity_sectors; /* in sector_size units */
	uint32_t sector_size;      /* bytes */
	bool read_only;
	void *driver; /* the driver's own state */
};

static inline long block_transfer(struct block_dev *dev, struct block_req *reqs, unsigned n)
{
	return dev->ops->transfer(dev, reqs, n);
}

/* ops->start, or for a device without one, transfer (all done on return). */
static inline long block_start(struct block_dev *dev, struct block_req *reqs, unsigned n)
{
	if (!dev->ops->start) {
		dev->ops->transfer(dev, reqs, n);
		return 0;
	}
	return dev->ops->start(dev, reqs, n);
}

/* ops->poll; 0 for a device without start (nothing is ever in flight). */
static inline unsigned block_poll(struct block_dev *dev, bool wait)
{
	return dev->ops->poll ? dev->ops->poll(dev, wait) : 0;
}

/* Waits until every request of reqs[0..n) (started) is done; 0 or the
 * first one's error. */
static inline long block_wait(struct block_dev *dev, struct block_req *reqs, unsigned n)
{
	long first = 0;
	for (unsigned i = 0; i < n; i++) {
		while (reqs[i].pending)
			if (block_poll(dev, true) == 0 && reqs[i].pending)
				return -ERR_IO; /* pending with nothing in flight: cannot happen */
		if (reqs[i].status < 0 && first == 0)
			first = reqs[i].status;
	}
	return first;
}

static inline long block_rw(struct block_dev *dev, enum block_op op, uint64_t sector,
			    uint32_t count, void *buf, uint64_t buf_pa)
{
	struct block_req r = { .op = op, .sector = sector, .count = count, .buf = buf, .buf_pa = buf_pa };
	return dev->ops->transfer(dev, &r, 1);
}

/* read(dev, sector, count, buf, buf_pa), write(...), flush(dev). */
static inline long block_read(struct block_dev *dev, uint64_t sector, uint32_t count, void *buf,
			      uint64_t buf_pa)
{
	return block_rw(dev, BLOCK_READ, sector, count, buf, buf_pa);
}

static inline long block_write(struct block_dev *dev, uint64_t sector, uint32_t count, void *buf,
			       uint64_t buf_pa)
{
	return block_rw(dev, BLOCK_WRITE, sector, count, buf, buf_pa);
}

static inline long block_flush(struct block_dev *dev)
{
	struct block_req r = { .op = BLOCK_FLUSH };
	return dev->ops->transfer(dev, &r, 1);
}

#endif
