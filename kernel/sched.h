/*
 * Fixed-priority preemptive scheduling, round-robin within a priority.
 *
 * The running thread is not in a run queue. Every trap from user mode ends
 * in sched_return(), which resumes the current thread unless it blocked,
 * its time slice ran out, or a higher-priority thread became ready, and
 * otherwise picks the highest-priority ready thread (or idles with wfi).
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include "kernel/process.h"

#define TIMESLICE_TICKS 5

/* Makes t (RUNNING, not current, not queued) ready: tail of its queue. */
void sched_make_ready(struct thread *t);

/* Takes t out of its run queue if it is in one. */
void sched_remove(struct thread *t);

/*
 * IPC hand-off: the current thread has just blocked and woken t. Runs t
 * next without a trip through the run queue when nothing of higher
 * priority is ready; otherwise queues it.
 */
void sched_handoff(struct thread *t);

/* Timer tick: charges the current thread's time slice. */
void sched_tick(void);

/* Resumes the right thread in user mode. Never returns. */
__attribute__((noreturn)) void sched_return(void);

/* Sets the running thread (the kernel's notion of "current"). */
void sched_set_current(struct thread *t);

#endif
