/*
 * Small wrappers over the generated IPC stubs (pg_call, pg_send, ...), so a
 * message is a label plus up to MSG_WORDS words. Every call returns the
 * kernel's status (< 0: -ERR_*) in .status for the struct pg_msg forms, or
 * directly for the long forms. Message layout: <pagoda/abi.h>.
 *
 *     struct pg_msg r = ipc_call(ep, OP_READ, block, 0, 0, 0);
 *     if (r.status < 0 || msg_label(r) != OK) ...
 */
#ifndef PAGODA_IPC_H
#define PAGODA_IPC_H

#include <pagoda/syscalls.h>

static inline unsigned long msg_label(struct pg_msg m)
{
	return MSG_LABEL(m.info);
}

static inline unsigned long msg_length(struct pg_msg m)
{
	return MSG_LENGTH(m.info);
}

/* The handle the message carried, or HANDLE_NONE. */
static inline long msg_handle(struct pg_msg m)
{
	return (m.info & MSG_HAS_HANDLE) ? m.handle : HANDLE_NONE;
}

/* Calls (send, then wait for the reply) with a label and no words. */
static inline struct pg_msg ipc_call0(long ep, unsigned long label)
{
	return pg_call(ep, MSG_INFO(label, 0, 0), 0, 0, 0, 0, HANDLE_NONE);
}

static inline struct pg_msg ipc_call(long ep, unsigned long label, unsigned long w0,
				     unsigned long w1, unsigned long w2, unsigned long w3)
{
	return pg_call(ep, MSG_INFO(label, MSG_WORDS, 0), w0, w1, w2, w3, HANDLE_NONE);
}

/* A call that also transfers handle xfer (the endpoint needs RIGHT_GRANT). */
static inline struct pg_msg ipc_call_handle(long ep, unsigned long label, unsigned long w0,
					    unsigned long w1, long xfer)
{
	return pg_call(ep, MSG_INFO(label, 2, 1), w0, w1, 0, 0, xfer);
}

static inline long ipc_send(long ep, unsigned long label, unsigned long w0, unsigned long w1,
			    unsigned long w2, unsigned long w3)
{
	return pg_send(ep, MSG_INFO(label, MSG_WORDS, 0), w0, w1, w2, w3, HANDLE_NONE);
}

static inline struct pg_msg ipc_recv(long ep)
{
	return pg_recv(ep);
}

/* Replies to the message last received by this thread. */
static inline long ipc_reply(unsigned long label, unsigned long w0, unsigned long w1)
{
	return pg_reply(MSG_INFO(label, 2, 0), w0, w1, 0, 0, HANDLE_NONE);
}

static inline long ipc_reply_handle(unsigned long label, unsigned long w0, unsigned long w1,
				    long xfer)
{
	return pg_reply(MSG_INFO(label, 2, 1), w0, w1, 0, 0, xfer);
}

/* Replies, then waits on ep for the next message: a server's loop. */
static inline struct pg_msg ipc_reply_recv(long ep, unsigned long label, unsigned long w0,
					   unsigned long w1)
{
	return pg_reply_recv(ep, MSG_INFO(label, 2, 0), w0, w1, 0, 0, HANDLE_NONE);
}

#endif
