/*
 * User address spaces: an Sv39 root table whose kernel half (entries
 * 256..511) is copied from the kernel's, an ASID, and the list of what is
 * mapped in the user half.
 *
 * Every user mapping is a record tying a range of an address space to a
 * frame object: the frame's list of records is how destroying a frame
 * unmaps it everywhere, and the space's list is how tearing down a space
 * lets go of every frame. A record holds a reference to its frame.
 */
#ifndef MM_ASPACE_H
#define MM_ASPACE_H

#include "kernel/object.h"

struct mapping;
struct region;

/* A frame object: 2^order contiguous frames of RAM, or a device window. */
struct frame_obj {
	struct kobject obj;
	paddr_t pa;
	size_t size;          /* bytes, a multiple of PAGE_SIZE */
	bool device;          /* MMIO: never returned to the frame allocator */
	struct mapping *maps; /* where it is mapped */
};

struct aspace {
	paddr_t root;          /* PADDR_NONE until aspace_init */
	unsigned asid;         /* 0: no ASID of its own, full flush on switch */
	struct process *owner; /* page tables and records are charged here */
	struct mapping *maps;
	struct region *regions; /* kernel/fault.h: where faults go to pagers */
	bool tlb_stale;         /* changed while not loaded: flush its ASID when it is */
};

/* Empty user half, kernel half shared. Page tables charged to owner.
 * Returns 0 or -ERR_NOMEM. */
int aspace_init(struct aspace *as, struct process *owner);

/*
 * Maps the whole of frame at va in as with rights (RIGHT_READ/WRITE/EXEC;
 * W^X enforced: both W and X is -ERR_PERM). va must be page aligned and
 * [va, va+size) inside the user half and unmapped (-ERR_EXIST). Checks
 * everything, allocates what it needs (page tables, the record), and only
 * then installs the PTEs, which cannot fail. Takes a frame reference.
 */
long aspace_map(struct aspace *as, struct frame_obj *frame, vaddr_t va, uint32_t rights);

/*
 * A pager's answer to a fault at fault_va by an access of kind access
 * (RIGHT_READ, RIGHT_WRITE or RIGHT_EXEC): as aspace_map, but every page
 * starts with its accessed and dirty bits clear, except the faulting page
 * if the frame covers it, which is marked as that access marks it (A, and
 * D for a store, if the rights permit it). So a pager's ad_query sees only
 * what the client did, on QEMU, which sets A/D itself, and on a U74, which
 * would fault again for them.
 */
long aspace_map_answer(struct aspace *as, struct frame_obj *frame, vaddr_t va, uint32_t rights,
		       vaddr_t fault_va, uint32_t access);

/*
 * Maps count frames (1..MAP_RUN_MAX, else -ERR_RANGE) one after another
 * from va (each as aspace_map, or untouched: A/D clear on every page), with
 * one TLB flush for the run. Like aspace_map it checks every frame and
 * reserves everything (quota, records, page tables) before it maps any, so
 * on an error nothing is mapped and the space is as it was (but for empty
 * page tables made, which stay with it). Takes a reference to each frame.
 */
long aspace_map_run(struct aspace *as, struct frame_obj *const *frames, size_t count, vaddr_t va,
		    uint32_t rights, bool untouched);

/* Removes every mapping lying wholly in [va, va+size); a mapping cut by
 * either edge is -ERR_INVAL (nothing changed). Returns pages unmapped. */
long aspace_unmap(struct aspace *as, vaddr_t va, size_t size);

/* Unmaps frame from every space it is mapped in. */
void frame_obj_unmap_all(struct frame_obj *frame);

/* Removes every mapping, frees the page tables and the root, releases
 * the ASID. If as is the hart's loaded space, the hart moves to the
 * kernel's own table first: satp never points at a freed table. */
void aspace_destroy(struct aspace *as);

/*
 * Makes as the hart's loaded space (satp, ASID), unless it is already.
 * TLB upkeep is lazy for spaces not loaded: a change to such a space's
 * table (map, unmap, protect, accessed bits taken) only marks it stale,
 * and loading it flushes its ASID once, however many changes were made
 * meanwhile. The hart cannot use a space's entries before it is loaded
 * again, so that is as safe as flushing at each change, and a pager that
 * unmaps or reads accessed bits of a client page by page costs one flush
 * per switch, not one per call. Without ASIDs (the U74) or for ASID 0,
 * loading a space flushes everything anyway and nothing is marked.
 * One hart: with several, a space loaded on another hart needs a remote
 * flush (SBI RFENCE) at the change, and the stale mark becomes per hart.
 */
void aspace_activate(struct aspace *as);

/*
 * Gives every mapping lying wholly in [va, va+size) the rights in rights
 * (RIGHT_READ/WRITE/EXEC; not none, never W and X), up to the rights it
 * was mapped with. A mapping cut by an edge is -ERR_INVAL, more rights
 * than it was mapped with -ERR_PERM; nothing changes then. Returns the
 * pages changed. Flushes what changed.
 */
long aspace_protect(struct aspace *as, vaddr_t va, size_t size, uint32_t rights);

/* For pages [va, va + pages*4K): out[i] = PAGE_ACCESSED|PAGE_DIRTY as the
 * page was used since the last call, then clears that state (flushed). */
void aspace_take_accessed_dirty(struct aspace *as, vaddr_t va, size_t pages, uint8_t *out);

/*
 * A user page fault that only needs the accessed/dirty bits set (hardware
 * that does not set them, like the U74): sets them, flushes, returns true.
 * access is RIGHT_READ, RIGHT_WRITE or RIGHT_EXEC. Pagers never see these.
 */
bool aspace_fix_accessed_dirty(struct aspace *as, vaddr_t va, uint32_t access);

/* Can the user access [va, va+len) with rights (for usercopy checks)? */
bool aspace_range_ok(struct aspace *as, vaddr_t va, size_t len, uint32_t rights);

#endif
