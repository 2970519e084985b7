/*
 * Write-behind (writeback.c): a reclaim's dirty victims are copied into
 * bounce frames and written from there while the swapper goes on, so the
 * victims' pool frames are free at once and the disk works while clients
 * run. The policy sees exactly what it would with waiting writes (the
 * same victims, freed in the same order), so fault counts do not change;
 * only the waits move: to when every bounce batch is busy, and to a page
 * that is wanted back before its write completed (wb_drain).
 *
 * WB_BATCHES batches of SWAP_CLUSTER bounce frames, mapped at WB_VA in the
 * swapper's space. Each page written is named by its client (pointer and
 * serial number, so a client gone meanwhile is recognised) and page; when
 * its write completes, wb_start's caller-given done() is called with the
 * request (its status says how it went; its buffer still holds the page,
 * for a retry elsewhere). Single-threaded, like the rest of the swapper.
 */
#ifndef USER_SWAPPER_WRITEBACK_H
#define USER_SWAPPER_WRITEBACK_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/block.h"

#define WB_BATCHES 4
#define WB_VA 0x2900000000UL /* the bounce frames, one batch after another */

struct client;

/* Called once per page written behind, when its write is done. */
typedef void wb_done_fn(struct client *c, uint64_t serial, unsigned long vpn,
			struct block_req *req);

/* Allocates and maps the bounce frames. 0, or -ERR_*: write-behind stays
 * off (wb_start then refuses everything; writes wait, as before). */
long wb_init(struct block_dev *dev, wb_done_fn *done);

/*
 * Copies the pages of the n write requests reqs[i] (buffers in pool
 * frames; n <= SWAP_CLUSTER) into a bounce batch and starts them from
 * there; page i is c[i]'s (serial[i]) page vpn[i]. Waits for the oldest
 * batch first if all are busy, and then sets *waited (clients may have
 * run meanwhile; untouched otherwise). Returns true when the writes are started
 * (the pool frames may be reused at once), false when write-behind is off
 * or the device cannot take them now: the caller then writes reqs itself
 * and waits.
 */
bool wb_start(const struct block_req *reqs, struct client *const *c, const uint64_t *serial,
	      const unsigned long *vpn, unsigned n, bool *waited);

/* Takes in completed batches without waiting (calls done for their pages). */
void wb_poll(void);

/* Waits for every batch in flight and takes them in. */
void wb_drain(void);

/*
 * A test hook (SWAP_HOLD): while held, wb_poll takes no batch in, so a
 * batch stays in flight, as far as the swapper knows, until a wait needs
 * it (wb_start finding every batch busy, or wb_drain): a page evicted
 * lately is still being written at its next fault, however fast the
 * device. What the device did is not changed, only when it is looked at.
 */
void wb_hold(bool hold);

/* Pages written behind, and the waits for a free batch. */
void wb_stats(unsigned long *pages, unsigned long *waits);

#endif
