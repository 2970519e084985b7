/*
 * blktest: the virtio-blk driver (drivers/virtio/) against a real virtio
 * disk under QEMU. init starts it with the boot argument "blktest" and
 * hands it every virtio-mmio window and interrupt (blktest.h); it drives
 * the first slot with a block device (device id 2) through the block
 * interface (drivers/block.h) and runs the U-BLK tests. It prints
 * "blktest: legacy" or "blktest: modern" for the transport it found.
 * tests/suites/70-virtio.sh boots it twice (both transports), each time
 * with a fresh, zeroed disk image of BLKTEST_DEFAULT_DISK_BYTES or the
 * boot argument blkdisk=BYTES. Exit status: the number of failed tests.
 */
#include <pagoda/ipc.h>
#include <pagoda/runtime.h>
#include <pagoda/test.h>
#include <stdio.h>
#include <string.h>

#include "drivers/block.h"
#include "drivers/virtio/virtio_blk.h"
#include "drivers/virtio/virtio_mmio.h"
#include "user/blktest/blktest.h"

const char *progname = "blktest";

struct slot {
	bool present;
	long window, irq;
	uint64_t base, size;
	unsigned irqno;
};

static struct slot slots[BLKTEST_MAX_SLOTS];
static unsigned nslots;
static unsigned long expect_bytes = BLKTEST_DEFAULT_DISK_BYTES;

static struct virtio_blk blk; /* big, and must not move while open */
static struct block_dev *dev; /* &blk.bdev once open */
static int chosen = -1;       /* its slot */

#define BUF_BYTES (256UL << 10)
static struct virtio_dma wbuf, rbuf;

/* ---- patterns -------------------------------------------------------------- */

/* The word at (sector, word index) for a seed: cheap, and different for
 * every sector and every seed. */
static inline uint32_t pattern_word(uint64_t sector, unsigned i, uint32_t seed)
{
	uint32_t x = (uint32_t)sector * 0x9e3779b1u ^ (uint32_t)(sector >> 32) ^ seed;
	return x + i * 0x85ebca77u;
}

static void fill(void *buf, uint64_t sector, uint32_t count, uint32_t seed)
{
	uint32_t *w = buf;
	unsigned per = dev->sector_size / 4;
	for (uint32_t s = 0; s < count; s++)
		for (unsigned i = 0; i < per; i++)
			*w++ = pattern_word(sector + s, i, seed);
}

/* Checks every byte of buf against the pattern; reports the first
 * mismatch. Uses wbuf's second half as scratch only if buf is not in it. */
static bool verify(const void *buf, uint64_t sector, uint32_t count, uint32_t seed)
{
	const uint8_t *b = buf;
	unsigned ss = dev->sector_size;
	for (uint32_t s = 0; s < count; s++) {
		uint32_t expect[1024]; /* up to a 4 KiB sector */
		unsigned per = ss / 4 <= 1024 ? ss / 4 : 1024;
		for (unsigned i = 0; i < per; i++)
			expect[i] = pattern_word(sector + s, i, seed);
		if (memcmp(b + (size_t)s * ss, expect, per * 4) != 0) {
			const uint8_t *e = (const uint8_t *)expect;
			unsigned at = 0;
			while (at < per * 4 && b[(size_t)s * ss + at] == e[at])
				at++;
			printf("blktest: sector %lu byte %u: read %#x, wrote %#x\n",
			       (unsigned long)(sector + s), at, b[(size_t)s * ss + at], e[at]);
			return false;
		}
	}
	return true;
}

static bool all_zero(const void *buf, size_t len)
{
	const uint8_t *b = buf;
	for (size_t i = 0; i < len; i++)
		if (b[i])
			return false;
	return true;
}

/* ---- getting the devices from init ---------------------------------------- */

static void receive_devices(void)
{
	long ep = runtime_bootstrap_handle();
	if (ep < 0)
		pg_panic("no bootstrap endpoint: start me through init (boot argument blktest)");
	for (;;) {
		struct pg_msg m = ipc_recv(ep);
		if (m.status < 0)
			pg_panic("recv from init: %s", err_text(m.status));
		unsigned long label = msg_label(m), n = m.w[3];
		if (label == BLKTEST_MSG_END) {
			if (m.w[0])
				expect_bytes = m.w[0];
			return;
		}
		if (n >= BLKTEST_MAX_SLOTS || msg_handle(m) < 0)
			continue;
		if (label == BLKTEST_MSG_WINDOW) {
			slots[n] = (struct slot){ .present = true, .window = msg_handle(m), .irq = HANDLE_NONE,
						  .base = m.w[0], .size = m.w[1], .irqno = (unsigned)m.w[2] };
			if (n + 1 > nslots)
				nslots = (unsigned)n + 1;
		} else if (label == BLKTEST_MSG_IRQ) {
			slots[n].irq = msg_handle(m);
		}
	}
}

static bool need_dev(void)
{
	if (!dev)
		test_failed(__FILE__, __LINE__, "no virtio block device is open");
	return dev != NULL;
}

/* ---- the tests --------------------------------------------------------------- */

/* U-BLK-001 */
static void t_probe(void)
{
	TEST_CHECK(nslots > 0);
	unsigned empty = 0, blocks = 0, others = 0;
	for (unsigned i = 0; i < nslots; i++) {
		if (!slots[i].present)
			continue;
		volatile void *w;
		struct virtio_mmio m;
		TEST_CHECK_EQ(virtio_window_map(slots[i].window, slots[i].base, slots[i].size, &w), 0);
		long rc = virtio_mmio_probe(&m, w, slots[i].size, slots[i].base);
		virtio_window_unmap(w, slots[i].size);
		if (rc == -ERR_NOENT)
			empty++;
		else if (rc == 0 && m.device_id == VIRTIO_ID_BLOCK)
			blocks++;
		else
			others++;
		if (rc == 0 && m.device_id == VIRTIO_ID_BLOCK && chosen < 0)
			chosen = (int)i;
	}
	printf("blktest: %u virtio-mmio slots: %u block, %u empty, %u other\n", nslots, blocks,
	       empty, others);
	TEST_CHECK(chosen >= 0);
	struct slot *s = &slots[chosen];
	TEST_CHECK(s->irq >= 0);
	long rc = virtio_blk_open(&blk, s->window, s->base, s->size, s->irq);
	if (rc < 0)
		printf("blktest: virtio_blk_open: %s\n", err_text(rc));
	TEST_CHECK_EQ(rc, 0);
	dev = &blk.bdev;
	printf("blktest: %s\n", virtio_mmio_transport(&blk.mmio));
	printf("blktest: %s irq %u: version %u, features %#lx, %lu sectors of %u bytes, "
	       "queue %u, device limits: %u segments of %u bytes (0: none)%s%s\n",
	       dev->name, s->irqno, blk.mmio.version, (unsigned long)blk.mmio.features,
	       (unsigned long)dev->capacity_sectors, dev->sector_size, blk.vq.num, blk.dev_seg_max,
	       blk.dev_size_max, blk.flush ? ", flush" : "", dev->read_only ? ", read-only" : "");
	TEST_CHECK(blk.mmio.version == 1 || blk.mmio.version == 2);
	if (blk.mmio.version == 2)
		TEST_CHECK(blk.mmio.features & VIRTIO_FEATURE(VIRTIO_F_VERSION_1));
	else
		TEST_CHECK((blk.mmio.features >> 32) == 0);
	TEST_CHECK(virtio_mmio_status(&blk.mmio) & VIRTIO_STATUS_DRIVER_OK);
	TEST_CHECK(!(virtio_mmio_status(&blk.mmio) & VIRTIO_STATUS_FAILED));
	TEST_CHECK(!dev->read_only);
	TEST_CHECK(blk.seg_max >= 1 && (!blk.dev_seg_max || blk.seg_max <= blk.dev_seg_max));
	TEST_CHECK(blk.seg_bytes >= dev->sector_size);
	TEST_CHECK(!blk.dev_size_max || blk.seg_bytes <= blk.dev_size_max);
}

/* U-BLK-002 */
static void t_capacity(void)
{
	if (!need_dev())
		return;
	TEST_CHECK_EQ(dev->capacity_sectors * dev->sector_size, expect_bytes);
	/* A fresh image: the first and the last sector read back as zeros
	 * (the buffer holds a pattern before). */
	fill(rbuf.va, 0, 1, 0xdead);
	TEST_CHECK_EQ(block_read(dev, 0, 1, rbuf.va, rbuf.pa), 0);
	TEST_CHECK(all_zero(rbuf.va, dev->sector_size));
	fill(rbuf.va, 0, 1, 0xdead);
	TEST_CHECK_EQ(block_read(dev, dev->capacity_sectors - 1, 1, rbuf.va, rbuf.pa), 0);
	TEST_CHECK(all_zero(rbuf.va, dev->sector_size));
}

#define SEED_DISK 0x5eed0001u

/* U-BLK-003: the whole disk, first to last sector. */
static void t_pattern(void)
{
	if (!need_dev())
		return;
	uint64_t cap = dev->capacity_sectors;
	uint32_t chunk = (uint32_t)(BUF_BYTES / dev->sector_size);
	for (uint64_t s = 0; s < cap; s += chunk) {
		uint32_t n = cap - s < chunk ? (uint32_t)(cap - s) : chunk;
		fill(wbuf.va, s, n, SEED_DISK);
		TEST_CHECK_EQ(block_write(dev, s, n, wbuf.va, wbuf.pa), 0);
	}
	for (uint64_t s = 0; s < cap; s += chunk) {
		uint32_t n = cap - s < chunk ? (uint32_t)(cap - s) : chunk;
		memset(rbuf.va, 0xa5, (size_t)n * dev->sector_size);
		TEST_CHECK_EQ(block_read(dev, s, n, rbuf.va, rbuf.pa), 0);
		TEST_CHECK(verify(rbuf.va, s, n, SEED_DISK));
	}
	/* The last sector alone, and the first, as single-sector requests. */
	TEST_CHECK_EQ(block_read(dev, cap - 1, 1, rbuf.va, rbuf.pa), 0);
	TEST_CHECK(verify(rbuf.va, cap - 1, 1, SEED_DISK));
	TEST_CHECK_EQ(block_read(dev, 0, 1, rbuf.va, rbuf.pa), 0);
	TEST_CHECK(verify(rbuf.va, 0, 1, SEED_DISK));
}

#define NBATCH 16
#define BATCH_SECTORS 32 /* 16 KiB each at 512 bytes */
#define SEED_BATCH 0xba7c4001u

/* U-BLK-004 */
static void t_inflight(void)
{
	if (!need_dev())
		return;
	TEST_CHECK((size_t)NBATCH * BATCH_SECTORS * dev->sector_size <= BUF_BYTES);
	uint64_t span = dev->capacity_sectors / NBATCH;
	TEST_CHECK(span >= 2 * BATCH_SECTORS);
	struct block_req reqs[NBATCH];
	size_t bytes = (size_t)BATCH_SECTORS * dev->sector_size;
	/* Scattered, and in descending order: request i lands in span NBATCH-1-i. */
	for (unsigned i = 0; i < NBATCH; i++) {
		uint64_t sector = (NBATCH - 1 - i) * span + (i * 37) % (span - BATCH_SECTORS);
		uint8_t *b = (uint8_t *)wbuf.va + i * bytes;
		fill(b, sector, BATCH_SECTORS, SEED_BATCH);
		reqs[i] = (struct block_req){ .op = BLOCK_WRITE, .sector = sector,
					      .count = BATCH_SECTORS, .buf = b,
					      .buf_pa = wbuf.pa + i * bytes };
	}
	blk.stats.max_inflight = 0;
	unsigned long irqs = blk.stats.interrupts, notifies = blk.stats.notifies;
	TEST_CHECK_EQ(block_transfer(dev, reqs, NBATCH), 0);
	for (unsigned i = 0; i < NBATCH; i++)
		TEST_CHECK_EQ(reqs[i].status, 0);
	printf("blktest: %u writes: %u in flight at most, %lu notifies, %lu interrupts\n", NBATCH,
	       blk.stats.max_inflight, blk.stats.notifies - notifies, blk.stats.interrupts - irqs);
	TEST_CHECK_EQ(blk.stats.max_inflight, NBATCH);
	TEST_CHECK_EQ(blk.stats.notifies - notifies, 1); /* all submitted, then one kick */

	for (unsigned i = 0; i < NBATCH; i++) {
		reqs[i].op = BLOCK_READ;
		reqs[i].buf = (uint8_t *)rbuf.va + i * bytes;
		reqs[i].buf_pa = rbuf.pa + i * bytes;
		memset(reqs[i].buf, 0x5a, bytes);
	}
	blk.stats.max_inflight = 0;
	TEST_CHECK_EQ(block_transfer(dev, reqs, NBATCH), 0);
	TEST_CHECK_EQ(blk.stats.max_inflight, NBATCH);
	for (unsigned i = 0; i < NBATCH; i++) {
		TEST_CHECK_EQ(reqs[i].status, 0);
		TEST_CHECK(verify(reqs[i].buf, reqs[i].sector, BATCH_SECTORS, SEED_BATCH));
	}
	/* Sectors around the batch still hold the whole-disk pattern. */
	uint64_t after = reqs[0].sector + BATCH_SECTORS;
	TEST_CHECK_EQ(block_read(dev, after, 1, rbuf.va, rbuf.pa), 0);
	TEST_CHECK(verify(rbuf.va, after, 1, SEED_DISK));
}

/* U-BLK-005 */
static void t_flush(void)
{
	if (!need_dev())
		return;
	TEST_CHECK(blk.flush); /* QEMU offers it with its default write-back cache */
	unsigned long flushes = blk.stats.flushes;
	TEST_CHECK_EQ(block_flush(dev), 0);
	TEST_CHECK_EQ(blk.stats.flushes - flushes, 1);
	/* A write and a flush in one call. */
	fill(wbuf.va, 100, 1, SEED_DISK);
	struct block_req reqs[2] = {
		{ .op = BLOCK_WRITE, .sector = 100, .count = 1, .buf = wbuf.va, .buf_pa = wbuf.pa },
		{ .op = BLOCK_FLUSH },
	};
	TEST_CHECK_EQ(block_transfer(dev, reqs, 2), 0);
	TEST_CHECK_EQ(blk.stats.flushes - flushes, 2);
}

/* U-BLK-006 */
static void t_beyond(void)
{
	if (!need_dev())
		return;
	uint64_t cap = dev->capacity_sectors;
	unsigned long requests = blk.stats.requests, notifies = blk.stats.notifies;
	memset(rbuf.va, 0x77, 2 * dev->sector_size);
	TEST_CHECK_EQ(block_read(dev, cap, 1, rbuf.va, rbuf.pa), -ERR_RANGE);
	TEST_CHECK_EQ(block_read(dev, cap - 1, 2, rbuf.va, rbuf.pa), -ERR_RANGE);
	TEST_CHECK_EQ(block_write(dev, cap, 1, wbuf.va, wbuf.pa), -ERR_RANGE);
	TEST_CHECK_EQ(block_write(dev, cap - 2, 3, wbuf.va, wbuf.pa), -ERR_RANGE);
	TEST_CHECK_EQ(block_read(dev, UINT64_MAX, 2, rbuf.va, rbuf.pa), -ERR_RANGE); /* wraps */
	TEST_CHECK_EQ(block_read(dev, 1, UINT32_MAX, rbuf.va, rbuf.pa), -ERR_RANGE);
	TEST_CHECK_EQ(block_read(dev, 0, 0, rbuf.va, rbuf.pa), -ERR_INVAL);
	TEST_CHECK_EQ(block_read(dev, 0, 1, NULL, rbuf.pa), -ERR_INVAL);
	TEST_CHECK_EQ(block_rw(dev, (enum block_op)99, 0, 1, rbuf.va, rbuf.pa), -ERR_INVAL);
	TEST_CHECK_EQ(blk.stats.requests, requests); /* the device saw none of them */
	TEST_CHECK_EQ(blk.stats.notifies, notifies);
	TEST_CHECK(((uint8_t *)rbuf.va)[0] == 0x77 && ((uint8_t *)rbuf.va)[dev->sector_size] == 0x77);

	/* One bad request among good ones fails alone. */
	struct block_req reqs[3] = {
		{ .op = BLOCK_READ, .sector = cap - 1, .count = 1, .buf = rbuf.va, .buf_pa = rbuf.pa },
		{ .op = BLOCK_READ, .sector = cap, .count = 1, .buf = wbuf.va, .buf_pa = wbuf.pa },
		{ .op = BLOCK_READ, .sector = 0, .count = 1,
		  .buf = (uint8_t *)rbuf.va + dev->sector_size, .buf_pa = rbuf.pa + dev->sector_size },
	};
	TEST_CHECK_EQ(block_transfer(dev, reqs, 3), -ERR_RANGE);
	TEST_CHECK_EQ(reqs[0].status, 0);
	TEST_CHECK_EQ(reqs[1].status, -ERR_RANGE);
	TEST_CHECK_EQ(reqs[2].status, 0);
	TEST_CHECK_EQ(blk.stats.requests - requests, 2);
	TEST_CHECK(verify(rbuf.va, cap - 1, 1, SEED_DISK));
	TEST_CHECK(verify((uint8_t *)rbuf.va + dev->sector_size, 0, 1, SEED_DISK));
}

#define SEED_SPLIT 0x5b117001u

/* Writes then reads BUF_BYTES at `sector` under the current limits;
 * returns the device requests each took (through *w, *r). */
static void split_roundtrip(uint64_t sector, uint32_t seed, unsigned long *w, unsigned long *r)
{
	uint32_t n = (uint32_t)(BUF_BYTES / dev->sector_size);
	fill(wbuf.va, sector, n, seed);
	unsigned long before = blk.stats.requests;
	blk.stats.max_segments = 0;
	TEST_CHECK_EQ(block_write(dev, sector, n, wbuf.va, wbuf.pa), 0);
	*w = blk.stats.requests - before;
	memset(rbuf.va, 0xc3, BUF_BYTES);
	before = blk.stats.requests;
	TEST_CHECK_EQ(block_read(dev, sector, n, rbuf.va, rbuf.pa), 0);
	*r = blk.stats.requests - before;
	TEST_CHECK(verify(rbuf.va, sector, n, seed));
}

/* U-BLK-007 */
static void t_limits(void)
{
	if (!need_dev())
		return;
	uint32_t seg_max = blk.seg_max, seg_bytes = blk.seg_bytes;
	unsigned long w = 0, r = 0;

	/* 4 segments of 8 KiB: 32 KiB a request, so 256 KiB takes 8. */
	TEST_CHECK_EQ(virtio_blk_set_limits(&blk, 4, 8192), 0);
	split_roundtrip(4096, SEED_SPLIT, &w, &r);
	if (test_failing())
		goto out;
	printf("blktest: 256 KiB in %lu writes and %lu reads of at most %u segments\n", w, r,
	       blk.stats.max_segments);
	if (w != 8 || r != 8 || blk.stats.max_segments != 4) {
		test_failed(__FILE__, __LINE__, "not split into 8 requests of 4 segments");
		goto out;
	}
	/* A size limit that is not a whole number of sectors: 5000 bytes
	 * rounds down to 4608 (9 sectors), 3 segments: 27 sectors a request. */
	TEST_CHECK_EQ(virtio_blk_set_limits(&blk, 3, 5000), 0);
	if (blk.seg_bytes != 4608 || blk.seg_max != 3) {
		test_failed(__FILE__, __LINE__, "limits not rounded to whole sectors");
		goto out;
	}
	split_roundtrip(8192, SEED_SPLIT + 1, &w, &r);
	if (test_failing())
		goto out;
	uint32_t sectors = (uint32_t)(BUF_BYTES / dev->sector_size);
	unsigned long want = (sectors + 26) / 27;
	if (w != want || r != want) {
		test_failed(__FILE__, __LINE__, "not split into 27-sector requests");
		goto out;
	}
	/* Below one sector: refused, and the limits stay as they were. */
	if (virtio_blk_set_limits(&blk, 1, 100) != -ERR_INVAL || blk.seg_bytes != 4608) {
		test_failed(__FILE__, __LINE__, "a limit below one sector was not refused");
		goto out;
	}
	/* Never above the device's. */
	if (virtio_blk_set_limits(&blk, 100000, 0) != 0 ||
	    (blk.dev_seg_max && blk.seg_max > blk.dev_seg_max) || blk.seg_max > blk.vq.num - 2u) {
		test_failed(__FILE__, __LINE__, "the limits went above the device's");
		goto out;
	}
out:
	virtio_blk_set_limits(&blk, 0, 0);
	if (!test_failing() && (blk.seg_max != seg_max || blk.seg_bytes != seg_bytes))
		test_failed(__FILE__, __LINE__, "the default limits did not come back");
}

/* U-BLK-008 */
static void t_status(void)
{
	if (!need_dev())
		return;
	unsigned long errors = blk.stats.errors;
	/* An unknown request type: the device answers UNSUPP. */
	TEST_CHECK_EQ(virtio_blk_raw(&blk, 0x7fu, 0, rbuf.pa, dev->sector_size, true), -ERR_IO);
	TEST_CHECK_EQ(blk.stats.errors - errors, 1);
	/* GET_ID is supported: 20 bytes of serial number. */
	TEST_CHECK_EQ(virtio_blk_raw(&blk, VIRTIO_BLK_T_GET_ID, 0, rbuf.pa, 20, true), 0);
	/* The device still works. */
	TEST_CHECK_EQ(block_read(dev, 0, 1, rbuf.va, rbuf.pa), 0);
	TEST_CHECK(verify(rbuf.va, 0, 1, SEED_DISK));
	TEST_CHECK(!blk.dead);
}

/* U-BLK-009 */
static void t_reopen(void)
{
	if (!need_dev())
		return;
	struct slot *s = &slots[chosen];
	long quota = pg_sysinfo(SYSINFO_QUOTA_LEFT);
	long dma = (long)(blk.ring.size + blk.hdrs.size);
	virtio_blk_close(&blk);
	dev = NULL;
	TEST_CHECK(blk.ring.frame == HANDLE_NONE && blk.hdrs.frame == HANDLE_NONE);
	/* The queue and the header page come back (page tables may stay). */
	TEST_CHECK(pg_sysinfo(SYSINFO_QUOTA_LEFT) - quota >= dma);
	TEST_CHECK_EQ(virtio_blk_open(&blk, s->window, s->base, s->size, s->irq), 0);
	dev = &blk.bdev;
	uint64_t last = dev->capacity_sectors - 1;
	TEST_CHECK_EQ(block_read(dev, last, 1, rbuf.va, rbuf.pa), 0);
	TEST_CHECK(verify(rbuf.va, last, 1, SEED_DISK));
}

/*
 * U-BLK-010: a driver that dies with its interrupt delivered but not
 * acknowledged. A bare driver made of the transport and virtqueue pieces
 * sends GET_ID, waits until the interrupt reached its notification (so the
 * interrupt is in service), then resets the device and destroys the
 * notification without acknowledging anything. The next driver must come up
 * and complete requests (else its first read waits forever).
 */
static void t_orphan_irq(void)
{
	if (!need_dev())
		return;
	struct slot *s = &slots[chosen];
	virtio_blk_close(&blk);
	dev = NULL;

	volatile void *w;
	TEST_CHECK_EQ(virtio_window_map(s->window, s->base, s->size, &w), 0);
	struct virtio_mmio m;
	TEST_CHECK_EQ(virtio_mmio_probe(&m, w, s->size, s->base), 0);
	TEST_CHECK_EQ(virtio_mmio_negotiate(&m, 0, 0), 0);
	struct virtio_dma ring, req;
	static struct virtq vq;
	TEST_CHECK_EQ(virtio_dma_alloc(virtq_layout_size(8), &ring), 0);
	TEST_CHECK_EQ(virtio_dma_alloc(4096, &req), 0);
	TEST_CHECK_EQ(virtq_init(&vq, "orphan", 0, 8, ring.va, ring.pa, ring.size, virtio_mmio_notify,
				 &m), 0);
	TEST_CHECK_EQ(virtio_mmio_queue_setup(&m, &vq), 0);
	long note = pg_notification_create();
	TEST_CHECK(note >= 0);
	TEST_CHECK_EQ(pg_irq_bind(s->irq, note), 0);
	virtio_mmio_driver_ok(&m);
	struct virtio_blk_req_hdr *hdr = req.va;
	hdr->type = VIRTIO_BLK_T_GET_ID;
	struct virtq_buf bufs[3] = { { req.pa, sizeof *hdr, false }, { req.pa + 1024, 20, true },
				     { req.pa + 512, 1, true } };
	TEST_CHECK_EQ(virtq_add(&vq, bufs, 3, &vq), 0);
	virtq_kick(&vq);
	long bits = 0;
	for (int i = 0; i < 100000 && bits == 0; i++)
		if ((bits = pg_poll(note)) == 0)
			pg_yield();
	/* Die: no InterruptACK, no irq_ack. */
	virtio_mmio_reset(&m);
	pg_object_destroy(note);
	pg_handle_delete(note);
	virtio_window_unmap(w, s->size);
	virtio_dma_free(&ring);
	virtio_dma_free(&req);
	TEST_CHECK(bits > 0); /* the interrupt was delivered, so it was in service */

	TEST_CHECK_EQ(virtio_blk_open(&blk, s->window, s->base, s->size, s->irq), 0);
	dev = &blk.bdev;
	TEST_CHECK_EQ(block_read(dev, 0, 1, rbuf.va, rbuf.pa), 0);
	TEST_CHECK(verify(rbuf.va, 0, 1, SEED_DISK));
}

static int failures;

static void run(const char *id, const char *desc, void (*fn)(void))
{
	test_run(id, desc, fn);
	failures += test_failing() ? 1 : 0;
}

int main(void)
{
	receive_devices();
	pg_must(virtio_dma_alloc(BUF_BYTES, &wbuf), "blktest: dma buffer");
	pg_must(virtio_dma_alloc(BUF_BYTES, &rbuf), "blktest: dma buffer");
	run("U-BLK-001", "finds the virtio block device among the slots and brings it up", t_probe);
	run("U-BLK-002", "capacity matches the disk image; a fresh disk reads zeros", t_capacity);
	run("U-BLK-003", "a pattern written to every sector (first to last) reads back exactly",
	    t_pattern);
	run("U-BLK-004", "16 scattered writes, then 16 reads, all in flight at once", t_inflight);
	run("U-BLK-005", "flush, alone and after a write in one call", t_flush);
	run("U-BLK-006", "requests beyond capacity or malformed fail without touching the device",
	    t_beyond);
	run("U-BLK-007", "a transfer beyond the segment and size limits is split, bad limits refused",
	    t_limits);
	run("U-BLK-008", "a request the device rejects (status UNSUPP) fails with an error",
	    t_status);
	run("U-BLK-009", "close gives the memory back; the device opens again with the data intact",
	    t_reopen);
	run("U-BLK-010", "a driver that died with its interrupt unacknowledged does not wedge the next",
	    t_orphan_irq);
	if (dev)
		virtio_blk_close(&blk);
	printf("blktest: %lu device requests, %lu interrupts, %lu errors\n", blk.stats.requests,
	       blk.stats.interrupts, blk.stats.errors);
	test_summary();
	return failures;
}
