/*
 * The frame allocator's half of the mem_watch system call.
 *
 * The watches themselves (notifications, thresholds) live in the kernel
 * (kernel/memwatch.c); mm knows nothing of notifications. What the
 * allocator keeps is two numbers it compares its free count with after
 * each allocation and each free, so that the common case costs one
 * comparison and the list of watches is walked only on a crossing:
 *
 *   fire level:  the highest threshold of an armed watch. An allocation
 *                that leaves fewer free frames than that calls mem_watch_fire.
 *   rearm level: the lowest threshold of a fired (disarmed) watch. A free
 *                that leaves at least that many calls mem_watch_rearm.
 */
#ifndef MM_MEMWATCH_H
#define MM_MEMWATCH_H

#include "kernel/types.h"

/*
 * Sets both levels (0 turns a level off: nothing is armed, or nothing
 * waits to be re-armed). Only the watches' owner (kernel/memwatch.c) sets
 * them, after every change to the watches; frame_init turns both off.
 */
void frame_watch_set_levels(size_t fire_below, size_t rearm_at);

/*
 * The kernel's hooks, called by mm/frame.c with the allocator consistent
 * (the block already taken or given back, the free count up to date).
 * mem_watch_fire: an allocation left fewer free frames than the fire level.
 * mem_watch_rearm: a free left at least the rearm level. Each settles the
 * watches and sets the levels again; neither may call the frame allocator.
 */
void mem_watch_fire(void);
void mem_watch_rearm(void);

#endif
