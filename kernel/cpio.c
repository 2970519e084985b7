/*
 * cpio "newc" archive reader (see kernel/cpio.h for the contract).
 *
 * Freestanding: no libc, no globals, no recursion, no allocation. Every read
 * is at an offset already checked against len with "a > len || b > len - a"
 * (which cannot wrap); each entry is at least 112 bytes, so cpio_find's walk
 * is bounded by len / 112 steps. Field names for messages live in one string
 * (no tables of pointers: the code is correct at any address, relocated or not).
 */
#include "kernel/cpio.h"
#include "kernel/errmsg.h"
#include "kernel/types.h"
#include <pagoda/errno.h>

#define NFIELDS 13
#define F_MODE 1
#define F_FILESIZE 6
#define F_NAMESIZE 11

#define TRAILER "TRAILER!!!"
#define TRAILER_SIZE 11u /* namesize of the trailer, NUL included */

#define NAME_SHOWN 64 /* at most this many name bytes appear in a message */

/* --------------------------------------------------------------- errors -- */

/* A byte from the archive or the caller: printable ASCII as is, else '?'. */
static void m_safe(struct errmsg *m, char ch)
{
	errmsg_chr(m, ch >= 0x20 && ch < 0x7f ? ch : '?');
}

/* At most NAME_SHOWN bytes of the n-byte s, quoted. */
static void m_name(struct errmsg *m, const char *s, size_t n)
{
	size_t i;
	errmsg_chr(m, '\'');
	for (i = 0; i < n && i < NAME_SHOWN; i++)
		m_safe(m, s[i]);
	if (n > NAME_SHOWN)
		errmsg_str(m, "...");
	errmsg_chr(m, '\'');
}

/* Starts the message over: "cpio: ". */
static void m_begin(struct errmsg *m)
{
	errmsg_begin(m, "cpio: ");
}

/* "cpio: entry at offset 0x...: " */
static void m_entry(struct errmsg *m, size_t pos)
{
	m_begin(m);
	errmsg_str(m, "entry at offset ");
	errmsg_hex(m, pos);
	errmsg_str(m, ": ");
}

/* "cpio: entry at offset 0x...: WHAT runs past the archive (0x... bytes)" */
static int fail_past(struct errmsg *m, size_t pos, const char *what, uint64_t n, size_t len)
{
	m_entry(m, pos);
	errmsg_str(m, what);
	if (n != 0) {
		errmsg_chr(m, ' ');
		errmsg_hex(m, n);
		errmsg_str(m, " bytes");
	}
	errmsg_str(m, " runs past the archive (");
	errmsg_hex(m, len);
	errmsg_str(m, " bytes)");
	return -ERR_TRUNCATED;
}

/* ---------------------------------------------------------------- bytes -- */

/* Names of the header fields, NUL-separated, in header order. */
static const char field_names[] = "ino\0mode\0uid\0gid\0nlink\0mtime\0filesize\0devmajor\0"
				  "devminor\0rdevmajor\0rdevminor\0namesize\0check";

static void m_field(struct errmsg *m, unsigned k)
{
	const char *s = field_names;
	while (k-- > 0)
		while (*s++ != '\0')
			;
	errmsg_str(m, s);
}

static int hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static size_t pad4(size_t x)
{
	return (4 - (x & 3)) & 3;
}

static void clear_entry(struct cpio_entry *out)
{
	out->name = NULL;
	out->namelen = 0;
	out->data = NULL;
	out->size = 0;
	out->mode = 0;
}

/* Field by field: a struct assignment may become a memcpy call. */
static void copy_entry(struct cpio_entry *dst, const struct cpio_entry *src)
{
	dst->name = src->name;
	dst->namelen = src->namelen;
	dst->data = src->data;
	dst->size = src->size;
	dst->mode = src->mode;
}

/* ---------------------------------------------------------------- entry -- */

/*
 * Reads the entry at pos (pos <= len, a multiple of 4). Returns 1 with *out
 * and *next set, 0 at the trailer, or a negative code with a message.
 */
static int read_entry(const uint8_t *b, size_t len, size_t pos, struct cpio_entry *out,
		      size_t *next, struct errmsg *m)
{
	static const char magic[] = "070701";
	uint32_t f[NFIELDS];
	size_t avail = len - pos, name_off, namesize, data_off, size, end;
	const uint8_t *name;
	unsigned k, i;

	if (avail == 0) {
		m_begin(m);
		errmsg_str(m, "archive ends at offset ");
		errmsg_hex(m, pos);
		errmsg_str(m, " without a " TRAILER " entry (truncated?)");
		return -ERR_TRUNCATED;
	}
	for (i = 0; i < 6 && i < avail; i++) {
		if (b[pos + i] != (uint8_t)magic[i]) {
			m_entry(m, pos);
			errmsg_str(m, "bad magic '");
			for (k = 0; k < 6 && k < avail; k++)
				m_safe(m, (char)b[pos + k]);
			errmsg_str(m, "' (newc archives start each entry with '070701')");
			return -ERR_BADFORMAT;
		}
	}
	if (avail < CPIO_HEADER_SIZE)
		return fail_past(m, pos, "header", CPIO_HEADER_SIZE, len);

	for (k = 0; k < NFIELDS; k++) {
		const uint8_t *p = b + pos + 6 + 8 * k;
		uint32_t v = 0;
		for (i = 0; i < 8; i++) {
			int d = hexval(p[i]);
			if (d < 0) {
				m_entry(m, pos);
				errmsg_str(m, "field ");
				m_field(m, k);
				errmsg_str(m, " has a non-hex digit '");
				m_safe(m, (char)p[i]);
				errmsg_str(m, "' (byte ");
				errmsg_hex(m, p[i]);
				errmsg_chr(m, ')');
				return -ERR_BADFORMAT;
			}
			v = (v << 4) | (uint32_t)d;
		}
		f[k] = v;
	}

	namesize = f[F_NAMESIZE];
	name_off = pos + CPIO_HEADER_SIZE; /* <= len: checked above */
	if (namesize == 0) {
		m_entry(m, pos);
		errmsg_str(m, "namesize is 0 (the name needs at least its NUL)");
		return -ERR_BADFORMAT;
	}
	if (namesize > len - name_off)
		return fail_past(m, pos, "name", namesize, len);
	name = b + name_off;
	if (name[namesize - 1] != 0) {
		m_entry(m, pos);
		errmsg_str(m, "name ");
		m_name(m, (const char *)name, namesize);
		errmsg_str(m, " is not NUL-terminated at namesize - 1 (");
		errmsg_hex(m, namesize - 1);
		errmsg_chr(m, ')');
		return -ERR_BADFORMAT;
	}
	for (i = 0; i + 1 < namesize; i++) {
		if (name[i] == 0) {
			m_entry(m, pos);
			errmsg_str(m, "name ");
			m_name(m, (const char *)name, i);
			errmsg_str(m, " ends at byte ");
			errmsg_hex(m, i);
			errmsg_str(m, ", before namesize - 1 (");
			errmsg_hex(m, namesize - 1);
			errmsg_chr(m, ')');
			return -ERR_BADFORMAT;
		}
	}
	if (namesize == TRAILER_SIZE) {
		for (i = 0; i < TRAILER_SIZE && name[i] == (uint8_t)TRAILER[i]; i++)
			;
		if (i == TRAILER_SIZE)
			return 0; /* its padding and data, if any, need not be there */
	}

	end = name_off + namesize; /* <= len */
	if (pad4(end) > len - end)
		return fail_past(m, pos, "padding after the name", 0, len);
	data_off = end + pad4(end);
	size = f[F_FILESIZE];
	if (size > len - data_off)
		return fail_past(m, pos, "data", size, len);
	end = data_off + size;
	if (pad4(end) > len - end)
		return fail_past(m, pos, "padding after the data", 0, len);

	out->name = (const char *)name;
	out->namelen = namesize - 1;
	out->data = b + data_off;
	out->size = size;
	out->mode = f[F_MODE];
	*next = end + pad4(end);
	return 1;
}

static int check_args(const void *archive, size_t len, size_t cursor, struct cpio_entry *out,
		      struct errmsg *m)
{
	if (archive == NULL || out == NULL) {
		m_begin(m);
		errmsg_str(m, archive == NULL ? "no archive" : "no output entry");
		return -ERR_INVAL;
	}
	if (cursor > len || (cursor & 3) != 0) {
		m_begin(m);
		errmsg_str(m, "cursor ");
		errmsg_hex(m, cursor);
		errmsg_str(m, " is not an entry position (archive is ");
		errmsg_hex(m, len);
		errmsg_str(m, " bytes)");
		return -ERR_INVAL;
	}
	return 0;
}

int cpio_next(const void *archive, size_t len, size_t *cursor, struct cpio_entry *out,
	      char *err, size_t errlen)
{
	struct errmsg m;
	size_t next = 0;
	int rc;

	errmsg_init(&m, err, errlen);
	if (out != NULL)
		clear_entry(out);
	if (cursor == NULL) {
		m_begin(&m);
		errmsg_str(&m, "no cursor");
		return -ERR_INVAL;
	}
	rc = check_args(archive, len, *cursor, out, &m);
	if (rc != 0)
		return rc;
	rc = read_entry(archive, len, *cursor, out, &next, &m); /* writes *out only on success */
	if (rc == 1)
		*cursor = next;
	return rc;
}

/* Does the n-byte s equal the C string want? */
static bool name_eq(const char *s, size_t n, const char *want)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (want[i] == '\0' || want[i] != s[i])
			return false;
	return want[n] == '\0';
}

static size_t str_len(const char *s)
{
	size_t n = 0;
	while (s[n] != '\0')
		n++;
	return n;
}

int cpio_find(const void *archive, size_t len, const char *name, struct cpio_entry *out,
	      char *err, size_t errlen)
{
	struct errmsg m;
	struct cpio_entry e = { NULL, 0, NULL, 0, 0 };
	size_t pos = 0, next = 0, found_at = 0;
	bool found = false;
	int rc;

	errmsg_init(&m, err, errlen);
	if (out != NULL)
		clear_entry(out);
	if (name == NULL) {
		m_begin(&m);
		errmsg_str(&m, "no name to find");
		return -ERR_INVAL;
	}
	rc = check_args(archive, len, 0, out, &m);
	if (rc != 0)
		return rc;

	for (;;) {
		rc = read_entry(archive, len, pos, &e, &next, &m);
		if (rc < 0) {
			clear_entry(out);
			return rc;
		}
		if (rc == 0)
			break;
		if ((e.mode & CPIO_MODE_TYPE) == CPIO_MODE_REG && name_eq(e.name, e.namelen, name)) {
			if (found) {
				clear_entry(out);
				m_begin(&m);
				errmsg_str(&m, "two regular files named ");
				m_name(&m, name, e.namelen);
				errmsg_str(&m, " (entries at offsets ");
				errmsg_hex(&m, found_at);
				errmsg_str(&m, " and ");
				errmsg_hex(&m, pos);
				errmsg_chr(&m, ')');
				return -ERR_EXIST;
			}
			found = true;
			found_at = pos;
			copy_entry(out, &e);
		}
		pos = next;
	}
	if (!found) {
		m_begin(&m);
		errmsg_str(&m, "no regular file named ");
		m_name(&m, name, str_len(name));
		return -ERR_NOENT;
	}
	return 0;
}
