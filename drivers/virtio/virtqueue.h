/*
 * Split virtqueues (virtio 1.2, section 2.7), for user-space virtio drivers.
 *
 * One queue lives in one physically contiguous, page-aligned piece of DMA
 * memory laid out as the legacy interface demands (it also suits version 2,
 * which only needs 16/2/4-byte alignment):
 *
 *   offset 0                    descriptor table   16 * num bytes
 *   16 * num                    available ring     6 + 2 * num bytes
 *   ALIGN_UP(.., 4096)          used ring          6 + 8 * num bytes
 *
 * The device may write the used ring only (and the buffers it was handed).
 * Everything the driver needs to trust lives outside that memory, in
 * struct virtq itself: the free-descriptor list, each chain's links, the
 * cookie and the number of device-writable bytes offered for each chain in
 * flight. The driver never reads back the descriptor table or the
 * available ring. What the device writes to the used ring is checked
 * before use (see virtq_get): a used index that runs ahead of what is in
 * flight, an id that is out of range or not the head of a chain in flight,
 * or a length beyond the writable bytes offered is reported with one line
 * and turned into an error; nothing is read or written outside the queue's
 * memory and the driver's own arrays.
 *
 * This file knows nothing of the transport or of Pagoda's system calls (the
 * host unit test tests/host/virtqueue_test.c builds it): the caller gives
 * the memory (virtual and physical address) and a notify function.
 */
#ifndef DRIVERS_VIRTIO_VIRTQUEUE_H
#define DRIVERS_VIRTIO_VIRTQUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Memory barriers between ring updates, and between the rings and MMIO. */
#if defined(__riscv)
#define virtio_mb() __asm__ volatile("fence iorw, iorw" ::: "memory")
#define virtio_wmb() __asm__ volatile("fence w, w" ::: "memory")
#define virtio_rmb() __asm__ volatile("fence r, r" ::: "memory")
#else
#define virtio_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define virtio_wmb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define virtio_rmb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif

#define VIRTQ_MAX_SIZE 256 /* the largest queue this code drives */
#define VIRTQ_ALIGN 4096   /* legacy QueueAlign: the used ring's alignment */

#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
#define VIRTQ_USED_F_NO_NOTIFY 1

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[]; /* num entries, then used_event */
};

struct virtq_used_elem {
	uint32_t id; /* the head of the chain the device is done with */
	uint32_t len; /* bytes it wrote into the chain's writable buffers */
};

struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[]; /* num entries, then avail_event */
};

/* One buffer of a chain: the device reads it, or writes it. */
struct virtq_buf {
	uint64_t addr; /* physical */
	uint32_t len;
	bool device_writes;
};

/* What virtq_get hands back for one chain the device returned. */
struct virtq_done {
	void *cookie;  /* the caller's, from virtq_add */
	uint32_t len;  /* bytes the device says it wrote (checked: <= offered) */
	long err;      /* 0, or -ERR_IO when the device's entry was bad */
};

struct virtq {
	const char *name; /* for reports */
	uint16_t num;     /* entries, a power of two <= VIRTQ_MAX_SIZE */
	uint16_t index;   /* the queue's number on its device */
	volatile struct virtq_desc *desc;
	volatile struct virtq_avail *avail;
	volatile struct virtq_used *used;
	uint64_t desc_pa, avail_pa, used_pa;
	size_t mem_size;
	void (*notify)(void *arg, uint16_t index);
	void *notify_arg;

	/* Driver-private state: never visible to the device. */
	uint16_t free_head;   /* first free descriptor; num = none */
	uint16_t num_free;    /* descriptors on the free list */
	uint16_t avail_idx;   /* what we last published in avail->idx */
	uint16_t last_used;   /* the used entries we consumed */
	uint16_t inflight;    /* chains the device holds */
	bool broken;          /* the device corrupted the ring: reset it */
	unsigned long errors; /* bad entries reported so far */
	uint16_t next[VIRTQ_MAX_SIZE]; /* free list and chain links */
	struct {
		void *cookie;      /* non-NULL: the head of a chain in flight */
		uint32_t writable; /* device-writable bytes offered */
		uint16_t ndesc;    /* descriptors in the chain */
	} head[VIRTQ_MAX_SIZE];
};

/* Bytes of DMA memory a queue of num entries needs (the legacy layout). */
size_t virtq_layout_size(uint16_t num);

/*
 * Sets vq up over mem (virtual) / mem_pa (physical), mem_size bytes, zeroed
 * here. num must be a power of two <= VIRTQ_MAX_SIZE; mem and mem_pa
 * VIRTQ_ALIGN-aligned; mem_size >= virtq_layout_size(num). notify(arg,
 * index) tells the device there is new work. Returns 0 or -ERR_INVAL,
 * -ERR_ALIGN, -ERR_RANGE.
 */
long virtq_init(struct virtq *vq, const char *name, uint16_t index, uint16_t num, void *mem,
		uint64_t mem_pa, size_t mem_size, void (*notify)(void *arg, uint16_t index),
		void *notify_arg);

/*
 * Makes a chain of n buffers (the device-readable ones first, as the spec
 * requires) and publishes it in the available ring; cookie (not NULL)
 * comes back from virtq_get. Call virtq_kick to tell the device.
 * Returns 0, -ERR_AGAIN (not enough free descriptors now: reap first),
 * -ERR_RANGE (n can never fit this queue), -ERR_INVAL (bad arguments), or
 * -ERR_IO when the queue is broken.
 */
long virtq_add(struct virtq *vq, const struct virtq_buf *bufs, unsigned n, void *cookie);

/* Notifies the device unless it asked not to be (VIRTQ_USED_F_NO_NOTIFY). */
void virtq_kick(struct virtq *vq);

/*
 * Takes the next chain the device returned. Returns 1 with *done filled
 * (done->err is -ERR_IO if the entry's length was beyond what was offered:
 * that request fails, the queue goes on), 0 when nothing is pending, or
 * -ERR_IO when the used ring is corrupt beyond attributing (index ran
 * ahead, id out of range or not in flight): the queue is then broken; the
 * caller resets the device (so it stops using the buffers) and takes its
 * requests back with virtq_detach.
 */
int virtq_get(struct virtq *vq, struct virtq_done *done);

/*
 * After the device was reset: takes back one chain still in flight and
 * returns its cookie, or NULL when none is left. A broken queue stays
 * broken: virtq_init it again (and set the device up again) to reuse it.
 */
void *virtq_detach(struct virtq *vq);

/* Chains the device holds now. */
static inline unsigned virtq_inflight(const struct virtq *vq)
{
	return vq->inflight;
}

#endif
