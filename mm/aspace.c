#include "mm/aspace.h"

#include <arch/kva.h>
#include <arch/pagetable.h>
#include <arch/tlb.h>
#include <pagoda/errno.h>
#include <pagoda/pager.h>

#include "kernel/fault.h"
#include "kernel/panic.h"
#include "kernel/quota.h"
#include "mm/kmap.h"
#include "mm/kmem.h"

struct mapping {
	struct aspace *as;
	struct frame_obj *frame;
	vaddr_t va;
	uint32_t rights;     /* the most protect may give: what it was mapped with */
	struct mapping *next_in_as;
	struct mapping *next_in_frame;
};

/* The space whose table this hart's satp points at; NULL: the kernel's.
 * (Per hart when several run: see aspace_activate.) */
static struct aspace *loaded_space;

/*
 * TLB upkeep after as's table changed over [va, va + size): flushed now
 * if as is loaded, else when it is (aspace_activate). Every flush of a
 * user space goes through here.
 */
static void flush_changed(struct aspace *as, vaddr_t va, size_t size)
{
	if (as == loaded_space)
		tlb_flush_range(as->asid, va, size);
	else if (tlb_asid_bits && as->asid)
		as->tlb_stale = true; /* ASID 0 or none: loading flushes all */
}

/* ASIDs: a small recycling stack; 0 means "none of its own". */
#define ASID_POOL 1024
static unsigned asid_free[ASID_POOL];
static unsigned asid_free_count;
static unsigned asid_next = 1;

static unsigned asid_take(void)
{
	if (tlb_asid_bits == 0)
		return 0;
	if (asid_free_count)
		return asid_free[--asid_free_count];
	if (asid_next < ((1u << tlb_asid_bits) - 1) && asid_next < ASID_POOL)
		return asid_next++;
	return 0;
}

static void asid_give_back(unsigned asid)
{
	if (asid == 0)
		return;
	tlb_flush_asid(asid); /* no stale entries for the next owner */
	asid_free[asid_free_count++] = asid;
}

int aspace_init(struct aspace *as, struct process *owner)
{
	*as = (struct aspace){ .root = PADDR_NONE, .owner = owner };
	paddr_t root = quota_frame_alloc(owner);
	if (root == PADDR_NONE)
		return -ERR_NOMEM;
	pte_t *table = pa_to_kva(root);
	const pte_t *kernel = pa_to_kva(kernel_root);
	for (unsigned i = PT_ENTRIES / 2; i < PT_ENTRIES; i++)
		table[i] = kernel[i];
	as->root = root;
	as->asid = asid_take();
	return 0;
}

static unsigned pt_prot_from_rights(uint32_t rights)
{
	unsigned prot = PT_USER;
	if (rights & RIGHT_READ)
		prot |= PT_READ;
	if (rights & RIGHT_WRITE)
		prot |= PT_WRITE | PT_READ; /* Sv39 has no write-only pages */
	if (rights & RIGHT_EXEC)
		prot |= PT_EXEC;
	return prot;
}

static bool user_range(vaddr_t va, size_t size)
{
	return size > 0 && va < USER_TOP && size <= USER_TOP - va;
}

static long map_run(struct aspace *as, struct frame_obj *const *frames, size_t count, vaddr_t va,
		    uint32_t rights, unsigned extra_prot, vaddr_t touch_va, unsigned touch);

/* An access (RIGHT_READ, RIGHT_WRITE or RIGHT_EXEC) as the page-table
 * layer names its kind. */
static unsigned pt_access(uint32_t access)
{
	return access == RIGHT_WRITE ? PT_WRITE : access == RIGHT_EXEC ? PT_EXEC : PT_READ;
}

long aspace_map(struct aspace *as, struct frame_obj *frame, vaddr_t va, uint32_t rights)
{
	return map_run(as, &frame, 1, va, rights, 0, 0, 0);
}

long aspace_map_answer(struct aspace *as, struct frame_obj *frame, vaddr_t va, uint32_t rights,
		       vaddr_t fault_va, uint32_t access)
{
	return map_run(as, &frame, 1, va, rights, PT_SOFT_AD, fault_va, pt_access(access));
}

long aspace_map_run(struct aspace *as, struct frame_obj *const *frames, size_t count, vaddr_t va,
		    uint32_t rights, bool untouched)
{
	return map_run(as, frames, count, va, rights, untouched ? PT_SOFT_AD : 0, 0, 0);
}

/* The arguments of a run at va: each frame's place, alignment and rights.
 * Its length in *size. Changes nothing. */
static long check_run(struct frame_obj *const *frames, size_t count, vaddr_t va, uint32_t rights,
		      size_t *size)
{
	if (count == 0 || count > MAP_RUN_MAX)
		return -ERR_RANGE;
	if (!IS_ALIGNED(va, PAGE_SIZE))
		return -ERR_ALIGN;
	vaddr_t at = va;
	for (size_t i = 0; i < count; i++) {
		if (!user_range(at, frames[i]->size))
			return -ERR_RANGE;
		at += frames[i]->size; /* below USER_TOP: no overflow */
	}
	if ((rights & RIGHT_WRITE) && (rights & RIGHT_EXEC))
		return -ERR_PERM;
	if (!(rights & (RIGHT_READ | RIGHT_WRITE | RIGHT_EXEC)))
		return -ERR_INVAL;
	*size = at - va;
	return 0;
}

/*
 * The most page-table bytes a run over [va, va + size) can need: one
 * level-1 table per GiB it touches, one level-0 table per 2 MiB.
 */
static size_t table_budget(vaddr_t va, size_t size)
{
	size_t giga = (ALIGN_UP(va + size, GiB(1)) - ALIGN_DOWN(va, GiB(1))) / GiB(1);
	size_t mega = (ALIGN_UP(va + size, MiB(2)) - ALIGN_DOWN(va, MiB(2))) / MiB(2);
	return (giga + mega) * PAGE_SIZE;
}

/*
 * Checking, then doing (seL4's decode and perform):
 *
 *   check    check_run: alignment, place and rights of every frame
 *   reserve  the quota for the records and the most page tables the span
 *            can need (table_budget; what is not used is refunded), the
 *            records, and pt_prepare of every frame: each page is
 *            unmapped and each table its leaf needs exists
 *   perform  pt_install (marking the page touch_va as an access of kind
 *            touch marks it, if it is in the run), link the records, take
 *            the frame references, one flush for the run
 *
 * A failure in the first two returns with nothing mapped and every charge
 * but the tables made given back (tables stay with the space and its
 * charge, as pt_prepare's do). The third cannot fail.
 */
static long map_run(struct aspace *as, struct frame_obj *const *frames, size_t count, vaddr_t va,
		    uint32_t rights, unsigned extra_prot, vaddr_t touch_va, unsigned touch)
{
	size_t size;
	long err = check_run(frames, count, va, rights, &size);
	if (err)
		return err;

	size_t budget = table_budget(va, size);
	size_t record_charge = count * kmem_charge_size(sizeof(struct mapping));
	if (quota_charge(as->owner, record_charge + budget) < 0)
		return -ERR_NOMEM;
	struct mapping *rec[MAP_RUN_MAX];
	size_t made = 0;
	while (made < count && (rec[made] = kmem_alloc(sizeof(struct mapping))))
		made++;
	unsigned prot = pt_prot_from_rights(rights) | extra_prot;
	size_t free_before = frame_free_count();
	vaddr_t at = va;
	for (size_t i = 0; made == count && !err && i < count; at += frames[i++]->size)
		err = pt_prepare(as->root, at, frames[i]->pa, frames[i]->size, prot, true);
	size_t tables = (free_before - frame_free_count()) * PAGE_SIZE;
	if (tables > budget)
		panic("map_run: %zu bytes of page tables, budget %zu", tables, budget);
	quota_refund(as->owner, budget - tables);
	if (made < count || err) {
		for (size_t i = 0; i < made; i++)
			kmem_free(rec[i]);
		quota_refund(as->owner, record_charge);
		return made < count ? -ERR_NOMEM : err;
	}

	at = va;
	for (size_t i = 0; i < count; at += frames[i++]->size) {
		pt_install(as->root, at, frames[i]->pa, frames[i]->size, prot, true, touch_va, touch);
		*rec[i] = (struct mapping){ .as = as, .frame = frames[i], .va = at, .rights = rights,
					    .next_in_as = as->maps, .next_in_frame = frames[i]->maps };
		as->maps = rec[i];
		frames[i]->maps = rec[i];
		kobj_get(&frames[i]->obj);
	}
	/* A hart may have cached the old invalid entries (the privileged spec
	 * allows it; QEMU does not): drop them. */
	flush_changed(as, va, size);
	return 0;
}

/* Unlinks rec from both lists, removes its PTEs, frees it; flushes its
 * pages from the TLB unless the caller flushes them with others (flush). */
static void mapping_remove(struct mapping *rec, bool flush)
{
	struct aspace *as = rec->as;
	struct mapping **pp;
	for (pp = &as->maps; *pp != rec; pp = &(*pp)->next_in_as)
		;
	*pp = rec->next_in_as;
	for (pp = &rec->frame->maps; *pp != rec; pp = &(*pp)->next_in_frame)
		;
	*pp = rec->next_in_frame;

	if (pt_unmap(as->root, rec->va, rec->frame->size) < 0)
		panic("aspace: mapping at 0x%lx could not be unmapped", (unsigned long)rec->va);
	if (flush)
		flush_changed(as, rec->va, rec->frame->size);
	quota_refund(as->owner, kmem_charge_size(sizeof *rec));
	struct frame_obj *frame = rec->frame;
	kmem_free(rec);
	kobj_put(&frame->obj);
}

long aspace_unmap(struct aspace *as, vaddr_t va, size_t size)
{
	if (!IS_ALIGNED(va, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE))
		return -ERR_ALIGN;
	if (!user_range(va, size))
		return -ERR_RANGE;
	for (struct mapping *m = as->maps; m; m = m->next_in_as) {
		bool overlaps = va < m->va + m->frame->size && m->va < va + size;
		bool inside = m->va >= va && m->va + m->frame->size <= va + size;
		if (overlaps && !inside)
			return -ERR_INVAL;
	}
	long pages = 0;
	struct mapping *m = as->maps;
	while (m) {
		struct mapping *next = m->next_in_as;
		if (m->va >= va && m->va + m->frame->size <= va + size) {
			pages += (long)(m->frame->size / PAGE_SIZE);
			mapping_remove(m, false);
		}
		m = next;
	}
	if (pages) /* one flush for the lot: a run of pages is one sfence.vma by ASID */
		flush_changed(as, va, size);
	return pages;
}

void frame_obj_unmap_all(struct frame_obj *frame)
{
	while (frame->maps)
		mapping_remove(frame->maps, true);
}

void aspace_destroy(struct aspace *as)
{
	if (as->root == PADDR_NONE)
		return;
	if (as == loaded_space) { /* its own last thread is exiting */
		tlb_switch_root(kernel_root, 0);
		loaded_space = NULL;
	}
	regions_destroy(as);
	while (as->maps)
		mapping_remove(as->maps, false);
	/* Not loaded, so nothing of it is used before asid_give_back flushes
	 * its ASID (ASID 0: the next switch flushes everything). */
	size_t free_before = frame_free_count();
	pt_free_tables(as->root, 0, PT_ENTRIES / 2 - 1);
	quota_refund(as->owner, (frame_free_count() - free_before) * PAGE_SIZE);
	asid_give_back(as->asid);
	if (tlb_loaded_root() == as->root)
		panic("aspace_destroy: the hart still walks the root table being freed");
	quota_frame_free(as->owner, as->root);
	as->root = PADDR_NONE;
}

void aspace_activate(struct aspace *as)
{
	if (as == loaded_space)
		return;
	tlb_switch_root(as->root, as->asid);
	loaded_space = as;
	if (as->tlb_stale) {
		tlb_flush_asid(as->asid);
		as->tlb_stale = false;
	}
}

bool aspace_range_ok(struct aspace *as, vaddr_t va, size_t len, uint32_t rights)
{
	if (len == 0)
		return true;
	if (!user_range(va, len))
		return false;
	for (vaddr_t page = ALIGN_DOWN(va, PAGE_SIZE); page < va + len; page += PAGE_SIZE) {
		pte_t *pte = pt_lookup(as->root, page, NULL);
		if (!pte || !(*pte & PTE_U))
			return false;
		if ((rights & RIGHT_READ) && !(*pte & PTE_R))
			return false;
		if ((rights & RIGHT_WRITE) && !(*pte & PTE_W))
			return false;
	}
	return true;
}

bool aspace_fix_accessed_dirty(struct aspace *as, vaddr_t va, uint32_t access)
{
	if (va >= USER_TOP)
		return false;
	if (!pt_fix_accessed_dirty(as->root, va, pt_access(access) | PT_USER))
		return false; /* one walk: the U check is pt_fix's too */
	flush_changed(as, ALIGN_DOWN(va, PAGE_SIZE), PAGE_SIZE);
	return true;
}

long aspace_protect(struct aspace *as, vaddr_t va, size_t size, uint32_t rights)
{
	if (!(rights & (RIGHT_READ | RIGHT_WRITE | RIGHT_EXEC)) ||
	    (rights & ~(uint32_t)(RIGHT_READ | RIGHT_WRITE | RIGHT_EXEC)))
		return -ERR_INVAL;
	if ((rights & RIGHT_WRITE) && (rights & RIGHT_EXEC))
		return -ERR_PERM;
	for (struct mapping *m = as->maps; m; m = m->next_in_as) {
		bool overlaps = va < m->va + m->frame->size && m->va < va + size;
		bool inside = m->va >= va && m->va + m->frame->size <= va + size;
		if (overlaps && !inside)
			return -ERR_INVAL;
		if (inside && (rights & ~m->rights))
			return -ERR_PERM;
	}
	long pages = 0;
	unsigned prot = pt_prot_from_rights(rights);
	for (struct mapping *m = as->maps; m; m = m->next_in_as) {
		if (m->va < va || m->va + m->frame->size > va + size)
			continue;
		for (size_t off = 0; off < m->frame->size;) {
			size_t leaf = pt_change_prot(as->root, m->va + off, prot);
			if (!leaf)
				panic("aspace_protect: mapping at 0x%lx has a hole", (unsigned long)m->va);
			off += leaf;
		}
		flush_changed(as, m->va, m->frame->size);
		pages += (long)(m->frame->size / PAGE_SIZE);
	}
	return pages;
}

void aspace_take_accessed_dirty(struct aspace *as, vaddr_t va, size_t pages, uint8_t *out)
{
	/* Read every page first: a large leaf covers several of them. */
	for (size_t i = 0; i < pages; i++) {
		unsigned state = pt_accessed_dirty(as->root, va + i * PAGE_SIZE, false);
		out[i] = (uint8_t)(((state & PT_AD_ACCESSED) ? PAGE_ACCESSED : 0) |
				   ((state & PT_AD_DIRTY) ? PAGE_DIRTY : 0));
	}
	vaddr_t first = 0, last = 0; /* the cleared span, if any */
	for (size_t i = 0; i < pages; i++)
		if (pt_accessed_dirty(as->root, va + i * PAGE_SIZE, true)) {
			if (!last)
				first = va + i * PAGE_SIZE;
			last = va + (i + 1) * PAGE_SIZE;
		}
	/* The hart must walk again to set A/D anew: flush what was cleared. */
	if (last)
		flush_changed(as, first, last - first);
}
