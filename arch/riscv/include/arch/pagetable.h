/*
 * Sv39 page tables.
 *
 * A virtual address (39 bits used, bits 63..39 copy bit 38):
 *
 *   38        30 29        21 20        12 11           0
 *  +------------+------------+------------+--------------+
 *  |   VPN[2]   |   VPN[1]   |   VPN[0]   |  page offset |
 *  +------------+------------+------------+--------------+
 *   root index   level-1 idx  level-0 idx
 *
 * A page-table entry:
 *
 *   63  62 61 60    54 53                10 9  8 7 6 5 4 3 2 1 0
 *  +---+-----+--------+--------------------+----+-+-+-+-+-+-+-+-+
 *  | N | PBMT|reserved|        PPN         |RSW |D|A|G|U|X|W|R|V|
 *  +---+-----+--------+--------------------+----+-+-+-+-+-+-+-+-+
 *
 * R=W=X=0 with V=1: pointer to the next level. Otherwise a leaf: at level
 * 2 a 1 GiB gigapage, level 1 a 2 MiB megapage, level 0 a 4 KiB page; a
 * leaf's PPN must be aligned to its size.
 *
 * A and D: the U74 (VisionFive 2) does not set them in hardware; an access
 * through a PTE with A=0, or a store with D=0, page-faults. So every leaf is
 * installed with A set, and D set when writable, unless the caller asks
 * for software A/D tracking (PT_SOFT_AD).
 */
#ifndef ARCH_PAGETABLE_H
#define ARCH_PAGETABLE_H

#include "kernel/types.h"

typedef uint64_t pte_t;

#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_U (1UL << 4)
#define PTE_G (1UL << 5)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)
#define PTE_PPN_SHIFT 10
#define PTE_PPN_MASK (((1UL << 44) - 1) << PTE_PPN_SHIFT)

#define PT_LEVELS 3
#define PT_ENTRIES 512
#define PT_LEVEL_SHIFT(level) (12 + 9 * (level))
#define PT_LEVEL_SIZE(level) (1UL << PT_LEVEL_SHIFT(level))
#define PT_INDEX(va, level) (((va) >> PT_LEVEL_SHIFT(level)) & (PT_ENTRIES - 1))

static inline paddr_t pte_pa(pte_t pte)
{
	return ((pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT) << 12;
}

static inline pte_t pte_make(paddr_t pa, uint64_t flags)
{
	return ((pa >> 12) << PTE_PPN_SHIFT) | flags;
}

static inline bool pte_is_leaf(pte_t pte)
{
	return (pte & PTE_V) && (pte & (PTE_R | PTE_W | PTE_X));
}

/* Mapping rights in generic terms; the code maps them to PTE bits. */
enum pt_prot {
	PT_READ = 1 << 0,
	PT_WRITE = 1 << 1,
	PT_EXEC = 1 << 2,
	PT_USER = 1 << 3,
	PT_GLOBAL = 1 << 4,
	PT_SOFT_AD = 1 << 5, /* install with A and D clear: the kernel tracks them */
};

/* Is va canonical for Sv39 (bits 63..39 equal to bit 38)? */
static inline bool pt_va_canonical(vaddr_t va)
{
	int64_t s = (int64_t)(va << 25) >> 25;
	return (vaddr_t)s == va;
}

/*
 * Maps [va, va+size) to [pa, pa+size) in the tree rooted at root (a
 * physical address of a zeroed or populated root table), using the largest
 * pages whose alignment and length fit when allow_large is true, 4 KiB
 * pages otherwise. va, pa and size must be 4 KiB aligned, va canonical,
 * prot must include PT_READ or PT_EXEC (W without R is reserved in Sv39),
 * and nothing may be mapped there yet.
 *
 * pt_map is pt_prepare then pt_install. Returns 0, -ERR_INVAL/-ERR_ALIGN
 * for bad arguments, -ERR_EXIST when part of the range is mapped,
 * -ERR_NOMEM; on error nothing is mapped (empty tables may remain; they
 * are freed with the tree). Does not flush the TLB: the caller does,
 * through the tlb_* helpers.
 */
int pt_map(paddr_t root, vaddr_t va, paddr_t pa, size_t size, unsigned prot, bool allow_large);

/*
 * The checking half of pt_map, for callers that must check several ranges
 * before changing any (aspace_map_run): checks the arguments and that the
 * range is unmapped, and allocates (frame_alloc_zeroed) every intermediate
 * table its leaves will need. Writes no leaf. Same returns as pt_map;
 * tables made stay, empty, whatever it returns.
 */
int pt_prepare(paddr_t root, vaddr_t va, paddr_t pa, size_t size, unsigned prot, bool allow_large);

/*
 * The doing half: writes the leaves of a range pt_prepare accepted with
 * the same arguments, with nothing mapped or unmapped there since. Cannot
 * fail; a range that was not prepared is a broken invariant (panic).
 * The leaf covering touch_va (if one does) is marked as an access of kind
 * touch (PT_READ, PT_WRITE or PT_EXEC; 0: none) through it marks it: A,
 * and D for a store, if the leaf permits that access (the rule of
 * pt_fix_accessed_dirty). A fault's answer marks the faulting page so,
 * and nothing else, without a second walk.
 */
void pt_install(paddr_t root, vaddr_t va, paddr_t pa, size_t size, unsigned prot, bool allow_large,
		vaddr_t touch_va, unsigned touch);

/*
 * Removes the leaves covering [va, va+size); a large leaf must be removed
 * whole (-ERR_ALIGN if the range cuts one). Unmapped holes are skipped.
 * Frees nothing: the frames stay the caller's. Returns the number of 4 KiB
 * pages that were unmapped, or a negative error (then nothing changed).
 * Does not flush the TLB.
 */
long pt_unmap(paddr_t root, vaddr_t va, size_t size);

/*
 * Finds the leaf that maps va. Returns a pointer to the PTE (in the direct
 * map) and sets *level, or NULL when va is unmapped.
 */
pte_t *pt_lookup(paddr_t root, vaddr_t va, unsigned *level);

/* Translates va to a physical address, or PADDR_NONE when unmapped. */
paddr_t pt_translate(paddr_t root, vaddr_t va);

/*
 * Frees every intermediate table reachable from root entries
 * [first, last] (leaves' frames are not touched: they belong to whoever
 * mapped them), clearing those root entries. The root itself stays.
 */
void pt_free_tables(paddr_t root, unsigned first, unsigned last);

/*
 * The software half of A/D tracking. Hardware without A/D updates (the
 * U74) faults on an access through a leaf with A clear, or a store with D
 * clear. If the leaf for va permits `access` (one of PT_READ, PT_WRITE,
 * PT_EXEC, with PT_USER added to require a user page) and only A (or D,
 * for a write) is missing, sets them and returns
 * true: the caller flushes va from the TLB and resumes the access. Returns
 * false for a real fault (unmapped or not permitted), changing nothing.
 */
bool pt_fix_accessed_dirty(paddr_t root, vaddr_t va, unsigned access);

/*
 * Gives the leaf mapping va the rights in prot (PT_READ/WRITE/EXEC/USER),
 * keeping its frame and its A/D bits. Returns the leaf's size, or 0 when va
 * is unmapped. No TLB flush.
 */
size_t pt_change_prot(paddr_t root, vaddr_t va, unsigned prot);

/* Accessed/dirty state of the leaf mapping va: PT_AD_ACCESSED and
 * PT_AD_DIRTY (0 when unmapped); with clear, also clears both bits, so a
 * U74 faults on the next access and the kernel sets them again. No flush. */
#define PT_AD_ACCESSED 1u
#define PT_AD_DIRTY 2u
unsigned pt_accessed_dirty(paddr_t root, vaddr_t va, bool clear);

/* PTE permission bits for prot (A and D included unless PT_SOFT_AD). */
pte_t pt_prot_bits(unsigned prot);

#endif
