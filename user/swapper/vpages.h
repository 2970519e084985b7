/*
 * A client's pages, by virtual page number (va / 4096), for the swapper:
 * a client may be a whole address space (its stack, heap and .bss, far
 * apart), so the table is sparse. Pages come in chunks of VP_CHUNK_PAGES
 * (2 MiB of the client's space), made when a page of the chunk is first
 * needed, found through an open-addressing hash of chunk numbers.
 *
 *   va:  | 63 ........ 21 | 20 ..... 12 | 11 ... 0 |
 *        | chunk number   | page in it  | offset   |
 *
 * A page nobody has touched has no entry, which reads as "nowhere" (zero).
 */
#ifndef USER_SWAPPER_VPAGES_H
#define USER_SWAPPER_VPAGES_H

#include <stdint.h>

#define VP_CHUNK_SHIFT 9
#define VP_CHUNK_PAGES (1UL << VP_CHUNK_SHIFT)

/* VP_DIRTY: no valid copy on the disk (written since, or never swapped).
 * VP_ZEROFILL: zeroed and mapped read-write ahead of a sequential first
 * write (zero_ahead in main.c); whether it was written since is not known,
 * so it counts as dirty but is checked at eviction: still all zero, it is
 * dropped without I/O.
 * VP_INFLIGHT: not resident, its write to slot still in flight (written
 * behind, writeback.h): the slot must not be read until it completes.
 * VP_READING: not resident, being read ahead from its slot into a frame
 * held for it (pagein.c): its fault waits for the read.
 * VP_LOST: written behind, and the write found no good slot: the page is
 * gone, and its owner is killed at the next message (kill_lost), never
 * served zeros for it.
 * The other flags are meaningful while resident. */
enum { VP_MAPPED = 1, VP_RW = 2, VP_DIRTY = 4, VP_ZEROFILL = 8, VP_INFLIGHT = 16,
       VP_READING = 32, VP_LOST = 64 };

struct vpage {
	uint32_t slot;  /* swap slot holding a valid copy, 0: none (slot 0 is the header) */
	uint16_t frame; /* pool frame + 1, 0: not resident */
	uint8_t flags;  /* VP_* */
	uint8_t pad;
};

struct vp_chunk {
	unsigned long number; /* vpn >> VP_CHUNK_SHIFT */
	struct vpage page[VP_CHUNK_PAGES];
};

struct vp_table {
	struct vp_chunk **slot; /* cap entries, NULL: empty */
	unsigned long cap, used;
};

/* Page vpn's entry, or NULL if no page of its chunk was ever made. */
struct vpage *vp_find(const struct vp_table *t, unsigned long vpn);

/* Page vpn's entry, made (zeroed: nowhere) if need be; NULL when out of
 * memory, and then the table is unchanged. */
struct vpage *vp_get(struct vp_table *t, unsigned long vpn);

/* The i-th chunk slot (0 <= i < t->cap), NULL if empty: for walking every
 * page of a client. Valid until the next vp_get. */
static inline struct vp_chunk *vp_chunk_at(const struct vp_table *t, unsigned long i)
{
	return t->slot[i];
}

/* Frees every chunk and the hash; the table is empty again (usable). */
void vp_free(struct vp_table *t);

#endif
