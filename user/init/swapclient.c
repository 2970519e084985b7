/*
 * init's side of the swap pager: see swapclient.h.
 */
#include <pagoda/child.h>
#include <pagoda/ipc.h>
#include <pagoda/libpager.h>
#include <pagoda/runtime.h>
#include <stdio.h>
#include <string.h>

#include "init.h"
#include "swapclient.h"
#include "user/swapper/swapper.h"

#define PRIO_CHILD 10
#define PRIO_SWAPPER 12
/* The swapper's quota: a full pool (SWAP_MAX_POOL frames), its handles and
 * page tables, and its tables of client pages. */
#define SWAPPER_QUOTA (SWAP_MAX_POOL * PAGE + (8UL << 20))
#define PAGE 4096UL
#define PROBE_VA 0x2180000000UL /* a virtio-mmio window, while probing it */

long swapper_ep = HANDLE_NONE;
long swap_rc = -ERR_NOENT;
const char *swap_type = "disk";
char swap_name[40];

/* The first virtio-mmio window holding a block device (device id 2). */
const struct pg_device_info *swap_find_disk(void)
{
	const struct pg_process_info *info = runtime_info();
	for (unsigned long i = 0; i < info->ndevices && i < INFO_MAX_DEVICES; i++) {
		const struct pg_device_info *d = &info->devices[i];
		if (strcmp(d->kind, "virtio,mmio") != 0 || d->handle < 0)
			continue;
		if (pg_map(HANDLE_SELF, d->handle, PROBE_VA, RIGHT_READ) < 0)
			continue;
		volatile unsigned *w = (volatile unsigned *)(PROBE_VA + (d->base & 0xfff));
		int blk = w[0] == 0x74726976 && w[2] == 2; /* "virt", VIRTIO_ID_BLOCK */
		pg_unmap(HANDLE_SELF, PROBE_VA, PAGE);
		if (blk)
			return d;
	}
	return NULL;
}

long swapper_spawn(void)
{
	long boot = pg_endpoint_create();
	if (boot < 0)
		return boot;
	/* Its pool's frames are charged to it: most of what we can spare. */
	long left = pg_sysinfo(SYSINFO_QUOTA_LEFT);
	unsigned long quota = left > 0 && (unsigned long)left / 2 < SWAPPER_QUOTA ? (unsigned long)left / 2
										 : SWAPPER_QUOTA;
	long proc = spawn_with("swapper", PRIO_SWAPPER, boot, HANDLE_NONE, quota, 0);
	if (proc < 0) {
		printf("init: cannot start the swapper: %s\n", err_text(proc));
		pg_handle_delete(boot);
		return proc;
	}
	struct pg_msg hello = pg_recv(boot);
	pg_handle_delete(boot);
	if (hello.status < 0 || msg_label(hello) != PAGER_HELLO || msg_handle(hello) < 0) {
		printf("init: the swapper did not announce its endpoint\n");
		pg_object_destroy(proc);
		return -ERR_INVAL;
	}
	swapper_ep = hello.handle;
	pg_reply(MSG_INFO(0, 0, 0), 0, 0, 0, 0, HANDLE_NONE);
	/* Every virtio-mmio window and interrupt: the swapper finds its disk. */
	const struct pg_process_info *info = runtime_info();
	unsigned long slot = 0;
	for (unsigned long i = 0; i < info->ndevices && i < INFO_MAX_DEVICES; i++) {
		const struct pg_device_info *d = &info->devices[i];
		if (strcmp(d->kind, "virtio,mmio") != 0)
			continue;
		struct pg_msg m = pg_call(swapper_ep, MSG_INFO(SWAP_DEV, 3, 1), d->base, d->size, slot, 0,
					  d->handle);
		if (m.status == 0 && d->irq_handle >= 0)
			m = pg_call(swapper_ep, MSG_INFO(SWAP_DEV_IRQ, 3, 1), 0, 0, slot, 0,
				    d->irq_handle);
		if (m.status < 0)
			printf("init: cannot hand virtio slot %lu to the swapper: %s\n", slot,
			       err_text(m.status));
		slot++;
	}
	return proc;
}

struct pg_msg swapper_start_with(unsigned long start_w0, unsigned long max_slots)
{
	unsigned long where, label;
	swap_where_from_bootargs(&where, &label);
	struct pg_msg m = ipc_call(swapper_ep, SWAP_START, start_w0, max_slots, where, label);
	swap_rc = m.status < 0 ? m.status : (long)m.w[0];
	return m;
}

void swapper_start(void)
{
	const struct pg_device_info *blk = swap_find_disk();
	if (!blk) {
		printf("console: no virtio-blk disk: no swap (memtest is refused)\n");
		return;
	}
	snprintf(swap_name, sizeof swap_name, "virtio-blk@%#lx", (unsigned long)blk->base);
	if (swapper_spawn() < 0)
		return;
	struct pg_msg m = swapper_start_with(swap_start_word_from_bootargs(), 0);
	if (swap_rc == 0 && m.w[3]) { /* a GPT partition of the disk (swap=...) */
		size_t n = strlen(swap_name);
		snprintf(swap_name + n, sizeof swap_name - n, "p%lu", m.w[3]);
		swap_type = "partition";
	}
	if (swap_rc < 0)
		printf("console: the swapper refused %s: %s\n", swap_name, err_text(swap_rc));
}

int swap_stats(struct swapstats *s)
{
	memset(s, 0, sizeof *s);
	if (swap_rc < 0)
		return -1;
	struct pg_msg m = ipc_call(swapper_ep, SWAP_STATS, 0, 0, 0, 0);
	if (m.status < 0 || msg_label(m) != SWAP_STATS)
		return -1;
	s->pageins = m.w[0];
	s->pageouts = m.w[1];
	s->faults = m.w[2];
	s->free = SWAP_STATS_FIELD(m.w[3], 0);
	s->pool = SWAP_STATS_FIELD(m.w[3], 1);
	s->cap = SWAP_STATS_FIELD(m.w[3], 2);
	m = ipc_call(swapper_ep, SWAP_SWAPINFO, 0, 0, 0, 0);
	if (m.status < 0 || msg_label(m) != SWAP_SWAPINFO)
		return -1;
	s->used = m.w[0];
	s->total = m.w[1];
	s->bad = m.w[2];
	s->kills = m.w[3];
	m = ipc_call(swapper_ep, SWAP_BEHIND, 0, 0, 0, 0);
	if (m.status < 0 || msg_label(m) != SWAP_BEHIND)
		return -1;
	s->write_waits = m.w[3];
	return 0;
}

int swap_hold(int hold)
{
	struct pg_msg m = ipc_call(swapper_ep, SWAP_HOLD, hold != 0, 0, 0, 0);
	return m.status < 0 || msg_label(m) != SWAP_HOLD ? -1 : 0;
}

static unsigned long next_id = 1;

/* Tells the swapper about client id: proc's [base, base + size), or with
 * size 0 its whole space. The swapper gets its own process handle. */
static long swap_client(long proc, unsigned long id, unsigned long base, unsigned long size)
{
	long given = pg_handle_mint(proc, RIGHT_READ | RIGHT_WRITE, 0);
	if (given < 0)
		return given;
	struct pg_msg m = pg_call(swapper_ep, MSG_INFO(SWAP_CLIENT, 3, 1), id, base, size, 0, given);
	pg_handle_delete(given);
	if (m.status < 0)
		return m.status;
	return msg_label(m) == SWAP_CLIENT ? 0 : (long)m.w[0];
}

long swap_spawn(const char *name, unsigned long priority, long bootstrap, unsigned long *id)
{
	if (swap_rc < 0)
		return -ERR_NOENT;
	*id = next_id++;
	long pager = pg_handle_mint(swapper_ep, RIGHT_WRITE, *id);
	if (pager < 0)
		return pager;
	long proc = spawn_with(name, priority, bootstrap, pager, 0, SPAWN_SUSPENDED);
	pg_handle_delete(pager); /* its regions hold the endpoint now */
	if (proc < 0)
		return proc;
	long rc = swap_client(proc, *id, 0, 0);
	if (rc == 0)
		rc = pg_process_start(proc);
	if (rc < 0) {
		pg_object_destroy(proc);
		pg_handle_delete(proc);
		ipc_call(swapper_ep, SWAP_FORGET, *id, 0, 0, 0);
		return rc;
	}
	return proc;
}

static void kid_forget(struct kid *k)
{
	if (k->id)
		ipc_call(swapper_ep, SWAP_FORGET, k->id, 0, 0, 0);
	k->id = 0;
}

/* The child's CHILD_HELLO: it now waits for its command. */
static long kid_hello(struct kid *k)
{
	struct pg_msg hello = pg_recv(k->ep);
	if (hello.status < 0)
		return hello.status;
	return msg_label(hello) == CHILD_HELLO ? 0 : -ERR_INVAL;
}

long kid_start(struct kid *k, unsigned long size)
{
	*k = (struct kid){ .proc = HANDLE_NONE, .ep = HANDLE_NONE };
	k->ep = pg_endpoint_create();
	if (k->ep < 0)
		return k->ep;
	k->proc = spawn("child", PRIO_CHILD, k->ep);
	if (k->proc < 0)
		return k->proc;
	long rc = kid_hello(k);
	if (rc < 0)
		return rc;
	unsigned long id = next_id++;
	if ((rc = swap_client(k->proc, id, SWAPCLIENT_BASE, size)) < 0)
		return rc;
	k->id = id;
	long badged = pg_handle_mint(swapper_ep, RIGHT_WRITE, id);
	if (badged < 0)
		return badged;
	rc = pg_region_create(k->proc, SWAPCLIENT_BASE, size, RIGHT_READ | RIGHT_WRITE, badged, 0);
	pg_handle_delete(badged);
	return rc;
}

long kid_start_paged(struct kid *k)
{
	*k = (struct kid){ .proc = HANDLE_NONE, .ep = HANDLE_NONE, .paged = 1 };
	k->ep = pg_endpoint_create();
	if (k->ep < 0)
		return k->ep;
	k->proc = swap_spawn("child", PRIO_CHILD, k->ep, &k->id);
	if (k->proc < 0) {
		k->id = 0; /* swap_spawn forgot it */
		return k->proc;
	}
	return kid_hello(k);
}

long kid_memtest(struct kid *k, unsigned long size, unsigned long seed, unsigned long how)
{
	/* The child's call (CHILD_HELLO) is the one we answer. Base 0: its heap. */
	return pg_reply(MSG_INFO(CMD_MEMTEST, 4, 0), k->paged ? 0 : SWAPCLIENT_BASE, size, seed, how,
			HANDLE_NONE);
}

long kid_memtest_start(struct kid *k, unsigned long size, unsigned long seed, unsigned long how)
{
	long rc = kid_start_paged(k);
	return rc < 0 ? rc : kid_memtest(k, size, seed, how);
}

long kid_mem(struct kid *k)
{
	(void)k; /* its CHILD_HELLO is the call we answer (kid_start took it) */
	return pg_reply(MSG_INFO(CMD_MEM, 1, 0), 0, 0, 0, 0, HANDLE_NONE);
}

long kid_touch(struct kid *k, unsigned long pages, unsigned long how)
{
	struct pg_msg r = pg_call(k->ep, MSG_INFO(MEM_TOUCH, 4, 0), SWAPCLIENT_BASE, PAGE, pages,
				  how, HANDLE_NONE);
	return r.status < 0 ? r.status : (long)r.w[0];
}

long kid_end(struct kid *k, int kill)
{
	long status = k->proc;
	if (k->proc >= 0) {
		if (kill)
			pg_object_destroy(k->proc);
		status = pg_process_wait(k->proc);
		kid_forget(k);
		pg_handle_delete(k->proc);
	}
	if (k->ep >= 0)
		pg_handle_delete(k->ep);
	k->proc = k->ep = HANDLE_NONE;
	return status;
}
