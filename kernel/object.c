/* Reference counting, destruction and handle tables (see kernel/object.h). */
#include "kernel/object.h"

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

struct handle *handle_lookup(struct process *proc, long h, enum kobj_type type, uint32_t rights,
			     long *err)
{
	if (h < 0 || h >= HANDLE_TABLE_SIZE || !proc->handles[h].obj) {
		*err = -ERR_BADHANDLE;
		return NULL;
	}
	struct handle *slot = &proc->handles[h];
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

bool handle_has_room(struct process *proc)
{
	for (unsigned i = 0; i < HANDLE_TABLE_SIZE; i++)
		if (!proc->handles[i].obj)
			return true;
	return false;
}

long handle_install(struct process *proc, struct kobject *obj, uint32_t rights, uint32_t badge)
{
	for (long i = 0; i < HANDLE_TABLE_SIZE; i++) {
		struct handle *slot = &proc->handles[i];
		if (!slot->obj) {
			kobj_get(obj);
			*slot = (struct handle){ obj, rights, badge };
			return i;
		}
	}
	return -ERR_NOSPC;
}

void handle_clear(struct process *proc, long h)
{
	struct kobject *obj = proc->handles[h].obj;
	if (!obj)
		panic("handle_clear: handle %ld of %s is empty", h, proc->name);
	proc->handles[h] = (struct handle){ 0 };
	kobj_put(obj);
}
