#include "kernel/sched.h"

#include <arch/csr.h>
#include <arch/trap.h>

#include "kernel/fault.h"
#include "kernel/panic.h"
#include "kernel/timer.h"

static struct thread *ready[PRIORITY_MAX + 1]; /* circular lists, head = next to run */
static uint32_t ready_mask;                    /* bit p: ready[p] not empty */
struct thread *sched_current; /* read through current_thread() */
#define current sched_current
static bool slice_expired;

void sched_set_current(struct thread *t)
{
	current = t;
}

void sched_make_ready(struct thread *t)
{
	if (t->queued || t == current || t->state != THREAD_RUNNING)
		panic("sched_make_ready: thread %u is %s", t->tid,
		      t->queued ? "already queued" : t == current ? "current" : "blocked");
	struct thread **q = &ready[t->priority];
	if (!*q) {
		t->next = t->prev = t;
		*q = t;
	} else {
		t->prev = (*q)->prev;
		t->next = *q;
		(*q)->prev->next = t;
		(*q)->prev = t;
	}
	t->queued = true;
	ready_mask |= 1u << t->priority;
}

void sched_remove(struct thread *t)
{
	if (!t->queued)
		return;
	struct thread **q = &ready[t->priority];
	if (t->next == t) {
		*q = NULL;
		ready_mask &= ~(1u << t->priority);
	} else {
		t->prev->next = t->next;
		t->next->prev = t->prev;
		if (*q == t)
			*q = t->next;
	}
	t->next = t->prev = NULL;
	t->queued = false;
}

/* The highest set bit: a 5-step search (without Zbb, __builtin_clz is a
 * libgcc call on this path). */
static int highest_ready(void)
{
	uint32_t m = ready_mask;
	if (!m)
		return -1;
	int bit = 0;
	if (m >> 16) {
		m >>= 16;
		bit += 16;
	}
	if (m >> 8) {
		m >>= 8;
		bit += 8;
	}
	if (m >> 4) {
		m >>= 4;
		bit += 4;
	}
	if (m >> 2) {
		m >>= 2;
		bit += 2;
	}
	return bit + (int)(m >> 1);
}

void sched_handoff(struct thread *t)
{
	if (current && current->state == THREAD_RUNNING)
		sched_make_ready(current); /* caller did not block after all */
	if ((int)t->priority >= highest_ready()) {
		current = t; /* the fast path: straight to t */
		t->timeslice = TIMESLICE_TICKS;
	} else {
		current = NULL;
		sched_make_ready(t);
	}
}

void sched_tick(void)
{
	if (current && current->timeslice && --current->timeslice == 0)
		slice_expired = true;
	fault_tick(timer_ticks());
}

static __attribute__((noreturn)) void resume(struct thread *t)
{
	current = t;
	aspace_activate(&t->proc->as); /* nothing to do if it is loaded */
	struct hart_local *hl = this_hart();
	t->ctx.kernel_sp = hl->kernel_stack_top;
	t->ctx.kernel_tp = (uint64_t)(uintptr_t)hl;
	arch_return_to_user(&t->ctx);
}

static struct thread *pick(void)
{
	int p = highest_ready();
	if (p < 0)
		return NULL;
	struct thread *t = ready[p];
	sched_remove(t);
	return t;
}

void sched_return(void)
{
	arch_irq_save(); /* the kernel runs with interrupts off, except idle */
	struct thread *t = current;
	if (t && t->state == THREAD_RUNNING) {
		bool preempt = (int)t->priority < highest_ready() ||
			       (slice_expired && highest_ready() == (int)t->priority);
		if (!preempt) {
			if (slice_expired)
				t->timeslice = TIMESLICE_TICKS;
			slice_expired = false;
			resume(t);
		}
		t->timeslice = TIMESLICE_TICKS;
		current = NULL;
		sched_make_ready(t);
	}
	slice_expired = false;
	current = NULL;
	for (;;) {
		struct thread *next = pick();
		if (next && next->doom_reason) {
			thread_die_doomed(next); /* here, with nothing in progress */
			continue;
		}
		if (next) {
			if (!next->timeslice)
				next->timeslice = TIMESLICE_TICKS;
			resume(next);
		}
		/* Idle: wait for an interrupt to make someone ready. */
		arch_irq_enable();
		arch_wait_for_interrupt();
		arch_irq_save();
	}
}
