/*
 * The page-access traces of traces.h. Integer arithmetic only (64-bit
 * multiplies, native on rv64), so the host and the RISC-V user space
 * produce the same pages bit for bit.
 */
#include "user/swapper/traces.h"

#include <stddef.h>

/* Fixed seeds, one per trace: runs repeat exactly. */
static const uint64_t seeds[TRACE_COUNT] = {
	0x5eed0001a5a5a5a5ULL, 0x5eed0002a5a5a5a5ULL, 0x5eed0003a5a5a5a5ULL,
	0x5eed0004a5a5a5a5ULL, 0x5eed0005a5a5a5a5ULL,
};

static const char *const names[TRACE_COUNT] = { "seqscan", "loop", "random", "zipf", "shift" };

#define SEQ_PERIODS 6
#define SHIFT_PHASES 5

/* splitmix64 (Steele, Lea, Flood): small, full period, good enough
 * statistically for choosing pages. */
static uint64_t next64(struct trace_gen *g)
{
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in 0..n-1 (n < 2^32) by multiply-shift: no division, and the
 * bias (n / 2^32) is far below anything a trace of this length shows. */
static uint32_t below(struct trace_gen *g, uint32_t n)
{
	return (uint32_t)(((next64(g) >> 32) * n) >> 32);
}

static unsigned clamp_mem(unsigned m)
{
	if (m < TRACE_MIN_MEM)
		m = TRACE_MIN_MEM;
	if (m > TRACE_MAX_MEM)
		m = TRACE_MAX_MEM;
	return m & ~7u;
}

unsigned trace_pages(enum trace_id id, unsigned mem_frames)
{
	unsigned m = clamp_mem(mem_frames);
	switch (id) {
	case TRACE_SEQSCAN:
		return m / 2 + SEQ_PERIODS * 2 * m;
	case TRACE_LOOP:
		return m + m / 8;
	case TRACE_RANDOM:
		return 2 * m;
	case TRACE_ZIPF:
		return 4 * m;
	case TRACE_SHIFT:
		return 3 * (3 * m / 4);
	default:
		return 0;
	}
}

unsigned long trace_length(enum trace_id id, unsigned mem_frames)
{
	unsigned long m = clamp_mem(mem_frames);
	switch (id) {
	case TRACE_SEQSCAN:
		return SEQ_PERIODS * 6 * m;
	case TRACE_LOOP:
	case TRACE_RANDOM:
	case TRACE_ZIPF:
		return 40 * m;
	case TRACE_SHIFT:
		return SHIFT_PHASES * 10 * m;
	default:
		return 0;
	}
}

const char *trace_name(enum trace_id id)
{
	return (unsigned)id < TRACE_COUNT ? names[id] : NULL;
}

int trace_lookup(const char *name)
{
	for (int i = 0; name && i < TRACE_COUNT; i++) {
		const char *a = names[i], *b = name;
		while (*a && *a == *b)
			a++, b++;
		if (*a == *b)
			return i;
	}
	return -1;
}

void trace_start(struct trace_gen *g, enum trace_id id, unsigned mem_frames)
{
	g->id = id;
	g->mem = clamp_mem(mem_frames);
	g->pages = trace_pages(id, mem_frames);
	g->len = trace_length(id, mem_frames);
	g->pos = 0;
	g->rng = (unsigned)id < TRACE_COUNT ? seeds[id] : 0;
	g->zipf_total = 0;
	if (id == TRACE_ZIPF) {
		/* Weight of page k: 2^24 / (k+1), truncated (the truncation
		 * changes a weight by under 2^-24 / (1/(k+1)) <= 2^-12). At most
		 * 4096 pages, so the total stays under 2^24 * 9 < 2^28. */
		uint32_t sum = 0;
		for (unsigned k = 0; k < g->pages; k++) {
			sum += (uint32_t)((1u << 24) / (k + 1));
			g->zipf_cum[k] = sum;
		}
		g->zipf_total = sum;
	}
}

/* Zipf: the first page whose cumulative weight exceeds a uniform draw
 * below the total (binary search, 12 steps at most). */
static long zipf_next(struct trace_gen *g)
{
	uint32_t u = (uint32_t)(((next64(g) >> 32) * g->zipf_total) >> 32);
	unsigned lo = 0, hi = g->pages - 1;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (g->zipf_cum[mid] > u)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

long trace_next(struct trace_gen *g)
{
	if (g->pos >= g->len)
		return -1;
	unsigned long i = g->pos++, m = g->mem;
	switch (g->id) {
	case TRACE_SEQSCAN: {
		unsigned long period = i / (6 * m), at = i % (6 * m), hot = m / 2;
		if (at < 4 * m)
			return below(g, (uint32_t)hot);
		return (long)(hot + period * 2 * m + (at - 4 * m));
	}
	case TRACE_LOOP:
		return (long)(i % g->pages);
	case TRACE_RANDOM:
		return below(g, g->pages);
	case TRACE_ZIPF:
		return zipf_next(g);
	case TRACE_SHIFT: {
		unsigned long w = 3 * m / 4, phase = i / (10 * m);
		return (long)(phase * (w / 2) + below(g, (uint32_t)w));
	}
	default:
		return -1;
	}
}
