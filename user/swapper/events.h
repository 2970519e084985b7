/*
 * The swapper's event thread (events.c): the kernel signals one
 * notification when the machine falls below the low watermark (mem_watch,
 * the caller's low_memory bit) and when a client's process exits
 * (process_watch: bit i for client slot i). The thread turns each signal
 * into a call on the swapper's own endpoint (SWAP_TRIM, SWAP_REAP), so the
 * pool and the clients are only ever touched by the main thread.
 */
#ifndef USER_SWAPPER_EVENTS_H
#define USER_SWAPPER_EVENTS_H

/*
 * Creates the notification (its handle in *events, for the watches) and
 * starts the thread at `priority`, calling self_ep. low_memory is the bit
 * that means low memory; every other bit is a client slot's exit.
 * 0 or -ERR_*.
 */
long events_start(long self_ep, unsigned long low_memory, unsigned long priority, long *events);

#endif
