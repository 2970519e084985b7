/*
 * Page faults as IPC (the protocol is in <pagoda/pager.h>): regions of an
 * address space, the fault message to the region's pager, checking and
 * applying the pager's answer, and failing a fault that cannot be served.
 */
#ifndef KERNEL_FAULT_H
#define KERNEL_FAULT_H

#include "kernel/process.h"

struct region {
	vaddr_t base;
	size_t size;
	uint32_t rights;        /* RIGHT_READ/WRITE/EXEC */
	struct endpoint *pager; /* holds a reference */
	uint32_t badge;         /* sent with every fault */
	uint64_t timeout;       /* ticks a fault may wait; 0 = forever */
	unsigned pending;       /* faults waiting on this region's pager */
	struct region *next;
};

/*
 * A user page fault the kernel could not fix itself (not an A/D fault).
 * Outside every region, or an access the region forbids: the process is
 * killed with one line. Otherwise the fault goes to the pager and t waits.
 */
void fault_to_pager(struct thread *t, uint32_t access, uint64_t addr);

/*
 * The pager thread `pager` answers the fault of `caller` (its reply_to)
 * with label/words/handle from its reply. Checks everything first; a
 * refused answer returns a negative error and leaves the fault pending.
 * On success the caller resumes at the faulting instruction (its
 * registers untouched) and `pager` has no reply owed.
 */
long fault_answer(struct thread *pager, struct thread *caller, unsigned long info,
		  const unsigned long words[MSG_WORDS], long xfer);

/*
 * The fault t waits on will never be answered (pager dead, endpoint gone,
 * call dropped): t is marked to die with reason when next picked.
 * Takes t off nothing: the caller already did.
 */
void fault_abandon(struct thread *t, const char *reason, long detail);

/* t is being stopped (its process ends): forget its pending fault, if any,
 * so nothing (the timeout list, the region's count) points at it. */
void fault_forget(struct thread *t);

/* Timer tick: abandons faults whose region timeout has passed. */
void fault_tick(uint64_t now);

/* Kills a doomed thread (sched picked it), printing the one line. */
void thread_die_doomed(struct thread *t);

/* Region bookkeeping on an address space (kernel/region.c). */
struct region *region_find(struct aspace *as, vaddr_t va);

/*
 * Checking half of region_create: 0 if [base, base + size) (page-aligned,
 * non-empty, below USER_TOP) overlaps no region of p and rights is a
 * non-empty subset of RIGHT_READ | RIGHT_WRITE | RIGHT_EXEC; else
 * -ERR_ALIGN, -ERR_RANGE, -ERR_INVAL or -ERR_EXIST.
 */
long region_check(struct process *p, vaddr_t base, size_t size, unsigned long rights);

/*
 * Doing half: adds the region region_check accepted, served by the
 * endpoint behind `pager` (a validated endpoint handle; the region takes
 * its own reference and the handle's badge). Charged to p's quota: 0 or
 * -ERR_NOMEM, and then nothing changed.
 */
long region_insert(struct process *p, vaddr_t base, size_t size, unsigned long rights,
		   const struct handle *pager, uint64_t timeout);
void regions_destroy(struct aspace *as);

#endif
