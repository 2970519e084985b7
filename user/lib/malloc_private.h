/*
 * malloc.c's private interface: a heap walk for tests, and the names the
 * allocator has when tests/host/malloc_test.c builds it on the host with
 * -DMALLOC_HOST_TEST (pgm_*, so it does not replace the host's malloc;
 * the test provides pgm_sbrk and pgm_panic in place of the runtime's sbrk
 * and pg_panic).
 */
#ifndef USER_LIB_MALLOC_PRIVATE_H
#define USER_LIB_MALLOC_PRIVATE_H

#include <stddef.h>

/* What malloc_census found; sizes in bytes, chunk overheads included. */
struct malloc_census {
	size_t heap;        /* from the heap's start to the break */
	size_t free_bytes;  /* free chunks plus the top (never handed out, or given back) */
	size_t used_bytes;  /* chunks in use */
	size_t chunks;      /* chunks in use */
	size_t free_chunks; /* free chunks in the bins (the top not counted) */
	size_t top;         /* the top's size */
};

/*
 * Walks the whole heap and every bin, checking each boundary tag, that no
 * two free chunks touch, that the bins hold exactly the free chunks, and,
 * if verify_zero, that every byte the allocator believes zero is zero.
 * Fills *out (which may be NULL); returns 0, or -1 at the first
 * inconsistency. Reads the heap only.
 */
int malloc_census(struct malloc_census *out, int verify_zero);

#ifdef MALLOC_HOST_TEST
void *pgm_malloc(size_t size);
void pgm_free(void *ptr);
void *pgm_calloc(size_t nmemb, size_t size);
void *pgm_realloc(void *ptr, size_t size);
void *pgm_aligned_alloc(size_t align, size_t size);
void *pgm_memalign(size_t align, size_t size);
int pgm_posix_memalign(void **out, size_t align, size_t size);
size_t pgm_malloc_usable_size(void *ptr);
/* Forgets the whole heap (the test resets its fake break too). */
void malloc_host_reset(void);
/* The test's: the break over a static arena, and a panic that longjmps. */
void *pgm_sbrk(ptrdiff_t incr);
void pgm_panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
#endif

#endif
