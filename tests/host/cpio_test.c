/*
 * Host unit tests for kernel/cpio.c.
 *
 * Archives are written in memory by a small newc writer below (the layout of
 * Linux's usr/gen_init_cpio.c: "070701", 13 fields of 8 hex digits, name and
 * data each padded to 4 bytes), then copied into exact-size malloc'd buffers
 * so ASan catches any read past the end.
 */
#include "kernel/cpio.h"
#include "tests/host/check.h"

#include <pagoda/errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_DIR 0040755u
#define S_REG 0100644u
#define S_EXE 0100755u
#define S_LNK 0120777u

/* ------------------------------------------------------------- writer -- */

struct ar {
	uint8_t p[1 << 16];
	size_t len;
	unsigned ino;
	int upper; /* write hex digits in upper case */
};

static void ar_bytes(struct ar *a, const void *b, size_t n)
{
	if (a->len + n > sizeof a->p)
		abort();
	if (n == 0)
		return;
	memcpy(a->p + a->len, b, n);
	a->len += n;
}

static void ar_pad(struct ar *a)
{
	static const uint8_t zero[4];
	ar_bytes(a, zero, (4 - (a->len & 3)) & 3);
}

/* A header with explicit filesize and namesize (which may lie). */
static void ar_header(struct ar *a, uint32_t mode, uint32_t filesize, uint32_t namesize)
{
	char h[CPIO_HEADER_SIZE + 1];
	snprintf(h, sizeof h,
		 a->upper ? "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X"
			  : "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
		 ++a->ino, mode, 0u, 0u, 1u, 0x65000000u, filesize, 0u, 0u, 0u, 0u, namesize, 0u);
	ar_bytes(a, h, CPIO_HEADER_SIZE);
}

/* Appends an entry; returns its offset. */
static size_t ar_add(struct ar *a, const char *name, uint32_t mode, const void *data, size_t size)
{
	size_t at = a->len;
	ar_header(a, mode, (uint32_t)size, (uint32_t)strlen(name) + 1);
	ar_bytes(a, name, strlen(name) + 1);
	ar_pad(a);
	ar_bytes(a, data, size);
	ar_pad(a);
	return at;
}

static size_t ar_trailer(struct ar *a)
{
	return ar_add(a, "TRAILER!!!", 0, NULL, 0);
}

/* Zero padding up to a multiple of 512, as cpio(1) writes. */
static void ar_block(struct ar *a)
{
	static const uint8_t zero[512];
	ar_bytes(a, zero, (512 - (a->len & 511)) & 511);
}

static const char INIT_DATA[] = "\177ELF pretend init";
static const char HELLO_DATA[] = "hello, world\n";

/* The standard archive: ".", "bin/", "bin/init", "hello", "empty", a symlink.
 * Offsets of entries are returned through at[] (7 entries with the trailer). */
static struct ar std_ar;
static size_t std_at[7];

static void std_archive(void)
{
	struct ar *a = &std_ar;
	memset(a, 0, sizeof *a);
	std_at[0] = ar_add(a, ".", S_DIR, NULL, 0);
	std_at[1] = ar_add(a, "bin", S_DIR, NULL, 0);
	std_at[2] = ar_add(a, "bin/init", S_EXE, INIT_DATA, sizeof INIT_DATA - 1);
	std_at[3] = ar_add(a, "hello", S_REG, HELLO_DATA, sizeof HELLO_DATA - 1);
	std_at[4] = ar_add(a, "empty", S_REG, NULL, 0);
	std_at[5] = ar_add(a, "link", S_LNK, "hello", 5);
	std_at[6] = ar_trailer(a);
	ar_block(a);
}

/* ------------------------------------------------------------ helpers -- */

static struct cpio_entry ent;
static char err[256];

static uint8_t *exact(const void *b, size_t n)
{
	uint8_t *c = malloc(n ? n : 1);
	if (c == NULL)
		abort();
	memcpy(c, b, n);
	return c;
}

static int zeroed(const struct cpio_entry *e)
{
	return e->name == NULL && e->namelen == 0 && e->data == NULL && e->size == 0 &&
	       e->mode == 0;
}

/* Checks the contract's invariants after a call that returned rc on
 * archive b[0..len): a violation fails the running test. */
static void contract(int rc, const struct cpio_entry *e, const uint8_t *b, size_t len)
{
	if (memchr(err, '\0', sizeof err) == NULL) {
		check_failed(__FILE__, __LINE__, "err not NUL-terminated");
		return;
	}
	if (rc == 1 || (rc == 0 && e->name != NULL)) {
		const uint8_t *n = (const uint8_t *)e->name, *d = e->data;
		if (err[0] != '\0')
			check_failed(__FILE__, __LINE__, "err not empty on success");
		if (n < b || n > b + len || e->namelen >= (size_t)(b + len - n) ||
		    n[e->namelen] != 0 || memchr(n, 0, e->namelen) != NULL)
			check_failed(__FILE__, __LINE__, "bad name");
		if (d < b || d > b + len || e->size > (size_t)(b + len - d) || ((d - b) & 3))
			check_failed(__FILE__, __LINE__, "bad data range");
		if (d < n + e->namelen + 1)
			check_failed(__FILE__, __LINE__, "data before the end of the name");
	} else if (rc == 0) {
		if (err[0] != '\0' || !zeroed(e))
			check_failed(__FILE__, __LINE__, "trailer: entry not zeroed or err set");
	} else {
		if (rc < -ERR_DEAD)
			check_failed(__FILE__, __LINE__, "return code out of range");
		if (strncmp(err, "cpio: ", 6) != 0 || err[6] == '\0')
			check_failed(__FILE__, __LINE__, "message does not start with 'cpio: '");
		if (!zeroed(e))
			check_failed(__FILE__, __LINE__, "entry not zeroed on failure");
	}
}

static int next(const uint8_t *b, size_t len, size_t *cursor)
{
	size_t before = *cursor;
	int rc;
	memset(err, 'X', sizeof err);
	memset(&ent, 0xa5, sizeof ent);
	rc = cpio_next(b, len, cursor, &ent, err, sizeof err);
	contract(rc, &ent, b, len);
	if (rc == 1 && (*cursor <= before || *cursor > len || (*cursor & 3)))
		check_failed(__FILE__, __LINE__, "cursor did not advance to an aligned position");
	if (rc != 1 && *cursor != before)
		check_failed(__FILE__, __LINE__, "cursor moved without an entry");
	return rc;
}

static int find(const uint8_t *b, size_t len, const char *name)
{
	int rc;
	memset(err, 'X', sizeof err);
	memset(&ent, 0xa5, sizeof ent);
	rc = cpio_find(b, len, name, &ent, err, sizeof err);
	contract(rc == 0 ? 1 : rc, &ent, b, len);
	if (rc == 0 && ((ent.mode & CPIO_MODE_TYPE) != CPIO_MODE_REG || strcmp(ent.name, name) != 0))
		check_failed(__FILE__, __LINE__, "found the wrong entry");
	return rc;
}

/* Walks the whole archive: the number of entries before the trailer, or the
 * negative code that stopped the walk. */
static int walk(const uint8_t *b, size_t len)
{
	size_t cur = 0;
	int n = 0, rc;
	while ((rc = next(b, len, &cur)) == 1)
		if (++n > 100000)
			return -9999;
	return rc < 0 ? rc : n;
}

/* Runs fn-like checks on an exact-size copy of a. */
static uint8_t *copy(const struct ar *a)
{
	return exact(a->p, a->len);
}

/* Overwrites field k (0..12) of the header at off with 8 characters. */
static void set_field(struct ar *a, size_t off, unsigned k, const char *eight)
{
	memcpy(a->p + off + 6 + 8 * k, eight, 8);
}

/* -------------------------------------------------------------- tests -- */

static void t_iterate(void)
{
	static const struct {
		const char *name;
		uint32_t mode;
		const char *data;
	} want[] = {
		{ ".", S_DIR, "" },        { "bin", S_DIR, "" },
		{ "bin/init", S_EXE, INIT_DATA }, { "hello", S_REG, HELLO_DATA },
		{ "empty", S_REG, "" },    { "link", S_LNK, "hello" },
	};
	uint8_t *b;
	size_t cur = 0, i;
	std_archive();
	b = copy(&std_ar);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		CHECK_EQ(next(b, std_ar.len, &cur), 1);
		CHECK(strcmp(ent.name, want[i].name) == 0);
		CHECK_EQ(ent.namelen, strlen(want[i].name));
		CHECK_EQ(ent.mode, want[i].mode);
		CHECK_EQ(ent.size, strlen(want[i].data));
		CHECK(memcmp(ent.data, want[i].data, ent.size) == 0);
		CHECK_EQ(cur, i + 1 < ARRAY_SIZE(want) ? std_at[i + 1] : std_at[6]);
	}
	CHECK_EQ(next(b, std_ar.len, &cur), 0);
	CHECK_EQ(cur, std_at[6]);
	CHECK_EQ(next(b, std_ar.len, &cur), 0); /* again: still the trailer */
	CHECK_EQ(cur, std_at[6]);
	free(b);
	CHECK(!check_failing());
}

static void t_find(void)
{
	uint8_t *b;
	std_archive();
	b = copy(&std_ar);
	CHECK_EQ(find(b, std_ar.len, "hello"), 0);
	CHECK_EQ(ent.size, sizeof HELLO_DATA - 1);
	CHECK(memcmp(ent.data, HELLO_DATA, ent.size) == 0);
	CHECK_EQ(ent.mode, S_REG);
	CHECK_EQ(find(b, std_ar.len, "bin/init"), 0);
	CHECK(memcmp(ent.data, INIT_DATA, sizeof INIT_DATA - 1) == 0);
	CHECK_EQ((const uint8_t *)ent.data - b, std_at[2] + 112 + 8); /* header+name padded */
	CHECK_EQ(find(b, std_ar.len, "empty"), 0);
	CHECK_EQ(ent.size, 0);
	CHECK_EQ(err[0], '\0');
	free(b);
	CHECK(!check_failing());
}

static void t_find_misses(void)
{
	static const char *const names[] = { "bin", ".", "link", "TRAILER!!!", "hell", "hello2",
					     "", "/hello", "./hello", "bin/", "Hello" };
	uint8_t *b;
	size_t i;
	std_archive();
	b = copy(&std_ar);
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		CHECK_EQ(find(b, std_ar.len, names[i]), -ERR_NOENT);
		CHECK(strstr(err, "no regular file named") != NULL);
	}
	CHECK_EQ(find(b, std_ar.len, "bin"), -ERR_NOENT);
	CHECK_EQ(strcmp(err, "cpio: no regular file named 'bin'"), 0);
	free(b);
	CHECK(!check_failing());
}

static void t_bad_magic(void)
{
	static const char *const magics[] = { "070702", "070707", "070700", "170701", "\0\0\0\0\0\0",
					      "07070" };
	uint8_t *b;
	size_t i;
	for (i = 0; i < ARRAY_SIZE(magics); i++) {
		std_archive();
		memcpy(std_ar.p, magics[i], 6);
		b = copy(&std_ar);
		CHECK_EQ(walk(b, std_ar.len), -ERR_BADFORMAT);
		CHECK(strstr(err, "bad magic") != NULL);
		CHECK_EQ(find(b, std_ar.len, "hello"), -ERR_BADFORMAT);
		free(b);
	}
	/* in a later entry: the message names its offset */
	std_archive();
	memcpy(std_ar.p + std_at[3], "070707", 6);
	b = copy(&std_ar);
	CHECK_EQ(walk(b, std_ar.len), -ERR_BADFORMAT);
	CHECK_EQ(strcmp(err, "cpio: entry at offset 0x170: bad magic '070707' (newc archives "
			     "start each entry with '070701')"),
		 0);
	CHECK_EQ(find(b, std_ar.len, "bin/init"), -ERR_BADFORMAT); /* even before the damage */
	free(b);
}

static void t_bad_hex(void)
{
	static const char *const fields[] = { "ino", "mode", "uid", "gid", "nlink", "mtime",
					      "filesize", "devmajor", "devminor", "rdevmajor",
					      "rdevminor", "namesize", "check" };
	static const char *const bad[] = { "0000000g", "0x000001", " 0000001", "0000001 ",
					   "-0000001", "0000\0" "001" };
	uint8_t *b;
	unsigned k;
	size_t i;
	for (k = 0; k < 13; k++) {
		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			char want[64];
			std_archive();
			set_field(&std_ar, std_at[3], k, bad[i]);
			b = copy(&std_ar);
			CHECK_EQ(walk(b, std_ar.len), -ERR_BADFORMAT);
			snprintf(want, sizeof want, "field %s has a non-hex digit", fields[k]);
			CHECK(strstr(err, want) != NULL);
			free(b);
		}
	}
	std_archive();
	set_field(&std_ar, std_at[3], 6, "0000000G");
	b = copy(&std_ar);
	CHECK_EQ(walk(b, std_ar.len), -ERR_BADFORMAT);
	CHECK_EQ(strcmp(err, "cpio: entry at offset 0x170: field filesize has a non-hex digit "
			     "'G' (byte 0x47)"),
		 0);
	free(b);
	/* upper- and mixed-case digits are fine */
	std_archive();
	set_field(&std_ar, std_at[3], 1, "000081A4");
	set_field(&std_ar, std_at[3], 5, "DeadBeeF");
	b = copy(&std_ar);
	CHECK_EQ(walk(b, std_ar.len), 6);
	CHECK_EQ(find(b, std_ar.len, "hello"), 0);
	CHECK_EQ(ent.mode, 0100644);
	free(b);
}

static void t_upper_writer(void)
{
	struct ar *a = &std_ar;
	uint8_t *b;
	memset(a, 0, sizeof *a);
	a->upper = 1;
	ar_add(a, "init", 0100755, "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5", 11);
	ar_trailer(a);
	b = copy(a);
	CHECK_EQ(find(b, a->len, "init"), 0);
	CHECK_EQ(ent.size, 11);
	CHECK_EQ(ent.mode, 0100755);
	free(b);
}

static void t_name_termination(void)
{
	uint8_t *b;
	char hex[9];
	/* namesize one short: the byte at namesize - 1 is 'o', not NUL */
	std_archive();
	snprintf(hex, sizeof hex, "%08x", 5u);
	set_field(&std_ar, std_at[3], 11, hex);
	b = copy(&std_ar);
	CHECK_EQ(walk(b, std_ar.len), -ERR_BADFORMAT);
	CHECK_EQ(strcmp(err, "cpio: entry at offset 0x170: name 'hello' is not NUL-terminated at "
			     "namesize - 1 (0x4)"),
		 0);
	free(b);
	/* namesize one longer, so that namesize - 1 is the zero padding byte:
	 * the name's own NUL comes too early */
	std_archive();
	snprintf(hex, sizeof hex, "%08x", 10u);
	set_field(&std_ar, std_at[2], 11, hex);
	b = copy(&std_ar);
	CHECK_EQ(walk(b, std_ar.len), -ERR_BADFORMAT);
	CHECK(strstr(err, "name 'bin/init' ends at byte 0x8, before namesize - 1 (0x9)") != NULL);
	free(b);
	/* namesize 0 */
	std_archive();
	set_field(&std_ar, std_at[3], 11, "00000000");
	b = copy(&std_ar);
	CHECK_EQ(walk(b, std_ar.len), -ERR_BADFORMAT);
	CHECK(strstr(err, "namesize is 0") != NULL);
	free(b);
	/* namesize 1: an empty name is accepted */
	memset(&std_ar, 0, sizeof std_ar);
	ar_add(&std_ar, "", S_REG, "x", 1);
	ar_trailer(&std_ar);
	b = copy(&std_ar);
	CHECK_EQ(walk(b, std_ar.len), 1);
	CHECK_EQ(find(b, std_ar.len, ""), 0);
	CHECK_EQ(ent.namelen, 0);
	free(b);
}

static void t_runs_past(void)
{
	uint8_t *b;
	size_t len;
	/* the last entry's data runs past the end (no trailer follows) */
	memset(&std_ar, 0, sizeof std_ar);
	ar_add(&std_ar, "a", S_REG, "1234", 4);
	len = std_ar.len;
	set_field(&std_ar, 0, 6, "00000005");
	b = copy(&std_ar);
	CHECK_EQ(walk(b, len), -ERR_TRUNCATED);
	CHECK_EQ(strcmp(err, "cpio: entry at offset 0x0: data 0x5 bytes runs past the archive "
			     "(0x74 bytes)"),
		 0);
	free(b);
	/* filesize 0xffffffff inside a complete archive */
	std_archive();
	set_field(&std_ar, std_at[3], 6, "ffffffff");
	b = copy(&std_ar);
	CHECK_EQ(walk(b, std_ar.len), -ERR_TRUNCATED);
	CHECK(strstr(err, "data 0xffffffff bytes runs past") != NULL);
	CHECK_EQ(find(b, std_ar.len, "bin/init"), -ERR_TRUNCATED);
	free(b);
	/* namesize 0xffffffff */
	std_archive();
	set_field(&std_ar, std_at[3], 11, "FFFFFFFF");
	b = copy(&std_ar);
	CHECK_EQ(walk(b, std_ar.len), -ERR_TRUNCATED);
	CHECK(strstr(err, "name 0xffffffff bytes runs past") != NULL);
	free(b);
	/* data padding missing at the very end */
	memset(&std_ar, 0, sizeof std_ar);
	ar_add(&std_ar, "a", S_REG, "12345", 5);
	b = copy(&std_ar);
	CHECK_EQ(walk(b, std_ar.len - 3), -ERR_TRUNCATED);
	CHECK(strstr(err, "padding after the data") != NULL);
	free(b);
	/* name padding missing at the very end */
	memset(&std_ar, 0, sizeof std_ar);
	ar_add(&std_ar, "a", S_REG, NULL, 0); /* 110 + 2 = 112: no padding needed */
	ar_add(&std_ar, "abc", S_REG, "z", 1); /* 110 + 4 = 114: 2 bytes of padding */
	b = copy(&std_ar);
	CHECK_EQ(walk(b, 112 + 114), -ERR_TRUNCATED);
	CHECK(strstr(err, "entry at offset 0x70: padding after the name") != NULL);
	free(b);
}

static void t_missing_trailer(void)
{
	uint8_t *b;
	std_archive();
	b = copy(&std_ar);
	CHECK_EQ(walk(b, std_at[6]), -ERR_TRUNCATED); /* cut exactly before the trailer */
	CHECK_EQ(strcmp(err, "cpio: archive ends at offset 0x2e4 without a TRAILER!!! entry "
			     "(truncated?)"),
		 0);
	CHECK_EQ(find(b, std_at[6], "hello"), -ERR_TRUNCATED); /* present, yet refused */
	CHECK_EQ(walk(b, 0), -ERR_TRUNCATED);
	CHECK_EQ(find(b, 0, "hello"), -ERR_TRUNCATED);
	free(b);
	/* a name that is almost the trailer's is an ordinary entry */
	memset(&std_ar, 0, sizeof std_ar);
	ar_add(&std_ar, "TRAILER!!", S_REG, NULL, 0);
	ar_add(&std_ar, "TRAILER!!!!", S_REG, NULL, 0);
	ar_trailer(&std_ar);
	b = copy(&std_ar);
	CHECK_EQ(walk(b, std_ar.len), 2);
	free(b);
}

static void t_prefixes(void)
{
	uint8_t *full;
	size_t n, end;
	std_archive();
	full = copy(&std_ar);
	end = std_at[6] + CPIO_HEADER_SIZE + 11; /* the trailer's name ends here */
	for (n = 0; n <= std_ar.len && !check_failing(); n++) {
		uint8_t *c = exact(full, n);
		int w = walk(c, n), f = find(c, n, "link");
		free(c);
		if (w != (n < end ? -ERR_TRUNCATED : 6) || f != (n < end ? -ERR_TRUNCATED : -ERR_NOENT)) {
			char why[80];
			snprintf(why, sizeof why, "prefix %zu: walk %d find %d", n, w, f);
			check_failed(__FILE__, __LINE__, why);
		}
	}
	free(full);
	CHECK(!check_failing());
}

static void t_padding(void)
{
	static const char data[] = "0123456789abcdef";
	char name[16];
	unsigned nl, dl;
	uint8_t *b;
	memset(&std_ar, 0, sizeof std_ar);
	for (nl = 1; nl <= 9; nl++)
		for (dl = 0; dl <= 8; dl++) {
			snprintf(name, sizeof name, "%.*s", (int)nl, "nnnnnnnnnnnn");
			name[0] = (char)('0' + dl);
			ar_add(&std_ar, name, S_REG, data, dl);
		}
	ar_trailer(&std_ar);
	b = copy(&std_ar);
	CHECK_EQ(walk(b, std_ar.len), 81);
	for (nl = 1; nl <= 9; nl++)
		for (dl = 0; dl <= 8; dl++) {
			snprintf(name, sizeof name, "%.*s", (int)nl, "nnnnnnnnnnnn");
			name[0] = (char)('0' + dl);
			CHECK_EQ(find(b, std_ar.len, name), 0);
			CHECK_EQ(ent.size, dl);
			CHECK(memcmp(ent.data, data, dl) == 0);
		}
	free(b);
	CHECK(!check_failing());
}

static void t_duplicates(void)
{
	uint8_t *b;
	size_t second;
	memset(&std_ar, 0, sizeof std_ar);
	ar_add(&std_ar, "init", S_REG, "one", 3);
	ar_add(&std_ar, "x", S_REG, NULL, 0);
	second = ar_add(&std_ar, "init", S_EXE, "two", 3);
	ar_trailer(&std_ar);
	b = copy(&std_ar);
	CHECK_EQ(find(b, std_ar.len, "init"), -ERR_EXIST);
	CHECK_EQ(second, 0xe8);
	CHECK_EQ(strcmp(err, "cpio: two regular files named 'init' (entries at offsets 0x0 "
			     "and 0xe8)"),
		 0);
	CHECK_EQ(find(b, std_ar.len, "x"), 0); /* other names are still found */
	free(b);
	/* a directory and a file of one name: the file is found */
	memset(&std_ar, 0, sizeof std_ar);
	ar_add(&std_ar, "etc", S_DIR, NULL, 0);
	ar_add(&std_ar, "etc", S_REG, "file", 4);
	ar_trailer(&std_ar);
	b = copy(&std_ar);
	CHECK_EQ(find(b, std_ar.len, "etc"), 0);
	CHECK_EQ(ent.size, 4);
	free(b);
}

static void t_bad_args(void)
{
	uint8_t *b;
	size_t cur;
	std_archive();
	b = copy(&std_ar);
	cur = 0;
	CHECK_EQ(cpio_next(NULL, std_ar.len, &cur, &ent, err, sizeof err), -ERR_INVAL);
	CHECK_EQ(cpio_next(b, std_ar.len, NULL, &ent, err, sizeof err), -ERR_INVAL);
	CHECK_EQ(cpio_next(b, std_ar.len, &cur, NULL, err, sizeof err), -ERR_INVAL);
	CHECK(strncmp(err, "cpio: ", 6) == 0);
	CHECK_EQ(cpio_find(NULL, std_ar.len, "hello", &ent, err, sizeof err), -ERR_INVAL);
	CHECK_EQ(cpio_find(b, std_ar.len, NULL, &ent, err, sizeof err), -ERR_INVAL);
	CHECK_EQ(cpio_find(b, std_ar.len, "hello", NULL, err, sizeof err), -ERR_INVAL);
	cur = std_ar.len + 4;
	CHECK_EQ(next(b, std_ar.len, &cur), -ERR_INVAL);
	CHECK(strstr(err, "is not an entry position") != NULL);
	cur = 2;
	CHECK_EQ(next(b, std_ar.len, &cur), -ERR_INVAL);
	cur = SIZE_MAX;
	CHECK_EQ(next(b, std_ar.len, &cur), -ERR_INVAL);
	free(b);
}

static void t_messages(void)
{
	uint8_t *b;
	char small[24];
	size_t n, cur;
	std_archive();
	b = copy(&std_ar);
	for (n = 1; n < sizeof small; n++) {
		memset(small, '#', sizeof small);
		CHECK_EQ(cpio_find(b, std_ar.len, "nope", &ent, small, n), -ERR_NOENT);
		CHECK_EQ(strlen(small), n - 1);
		CHECK(n == sizeof small - 1 || small[n] == '#');
		CHECK(strncmp(small, "cpio: no regular file named 'nope'", n - 1) == 0);
	}
	memset(small, '#', sizeof small);
	CHECK_EQ(cpio_find(b, std_ar.len, "nope", &ent, small, 0), -ERR_NOENT);
	CHECK_EQ(small[0], '#');
	CHECK_EQ(cpio_find(b, std_ar.len, "nope", &ent, NULL, 64), -ERR_NOENT);
	strcpy(small, "stale");
	CHECK_EQ(cpio_find(b, std_ar.len, "hello", &ent, small, sizeof small), 0);
	CHECK_EQ(small[0], '\0');
	cur = 0;
	strcpy(small, "stale");
	CHECK_EQ(cpio_next(b, std_ar.len, &cur, &ent, small, sizeof small), 1);
	CHECK_EQ(small[0], '\0');
	free(b);
	/* long and unprintable names are shortened and made safe */
	{
		char longname[200];
		memset(longname, 'a', sizeof longname - 1);
		longname[sizeof longname - 1] = '\0';
		longname[1] = '\n';
		std_archive();
		b = copy(&std_ar);
		CHECK_EQ(find(b, std_ar.len, longname), -ERR_NOENT);
		CHECK(strstr(err, "'a?aaa") != NULL);
		CHECK(strstr(err, "aaa...'") != NULL);
		CHECK_EQ(strlen(err), strlen("cpio: no regular file named '") + 64 + 4);
		free(b);
	}
}

static void t_trailer_edges(void)
{
	uint8_t *b;
	size_t len;
	/* a trailer without its padding, at the very end */
	memset(&std_ar, 0, sizeof std_ar);
	ar_add(&std_ar, "f", S_REG, "data", 4);
	ar_trailer(&std_ar);
	len = std_ar.len - 3; /* 110 + 11 = 121: drop the 3 padding bytes */
	b = exact(std_ar.p, len);
	CHECK_EQ(walk(b, len), 1);
	CHECK_EQ(find(b, len, "f"), 0);
	free(b);
	/* anything after the trailer is ignored, even garbage */
	memset(&std_ar, 0, sizeof std_ar);
	ar_add(&std_ar, "f", S_REG, "data", 4);
	ar_trailer(&std_ar);
	ar_bytes(&std_ar, "garbage!070701zz", 16);
	b = copy(&std_ar);
	CHECK_EQ(walk(b, std_ar.len), 1);
	CHECK_EQ(find(b, std_ar.len, "f"), 0);
	free(b);
	/* a trailer alone is an empty archive */
	memset(&std_ar, 0, sizeof std_ar);
	ar_trailer(&std_ar);
	b = copy(&std_ar);
	CHECK_EQ(walk(b, std_ar.len), 0);
	CHECK_EQ(find(b, std_ar.len, "f"), -ERR_NOENT);
	free(b);
}

static void t_failure_state(void)
{
	uint8_t *b;
	size_t cur;
	std_archive();
	set_field(&std_ar, std_at[4], 0, "zzzzzzzz");
	b = copy(&std_ar);
	cur = std_at[4];
	CHECK_EQ(next(b, std_ar.len, &cur), -ERR_BADFORMAT); /* next() checks the rest */
	CHECK_EQ(cur, std_at[4]);
	CHECK(zeroed(&ent));
	CHECK_EQ(find(b, std_ar.len, "hello"), -ERR_BADFORMAT); /* found before the damage */
	CHECK(zeroed(&ent));
	free(b);
	CHECK(!check_failing());
}

/* Deterministic random byte mutations of the standard archive: every
 * outcome must honour the contract (checked by next() and find()). */
static void t_mutations(void)
{
	uint64_t x = 0x243f6a8885a308d3ull;
	int round, ok = 0;
	size_t k, len;
	std_archive();
	len = std_at[6] + 124;
	for (round = 0; round < 20000 && !check_failing(); round++) {
		uint8_t *c = exact(std_ar.p, len);
		for (k = 0; k < 1 + (size_t)(round % 3); k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* often a hex digit, so sizes change rather than just break */
			c[(x >> 8) % len] = (x & 1) ? "0123456789abcdef"[(x >> 4) & 15] : (uint8_t)(x >> 40);
		}
		if (walk(c, len) >= 0)
			ok++;
		find(c, len, "hello");
		free(c);
	}
	CHECK(!check_failing());
	CHECK(ok > 100);
}

int main(void)
{
	run_test("CPIO-001", "iterates every entry (directories, '.', symlink) then stops at the trailer", t_iterate);
	run_test("CPIO-002", "finds regular files by exact name with their data", t_find);
	run_test("CPIO-003", "find skips directories, '.', symlinks and near-miss names", t_find_misses);
	run_test("CPIO-004", "refuses a bad magic, in the first or a later entry", t_bad_magic);
	run_test("CPIO-005", "refuses a non-hex digit in each header field; accepts upper case", t_bad_hex);
	run_test("CPIO-006", "reads archives written with upper-case hex (gen_init_cpio style)", t_upper_writer);
	run_test("CPIO-007", "refuses a name not NUL-terminated exactly at namesize - 1", t_name_termination);
	run_test("CPIO-008", "refuses names, data and padding running past the end", t_runs_past);
	run_test("CPIO-009", "refuses a missing trailer (even when the file is present)", t_missing_trailer);
	run_test("CPIO-010", "fails cleanly on every truncated prefix of the archive", t_prefixes);
	run_test("CPIO-011", "handles every name and data padding (lengths 1..9 x 0..8)", t_padding);
	run_test("CPIO-012", "find refuses a regular file named twice; a same-named directory is fine", t_duplicates);
	run_test("CPIO-013", "refuses NULL arguments and a bad cursor", t_bad_args);
	run_test("CPIO-014", "messages are truncated to errlen, terminated and printable", t_messages);
	run_test("CPIO-015", "accepts an unpadded trailer and ignores bytes after it", t_trailer_edges);
	run_test("CPIO-016", "leaves the entry zeroed and the cursor unmoved on failure", t_failure_state);
	run_test("CPIO-017", "honours the contract on 20000 random mutations", t_mutations);
	return test_summary();
}
