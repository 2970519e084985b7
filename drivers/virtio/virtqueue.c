/* Split virtqueues: see virtqueue.h. */
#include "drivers/virtio/virtqueue.h"

#include <pagoda/errno.h>
#include <stdio.h>

static size_t align_up(size_t x, size_t a)
{
	return (x + a - 1) & ~(a - 1);
}

static size_t used_offset(uint16_t num)
{
	size_t desc = 16 * (size_t)num;
	size_t avail = 6 + 2 * (size_t)num; /* flags, idx, ring, used_event */
	return align_up(desc + avail, VIRTQ_ALIGN);
}

size_t virtq_layout_size(uint16_t num)
{
	return used_offset(num) + 6 + 8 * (size_t)num; /* flags, idx, ring, avail_event */
}

static void report(struct virtq *vq, const char *what, unsigned long a, unsigned long b)
{
	vq->errors++;
	printf("virtq %s: device error: %s (%lu, %lu)\n", vq->name ? vq->name : "?", what, a, b);
}

long virtq_init(struct virtq *vq, const char *name, uint16_t index, uint16_t num, void *mem,
		uint64_t mem_pa, size_t mem_size, void (*notify)(void *arg, uint16_t index),
		void *notify_arg)
{
	if (!vq || !mem || !notify)
		return -ERR_INVAL;
	if (num == 0 || num > VIRTQ_MAX_SIZE || (num & (num - 1)))
		return -ERR_RANGE;
	if (((uintptr_t)mem & (VIRTQ_ALIGN - 1)) || (mem_pa & (VIRTQ_ALIGN - 1)))
		return -ERR_ALIGN;
	if (mem_size < virtq_layout_size(num))
		return -ERR_RANGE;

	volatile uint8_t *bytes = mem;
	for (size_t i = 0; i < mem_size; i++)
		bytes[i] = 0;
	*vq = (struct virtq){
		.name = name,
		.num = num,
		.index = index,
		.desc = (volatile struct virtq_desc *)bytes,
		.avail = (volatile struct virtq_avail *)(bytes + 16 * (size_t)num),
		.used = (volatile struct virtq_used *)(bytes + used_offset(num)),
		.desc_pa = mem_pa,
		.avail_pa = mem_pa + 16 * (uint64_t)num,
		.used_pa = mem_pa + used_offset(num),
		.mem_size = mem_size,
		.notify = notify,
		.notify_arg = notify_arg,
		.free_head = 0,
		.num_free = num,
	};
	for (uint16_t i = 0; i < num; i++)
		vq->next[i] = (uint16_t)(i + 1); /* the last points at num: none */
	return 0;
}

long virtq_add(struct virtq *vq, const struct virtq_buf *bufs, unsigned n, void *cookie)
{
	if (vq->broken)
		return -ERR_IO;
	if (!bufs || !cookie || n == 0)
		return -ERR_INVAL;
	if (n > vq->num)
		return -ERR_RANGE;
	uint64_t writable = 0;
	for (unsigned i = 0; i < n; i++) {
		if (bufs[i].len == 0)
			return -ERR_INVAL;
		if (i > 0 && bufs[i - 1].device_writes && !bufs[i].device_writes)
			return -ERR_INVAL; /* readable buffers must come first */
		if (bufs[i].device_writes)
			writable += bufs[i].len;
	}
	if (writable > UINT32_MAX)
		return -ERR_RANGE;
	if (n > vq->num_free)
		return -ERR_AGAIN;

	uint16_t head = vq->free_head, d = head;
	for (unsigned i = 0; i < n; i++) {
		volatile struct virtq_desc *desc = &vq->desc[d];
		desc->addr = bufs[i].addr;
		desc->len = bufs[i].len;
		uint16_t flags = bufs[i].device_writes ? VIRTQ_DESC_F_WRITE : 0;
		if (i + 1 < n)
			flags |= VIRTQ_DESC_F_NEXT;
		desc->flags = flags;
		desc->next = i + 1 < n ? vq->next[d] : 0;
		d = vq->next[d];
	}
	vq->free_head = d;
	vq->num_free = (uint16_t)(vq->num_free - n);
	vq->head[head].cookie = cookie;
	vq->head[head].writable = (uint32_t)writable;
	vq->head[head].ndesc = (uint16_t)n;
	vq->inflight++;

	vq->avail->ring[vq->avail_idx & (vq->num - 1)] = head;
	virtio_wmb(); /* the descriptors and the ring entry before the index */
	vq->avail_idx++;
	vq->avail->idx = vq->avail_idx;
	return 0;
}

void virtq_kick(struct virtq *vq)
{
	virtio_mb(); /* the available index before the notification (and flags read) */
	if (!(vq->used->flags & VIRTQ_USED_F_NO_NOTIFY))
		vq->notify(vq->notify_arg, vq->index);
}

/* Puts the chain starting at head back on the free list. */
static void *free_chain(struct virtq *vq, uint16_t head)
{
	void *cookie = vq->head[head].cookie;
	uint16_t n = vq->head[head].ndesc, d = head;
	for (uint16_t i = 1; i < n; i++)
		d = vq->next[d]; /* our links, never the device's */
	vq->next[d] = vq->free_head;
	vq->free_head = head;
	vq->num_free = (uint16_t)(vq->num_free + n);
	vq->head[head].cookie = NULL;
	vq->head[head].writable = 0;
	vq->head[head].ndesc = 0;
	vq->inflight--;
	return cookie;
}

int virtq_get(struct virtq *vq, struct virtq_done *done)
{
	if (vq->broken)
		return -ERR_IO;
	uint16_t idx = vq->used->idx;
	uint16_t pending = (uint16_t)(idx - vq->last_used);
	if (pending == 0)
		return 0;
	if (pending > vq->inflight) {
		/* Also catches an index that moved by more than the queue size
		 * or went backwards (a huge distance modulo 2^16). */
		report(vq, "used index ran ahead of the chains in flight", pending, vq->inflight);
		vq->broken = true;
		return -ERR_IO;
	}
	virtio_rmb(); /* the index before the entry it covers */
	volatile struct virtq_used_elem *e = &vq->used->ring[vq->last_used & (vq->num - 1)];
	uint32_t id = e->id, len = e->len; /* read once: the device may change them */
	if (id >= vq->num || !vq->head[id].cookie) {
		report(vq, "used id out of range or not in flight", id, vq->num);
		vq->broken = true;
		return -ERR_IO;
	}
	vq->last_used++;
	uint32_t offered = vq->head[id].writable;
	done->cookie = free_chain(vq, (uint16_t)id);
	done->len = len;
	done->err = 0;
	if (len > offered) {
		report(vq, "used length beyond the writable bytes offered", len, offered);
		done->len = offered;
		done->err = -ERR_IO;
	}
	return 1;
}

void *virtq_detach(struct virtq *vq)
{
	for (uint16_t i = 0; i < vq->num; i++)
		if (vq->head[i].cookie)
			return free_chain(vq, i);
	return NULL;
}
