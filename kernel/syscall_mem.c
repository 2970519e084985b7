/* System calls for frames, mappings, processes and threads. */
#include <arch/kva.h>
#include <pagoda/errno.h>
#include <pagoda/pager.h>

#include "kernel/loader.h"
#include "kernel/quota.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "mm/aspace.h"
#include "mm/frame.h"
#include "syscall_handlers.h"

#define FRAME_ALLOC_MAX_ORDER 9 /* 2 MiB at most per frame object */

static struct process *self_proc(void)
{
	return current_thread()->proc;
}

long frame_obj_create(struct process *p, unsigned order, struct frame_obj **out)
{
	size_t size = PAGE_SIZE << order;
	if (quota_charge(p, size) < 0)
		return -ERR_NOMEM;
	struct frame_obj *f = kobj_alloc(p, KOBJ_FRAME, sizeof *f);
	paddr_t pa = f ? frame_alloc_order(order) : PADDR_NONE;
	if (pa == PADDR_NONE) {
		if (f) {
			f->device = true; /* nothing to free but the object */
			kobj_put(&f->obj);
		}
		quota_refund(p, size);
		return -ERR_NOMEM;
	}
	uint64_t *words = pa_to_kva(pa);
	for (size_t i = 0; i < size / 8; i++)
		words[i] = 0; /* never hand out another process's data */
	f->pa = pa;
	f->size = size;
	*out = f;
	return 0;
}

long sys_frame_alloc(struct user_context *ctx, unsigned long order)
{
	(void)ctx;
	struct process *p = self_proc();
	if (order > FRAME_ALLOC_MAX_ORDER)
		return -ERR_RANGE;
	long err = handle_reserve(p);
	if (err)
		return err;
	struct frame_obj *f;
	err = frame_obj_create(p, (unsigned)order, &f);
	if (err)
		return err;
	long h = handle_install(p, &f->obj, RIGHT_READ | RIGHT_WRITE | RIGHT_EXEC | RIGHT_GRANT, 0);
	kobj_put(&f->obj);
	return h;
}

long sys_frame_phys(struct user_context *ctx, long frame_h)
{
	(void)ctx;
	long err;
	/* Drivers give devices physical addresses for DMA; the frame handle
	 * (with GRANT, which sys_frame_alloc gives its creator) is the proof
	 * that the caller may hand this memory to a device. */
	struct handle *h = handle_lookup(self_proc(), frame_h, KOBJ_FRAME, RIGHT_GRANT, &err);
	if (!h)
		return err;
	return (long)((struct frame_obj *)h->obj)->pa;
}

/* map and map_run: into another space (a pager serving it) the pages
 * start untouched, as fault answers do, so pg_ad_query tells whether they
 * are ever used (a pager's read-ahead). Its own mappings get A/D preset:
 * no A/D fault on boards that set them in software. */
static long map_into(struct process *target, struct frame_obj *const *frames, size_t count,
		     unsigned long va, uint32_t rights)
{
	return aspace_map_run(&target->as, frames, count, va, rights, target != self_proc());
}

long sys_map(struct user_context *ctx, long process_h, long frame_h, unsigned long va,
	     unsigned long rights)
{
	(void)ctx;
	long err;
	struct process *target = syscall_target(process_h, RIGHT_WRITE, &err);
	if (!target)
		return err;
	if (rights & ~(unsigned long)(RIGHT_READ | RIGHT_WRITE | RIGHT_EXEC))
		return -ERR_INVAL;
	/* The frame comes from the caller's table: a pager maps its own. */
	struct handle *h = handle_lookup(self_proc(), frame_h, KOBJ_FRAME, (uint32_t)rights, &err);
	if (!h)
		return err;
	struct frame_obj *frame = (struct frame_obj *)h->obj;
	return map_into(target, &frame, 1, va, (uint32_t)rights);
}

long sys_unmap(struct user_context *ctx, long process_h, unsigned long va, unsigned long size)
{
	(void)ctx;
	long err;
	struct process *target = syscall_target(process_h, RIGHT_WRITE, &err);
	if (!target)
		return err;
	return aspace_unmap(&target->as, va, size);
}

long sys_map_run(struct user_context *ctx, long process_h, uaddr_t frames_user, unsigned long count,
		 unsigned long va, unsigned long rights)
{
	(void)ctx;
	long err;
	struct process *target = syscall_target(process_h, RIGHT_WRITE, &err);
	if (!target)
		return err;
	if (rights & ~(unsigned long)(RIGHT_READ | RIGHT_WRITE | RIGHT_EXEC))
		return -ERR_INVAL;
	if (count == 0 || count > MAP_RUN_MAX)
		return -ERR_RANGE;
	long handles[MAP_RUN_MAX];
	if (copy_from_user(handles, frames_user, count * sizeof handles[0]) < 0)
		return -ERR_FAULT;
	struct frame_obj *frames[MAP_RUN_MAX];
	for (unsigned long i = 0; i < count; i++) {
		struct handle *h = handle_lookup(self_proc(), handles[i], KOBJ_FRAME, (uint32_t)rights, &err);
		if (!h)
			return err;
		frames[i] = (struct frame_obj *)h->obj;
	}
	return map_into(target, frames, count, va, (uint32_t)rights);
}

#define SPAWN_MAX_IMAGE (4UL << 20)

long sys_process_spawn(struct user_context *ctx, uaddr_t image, unsigned long len,
		       unsigned long priority, long bootstrap, long pager, unsigned long quota,
		       unsigned long flags)
{
	(void)ctx;
	struct process *p = self_proc();
	long err;
	if (len == 0 || len > SPAWN_MAX_IMAGE)
		return -ERR_RANGE;
	if (priority > PRIORITY_MAX)
		return -ERR_RANGE;
	if (flags & ~SPAWN_SUSPENDED)
		return -ERR_INVAL;
	if (bootstrap != HANDLE_NONE && !handle_lookup(p, bootstrap, KOBJ_NONE, 0, &err))
		return err;
	if (pager != HANDLE_NONE && !handle_lookup(p, pager, KOBJ_ENDPOINT, RIGHT_WRITE, &err))
		return err;
	if ((err = handle_reserve(p)))
		return err;
	/* Only now pointers to the slots: growing the table moves them. */
	struct spawn_opts opts = {
		.priority = (unsigned)priority,
		.quota = quota ? quota : SPAWN_DEFAULT_QUOTA,
		.bootstrap = bootstrap != HANDLE_NONE ? handle_slot(p, bootstrap) : NULL,
		.pager = pager != HANDLE_NONE ? handle_slot(p, pager) : NULL,
		.suspended = flags & SPAWN_SUSPENDED,
	};

	/* Copy the image into kernel frames (charged while we use them). */
	unsigned order = 0;
	while ((PAGE_SIZE << order) < len)
		order++;
	struct frame_obj *copy;
	if ((err = frame_obj_create(p, order, &copy)))
		return err;
	err = copy_from_user(pa_to_kva(copy->pa), image, len);
	struct process *child = NULL;
	if (!err)
		err = loader_spawn(p, "child", pa_to_kva(copy->pa), len, &opts, &child);
	kobj_put(&copy->obj);
	if (err)
		return err;
	long h = handle_install(p, &child->obj, RIGHT_ALL, 0);
	kobj_put(&child->obj); /* the handle holds it now */
	return h;
}

long sys_process_start(struct user_context *ctx, long h)
{
	(void)ctx;
	long err;
	struct handle *ph = handle_lookup(self_proc(), h, KOBJ_PROCESS, RIGHT_WRITE, &err);
	if (!ph)
		return err;
	struct process *child = (struct process *)ph->obj;
	if (child->exited)
		return -ERR_DEAD;
	if (!child->suspended)
		return -ERR_INVAL; /* running already */
	process_start(child);
	return 0;
}

long sys_process_wait(struct user_context *ctx, long h)
{
	(void)ctx;
	long err;
	struct thread *self = current_thread();
	struct handle *ph = handle_lookup(self->proc, h, KOBJ_PROCESS, 0, &err);
	if (!ph)
		return err;
	struct process *child = (struct process *)ph->obj;
	if (child == self->proc)
		return -ERR_INVAL;
	if (child->exited)
		return child->exit_code;
	self->state = THREAD_BLOCKED_CHILD;
	self->blocked_on = child;
	process_add_waiter(child, self);
	return 0;
}

long sys_thread_create(struct user_context *ctx, unsigned long entry, unsigned long sp,
		       unsigned long arg, unsigned long priority)
{
	(void)ctx;
	struct process *p = self_proc();
	long err;
	if (entry >= USER_TOP || sp >= USER_TOP || (sp & 15))
		return -ERR_INVAL;
	if (priority > PRIORITY_MAX)
		return -ERR_RANGE;
	if ((err = handle_reserve(p)))
		return err;
	struct thread *t = thread_create(p, entry, sp, arg, 0, (unsigned)priority, &err);
	if (!t)
		return err;
	return handle_install(p, &t->obj, RIGHT_ALL, 0);
}

long sys_thread_set_priority(struct user_context *ctx, long h, unsigned long priority)
{
	(void)ctx;
	long err;
	struct handle *th = handle_lookup(self_proc(), h, KOBJ_THREAD, RIGHT_WRITE, &err);
	if (!th)
		return err;
	if (priority > PRIORITY_MAX)
		return -ERR_RANGE;
	struct thread *t = (struct thread *)th->obj;
	if (t->state == THREAD_DEAD)
		return -ERR_DEAD;
	bool was_queued = t->queued;
	sched_remove(t);
	t->priority = (unsigned)priority;
	if (was_queued)
		sched_make_ready(t);
	return 0;
}
