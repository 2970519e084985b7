/*
 * Synchronous IPC on endpoints, and notifications.
 *
 * An endpoint is a rendezvous: a sender waits until a receiver comes, or
 * the other way round; the message (label, up to MSG_WORDS words, at most
 * one handle) goes straight from one thread's registers to the other's.
 * A call also makes the receiver the caller's replier: its next reply (or
 * reply_recv) goes back to that caller, who waits for nothing else.
 *
 * A notification is a word of bits: signal ORs bits in and wakes one
 * waiter, wait takes (and clears) them, blocking while they are zero.
 */
#ifndef KERNEL_IPC_H
#define KERNEL_IPC_H

#include "kernel/process.h"

struct endpoint {
	struct kobject obj;
	struct endpoint *owner_next; /* the creating process's list: it dies with it */
	struct thread *senders;   /* FIFO of threads blocked sending */
	struct thread *receivers; /* FIFO of threads blocked receiving */
};

struct notification {
	struct kobject obj;
	uint64_t bits;
	struct thread *waiters;
	/* Its low-memory watch (kernel/memwatch.c); watch_low 0: none. Whether
	 * it is armed is which list watch_next links it into (armed or fired):
	 * a flag would push the object past its 64-byte slab slot. The lists
	 * hold no reference; notification_destroy/_release unlink it. */
	size_t watch_low;                /* signal when free frames drop below */
	uint64_t watch_bits;             /* ... with these bits */
	struct notification *watch_next;
};

/*
 * The operations below are the "doing" half: their callers (the system
 * calls in kernel/syscall_ipc.c) have validated handles and rights, and
 * built msg (taking the xfer reference). They cannot fail; what the
 * current thread's call returns is written into its registers, and it may
 * be left blocked.
 */
void ipc_send(struct thread *self, struct endpoint *ep, uint32_t badge, struct message *msg,
	      bool is_call);
void ipc_recv(struct thread *self, struct endpoint *ep);
/* Sends msg to self->reply_to; false (msg untouched) when there is none.
 * Without queue_caller the caller is left ready but in no run queue: the
 * caller of ipc_reply then runs it (sched_handoff) or queues it. */
bool ipc_reply(struct thread *self, struct message *msg, bool queue_caller);

void notification_signal(struct notification *n, uint64_t bits);
/* Takes the bits, or blocks self until there are some. */
void notification_wait(struct thread *self, struct notification *n);

/* Unlinks ep from its creator's list (kobj_put's last reference). */
void endpoint_release(struct endpoint *ep);
/* Drops n's memory watch, if any (kobj_put's last reference). */
void notification_release(struct notification *n);

/* Wakes every thread queued on the object with -ERR_DEAD; a notification
 * also loses its memory watch, if any. */
void endpoint_destroy(struct endpoint *ep);
void notification_destroy(struct notification *n);

/*
 * Takes t off whatever it is blocked on (endpoint or notification queue,
 * a pending reply in either direction), for thread teardown. A caller
 * waiting on t's reply gets -ERR_DEAD.
 */
void ipc_cancel(struct thread *t);

/* Takes t off the queue it waits in, or out of its pending reply; unlike
 * ipc_cancel, leaves alone the caller t itself owes a reply. */
void ipc_cancel_wait(struct thread *t);

/*
 * Writes a message without a handle into to's registers as the result of its
 * recv/call: a0 = 0, a1 = info, a2..a5 = the words the length names (the rest
 * zero, so no stale register leaks), a6 = badge, a7 = HANDLE_NONE.
 */
static inline void ipc_deliver_words(struct thread *to, unsigned long info,
				     const unsigned long *words, uint32_t badge)
{
	uint64_t *r = to->ctx.regs;
	unsigned long length = MSG_LENGTH(info);
	r[REG_A0] = 0;
	r[REG_A1] = info & ~MSG_HAS_HANDLE;
	for (unsigned i = 0; i < MSG_WORDS; i++)
		r[REG_A1 + 1 + i] = i < length ? words[i] : 0;
	r[REG_A1 + 5] = badge;
	r[REG_A7] = (uint64_t)HANDLE_NONE;
}

/*
 * The IPC fast path (seL4's idea): call or reply_recv in the common case
 * (no handle sent, the partner already waiting, priorities allowing a
 * direct switch) done in one step, straight from syscall_entry. Returns
 * false, having changed nothing, whenever the case is not that simple;
 * the general path then runs.
 */
bool ipc_fast_call(struct thread *self);
bool ipc_fast_reply_recv(struct thread *self);

/* Drops the reference a message holds on its handle, if any. */
void message_release(struct message *msg);

#endif
