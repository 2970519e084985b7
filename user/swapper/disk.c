/*
 * The swapper's disk (disk.h): finding the swap device among the virtio
 * slots init handed over, narrowing it to a GPT partition when the command
 * line names one, and checking or writing its header.
 */
#include <pagoda/runtime.h>
#include <stdio.h>

#include "drivers/gpt.h"
#include "user/swapper/disk.h"
#include "user/swapper/swapper.h"

#define PAGE 4096UL

/*
 * Narrows dev to the GPT partition `where` names (swap=PARTLABEL=name or
 * swap=TYPE=swap), through a partition view of the disk. A disk without a
 * valid GPT, or without that partition, is refused with a message naming it.
 */
static long select_partition(struct swap_disk *d, unsigned long where, unsigned long packed_label)
{
	struct block_dev *dev = d->dev;
	char spec[32], label[9] = { 0 };
	for (unsigned i = 0; i < 8; i++)
		label[i] = (char)(packed_label >> (8 * i));
	if (where == SWAP_PARTLABEL)
		snprintf(spec, sizeof spec, "PARTLABEL=%s", label);
	else
		snprintf(spec, sizeof spec, "TYPE=swap");

	/* LBA 1 and the entry array, read into one buffer. */
	enum { GPT_BUF = 16 * PAGE };
	struct virtio_dma buf;
	long rc = virtio_dma_alloc(GPT_BUF, &buf);
	if (rc < 0)
		return rc;
	static struct gpt_header h;
	static struct gpt_partition parts[16];
	char why[128];
	uint32_t ss = dev->sector_size;
	rc = block_read(dev, 1, 1, buf.va, buf.pa);
	if (rc == 0)
		rc = gpt_parse_header(buf.va, ss, ss, dev->capacity_sectors, &h, why, sizeof why);
	else
		snprintf(why, sizeof why, "cannot read LBA 1: %s", err_text(rc));
	if (rc == 0 && gpt_array_sectors(&h) * ss > GPT_BUF) {
		snprintf(why, sizeof why, "its partition table (%lu sectors) is too large",
			 (unsigned long)gpt_array_sectors(&h));
		rc = -ERR_RANGE;
	}
	if (rc == 0 && (rc = block_read(dev, h.entries_lba, (uint32_t)gpt_array_sectors(&h), buf.va,
					buf.pa)) < 0)
		snprintf(why, sizeof why, "cannot read the partition table: %s", err_text(rc));
	int n = rc == 0 ? gpt_parse_entries(buf.va, GPT_BUF, &h, parts, 16, why, sizeof why) : (int)rc;
	virtio_dma_free(&buf);
	if (n < 0) {
		printf("swapper: %s: no usable GPT (%s); refusing it\n", dev->name, why);
		return -ERR_BADFORMAT;
	}
	int i = gpt_find(parts, (unsigned)n, spec);
	if (i < 0) {
		printf("swapper: %s: no single GPT partition %s (%s); refusing it\n", dev->name, spec,
		       err_text(i));
		return -ERR_NOENT;
	}
	snprintf(d->part_name, sizeof d->part_name, "%sp%u", dev->name, parts[i].number);
	d->part_number = parts[i].number;
	rc = block_part_init(&d->part, dev, parts[i].first_lba,
			     parts[i].last_lba - parts[i].first_lba + 1, d->part_name);
	if (rc < 0)
		return rc;
	d->dev = &d->part.dev;
	return 0;
}

long swap_disk_open(struct swap_disk *d, const struct swap_dev_slot *devs, unsigned ndevs,
		    unsigned long max_slots, unsigned long where, unsigned long label)
{
	long rc = -ERR_NOENT;
	d->part_number = 0;
	for (unsigned i = 0; i < ndevs && rc < 0; i++) {
		if (devs[i].window < 0 || devs[i].irq < 0)
			continue;
		rc = virtio_blk_open(&d->blk, devs[i].window, devs[i].base, devs[i].size, devs[i].irq);
	}
	if (rc < 0) {
		printf("swapper: no virtio block device to swap to (%s)\n", err_text(rc));
		return rc;
	}
	d->dev = &d->blk.bdev;
	if (where != SWAP_WHOLE_DISK && (rc = select_partition(d, where, label)) < 0)
		return rc;
	struct block_dev *dev = d->dev;
	if (dev->sector_size > PAGE || PAGE % dev->sector_size) {
		printf("swapper: %s: sectors of %u bytes; refusing it\n", dev->name, dev->sector_size);
		return -ERR_INVAL;
	}
	uint32_t spp = (uint32_t)(PAGE / dev->sector_size);
	unsigned long slots = dev->capacity_sectors / spp;
	if (slots > SWAP_MAX_SLOTS)
		slots = SWAP_MAX_SLOTS;
	if (max_slots && slots > max_slots + 1)
		slots = max_slots + 1;
	if (dev->read_only || slots < SWAP_MIN_SLOTS + 1) {
		printf("swapper: %s is %s (%lu KiB; at least %lu KiB needed, writable); refusing it\n",
		       dev->name, dev->read_only ? "read-only" : "too small for swap",
		       (unsigned long)(dev->capacity_sectors * dev->sector_size >> 10),
		       (SWAP_MIN_SLOTS + 1) * PAGE >> 10);
		return -ERR_NOSPC;
	}
	struct virtio_dma hdr;
	if ((rc = virtio_dma_alloc(PAGE, &hdr)) < 0)
		return rc;
	if ((rc = block_read(dev, 0, spp, hdr.va, hdr.pa)) < 0) {
		printf("swapper: %s: cannot read the header: %s\n", dev->name, err_text(rc));
	} else {
		switch (swap_header_check(hdr.va, PAGE)) {
		case SWAP_HDR_FOREIGN:
			printf("swapper: %s holds something else (not a Pagoda swap header); refusing it\n",
			       dev->name);
			rc = -ERR_BADFORMAT;
			break;
		case SWAP_HDR_EMPTY:
		case SWAP_HDR_OURS:
			/* Swap holds nothing across boots: (re)write the header. */
			swap_header_make(hdr.va, slots);
			rc = block_write(dev, 0, spp, hdr.va, hdr.pa);
			if (rc == 0)
				rc = block_flush(dev);
			if (rc < 0)
				printf("swapper: %s: cannot write the header: %s\n", dev->name,
				       err_text(rc));
			break;
		}
	}
	virtio_dma_free(&hdr);
	if (rc < 0)
		return rc;
	d->spp = spp;
	d->nslots = slots;
	printf("swapper: swapping to %s: %lu slots of 4 KiB\n", dev->name, slots - 1);
	return 0;
}


long swap_disk_bench(struct swap_disk *d, unsigned long pages, unsigned depth,
		     void *const *buf, const uint64_t *pa, unsigned long times[2])
{
	enum { MAX_DEPTH = 8 };
	struct block_req reqs[MAX_DEPTH][SWAP_CLUSTER];
	if (depth < 1)
		depth = 1;
	if (depth > MAX_DEPTH)
		depth = MAX_DEPTH;
	long rc = 0;
	for (int pass = 0; pass < 2 && rc == 0; pass++) {
		enum block_op op = pass == 0 ? BLOCK_WRITE : BLOCK_READ;
		unsigned long t0 = pg_rdtime(), batch = 0;
		for (unsigned long p = 0; p < pages && rc == 0; p += SWAP_CLUSTER, batch++) {
			struct block_req *b = reqs[batch % depth];
			if (batch >= depth && (rc = block_wait(d->dev, b, SWAP_CLUSTER)) < 0)
				break;
			for (unsigned i = 0; i < SWAP_CLUSTER; i++)
				b[i] = (struct block_req){ .op = op, .sector = (1 + p + i) * d->spp,
							   .count = d->spp, .buf = buf[i],
							   .buf_pa = pa[i] };
			if ((rc = block_start(d->dev, b, SWAP_CLUSTER)) == -ERR_AGAIN)
				rc = block_transfer(d->dev, b, SWAP_CLUSTER);
		}
		for (unsigned long k = 0; k < depth && k < batch; k++) {
			long w = block_wait(d->dev, reqs[k], SWAP_CLUSTER);
			if (rc == 0)
				rc = w;
		}
		times[pass] = pg_rdtime() - t0;
	}
	return rc;
}
