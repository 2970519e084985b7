/*
 * Low-memory notifications (kernel/memwatch.h, mm/memwatch.h).
 *
 * Every watched notification is on one of two kernel-wide lists, linked
 * through its own watch_next, so a watch is charged to whoever created the
 * notification and there is no table to fill up:
 *   armed: the free frames were at or above its watch_low when last looked
 *          at; the allocation that takes them below signals it.
 *   fired: signalled (or watching since the free frames were already
 *          below); silent until a free brings them back to watch_low.
 * After every change the allocator gets the two levels it compares with
 * (frame_watch_set_levels): the highest armed threshold and the lowest
 * fired one. So allocations and frees that cross nothing cost it one
 * comparison each, and these lists are walked only on a crossing.
 *
 * Signalling from inside the allocator. mem_watch_fire runs within
 * frame_alloc*, which is called deep inside system calls and faults (kmem
 * slabs, page tables, handle tables, frame objects). notification_signal
 * is safe there, so it is called at once rather than deferred:
 *   - it never switches threads: it ORs in the bits and, if a thread waits,
 *     gives it its result and queues it (sched_make_ready). Only
 *     sched_handoff and sched_return change the running thread, and the
 *     woken thread runs when the call in progress returns to user mode,
 *     before the caller if it ranks higher;
 *   - it neither allocates nor frees, so the allocator and kmem are not
 *     re-entered;
 *   - the thread it wakes is one blocked in notification_wait; no caller of
 *     frame_alloc* holds a thread half-way into or out of a notification's
 *     wait queue, and the current thread is never on one while it runs
 *     kernel code that allocates (sched_make_ready would panic if it were).
 * Interrupt handlers already signal notifications the same way (kernel/irq.c).
 */
#include "kernel/memwatch.h"

#include <pagoda/errno.h>

#include "kernel/ipc.h"
#include "kernel/panic.h"
#include "kernel/syscall.h"
#include "mm/frame.h"
#include "mm/memwatch.h"
#include "syscall_handlers.h"

_Static_assert(sizeof(struct notification) <= 64,
	       "a notification with its watch fills one 64-byte kmem slot, no more");

static struct notification *armed;
static struct notification *fired;

static void push(struct notification **list, struct notification *n)
{
	n->watch_next = *list;
	*list = n;
}

/* Takes n off *list; false if it is not on it. */
static bool unlink_from(struct notification **list, struct notification *n)
{
	for (struct notification **pp = list; *pp; pp = &(*pp)->watch_next)
		if (*pp == n) {
			*pp = n->watch_next;
			n->watch_next = NULL;
			return true;
		}
	return false;
}

/* Gives the allocator the levels of the watches as they are now. */
static void set_levels(void)
{
	size_t fire_below = 0, rearm_at = 0;
	for (struct notification *n = armed; n; n = n->watch_next)
		fire_below = MAX(fire_below, n->watch_low);
	for (struct notification *n = fired; n; n = n->watch_next)
		if (!rearm_at || n->watch_low < rearm_at)
			rearm_at = n->watch_low;
	frame_watch_set_levels(fire_below, rearm_at);
}

/* Takes n's watch off its list (the levels are the caller's business). */
static void unwatch(struct notification *n)
{
	if (!n->watch_low)
		return;
	if (!unlink_from(&armed, n) && !unlink_from(&fired, n))
		panic("unwatch: notification %p watches below %zu frames but is on neither list",
		      (void *)n, n->watch_low);
	n->watch_low = 0;
	n->watch_bits = 0;
}

void mem_watch_forget(struct notification *n)
{
	if (!n->watch_low)
		return; /* the common case: most notifications never watch */
	unwatch(n);
	set_levels();
}

void mem_watch_fire(void)
{
	size_t free_frames = frame_free_count();
	struct notification **pp = &armed;
	while (*pp) {
		struct notification *n = *pp;
		if (free_frames < n->watch_low) {
			*pp = n->watch_next; /* pp now names the next one */
			push(&fired, n);
			notification_signal(n, n->watch_bits);
		} else {
			pp = &n->watch_next;
		}
	}
	set_levels();
}

void mem_watch_rearm(void)
{
	size_t free_frames = frame_free_count();
	struct notification **pp = &fired;
	while (*pp) {
		struct notification *n = *pp;
		if (free_frames >= n->watch_low) {
			*pp = n->watch_next;
			push(&armed, n);
		} else {
			pp = &n->watch_next;
		}
	}
	set_levels();
}

/*
 * mem_watch(ntfn, low_frames, bits): watches the free frames for ntfn.
 * Contract (the table's comment says the same for callers):
 *   - ntfn: a notification handle with RIGHT_WRITE, the right signal needs
 *     (handle_lookup's -ERR_BADHANDLE, -ERR_DEAD, -ERR_INVAL for another
 *     type, -ERR_PERM without the right). Its watch is the notification's,
 *     whoever set it: any holder of such a handle may replace or remove it.
 *   - low_frames above frame_total_count(): -ERR_RANGE.
 *   - low_frames 0: removes the watch (none: nothing to do); bits ignored.
 *   - otherwise bits 0: -ERR_INVAL.
 * On success (0) any earlier watch of ntfn is replaced by this one. From
 * then on every allocation that takes the free frames (frame_free_count,
 * what sysinfo(SYSINFO_FREE_FRAMES) says) below low_frames signals ntfn
 * with bits, once per crossing: the watch is armed again only when the
 * free frames are back at or above low_frames. If they are below it
 * already, ntfn is signalled now, and the watch waits to be armed again.
 * An error changes nothing.
 */
long sys_mem_watch(struct user_context *ctx, long ntfn_h, unsigned long low_frames,
		   unsigned long bits)
{
	(void)ctx;
	long err;
	struct handle *h = handle_lookup(current_thread()->proc, ntfn_h, KOBJ_NOTIFICATION, RIGHT_WRITE,
					 &err);
	if (!h)
		return err;
	if (low_frames > frame_total_count())
		return -ERR_RANGE;
	if (low_frames && !bits)
		return -ERR_INVAL;

	struct notification *n = (struct notification *)h->obj;
	unwatch(n);
	if (low_frames) {
		n->watch_low = low_frames;
		n->watch_bits = bits;
		if (frame_free_count() < low_frames) {
			push(&fired, n);
			notification_signal(n, bits);
		} else {
			push(&armed, n);
		}
	}
	set_levels();
	return 0;
}
