/* Write-behind through bounce frames (see writeback.h). */
#include "user/swapper/writeback.h"

#include <pagoda/errno.h>
#include <pagoda/syscalls.h>

#include "user/swapper/pool.h"
#include "user/swapper/swapper.h"

enum batch_state { WB_IDLE, WB_BUSY, WB_FINISHING };

struct wb_batch {
	enum batch_state state;
	unsigned n;
	unsigned long seq; /* started in this order: the oldest is waited for first */
	struct block_req req[SWAP_CLUSTER];
	struct client *client[SWAP_CLUSTER];
	uint64_t serial[SWAP_CLUSTER];
	unsigned long vpn[SWAP_CLUSTER];
	uint64_t pa[SWAP_CLUSTER]; /* its bounce frames */
};

static struct wb_batch batches[WB_BATCHES];
static struct block_dev *wb_dev;
static wb_done_fn *wb_done;
static bool wb_on, wb_held;
static unsigned long wb_seq, wb_pages, wb_waits;

static inline void *bounce_va(unsigned b, unsigned i)
{
	return (void *)(WB_VA + (b * SWAP_CLUSTER + i) * 4096UL);
}

long wb_init(struct block_dev *dev, wb_done_fn *done)
{
	for (unsigned b = 0; b < WB_BATCHES; b++)
		for (unsigned i = 0; i < SWAP_CLUSTER; i++) {
			long f = pg_frame_alloc(0);
			if (f < 0)
				return f; /* what was had stays mapped, unused: a few pages */
			long rc = pg_map(HANDLE_SELF, f, (unsigned long)bounce_va(b, i),
					 RIGHT_READ | RIGHT_WRITE);
			long pa = rc < 0 ? rc : pg_frame_phys(f);
			if (pa < 0)
				return pa;
			batches[b].pa[i] = (uint64_t)pa;
		}
	wb_dev = dev;
	wb_done = done;
	wb_on = true;
	return 0;
}

static bool batch_done(const struct wb_batch *b)
{
	for (unsigned i = 0; i < b->n; i++)
		if (b->req[i].pending)
			return false;
	return true;
}

/* Calls done for each page of b (which may start, poll or drain again:
 * b is FINISHING meanwhile, neither waited for nor handed out). */
static void batch_finish(struct wb_batch *b)
{
	b->state = WB_FINISHING;
	for (unsigned i = 0; i < b->n; i++)
		wb_done(b->client[i], b->serial[i], b->vpn[i], &b->req[i]);
	b->state = WB_IDLE;
}

/* Finishes every busy batch whose writes are all done. */
static void take_in(void)
{
	for (unsigned k = 0; k < WB_BATCHES; k++)
		if (batches[k].state == WB_BUSY && batch_done(&batches[k]))
			batch_finish(&batches[k]);
}

static struct wb_batch *oldest_busy(void)
{
	struct wb_batch *old = NULL;
	for (unsigned k = 0; k < WB_BATCHES; k++)
		if (batches[k].state == WB_BUSY && (!old || batches[k].seq < old->seq))
			old = &batches[k];
	return old;
}

/* Waits until batch b's writes are done (each request keeps its own
 * status for done()), then finishes it. */
static void wait_for(struct wb_batch *b)
{
	block_wait(wb_dev, b->req, b->n);
	batch_finish(b);
}

void wb_poll(void)
{
	if (!wb_on)
		return;
	block_poll(wb_dev, false);
	if (!wb_held)
		take_in();
}

void wb_drain(void)
{
	if (!wb_on)
		return;
	for (struct wb_batch *b; (b = oldest_busy());)
		wait_for(b);
}

void wb_hold(bool hold)
{
	wb_held = hold;
}

bool wb_start(const struct block_req *reqs, struct client *const *c, const uint64_t *serial,
	      const unsigned long *vpn, unsigned n, bool *waited)
{
	if (!wb_on || n == 0 || n > SWAP_CLUSTER)
		return false;
	wb_poll();
	unsigned k = 0;
	while (k < WB_BATCHES && batches[k].state != WB_IDLE)
		k++;
	if (k == WB_BATCHES) {
		struct wb_batch *old = oldest_busy();
		if (!old)
			return false; /* all FINISHING: a nested call; write in place */
		wb_waits++;
		*waited = true;
		wait_for(old);
		k = (unsigned)(old - batches);
	}
	struct wb_batch *b = &batches[k];
	for (unsigned i = 0; i < n; i++) {
		page_copy(bounce_va(k, i), reqs[i].buf);
		b->req[i] = reqs[i];
		b->req[i].buf = bounce_va(k, i);
		b->req[i].buf_pa = b->pa[i];
		b->client[i] = c[i];
		b->serial[i] = serial[i];
		b->vpn[i] = vpn[i];
	}
	if (block_start(wb_dev, b->req, n) < 0)
		return false;
	b->n = n;
	b->seq = ++wb_seq;
	b->state = WB_BUSY;
	wb_pages += n;
	return true;
}

void wb_stats(unsigned long *pages, unsigned long *waits)
{
	*pages = wb_pages;
	*waits = wb_waits;
}
