#include "kernel/ipc.h"

#include <pagoda/errno.h>

#include "kernel/fault.h"
#include "kernel/memwatch.h"
#include "kernel/panic.h"
#include "kernel/sched.h"
#include "kernel/waitq.h"

/* ---- message delivery ---- */

void message_release(struct message *msg)
{
	if (msg->xfer.obj) {
		kobj_put(msg->xfer.obj);
		msg->xfer = (struct handle){ 0 };
	}
}

/*
 * Writes msg into to's registers as the result of its recv/call/wait:
 * a0 = 0, a1 = info, a2..a5 = the words the length names (the rest zero,
 * so no stale register leaks), a6 = badge, a7 = the handle installed in
 * to's table, HANDLE_NONE, or a negative error if it could not be.
 */
static void deliver(struct thread *to, const struct message *msg, uint32_t badge)
{
	uint64_t *r = to->ctx.regs;
	ipc_deliver_words(to, msg->info, msg->words, badge);
	long handle = HANDLE_NONE;
	if (msg->xfer.obj) {
		if (msg->xfer.obj->dead)
			handle = -ERR_BADHANDLE;
		else
			handle = handle_install(to->proc, msg->xfer.obj, msg->xfer.rights, msg->xfer.badge);
		if (handle >= 0)
			r[REG_A1] |= MSG_HAS_HANDLE;
	}
	r[REG_A7] = (uint64_t)handle;
}

/* An endpoint handle of self with `right`, or NULL (the general path will
 * then say what is wrong). */
static struct handle *fast_endpoint(struct thread *self, long h, uint32_t right)
{
	struct process *p = self->proc;
	if (h < 0 || (unsigned long)h >= p->handle_count)
		return NULL;
	struct handle *slot = &p->handles[h];
	struct kobject *obj = slot->obj;
	if (!obj || obj->dead || obj->type != KOBJ_ENDPOINT || !(slot->rights & right))
		return NULL;
	return slot;
}

bool ipc_fast_call(struct thread *self)
{
	const uint64_t *r = self->ctx.regs;
	unsigned long info = r[REG_A1];
	if ((info & MSG_HAS_HANDLE) || MSG_LENGTH(info) > MSG_WORDS)
		return false;
	struct handle *via = fast_endpoint(self, (long)r[REG_A0], RIGHT_WRITE);
	if (!via)
		return false;
	struct endpoint *ep = (struct endpoint *)via->obj;
	struct thread *server = ep->receivers;
	if (!server || server->priority < self->priority)
		return false;

	wq_remove(&ep->receivers, server);
	ipc_deliver_words(server, info, &r[REG_A1 + 1], via->badge);
	server->state = THREAD_RUNNING;
	server->blocked_on = NULL;
	server->reply_to = self;
	self->replier = server;
	self->state = THREAD_BLOCKED_REPLY;
	sched_handoff(server);
	return true;
}

bool ipc_fast_reply_recv(struct thread *self)
{
	const uint64_t *r = self->ctx.regs;
	struct thread *caller = self->reply_to;
	unsigned long info = r[REG_A1];
	if (!caller || caller->fault.pending || (info & MSG_HAS_HANDLE) || MSG_LENGTH(info) > MSG_WORDS ||
	    caller->priority < self->priority)
		return false;
	struct handle *via = fast_endpoint(self, (long)r[REG_A0], RIGHT_READ);
	if (!via)
		return false;
	struct endpoint *ep = (struct endpoint *)via->obj;
	if (ep->senders)
		return false; /* a message is waiting: the general path receives it */

	ipc_deliver_words(caller, info, &r[REG_A1 + 1], 0);
	self->reply_to = NULL;
	caller->replier = NULL;
	caller->state = THREAD_RUNNING;
	self->state = THREAD_BLOCKED_RECV;
	self->blocked_on = ep;
	wq_push(&ep->receivers, self);
	sched_handoff(caller);
	return true;
}

static void fail_blocked(struct thread *t, long err)
{
	if (t->fault.pending) {
		/* A faulting thread has no registers to take an error: it dies. */
		fault_abandon(t, err == -ERR_NOREPLY ? "the pager dropped the fault" :
				 "the pager went away", err);
		return;
	}
	t->ctx.regs[REG_A0] = (uint64_t)err;
	t->state = THREAD_RUNNING;
	t->blocked_on = NULL;
	sched_make_ready(t);
}

/* The pending message of a queued sender lives in its thread. */
static struct message *pending(struct thread *t)
{
	return &t->pending;
}

void ipc_send(struct thread *self, struct endpoint *ep, uint32_t badge, struct message *msg,
	      bool is_call)
{
	struct thread *receiver = wq_pop(&ep->receivers);
	if (!receiver) {
		/* Nobody waiting: queue up with the message. */
		*pending(self) = *msg;
		self->send_badge = badge;
		self->is_call = is_call;
		self->state = THREAD_BLOCKED_SEND;
		self->blocked_on = ep;
		wq_push(&ep->senders, self);
		return;
	}
	deliver(receiver, msg, badge);
	message_release(msg);
	receiver->state = THREAD_RUNNING;
	receiver->blocked_on = NULL;
	if (is_call) {
		self->state = THREAD_BLOCKED_REPLY;
		self->replier = receiver;
		receiver->reply_to = self;
		sched_handoff(receiver); /* the fast path: run the server now */
	} else {
		self->ctx.regs[REG_A0] = 0;
		sched_make_ready(receiver);
	}
}

/*
 * A thread has one reply slot. If it receives again with a call still
 * unanswered, that caller would wait forever: fail it instead.
 */
static void drop_unanswered_call(struct thread *self)
{
	struct thread *caller = self->reply_to;
	if (!caller)
		return;
	self->reply_to = NULL;
	caller->replier = NULL;
	fail_blocked(caller, -ERR_NOREPLY);
}

void ipc_recv(struct thread *self, struct endpoint *ep)
{
	drop_unanswered_call(self);
	struct thread *sender = wq_pop(&ep->senders);
	if (!sender) {
		self->state = THREAD_BLOCKED_RECV;
		self->blocked_on = ep;
		wq_push(&ep->receivers, self);
		return;
	}
	deliver(self, pending(sender), sender->send_badge);
	message_release(pending(sender));
	sender->blocked_on = NULL;
	if (sender->is_call) {
		sender->state = THREAD_BLOCKED_REPLY;
		sender->replier = self;
		self->reply_to = sender;
	} else {
		sender->ctx.regs[REG_A0] = 0;
		sender->state = THREAD_RUNNING;
		sched_make_ready(sender);
	}
}

bool ipc_reply(struct thread *self, struct message *msg, bool queue_caller)
{
	struct thread *caller = self->reply_to;
	if (!caller)
		return false;
	self->reply_to = NULL;
	caller->replier = NULL;
	deliver(caller, msg, 0);
	message_release(msg);
	caller->state = THREAD_RUNNING;
	if (queue_caller)
		sched_make_ready(caller);
	return true;
}

void notification_signal(struct notification *n, uint64_t bits)
{
	n->bits |= bits;
	struct thread *t = n->bits ? wq_pop(&n->waiters) : NULL;
	if (!t)
		return;
	t->ctx.regs[REG_A0] = n->bits;
	n->bits = 0;
	t->state = THREAD_RUNNING;
	t->blocked_on = NULL;
	sched_make_ready(t);
}

void notification_wait(struct thread *self, struct notification *n)
{
	if (n->bits) {
		self->ctx.regs[REG_A0] = n->bits;
		n->bits = 0;
		return;
	}
	self->state = THREAD_BLOCKED_WAIT;
	self->blocked_on = n;
	wq_push(&n->waiters, self);
}

void endpoint_destroy(struct endpoint *ep)
{
	struct thread *t;
	while ((t = wq_pop(&ep->senders))) {
		message_release(pending(t));
		fail_blocked(t, -ERR_DEAD);
	}
	while ((t = wq_pop(&ep->receivers)))
		fail_blocked(t, -ERR_DEAD);
}

void endpoint_release(struct endpoint *ep)
{
	struct process *p = ep->obj.owner;
	if (!p)
		return;
	for (struct endpoint **pp = &p->endpoints; *pp; pp = &(*pp)->owner_next)
		if (*pp == ep) {
			*pp = ep->owner_next;
			break;
		}
}

void notification_destroy(struct notification *n)
{
	struct thread *t;
	mem_watch_forget(n); /* a dead notification is never signalled */
	while ((t = wq_pop(&n->waiters)))
		fail_blocked(t, -ERR_DEAD);
}

void notification_release(struct notification *n)
{
	mem_watch_forget(n); /* its memory is about to go */
}

void ipc_cancel_wait(struct thread *t)
{
	switch (t->state) {
	case THREAD_BLOCKED_SEND:
		wq_remove(&((struct endpoint *)t->blocked_on)->senders, t);
		message_release(pending(t));
		break;
	case THREAD_BLOCKED_RECV:
		wq_remove(&((struct endpoint *)t->blocked_on)->receivers, t);
		break;
	case THREAD_BLOCKED_WAIT:
		wq_remove(&((struct notification *)t->blocked_on)->waiters, t);
		break;
	case THREAD_BLOCKED_REPLY:
		if (t->replier)
			t->replier->reply_to = NULL;
		t->replier = NULL;
		break;
	default:
		break;
	}
	t->blocked_on = NULL;
}

void ipc_cancel(struct thread *t)
{
	ipc_cancel_wait(t);
	/* A caller waiting for this thread's reply will never get one. */
	if (t->reply_to) {
		struct thread *caller = t->reply_to;
		t->reply_to = NULL;
		caller->replier = NULL;
		fail_blocked(caller, -ERR_DEAD);
	}
}
