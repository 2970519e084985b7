/* The virtio-mmio transport and DMA memory for user-space drivers: see virtio_mmio.h. */
#include "drivers/virtio/virtio_mmio.h"

#include <pagoda/errno.h>
#include <pagoda/syscalls.h>

#define PAGE_SIZE 4096UL
#define RESET_SPINS 1000000 /* reads of Status while a reset settles */

static uint32_t rd(struct virtio_mmio *dev, uint32_t off)
{
	uint32_t v = dev->regs[off / 4];
	virtio_mb(); /* the device's answer before anything that depends on it */
	return v;
}

static void wr(struct virtio_mmio *dev, uint32_t off, uint32_t v)
{
	virtio_mb(); /* memory the device will look at, before the register */
	dev->regs[off / 4] = v;
}

long virtio_mmio_probe(struct virtio_mmio *dev, volatile void *window, size_t window_size,
		       uint64_t base)
{
	*dev = (struct virtio_mmio){ .regs = window, .base = base };
	if (!window || window_size < VIRTIO_MMIO_WINDOW_MIN)
		return -ERR_RANGE;
	if (rd(dev, VIRTIO_MMIO_MAGIC) != VIRTIO_MMIO_MAGIC_VALUE)
		return -ERR_BADFORMAT;
	dev->version = rd(dev, VIRTIO_MMIO_VERSION);
	if (dev->version != 1 && dev->version != 2)
		return -ERR_BADFORMAT;
	dev->device_id = rd(dev, VIRTIO_MMIO_DEVICE_ID);
	dev->vendor_id = rd(dev, VIRTIO_MMIO_VENDOR_ID);
	return dev->device_id == VIRTIO_ID_NONE ? -ERR_NOENT : 0;
}

const char *virtio_mmio_transport(const struct virtio_mmio *dev)
{
	return dev->version == 1 ? "legacy" : "modern";
}

uint32_t virtio_mmio_status(struct virtio_mmio *dev)
{
	return rd(dev, VIRTIO_MMIO_STATUS);
}

void virtio_mmio_add_status(struct virtio_mmio *dev, uint32_t bits)
{
	wr(dev, VIRTIO_MMIO_STATUS, rd(dev, VIRTIO_MMIO_STATUS) | bits);
}

void virtio_mmio_reset(struct virtio_mmio *dev)
{
	wr(dev, VIRTIO_MMIO_STATUS, 0);
	/* Version 2 says the reset is done when Status reads 0; legacy devices
	 * reset synchronously. Give up after a bound rather than hang. */
	for (int i = 0; i < RESET_SPINS && rd(dev, VIRTIO_MMIO_STATUS) != 0; i++)
		;
}

static uint64_t device_features(struct virtio_mmio *dev)
{
	wr(dev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	uint64_t f = rd(dev, VIRTIO_MMIO_DEVICE_FEATURES);
	if (dev->version >= 2) {
		wr(dev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
		f |= (uint64_t)rd(dev, VIRTIO_MMIO_DEVICE_FEATURES) << 32;
	}
	return f;
}

long virtio_mmio_negotiate(struct virtio_mmio *dev, uint64_t wanted, uint64_t required)
{
	virtio_mmio_reset(dev);
	virtio_mmio_add_status(dev, VIRTIO_STATUS_ACKNOWLEDGE);
	virtio_mmio_add_status(dev, VIRTIO_STATUS_DRIVER);

	if (dev->version >= 2) {
		required |= VIRTIO_FEATURE(VIRTIO_F_VERSION_1);
	} else { /* legacy: 32 feature bits */
		wanted &= 0xffffffffULL;
		required &= 0xffffffffULL;
	}
	uint64_t offered = device_features(dev);
	if ((offered & required) != required) {
		virtio_mmio_add_status(dev, VIRTIO_STATUS_FAILED);
		return -ERR_NOSYS;
	}
	uint64_t accept = offered & (wanted | required);
	wr(dev, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr(dev, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)accept);
	if (dev->version >= 2) {
		wr(dev, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
		wr(dev, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(accept >> 32));
		virtio_mmio_add_status(dev, VIRTIO_STATUS_FEATURES_OK);
		if (!(virtio_mmio_status(dev) & VIRTIO_STATUS_FEATURES_OK)) {
			virtio_mmio_add_status(dev, VIRTIO_STATUS_FAILED);
			return -ERR_IO;
		}
	}
	dev->features = accept;
	return 0;
}

uint32_t virtio_mmio_queue_max(struct virtio_mmio *dev, uint16_t index)
{
	wr(dev, VIRTIO_MMIO_QUEUE_SEL, index);
	uint32_t in_use = dev->version >= 2 ? rd(dev, VIRTIO_MMIO_QUEUE_READY)
					    : rd(dev, VIRTIO_MMIO_QUEUE_PFN);
	if (in_use)
		return 0;
	return rd(dev, VIRTIO_MMIO_QUEUE_NUM_MAX);
}

long virtio_mmio_queue_setup(struct virtio_mmio *dev, struct virtq *vq)
{
	uint32_t max = virtio_mmio_queue_max(dev, vq->index); /* also selects it */
	if (vq->num == 0 || vq->num > max)
		return -ERR_RANGE;
	wr(dev, VIRTIO_MMIO_QUEUE_NUM, vq->num);
	if (dev->version == 1) {
		uint64_t pfn = vq->desc_pa / PAGE_SIZE;
		if ((vq->desc_pa & (PAGE_SIZE - 1)) || pfn > UINT32_MAX ||
		    vq->used_pa - vq->desc_pa != ((16 * (uint64_t)vq->num + 6 + 2 * (uint64_t)vq->num +
						    VIRTQ_ALIGN - 1) & ~(uint64_t)(VIRTQ_ALIGN - 1)))
			return -ERR_ALIGN; /* legacy: one page-aligned block, used ring aligned */
		wr(dev, VIRTIO_MMIO_GUEST_PAGE_SIZE, PAGE_SIZE);
		wr(dev, VIRTIO_MMIO_QUEUE_ALIGN, VIRTQ_ALIGN);
		wr(dev, VIRTIO_MMIO_QUEUE_PFN, (uint32_t)pfn);
		return 0;
	}
	wr(dev, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)vq->desc_pa);
	wr(dev, VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(vq->desc_pa >> 32));
	wr(dev, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)vq->avail_pa);
	wr(dev, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (uint32_t)(vq->avail_pa >> 32));
	wr(dev, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)vq->used_pa);
	wr(dev, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (uint32_t)(vq->used_pa >> 32));
	wr(dev, VIRTIO_MMIO_QUEUE_READY, 1);
	return 0;
}

void virtio_mmio_driver_ok(struct virtio_mmio *dev)
{
	virtio_mmio_add_status(dev, VIRTIO_STATUS_DRIVER_OK);
}

void virtio_mmio_notify(void *arg, uint16_t index)
{
	wr(arg, VIRTIO_MMIO_QUEUE_NOTIFY, index);
}

uint32_t virtio_mmio_interrupt_ack(struct virtio_mmio *dev)
{
	uint32_t bits = rd(dev, VIRTIO_MMIO_INTERRUPT_STATUS);
	if (bits)
		wr(dev, VIRTIO_MMIO_INTERRUPT_ACK, bits);
	return bits;
}

uint32_t virtio_mmio_config_read32(struct virtio_mmio *dev, uint32_t offset)
{
	return rd(dev, VIRTIO_MMIO_CONFIG + (offset & ~3u));
}

uint64_t virtio_mmio_config_read64(struct virtio_mmio *dev, uint32_t offset)
{
	for (;;) {
		uint32_t gen = dev->version >= 2 ? rd(dev, VIRTIO_MMIO_CONFIG_GENERATION) : 0;
		uint32_t hi = virtio_mmio_config_read32(dev, offset + 4);
		uint32_t lo = virtio_mmio_config_read32(dev, offset);
		uint32_t hi2 = virtio_mmio_config_read32(dev, offset + 4);
		uint32_t gen2 = dev->version >= 2 ? rd(dev, VIRTIO_MMIO_CONFIG_GENERATION) : 0;
		if (gen == gen2 && hi == hi2)
			return (uint64_t)hi << 32 | lo;
	}
}

/* ---- memory for drivers ------------------------------------------------ */

static uintptr_t va_next = VIRTIO_VA_BASE;

/* Virtual space for size bytes (page multiple), aligned to align. */
static long va_take(size_t size, size_t align, uintptr_t *out)
{
	uintptr_t va = (va_next + align - 1) & ~(uintptr_t)(align - 1);
	if (va < va_next || size > VIRTIO_VA_BASE + VIRTIO_VA_SIZE - va)
		return -ERR_NOSPC;
	va_next = va + size;
	*out = va;
	return 0;
}

long virtio_dma_alloc(size_t size, struct virtio_dma *out)
{
	*out = (struct virtio_dma){ .frame = HANDLE_NONE };
	unsigned order = 0;
	while ((PAGE_SIZE << order) < size)
		order++;
	if (size == 0 || order > 9)
		return -ERR_RANGE;
	size_t bytes = PAGE_SIZE << order;
	uintptr_t va;
	long rc = va_take(bytes, bytes < (2UL << 20) ? bytes : (2UL << 20), &va);
	if (rc < 0)
		return rc;
	long frame = pg_frame_alloc(order);
	if (frame < 0)
		return frame;
	long pa = pg_frame_phys(frame);
	if (pa < 0) {
		pg_handle_delete(frame);
		return pa;
	}
	rc = pg_map(HANDLE_SELF, frame, va, RIGHT_READ | RIGHT_WRITE);
	if (rc < 0) {
		pg_handle_delete(frame);
		return rc;
	}
	*out = (struct virtio_dma){ .va = (void *)va, .pa = (uint64_t)pa, .size = bytes, .frame = frame };
	return 0;
}

void virtio_dma_free(struct virtio_dma *dma)
{
	if (dma->frame == HANDLE_NONE)
		return;
	pg_unmap(HANDLE_SELF, (uintptr_t)dma->va, dma->size);
	pg_handle_delete(dma->frame);
	*dma = (struct virtio_dma){ .frame = HANDLE_NONE };
}

static size_t window_span(uint64_t base, size_t size)
{
	return ((base & (PAGE_SIZE - 1)) + size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

long virtio_window_map(long frame, uint64_t base, size_t size, volatile void **out)
{
	uintptr_t va;
	size_t span = window_span(base, size ? size : PAGE_SIZE);
	long rc = va_take(span, PAGE_SIZE, &va);
	if (rc < 0)
		return rc;
	rc = pg_map(HANDLE_SELF, frame, va, RIGHT_READ | RIGHT_WRITE);
	if (rc < 0)
		return rc;
	*out = (volatile void *)(va + (base & (PAGE_SIZE - 1)));
	return 0;
}

void virtio_window_unmap(volatile void *window, size_t size)
{
	uintptr_t va = (uintptr_t)window & ~(PAGE_SIZE - 1);
	pg_unmap(HANDLE_SELF, va, window_span((uintptr_t)window, size ? size : PAGE_SIZE));
}
