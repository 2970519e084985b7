/*
 * zeropager: demand-zero memory, the default for heap and stack. Every
 * fault in a region it serves gets a fresh zeroed page. This file is the
 * whole pager; docs/pager.md walks through it.
 *
 * Start it with an endpoint as its bootstrap handle: it announces its own
 * endpoint there (pager_announce), and whoever holds a process handle
 * creates regions with it:
 *     pg_region_create(proc, base, size, RIGHT_READ | RIGHT_WRITE, pager_ep, 0);
 */
#include <pagoda/libpager.h>

const char *progname = "zeropager";

/*
 * A read or a write gets a read-write page (so a read then a write costs
 * one fault, not two), an instruction fetch a read-execute one. The kernel
 * checks the rights against the region's: a read-only region is not for
 * this pager (the answer would be refused, and libpager fails the fault).
 */
static int zero_fault(void *ctx, const struct pager_fault *f, struct pager_reply *r)
{
	(void)ctx;
	unsigned long rights = RIGHT_READ | (f->access == FAULT_EXEC ? RIGHT_EXEC : RIGHT_WRITE);
	pager_reply_zero(r, f->page, rights);
	return 0;
}

static const struct pager_ops zero_ops = { .fault = zero_fault };

int main(void)
{
	long ep = pg_must(pager_announce(), "announce");
	return (int)pager_serve(ep, &zero_ops, NULL);
}
