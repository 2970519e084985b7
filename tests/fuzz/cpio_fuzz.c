/*
 * libFuzzer target for kernel/cpio.c:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. -Ikernel/uapi \
 *       tests/fuzz/cpio_fuzz.c kernel/cpio.c kernel/errmsg.c -o /tmp/cpio_fuzz
 *   mkdir -p /tmp/cpio_corpus && /tmp/cpio_fuzz -max_total_time=60 /tmp/cpio_corpus
 * Beyond the sanitizers, every result is checked against the contract in
 * kernel/cpio.h, and cpio_find is checked against a walk with cpio_next;
 * a violation traps.
 */
#include "kernel/cpio.h"

#include <pagoda/errno.h>
#include <stddef.h>
#include <stdint.h>

#define REQUIRE(cond)                      \
	do {                               \
		if (!(cond))               \
			__builtin_trap();  \
	} while (0)

#define NAME_MAX_COPY 64

static int terminated(const char *s, size_t size)
{
	size_t i;
	for (i = 0; i < size; i++)
		if (s[i] == '\0')
			return 1;
	return 0;
}

static int failed_cleanly(int rc, const char *err, const struct cpio_entry *e)
{
	return rc < 0 && rc >= -ERR_DEAD && err[0] == 'c' && err[4] == ':' && err[6] != '\0' &&
	       e->name == NULL && e->data == NULL && e->size == 0 && e->namelen == 0 &&
	       e->mode == 0;
}

/* Entry e must lie inside data[0..size), name first, then data. */
static void check_entry(const struct cpio_entry *e, const uint8_t *data, size_t size)
{
	const uint8_t *n = (const uint8_t *)e->name, *d = e->data;
	size_t i;
	REQUIRE(n >= data + CPIO_HEADER_SIZE && n <= data + size);
	REQUIRE(e->namelen < (size_t)(data + size - n) && n[e->namelen] == 0);
	for (i = 0; i < e->namelen; i++)
		REQUIRE(n[i] != 0);
	REQUIRE(d >= n + e->namelen + 1 && d <= data + size && ((d - data) & 3) == 0);
	REQUIRE(e->size <= (size_t)(data + size - d));
}

static int same_name(const struct cpio_entry *e, const char *name)
{
	size_t i;
	for (i = 0; i < e->namelen; i++)
		if (name[i] == '\0' || name[i] != e->name[i])
			return 0;
	return name[e->namelen] == '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cpio_entry e;
	char err[160], name[NAME_MAX_COPY + 1] = "init";
	size_t cur = 0, prev, steps = 0, i;
	int rc, frc, matches = 0, have_name = 0, walk_rc;

	/* Pass 1: walk with cpio_next; the first regular file's name is the
	 * one to find (else "init"); count regular files of that name. */
	for (;;) {
		prev = cur;
		rc = cpio_next(data, size, &cur, &e, err, sizeof err);
		REQUIRE(terminated(err, sizeof err));
		if (rc != 1)
			break;
		REQUIRE(err[0] == '\0');
		REQUIRE(cur > prev && cur <= size && (cur & 3) == 0 && cur - prev >= 112);
		REQUIRE(++steps <= size / 112);
		check_entry(&e, data, size);
		if ((e.mode & CPIO_MODE_TYPE) == CPIO_MODE_REG) {
			if (!have_name && e.namelen <= NAME_MAX_COPY) {
				for (i = 0; i < e.namelen; i++)
					name[i] = e.name[i];
				name[e.namelen] = '\0';
				have_name = 1;
			}
			if (same_name(&e, name))
				matches++;
		}
	}
	walk_rc = rc;
	REQUIRE(cur == prev); /* not moved by the trailer or an error */
	if (rc == 0) {
		REQUIRE(err[0] == '\0' && e.name == NULL && e.data == NULL && e.size == 0);
		rc = cpio_next(data, size, &cur, &e, err, sizeof err); /* the trailer again */
		REQUIRE(rc == 0 && cur == prev);
	} else {
		REQUIRE(failed_cleanly(rc, err, &e));
	}

	/* Pass 2: cpio_find must agree with the walk. */
	frc = cpio_find(data, size, name, &e, err, sizeof err);
	REQUIRE(terminated(err, sizeof err));
	if (matches >= 2) {
		REQUIRE(frc == -ERR_EXIST);
	} else if (walk_rc < 0) {
		REQUIRE(frc == walk_rc);
	} else if (matches == 1) {
		REQUIRE(frc == 0 && err[0] == '\0');
		check_entry(&e, data, size);
		REQUIRE(same_name(&e, name) && (e.mode & CPIO_MODE_TYPE) == CPIO_MODE_REG);
	} else {
		REQUIRE(frc == -ERR_NOENT);
	}
	if (frc != 0)
		REQUIRE(failed_cleanly(frc, err, &e));
	return 0;
}
