/* Reference counting, destruction and handle tables (see kernel/object.h). */
#include "kernel/object.h"

#include <arch/kva.h>
#include <pagoda/errno.h>

#include "kernel/ipc.h"
#include "kernel/panic.h"
#include "kernel/process.h"
#include "kernel/quota.h"
#include "mm/aspace.h"
#include "mm/frame.h"
#include "mm/kmem.h"

#include <stddef.h>

#include "kernel/irq.h"

/* kobj_alloc initialises the header at the start of the allocation. */
_Static_assert(offsetof(struct process, obj) == 0, "kobject first");
_Static_assert(offsetof(struct thread, obj) == 0, "kobject first");
_Static_assert(offsetof(struct endpoint, obj) == 0, "kobject first");
_Static_assert(offsetof(struct notification, obj) == 0, "kobject first");
_Static_assert(offsetof(struct frame_obj, obj) == 0, "kobject first");
_Static_assert(offsetof(struct irq_obj, obj) == 0, "kobject first");

void kobj_get(struct kobject *obj)
{
	if (obj->refs == 0 || obj->refs == UINT32_MAX)
		panic("kobj_get: object %p of type %u has %u references", (void *)obj, obj->type, obj->refs);
	obj->refs++;
}

/* What destroying each type means; runs once, when an object dies. */
static void destroy_by_type(struct kobject *obj)
{
	switch (obj->type) {
	case KOBJ_ENDPOINT:
		endpoint_destroy((struct endpoint *)obj);
		break;
	case KOBJ_NOTIFICATION:
		notification_destroy((struct notification *)obj);
		break;
	case KOBJ_FRAME:
		frame_obj_unmap_all((struct frame_obj *)obj);
		break;
	default:
		break;
	}
}

void kobj_destroy(struct kobject *obj)
{
	if (obj->type == KOBJ_PROCESS) {
		/* Destroying a process ends it; handles stay, so its creator
		 * can still collect the exit status with process_wait. */
		struct process *p = (struct process *)obj;
		kobj_get(obj);
		process_exit(p, -ERR_DEAD);
		kobj_put(obj);
		return;
	}
	if (obj->dead)
		return;
	obj->dead = true;
	kobj_get(obj); /* keep it alive through its own teardown */
	destroy_by_type(obj);
	kobj_put(obj);
}

/* The last reference is gone: free what the object holds, then itself. */
static void release(struct kobject *obj)
{
	struct process *owner = obj->owner;
	switch (obj->type) {
	case KOBJ_FRAME: {
		struct frame_obj *f = (struct frame_obj *)obj;
		if (f->maps)
			panic("release: frame 0x%lx still mapped", (unsigned long)f->pa);
		if (!f->device) {
			frame_free(f->pa);
			quota_refund(owner, f->size);
		}
		break;
	}
	case KOBJ_PROCESS:
		process_release((struct process *)obj);
		break;
	case KOBJ_THREAD:
		thread_release((struct thread *)obj);
		break;
	case KOBJ_ENDPOINT:
		endpoint_release((struct endpoint *)obj);
		break;
	case KOBJ_NOTIFICATION:
		notification_release((struct notification *)obj);
		break;
	default:
		break;
	}
	quota_refund(owner, obj->charge);
	kmem_free(obj);
	if (owner)
		kobj_put(&owner->obj);
}

void kobj_put(struct kobject *obj)
{
	if (obj->refs == 0)
		panic("kobj_put: object %p of type %u has no references", (void *)obj, obj->type);
	if (--obj->refs == 0)
		release(obj);
}

struct handle *handle_slot(struct process *proc, long h)
{
	if (h < 0 || (unsigned long)h >= proc->handle_count || !proc->handles[h].obj)
		return NULL;
	return &proc->handles[h];
}

struct handle *handle_lookup(struct process *proc, long h, enum kobj_type type, uint32_t rights,
			     long *err)
{
	struct handle *slot = handle_slot(proc, h);
	if (!slot) {
		*err = -ERR_BADHANDLE;
		return NULL;
	}
	if (slot->obj->dead) {
		*err = -ERR_DEAD; /* revoked: the slot stays until handle_delete */
		return NULL;
	}
	if (type != KOBJ_NONE && slot->obj->type != type) {
		*err = -ERR_INVAL;
		return NULL;
	}
	if ((slot->rights & rights) != rights) {
		*err = -ERR_PERM;
		return NULL;
	}
	return slot;
}

/* ---- the table itself ---- */

static size_t table_bytes(unsigned slots)
{
	return (size_t)slots * sizeof(struct handle);
}

/* The buddy order of a table of `slots` (a power of two, at least one frame). */
static unsigned table_order(unsigned slots)
{
	unsigned order = 0;
	while ((PAGE_SIZE << order) < table_bytes(slots))
		order++;
	return order;
}

/* Moves proc's table into the block at pa (already charged) of `slots`
 * slots: copies the slots that fit, clears the rest, frees the old block.
 * The caller settles the quota. */
static void table_move(struct process *proc, paddr_t pa, unsigned slots)
{
	struct handle *to = pa_to_kva(pa);
	unsigned keep = MIN(slots, proc->handle_count);
	for (unsigned i = 0; i < keep; i++)
		to[i] = proc->handles[i];
	for (unsigned i = keep; i < slots; i++)
		to[i] = (struct handle){ 0 };
	frame_free(kva_to_pa(proc->handles));
	proc->handles = to;
	proc->handle_count = slots;
}

/* Doubles proc's table. Charges the new block before the old one goes (both
 * are held while copying). -ERR_NOSPC, with nothing changed, at
 * HANDLE_TABLE_MAX or without the quota or memory. */
static long table_grow(struct process *proc)
{
	if (proc->handle_count >= HANDLE_TABLE_MAX)
		return -ERR_NOSPC;
	unsigned slots = proc->handle_count * 2;
	if (quota_charge(proc, table_bytes(slots)) < 0)
		return -ERR_NOSPC;
	paddr_t pa = frame_alloc_order(table_order(slots));
	if (pa == PADDR_NONE) {
		quota_refund(proc, table_bytes(slots));
		return -ERR_NOSPC;
	}
	size_t old_bytes = table_bytes(proc->handle_count);
	table_move(proc, pa, slots);
	quota_refund(proc, old_bytes);
	return 0;
}

long handle_table_init(struct process *proc)
{
	if (proc->handles)
		panic("handle_table_init: %s already has a handle table", proc->name);
	paddr_t pa = quota_frame_alloc(proc); /* zeroed: every slot free */
	if (pa == PADDR_NONE)
		return -ERR_NOMEM;
	proc->handles = pa_to_kva(pa);
	proc->handle_count = HANDLE_TABLE_MIN;
	proc->handles_used = 0;
	proc->handle_hint = 0;
	return 0;
}

void handle_table_destroy(struct process *proc)
{
	if (!proc->handles)
		return;
	for (unsigned h = 0; h < proc->handle_count; h++)
		if (proc->handles[h].obj)
			handle_clear(proc, h);
	if (proc->handles_used)
		panic("handle_table_destroy: %s still has %u handles after clearing its table",
		      proc->name, proc->handles_used);
	frame_free(kva_to_pa(proc->handles));
	quota_refund(proc, table_bytes(proc->handle_count));
	proc->handles = NULL;
	proc->handle_count = 0;
	proc->handle_hint = 0;
}

void handle_table_trim(struct process *proc)
{
	unsigned slots = proc->handle_count;
	if (slots <= HANDLE_TABLE_MIN || proc->handles_used > slots / 4)
		return; /* the common case: nothing to scan */
	unsigned top = slots; /* one past the highest slot in use */
	while (top > 0 && !proc->handles[top - 1].obj)
		top--;
	/* Halve while the handles fit below the half and leave it half empty
	 * at most (so the next few handles do not grow it straight back). */
	while (slots > HANDLE_TABLE_MIN && top <= slots / 2 && proc->handles_used <= slots / 4)
		slots /= 2;
	if (slots == proc->handle_count)
		return;
	paddr_t pa = frame_alloc_order(table_order(slots));
	if (pa == PADDR_NONE)
		return; /* keep the larger table; it is still charged */
	size_t freed = table_bytes(proc->handle_count) - table_bytes(slots);
	table_move(proc, pa, slots);
	quota_refund(proc, freed);
}

/* ---- handles ---- */

long handle_reserve(struct process *proc)
{
	if (!proc->handles)
		panic("handle_reserve: %s has no handle table", proc->name);
	if (proc->handles_used < proc->handle_count)
		return 0;
	return table_grow(proc);
}

long handle_install(struct process *proc, struct kobject *obj, uint32_t rights, uint32_t badge)
{
	long err = handle_reserve(proc);
	if (err)
		return err;
	/* Every slot below the hint is in use; handle_reserve left one free. */
	for (unsigned i = proc->handle_hint; i < proc->handle_count; i++) {
		struct handle *slot = &proc->handles[i];
		if (!slot->obj) {
			kobj_get(obj);
			*slot = (struct handle){ obj, rights, badge };
			proc->handles_used++;
			proc->handle_hint = i + 1;
			return i;
		}
	}
	panic("handle_install: %s counts %u of %u handles in use but has no free slot from %u",
	      proc->name, proc->handles_used, proc->handle_count, proc->handle_hint);
}

void handle_clear(struct process *proc, long h)
{
	struct handle *slot = handle_slot(proc, h);
	if (!slot)
		panic("handle_clear: handle %ld of %s is empty or out of its table", h, proc->name);
	struct kobject *obj = slot->obj;
	*slot = (struct handle){ 0 };
	proc->handles_used--;
	if ((unsigned long)h < proc->handle_hint)
		proc->handle_hint = (unsigned)h;
	kobj_put(obj);
}
