/*
 * memset, memcpy, memmove, memcmp: the four functions GCC may call on its
 * own even in freestanding code. One copy for both sides: the kernel links
 * it, and user space's runtime (libpagoda) takes it in place of picolibc's,
 * which Debian builds for size (byte loops).
 *
 * Pages are zeroed and copied here (the kernel's fresh frames, the
 * swapper's zero-fill), so the aligned middle of a range goes a word at a
 * time: 512 stores for a page, not 4096. The stores are through volatile
 * pointers so that GCC does not turn these loops back into calls to
 * themselves; `word` may alias anything, as the bytes it stands for do.
 */
#include "kernel/types.h"

void *memset(void *dst, int c, size_t n);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

typedef uint64_t __attribute__((may_alias)) word;
#define WORD sizeof(word)

static inline bool word_aligned(const void *p)
{
	return ((uintptr_t)p & (WORD - 1)) == 0;
}

/* Sets n bytes at dst to (uint8_t)c; returns dst. */
void *memset(void *dst, int c, size_t n)
{
	volatile uint8_t *d = dst;
	for (; n && !word_aligned((const void *)d); n--)
		*d++ = (uint8_t)c;
	const word w = (uint8_t)c * 0x0101010101010101ULL;
	for (; n >= WORD; n -= WORD, d += WORD)
		*(volatile word *)d = w;
	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

/* Copies n bytes upward (first to last) from s to d: words at a time when
 * both are equally aligned. */
static void copy_up(volatile uint8_t *d, const uint8_t *s, size_t n)
{
	if ((((uintptr_t)d ^ (uintptr_t)s) & (WORD - 1)) == 0) {
		for (; n && !word_aligned(s); n--)
			*d++ = *s++;
		for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
			*(volatile word *)d = *(const word *)s;
	}
	while (n--)
		*d++ = *s++;
}

/* Copies n bytes downward (last to first) from s to d, likewise. */
static void copy_down(volatile uint8_t *d, const uint8_t *s, size_t n)
{
	if ((((uintptr_t)d ^ (uintptr_t)s) & (WORD - 1)) == 0) {
		for (; n && !word_aligned(s + n); n--)
			d[n - 1] = s[n - 1];
		for (; n >= WORD; n -= WORD)
			*(volatile word *)(d + n - WORD) = *(const word *)(s + n - WORD);
	}
	while (n--)
		d[n] = s[n];
}

/* Copies n bytes from src to dst (which must not overlap); returns dst.
 * Not through memmove: GCC, knowing both, may turn that call back into
 * one to memcpy. */
void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	copy_up(dst, src, n);
	return dst;
}

/* Copies n bytes from src to dst, which may overlap; returns dst. */
void *memmove(void *dst, const void *src, size_t n)
{
	if ((uintptr_t)dst < (uintptr_t)src)
		copy_up(dst, src, n);
	else if ((uintptr_t)dst > (uintptr_t)src)
		copy_down(dst, src, n);
	return dst;
}

/* <0, 0, >0 as the first differing byte of a is below, equal to (none
 * differs) or above b's, as unsigned. */
int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}
