/*
 * Kernel memory accounting. A process cannot exhaust kernel memory: every
 * frame and kernel object made on its behalf (page tables, threads,
 * endpoints, handle table, mapping records) is charged to it, and a charge
 * beyond its quota fails with -ERR_NOMEM. A child's quota is carved from its
 * parent's at spawn and given back when the child is gone.
 */
#ifndef KERNEL_QUOTA_H
#define KERNEL_QUOTA_H

#include "kernel/object.h"

/* Charges bytes to proc; -ERR_NOMEM (nothing charged) if over quota. */
long quota_charge(struct process *proc, size_t bytes);

/* Returns bytes previously charged. */
void quota_refund(struct process *proc, size_t bytes);

/*
 * Allocates a kernel object of size bytes charged to proc (kmem, zeroed),
 * with its kobject header filled (type, one reference, owner). Returns NULL
 * when the quota or memory runs out; nothing is charged then.
 */
void *kobj_alloc(struct process *proc, enum kobj_type type, size_t size);

/* A frame (zeroed) charged to proc, or PADDR_NONE. */
paddr_t quota_frame_alloc(struct process *proc);
void quota_frame_free(struct process *proc, paddr_t pa);

#endif
