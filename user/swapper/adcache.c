/*
 * Accessed bits, read in runs. A policy asks frame by frame, and each
 * answer needs the page's bit read and cleared: a pg_ad_query, with the
 * TLB flush that clearing takes. So a question about page vpn reads the
 * bits of the run of resident, mapped pages of its client from vpn on (up
 * to AD_RUN, one call) and keeps the others' answers for when they are
 * asked: ad_seen[f] is what was read for frame f and not asked for yet,
 * ad_read_epoch[f] when. ad_epoch moves whenever a client may have run
 * (ad_clients_ran): at every message we take and after every wait for the
 * disk. A kept answer of the same epoch is the bit as a read now would
 * find it (no client ran since, on one hart), so the policy sees exactly
 * what reading page by page would show (the replay tests check the faults
 * against the simulator's); an older one is ORed with a fresh read.
 * Nothing read is lost: a bit cleared in the page table lives on in
 * ad_seen until asked.
 */
#include <pagoda/libpager.h>

#include "user/swapper/internal.h"

#define AD_RUN 16
static uint8_t ad_seen[SWAP_MAX_POOL];
static unsigned long ad_read_epoch[SWAP_MAX_POOL];
static unsigned long ad_epoch = 1;

/* The vpage of page vpn of c if it is resident and mapped, else NULL. */
static struct vpage *mapped_page(const struct client *c, unsigned long vpn)
{
	struct vpage *vp = vp_find(&c->pages, vpn);
	return vp && vp->frame && (vp->flags & VP_MAPPED) ? vp : NULL;
}

/* Reads the bits of page vpn of c (in frame f, mapped) and of the mapped
 * pages after it, up to AD_RUN, into ad_seen. */
static void ad_read_run(struct client *c, unsigned long vpn, unsigned f)
{
	unsigned char ad[AD_RUN];
	unsigned frame_of[AD_RUN] = { f };
	unsigned n = 1;
	for (const struct vpage *vp; n < AD_RUN && vpn + n < c->hi / PAGE &&
				     (vp = mapped_page(c, vpn + n)); n++)
		frame_of[n] = vp->frame - 1u;
	if (pg_ad_query(c->proc, page_va(vpn), n, ad) < 0)
		return;
	for (unsigned i = 0; i < n; i++) {
		ad_seen[frame_of[i]] |= ad[i] & PAGE_ACCESSED;
		ad_read_epoch[frame_of[i]] = ad_epoch;
	}
	st.ad_queries++;
}

int frame_accessed(void *ctx, unsigned f)
{
	(void)ctx;
	struct frame *fr = &frames[f];
	struct client *c = fr->owner;
	if (!c || c->dead)
		return 0;
	st.ad_asked++;
	if (ad_read_epoch[f] != ad_epoch && (frame_page(fr)->flags & VP_MAPPED))
		ad_read_run(c, fr->vpn, f);
	int a = ad_seen[f];
	ad_seen[f] = 0;
	return a;
}

void ad_forget(unsigned f)
{
	ad_seen[f] = 0;
	ad_read_epoch[f] = 0;
}

void ad_clients_ran(void)
{
	ad_epoch++;
}
