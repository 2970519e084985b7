/*
 * Exit notifications: the process_watch system call (kernel/syscalls.tbl,
 * kernel/exitwatch.c). Whoever holds a process handle may ask for a
 * notification to be signalled when that process exits, so a server (a
 * pager, say) learns that a client is gone without blocking in
 * process_wait or relying on the client's parent to tell it.
 */
#ifndef KERNEL_EXITWATCH_H
#define KERNEL_EXITWATCH_H

struct process;

/*
 * p is exiting (process_exit, once): signals every notification watching
 * it with its bits, unless that notification was destroyed, and drops the
 * watches' references. Neither allocates nor switches threads.
 */
void exit_watch_fire(struct process *p);

#endif
