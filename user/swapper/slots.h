/*
 * Swap slots: the page-sized pieces of the swap area, numbered 1 ..
 * nslots-1 (slot 0 holds the header, and 0 means "no slot" in a vpage).
 * A slot is free, used, or bad (a write to it failed: never used again).
 */
#ifndef USER_SWAPPER_SLOTS_H
#define USER_SWAPPER_SLOTS_H

/* Starts over with nslots (<= SWAP_MAX_SLOTS) slots, all free. */
void slots_init(unsigned long nslots);

/* A free slot, now used (next fit: consecutive evictions land side by
 * side on the disk), or -1 when none is left. */
long slot_alloc(void);

/* Slot s is free again; 0 and slots not in use are ignored. */
void slot_free(unsigned long s);

/* Slot s (1 .. nslots-1) failed a write: free it and never hand it out again. */
void slot_mark_bad(unsigned long s);

/* Usable slots (nslots - 1), used ones, bad ones. */
unsigned long slots_total(void);
unsigned long slots_used(void);
unsigned long slots_bad(void);

#endif
