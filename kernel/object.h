/*
 * Kernel objects and the handles that name them.
 *
 * Every object starts with a struct kobject: its type, a reference count
 * and the process its memory is charged to. Each handle holds one
 * reference; so do queued IPC transfers, mappings, and a thread's link to
 * its process. object_destroy marks an object dead: every handle to it then
 * fails with -ERR_DEAD (its slot stays taken until the holder deletes it,
 * so a number never silently changes meaning), which is how deleting an
 * object revokes every handle to it. The memory goes when the last reference does.
 *
 *   handle (int) --> process->handles[h] = { obj, rights, badge }
 *                                            |
 *                                            v
 *                                 struct kobject { type, refs, dead, owner }
 */
#ifndef KERNEL_OBJECT_H
#define KERNEL_OBJECT_H

#include <pagoda/abi.h>

#include "kernel/types.h"

struct process;

enum kobj_type {
	KOBJ_NONE = 0,
	KOBJ_PROCESS,
	KOBJ_THREAD,
	KOBJ_ENDPOINT,
	KOBJ_NOTIFICATION,
	KOBJ_FRAME,
	KOBJ_IRQ,
};

struct kobject {
	uint8_t type;
	bool dead;
	uint32_t refs;
	struct process *owner; /* charged for this object; holds a process ref */
	size_t charge;         /* bytes charged to owner */
};

struct handle {
	struct kobject *obj;
	uint32_t rights;
	uint32_t badge;
};

_Static_assert(sizeof(struct handle) * HANDLE_TABLE_SIZE == 4096, "handle table is one frame");

/* Takes a reference. */
void kobj_get(struct kobject *obj);

/* Drops a reference; the last one releases the object (type-specific
 * teardown, then its memory and its owner's charge). */
void kobj_put(struct kobject *obj);

/*
 * Marks obj dead and runs its type's "destroy" (wake waiters with
 * -ERR_DEAD, unmap frames ...). Idempotent. Handles to it fail from now
 * on; memory goes with the last reference. A process is the exception:
 * destroying it ends it (status -ERR_DEAD) and its handles stay usable
 * for process_wait.
 */
void kobj_destroy(struct kobject *obj);

/*
 * Looks up handle h of proc. Checks, in order: h in range and in use
 * (-ERR_BADHANDLE), object alive (-ERR_DEAD), type (-ERR_INVAL unless type is KOBJ_NONE = any), and
 * that the handle has every right in `rights` (-ERR_PERM). Returns the
 * slot, or NULL with *err set. No reference is taken.
 */
struct handle *handle_lookup(struct process *proc, long h, enum kobj_type type, uint32_t rights,
			     long *err);

/* Puts obj (taking a new reference) with rights and badge in the lowest
 * free slot of proc. Returns the handle or -ERR_NOSPC. */
long handle_install(struct process *proc, struct kobject *obj, uint32_t rights, uint32_t badge);

/* Clears slot h (it must be in use) and drops its reference. */
void handle_clear(struct process *proc, long h);

/* Is a slot free in proc's table (for checking before doing)? */
bool handle_has_room(struct process *proc);

#endif
