/*
 * Low-memory notifications: the mem_watch system call (kernel/syscalls.tbl,
 * kernel/memwatch.c). A notification may carry one watch: a threshold of
 * free frames and the bits to signal when the free frames drop below it.
 * The watch is stored in the notification (kernel/ipc.h) and dies with it.
 */
#ifndef KERNEL_MEMWATCH_H
#define KERNEL_MEMWATCH_H

struct notification;

/*
 * Removes n's watch, if it has one: n is being destroyed or its last
 * reference is going, and must never be signalled by the watch again (the
 * watch lists hold no reference, so this is what keeps them safe). Nothing
 * if n has no watch.
 */
void mem_watch_forget(struct notification *n);

#endif
