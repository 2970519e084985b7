/*
 * Regions of address spaces, and the calls a pager uses on the spaces it
 * serves: region_create/destroy, protect, ad_query. Every call names its
 * address space with a process handle (HANDLE_SELF for one's own).
 */
#include <arch/memlayout.h>
#include <arch/pagetable.h>
#include <arch/tlb.h>
#include <pagoda/errno.h>
#include <pagoda/pager.h>

#include "kernel/fault.h"
#include "kernel/ipc.h"
#include "kernel/quota.h"
#include "kernel/syscall.h"
#include "mm/aspace.h"
#include "mm/kmem.h"
#include "syscall_handlers.h"

struct region *region_find(struct aspace *as, vaddr_t va)
{
	for (struct region *r = as->regions; r; r = r->next)
		if (va >= r->base && va - r->base < r->size)
			return r;
	return NULL;
}

static void region_free(struct aspace *as, struct region *r)
{
	kobj_put(&r->pager->obj);
	quota_refund(as->owner, kmem_charge_size(sizeof *r));
	kmem_free(r);
}

void regions_destroy(struct aspace *as)
{
	while (as->regions) {
		struct region *r = as->regions;
		as->regions = r->next;
		region_free(as, r);
	}
}

static bool page_range_ok(vaddr_t va, size_t size)
{
	return IS_ALIGNED(va, PAGE_SIZE) && IS_ALIGNED(size, PAGE_SIZE) && size > 0 &&
	       va < USER_TOP && size <= USER_TOP - va;
}

long region_check(struct process *p, vaddr_t base, size_t size, unsigned long rights)
{
	if (!page_range_ok(base, size))
		return IS_ALIGNED(base | size, PAGE_SIZE) ? -ERR_RANGE : -ERR_ALIGN;
	if (!rights || (rights & ~(unsigned long)(RIGHT_READ | RIGHT_WRITE | RIGHT_EXEC)))
		return -ERR_INVAL;
	for (struct region *r = p->as.regions; r; r = r->next)
		if (base < r->base + r->size && r->base < base + size)
			return -ERR_EXIST;
	return 0;
}

long region_insert(struct process *p, vaddr_t base, size_t size, unsigned long rights,
		   const struct handle *pager, uint64_t timeout)
{
	if (quota_charge(p, kmem_charge_size(sizeof(struct region))) < 0)
		return -ERR_NOMEM;
	struct region *r = kmem_alloc(sizeof *r);
	if (!r) {
		quota_refund(p, kmem_charge_size(sizeof(struct region)));
		return -ERR_NOMEM;
	}
	*r = (struct region){ .base = base, .size = size, .rights = (uint32_t)rights,
			      .pager = (struct endpoint *)pager->obj, .badge = pager->badge,
			      .timeout = timeout, .next = p->as.regions };
	kobj_get(pager->obj);
	p->as.regions = r;
	return 0;
}

long sys_region_create(struct user_context *ctx, long process_h, unsigned long base,
		       unsigned long size, unsigned long rights, long pager_h, unsigned long timeout)
{
	(void)ctx;
	long err;
	struct process *p = syscall_target(process_h, RIGHT_WRITE, &err);
	if (!p)
		return err;
	struct handle *ph = handle_lookup(current_thread()->proc, pager_h, KOBJ_ENDPOINT, RIGHT_WRITE, &err);
	if (!ph)
		return err;
	if ((err = region_check(p, base, size, rights)))
		return err;
	return region_insert(p, base, size, rights, ph, timeout);
}

long sys_region_destroy(struct user_context *ctx, long process_h, unsigned long base)
{
	(void)ctx;
	long err;
	struct process *p = syscall_target(process_h, RIGHT_WRITE, &err);
	if (!p)
		return err;
	for (struct region **pp = &p->as.regions; *pp; pp = &(*pp)->next) {
		struct region *r = *pp;
		if (r->base != base)
			continue;
		if (r->pending)
			return -ERR_BUSY; /* a fault still waits on its pager */
		*pp = r->next;
		region_free(&p->as, r);
		return 0;
	}
	return -ERR_NOENT;
}

long sys_protect(struct user_context *ctx, long process_h, unsigned long va, unsigned long size,
		 unsigned long rights)
{
	(void)ctx;
	long err;
	struct process *p = syscall_target(process_h, RIGHT_WRITE, &err);
	if (!p)
		return err;
	if (!page_range_ok(va, size))
		return IS_ALIGNED(va | size, PAGE_SIZE) ? -ERR_RANGE : -ERR_ALIGN;
	return aspace_protect(&p->as, va, size, (uint32_t)rights);
}

long sys_ad_query(struct user_context *ctx, long process_h, unsigned long va, unsigned long pages,
		  uaddr_t out)
{
	(void)ctx;
	long err;
	struct process *p = syscall_target(process_h, RIGHT_READ, &err);
	if (!p)
		return err;
	if (pages == 0 || pages > AD_QUERY_MAX_PAGES)
		return -ERR_RANGE;
	if (!page_range_ok(va, pages * PAGE_SIZE))
		return IS_ALIGNED(va, PAGE_SIZE) ? -ERR_RANGE : -ERR_ALIGN;
	/* Check the answer can be delivered before clearing anything. */
	struct aspace *self_as = &current_thread()->proc->as;
	if (!aspace_range_ok(self_as, out, pages, RIGHT_WRITE))
		return -ERR_FAULT;
	uint8_t state[AD_QUERY_MAX_PAGES];
	aspace_take_accessed_dirty(&p->as, va, pages, state);
	return copy_to_user(out, state, pages);
}
