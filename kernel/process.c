#include "kernel/process.h"

#include <arch/sbi.h>
#include <pagoda/errno.h>

#include "kernel/console.h"
#include "kernel/exitwatch.h"
#include "kernel/fault.h"
#include "kernel/format.h"
#include "kernel/ipc.h"
#include "kernel/panic.h"
#include "kernel/quota.h"
#include "kernel/sched.h"
#include "kernel/waitq.h"

static unsigned next_pid = 1;
static unsigned next_tid = 1;

struct process *process_create(struct process *parent, const char *name, size_t quota, long *err)
{
	/* The child's quota comes out of the parent's. */
	if (parent && quota_charge(parent, quota) < 0) {
		*err = -ERR_NOMEM;
		return NULL;
	}
	struct process *p = kobj_alloc(parent, KOBJ_PROCESS, sizeof *p);
	if (!p) {
		quota_refund(parent, quota);
		*err = -ERR_NOMEM;
		return NULL;
	}
	p->quota_total = quota;
	p->pid = next_pid++;
	p->parent = parent;
	p->as.root = PADDR_NONE;
	ksnprintf(p->name, sizeof p->name, "%s", name);

	if (handle_table_init(p) < 0 || aspace_init(&p->as, p) < 0) {
		handle_table_destroy(p); /* empty, if there is one */
		p->exited = true; /* nothing to tear down but the object */
		kobj_put(&p->obj);
		*err = -ERR_NOMEM;
		return NULL;
	}
	/* HANDLE_SELF: a reference to itself, broken again at exit. The new
	 * table has room: this cannot fail. */
	if (handle_install(p, &p->obj, RIGHT_ALL, 0) != HANDLE_SELF)
		panic("process_create: HANDLE_SELF of %s did not go in slot %d", p->name, HANDLE_SELF);
	return p;
}

struct thread *thread_create(struct process *proc, uint64_t pc, uint64_t sp, uint64_t a0,
			     uint64_t a1, unsigned priority, long *err)
{
	if (priority > PRIORITY_MAX) {
		*err = -ERR_RANGE;
		return NULL;
	}
	struct thread *t = kobj_alloc(proc, KOBJ_THREAD, sizeof *t);
	if (!t) {
		*err = -ERR_NOMEM;
		return NULL;
	}
	arch_context_init(&t->ctx, pc, sp, a0, a1);
	t->proc = proc;
	t->tid = next_tid++;
	t->priority = priority;
	t->state = proc->suspended ? THREAD_SUSPENDED : THREAD_RUNNING;
	t->proc_next = proc->threads;
	proc->threads = t;
	proc->live_threads++;
	if (!proc->suspended)
		sched_make_ready(t);
	return t;
}

void process_start(struct process *p)
{
	if (!p->suspended || p->exited)
		panic("process_start: %s (pid %u) is not a suspended live process", p->name, p->pid);
	p->suspended = false;
	for (struct thread *t = p->threads; t; t = t->proc_next)
		if (t->state == THREAD_SUSPENDED) {
			t->state = THREAD_RUNNING;
			sched_make_ready(t);
		}
}

/* Stops t and unlinks it from everything but its process's list. */
static void thread_stop(struct thread *t)
{
	ipc_cancel(t);
	fault_forget(t);
	if (t->state == THREAD_BLOCKED_CHILD)
		wq_remove(&((struct process *)t->blocked_on)->waiters, t);
	sched_remove(t);
	if (current_thread() == t)
		sched_set_current(NULL);
	t->state = THREAD_DEAD;
	t->blocked_on = NULL;
}

static void thread_unlink(struct thread *t)
{
	struct process *p = t->proc;
	struct thread **pp = &p->threads;
	while (*pp != t)
		pp = &(*pp)->proc_next;
	*pp = t->proc_next;
	p->live_threads--;
	kobj_put(&t->obj); /* the process's reference */
}

void thread_exit(struct thread *t, long code)
{
	struct process *p = t->proc;
	thread_stop(t);
	thread_unlink(t);
	if (p->live_threads == 0)
		process_exit(p, code);
}

void process_exit(struct process *p, long code)
{
	if (p->exited)
		return;
	p->exited = true;
	p->exit_code = code;
	kobj_get(&p->obj); /* survive dropping our own handles below */

	while (p->threads) {
		thread_stop(p->threads);
		thread_unlink(p->threads);
	}
	/* Its endpoints die with it (whoever holds them learns -ERR_DEAD). */
	for (struct endpoint *ep = p->endpoints; ep; ep = ep->owner_next)
		kobj_destroy(&ep->obj);
	/* Every handle goes, then the table (all its frames, however grown). */
	handle_table_destroy(p);
	aspace_destroy(&p->as);

	if (!p->parent) {
		/* The root task is the system: when it ends, so does the machine. */
		kprintf("pagoda: init exited with status %ld; powering off\n", code);
		sbi_shutdown(code != 0);
	}

	struct thread *w;
	while ((w = wq_pop(&p->waiters))) {
		w->ctx.regs[REG_A0] = (uint64_t)code;
		w->state = THREAD_RUNNING;
		w->blocked_on = NULL;
		sched_make_ready(w);
	}
	exit_watch_fire(p);
	kobj_put(&p->obj);
}

void process_release(struct process *p)
{
	if (!p->exited)
		panic("process_release: %s (pid %u) released while alive", p->name, p->pid);
	if (p->quota_used)
		panic("process_release: %s (pid %u) still has %zu bytes charged", p->name, p->pid,
		      p->quota_used);
	quota_refund(p->parent, p->quota_total);
}

void thread_release(struct thread *t)
{
	if (t->state != THREAD_DEAD)
		panic("thread_release: thread %u released while alive", t->tid);
}

void process_kill_fault(struct thread *t, const char *cause, uint64_t addr, uint64_t pc)
{
	struct process *p = t->proc;
	kprintf("kill: process %s (pid %u) thread %u: %s at 0x%lx, pc 0x%lx\n", p->name, p->pid,
		t->tid, cause, (unsigned long)addr, (unsigned long)pc);
	process_exit(p, -ERR_FAULT);
}

void process_add_waiter(struct process *p, struct thread *t)
{
	wq_push(&p->waiters, t);
}
