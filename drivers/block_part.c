/* A block device that is a window of another (see drivers/block_part.h). */
#include "drivers/block_part.h"
#include "kernel/types.h"
#include <pagoda/errno.h>

/* The request's status if it must not reach the parent, else 0. */
static long check(const struct block_part *p, const struct block_req *r)
{
	if (r->op == BLOCK_FLUSH)
		return 0;
	if (r->op != BLOCK_READ && r->op != BLOCK_WRITE)
		return -ERR_INVAL;
	if (r->count == 0 || r->buf == NULL)
		return -ERR_INVAL;
	if (r->sector >= p->dev.capacity_sectors ||
	    r->count > p->dev.capacity_sectors - r->sector)
		return -ERR_RANGE;
	if (r->op == BLOCK_WRITE && p->dev.read_only)
		return -ERR_PERM;
	return 0;
}

/* Passes reqs[0..n) (all checked) to the parent with offset sectors. */
static void pass(struct block_part *p, struct block_req *reqs, unsigned n)
{
	unsigned i;
	long rc;
	for (i = 0; i < n; i++) {
		reqs[i].status = 0;
		if (reqs[i].op != BLOCK_FLUSH)
			reqs[i].sector += p->first_sector; /* in the parent: no wrap */
	}
	rc = p->parent->ops->transfer(p->parent, reqs, n);
	for (i = 0; i < n && reqs[i].status == 0; i++)
		;
	if (rc != 0 && i == n) /* a parent that failed without saying which */
		reqs[0].status = rc < 0 ? rc : -ERR_IO;
	for (i = 0; i < n; i++)
		if (reqs[i].op != BLOCK_FLUSH)
			reqs[i].sector -= p->first_sector;
}

static long part_transfer(struct block_dev *dev, struct block_req *reqs, unsigned n)
{
	struct block_part *p = dev->driver;
	unsigned i, run = 0;

	if (n == 0)
		return 0;
	if (reqs == NULL)
		return -ERR_INVAL;
	for (i = 0; i < n; i++) {
		long st = check(p, &reqs[i]);
		if (st == 0)
			continue;
		reqs[i].status = st;
		if (i > run)
			pass(p, reqs + run, i - run);
		run = i + 1;
	}
	if (n > run)
		pass(p, reqs + run, n - run);
	for (i = 0; i < n; i++)
		if (reqs[i].status != 0)
			return reqs[i].status;
	return 0;
}

/* Started requests carry the parent's sector while in flight (block.h:
 * the sector is the driver's then); a refused one is done at once. */
static long part_start(struct block_dev *dev, struct block_req *reqs, unsigned n)
{
	struct block_part *p = dev->driver;
	if (reqs == NULL && n)
		return -ERR_INVAL;
	for (unsigned i = 0; i < n; i++) {
		reqs[i].status = check(p, &reqs[i]);
		reqs[i].pending = 0;
		if (reqs[i].status) { /* one refused: do the lot now, each its status */
			part_transfer(dev, reqs, n);
			return 0;
		}
	}
	for (unsigned i = 0; i < n; i++)
		if (reqs[i].op != BLOCK_FLUSH)
			reqs[i].sector += p->first_sector;
	long rc = block_start(p->parent, reqs, n);
	if (rc < 0)
		for (unsigned i = 0; i < n; i++)
			if (reqs[i].op != BLOCK_FLUSH)
				reqs[i].sector -= p->first_sector;
	return rc;
}

static unsigned part_poll(struct block_dev *dev, bool wait)
{
	struct block_part *p = dev->driver;
	return block_poll(p->parent, wait);
}

static const struct block_ops part_ops = { .transfer = part_transfer,
					   .start = part_start,
					   .poll = part_poll };

int block_part_init(struct block_part *p, struct block_dev *parent, uint64_t first_sector,
		    uint64_t sectors, const char *name)
{
	if (p == NULL || parent == NULL || sectors == 0)
		return -ERR_INVAL;
	if (first_sector >= parent->capacity_sectors ||
	    sectors > parent->capacity_sectors - first_sector)
		return -ERR_RANGE;
	p->parent = parent;
	p->first_sector = first_sector;
	p->dev.ops = &part_ops;
	p->dev.name = name != NULL ? name : parent->name;
	p->dev.capacity_sectors = sectors;
	p->dev.sector_size = parent->sector_size;
	p->dev.read_only = parent->read_only;
	p->dev.driver = p;
	return 0;
}
