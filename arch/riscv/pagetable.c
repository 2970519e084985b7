/*
 * Sv39 page-table walking, mapping and unmapping. The layout diagrams are in
 * <arch/pagetable.h>. Tables are reached through the direct map, so this
 * file is also built for the host, over a fake physical memory.
 */
#include <arch/kva.h>
#include <arch/pagetable.h>
#include <pagoda/errno.h>

#include "kernel/panic.h"
#include "mm/frame.h"

static pte_t *table_at(paddr_t pa)
{
	return (pte_t *)pa_to_kva(pa);
}

pte_t pt_prot_bits(unsigned prot)
{
	pte_t bits = PTE_V;
	if (prot & PT_READ)
		bits |= PTE_R;
	if (prot & PT_WRITE)
		bits |= PTE_W;
	if (prot & PT_EXEC)
		bits |= PTE_X;
	if (prot & PT_USER)
		bits |= PTE_U;
	if (prot & PT_GLOBAL)
		bits |= PTE_G;
	if (!(prot & PT_SOFT_AD)) {
		bits |= PTE_A;
		if (prot & PT_WRITE)
			bits |= PTE_D;
	}
	return bits;
}

/*
 * Returns the entry for va at `level`, walking down from the root. With
 * alloc, missing intermediate tables are created; without, NULL is returned
 * where the walk meets an invalid entry. Meeting a leaf above `level` also
 * returns NULL (the caller asked for a finer granule than is mapped).
 */
static pte_t *walk(paddr_t root, vaddr_t va, unsigned level, bool alloc, int *err)
{
	pte_t *table = table_at(root);
	for (unsigned l = PT_LEVELS - 1; l > level; l--) {
		pte_t *entry = &table[PT_INDEX(va, l)];
		if (!(*entry & PTE_V)) {
			if (!alloc)
				return NULL;
			paddr_t next = frame_alloc_zeroed();
			if (next == PADDR_NONE) {
				*err = -ERR_NOMEM;
				return NULL;
			}
			*entry = pte_make(next, PTE_V);
		} else if (pte_is_leaf(*entry)) {
			*err = -ERR_EXIST;
			return NULL;
		}
		table = table_at(pte_pa(*entry));
	}
	return &table[PT_INDEX(va, level)];
}

/* The largest level whose page fits at va/pa with `left` bytes to go. */
static unsigned best_level(vaddr_t va, paddr_t pa, size_t left, bool allow_large)
{
	if (!allow_large || left < PT_LEVEL_SIZE(1))
		return 0; /* the common case, a page: no alignment to look at */
	for (unsigned level = PT_LEVELS - 1; level > 0; level--) {
		uint64_t size = PT_LEVEL_SIZE(level);
		if (IS_ALIGNED(va, size) && IS_ALIGNED(pa, size) && left >= size)
			return level;
	}
	return 0;
}

static int check_map_args(vaddr_t va, paddr_t pa, size_t size, unsigned prot)
{
	if (size == 0 || !(prot & (PT_READ | PT_EXEC)))
		return -ERR_INVAL;
	if (!IS_ALIGNED(va, PAGE_SIZE) || !IS_ALIGNED(pa, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE))
		return -ERR_ALIGN;
	if (!pt_va_canonical(va) || !pt_va_canonical(va + size - 1) || va + size - 1 < va)
		return -ERR_RANGE;
	/* A range may not straddle the non-canonical hole. */
	if ((va >> 38) != ((va + size - 1) >> 38) && va < USER_TOP)
		return -ERR_RANGE;
	return 0;
}

int pt_prepare(paddr_t root, vaddr_t va, paddr_t pa, size_t size, unsigned prot, bool allow_large)
{
	int err = check_map_args(va, pa, size, prot);
	if (err)
		return err;
	for (size_t off = 0; off < size;) {
		unsigned level = best_level(va + off, pa + off, size - off, allow_large);
		pte_t *entry = walk(root, va + off, level, true, &err);
		if (!entry)
			return err;
		if (*entry & PTE_V)
			return -ERR_EXIST;
		off += PT_LEVEL_SIZE(level);
	}
	return 0;
}

/*
 * The A/D bits an access of kind `access` (PT_READ, PT_WRITE or PT_EXEC)
 * through leaf pte sets: A, and D for a store; none if the leaf does not
 * permit it (the access faults for real: nothing was used).
 */
static pte_t touch_bits(pte_t pte, unsigned access)
{
	unsigned kind = access & (PT_READ | PT_WRITE | PT_EXEC);
	pte_t need = kind == PT_WRITE ? PTE_W : kind == PT_EXEC ? PTE_X : PTE_R;
	if (!kind || !(pte & need))
		return 0;
	return PTE_A | (kind == PT_WRITE ? PTE_D : 0);
}

void pt_install(paddr_t root, vaddr_t va, paddr_t pa, size_t size, unsigned prot, bool allow_large,
		vaddr_t touch_va, unsigned touch)
{
	pte_t bits = pt_prot_bits(prot);
	for (size_t off = 0; off < size;) {
		unsigned level = best_level(va + off, pa + off, size - off, allow_large);
		int err = 0;
		pte_t *entry = walk(root, va + off, level, false, &err);
		if (!entry || (*entry & PTE_V))
			panic("pt_install: 0x%lx was not prepared", va + off);
		pte_t leaf = bits;
		if (touch_va - (va + off) < PT_LEVEL_SIZE(level))
			leaf |= touch_bits(bits, touch);
		*entry = pte_make(pa + off, leaf);
		off += PT_LEVEL_SIZE(level);
	}
}

int pt_map(paddr_t root, vaddr_t va, paddr_t pa, size_t size, unsigned prot, bool allow_large)
{
	int err = pt_prepare(root, va, pa, size, prot, allow_large);
	if (err)
		return err;
	pt_install(root, va, pa, size, prot, allow_large, 0, 0);
	return 0;
}

pte_t *pt_lookup(paddr_t root, vaddr_t va, unsigned *level)
{
	pte_t *table = table_at(root);
	for (int l = PT_LEVELS - 1; l >= 0; l--) {
		pte_t *entry = &table[PT_INDEX(va, (unsigned)l)];
		if (!(*entry & PTE_V))
			return NULL;
		if (pte_is_leaf(*entry)) {
			if (level)
				*level = (unsigned)l;
			return entry;
		}
		table = table_at(pte_pa(*entry));
	}
	return NULL; /* a level-0 pointer entry is malformed: treat as unmapped */
}

paddr_t pt_translate(paddr_t root, vaddr_t va)
{
	unsigned level;
	pte_t *entry = pt_lookup(root, va, &level);
	if (!entry)
		return PADDR_NONE;
	return pte_pa(*entry) + (va & (PT_LEVEL_SIZE(level) - 1));
}

long pt_unmap(paddr_t root, vaddr_t va, size_t size)
{
	if (!IS_ALIGNED(va, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE))
		return -ERR_ALIGN;
	if (size == 0 || !pt_va_canonical(va) || !pt_va_canonical(va + size - 1))
		return -ERR_RANGE;

	/* Check: no large leaf is cut by the range's edges. */
	for (size_t off = 0; off < size;) {
		unsigned level;
		pte_t *entry = pt_lookup(root, va + off, &level);
		if (!entry) {
			off += PAGE_SIZE;
			continue;
		}
		uint64_t leaf_size = PT_LEVEL_SIZE(level);
		if (!IS_ALIGNED(va + off, leaf_size) || size - off < leaf_size)
			return -ERR_ALIGN;
		off += leaf_size;
	}

	/* Do. */
	long pages = 0;
	for (size_t off = 0; off < size;) {
		unsigned level;
		pte_t *entry = pt_lookup(root, va + off, &level);
		if (!entry) {
			off += PAGE_SIZE;
			continue;
		}
		*entry = 0;
		pages += (long)(PT_LEVEL_SIZE(level) / PAGE_SIZE);
		off += PT_LEVEL_SIZE(level);
	}
	return pages;
}

static void free_subtree(paddr_t table_pa, unsigned level)
{
	pte_t *table = table_at(table_pa);
	if (level > 1) {
		for (unsigned i = 0; i < PT_ENTRIES; i++)
			if ((table[i] & PTE_V) && !pte_is_leaf(table[i]))
				free_subtree(pte_pa(table[i]), level - 1);
	} else {
		for (unsigned i = 0; i < PT_ENTRIES; i++)
			if ((table[i] & PTE_V) && !pte_is_leaf(table[i]))
				frame_free(pte_pa(table[i]));
	}
	frame_free(table_pa);
}

void pt_free_tables(paddr_t root, unsigned first, unsigned last)
{
	pte_t *table = table_at(root);
	for (unsigned i = first; i <= last && i < PT_ENTRIES; i++) {
		if ((table[i] & PTE_V) && !pte_is_leaf(table[i]))
			free_subtree(pte_pa(table[i]), PT_LEVELS - 2);
		table[i] = 0;
	}
}

bool pt_fix_accessed_dirty(paddr_t root, vaddr_t va, unsigned access)
{
	pte_t *entry = pt_lookup(root, va, NULL);
	if (!entry)
		return false;
	pte_t pte = *entry;
	if ((access & PT_USER) && !(pte & PTE_U))
		return false;
	pte_t missing = touch_bits(pte, access);
	if (!missing || (pte & missing) == missing)
		return false; /* not permitted, or nothing to fix: the fault was real */
	*entry = pte | missing;
	return true;
}

size_t pt_change_prot(paddr_t root, vaddr_t va, unsigned prot)
{
	unsigned level;
	pte_t *entry = pt_lookup(root, va, &level);
	if (!entry)
		return 0;
	pte_t keep = *entry & ~(PTE_R | PTE_W | PTE_X | PTE_U);
	*entry = keep | (pt_prot_bits(prot | PT_SOFT_AD) & (PTE_R | PTE_W | PTE_X | PTE_U));
	return PT_LEVEL_SIZE(level);
}

unsigned pt_accessed_dirty(paddr_t root, vaddr_t va, bool clear)
{
	pte_t *entry = pt_lookup(root, va, NULL);
	if (!entry)
		return 0;
	unsigned state = ((*entry & PTE_A) ? PT_AD_ACCESSED : 0) | ((*entry & PTE_D) ? PT_AD_DIRTY : 0);
	if (clear)
		*entry &= ~(PTE_A | PTE_D);
	return state;
}
