/*
 * Page-access traces for comparing the swapper's replacement policies
 * (make bench's faults_<policy>_<trace>, docs/bench.md "Replacement
 * policies"). Each trace is a deterministic generator: a fixed seed, no
 * allocation, no floating point, so the host simulator
 * (tests/host/policysim.c) and a program replaying the trace through the
 * real swapper in QEMU see exactly the same sequence of pages.
 *
 * A trace is shaped for a reference memory of M frames (mem_frames,
 * clamped to TRACE_MIN_MEM..TRACE_MAX_MEM and rounded down to a multiple of
 * 8, so every fraction of M below is a whole number). It names pages
 * 0 .. trace_pages()-1 (at most TRACE_MAX_PAGES, 64 MiB of 4 KiB pages: one
 * swapper client region) and has trace_length() accesses:
 *
 *   seqscan  6 periods of: 4M accesses uniformly at random over a hot set of
 *            M/2 pages, then one sequential pass over 2M fresh pages, never
 *            touched again (the classic scan: LRU-like policies lose the hot
 *            set to it). 36M accesses, M/2 + 12M pages.
 *   loop     pages 0, 1, .., M+M/8-1, 0, 1, ..: a loop just larger than
 *            memory, where LRU and CLOCK miss every time. 40M accesses.
 *   random   uniform over 2M pages. 40M accesses.
 *   zipf     Zipf with exponent 1 over 4M pages: page k (0-based) with
 *            probability proportional to 1/(k+1). 40M accesses.
 *   shift    5 phases of 10M accesses, uniform over a working set of
 *            W = 3M/4 pages that slides by W/2 each phase (phase p uses
 *            pages p*W/2 .. p*W/2+W-1: half of it is new, half was hot).
 *            50M accesses, 3W pages.
 *
 * Use:
 *   static struct trace_gen g;    // about 16 KiB (the Zipf table): keep it static
 *   trace_start(&g, TRACE_LOOP, 128);
 *   for (long p; (p = trace_next(&g)) >= 0;)
 *           touch(p);
 */
#ifndef USER_SWAPPER_TRACES_H
#define USER_SWAPPER_TRACES_H

#include <stdint.h>

enum trace_id { TRACE_SEQSCAN, TRACE_LOOP, TRACE_RANDOM, TRACE_ZIPF, TRACE_SHIFT, TRACE_COUNT };

#define TRACE_MIN_MEM 16
#define TRACE_MAX_MEM 1024
#define TRACE_MAX_PAGES 16384
#define TRACE_ZIPF_MAX (4 * TRACE_MAX_MEM) /* pages of the Zipf trace at most */

/* A trace in progress. Filled by trace_start; the fields are private. */
struct trace_gen {
	enum trace_id id;
	unsigned mem;        /* M after clamping */
	unsigned pages;      /* the universe: pages 0 .. pages-1 */
	unsigned long pos;   /* accesses generated so far */
	unsigned long len;   /* accesses in all */
	uint64_t rng;        /* splitmix64 state */
	uint32_t zipf_total; /* zipf: zipf_cum[pages-1] */
	uint32_t zipf_cum[TRACE_ZIPF_MAX]; /* zipf: cumulative weights, 2^24/(k+1) each */
};

/* Starts trace `id` shaped for mem_frames frames (clamped as above) at its
 * first access. An id outside 0..TRACE_COUNT-1 gives an empty trace. */
void trace_start(struct trace_gen *g, enum trace_id id, unsigned mem_frames);

/* The next page of the trace (0 .. trace_pages()-1), or -1 after the last. */
long trace_next(struct trace_gen *g);

/* How many distinct page numbers trace `id` for mem_frames may name (the
 * region a replay needs, in pages); 0 for an unknown id. */
unsigned trace_pages(enum trace_id id, unsigned mem_frames);

/* How many accesses trace `id` for mem_frames has; 0 for an unknown id. */
unsigned long trace_length(enum trace_id id, unsigned mem_frames);

/* "seqscan", "loop", "random", "zipf", "shift"; NULL for an unknown id. */
const char *trace_name(enum trace_id id);

/* The id named `name` (as trace_name spells it), or -1. */
int trace_lookup(const char *name);

#endif
