#include "kernel/quota.h"

#include <arch/kva.h>
#include <pagoda/errno.h>

#include "kernel/panic.h"
#include "kernel/process.h"
#include "mm/frame.h"
#include "mm/kmem.h"

long quota_charge(struct process *proc, size_t bytes)
{
	if (!proc)
		return 0; /* the kernel's own objects */
	if (bytes > proc->quota_total - proc->quota_used)
		return -ERR_NOMEM;
	proc->quota_used += bytes;
	return 0;
}

void quota_refund(struct process *proc, size_t bytes)
{
	if (!proc)
		return;
	if (bytes > proc->quota_used)
		panic("quota_refund: %s refunded %zu bytes but had %zu charged", proc->name, bytes,
		      proc->quota_used);
	proc->quota_used -= bytes;
}

void *kobj_alloc(struct process *proc, enum kobj_type type, size_t size)
{
	size_t charge = kmem_charge_size(size);
	if (quota_charge(proc, charge) < 0)
		return NULL;
	struct kobject *obj = kmem_alloc(size);
	if (!obj) {
		quota_refund(proc, charge);
		return NULL;
	}
	obj->type = (uint8_t)type;
	obj->refs = 1;
	obj->owner = proc;
	obj->charge = charge;
	if (proc)
		kobj_get(&proc->obj);
	return obj;
}

paddr_t quota_frame_alloc(struct process *proc)
{
	if (quota_charge(proc, PAGE_SIZE) < 0)
		return PADDR_NONE;
	paddr_t pa = frame_alloc_zeroed();
	if (pa == PADDR_NONE)
		quota_refund(proc, PAGE_SIZE);
	return pa;
}

void quota_frame_free(struct process *proc, paddr_t pa)
{
	frame_free(pa);
	quota_refund(proc, PAGE_SIZE);
}
