/*
 * The swapper's own parts, shared by its files (not an interface for
 * anyone else): the client table's entries, the counters, the swap device,
 * and the calls main.c (faults, eviction, control), adcache.c (accessed
 * bits, in runs) and pagein.c (page-in, read-ahead, zero fault-around)
 * make on each other. Single-threaded: only the main thread runs these.
 */
#ifndef USER_SWAPPER_INTERNAL_H
#define USER_SWAPPER_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/block.h"
#include "user/swapper/pool.h"
#include "user/swapper/swapper.h"
#include "user/swapper/vpages.h"

#define PAGE 4096UL
#define CLUSTER SWAP_CLUSTER
#define RA_MAX 32 /* pages in one page-in, read-ahead included */

struct client {
	bool used, dead;
	bool lost;            /* a page written behind found no slot: kill_lost kills it */
	unsigned long id;     /* the badge */
	uint64_t serial;      /* never reused: names its pages to the policy */
	long proc;            /* process handle (READ | WRITE) */
	long pid;             /* last seen faulting */
	unsigned long lo, hi; /* it may fault in [lo, hi): its region, or all its space */
	struct vp_table pages;
};

struct swap_counts {
	unsigned long pageins, pageouts, faults, kills, write_errors, read_errors;
	unsigned long readahead; /* page-ins of pages nobody had faulted on yet */
	unsigned long ra_behind; /* of those, read while the client ran (pagein.c) */
	unsigned long ra_waits;  /* faults that found their window's read not done yet */
	unsigned long reaped;    /* clients released because their process exited */
	unsigned long zeroahead; /* zeroed pages mapped ahead of sequential first writes */
	unsigned long zerodrops; /* of those, evicted still all zero: no I/O */
	unsigned long ad_asked, ad_queries; /* accessed bits the policy asked; pg_ad_query calls */
	unsigned long write_waits; /* faults on a page still being written (they drained) */
};

extern struct swap_counts st;
extern struct block_dev *dev; /* the swap device, once started */
extern uint32_t spp;          /* its sectors per page */
extern unsigned readahead;    /* the read-ahead window, in pages (1: off) */

static inline unsigned long page_va(unsigned long vpn)
{
	return vpn * PAGE;
}

/* The page a resident frame holds (it has an entry: it was faulted in). */
static inline struct vpage *frame_page(const struct frame *fr)
{
	return vp_find(&fr->owner->pages, fr->vpn);
}

/* ---- main.c ---- */

/* Evicts up to CLUSTER pages; returns how many frames it freed (onto the
 * free list). */
unsigned reclaim(void);

/* Makes frame f (taken off the free list) hold page vpn of c (vp) and
 * tells the policy; the page is clean and not mapped: the caller maps it. */
void frame_install(struct client *c, unsigned long vpn, struct vpage *vp, unsigned f);

/* Transfers reqs[0..n) on the swap device and waits; each keeps its
 * status. Clients may run meanwhile. */
void disk_transfer(struct block_req *reqs, unsigned n);

/* ---- adcache.c: accessed bits, read in runs ---- */

/* policy_env.accessed: whether frame f's page was accessed since asked
 * last (read and cleared). */
int frame_accessed(void *ctx, unsigned f);

/* Frame f holds a new page: what was read for its last one is dropped. */
void ad_forget(unsigned f);

/* Clients may have run (a message taken, a wait for the disk): answers
 * read before are not the bits as they are now. */
void ad_clients_ran(void);

/* ---- pagein.c ---- */

/* Whether the page before vpn is resident: the client looks sequential. */
bool follows_resident(const struct client *c, unsigned long vpn);

/* Reads page vpn of c (vp, swapped, not resident) into frame f (taken, not
 * yet installed), with read-ahead; see pagein.c. Returns the read's status
 * for vpn: 0 (the caller installs f) or -ERR_* (f is still the caller's). */
long page_in(struct client *c, unsigned long vpn, struct vpage *vp, unsigned f);

/* A fault on page vpn of c, which is VP_READING: its window lands (the
 * page is resident and unmapped afterwards, unless its read failed). */
void ra_land_fault(struct client *c, unsigned long vpn);

/* c is going: its read-ahead in flight is waited for and dropped (its
 * pages are on the disk still, its frames free). */
void ra_cancel(struct client *c);

/* Pages being read ahead now (their frames held). */
unsigned ra_reading(void);

/* Maps zeroed pages after page vpn of c (a first write that follows a
 * resident page) up to the read-ahead window and end_vpn; see pagein.c. */
void zero_ahead(struct client *c, unsigned long vpn, unsigned long end_vpn);

#endif
