/*
 * libpager: a pager is a loop and a few callbacks (docs/pager.md).
 *
 * The protocol itself is <pagoda/pager.h>: the kernel turns a page fault
 * in a region into a call on the region's pager endpoint (label
 * PAGER_FAULT); the pager's reply is the answer. pager_serve() runs that
 * loop: it receives, hands each fault to ops->fault and every other
 * message to ops->control, and sends back what the callback put in its
 * struct pager_reply.
 *
 *     static int fault(void *ctx, const struct pager_fault *f, struct pager_reply *r)
 *     {
 *             pager_reply_zero(r, f->page, RIGHT_READ | RIGHT_WRITE);
 *             return 0;
 *     }
 *     static const struct pager_ops ops = { .fault = fault };
 *     int main(void) { return (int)pager_serve(pager_announce(), &ops, NULL); }
 *
 * A callback returns:
 *   0           send *r (one of the pager_reply_*() helpers filled it);
 *   PAGER_STOP  send *r, then pager_serve returns 0;
 *   PAGER_NOREPLY  send nothing: the callback answered with pg_reply
 *               itself (a fault left unanswered fails when the pager next
 *               receives: ERR_NOREPLY, "the pager dropped the fault");
 *   < 0         answer PAGER_FAIL with that code as the reason (for a
 *               control message: a reply labelled PAGER_FAIL, w0 = code).
 * *r starts as pager_reply_fail(r, -ERR_NOSYS): a callback that fills
 * nothing fails the fault.
 *
 * The kernel checks every answer (frame owned by the pager, inside the
 * region, rights within the region's, never W+X). pager_serve reports a
 * refused answer on the console ("libpager: ... refused: ...") and fails
 * the fault with the refusal's error, so a buggy pager kills the faulting
 * thread with a reason instead of leaving it waiting.
 *
 * Pinning: the pager's own image, stack and heap are mapped eagerly (the
 * runtime's malloc maps frames as the heap grows), so they never fault.
 * A pager must not create a region in its own address space that it serves
 * itself: that fault would wait on a pager that is waiting on it.
 */
#ifndef PAGODA_LIBPAGER_H
#define PAGODA_LIBPAGER_H

#include <pagoda/ipc.h>
#include <pagoda/pager.h>
#include <pagoda/runtime.h>
#include <stddef.h>

#define PAGER_PAGE_SIZE 4096UL

/* A fault, decoded from the PAGER_FAULT message. */
struct pager_fault {
	unsigned long addr;   /* the faulting address */
	unsigned long page;   /* addr rounded down to its page */
	unsigned long access; /* FAULT_READ, FAULT_WRITE or FAULT_EXEC */
	unsigned long region_end; /* where the faulting region ends (page-aligned, exclusive) */
	unsigned long pc;     /* where the faulting thread was */
	unsigned long badge;  /* the badge given to region_create: which space/region */
	long pid, tid;        /* the faulting thread */
};

/* What to send back. Fill it with the helpers below. */
struct pager_reply {
	unsigned long label; /* PAGER_MAP/ZERO/RETRY/FAIL, or a control answer's label */
	unsigned long w[MSG_WORDS];
	long handle;         /* a handle to pass with the reply, or HANDLE_NONE */
	int drop_handle;     /* delete `handle` after sending (a mapping keeps its frame alive) */
};

struct pager_ops {
	/* A page fault. Required. */
	int (*fault)(void *ctx, const struct pager_fault *f, struct pager_reply *r);
	/* Any other message (m->status is 0): a client's request. Optional:
	 * without it, such calls are answered PAGER_FAIL(-ERR_NOSYS). */
	int (*control)(void *ctx, const struct pg_msg *m, struct pager_reply *r);
};

#define PAGER_STOP 1
#define PAGER_NOREPLY 2

/*
 * Serves endpoint ep (a handle with RIGHT_READ) until a callback returns
 * PAGER_STOP (returns 0) or receiving fails (returns that error, e.g.
 * -ERR_DEAD when the endpoint is destroyed).
 */
long pager_serve(long ep, const struct pager_ops *ops, void *ctx);

/*
 * The usual start for a pager spawned with an endpoint as its bootstrap
 * handle: creates the pager's endpoint, calls the bootstrap endpoint with
 * label PAGER_HELLO, w0 = our pid, carrying a handle to the new endpoint
 * with RIGHT_WRITE | RIGHT_GRANT (enough to region_create with it, mint
 * badged copies and send control messages), and returns the endpoint.
 * The reply is not looked at. Endpoints die with the process that made
 * them: when the pager dies, faults waiting on it fail.
 */
#define PAGER_HELLO 0x60
long pager_announce(void);

/* The answers (see <pagoda/pager.h>). */
static inline void pager_reply_msg(struct pager_reply *r, unsigned long label, unsigned long w0,
				   unsigned long w1, unsigned long w2, unsigned long w3)
{
	*r = (struct pager_reply){ .label = label, .w = { w0, w1, w2, w3 }, .handle = HANDLE_NONE };
}

/* A fresh zeroed page at va (a page in the region) with rights. */
static inline void pager_reply_zero(struct pager_reply *r, unsigned long va, unsigned long rights)
{
	pager_reply_msg(r, PAGER_ZERO, va, rights, 0, 0);
}

/* The pager's frame (all its pages) at va with rights. The pager keeps
 * its handle; set r->drop_handle to give it up once sent. */
static inline void pager_reply_map(struct pager_reply *r, long frame, unsigned long va,
				   unsigned long rights)
{
	pager_reply_msg(r, PAGER_MAP, va, rights, 0, 0);
	r->handle = frame;
}

/* Resume the thread: the pager fixed things itself. */
static inline void pager_reply_retry(struct pager_reply *r)
{
	pager_reply_msg(r, PAGER_RETRY, 0, 0, 0, 0);
}

/* Kill the faulting thread with reason (a negative ERR_* code). */
static inline void pager_reply_fail(struct pager_reply *r, long reason)
{
	pager_reply_msg(r, PAGER_FAIL, (unsigned long)reason, 0, 0, 0);
}

#endif
