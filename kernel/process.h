/*
 * Processes and threads.
 *
 * A process is an address space, a handle table and a memory quota; it
 * owns threads. A thread is its saved user registers, a priority and a
 * state. The kernel runs on one stack per hart and never blocks inside a
 * call: a thread that must wait is given a state and queued, and the hart
 * returns to user mode in some other thread.
 */
#ifndef KERNEL_PROCESS_H
#define KERNEL_PROCESS_H

#include <arch/context.h>

#include "kernel/message.h"
#include "kernel/object.h"
#include "mm/aspace.h"

enum thread_state {
	THREAD_RUNNING,       /* on a hart, or runnable in a run queue */
	THREAD_BLOCKED_SEND,  /* queued on an endpoint to send (or call) */
	THREAD_BLOCKED_RECV,  /* queued on an endpoint to receive */
	THREAD_BLOCKED_REPLY, /* called; waiting for the reply */
	THREAD_BLOCKED_WAIT,  /* waiting on a notification */
	THREAD_BLOCKED_CHILD, /* waiting for a process to end */
	THREAD_SUSPENDED,     /* its process was spawned suspended: not started yet */
	THREAD_DEAD,
};

struct endpoint;
struct notification;
struct region;

struct thread {
	struct kobject obj;      /* first, as in every kernel object */
	struct user_context ctx; /* the trap entry saves here (sscratch) */
	struct process *proc;
	unsigned tid;
	unsigned priority;
	unsigned timeslice;         /* ticks left before round-robin */
	enum thread_state state;
	bool queued;                /* in a run queue */
	struct thread *next, *prev; /* run queue or a wait queue */
	struct thread *proc_next;   /* the process's thread list */

	/* IPC state */
	void *blocked_on;           /* endpoint, notification or process */
	bool is_call;               /* blocked sending a call */
	uint32_t send_badge;        /* badge of the handle used to send */
	struct message pending;     /* a queued sender's message */
	struct thread *reply_to;    /* the caller this thread must reply to */
	struct thread *replier;     /* while BLOCKED_REPLY: who will reply */

	/* A page fault waiting for its pager (kernel/fault.c). */
	struct {
		bool pending;
		struct region *region;
		uint64_t addr;
		uint32_t access;        /* FAULT_READ/WRITE/EXEC */
		uint64_t deadline;      /* timer tick, 0 = none */
		struct thread *timed_next;
	} fault;
	/* Set when the thread must die the next time it is picked to run
	 * (killing it on the spot could reenter the code that found out). */
	const char *doom_reason;
	long doom_detail;
};

/* A process's exit watches (kernel/exitwatch.c): at most this many
 * notifications are signalled when it exits. */
#define PROCESS_EXIT_WATCHES 4

struct exit_watch {
	struct notification *ntfn; /* holds a reference; NULL: slot free */
	uint64_t bits;
};

struct process {
	struct kobject obj;
	char name[24];
	unsigned pid;
	struct aspace as;
	struct handle *handles;     /* handle_count slots (kernel/object.h), NULL once exited */
	unsigned handle_count;      /* HANDLE_TABLE_MIN doubled 0+ times, <= HANDLE_TABLE_MAX */
	unsigned handles_used;      /* slots in use */
	unsigned handle_hint;       /* every slot below it is in use */
	size_t quota_total, quota_used;
	struct process *parent;     /* refunded the quota when we go (holds a ref) */
	struct thread *threads;
	unsigned live_threads;
	bool suspended;             /* new threads wait for process_start */
	bool exited;
	long exit_code;
	struct thread *waiters;     /* threads in process_wait on us */
	struct endpoint *endpoints; /* endpoints it created: they die with it */
	struct exit_watch exit_watches[PROCESS_EXIT_WATCHES];
};

/* The thread running on this hart (NULL while idle). */
extern struct thread *sched_current;
static inline struct thread *current_thread(void)
{
	return sched_current;
}

/*
 * Creates a process named name with an empty address space (kernel half
 * shared), its handle table, and HANDLE_SELF; quota bytes are carved from
 * parent's quota (parent NULL: the root task, given quota outright).
 * Returns NULL with *err set (-ERR_NOMEM when quota or memory runs out).
 */
struct process *process_create(struct process *parent, const char *name, size_t quota, long *err);

/*
 * A new thread of proc that will start at pc with sp, a0, a1, queued to
 * run at priority (or, while proc is suspended, left THREAD_SUSPENDED until
 * process_start). Returns NULL with *err set.
 */
struct thread *thread_create(struct process *proc, uint64_t pc, uint64_t sp, uint64_t a0,
			     uint64_t a1, unsigned priority, long *err);

/*
 * Ends proc: every thread stops (threads blocked on others are unlinked,
 * callers waiting for its replies fail with -ERR_DEAD), its handles are
 * dropped, its mappings removed, waiters woken with code. Safe on the
 * current process; the caller must then schedule.
 */
void process_exit(struct process *proc, long code);

/* Kills the current thread's process after a fault, with one line:
 * "kill: process NAME (pid N) thread T: CAUSE at 0xADDR, pc 0xPC". */
void process_kill_fault(struct thread *t, const char *cause, uint64_t addr, uint64_t pc);

/* Lets a suspended, live process run: its THREAD_SUSPENDED threads are
 * queued. The caller has checked p->suspended && !p->exited. */
void process_start(struct process *p);

/* Ends thread t (the process ends with its last thread). */
void thread_exit(struct thread *t, long code);

/* Queues t (already marked BLOCKED_CHILD) until p ends. */
void process_add_waiter(struct process *p, struct thread *t);

/* Called by kobj_put when the last reference goes (kernel/object.c). */
void process_release(struct process *p);
void thread_release(struct thread *t);

#endif
