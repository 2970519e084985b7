/*
 * Page-in, and what comes with a fault that looks sequential (the page
 * before it is resident): read-ahead, now and behind the client, and zero
 * fault-around for first writes.
 *
 * Read-ahead now. page_in reads the faulting page and the swapped pages
 * after it, up to the read-ahead window, in one transfer (several
 * requests in flight), into frames spare now or freed by evicting.
 *
 * Read-ahead behind the client. Then the window after that one starts to
 * read without waiting (ra_start): its frames are taken now, and its
 * pages are VP_READING: not resident, their slots kept, their frames off
 * the free list, in no client's hands and not the policy's. The client
 * works through the pages it got while the disk reads on. Its fault on a
 * page of the window (ra_land_fault; normally the first) first takes the
 * frames for the window after it (evicting, while the read finishes),
 * then waits for the read, installs and maps what was read, and starts
 * the next read: a client reading in order keeps one window in flight
 * ahead of itself, and its faults seldom wait for the disk.
 *
 * Windows in flight: at most RA_WINDOWS (one per client), holding at most
 * a quarter of the pool, so that reading ahead never starves eviction. A
 * read ahead that fails leaves its page on the disk: its own fault reads
 * it again, and only that read's failure counts (it kills the owner).
 *
 * Pages brought in ahead come in mapped read-only but untouched (accessed
 * bits clear: the kernel maps pages a pager puts into another space that
 * way), so the policy sees whether they are used, and the client does not
 * fault on them.
 */
#include <pagoda/libpager.h>
#include <pagoda/runtime.h>
#include <string.h>

#include "user/swapper/internal.h"

_Static_assert(RA_MAX <= MAP_RUN_MAX, "one pg_map_run maps a fault's pages ahead");

#define RA_WINDOWS 4

struct ra_window {
	struct client *client; /* NULL: idle */
	unsigned long vpn;     /* its first page */
	unsigned n;
	struct vpage *page[RA_MAX];
	unsigned frame_of[RA_MAX];
	struct block_req req[RA_MAX];
};

static struct ra_window windows[RA_WINDOWS];
static unsigned ra_held; /* frames the windows in flight hold */

/* Fills frame_of[from .. want) with frames spare now or freed by evicting
 * (at most the reclaims that many frames take), for pages brought in
 * ahead of a fault; returns how many of frame_of are filled (from .. want:
 * fewer when the pool runs dry). */
static unsigned frames_ahead(unsigned *frame_of, unsigned from, unsigned want)
{
	unsigned n = from;
	unsigned reclaims = (want - from + CLUSTER - 1) / CLUSTER;
	for (; n < want; n++) {
		long g = pool_spare();
		if (g < 0 && reclaims > 0) {
			reclaims--;
			reclaim();
			g = pool_spare();
		}
		if (g < 0)
			break;
		frame_of[n] = (unsigned)g;
	}
	return n;
}

/* Fills page[from .. want) with the pages of c from vpn + from on that
 * are on the disk only (no frame, a slot, no I/O in flight); returns the
 * index of the first that is not (want if all are). */
static unsigned swapped_run(const struct client *c, unsigned long vpn, struct vpage **page,
			    unsigned from, unsigned want)
{
	unsigned n = from;
	while (n < want && vpn + n < c->hi / PAGE && (page[n] = vp_find(&c->pages, vpn + n)) &&
	       !page[n]->frame && page[n]->slot && !(page[n]->flags & (VP_INFLIGHT | VP_READING)))
		n++;
	return n;
}

/* The read of page vp's slot into pool frame f. */
static struct block_req slot_read(const struct vpage *vp, unsigned f)
{
	return (struct block_req){ .op = BLOCK_READ, .sector = (uint64_t)vp->slot * spp,
				   .count = spp, .buf = frame_va(f), .buf_pa = frames[f].pa };
}

/* Maps the frames frame_of[0..n) of pages vpn, vpn + 1, ... of c (page[],
 * installed unmapped) with rights, in one call and one TLB flush. A run
 * the kernel refuses (a page there mapped already) stays unmapped: each
 * page's own fault maps it. */
static void map_ahead(struct client *c, unsigned long vpn, struct vpage *const *page,
		      const unsigned *frame_of, unsigned n, unsigned long rights)
{
	long handles[RA_MAX];
	for (unsigned i = 0; i < n; i++)
		handles[i] = frames[frame_of[i]].handle;
	if (n == 0 || pg_map_run(c->proc, handles, n, page_va(vpn), rights) < 0)
		return;
	for (unsigned i = 0; i < n; i++)
		page[i]->flags |= VP_MAPPED | ((rights & RIGHT_WRITE) ? VP_RW : 0);
}

/*
 * Pages vpn .. vpn + n - 1 of c (page[]) were read into frame_of[] by
 * reqs[] (done). Installs those read and maps them, in runs, except page
 * `keep` if it is one of them (installed if read, but left for the
 * fault's answer to map); a page whose read failed stays on the disk, its
 * frame free. Returns the pages installed other than keep.
 */
static unsigned land(struct client *c, unsigned long vpn, struct vpage *const *page,
		 const unsigned *frame_of, const struct block_req *reqs, unsigned n,
		 unsigned long keep)
{
	unsigned ahead = 0;
	for (unsigned i = 0, start = 0; i <= n; i++) {
		bool read = i < n && reqs[i].status >= 0;
		if (read) {
			frame_install(c, vpn + i, page[i], frame_of[i]);
			st.pageins++;
			if (vpn + i != keep) {
				ahead++;
				continue;
			}
		}
		/* The run read before i (or the end): mapped in one call. */
		map_ahead(c, vpn + start, &page[start], &frame_of[start], i - start, RIGHT_READ);
		if (i < n && !read)
			pool_put(frame_of[i]);
		start = i + 1;
	}
	st.readahead += ahead;
	return ahead;
}

/* An idle window, if one more of `want` pages may start for c: one per
 * client, and all of them within a quarter of the pool (`landing`, the
 * window c faulted on, counts for neither: it is done as the next starts).
 * NULL if not. */
static struct ra_window *window_free(const struct client *c, unsigned want,
				     const struct ra_window *landing)
{
	struct ra_window *idle = NULL;
	unsigned held = ra_held - (landing ? landing->n : 0);
	for (unsigned k = 0; k < RA_WINDOWS; k++) {
		if (&windows[k] == landing)
			continue;
		if (windows[k].client == c)
			return NULL;
		if (!windows[k].client && !idle)
			idle = &windows[k];
	}
	return idle && held + want <= pool_frames() / 4 ? idle : NULL;
}

/* Starts w's reads of pages vpn .. vpn + n - 1 of c (page[], on the disk
 * only) into frames frame_of[] (taken); if the device cannot take them,
 * the frames go back and nothing is read ahead. */
static void ra_start(struct ra_window *w, struct client *c, unsigned long vpn,
		     struct vpage *const *page, const unsigned *frame_of, unsigned n)
{
	if (n == 0)
		return;
	for (unsigned i = 0; i < n; i++) {
		w->page[i] = page[i];
		w->frame_of[i] = frame_of[i];
		w->req[i] = slot_read(page[i], frame_of[i]);
	}
	if (block_start(dev, w->req, n) < 0) {
		for (unsigned i = 0; i < n; i++)
			pool_put(frame_of[i]);
		return;
	}
	for (unsigned i = 0; i < n; i++)
		page[i]->flags |= VP_READING;
	w->client = c;
	w->vpn = vpn;
	w->n = n;
	ra_held += n;
}

/* A window for c's pages from vpn on, if one may start (window_free):
 * *w, with page[] and frame_of[] filled and their count returned; else
 * *w = NULL. */
static unsigned ra_prepare(struct client *c, unsigned long vpn, struct vpage **page,
			   unsigned *frame_of, struct ra_window **w, const struct ra_window *landing)
{
	unsigned want = swapped_run(c, vpn, page, 0, readahead);
	*w = want > 1 ? window_free(c, want, landing) : NULL;
	return *w ? frames_ahead(frame_of, 0, want) : 0;
}

/* Waits for w's reads and makes it idle; the pages are no longer
 * VP_READING (the caller lands them or gives their frames back). Whether
 * it had to wait: only then may clients have run meanwhile. */
static bool ra_finish(struct ra_window *w)
{
	bool waited = false;
	for (unsigned i = 0; i < w->n; i++)
		waited |= w->req[i].pending != 0;
	block_wait(dev, w->req, w->n);
	if (waited)
		ad_clients_ran();
	for (unsigned i = 0; i < w->n; i++)
		w->page[i]->flags &= (uint8_t)~VP_READING;
	w->client = NULL;
	ra_held -= w->n;
	return waited;
}

static struct ra_window *window_of(const struct client *c, unsigned long vpn)
{
	for (unsigned k = 0; k < RA_WINDOWS; k++)
		if (windows[k].client == c && vpn - windows[k].vpn < windows[k].n)
			return &windows[k];
	return NULL;
}

void ra_land_fault(struct client *c, unsigned long vpn)
{
	struct ra_window *w = window_of(c, vpn);
	if (!w)
		pg_panic("ra_land_fault: page 0x%lx is VP_READING in no window", page_va(vpn));
	struct ra_window *next = NULL;
	struct vpage *page[RA_MAX];
	unsigned frame_of[RA_MAX];
	unsigned long after = w->vpn + w->n;
	unsigned n = 0;
	if (vpn == w->vpn) /* in order: read on ahead, evicting while w's read ends */
		n = ra_prepare(c, after, page, frame_of, &next, w);
	if (ra_finish(w))
		st.ra_waits++; /* the fault waited for the disk after all */
	st.ra_behind += land(c, w->vpn, w->page, w->frame_of, w->req, w->n, vpn);
	if (next)
		ra_start(next, c, after, page, frame_of, n);
}

void ra_cancel(struct client *c)
{
	for (unsigned k = 0; k < RA_WINDOWS; k++) {
		struct ra_window *w = &windows[k];
		if (w->client != c)
			continue;
		ra_finish(w);
		for (unsigned i = 0; i < w->n; i++)
			pool_put(w->frame_of[i]);
	}
}

unsigned ra_reading(void)
{
	return ra_held;
}

bool follows_resident(const struct client *c, unsigned long vpn)
{
	const struct vpage *before = vpn > 0 ? vp_find(&c->pages, vpn - 1) : NULL;
	return before && before->frame;
}

/*
 * Reads page vpn of c (vp) from its slot into frame f, and with it, when
 * the client looks sequential, the swapped pages after it up to the
 * read-ahead window; then starts the window after those behind the
 * client. Returns the read's status for vpn (f is installed by the caller
 * on success); a page read ahead that fails just stays on the disk.
 */
long page_in(struct client *c, unsigned long vpn, struct vpage *vp, unsigned f)
{
	struct block_req reqs[RA_MAX];
	struct vpage *page[RA_MAX] = { vp };
	unsigned frame_of[RA_MAX] = { f };
	bool in_order = follows_resident(c, vpn);
	unsigned want = in_order ? swapped_run(c, vpn, page, 1, readahead) : 1;
	unsigned n = frames_ahead(frame_of, 1, want);
	for (unsigned i = 0; i < n; i++)
		reqs[i] = slot_read(page[i], frame_of[i]);
	disk_transfer(reqs, n);
	/* vpn itself is the caller's to install: land only what came after. */
	land(c, vpn + 1, page + 1, frame_of + 1, reqs + 1, n - 1, vpn);
	if (in_order && n == want && want > 1) {
		struct ra_window *w;
		unsigned m = ra_prepare(c, vpn + n, page, frame_of, &w, NULL);
		if (w)
			ra_start(w, c, vpn + n, page, frame_of, m);
	}
	return reqs[0].status;
}

/*
 * Zero fault-around: a first write to page vpn of c (nowhere: no frame, no
 * slot) that follows a resident page looks like a buffer being filled in
 * order. The pages after it that are nowhere too, up to the read-ahead
 * window and end_vpn (the region's end), get zeroed frames, spare or freed
 * by evicting, mapped read-write now: the client writes on without a fault
 * per page. Their accessed bits start clear (the policy sees whether they
 * are used), and no fault tells us whether they are written, so they are
 * VP_ZEROFILL: dirty, but checked at eviction (reclaim) and dropped
 * without I/O while still all zero. Called before vpn's own frame is
 * installed, so evicting here cannot take it.
 */
void zero_ahead(struct client *c, unsigned long vpn, unsigned long end_vpn)
{
	struct vpage *page[RA_MAX];
	unsigned frame_of[RA_MAX];
	unsigned want = 0;
	while (want + 1 < readahead && vpn + 1 + want < end_vpn) {
		struct vpage *vp = vp_get(&c->pages, vpn + 1 + want);
		if (!vp || vp->frame || vp->slot || vp->flags) /* not nowhere: lost, say */
			break;
		page[want++] = vp;
	}
	unsigned n = frames_ahead(frame_of, 0, want);
	for (unsigned i = 0; i < n; i++) {
		memset(frame_va(frame_of[i]), 0, PAGE);
		frame_install(c, vpn + 1 + i, page[i], frame_of[i]);
		page[i]->flags |= VP_DIRTY | VP_ZEROFILL;
		st.zeroahead++;
	}
	map_ahead(c, vpn + 1, page, frame_of, n, RIGHT_READ | RIGHT_WRITE);
}
