/*
 * The swap device (disk.c): the first virtio block device among the slots
 * init handed the swapper, or the GPT partition of it that swap=
 * PARTLABEL=name or swap=TYPE=swap names, checked (a foreign, too small or
 * read-only device is refused with a message naming it) and given a fresh
 * swap header (swapper.h).
 */
#ifndef USER_SWAPPER_DISK_H
#define USER_SWAPPER_DISK_H

#include <stdint.h>

#include "drivers/block.h"
#include "drivers/block_part.h"
#include "drivers/virtio/virtio_blk.h"

/* One virtio-mmio slot from SWAP_DEV / SWAP_DEV_IRQ (HANDLE_NONE: none). */
struct swap_dev_slot {
	long window, irq;
	uint64_t base, size;
};

struct swap_disk {
	struct virtio_blk blk;     /* the driver's state: must not move while open */
	struct block_part part;    /* the partition view, when one is used */
	struct block_dev *dev;     /* what swap goes to: &blk.bdev or &part.dev */
	char part_name[48];
	unsigned long part_number; /* the GPT partition used; 0: the whole disk */
	uint32_t spp;              /* sectors per 4 KiB page */
	unsigned long nslots;      /* slots of 4 KiB, slot 0 (the header) included */
};

/*
 * Opens the first of the ndevs slots that is a virtio block device, narrows
 * it to the partition `where` names (enum swap_where, label packed as in
 * SWAP_START), takes at most max_slots + 1 slots (0: as many as fit, up to
 * SWAP_MAX_SLOTS) and writes a fresh header. d must stay where it is while
 * the disk is in use. 0, or -ERR_* after a line saying why: -ERR_NOENT (no
 * device or partition), -ERR_BADFORMAT (foreign data, no usable GPT),
 * -ERR_NOSPC (too small or read-only), -ERR_INVAL (sectors over 4 KiB), or
 * the device's error.
 */
long swap_disk_open(struct swap_disk *d, const struct swap_dev_slot *devs, unsigned ndevs,
		    unsigned long max_slots, unsigned long where, unsigned long label);

/*
 * The raw disk through the same driver (SWAP_DISKBENCH): writes, then
 * reads, slots 1 .. pages of d sequentially in the shape of the swapper's
 * page-outs: batches of SWAP_CLUSTER one-page requests, up to `depth`
 * batches in flight (as many as write-behind keeps: the driver's best
 * sequential pace with that shape), using the SWAP_CLUSTER pages at buf
 * (physical pa) for every batch. pages is a multiple of SWAP_CLUSTER.
 * times[0], times[1]: rdtime ticks of each pass. 0 or the first error.
 */
long swap_disk_bench(struct swap_disk *d, unsigned long pages, unsigned depth,
		     void *const *buf, const uint64_t *pa, unsigned long times[2]);

#endif
