/*
 * swapper: the swap pager. It serves anonymous memory (regions created with
 * badged handles to its endpoint: a process spawned with it as pager has
 * its stack, heap and .bss served so) from a pool of frames it owns, and
 * pages out to a virtio-blk disk, so its clients together may use more
 * memory than the pool. Protocol and disk header: swapper.h.
 *
 * The pool grows a frame at a time, when a fault finds none free, for as
 * long as the machine's free frames stay above the low watermark (and our
 * quota and the pool's cap allow); below it, faults are served by evicting.
 *
 * Pages. Each client page is either nowhere (reads as zero), resident in a
 * pool frame (mapped into the client or not), or in a swap slot (a clean
 * resident page may be in both). A read fault maps the frame read-only: the
 * page stays clean (its swap copy, or its zeroness, stays valid), so
 * evicting it costs no I/O. A write fault maps it read-write, which makes
 * it dirty and frees its swap copy: it is written out when evicted. The
 * frame is also mapped in our own space (POOL_VA), for zeroing and for I/O
 * straight from and into it.
 *
 * Eviction. When no pool frame is free, the policy SWAP_START chose
 * (policy.h: CLOCK-Pro, CLOCK, FIFO or random, on the accessed bits read
 * with pg_ad_query) names up to CLUSTER victims; each is unmapped from its
 * client first (so it cannot change under the write; runs of adjacent
 * pages in one call),
 * clean ones are dropped, dirty ones get a slot and all their writes go to
 * the disk in one transfer call. A failed write marks its slot bad and tries
 * another. With no slot left, the biggest client (resident + swapped pages)
 * is killed with a line saying so, and its frames and slots return: never a
 * deadlock. A failed read kills the page's owner: never wrong data.
 *
 * Faults that look sequential bring in more than their page (pagein.c):
 * page-in reads ahead, now and behind the client (the next window reads
 * while the client works through this one), and a first write maps
 * zeroed pages ahead; the window is SWAP_START's read-ahead (swapra=).
 * The policy's accessed-bit questions are answered in runs (adcache.c).
 *
 * Events. The kernel signals one notification when the machine falls
 * below the low watermark (the pool gives frames back: pool_trim) and when
 * a client's process exits (its frames and slots return: reap); the event
 * thread turns the signals into calls on our endpoint.
 */
#include <pagoda/ipc.h>
#include <pagoda/libpager.h>
#include <pagoda/runtime.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/block.h"
#include "user/swapper/disk.h"
#include "user/swapper/events.h"
#include "user/swapper/internal.h"
#include "user/swapper/policy.h"
#include "user/swapper/pool.h"
#include "user/swapper/slots.h"
#include "user/swapper/swapper.h"
#include "user/swapper/vpages.h"
#include "user/swapper/writeback.h"

const char *progname = "swapper";

#define RA_DEFAULT 16
#define MAX_DEVS 8
#define EVENT_PRIORITY 12 /* the event thread; as init starts us: above the clients */
/* Event bits: this one for low memory, bit i for "clients[i] exited".
 * Not bit 63: wait returns the bits as a long, and negative is an error. */
#define EVENT_LOW_MEMORY (1UL << 62)
#define HEAP_RESERVE (512UL << 10)   /* grown at start: page tables of the first clients */
#define USER_SPACE_TOP (1UL << 38)   /* Sv39's user half: no client page lies above */

/* ---- state ------------------------------------------------------------------ */

static struct swap_dev_slot devs[MAX_DEVS];
static struct swap_disk disk; /* must not move while open */
struct block_dev *dev; /* disk.dev, once open */
uint32_t spp;

static struct client clients[SWAP_MAX_CLIENTS];

struct swap_counts st;
static const struct swap_policy *policy = &clock_policy;
unsigned readahead = RA_DEFAULT;
static bool started, lost_pending; /* lost_pending: some client is marked lost */
static long self_ep = HANDLE_NONE; /* our endpoint (pager_announce) */
static long events = HANDLE_NONE;  /* the event thread's notification */

/* ---- frames and clients ----------------------------------------------------- */

void disk_transfer(struct block_req *reqs, unsigned n)
{
	block_transfer(dev, reqs, n);
	ad_clients_ran();
}

/* Gives frame f back to the free list; its page is no longer resident. */
static void frame_release(unsigned f)
{
	struct frame *fr = &frames[f];
	if (fr->owner) {
		struct vpage *vp = frame_page(fr);
		vp->frame = 0;
		vp->flags = 0;
	}
	fr->owner = NULL;
	pool_put(f);
}

static struct client *client_of(unsigned long id)
{
	for (unsigned i = 0; i < SWAP_MAX_CLIENTS; i++)
		if (clients[i].used && clients[i].id == id)
			return &clients[i];
	return NULL;
}

/* Takes back everything c holds: frames (unmapped) and slots. */
static void client_release(struct client *c)
{
	wb_drain(); /* no slot of c may be freed while a write to it is in flight */
	ra_cancel(c); /* nor read */
	for (unsigned long i = 0; i < c->pages.cap; i++) {
		struct vp_chunk *ch = vp_chunk_at(&c->pages, i);
		for (unsigned long k = 0; ch && k < VP_CHUNK_PAGES; k++) {
			struct vpage *vp = &ch->page[k];
			unsigned long vpn = ch->number << VP_CHUNK_SHIFT | k;
			if (vp->frame) {
				unsigned f = vp->frame - 1u;
				policy->page_removed(f);
				if ((vp->flags & VP_MAPPED) && !c->dead)
					pg_unmap(c->proc, page_va(vpn), PAGE);
				frame_release(f);
			}
			slot_free(vp->slot);
			vp->slot = 0;
		}
	}
	vp_free(&c->pages);
}

/* Client c is gone: everything it held returns, its exit watch (unless
 * taken off already) and process handle go, and its slot is free. */
static void client_forget(struct client *c, bool watched)
{
	client_release(c);
	if (watched)
		pg_process_watch(c->proc, events, 0);
	pg_handle_delete(c->proc);
	*c = (struct client){ .used = false };
}

static void client_sizes(const struct client *c, unsigned long *resident, unsigned long *swapped)
{
	*resident = *swapped = 0;
	for (unsigned long i = 0; i < c->pages.cap; i++) {
		const struct vp_chunk *ch = vp_chunk_at(&c->pages, i);
		for (unsigned long k = 0; ch && k < VP_CHUNK_PAGES; k++) {
			*resident += ch->page[k].frame != 0;
			*swapped += ch->page[k].slot != 0 && !ch->page[k].frame;
		}
	}
}

static void client_kill(struct client *c, const char *why)
{
	unsigned long res, swp;
	client_sizes(c, &res, &swp);
	printf("swapper: %s: killing client %lu (pid %ld: %lu resident + %lu swapped pages)\n", why,
	       c->id, c->pid, res, swp);
	/* The process handle SWAP_CLIENT gives has READ | WRITE only, and
	 * destroying needs RIGHT_ALL: this usually fails (-ERR_PERM), and the
	 * client then dies at its next fault (served -ERR_NOENT from now on,
	 * or the failed fault we are answering). So release (which unmaps)
	 * before marking it dead: a client still running must not keep
	 * mappings of frames that go back to the pool and to other clients. */
	pg_object_destroy(c->proc);
	client_release(c);
	c->dead = true;
	st.kills++;
}

/* Out of swap: kills the client with the most resident plus swapped
 * pages. Returns false if there is none to kill. */
static bool kill_biggest(void)
{
	struct client *big = NULL;
	unsigned long best = 0;
	for (unsigned i = 0; i < SWAP_MAX_CLIENTS; i++) {
		struct client *c = &clients[i];
		if (!c->used || c->dead)
			continue;
		unsigned long res, swp;
		client_sizes(c, &res, &swp);
		if (!big || res + swp > best) {
			big = c;
			best = res + swp;
		}
	}
	if (!big || best == 0)
		return false;
	client_kill(big, "out of swap");
	return true;
}

/* ---- eviction --------------------------------------------------------------- */

/* The policy's name for page vpn of c (policy.h): never reused (a Sv39
 * user vpn fits in 26 bits). */
static inline uint64_t page_key(const struct client *c, unsigned long vpn)
{
	return c->serial << 32 | vpn;
}

/*
 * Takes the victims' pages out of their clients' hands (so they cannot
 * change while written out): one pg_unmap per run of adjacent pages of one
 * client, which the kernel flushes as one range.
 */
static void unmap_victims(const unsigned *victim, unsigned n)
{
	unsigned order[CLUSTER];
	unsigned m = 0;
	for (unsigned i = 0; i < n; i++) { /* the mapped ones, by client and page */
		const struct frame *fr = &frames[victim[i]];
		if (!(frame_page(fr)->flags & VP_MAPPED))
			continue;
		unsigned j = m++;
		for (; j > 0; j--) {
			const struct frame *prev = &frames[order[j - 1]];
			if (prev->owner < fr->owner || (prev->owner == fr->owner && prev->vpn < fr->vpn))
				break;
			order[j] = order[j - 1];
		}
		order[j] = victim[i];
	}
	for (unsigned i = 0; i < m;) {
		const struct frame *first = &frames[order[i]];
		unsigned run = 1;
		while (i + run < m && frames[order[i + run]].owner == first->owner &&
		       frames[order[i + run]].vpn == first->vpn + run)
			run++;
		pg_unmap(first->owner->proc, page_va(first->vpn), run * PAGE);
		for (unsigned k = 0; k < run; k++)
			frame_page(&frames[order[i + k]])->flags &= (uint8_t)~(VP_MAPPED | VP_RW);
		i += run;
	}
}

/* A write of slot s done: while it failed, s is marked bad and the page (still in
 * req's buffer) written to another slot. The slot that took it, or -1: none left. */
static long write_retry(struct block_req *req, long s)
{
	while (req->status < 0) {
		st.write_errors++;
		printf("swapper: %s: write of slot %ld failed (%s); marking it bad\n", dev->name, s,
		       err_text(req->status));
		slot_mark_bad((unsigned long)s);
		if ((s = slot_alloc()) < 0)
			return -1;
		req->sector = (uint64_t)s * spp;
		disk_transfer(req, 1);
	}
	return s;
}

/* wb_done_fn: page vpn of c, written behind, is on the disk (or failed). */
static void written_behind(struct client *c, uint64_t serial, unsigned long vpn,
			   struct block_req *req)
{
	if (!c->used || c->dead || c->serial != serial)
		return; /* gone, and its slots with it (client_release drained first) */
	struct vpage *vp = vp_find(&c->pages, vpn);
	if (!vp || vp->frame || !(vp->flags & VP_INFLIGHT))
		return; /* cannot happen: a fault on it drains first */
	vp->flags = 0;
	long s = write_retry(req, vp->slot);
	if (s < 0) { /* the page is only in the bounce frame now: it is lost */
		vp->slot = 0;
		vp->flags = VP_LOST; /* never "nowhere": that would read as zeros */
		c->lost = lost_pending = true; /* killed at the next message, not amid a reclaim */
		return;
	}
	vp->slot = (uint32_t)s;
	st.pageouts++;
}

/* Kills the clients that lost a page (written_behind), before anything
 * can fault it in as a page that is nowhere (zero-filled). */
static void kill_lost(void)
{
	if (!lost_pending)
		return;
	lost_pending = false;
	for (unsigned i = 0; i < SWAP_MAX_CLIENTS; i++)
		if (clients[i].used && !clients[i].dead && clients[i].lost)
			client_kill(&clients[i], "swap full after write errors");
}

/* Starts the nreq writes of the victims with a slot, behind (writeback.h).
 * True if started; false: the caller writes them and waits. */
static bool write_behind(const unsigned *victim, const long *slot, unsigned nvictims,
			 const struct block_req *reqs, unsigned nreq)
{
	uint64_t serial[CLUSTER];
	struct client *owner[CLUSTER];
	unsigned long vpn[CLUSTER];
	for (unsigned i = 0, r = 0; i < nvictims; i++) {
		if (!slot[i])
			continue;
		const struct frame *fr = &frames[victim[i]];
		owner[r] = fr->owner;
		serial[r] = fr->owner->serial;
		vpn[r++] = fr->vpn;
	}
	bool waited = false;
	bool started = wb_start(reqs, owner, serial, vpn, nreq, &waited);
	if (waited)
		ad_clients_ran(); /* clients may have run meanwhile */
	return started;
}

/*
 * Evicts up to CLUSTER pages; returns how many frames it freed. The freed
 * frames go onto the free list in the order the policy named them, clean
 * or dirty (tests/host/policysim.c replays exactly this discipline). A
 * dirty page that gets no swap slot stays resident (unmapped; its next
 * fault maps it again).
 */
unsigned reclaim(void)
{
	struct block_req reqs[CLUSTER];
	unsigned picked[CLUSTER], npicked = 0;
	unsigned victim[CLUSTER], nvictims = 0, nreq = 0, freed = 0;
	long slot[CLUSTER]; /* the slot written, or 0: clean, no write */
	while (npicked < CLUSTER) {
		long v = policy->pick_victim();
		if (v < 0)
			break;
		policy->page_removed((unsigned)v);
		picked[npicked++] = (unsigned)v;
	}
	unmap_victims(picked, npicked);
	for (unsigned k = 0; k < npicked; k++) {
		unsigned v = picked[k];
		struct frame *fr = &frames[v];
		struct vpage *vp = frame_page(fr);
		long s = 0; /* clean: its swap copy (or zeroness) stands */
		if ((vp->flags & VP_ZEROFILL) && frame_is_zero(v)) {
			vp->flags &= (uint8_t)~VP_DIRTY; /* never written: nowhere again */
			st.zerodrops++;
		}
		if ((vp->flags & VP_DIRTY) && (s = slot_alloc()) < 0) {
			policy->page_added(v, page_key(fr->owner, fr->vpn)); /* stays */
			continue;
		}
		victim[nvictims] = v;
		slot[nvictims++] = s;
		if (s)
			reqs[nreq++] = (struct block_req){ .op = BLOCK_WRITE,
							   .sector = (uint64_t)s * spp,
							   .count = spp, .buf = frame_va(v),
							   .buf_pa = fr->pa };
	}
	if (nreq && write_behind(victim, slot, nvictims, reqs, nreq)) {
		for (unsigned i = 0; i < nvictims; i++) {
			struct vpage *vp = frame_page(&frames[victim[i]]);
			frame_release(victim[i]);
			if (slot[i]) { /* on its way: wb_drain before it is read */
				vp->slot = (uint32_t)slot[i];
				vp->flags = VP_INFLIGHT;
			}
		}
		return nvictims;
	}
	if (nreq)
		disk_transfer(reqs, nreq);
	for (unsigned i = 0, r = 0; i < nvictims; i++) {
		long s = slot[i];
		struct frame *fr = &frames[victim[i]];
		struct vpage *vp = frame_page(fr);
		if (s) {
			if ((s = write_retry(&reqs[r++], s)) < 0) { /* no slot took it: keep it */
				policy->page_added(victim[i], page_key(fr->owner, fr->vpn));
				continue;
			}
			vp->slot = (uint32_t)s;
			st.pageouts++;
		}
		frame_release(victim[i]);
		freed++;
	}
	return freed;
}

/* Swap is full: resident pages give up their (clean) swap copies, which
 * makes them dirty (written again if evicted). Returns the slots freed. */
static unsigned long drop_swap_cache(void)
{
	unsigned long n = 0;
	for (unsigned f = 0; f < pool_span(); f++) {
		struct client *c = frames[f].owner;
		if (!c)
			continue;
		struct vpage *vp = frame_page(&frames[f]);
		if (vp->slot) {
			slot_free(vp->slot);
			vp->slot = 0;
			vp->flags |= VP_DIRTY;
			n++;
		}
	}
	return n;
}

/* A free pool frame (growing the pool, evicting, or killing the biggest
 * client when swap is full), or -ERR_NOMEM. */
static long frame_get(void)
{
	for (unsigned round = 0; round < 4 * SWAP_MAX_CLIENTS + 8; round++) {
		long f = pool_spare();
		if (f >= 0)
			return f;
		if (pool_frames() == 0)
			break; /* nothing to evict */
		if (reclaim() > 0 || drop_swap_cache() > 0)
			continue;
		if (!kill_biggest())
			break;
	}
	return -ERR_NOMEM;
}

/* ---- faults ------------------------------------------------------------------- */

void frame_install(struct client *c, unsigned long vpn, struct vpage *vp, unsigned f)
{
	frames[f].owner = c;
	frames[f].vpn = vpn;
	vp->frame = (uint16_t)(f + 1);
	vp->flags = 0;
	ad_forget(f);
	policy->page_added(f, page_key(c, vpn));
}

/* Answers a fault on page va (vp: resident, not mapped) by mapping its
 * frame: read-write, and dirty from now on (its swap copy freed: it is
 * about to go stale), if the fault writes or the page is dirty already;
 * else read-only, so the page stays clean. */
static void answer_map(struct vpage *vp, unsigned long va, bool write, struct pager_reply *r)
{
	unsigned long rights = RIGHT_READ;
	if (write || (vp->flags & VP_DIRTY)) {
		rights |= RIGHT_WRITE;
		vp->flags |= VP_DIRTY | VP_RW;
		slot_free(vp->slot);
		vp->slot = 0;
	}
	vp->flags |= VP_MAPPED;
	pager_reply_map(r, frames[vp->frame - 1u].handle, va, rights);
}

static int swap_fault(void *ctx, const struct pager_fault *f, struct pager_reply *r)
{
	(void)ctx;
	st.faults++;
	ad_clients_ran(); /* since the last message */
	wb_poll();
	kill_lost();
	if (policy->fault)
		policy->fault();
	struct client *c = client_of(f->badge);
	if (!c || c->dead)
		return -ERR_NOENT;
	if (f->page < c->lo || f->page >= c->hi)
		return -ERR_RANGE;
	if (f->access == FAULT_EXEC)
		return -ERR_PERM; /* anonymous memory holds data, not code */
	c->pid = f->pid;
	unsigned long vpn = f->page / PAGE;
	struct vpage *vp = vp_get(&c->pages, vpn);
	if (!vp)
		return -ERR_NOMEM;
	bool write = f->access == FAULT_WRITE;

	if (vp->flags & VP_READING)
		ra_land_fault(c, vpn); /* resident now, unless its read failed */
	if (vp->frame) {
		if (vp->flags & VP_MAPPED) {
			if (!write || (vp->flags & VP_RW)) {
				pager_reply_retry(r); /* mapped already (a stale fault) */
				return 0;
			}
			/* The first write to a clean page: map it writable again. */
			pg_unmap(c->proc, f->page, PAGE);
			vp->flags &= (uint8_t)~VP_MAPPED;
		}
		answer_map(vp, f->page, write, r);
		return 0;
	}

	if (vp->flags & VP_INFLIGHT) { /* wanted back before its write is done */
		st.write_waits++;
		wb_drain();
		ad_clients_ran();
		kill_lost(); /* the write may have found no slot: then vp is VP_LOST */
		if (c->dead)
			return -ERR_NOENT;
	}
	long fi = frame_get();
	if (fi < 0)
		return (int)fi;
	if (c->dead) { /* it was the biggest, and killed for room */
		pool_put((unsigned)fi);
		return -ERR_NOMEM;
	}
	if (vp->slot) {
		long rc = page_in(c, vpn, vp, (unsigned)fi);
		if (rc < 0) {
			st.read_errors++;
			pool_put((unsigned)fi);
			printf("swapper: %s: read of slot %u (page 0x%lx) failed: %s\n", dev->name,
			       vp->slot, f->page, err_text(rc));
			slot_mark_bad(vp->slot);
			vp->slot = 0;
			client_kill(c, "swap read error");
			return -ERR_IO;
		}
		st.pageins++;
	} else {
		memset(frame_va((unsigned)fi), 0, PAGE);
		if (write && readahead > 1 && follows_resident(c, vpn)) {
			unsigned long end = f->region_end < c->hi ? f->region_end : c->hi;
			zero_ahead(c, vpn, end / PAGE);
		}
	}
	frame_install(c, vpn, vp, (unsigned)fi);
	answer_map(vp, f->page, write, r);
	return 0;
}

/* ---- events ------------------------------------------------------------------ */

_Static_assert(SWAP_MAX_CLIENTS < 62, "a client slot's exit is one bit of the event notification");

/* SWAP_REAP: releases the clients of slots in `which` whose process has
 * exited. A slot whose process is alive (a bit left over from the slot's
 * previous client, or sent by someone else) keeps its watch. */
static unsigned long reap(unsigned long which)
{
	unsigned long n = 0;
	for (unsigned i = 0; i < SWAP_MAX_CLIENTS; i++) {
		struct client *c = &clients[i];
		if (!(which & 1UL << i) || !c->used)
			continue;
		/* Taking the watch off answers "has it exited?" without blocking. */
		long gone = pg_process_watch(c->proc, events, 0);
		if (gone != 1) {
			if (gone == 0)
				pg_process_watch(c->proc, events, 1UL << i);
			continue;
		}
		client_forget(c, false);
		st.reaped++;
		n++;
	}
	return n;
}

/* ---- setup ---------------------------------------------------------------------- */

static long swap_start(unsigned long pool, unsigned long max_slots, unsigned long where,
		       unsigned long label)
{
	if (started)
		return -ERR_EXIST;
	unsigned long which = (pool >> SWAP_POLICY_SHIFT) & 0xff;
	unsigned long ra = (pool >> SWAP_READAHEAD_SHIFT) & 0xff;
	unsigned long low = pool >> SWAP_LOWMARK_SHIFT;
	if (ra > RA_MAX)
		return -ERR_INVAL;
	readahead = ra ? (unsigned)ra : RA_DEFAULT;
	pool &= 0xffffffffUL;
	static const struct swap_policy *const by_id[] = {
		[SWAP_POLICY_CLOCK] = &clock_policy, [SWAP_POLICY_FIFO] = &fifo_policy,
		[SWAP_POLICY_RANDOM] = &random_policy, [SWAP_POLICY_CLOCKPRO] = &clockpro_policy,
	};
	if (which >= sizeof by_id / sizeof by_id[0] || !by_id[which])
		return -ERR_INVAL;
	policy = by_id[which];
	if (pool == 0)
		pool = SWAP_MAX_POOL;
	if (pool < CLUSTER || pool > SWAP_MAX_POOL)
		return -ERR_RANGE;
	long total = pg_sysinfo(SYSINFO_TOTAL_FRAMES);
	unsigned long low_frames =
		low ? low : (unsigned long)(total / 32 > 2 * CLUSTER ? total / 32 : 2 * CLUSTER);
	struct policy_env env = { .nframes = (unsigned)pool, .accessed = frame_accessed };
	long rc = policy->init(&env);
	if (rc < 0)
		return rc;
	if ((rc = swap_disk_open(&disk, devs, MAX_DEVS, max_slots, where, label)) < 0)
		return rc;
	dev = disk.dev;
	spp = disk.spp;
	slots_init(disk.nslots);
	if ((rc = pool_init((unsigned)pool, low_frames)) < 0) {
		printf("swapper: cannot allocate the first %u frames of the pool: %s\n", CLUSTER,
		       err_text(rc));
		return rc;
	}
	if ((rc = wb_init(dev, written_behind)) < 0)
		printf("swapper: no write-behind (%s): writes wait\n", err_text(rc));
	free(malloc(HEAP_RESERVE)); /* grow the heap once, now */
	if ((rc = events_start(self_ep, EVENT_LOW_MEMORY, EVENT_PRIORITY, &events)) < 0 ||
	    (rc = pool_watch(events, EVENT_LOW_MEMORY)) < 0)
		printf("swapper: no low-memory signal (%s): the pool will not shrink\n", err_text(rc));
	started = true;
	printf("swapper: pool of up to %u frames (low watermark %lu free frames), policy %s, "
	       "read-ahead %u pages\n", pool_cap(), pool_low(), policy->name, readahead);
	return 0;
}

static void print_summary(void)
{
	unsigned long trims, given_back, behind, waits;
	pool_trim_stats(&trims, &given_back);
	wb_stats(&behind, &waits);
	printf("swapper: pool %u frames (%u free); swap %lu of %lu slots used (%lu bad); "
	       "%lu page-ins (%lu read ahead, %lu behind the client, %lu waits), %lu page-outs, %lu faults, %lu clients killed, "
	       "%lu released at exit; %lu trims gave back %lu frames; %lu pages zero-filled ahead "
	       "(%lu dropped unwritten); %lu accessed bits asked, %lu read calls; "
	       "%lu pages written behind (%lu waits for a batch, %lu faults on a page being written)\n",
	       pool_frames(), pool_nfree(), slots_used(), slots_total(), slots_bad(), st.pageins,
	       st.readahead, st.ra_behind, st.ra_waits, st.pageouts, st.faults, st.kills, st.reaped, trims, given_back,
	       st.zeroahead, st.zerodrops, st.ad_asked, st.ad_queries, behind, waits, st.write_waits);
}

/* SWAP_DISKBENCH (swapper.h): times sequential writes, then reads, of up
 * to `bytes` of the swap area (swap_disk_bench: the page-outs' shape, as
 * many batches in flight as write-behind keeps). */
static long disk_bench(unsigned long bytes, unsigned long *wt, unsigned long *rt,
		       unsigned long *moved)
{
	if (!started)
		return -ERR_AGAIN;
	for (unsigned i = 0; i < SWAP_MAX_CLIENTS; i++)
		if (clients[i].used)
			return -ERR_BUSY;
	if (slots_used() || pool_nfree() != pool_frames())
		return -ERR_BUSY;
	unsigned long pages = bytes / PAGE;
	if (pages > slots_total())
		pages = slots_total();
	pages -= pages % CLUSTER;
	if (!pages)
		return -ERR_INVAL;
	void *buf[CLUSTER];
	uint64_t pa[CLUSTER];
	for (unsigned i = 0; i < CLUSTER; i++) {
		buf[i] = frame_va(i);
		pa[i] = frames[i].pa;
	}
	unsigned long times[2];
	long rc = swap_disk_bench(&disk, pages, WB_BATCHES, buf, pa, times);
	if (rc < 0)
		return rc;
	*wt = times[0];
	*rt = times[1];
	*moved = pages * PAGE;
	return 0;
}

static int swap_control(void *ctx, const struct pg_msg *m, struct pager_reply *r)
{
	(void)ctx;
	wb_drain(); /* counts and slots settled before any answer */
	kill_lost();
	ad_clients_ran(); /* since the last message */
	unsigned long label = MSG_LABEL(m->info);
	long h = msg_handle(*m);
	switch (label) {
	case SWAP_DEV:
	case SWAP_DEV_IRQ: {
		unsigned long n = m->w[2];
		if (n >= MAX_DEVS || h < 0 || started) {
			if (h >= 0)
				pg_handle_delete(h);
			return -ERR_INVAL;
		}
		if (label == SWAP_DEV) {
			devs[n].window = h;
			devs[n].base = m->w[0];
			devs[n].size = m->w[1];
		} else {
			devs[n].irq = h;
		}
		break;
	}
	case SWAP_START: {
		long rc = swap_start(m->w[0], m->w[1], m->w[2], m->w[3]);
		pager_reply_msg(r, label, (unsigned long)rc, pool_cap(), slots_total(),
				disk.part_number);
		return 0;
	}
	case SWAP_CLIENT: {
		/* base = size = 0: the whole space (a process spawned with us as
		 * its pager); else one region. */
		unsigned long id = m->w[0], base = m->w[1], size = m->w[2];
		struct client *c = NULL;
		long rc = 0;
		if (!started)
			rc = -ERR_AGAIN;
		else if (h < 0 || id == 0 || (base | size) % PAGE || (base && !size) ||
			 size > USER_SPACE_TOP || base > USER_SPACE_TOP - size)
			rc = -ERR_INVAL;
		else if (client_of(id))
			rc = -ERR_EXIST;
		for (unsigned i = 0; rc == 0 && i < SWAP_MAX_CLIENTS && !c; i++)
			if (!clients[i].used)
				c = &clients[i];
		if (rc == 0 && !c)
			rc = -ERR_NOSPC;
		if (rc < 0) {
			if (h >= 0)
				pg_handle_delete(h);
			return (int)rc;
		}
		static uint64_t serials;
		*c = (struct client){ .used = true, .id = id, .serial = ++serials, .proc = h,
				      .pid = -1, .lo = base, .hi = size ? base + size : USER_SPACE_TOP };
		/* Its exit returns its pages (SWAP_REAP); if it has exited
		 * already, the signal is pending and does the same. */
		rc = pg_process_watch(h, events, 1UL << (c - clients));
		if (rc < 0)
			printf("swapper: client %lu: cannot watch its exit (%s): its pages return "
			       "only with SWAP_FORGET\n", id, err_text(rc));
		break;
	}
	case SWAP_FORGET: {
		struct client *c = client_of(m->w[0]);
		if (!c)
			return -ERR_NOENT;
		client_forget(c, true);
		break;
	}
	case SWAP_STATS:
		pager_reply_msg(r, label, st.pageins, st.pageouts, st.faults,
				SWAP_STATS_W3(pool_nfree(), pool_frames(), pool_cap()));
		return 0;
	case SWAP_AHEAD:
		pager_reply_msg(r, label, st.readahead, st.zeroahead, st.zerodrops,
				SWAP_AHEAD_W3(st.ad_asked, st.ad_queries));
		return 0;
	case SWAP_BEHIND:
		pager_reply_msg(r, label, st.ra_behind, st.ra_waits, ra_reading(), st.write_waits);
		return 0;
	case SWAP_HOLD:
		wb_hold(m->w[0] != 0);
		break;
	case SWAP_SWAPINFO:
		pager_reply_msg(r, label, slots_used(), slots_total(), slots_bad(), st.kills);
		return 0;
	case SWAP_PRINT:
		print_summary();
		break;
	case SWAP_TRIM: {
		unsigned long given = started ? pool_trim(reclaim) : 0;
		pager_reply_msg(r, label, given, pool_frames(), 0, 0);
		return 0;
	}
	case SWAP_REAP: {
		unsigned long n = started ? reap(m->w[0]) : 0;
		pager_reply_msg(r, label, n, 0, 0, 0);
		return 0;
	}
	case SWAP_DISKBENCH: {
		unsigned long wt = 0, rt = 0, moved = 0;
		long rc = disk_bench(m->w[0], &wt, &rt, &moved);
		pager_reply_msg(r, label, (unsigned long)rc, wt, rt, moved);
		return 0;
	}
	default:
		if (h >= 0)
			pg_handle_delete(h);
		return -ERR_NOSYS;
	}
	pager_reply_msg(r, label, 0, 0, 0, 0);
	return 0;
}

static const struct pager_ops swap_ops = { .fault = swap_fault, .control = swap_control };

int main(void)
{
	for (unsigned i = 0; i < MAX_DEVS; i++)
		devs[i].window = devs[i].irq = HANDLE_NONE;
	self_ep = pg_must(pager_announce(), "announce");
	return (int)pager_serve(self_ep, &swap_ops, NULL);
}
