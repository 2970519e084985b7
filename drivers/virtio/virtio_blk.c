/* virtio-blk over virtio-mmio: see virtio_blk.h. */
#include "drivers/virtio/virtio_blk.h"

#include <pagoda/errno.h>
#include <pagoda/syscalls.h>
#include <stdio.h>
#include <string.h>

#define WANTED_FEATURES                                                                     \
	(VIRTIO_FEATURE(VIRTIO_BLK_F_SIZE_MAX) | VIRTIO_FEATURE(VIRTIO_BLK_F_SEG_MAX) |     \
	 VIRTIO_FEATURE(VIRTIO_BLK_F_RO) | VIRTIO_FEATURE(VIRTIO_BLK_F_BLK_SIZE) |          \
	 VIRTIO_FEATURE(VIRTIO_BLK_F_FLUSH))

#define HDR_OFFSET 0      /* in the hdrs page: VBLK_SLOTS headers of 16 bytes */
#define STATUS_OFFSET 2048 /* then VBLK_SLOTS status bytes */
#define STATUS_UNSET 0xff  /* what a status byte holds until the device writes it */

static bool has(const struct virtio_blk *blk, unsigned bit)
{
	return (blk->mmio.features & VIRTIO_FEATURE(bit)) != 0;
}

/* ---- completion ---------------------------------------------------------- */

static void finish(struct virtio_blk *blk, struct vblk_slot *slot, long err)
{
	struct block_req *r = slot->req;
	if (err) {
		blk->stats.errors++;
		if (r->status == 0)
			r->status = err;
	}
	r->pending--;
	slot->req = NULL;
	blk->inflight--;
}

static void complete(struct virtio_blk *blk, const struct virtq_done *done)
{
	struct vblk_slot *slot = done->cookie;
	long err = done->err;
	if (!err) {
		uint8_t st = *slot->status;
		if (st == VIRTIO_BLK_S_IOERR || st == VIRTIO_BLK_S_UNSUPP) {
			err = -ERR_IO;
		} else if (st != VIRTIO_BLK_S_OK) {
			printf("%s: device error: status byte %u\n", blk->name, st);
			err = -ERR_IO;
		}
	}
	finish(blk, slot, err);
}

/* The device broke the ring (or the wait failed): stop it, fail everything. */
static void fail_all(struct virtio_blk *blk, const char *why)
{
	printf("%s: %s: resetting the device, %u requests fail\n", blk->name, why, blk->inflight);
	virtio_mmio_reset(&blk->mmio); /* it lets go of every buffer */
	blk->dead = true;
	void *cookie;
	while ((cookie = virtq_detach(&blk->vq)))
		finish(blk, cookie, -ERR_IO);
}

static void reap(struct virtio_blk *blk)
{
	struct virtq_done done;
	int rc;
	while ((rc = virtq_get(&blk->vq, &done)) == 1)
		complete(blk, &done);
	if (rc < 0)
		fail_all(blk, "the used ring is corrupt");
}

/* Waits until at least one request completed (or the device is dead). */
static void wait_some(struct virtio_blk *blk)
{
	unsigned before = blk->inflight;
	reap(blk);
	while (!blk->dead && blk->inflight == before && before > 0) {
		long bits = pg_wait(blk->note);
		if (bits < 0) {
			fail_all(blk, "waiting for the interrupt failed");
			return;
		}
		blk->stats.interrupts++;
		uint32_t isr = virtio_mmio_interrupt_ack(&blk->mmio);
		pg_irq_ack(blk->irq); /* -ERR_INVAL if not in service: harmless */
		if (isr & VIRTIO_INT_CONFIG) { /* the disk was resized */
			blk->capacity512 = virtio_mmio_config_read64(&blk->mmio, VIRTIO_BLK_CFG_CAPACITY);
			blk->bdev.capacity_sectors = blk->capacity512 / (blk->blk_size / 512);
		}
		if (blk->mmio.version >= 2 &&
		    (virtio_mmio_status(&blk->mmio) & VIRTIO_STATUS_NEEDS_RESET)) {
			fail_all(blk, "the device needs a reset");
			return;
		}
		reap(blk);
	}
}

/* ---- submission ---------------------------------------------------------- */

static struct vblk_slot *free_slot(struct virtio_blk *blk)
{
	for (unsigned i = 0; i < VBLK_SLOTS; i++)
		if (!blk->slots[i].req)
			return &blk->slots[i];
	return NULL;
}

/*
 * Hands one request to the device: header, n data buffers, status byte.
 * Returns 0, -ERR_AGAIN (no slot or descriptors now) or another error.
 */
static long submit(struct virtio_blk *blk, struct block_req *owner, uint32_t type,
		   uint64_t sector512, const struct virtq_buf *data, unsigned n)
{
	if (blk->dead)
		return -ERR_IO;
	struct vblk_slot *slot = free_slot(blk);
	if (!slot)
		return -ERR_AGAIN;
	struct virtq_buf bufs[VBLK_MAX_SEGS + 2];
	if (n > VBLK_MAX_SEGS)
		return -ERR_RANGE;
	bufs[0] = (struct virtq_buf){ slot->hdr_pa, sizeof(struct virtio_blk_req_hdr), false };
	for (unsigned i = 0; i < n; i++)
		bufs[1 + i] = data[i];
	bufs[1 + n] = (struct virtq_buf){ slot->status_pa, 1, true };
	slot->hdr->type = type;
	slot->hdr->reserved = 0;
	slot->hdr->sector = sector512;
	*slot->status = STATUS_UNSET;
	long rc = virtq_add(&blk->vq, bufs, n + 2, slot);
	if (rc < 0)
		return rc;
	slot->req = owner;
	owner->pending++;
	blk->inflight++;
	blk->stats.requests++;
	if (blk->inflight > blk->stats.max_inflight)
		blk->stats.max_inflight = blk->inflight;
	if (n > blk->stats.max_segments)
		blk->stats.max_segments = n;
	return 0;
}

static void kick(struct virtio_blk *blk)
{
	blk->stats.notifies++;
	virtq_kick(&blk->vq);
}

/* Checks a request before anything reaches the device. */
static long check(struct virtio_blk *blk, const struct block_req *r)
{
	switch (r->op) {
	case BLOCK_FLUSH:
		return 0;
	case BLOCK_READ:
	case BLOCK_WRITE:
		break;
	default:
		return -ERR_INVAL;
	}
	if (r->count == 0 || !r->buf)
		return -ERR_INVAL;
	uint64_t cap = blk->bdev.capacity_sectors;
	if (r->sector >= cap || r->count > cap - r->sector)
		return -ERR_RANGE;
	if (r->op == BLOCK_WRITE && blk->bdev.read_only)
		return -ERR_PERM;
	return 0;
}

/*
 * Submits the next piece of r, from byte *offset: at most seg_max data
 * descriptors of at most seg_bytes each. Returns 0 (and moves *offset),
 * -ERR_AGAIN, or an error for r.
 */
static long submit_piece(struct virtio_blk *blk, struct block_req *r, uint64_t *offset)
{
	if (r->op == BLOCK_FLUSH) {
		long rc = submit(blk, r, VIRTIO_BLK_T_FLUSH, 0, NULL, 0);
		if (rc == 0)
			blk->stats.flushes++;
		return rc;
	}
	uint64_t total = (uint64_t)r->count * blk->blk_size;
	uint64_t at = *offset;
	struct virtq_buf data[VBLK_MAX_SEGS];
	unsigned n = 0;
	bool writes = r->op == BLOCK_READ; /* the device writes the buffer on a read */
	while (at < total && n < blk->seg_max) {
		uint64_t len = total - at;
		if (len > blk->seg_bytes)
			len = blk->seg_bytes;
		data[n++] = (struct virtq_buf){ r->buf_pa + at, (uint32_t)len, writes };
		at += len;
	}
	uint64_t sector512 = (r->sector * blk->blk_size + *offset) / 512;
	long rc = submit(blk, r, r->op == BLOCK_READ ? VIRTIO_BLK_T_IN : VIRTIO_BLK_T_OUT, sector512,
			 data, n);
	if (rc == 0) {
		if (*offset > 0)
			blk->stats.splits++;
		*offset = at;
	}
	return rc;
}

/* Checks reqs[0..n) before any reaches the device: status 0 (to submit),
 * 1 (a flush with no volatile cache: nothing to do) or the refusal. */
static void prepare(struct virtio_blk *blk, struct block_req *reqs, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		reqs[i].pending = 0;
		reqs[i].status = check(blk, &reqs[i]);
		if (reqs[i].status == 0 && reqs[i].op == BLOCK_FLUSH && !blk->flush)
			reqs[i].status = 1;
	}
}

static long vblk_transfer(struct block_dev *bdev, struct block_req *reqs, unsigned n)
{
	struct virtio_blk *blk = bdev->driver;
	prepare(blk, reqs, n);
	unsigned cur = 0;
	uint64_t offset = 0; /* bytes of reqs[cur] submitted */
	for (;;) {
		bool added = false;
		while (cur < n && !blk->dead) {
			struct block_req *r = &reqs[cur];
			if (r->status != 0) { /* refused, or done without the device */
				cur++;
				continue;
			}
			long rc = submit_piece(blk, r, &offset);
			if (rc == -ERR_AGAIN && blk->inflight == 0)
				rc = -ERR_RANGE; /* could never fit: cannot happen within the limits */
			if (rc == -ERR_AGAIN)
				break;
			if (rc < 0)
				r->status = rc;
			else
				added = true;
			if (rc < 0 || r->op == BLOCK_FLUSH || offset == (uint64_t)r->count * blk->blk_size) {
				cur++;
				offset = 0;
			}
		}
		if (added)
			kick(blk);
		if (blk->inflight == 0)
			break;
		wait_some(blk);
	}
	long first = 0;
	for (unsigned i = 0; i < n; i++) {
		if (reqs[i].status == 1)
			reqs[i].status = 0;
		if (i >= cur && reqs[i].status == 0 && blk->dead)
			reqs[i].status = -ERR_IO; /* never (wholly) handed to the device */
		if (reqs[i].status < 0 && first == 0)
			first = reqs[i].status;
	}
	return first;
}

/* Every piece of reqs[0..n) fits in the ring and slots now (one piece per
 * request of at most seg_max x seg_bytes bytes: a longer one is not
 * started, it is transferred). */
static bool room_for(const struct virtio_blk *blk, const struct block_req *reqs, unsigned n)
{
	unsigned descs = 0;
	for (unsigned i = 0; i < n; i++) {
		if (reqs[i].status)
			continue;
		uint64_t bytes = reqs[i].op == BLOCK_FLUSH ? 0 : (uint64_t)reqs[i].count * blk->blk_size;
		uint64_t segs = (bytes + blk->seg_bytes - 1) / blk->seg_bytes;
		if (segs > blk->seg_max)
			return false;
		descs += (unsigned)segs + 2;
	}
	return n <= VBLK_SLOTS - blk->inflight && descs <= blk->vq.num_free;
}

static long vblk_start(struct block_dev *bdev, struct block_req *reqs, unsigned n)
{
	struct virtio_blk *blk = bdev->driver;
	if (blk->dead)
		return -ERR_IO;
	prepare(blk, reqs, n);
	if (!room_for(blk, reqs, n))
		return -ERR_AGAIN;
	bool added = false;
	for (unsigned i = 0; i < n; i++) {
		if (reqs[i].status == 1)
			reqs[i].status = 0;
		else if (reqs[i].status == 0) {
			uint64_t offset = 0;
			long rc = submit_piece(blk, &reqs[i], &offset);
			if (rc < 0)
				reqs[i].status = rc; /* cannot happen: room_for said so */
			else
				added = true;
		}
	}
	if (added)
		kick(blk);
	return 0;
}

static unsigned vblk_poll(struct block_dev *bdev, bool wait)
{
	struct virtio_blk *blk = bdev->driver;
	if (wait)
		wait_some(blk);
	else
		reap(blk);
	return blk->inflight;
}

static const struct block_ops vblk_ops = { .transfer = vblk_transfer,
					   .start = vblk_start,
					   .poll = vblk_poll };

long virtio_blk_raw(struct virtio_blk *blk, uint32_t type, uint64_t sector, uint64_t buf_pa,
		    uint32_t len, bool device_writes)
{
	struct block_req r = { .op = 0 };
	struct virtq_buf data = { buf_pa, len, device_writes };
	long rc;
	while ((rc = submit(blk, &r, type, sector, &data, len ? 1 : 0)) == -ERR_AGAIN &&
	       blk->inflight)
		wait_some(blk);
	if (rc < 0)
		return rc;
	kick(blk);
	while (r.pending && !blk->dead)
		wait_some(blk);
	return r.pending ? -ERR_IO : r.status;
}

/* ---- set-up -------------------------------------------------------------- */

static uint32_t limit_bytes(uint32_t bytes, uint32_t blk_size)
{
	return bytes / blk_size * blk_size;
}

long virtio_blk_set_limits(struct virtio_blk *blk, uint32_t seg_max, uint32_t seg_bytes)
{
	uint32_t dev_segs = blk->dev_seg_max ? blk->dev_seg_max : VBLK_MAX_SEGS;
	uint32_t dev_bytes = blk->dev_size_max ? blk->dev_size_max : VBLK_SEG_BYTES;
	uint32_t segs = seg_max && seg_max < dev_segs ? seg_max : dev_segs;
	uint32_t bytes = seg_bytes && seg_bytes < dev_bytes ? seg_bytes : dev_bytes;
	if (segs > VBLK_MAX_SEGS)
		segs = VBLK_MAX_SEGS;
	if (segs > (uint32_t)blk->vq.num - 2)
		segs = (uint32_t)blk->vq.num - 2;
	bytes = limit_bytes(bytes, blk->blk_size);
	if (segs == 0 || bytes == 0)
		return -ERR_INVAL;
	blk->seg_max = segs;
	blk->seg_bytes = bytes;
	return 0;
}

static void undo_open(struct virtio_blk *blk)
{
	if (blk->window)
		virtio_mmio_reset(&blk->mmio);
	if (blk->note >= 0) {
		/* An interrupt delivered but not acknowledged would stay claimed. */
		if (pg_poll(blk->note) > 0)
			pg_irq_ack(blk->irq);
		pg_object_destroy(blk->note); /* the kernel masks the source if it fires */
		pg_handle_delete(blk->note);
		blk->note = HANDLE_NONE;
	}
	virtio_dma_free(&blk->hdrs);
	virtio_dma_free(&blk->ring);
	if (blk->window)
		virtio_window_unmap(blk->window, blk->window_size);
	blk->window = NULL;
}

long virtio_blk_open(struct virtio_blk *blk, long window, uint64_t base, size_t size, long irq)
{
	memset(blk, 0, sizeof *blk);
	blk->irq = irq;
	blk->note = HANDLE_NONE;
	blk->ring.frame = blk->hdrs.frame = HANDLE_NONE;
	blk->window_size = size;
	snprintf(blk->name, sizeof blk->name, "virtio-blk@%#lx", (unsigned long)base);
	if (irq < 0)
		return -ERR_INVAL; /* completion is interrupt-driven */

	long rc = virtio_window_map(window, base, size, &blk->window);
	if (rc < 0) {
		blk->window = NULL;
		return rc;
	}
	rc = virtio_mmio_probe(&blk->mmio, blk->window, size, base);
	if (rc == 0 && blk->mmio.device_id != VIRTIO_ID_BLOCK)
		rc = -ERR_NOENT;
	if (rc < 0) {
		virtio_window_unmap(blk->window, size);
		blk->window = NULL;
		return rc;
	}
	rc = virtio_mmio_negotiate(&blk->mmio, WANTED_FEATURES, 0);
	if (rc < 0) {
		printf("%s: feature negotiation failed: %s\n", blk->name, err_text(rc));
		goto fail;
	}

	/* The configuration space. */
	blk->capacity512 = virtio_mmio_config_read64(&blk->mmio, VIRTIO_BLK_CFG_CAPACITY);
	blk->blk_size = 512;
	if (has(blk, VIRTIO_BLK_F_BLK_SIZE)) {
		uint32_t bs = virtio_mmio_config_read32(&blk->mmio, VIRTIO_BLK_CFG_BLK_SIZE);
		if (bs >= 512 && bs <= 65536 && !(bs & (bs - 1)))
			blk->blk_size = bs;
		else
			printf("%s: ignoring block size %u\n", blk->name, bs);
	}
	if (has(blk, VIRTIO_BLK_F_SEG_MAX))
		blk->dev_seg_max = virtio_mmio_config_read32(&blk->mmio, VIRTIO_BLK_CFG_SEG_MAX);
	if (has(blk, VIRTIO_BLK_F_SIZE_MAX))
		blk->dev_size_max = virtio_mmio_config_read32(&blk->mmio, VIRTIO_BLK_CFG_SIZE_MAX);
	blk->flush = has(blk, VIRTIO_BLK_F_FLUSH);

	/* The request queue (queue 0), in one physically contiguous piece. */
	uint32_t max = virtio_mmio_queue_max(&blk->mmio, 0);
	uint16_t num = VBLK_QUEUE_SIZE;
	while (num > max)
		num /= 2;
	if (num < 4) {
		printf("%s: queue 0 has %u entries\n", blk->name, max);
		rc = -ERR_NOENT;
		goto fail;
	}
	if ((rc = virtio_dma_alloc(virtq_layout_size(num), &blk->ring)) < 0 ||
	    (rc = virtq_init(&blk->vq, blk->name, 0, num, blk->ring.va, blk->ring.pa, blk->ring.size,
			     virtio_mmio_notify, &blk->mmio)) < 0 ||
	    (rc = virtio_mmio_queue_setup(&blk->mmio, &blk->vq)) < 0)
		goto fail;
	if ((rc = virtio_blk_set_limits(blk, 0, 0)) < 0) {
		printf("%s: unusable limits: %u segments of %u bytes\n", blk->name, blk->dev_seg_max,
		       blk->dev_size_max);
		goto fail;
	}

	/* Request headers and status bytes. */
	if ((rc = virtio_dma_alloc(4096, &blk->hdrs)) < 0)
		goto fail;
	for (unsigned i = 0; i < VBLK_SLOTS; i++) {
		struct vblk_slot *s = &blk->slots[i];
		size_t h = HDR_OFFSET + i * sizeof(struct virtio_blk_req_hdr);
		s->hdr = (volatile struct virtio_blk_req_hdr *)((uint8_t *)blk->hdrs.va + h);
		s->hdr_pa = blk->hdrs.pa + h;
		s->status = (volatile uint8_t *)blk->hdrs.va + STATUS_OFFSET + i;
		s->status_pa = blk->hdrs.pa + STATUS_OFFSET + i;
	}

	/* The interrupt. */
	if ((rc = blk->note = pg_notification_create()) < 0) {
		blk->note = HANDLE_NONE;
		goto fail;
	}
	/* irq_bind also completes an interrupt a previous owner left in
	 * service (delivered, never acknowledged): U-BLK-010 relies on it. */
	if ((rc = pg_irq_bind(irq, blk->note)) < 0)
		goto fail;

	virtio_mmio_driver_ok(&blk->mmio);
	if (virtio_mmio_status(&blk->mmio) & VIRTIO_STATUS_NEEDS_RESET) {
		rc = -ERR_IO;
		goto fail;
	}
	blk->bdev = (struct block_dev){
		.ops = &vblk_ops,
		.name = blk->name,
		.capacity_sectors = blk->capacity512 / (blk->blk_size / 512),
		.sector_size = blk->blk_size,
		.read_only = has(blk, VIRTIO_BLK_F_RO),
		.driver = blk,
	};
	return 0;
fail:
	undo_open(blk);
	return rc;
}

void virtio_blk_close(struct virtio_blk *blk)
{
	if (!blk->window)
		return;
	if (blk->inflight)
		fail_all(blk, "closed with requests in flight");
	undo_open(blk);
}
