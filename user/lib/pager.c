/* libpager: a pager's receive-answer loop. See <pagoda/libpager.h>. */
#include <pagoda/libpager.h>
#include <stdio.h>

static const char *answer_name(unsigned long label)
{
	switch (label) {
	case PAGER_MAP:
		return "PAGER_MAP";
	case PAGER_ZERO:
		return "PAGER_ZERO";
	case PAGER_RETRY:
		return "PAGER_RETRY";
	case PAGER_FAIL:
		return "PAGER_FAIL";
	}
	return "reply";
}

static long send_reply(const struct pager_reply *r)
{
	return pg_reply(MSG_INFO(r->label, MSG_WORDS, r->handle != HANDLE_NONE), r->w[0], r->w[1],
			r->w[2], r->w[3], r->handle);
}

/*
 * The kernel refused answer r (rc): the caller still waits. Say so and fail
 * it with the refusal's error instead. Returns 0 if that was the case, or
 * pg_reply's error if no reply was owed after all.
 */
static long refused(const struct pager_reply *r, const struct pager_fault *f, long rc)
{
	long owed = pg_reply(MSG_INFO(PAGER_FAIL, 1, 0), (unsigned long)rc, 0, 0, 0, HANDLE_NONE);
	if (owed < 0)
		return owed;
	if (f)
		printf("libpager: %s at 0x%lx for the %s fault at 0x%lx (pid %ld) refused: %s (%ld); "
		       "failing the fault\n",
		       answer_name(r->label), r->w[0],
		       f->access == FAULT_WRITE ? "write" : f->access == FAULT_EXEC ? "exec" : "read",
		       f->addr, f->pid, err_text(rc), rc);
	else
		printf("libpager: reply with label 0x%lx refused: %s (%ld)\n", r->label, err_text(rc), rc);
	return 0;
}

/* Sends r, then (unless stopping) receives the next message into *next. */
static void answer(long ep, const struct pager_reply *r, const struct pager_fault *f, int stop,
		   struct pg_msg *next)
{
	if (stop) {
		long rc = send_reply(r);
		if (rc < 0)
			refused(r, f, rc);
	} else {
		*next = pg_reply_recv(ep, MSG_INFO(r->label, MSG_WORDS, r->handle != HANDLE_NONE),
				      r->w[0], r->w[1], r->w[2], r->w[3], r->handle);
		/* A refused answer fails before the receive; a failed receive
		 * comes after a delivered answer. refused() tells them apart. */
		if (next->status < 0 && refused(r, f, next->status) == 0)
			*next = pg_recv(ep);
	}
	if (r->drop_handle && r->handle != HANDLE_NONE)
		pg_handle_delete(r->handle);
}

long pager_serve(long ep, const struct pager_ops *ops, void *ctx)
{
	struct pg_msg m = pg_recv(ep);
	for (;;) {
		if (m.status < 0)
			return m.status;
		struct pager_reply r;
		struct pager_fault f;
		int is_fault = MSG_LABEL(m.info) == PAGER_FAULT;
		int rc;
		pager_reply_fail(&r, -ERR_NOSYS);
		if (is_fault) {
			f = (struct pager_fault){
				.addr = m.w[0],
				.page = m.w[0] & ~(PAGER_PAGE_SIZE - 1),
				.access = m.w[1] & FAULT_ACCESS_MASK,
				.region_end = m.w[1] & ~FAULT_ACCESS_MASK,
				.pc = m.w[2],
				.badge = m.badge,
				.pid = (long)(m.w[3] >> 32),
				.tid = (long)(m.w[3] & 0xffffffffUL),
			};
			rc = ops->fault(ctx, &f, &r);
		} else {
			rc = ops->control ? ops->control(ctx, &m, &r) : -ERR_NOSYS;
		}
		if (rc < 0)
			pager_reply_fail(&r, rc);
		if (rc == PAGER_NOREPLY) {
			m = pg_recv(ep);
			continue;
		}
		answer(ep, &r, is_fault ? &f : NULL, rc == PAGER_STOP, &m);
		if (rc == PAGER_STOP)
			return 0;
	}
}

long pager_announce(void)
{
	long boot = runtime_bootstrap_handle();
	if (boot < 0)
		return -ERR_NOENT;
	long ep = pg_endpoint_create();
	if (ep < 0)
		return ep;
	long given = pg_handle_mint(ep, RIGHT_WRITE | RIGHT_GRANT, 0);
	if (given < 0)
		return given;
	struct pg_msg r = pg_call(boot, MSG_INFO(PAGER_HELLO, 1, 1),
				  (unsigned long)runtime_info()->pid, 0, 0, 0, given);
	pg_handle_delete(given); /* the receiver has its own copy */
	return r.status < 0 ? r.status : ep;
}
