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
 *                    (0 <= h < process->handle_count)
 *                                            |
 *                                            v
 *                                 struct kobject { type, refs, dead, owner }
 *
 * A process's handle table is one block of contiguous frames from the buddy
 * allocator, charged to its quota: HANDLE_TABLE_MIN slots (one frame) at
 * first, doubled (a block of the next order; the slots copied, so numbers
 * stay) when a handle goes into a full table, up to HANDLE_TABLE_MAX
 * (<pagoda/abi.h>), and halved again by handle_table_trim once a quarter or
 * less of it is in use and nothing lives in the part that goes.
 *
 * A table that grows moves: a struct handle * from handle_lookup is good only
 * until the next handle_reserve/handle_install on the same process (which
 * includes delivering a message with a handle to one of its threads).
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

#define HANDLE_TABLE_MIN 256 /* slots of a new table: one frame */

_Static_assert(sizeof(struct handle) * HANDLE_TABLE_MIN == PAGE_SIZE, "a new handle table is one frame");
_Static_assert(HANDLE_TABLE_MAX >= HANDLE_TABLE_MIN && (HANDLE_TABLE_MAX & (HANDLE_TABLE_MAX - 1)) == 0,
	       "the handle table doubles from one frame to HANDLE_TABLE_MAX slots");

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
 * slot, or NULL with *err set. No reference is taken. The slot moves if
 * the table grows (see above).
 */
struct handle *handle_lookup(struct process *proc, long h, enum kobj_type type, uint32_t rights,
			     long *err);

/* Slot h of proc if h is within its table and in use (dead or not), else
 * NULL. No other check. */
struct handle *handle_slot(struct process *proc, long h);

/*
 * Makes sure proc's table has a free slot, doubling it if it is full:
 * checking before doing, so that a call which must end by installing a
 * handle can fail before it changes anything else. Returns 0, or
 * -ERR_NOSPC (nothing changed) when the table is at HANDLE_TABLE_MAX or
 * the quota or memory cannot hold the doubled table.
 */
long handle_reserve(struct process *proc);

/* Puts obj (taking a new reference) with rights and badge in the lowest
 * free slot of proc, growing the table if it is full (handle_reserve).
 * Returns the handle, or -ERR_NOSPC with nothing changed. */
long handle_install(struct process *proc, struct kobject *obj, uint32_t rights, uint32_t badge);

/* Clears slot h (it must be in use) and drops its reference. Never moves
 * the table (handle_table_trim does, when asked). */
void handle_clear(struct process *proc, long h);

/*
 * Gives back memory of a table that emptied: halves proc's table, as many
 * times as fits, while more than HANDLE_TABLE_MIN slots, at most a quarter
 * in use and every handle below the new size. Numbers do not change; the
 * table moves. Failing to get the smaller block is not an error (the
 * table stays as it is).
 */
void handle_table_trim(struct process *proc);

/* Gives proc its first table (HANDLE_TABLE_MIN empty slots, one frame,
 * charged to proc). Returns 0 or -ERR_NOMEM. */
long handle_table_init(struct process *proc);

/* Drops every handle of proc, then frees its table (whatever its size)
 * and refunds it. Nothing if proc has no table. */
void handle_table_destroy(struct process *proc);

#endif
