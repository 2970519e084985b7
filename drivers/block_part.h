/*
 * A block device that is a window of another: sectors [0, sectors) of the
 * partition are sectors [first_sector, first_sector + sectors) of the parent
 * (a GPT partition of a virtio disk, say). Same sector size and read-only
 * flag as the parent.
 *
 * transfer() checks every request before the parent sees it: an unknown op,
 * a count of 0 or no buffer is -ERR_INVAL, a request reaching past the window
 * -ERR_RANGE, a write to a read-only parent -ERR_PERM; such requests get that
 * status and never reach the parent. The others are passed on in order, in
 * runs between refused ones (so a call with no refused request is one parent
 * call), with sector offset by first_sector; the caller's sector fields are
 * restored before return. Flushes pass through. Returns 0 or the first (in
 * array order) failed request's status, as struct block_ops says.
 *
 * Freestanding; no allocation: the caller owns struct block_part, keeps it,
 * the parent and name alive, and uses &p->dev.
 */
#ifndef DRIVERS_BLOCK_PART_H
#define DRIVERS_BLOCK_PART_H

#include "drivers/block.h"

struct block_part {
	struct block_dev dev; /* the window, for callers */
	struct block_dev *parent;
	uint64_t first_sector; /* in parent sectors */
};

/* 0, or -ERR_INVAL (NULL p or parent, sectors == 0), or -ERR_RANGE (the
 * window reaches past the parent's capacity). */
int block_part_init(struct block_part *p, struct block_dev *parent, uint64_t first_sector,
		    uint64_t sectors, const char *name);

#endif
