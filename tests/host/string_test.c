/*
 * Host tests for kernel/string.c, which both the kernel and the user
 * runtime link in place of byte loops: every alignment of source and
 * destination, lengths across the word size, overlaps both ways, and the
 * bytes around the range untouched. The reference is a byte at a time.
 */
#define memset pg_memset
#define memcpy pg_memcpy
#define memmove pg_memmove
#define memcmp pg_memcmp
#include "kernel/string.c"
#undef memset
#undef memcpy
#undef memmove
#undef memcmp

#include "check.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define AREA 16384
#define GUARD 0x5c

static uint8_t buf[AREA], want[AREA];

/* buf and want: the same pseudo-random bytes. */
static void fill(unsigned seed)
{
	srand(seed);
	for (size_t i = 0; i < AREA; i++)
		buf[i] = want[i] = (uint8_t)rand();
}

static const size_t lengths[] = { 0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 23, 24, 31, 33, 64, 100, 4095, 4096, 4097 };
#define NLENGTHS (sizeof lengths / sizeof lengths[0])

/* STR-001 */
static void t_memset(void)
{
	for (size_t a = 0; a < 16; a++)
		for (size_t k = 0; k < NLENGTHS; k++)
			for (int c = 0; c < 0x300; c += 0xa5) { /* 0, 0xa5, 0x14a (as 0x4a), ... */
				size_t n = lengths[k];
				fill((unsigned)(a * 131 + k * 7 + (unsigned)c));
				size_t at = 64 + a;
				for (size_t i = 0; i < n; i++)
					want[at + i] = (uint8_t)c;
				CHECK(pg_memset(buf + at, c, n) == buf + at);
				CHECK(memcmp(buf, want, AREA) == 0); /* the range set, nothing else */
			}
}

/* STR-002: memmove and memcpy, with the reference copying through a
 * separate buffer; overlaps of every distance up to 24 both ways. */
static void t_memmove(void)
{
	uint8_t tmp[4200];
	for (size_t sa = 0; sa < 16; sa++)
		for (long dist = -24; dist <= 24; dist++)
			for (size_t k = 0; k < NLENGTHS; k++) {
				size_t n = lengths[k];
				size_t src = 256 + sa, dst = (size_t)((long)src + dist);
				fill((unsigned)(sa * 977 + (unsigned)(dist + 24) * 31 + k));
				memcpy(tmp, want + src, n);
				memcpy(want + dst, tmp, n);
				CHECK(pg_memmove(buf + dst, buf + src, n) == buf + dst);
				CHECK(memcmp(buf, want, AREA) == 0);
			}
	for (size_t sa = 0; sa < 16; sa++) /* memcpy: apart */
		for (size_t da = 0; da < 16; da++)
			for (size_t k = 0; k < NLENGTHS; k++) {
				size_t n = lengths[k], src = 16 + sa, dst = AREA / 2 + da; /* apart */
				fill((unsigned)(sa * 16 + da + k * 256));
				memcpy(want + dst, want + src, n);
				CHECK(pg_memcpy(buf + dst, buf + src, n) == buf + dst);
				CHECK(memcmp(buf, want, AREA) == 0);
			}
}

/* STR-003 */
static void t_memcmp(void)
{
	uint8_t a[64], b[64];
	for (size_t i = 0; i < sizeof a; i++)
		a[i] = b[i] = (uint8_t)(i * 37);
	CHECK_EQ(pg_memcmp(a, b, sizeof a), 0);
	CHECK_EQ(pg_memcmp(a, b, 0), 0);
	b[40] = 0xff; /* above a[40] (0x28), as unsigned */
	CHECK(pg_memcmp(a, b, sizeof a) < 0);
	CHECK(pg_memcmp(b, a, sizeof a) > 0);
	CHECK_EQ(pg_memcmp(a, b, 40), 0); /* the difference is past n */
}

int main(void)
{
	run_test("STR-001", "memset: every alignment and length, the range set and nothing around it", t_memset);
	run_test("STR-002", "memmove/memcpy: every alignment, overlaps both ways, the bytes around untouched", t_memmove);
	run_test("STR-003", "memcmp: equal, below and above as unsigned bytes, stops at n", t_memcmp);
	return test_summary();
}
