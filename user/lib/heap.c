/*
 * sbrk for malloc (malloc.c): the heap grows up from USER_HEAP_BASE with
 * frames from pg_frame_alloc mapped read-write. A growth of N pages takes
 * N's binary decomposition in frames (at most order 9, 2 MiB; a smaller
 * order when a larger one cannot be had), so big allocations cost few
 * mappings. The mapping keeps its frame alive, so the frame's handle is
 * deleted right after pg_map: the heap holds no handle-table slots.
 * Pages are never unmapped: a shrinking break keeps them for the next growth.
 *
 * A process spawned with a pager (INFO_ANON_PAGED in its info page) has
 * its heap as that pager's region already: sbrk only moves the break, up
 * to the info page's heap_end, and the pager serves each page when it is
 * first touched.
 *
 * Either way, memory above the highest break so far reads zero (frames the
 * kernel zeroed, or pages the pager zero-fills), and malloc.c relies on it
 * to leave fresh memory unwritten. Memory below it keeps its bytes across
 * a shrink and regrowth, which is one reason malloc never shrinks the break.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <pagoda/runtime.h>

#define PAGE_SIZE 4096UL
#define MAX_ORDER 9

static uintptr_t heap_break = USER_HEAP_BASE;
static uintptr_t heap_mapped = USER_HEAP_BASE; /* [USER_HEAP_BASE, heap_mapped) mapped */

/* Maps at least one page at heap_mapped, at most `pages`; 0 or -ERR_*. */
static long heap_grow(uintptr_t pages)
{
	unsigned order = 0;
	long frame, rc;

	while (order < MAX_ORDER && (2UL << order) <= pages)
		order++;
	while ((frame = pg_frame_alloc(order)) == -ERR_NOMEM && order > 0)
		order--;
	if (frame < 0)
		return frame;
	rc = pg_map(HANDLE_SELF, frame, heap_mapped, RIGHT_READ | RIGHT_WRITE);
	pg_handle_delete(frame); /* the mapping holds the frame now */
	if (rc < 0)
		return rc;
	heap_mapped += PAGE_SIZE << order;
	return 0;
}

void *sbrk(ptrdiff_t incr)
{
	const struct pg_process_info *info = runtime_info();
	const uintptr_t limit = info->heap_end; /* <pagoda/abi.h> */
	const int paged = (info->flags & INFO_ANON_PAGED) != 0;
	uintptr_t old = heap_break, new;

	if (incr >= 0) {
		if (old > limit || (uintptr_t)incr > limit - old)
			goto nomem;
		new = old + (uintptr_t)incr;
	} else {
		uintptr_t shrink = (uintptr_t)0 - (uintptr_t)incr;
		if (shrink > old - USER_HEAP_BASE) {
			errno = EINVAL;
			return (void *)-1;
		}
		new = old - shrink;
	}
	while (!paged && heap_mapped < new)
		if (heap_grow((new - heap_mapped + PAGE_SIZE - 1) / PAGE_SIZE) < 0)
			goto nomem;
	heap_break = new;
	return (void *)old;
nomem:
	errno = ENOMEM;
	return (void *)-1;
}
