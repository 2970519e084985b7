/*
 * The virtio-mmio transport (virtio 1.2, section 4.2), in user space: a
 * driver holds the device's MMIO window (a frame handle mapped into its
 * own space) and its interrupt handle; the kernel holds no virtio code.
 *
 * Both register interfaces are driven:
 *   version 1 (legacy; QEMU's default): 32 feature bits, GuestPageSize,
 *     QueueNum/QueueAlign/QueuePFN with the queue page-aligned, no
 *     FEATURES_OK step, no ConfigGeneration;
 *   version 2 (virtio 1.x; QEMU -global virtio-mmio.force-legacy=false):
 *     64 feature bits with VIRTIO_F_VERSION_1 required, FEATURES_OK,
 *     QueueDesc/Driver/Device Low/High and QueueReady, ConfigGeneration.
 * Registers are read and written with volatile 32-bit accesses only.
 *
 * Also here, because every user-space virtio driver needs them: DMA memory
 * (frames from pg_frame_alloc, mapped read-write in the caller's space,
 * with their physical addresses from pg_frame_phys) and mapping a device
 * window. Both take virtual addresses from one window of the caller's space,
 * VIRTIO_VA_BASE .. + VIRTIO_VA_SIZE, handed out upwards and never reused.
 */
#ifndef DRIVERS_VIRTIO_VIRTIO_MMIO_H
#define DRIVERS_VIRTIO_VIRTIO_MMIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/virtio/virtqueue.h"

/* Register offsets. */
#define VIRTIO_MMIO_MAGIC 0x000
#define VIRTIO_MMIO_VERSION 0x004
#define VIRTIO_MMIO_DEVICE_ID 0x008
#define VIRTIO_MMIO_VENDOR_ID 0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES 0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES 0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_GUEST_PAGE_SIZE 0x028 /* legacy */
#define VIRTIO_MMIO_QUEUE_SEL 0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX 0x034
#define VIRTIO_MMIO_QUEUE_NUM 0x038
#define VIRTIO_MMIO_QUEUE_ALIGN 0x03c /* legacy */
#define VIRTIO_MMIO_QUEUE_PFN 0x040   /* legacy */
#define VIRTIO_MMIO_QUEUE_READY 0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY 0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS 0x060
#define VIRTIO_MMIO_INTERRUPT_ACK 0x064
#define VIRTIO_MMIO_STATUS 0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW 0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH 0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW 0x090
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH 0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW 0x0a0
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH 0x0a4
#define VIRTIO_MMIO_CONFIG_GENERATION 0x0fc
#define VIRTIO_MMIO_CONFIG 0x100 /* device-specific configuration, both versions */

#define VIRTIO_MMIO_MAGIC_VALUE 0x74726976u /* "virt", little endian */
#define VIRTIO_MMIO_WINDOW_MIN 0x200        /* registers plus some config */

/* Device status bits. */
#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER 2
#define VIRTIO_STATUS_DRIVER_OK 4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_NEEDS_RESET 64
#define VIRTIO_STATUS_FAILED 128

/* InterruptStatus bits. */
#define VIRTIO_INT_USED_RING 1
#define VIRTIO_INT_CONFIG 2

/* Device-independent feature bits. */
#define VIRTIO_F_VERSION_1 32

/* Device ids. */
#define VIRTIO_ID_NONE 0 /* an empty slot */
#define VIRTIO_ID_NET 1
#define VIRTIO_ID_BLOCK 2

#define VIRTIO_FEATURE(bit) (1ULL << (bit))

struct virtio_mmio {
	volatile uint32_t *regs; /* the mapped window */
	uint64_t base;           /* its physical address, for messages */
	uint32_t version;        /* 1: legacy, 2: virtio 1.x */
	uint32_t device_id;
	uint32_t vendor_id;
	uint64_t features; /* negotiated */
};

/*
 * Reads the identity of the window at `window` (mapped, window_size bytes,
 * physical address base): magic "virt", version 1 or 2, device id.
 * Returns 0 (a device is there), -ERR_NOENT (an empty slot: device id 0),
 * -ERR_BADFORMAT (no virtio-mmio device: wrong magic or version), or
 * -ERR_RANGE (the window is too small). Touches nothing but those registers.
 */
long virtio_mmio_probe(struct virtio_mmio *dev, volatile void *window, size_t window_size,
		       uint64_t base);

/* "legacy" or "modern". */
const char *virtio_mmio_transport(const struct virtio_mmio *dev);

/* Writes 0 to Status and waits until the device reads back 0: it no longer
 * touches any queue or buffer. */
void virtio_mmio_reset(struct virtio_mmio *dev);

uint32_t virtio_mmio_status(struct virtio_mmio *dev);
void virtio_mmio_add_status(struct virtio_mmio *dev, uint32_t bits);

/*
 * Reset, ACKNOWLEDGE, DRIVER, then features: accepts offered & (wanted |
 * required); VIRTIO_F_VERSION_1 is required on version 2 (and never
 * offered to version 1, which has only 32 feature bits). Version 2: sets
 * FEATURES_OK and checks that the device kept it. Returns 0 with
 * dev->features set, or -ERR_NOSYS (a required feature is missing; the
 * status is FAILED then) or -ERR_IO (the device refused FEATURES_OK).
 */
long virtio_mmio_negotiate(struct virtio_mmio *dev, uint64_t wanted, uint64_t required);

/* The largest size queue `index` can have; 0 if there is no such queue or
 * it is already in use. */
uint32_t virtio_mmio_queue_max(struct virtio_mmio *dev, uint16_t index);

/* Tells the device where vq lives (legacy: GuestPageSize, QueueNum,
 * QueueAlign, QueuePFN; modern: QueueNum, the three addresses, QueueReady).
 * Returns 0, -ERR_RANGE (too big for the device) or -ERR_ALIGN. */
long virtio_mmio_queue_setup(struct virtio_mmio *dev, struct virtq *vq);

/* Sets DRIVER_OK: the device is live. */
void virtio_mmio_driver_ok(struct virtio_mmio *dev);

/* Writes the queue index to QueueNotify. Fits struct virtq's notify. */
void virtio_mmio_notify(void *dev, uint16_t index);

/* Reads InterruptStatus and acknowledges those bits (InterruptACK); returns
 * them (VIRTIO_INT_*). */
uint32_t virtio_mmio_interrupt_ack(struct virtio_mmio *dev);

/* Configuration space, at VIRTIO_MMIO_CONFIG + offset, 32-bit accesses.
 * read64 returns a consistent value: version 2 re-reads until the
 * ConfigGeneration did not change; version 1 until the high word did not. */
uint32_t virtio_mmio_config_read32(struct virtio_mmio *dev, uint32_t offset);
uint64_t virtio_mmio_config_read64(struct virtio_mmio *dev, uint32_t offset);

/* ---- memory for drivers ------------------------------------------------ */

/* Free in every process so far (<pagoda/abi.h>; the stack starts at
 * 0x3f_fffe_0000). A program that links a virtio driver keeps out of it. */
#define VIRTIO_VA_BASE 0x3800000000UL
#define VIRTIO_VA_SIZE 0x0400000000UL

/* DMA memory: physically contiguous, zeroed, mapped read-write. */
struct virtio_dma {
	void *va;
	uint64_t pa;
	size_t size;
	long frame; /* the frame's handle (HANDLE_NONE once freed) */
};

/* Allocates at least size bytes (a power-of-two number of pages, at most
 * 2 MiB). Returns 0 or -ERR_*. */
long virtio_dma_alloc(size_t size, struct virtio_dma *out);
void virtio_dma_free(struct virtio_dma *dma);

/* Maps the device window `frame` (physical base, size bytes) read-write;
 * *out points at base's byte. Returns 0 or -ERR_*. */
long virtio_window_map(long frame, uint64_t base, size_t size, volatile void **out);
/* Unmaps what virtio_window_map mapped. */
void virtio_window_unmap(volatile void *window, size_t size);

#endif
