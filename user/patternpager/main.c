/*
 * patternpager: the test pager. It answers faults with frames it fills
 * itself (a pattern from the address, or `ret` instructions), records every
 * fault, and on request shares frames between spaces, answers with runs of
 * pages, tracks writes with protect + RETRY, lies, or stalls: the controls
 * of <pagoda/patternpager.h>. State is kept by badge (the fault message
 * does not say which region, only through which handle).
 */
#include <pagoda/libpager.h>
#include <pagoda/patternpager.h>

const char *progname = "patternpager";

/* Where the pager maps a frame in its own space to fill it: pinned (mapped
 * by the pager itself, never a region), and unmapped before the answer. */
#define SCRATCH_VA 0x2800000000UL
#define FAULT_LOG 64
#define MAX_REGIONS 8
#define SHARED_PAGES 64

struct region {
	unsigned long badge, base, size, rights, flags, last_mapped;
	unsigned long clean; /* PP_TRACK: bit i = page i write-protected by PP_CLEAN */
};

struct pp {
	long ep;
	struct pager_fault log[FAULT_LOG];
	unsigned long faults;
	struct region regions[MAX_REGIONS];
	unsigned nregions;
	long shared[SHARED_PAGES]; /* frame handles by page offset, or HANDLE_NONE */
	long given[PP_SLOTS];
	int liar;
	unsigned char lies[LIE_COUNT];
	unsigned long lied;
	long stall_notify, stall_release, late;
};

static struct region *region_of(struct pp *pp, unsigned long badge)
{
	for (unsigned i = 0; i < pp->nregions; i++)
		if (pp->regions[i].badge == badge)
			return &pp->regions[i];
	return NULL;
}

/* A new frame of 2^order pages holding the pages from va: the pattern, or
 * `ret`s. Filled through a scratch mapping of our own, then unmapped. */
static long filled_frame(unsigned long va, unsigned order, int code)
{
	unsigned long size = PAGER_PAGE_SIZE << order;
	long frame = pg_frame_alloc(order);
	if (frame < 0)
		return frame;
	long rc = pg_map(HANDLE_SELF, frame, SCRATCH_VA, RIGHT_READ | RIGHT_WRITE);
	if (rc < 0) {
		pg_handle_delete(frame);
		return rc;
	}
	unsigned long *w = (unsigned long *)SCRATCH_VA;
	for (unsigned long i = 0; i < size / 8; i++)
		w[i] = code ? RET_INSN | RET_INSN << 32 : PATTERN_WORD(va + 8 * i);
	pg_unmap(HANDLE_SELF, SCRATCH_VA, size);
	if (code)
		__asm__ volatile(".word 0x0000100f" ::: "memory"); /* fence.i */
	return frame;
}

/* The rights a fault in rg (or in an undescribed region) is answered with. */
static unsigned long rights_for(const struct region *rg, unsigned long access)
{
	unsigned long rights = rg ? rg->rights : RIGHT_READ | RIGHT_WRITE | RIGHT_EXEC;
	if ((rights & RIGHT_WRITE) && (rights & RIGHT_EXEC))
		rights &= access == FAULT_EXEC ? ~RIGHT_WRITE : ~RIGHT_EXEC;
	return rights;
}

static long reply_map(long frame, unsigned long va, unsigned long rights)
{
	return pg_reply(MSG_INFO(PAGER_MAP, 2, 1), va, rights, 0, 0, frame);
}

static long reply_zero(unsigned long va, unsigned long rights)
{
	return pg_reply(MSG_INFO(PAGER_ZERO, 2, 0), va, rights, 0, 0, HANDLE_NONE);
}

/* Tells one lie about the fault f; returns pg_reply's result, or 1 if the
 * lie does not apply here. */
static long lie(struct pp *pp, int which, const struct region *rg, const struct pager_fault *f,
		long own, long own2, long narrow)
{
	const unsigned long rw = RIGHT_READ | RIGHT_WRITE;
	unsigned long end = rg ? rg->base + rg->size : 0;
	switch (which) {
	case LIE_NO_HANDLE:
		return pg_reply(MSG_INFO(PAGER_MAP, 2, 0), f->page, rw, 0, 0, HANDLE_NONE);
	case LIE_BAD_HANDLE:
		/* Never a handle: numbers stay below HANDLE_TABLE_MAX, however
		 * far the table grows (an empty slot below it could fill). */
		return reply_map(HANDLE_TABLE_MAX, f->page, rw);
	case LIE_NOT_A_FRAME:
		return reply_map(pp->ep, f->page, rw);
	case LIE_FOREIGN_FRAME:
		return pp->given[PP_SLOT_FOREIGN] < 0 ? 1 : reply_map(pp->given[PP_SLOT_FOREIGN], f->page, rw);
	case LIE_DEVICE_FRAME:
		return pp->given[PP_SLOT_DEVICE] < 0 ? 1 : reply_map(pp->given[PP_SLOT_DEVICE], f->page, rw);
	case LIE_PAST_END:
		return rg ? reply_map(own, end, rw) : 1;
	case LIE_BELOW_BASE:
		return rg && rg->base ? reply_map(own, rg->base - PAGER_PAGE_SIZE, rw) : 1;
	case LIE_STRADDLE:
		return rg ? reply_map(own2, end - PAGER_PAGE_SIZE, rw) : 1;
	case LIE_MISALIGNED:
		return reply_map(own, f->page + 8, rw);
	case LIE_EXCESS_RIGHTS:
		return rg && !(rg->rights & RIGHT_EXEC) ? reply_map(own, f->page, RIGHT_READ | RIGHT_EXEC) : 1;
	case LIE_WRITE_EXEC:
		return reply_zero(f->page, RIGHT_READ | RIGHT_WRITE | RIGHT_EXEC);
	case LIE_NO_RIGHTS:
		return reply_zero(f->page, 0);
	case LIE_ZERO_OUTSIDE:
		return rg ? reply_zero(end, rw) : 1;
	case LIE_NARROW_HANDLE:
		return reply_map(narrow, f->page, rw);
	case LIE_ALREADY_MAPPED:
		return rg && rg->last_mapped && rg->last_mapped != f->page ? reply_zero(rg->last_mapped, rw) : 1;
	case LIE_BAD_LABEL:
		return pg_reply(MSG_INFO(0x77, 2, 0), f->page, rw, 0, 0, HANDLE_NONE);
	}
	return 1;
}

/* Every lie, each result recorded; the fault stays pending throughout. */
static void tell_lies(struct pp *pp, const struct region *rg, const struct pager_fault *f)
{
	long own = pg_frame_alloc(0), own2 = pg_frame_alloc(1);
	long narrow = own >= 0 ? pg_handle_mint(own, RIGHT_READ, 0) : -1;
	for (int k = 0; k < LIE_COUNT; k++) {
		long rc = lie(pp, k, rg, f, own, own2, narrow);
		pp->lies[k] = rc == 1 ? PP_LIE_SKIPPED : (unsigned char)-rc;
	}
	pg_handle_delete(narrow);
	pg_handle_delete(own);
	pg_handle_delete(own2);
	pp->lied++;
}

/* The true answer for f, into r. */
static int true_answer(struct pp *pp, struct region *rg, const struct pager_fault *f,
		       struct pager_reply *r)
{
	unsigned long rights = rights_for(rg, f->access);
	unsigned long flags = rg ? rg->flags : 0;
	unsigned long off = rg ? (f->page - rg->base) / PAGER_PAGE_SIZE : 0;
	int code = f->access == FAULT_EXEC;
	if ((flags & PP_TRACK) && f->access == FAULT_WRITE && off < 64 && (rg->clean & (1UL << off))) {
		/* The first write to a page since PP_CLEAN: it is dirty now. */
		long rc = pg_protect(pp->given[PP_SLOT_PROCESS], f->page, PAGER_PAGE_SIZE,
				     RIGHT_READ | RIGHT_WRITE);
		if (rc < 0)
			return (int)rc;
		rg->clean &= ~(1UL << off);
		pager_reply_retry(r);
		return 0;
	}
	if (flags & PP_SHARED) {
		if (off >= SHARED_PAGES)
			return -ERR_RANGE;
		if (pp->shared[off] == HANDLE_NONE) {
			long frame = filled_frame(f->page, 0, code);
			if (frame < 0)
				return (int)frame;
			pp->shared[off] = frame; /* kept: every sharer gets this one */
		}
		pager_reply_map(r, pp->shared[off], f->page, rights);
	} else {
		unsigned long va = f->page;
		unsigned order = 0;
		if ((flags & PP_RUNS) && (va & ~(2 * PAGER_PAGE_SIZE - 1)) >= rg->base &&
		    (va | PAGER_PAGE_SIZE) + PAGER_PAGE_SIZE <= rg->base + rg->size) {
			va &= ~(2 * PAGER_PAGE_SIZE - 1); /* one answer, two pages */
			order = 1;
		}
		long frame = filled_frame(va, order, code);
		if (frame < 0)
			return (int)frame;
		pager_reply_map(r, frame, va, rights);
		r->drop_handle = 1; /* the mapping keeps the frame */
	}
	if (rg)
		rg->last_mapped = f->page;
	return 0;
}

static int pattern_fault(void *ctx, const struct pager_fault *f, struct pager_reply *r)
{
	struct pp *pp = ctx;
	struct region *rg = region_of(pp, f->badge);
	pp->log[pp->faults++ % FAULT_LOG] = *f;
	if (pp->liar)
		tell_lies(pp, rg, f);
	if (pp->stall_notify < 0)
		return true_answer(pp, rg, f, r);
	/* Stalled: tell the driver, wait to be released, answer by hand. */
	pg_signal(pp->stall_notify, 1);
	pg_wait(pp->stall_release);
	int rc = true_answer(pp, rg, f, r);
	if (rc < 0)
		pager_reply_fail(r, rc);
	pp->late = pg_reply(MSG_INFO(r->label, 2, r->handle != HANDLE_NONE), r->w[0], r->w[1], 0, 0,
			    r->handle);
	if (r->drop_handle)
		pg_handle_delete(r->handle);
	return PAGER_NOREPLY;
}

static int pattern_control(void *ctx, const struct pg_msg *m, struct pager_reply *r)
{
	struct pp *pp = ctx;
	unsigned long label = MSG_LABEL(m->info);
	long handle = msg_handle(*m);
	pager_reply_msg(r, label, 0, 0, 0, 0);
	switch (label) {
	case PP_REGION:
		if (pp->nregions == MAX_REGIONS)
			return -ERR_NOSPC;
		pp->regions[pp->nregions++] =
			(struct region){ .badge = m->w[0], .base = m->w[1], .size = m->w[2],
					 .rights = m->w[3] & (RIGHT_READ | RIGHT_WRITE | RIGHT_EXEC),
					 .flags = m->w[3] & (PP_SHARED | PP_RUNS | PP_TRACK) };
		return 0;
	case PP_FAULTS:
		r->w[0] = pp->faults;
		return 0;
	case PP_FAULT:
	case PP_WHO: {
		unsigned long i = m->w[0] == ~0UL ? pp->faults - 1 : m->w[0];
		if (i >= pp->faults || pp->faults - i > FAULT_LOG)
			return -ERR_RANGE;
		const struct pager_fault *f = &pp->log[i % FAULT_LOG];
		if (label == PP_FAULT)
			pager_reply_msg(r, label, f->addr, f->access, f->pc, f->badge);
		else
			pager_reply_msg(r, label, (unsigned long)f->pid, (unsigned long)f->tid, 0, 0);
		return 0;
	}
	case PP_GIVE:
		if (m->w[0] >= PP_SLOTS || handle < 0)
			return -ERR_INVAL;
		pg_handle_delete(pp->given[m->w[0]]);
		pp->given[m->w[0]] = handle;
		return 0;
	case PP_LIAR:
		pp->liar = m->w[0] != 0;
		return 0;
	case PP_LIES: {
		unsigned long w[2] = { 0, 0 };
		for (int k = 0; k < LIE_COUNT && k < 16; k++)
			w[k / 8] |= (unsigned long)pp->lies[k] << (8 * (k % 8));
		pager_reply_msg(r, label, w[0], w[1], pp->lied, 0);
		return 0;
	}
	case PP_STALL:
		if (!m->w[0]) {
			pg_handle_delete(pp->stall_notify);
			pp->stall_notify = HANDLE_NONE;
			return 0;
		}
		if (handle < 0)
			return -ERR_INVAL;
		if (pp->stall_release < 0 && (pp->stall_release = pg_notification_create()) < 0)
			return (int)pp->stall_release;
		pg_handle_delete(pp->stall_notify);
		pp->stall_notify = handle;
		r->handle = pg_handle_mint(pp->stall_release, RIGHT_WRITE, 0);
		r->drop_handle = 1;
		return r->handle < 0 ? (int)r->handle : 0;
	case PP_LATE:
		r->w[0] = (unsigned long)pp->late;
		return 0;
	case PP_CLEAN: {
		struct region *rg = region_of(pp, m->w[0]);
		unsigned long off = rg ? (m->w[1] - rg->base) / PAGER_PAGE_SIZE : 0;
		if (!rg || !(rg->flags & PP_TRACK) || m->w[1] < rg->base || off + m->w[2] > 64)
			return -ERR_INVAL;
		long rc = pg_protect(pp->given[PP_SLOT_PROCESS], m->w[1], m->w[2] * PAGER_PAGE_SIZE,
				     RIGHT_READ);
		if (rc >= 0)
			for (unsigned long i = 0; i < m->w[2]; i++)
				rg->clean |= 1UL << (off + i);
		r->w[0] = (unsigned long)rc;
		return 0;
	}
	}
	if (handle >= 0)
		pg_handle_delete(handle);
	return -ERR_NOSYS;
}

static struct pp pager = {
	.given = { HANDLE_NONE, HANDLE_NONE, HANDLE_NONE },
	.stall_notify = HANDLE_NONE,
	.stall_release = HANDLE_NONE,
};

static const struct pager_ops pattern_ops = { .fault = pattern_fault, .control = pattern_control };

int main(void)
{
	for (int i = 0; i < SHARED_PAGES; i++)
		pager.shared[i] = HANDLE_NONE;
	pager.ep = pg_must(pager_announce(), "announce");
	return (int)pager_serve(pager.ep, &pattern_ops, &pager);
}
