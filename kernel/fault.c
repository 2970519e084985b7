/* Page faults as IPC to user-space pagers: see kernel/fault.h. */
#include "kernel/fault.h"

#include <pagoda/errno.h>
#include <pagoda/pager.h>

#include "kernel/console.h"
#include "kernel/ipc.h"
#include "kernel/loader.h"
#include "kernel/sched.h"
#include "kernel/timer.h"
#include "mm/aspace.h"

static struct thread *timed_faults; /* faults with a deadline */

static const char *access_name(uint32_t access)
{
	return access == FAULT_WRITE ? "store page fault" :
	       access == FAULT_EXEC ? "instruction page fault" : "load page fault";
}

static uint32_t right_for(uint32_t access)
{
	return access == FAULT_WRITE ? RIGHT_WRITE : access == FAULT_EXEC ? RIGHT_EXEC : RIGHT_READ;
}

static void timed_remove(struct thread *t)
{
	for (struct thread **pp = &timed_faults; *pp; pp = &(*pp)->fault.timed_next)
		if (*pp == t) {
			*pp = t->fault.timed_next;
			break;
		}
	t->fault.timed_next = NULL;
}

/* The fault is over (answered or abandoned): forget the bookkeeping. */
static void fault_end(struct thread *t)
{
	if (t->fault.deadline)
		timed_remove(t);
	t->fault.region->pending--;
	t->fault.pending = false;
	t->fault.region = NULL;
	t->fault.deadline = 0;
}

void fault_to_pager(struct thread *t, uint32_t access, uint64_t addr)
{
	uint64_t pc = t->ctx.regs[UC_PC];
	struct region *r = region_find(&t->proc->as, addr);
	if (!r) {
		process_kill_fault(t, access_name(access), addr, pc);
		return;
	}
	if (!(r->rights & right_for(access))) {
		kprintf("kill: process %s (pid %u) thread %u: %s at 0x%lx, pc 0x%lx: the region forbids it\n",
			t->proc->name, t->proc->pid, t->tid, access_name(access), (unsigned long)addr,
			(unsigned long)pc);
		thread_exit(t, -ERR_FAULT);
		return;
	}
	if (r->pager->obj.dead) {
		kprintf("kill: process %s (pid %u) thread %u: %s at 0x%lx, pc 0x%lx: the region's pager is gone\n",
			t->proc->name, t->proc->pid, t->tid, access_name(access), (unsigned long)addr,
			(unsigned long)pc);
		thread_exit(t, -ERR_FAULT);
		return;
	}
	t->fault.pending = true;
	t->fault.region = r;
	t->fault.addr = addr;
	t->fault.access = access;
	r->pending++;
	if (r->timeout) {
		t->fault.deadline = timer_ticks() + r->timeout;
		t->fault.timed_next = timed_faults;
		timed_faults = t;
	}
	struct message msg = {
		.info = MSG_INFO(PAGER_FAULT, 4, 0),
		.words = { addr, (r->base + r->size) | access, pc,
			   ((uint64_t)t->proc->pid << 32) | t->tid },
	};
	ipc_send(t, r->pager, r->badge, &msg, true);
}

/* Checks that [va, va+size) lies in r and rights fit r: the kernel trusts
 * no pager answer. */
static long check_placement(const struct region *r, vaddr_t va, size_t size, uint32_t rights)
{
	if (!IS_ALIGNED(va, PAGE_SIZE))
		return -ERR_ALIGN;
	if (va < r->base || size > r->size || va - r->base > r->size - size)
		return -ERR_RANGE;
	if (!rights || (rights & ~r->rights))
		return -ERR_PERM;
	if ((rights & RIGHT_WRITE) && (rights & RIGHT_EXEC))
		return -ERR_PERM;
	return 0;
}

/* marked: the answer's map marked the faulting page already. */
static void resume_after_fault(struct thread *pager, struct thread *caller, bool marked)
{
	/* The page the thread faulted on is used by the access it retries:
	 * mark that (A, and D for a store) and nothing else, so ad_query reports
	 * the same on QEMU, which sets A/D itself, and on a U74, which would
	 * fault again for it. */
	if (!marked)
		aspace_fix_accessed_dirty(&caller->proc->as, caller->fault.addr,
					  right_for(caller->fault.access));
	pager->reply_to = NULL;
	caller->replier = NULL;
	fault_end(caller);
	caller->state = THREAD_RUNNING;
	sched_make_ready(caller); /* the faulting instruction runs again */
}

long fault_answer(struct thread *pager, struct thread *caller, unsigned long info,
		  const unsigned long words[MSG_WORDS], long xfer)
{
	struct region *r = caller->fault.region;
	struct aspace *as = &caller->proc->as;
	struct process *pp = pager->proc;
	uint32_t rights = (uint32_t)words[1];
	vaddr_t fault_va = caller->fault.addr;
	uint32_t access = right_for(caller->fault.access);
	bool marked = false; /* the faulting page, by the answer's map */
	long err;

	switch (MSG_LABEL(info)) {
	case PAGER_MAP: {
		if (!(info & MSG_HAS_HANDLE))
			return -ERR_INVAL;
		struct handle *h = handle_lookup(pp, xfer, KOBJ_FRAME, 0, &err);
		if (!h)
			return err;
		struct frame_obj *frame = (struct frame_obj *)h->obj;
		/* Only the pager's own RAM: not someone else's, not a device. */
		if (frame->obj.owner != pp || frame->device)
			return -ERR_PERM;
		if (rights & ~h->rights)
			return -ERR_PERM;
		if ((err = check_placement(r, words[0], frame->size, rights)))
			return err;
		if ((err = aspace_map_answer(as, frame, words[0], rights, fault_va, access)))
			return err;
		marked = fault_va - words[0] < frame->size;
		break;
	}
	case PAGER_ZERO: {
		if ((err = check_placement(r, words[0], PAGE_SIZE, rights)))
			return err;
		struct frame_obj *frame;
		if ((err = frame_obj_create(pp, 0, &frame)))
			return err;
		err = aspace_map_answer(as, frame, words[0], rights, fault_va, access);
		marked = fault_va - words[0] < frame->size;
		kobj_put(&frame->obj); /* the mapping holds it, if made */
		if (err)
			return err;
		break;
	}
	case PAGER_RETRY:
		break;
	case PAGER_FAIL:
		pager->reply_to = NULL;
		caller->replier = NULL;
		fault_abandon(caller, "the pager failed the fault", (long)words[0]);
		return 0;
	default:
		return -ERR_INVAL;
	}
	resume_after_fault(pager, caller, marked);
	return 0;
}

void fault_forget(struct thread *t)
{
	if (t->fault.pending)
		fault_end(t);
}

void fault_abandon(struct thread *t, const char *reason, long detail)
{
	fault_end(t);
	t->doom_reason = reason;
	t->doom_detail = detail;
	t->state = THREAD_RUNNING;
	t->blocked_on = NULL;
	sched_make_ready(t);
}

void fault_tick(uint64_t now)
{
	struct thread *t = timed_faults;
	while (t) {
		struct thread *next = t->fault.timed_next;
		if (t->fault.deadline <= now) {
			ipc_cancel_wait(t);
			fault_abandon(t, "the pager did not answer in time", (long)t->fault.region->timeout);
		}
		t = next;
	}
}

void thread_die_doomed(struct thread *t)
{
	kprintf("kill: process %s (pid %u) thread %u: %s at 0x%lx, pc 0x%lx: %s (%ld)\n",
		t->proc->name, t->proc->pid, t->tid, access_name(t->fault.access),
		(unsigned long)t->fault.addr, (unsigned long)t->ctx.regs[UC_PC], t->doom_reason,
		t->doom_detail);
	thread_exit(t, -ERR_FAULT);
}
