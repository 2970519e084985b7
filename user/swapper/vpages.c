/* The swapper's sparse page tables: see vpages.h. */
#include "user/swapper/vpages.h"

#include <stdbool.h>
#include <stdlib.h>

static unsigned long home(unsigned long number, unsigned long cap)
{
	return (unsigned long)((number * 0x9e3779b97f4a7c15ULL) >> 20) & (cap - 1);
}

/* The slot holding chunk `number`, or the empty slot ending its probe. */
static unsigned long probe(const struct vp_table *t, unsigned long number)
{
	unsigned long i = home(number, t->cap);
	while (t->slot[i] && t->slot[i]->number != number)
		i = (i + 1) & (t->cap - 1);
	return i;
}

struct vpage *vp_find(const struct vp_table *t, unsigned long vpn)
{
	if (!t->cap)
		return NULL;
	struct vp_chunk *c = t->slot[probe(t, vpn >> VP_CHUNK_SHIFT)];
	return c ? &c->page[vpn & (VP_CHUNK_PAGES - 1)] : NULL;
}

/* Doubles the hash (keeping load at most 1/2); false when out of memory. */
static bool grow(struct vp_table *t)
{
	unsigned long cap = t->cap ? 2 * t->cap : 16;
	struct vp_chunk **slot = calloc(cap, sizeof *slot);
	if (!slot)
		return false;
	struct vp_table bigger = { .slot = slot, .cap = cap, .used = t->used };
	for (unsigned long i = 0; i < t->cap; i++)
		if (t->slot[i])
			slot[probe(&bigger, t->slot[i]->number)] = t->slot[i];
	free(t->slot);
	*t = bigger;
	return true;
}

struct vpage *vp_get(struct vp_table *t, unsigned long vpn)
{
	struct vpage *vp = vp_find(t, vpn);
	if (vp)
		return vp;
	if (2 * (t->used + 1) > t->cap && !grow(t))
		return NULL;
	struct vp_chunk *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->number = vpn >> VP_CHUNK_SHIFT;
	t->slot[probe(t, c->number)] = c;
	t->used++;
	return &c->page[vpn & (VP_CHUNK_PAGES - 1)];
}

void vp_free(struct vp_table *t)
{
	for (unsigned long i = 0; i < t->cap; i++)
		free(t->slot[i]);
	free(t->slot);
	*t = (struct vp_table){ 0 };
}
