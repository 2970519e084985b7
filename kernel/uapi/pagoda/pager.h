/*
 * The pager protocol: how a page fault in user space becomes a message to
 * a user-space pager, and what the pager may answer.
 *
 * An address space is made of regions (region_create): a base, a size,
 * rights (RIGHT_READ/WRITE/EXEC) and a pager endpoint. A load, store or
 * instruction fetch that faults inside a region, and that the region's
 * rights allow, is sent to the pager as if the faulting thread had called
 * the endpoint:
 *
 *   label PAGER_FAULT, length 4
 *     w0 = the faulting address
 *     w1 = the faulting region's end | the access:
 *
 *            63                        12 11          0
 *           | region base + size (page)  | FAULT_READ, |
 *           | (exclusive, page-aligned)  | _WRITE, _EXEC|
 *
 *          w1 & FAULT_ACCESS_MASK is the access, w1 & ~FAULT_ACCESS_MASK
 *          the end: a pager that maps ahead of a fault (fault-around)
 *          knows where the region stops without asking.
 *     w2 = the faulting pc
 *     w3 = (pid << 32) | thread id
 *   badge = the badge of the endpoint handle given to region_create: it is
 *           how a pager tells address spaces (and regions) apart.
 *
 * An access the region's rights forbid never reaches the pager: the thread
 * is killed. The faulting thread waits until the pager replies (reply or
 * reply_recv) with one of:
 *
 *   PAGER_MAP    the reply carries a frame handle (MSG_HAS_HANDLE) of a
 *                frame the pager owns; w0 = where its first page goes
 *                (page aligned; the whole frame inside the region, so one
 *                answer can resolve a run of pages), w1 = rights (no more
 *                than the region's, never both WRITE and EXEC).
 *   PAGER_ZERO   w0 = a page in the region, w1 = rights: the kernel maps a
 *                fresh zeroed page there, charged to the pager.
 *   PAGER_RETRY  resume the thread (the pager fixed things some other way,
 *                e.g. with map or protect on the address space).
 *   PAGER_FAIL   w0 = a reason (a negative ERR_* code): the thread is
 *                killed with one line naming the fault and the reason.
 *
 * The kernel trusts no answer: a refused one makes the pager's reply
 * return an error (-ERR_BADHANDLE, -ERR_PERM, -ERR_RANGE, -ERR_ALIGN,
 * -ERR_EXIST, -ERR_INVAL) and the fault stays pending, to be answered
 * again. If the pager process dies, its endpoint is destroyed, or the
 * region's timeout (in timer ticks, 0 = none) passes, the faulting thread
 * is killed with a line saying so; it never waits forever.
 *
 * A pager's own memory never faults to itself: a pager maps its image,
 * stack, heap and I/O buffers eagerly (the runtime's heap does: it maps
 * frames when it grows) and creates no region in its own address space that
 * it serves itself. That is what "pinned" means here.
 */
#ifndef PAGODA_PAGER_H
#define PAGODA_PAGER_H

enum pager_label {
	PAGER_FAULT = 0x50, /* kernel -> pager */
	PAGER_MAP,          /* pager -> kernel, as the reply */
	PAGER_ZERO,
	PAGER_RETRY,
	PAGER_FAIL,
};

#define FAULT_READ 1UL
#define FAULT_WRITE 2UL
#define FAULT_EXEC 4UL
#define FAULT_ACCESS_MASK 0xfffUL /* of w1; the rest is the region's end */

/* ad_query: one byte per page, these bits. */
#define PAGE_ACCESSED 1
#define PAGE_DIRTY 2

#define AD_QUERY_MAX_PAGES 512

/* map_run: frames in one call. */
#define MAP_RUN_MAX 32

#endif
