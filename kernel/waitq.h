/* FIFO wait queues of threads: circular doubly linked through next/prev. */
#ifndef KERNEL_WAITQ_H
#define KERNEL_WAITQ_H

#include "kernel/process.h"

static inline void wq_push(struct thread **q, struct thread *t)
{
	if (!*q) {
		t->next = t->prev = t;
		*q = t;
		return;
	}
	t->prev = (*q)->prev;
	t->next = *q;
	(*q)->prev->next = t;
	(*q)->prev = t;
}

static inline void wq_remove(struct thread **q, struct thread *t)
{
	if (t->next == t) {
		*q = NULL;
	} else {
		t->prev->next = t->next;
		t->next->prev = t->prev;
		if (*q == t)
			*q = t->next;
	}
	t->next = t->prev = NULL;
}

static inline struct thread *wq_pop(struct thread **q)
{
	struct thread *t = *q;
	if (t)
		wq_remove(q, t);
	return t;
}

#endif
