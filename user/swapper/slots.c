/*
 * Swap slots (slots.h): two bitmaps, used and bad, and a next-fit cursor.
 */
#include <stdbool.h>
#include <stdint.h>

#include "user/swapper/slots.h"
#include "user/swapper/swapper.h"

static uint8_t slot_used[SWAP_MAX_SLOTS / 8], slot_bad[SWAP_MAX_SLOTS / 8];
static unsigned long nslots; /* slots 1 .. nslots-1 are usable */
static unsigned long nused, nbad, cursor = 1;

static inline bool bit(const uint8_t *map, unsigned long i)
{
	return map[i / 8] & (1u << (i % 8));
}

static inline void set_bit(uint8_t *map, unsigned long i, bool on)
{
	if (on)
		map[i / 8] |= (uint8_t)(1u << (i % 8));
	else
		map[i / 8] &= (uint8_t)~(1u << (i % 8));
}

void slots_init(unsigned long n)
{
	nslots = n > SWAP_MAX_SLOTS ? SWAP_MAX_SLOTS : n;
	for (unsigned long i = 0; i < SWAP_MAX_SLOTS / 8; i++)
		slot_used[i] = slot_bad[i] = 0;
	nused = nbad = 0;
	cursor = 1;
}

long slot_alloc(void)
{
	if (nslots < 2 || nused + nbad >= nslots - 1)
		return -1;
	for (unsigned long n = 0; n < nslots; n++) {
		unsigned long s = cursor;
		cursor = cursor + 1 >= nslots ? 1 : cursor + 1;
		if (s && !bit(slot_used, s) && !bit(slot_bad, s)) {
			set_bit(slot_used, s, true);
			nused++;
			return (long)s;
		}
	}
	return -1;
}

void slot_free(unsigned long s)
{
	if (s && s < nslots && bit(slot_used, s)) {
		set_bit(slot_used, s, false);
		nused--;
	}
}

void slot_mark_bad(unsigned long s)
{
	if (!s || s >= nslots)
		return;
	slot_free(s);
	if (!bit(slot_bad, s)) {
		set_bit(slot_bad, s, true);
		nbad++;
	}
}

unsigned long slots_total(void)
{
	return nslots ? nslots - 1 : 0;
}

unsigned long slots_used(void)
{
	return nused;
}

unsigned long slots_bad(void)
{
	return nbad;
}
