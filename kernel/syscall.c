/* System-call entry, user copies, and the calls that fit nowhere else. */
#include "kernel/syscall.h"

#include <arch/memlayout.h>
#include <arch/tlb.h>
#include <pagoda/errno.h>
#include <pagoda/pager.h>

#include "kernel/console.h"
#include "kernel/fault.h"
#include "kernel/ipc.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/timer.h"
#include "mm/aspace.h"
#include "mm/frame.h"
#include "syscall_handlers.h"

long arch_user_copy(void *dst, const void *src, size_t len);

static bool user_range_ok(uaddr_t user, size_t len)
{
	return user < USER_TOP && len <= USER_TOP - user;
}

long copy_from_user(void *dst, uaddr_t user, size_t len)
{
	if (!user_range_ok(user, len))
		return -ERR_FAULT;
	return arch_user_copy(dst, (const void *)(uintptr_t)user, len);
}

long copy_to_user(uaddr_t user, const void *src, size_t len)
{
	if (!user_range_ok(user, len))
		return -ERR_FAULT;
	return arch_user_copy((void *)(uintptr_t)user, src, len);
}

struct process *syscall_target(long process_h, uint32_t rights, long *err)
{
	struct process *self = current_thread()->proc;
	struct handle *h = handle_lookup(self, process_h, KOBJ_PROCESS, rights, err);
	if (!h)
		return NULL;
	struct process *p = (struct process *)h->obj;
	if (p->exited) {
		*err = -ERR_DEAD;
		return NULL;
	}
	return p;
}

void syscall_entry(struct thread *t)
{
	uint64_t nr = t->ctx.regs[REG_A7];
	if ((nr == SYS_call && ipc_fast_call(t)) || (nr == SYS_reply_recv && ipc_fast_reply_recv(t)))
		return;
	long status = syscall_dispatch(&t->ctx);
	/* A call that blocked or ended its thread has nothing to return now:
	 * whoever wakes the thread writes its a0. */
	if (current_thread() == t && t->state == THREAD_RUNNING)
		t->ctx.regs[REG_A0] = (uint64_t)status;
}

void user_page_fault(struct thread *t, enum access_kind access, uint64_t addr)
{
	static const uint32_t rights[] = { RIGHT_READ, RIGHT_WRITE, RIGHT_EXEC };
	static const uint32_t pager_access[] = { FAULT_READ, FAULT_WRITE, FAULT_EXEC };
	if (aspace_fix_accessed_dirty(&t->proc->as, addr, rights[access]))
		return; /* a U74 A/D fault: resume the access */
	fault_to_pager(t, pager_access[access], addr);
}

#define DEBUG_WRITE_MAX 4096

long sys_debug_write(struct user_context *ctx, uaddr_t buf, unsigned long len)
{
	(void)ctx;
	char chunk[128];
	if (len > DEBUG_WRITE_MAX)
		return -ERR_RANGE;
	if (!user_range_ok(buf, len))
		return -ERR_FAULT;
	for (unsigned long done = 0; done < len;) {
		size_t n = MIN(len - done, sizeof chunk);
		if (copy_from_user(chunk, buf + done, n) < 0)
			return done ? (long)done : -ERR_FAULT;
		for (size_t i = 0; i < n; i++)
			console_putc(chunk[i]);
		done += n;
	}
	return (long)len;
}

long sys_yield(struct user_context *ctx)
{
	(void)ctx;
	struct thread *t = current_thread();
	t->ctx.regs[REG_A0] = 0;
	sched_set_current(NULL);
	sched_make_ready(t); /* to the back of its priority's queue */
	return 0;
}

long sys_thread_exit(struct user_context *ctx, long code)
{
	(void)ctx;
	thread_exit(current_thread(), code);
	return 0;
}

long sys_sysinfo(struct user_context *ctx, unsigned long what)
{
	(void)ctx;
	struct process *p = current_thread()->proc;
	switch (what) {
	case SYSINFO_FREE_FRAMES:
		return (long)frame_free_count();
	case SYSINFO_TOTAL_FRAMES:
		return (long)frame_total_count();
	case SYSINFO_TICKS:
		return (long)timer_ticks();
	case SYSINFO_TIMEBASE_HZ:
		return (long)timer_interval() * TIMER_HZ;
	case SYSINFO_QUOTA_LEFT:
		return (long)(p->quota_total - p->quota_used);
	case SYSINFO_TLB_FLUSHES:
		return (long)tlb_flush_count;
	case SYSINFO_ASID_BITS:
		return (long)tlb_asid_bits;
	default:
		return -ERR_INVAL;
	}
}
