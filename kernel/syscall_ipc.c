/* System calls for handles, endpoints and notifications: decode, then do. */
#include <pagoda/errno.h>

#include "kernel/fault.h"
#include "kernel/ipc.h"
#include "kernel/quota.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "syscall_handlers.h"

static struct process *self_proc(void)
{
	return current_thread()->proc;
}

long sys_handle_delete(struct user_context *ctx, long h)
{
	(void)ctx;
	struct process *p = self_proc();
	if (!handle_slot(p, h))
		return -ERR_BADHANDLE;
	handle_clear(p, h); /* revoked (dead) handles are deleted the same way */
	handle_table_trim(p); /* an emptied table gives memory back */
	return 0;
}

long sys_handle_mint(struct user_context *ctx, long h, unsigned long rights, unsigned long badge)
{
	(void)ctx;
	long err;
	struct process *p = self_proc();
	struct handle *src = handle_lookup(p, h, KOBJ_NONE, 0, &err);
	if (!src)
		return err;
	if (rights & ~(unsigned long)src->rights)
		return -ERR_PERM; /* rights only ever shrink */
	if (badge > UINT32_MAX)
		return -ERR_RANGE;
	if (src->badge && badge && badge != src->badge)
		return -ERR_PERM; /* a badge, once set, is fixed */
	return handle_install(p, src->obj, (uint32_t)rights, badge ? (uint32_t)badge : src->badge);
}

long sys_object_destroy(struct user_context *ctx, long h)
{
	(void)ctx;
	long err;
	struct process *p = self_proc();
	struct handle *slot = handle_lookup(p, h, KOBJ_NONE, 0, &err);
	if (!slot)
		return err;
	/* Only a full-rights handle (what its creator got) may destroy. */
	if ((slot->rights & RIGHT_ALL) != RIGHT_ALL)
		return -ERR_PERM;
	struct kobject *obj = slot->obj;
	kobj_destroy(obj); /* may end the caller itself (its own process) */
	return 0;
}

static long create_object(enum kobj_type type, size_t size)
{
	struct process *p = self_proc();
	long err = handle_reserve(p);
	if (err)
		return err;
	struct kobject *obj = kobj_alloc(p, type, size);
	if (!obj)
		return -ERR_NOMEM;
	long h = handle_install(p, obj, RIGHT_ALL, 0);
	kobj_put(obj); /* the handle holds it now */
	return h;
}

long sys_endpoint_create(struct user_context *ctx)
{
	(void)ctx;
	struct process *p = self_proc();
	long h = create_object(KOBJ_ENDPOINT, sizeof(struct endpoint));
	if (h >= 0) {
		/* An endpoint lives as long as the process that made it: when a
		 * server (a pager) dies, whoever waits on its endpoint is told. */
		struct endpoint *ep = (struct endpoint *)p->handles[h].obj;
		ep->owner_next = p->endpoints;
		p->endpoints = ep;
	}
	return h;
}

long sys_notification_create(struct user_context *ctx)
{
	(void)ctx;
	return create_object(KOBJ_NOTIFICATION, sizeof(struct notification));
}

/*
 * Decodes a message from registers: checks the length and, when a handle
 * is sent, that the endpoint handle may carry handles (RIGHT_GRANT) and
 * that xfer is a live handle. Takes a reference for the handle in flight.
 */
static long decode_message(struct process *p, const struct handle *via, unsigned long info,
			   const unsigned long words[MSG_WORDS], long xfer, struct message *msg)
{
	if (MSG_LENGTH(info) > MSG_WORDS)
		return -ERR_INVAL;
	*msg = (struct message){ .info = info };
	for (unsigned i = 0; i < MSG_WORDS; i++)
		msg->words[i] = words[i];
	if (!(info & MSG_HAS_HANDLE))
		return 0;
	if (via && !(via->rights & RIGHT_GRANT))
		return -ERR_PERM;
	long err;
	struct handle *h = handle_lookup(p, xfer, KOBJ_NONE, 0, &err);
	if (!h)
		return err;
	msg->xfer = *h;
	kobj_get(h->obj);
	return 0;
}

static long send_common(long ep_h, unsigned long info, const unsigned long words[MSG_WORDS],
			long xfer, bool is_call)
{
	struct thread *self = current_thread();
	long err;
	struct handle *via = handle_lookup(self->proc, ep_h, KOBJ_ENDPOINT, RIGHT_WRITE, &err);
	if (!via)
		return err;
	struct message msg;
	err = decode_message(self->proc, via, info, words, xfer, &msg);
	if (err)
		return err;
	ipc_send(self, (struct endpoint *)via->obj, via->badge, &msg, is_call);
	return 0;
}

long sys_send(struct user_context *ctx, long ep, unsigned long info, unsigned long m0,
	      unsigned long m1, unsigned long m2, unsigned long m3, long xfer)
{
	(void)ctx;
	const unsigned long words[MSG_WORDS] = { m0, m1, m2, m3 };
	return send_common(ep, info, words, xfer, false);
}

long sys_call(struct user_context *ctx, long ep, unsigned long info, unsigned long m0,
	      unsigned long m1, unsigned long m2, unsigned long m3, long xfer)
{
	(void)ctx;
	const unsigned long words[MSG_WORDS] = { m0, m1, m2, m3 };
	return send_common(ep, info, words, xfer, true);
}

long sys_recv(struct user_context *ctx, long ep_h)
{
	(void)ctx;
	struct thread *self = current_thread();
	long err;
	struct handle *via = handle_lookup(self->proc, ep_h, KOBJ_ENDPOINT, RIGHT_READ, &err);
	if (!via)
		return err;
	ipc_recv(self, (struct endpoint *)via->obj);
	return 0;
}

long sys_reply(struct user_context *ctx, unsigned long info, unsigned long m0, unsigned long m1,
	       unsigned long m2, unsigned long m3, long xfer)
{
	(void)ctx;
	struct thread *self = current_thread();
	if (!self->reply_to)
		return -ERR_NOENT;
	const unsigned long words[MSG_WORDS] = { m0, m1, m2, m3 };
	if (self->reply_to->fault.pending)
		return fault_answer(self, self->reply_to, info, words, xfer);
	struct message msg;
	long err = decode_message(self->proc, NULL, info, words, xfer, &msg);
	if (err)
		return err;
	ipc_reply(self, &msg, true);
	return 0;
}

long sys_reply_recv(struct user_context *ctx, long ep_h, unsigned long info, unsigned long m0,
		    unsigned long m1, unsigned long m2, unsigned long m3, long xfer)
{
	(void)ctx;
	struct thread *self = current_thread();
	long err;
	struct handle *via = handle_lookup(self->proc, ep_h, KOBJ_ENDPOINT, RIGHT_READ, &err);
	if (!via)
		return err;
	/* Take the endpoint now: the reply below may deliver a handle into our
	 * own table (to a caller in this process) and grow it, moving via. */
	struct endpoint *ep = (struct endpoint *)via->obj;
	via = NULL;
	struct message msg = { 0 };
	struct thread *caller = self->reply_to;
	const unsigned long words[MSG_WORDS] = { m0, m1, m2, m3 };
	if (caller && caller->fault.pending) {
		/* A pager answering a fault: a refused answer fails the call
		 * before the receive, so the pager can answer again. */
		if ((err = fault_answer(self, caller, info, words, xfer)))
			return err;
		caller = NULL; /* resumed and queued by the fault code */
	} else if (caller) {
		err = decode_message(self->proc, NULL, info, words, xfer, &msg);
		if (err)
			return err;
		ipc_reply(self, &msg, false);
	}
	ipc_recv(self, ep);
	if (caller) {
		/* The fast path: we blocked, so the caller gets the hart straight
		 * away, with no trip through the run queue. */
		if (self->state != THREAD_RUNNING)
			sched_handoff(caller);
		else
			sched_make_ready(caller);
	}
	return 0;
}

/* The notification handle h names, if it carries `right`; else NULL, *err set. */
static struct notification *notification_of(long h, uint32_t right, long *err)
{
	struct handle *n = handle_lookup(self_proc(), h, KOBJ_NOTIFICATION, right, err);
	return n ? (struct notification *)n->obj : NULL;
}

long sys_signal(struct user_context *ctx, long h, unsigned long bits)
{
	(void)ctx;
	long err;
	struct notification *note = notification_of(h, RIGHT_WRITE, &err);
	if (!note)
		return err;
	if (bits == 0)
		return -ERR_INVAL;
	notification_signal(note, bits);
	return 0;
}

long sys_wait(struct user_context *ctx, long h)
{
	(void)ctx;
	long err;
	struct notification *note = notification_of(h, RIGHT_READ, &err);
	if (!note)
		return err;
	struct thread *self = current_thread();
	notification_wait(self, note);
	return (long)self->ctx.regs[REG_A0]; /* the bits, if it did not block */
}

long sys_poll(struct user_context *ctx, long h)
{
	(void)ctx;
	long err;
	struct notification *note = notification_of(h, RIGHT_READ, &err);
	if (!note)
		return err;
	long bits = (long)note->bits;
	note->bits = 0;
	return bits;
}
