/*
 * Host stand-ins for the kernel's memory-watch hooks (mm/memwatch.h), for
 * host tests that link mm/frame.c but never set a watch level: a call
 * would mean the allocator crossed a level nobody set.
 */
#include "kernel/panic.h"
#include "mm/memwatch.h"

void mem_watch_fire(void)
{
	panic("mem_watch_fire: called with no watch level set");
}

void mem_watch_rearm(void)
{
	panic("mem_watch_rearm: called with no watch level set");
}
