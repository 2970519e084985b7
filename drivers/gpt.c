/*
 * GPT parser (see drivers/gpt.h for the contract).
 *
 * Freestanding: no libc, no globals, no recursion, no allocation, no tables
 * of pointers. Every read is at an offset already checked against the
 * caller's length; LBA arithmetic compares by subtraction so nothing wraps.
 */
#include "drivers/gpt.h"
#include "kernel/errmsg.h"
#include "kernel/types.h"
#include <pagoda/errno.h>

#define OFF_SIG 0
#define OFF_REV 8
#define OFF_HSIZE 12
#define OFF_HCRC 16
#define OFF_MY 24
#define OFF_ALT 32
#define OFF_FIRST 40
#define OFF_LAST 48
#define OFF_DGUID 56
#define OFF_ELBA 72
#define OFF_NENT 80
#define OFF_ESIZE 84
#define OFF_ECRC 88

#define E_TYPE 0
#define E_GUID 16
#define E_FIRST 32
#define E_LAST 40
#define E_ATTRS 48
#define E_NAME 56

/* ---------------------------------------------------------------- bytes -- */

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static void copy16(uint8_t *dst, const uint8_t *src)
{
	unsigned i;
	for (i = 0; i < GPT_GUID_SIZE; i++)
		dst[i] = src[i];
}

static bool is_zero16(const uint8_t *p)
{
	unsigned i;
	for (i = 0; i < GPT_GUID_SIZE; i++)
		if (p[i] != 0)
			return false;
	return true;
}

static bool eq16(const uint8_t *a, const uint8_t *b)
{
	unsigned i;
	for (i = 0; i < GPT_GUID_SIZE; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

static uint32_t crc_update(uint32_t c, const uint8_t *p, size_t n)
{
	size_t i;
	unsigned k;
	for (i = 0; i < n; i++) {
		c ^= p[i];
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
	}
	return c;
}

uint32_t gpt_crc32(const void *p, size_t n)
{
	return ~crc_update(0xffffffffu, p, n);
}

/* --------------------------------------------------------------- errors -- */

static void m_begin(struct errmsg *m)
{
	errmsg_begin(m, "gpt: ");
}

static void m_safe(struct errmsg *m, char ch)
{
	errmsg_chr(m, ch >= 0x20 && ch < 0x7f ? ch : '?');
}

/* "gpt: header: " */
static void m_hdr(struct errmsg *m)
{
	m_begin(m);
	errmsg_str(m, "header: ");
}

/* "partition N 'name'" */
static void m_part(struct errmsg *m, const struct gpt_partition *p)
{
	errmsg_str(m, "partition ");
	errmsg_dec(m, p->number);
	errmsg_str(m, " '");
	errmsg_str(m, p->name);
	errmsg_chr(m, '\'');
}

static int fail_trunc(struct errmsg *m, const char *what, uint64_t need, size_t have)
{
	m_begin(m);
	errmsg_str(m, what);
	errmsg_str(m, " needs ");
	errmsg_dec(m, need);
	errmsg_str(m, " bytes, only ");
	errmsg_dec(m, have);
	errmsg_str(m, " given (truncated?)");
	return -ERR_TRUNCATED;
}

static void clear_header(struct gpt_header *h)
{
	volatile uint8_t *p = (volatile uint8_t *)h; /* volatile: no memset call */
	size_t i;
	for (i = 0; i < sizeof *h; i++)
		p[i] = 0;
}

static bool sector_size_ok(uint32_t s)
{
	return s >= 512 && s <= 65536 && (s & (s - 1)) == 0;
}

/* --------------------------------------------------------------- header -- */

uint32_t gpt_array_bytes(const struct gpt_header *h)
{
	return h->num_entries * h->entry_size; /* <= GPT_MAX_ARRAY_BYTES once validated */
}

uint64_t gpt_array_sectors(const struct gpt_header *h)
{
	uint64_t b = gpt_array_bytes(h);
	return (b + h->sector_size - 1) / h->sector_size;
}

static int check_header(const uint8_t *b, size_t len, uint32_t ss, uint64_t disk,
			struct gpt_header *h, struct errmsg *m)
{
	static const char sig[] = "EFI PART";
	uint64_t bytes, secs, arr_end;
	uint32_t crc;
	unsigned i;

	for (i = 0; i < 8 && i < len; i++) {
		if (b[i] != (uint8_t)sig[i]) {
			m_hdr(m);
			errmsg_str(m, "bad signature '");
			for (i = 0; i < 8 && i < len; i++)
				m_safe(m, (char)b[i]);
			errmsg_str(m, "' (want 'EFI PART'; not a GPT disk?)");
			return -ERR_BADFORMAT;
		}
	}
	if (len < GPT_HEADER_MIN_SIZE)
		return fail_trunc(m, "header", GPT_HEADER_MIN_SIZE, len);

	h->revision = le32(b + OFF_REV);
	h->header_size = le32(b + OFF_HSIZE);
	h->header_crc = le32(b + OFF_HCRC);
	if (h->revision >> 16 != 1) {
		m_hdr(m);
		errmsg_str(m, "revision ");
		errmsg_hex(m, h->revision);
		errmsg_str(m, " is not 1.x (0x00010000)");
		return -ERR_BADFORMAT;
	}
	if (h->header_size < GPT_HEADER_MIN_SIZE || h->header_size > ss) {
		m_hdr(m);
		errmsg_str(m, "header size ");
		errmsg_dec(m, h->header_size);
		errmsg_str(m, " is outside 92..");
		errmsg_dec(m, ss);
		errmsg_str(m, " (the sector size)");
		return -ERR_BADFORMAT;
	}
	if (len < h->header_size)
		return fail_trunc(m, "header", h->header_size, len);

	crc = crc_update(0xffffffffu, b, OFF_HCRC);
	crc = crc_update(crc, (const uint8_t *)"\0\0\0\0", 4);
	crc = ~crc_update(crc, b + OFF_HCRC + 4, h->header_size - (OFF_HCRC + 4));
	if (crc != h->header_crc) {
		m_hdr(m);
		errmsg_str(m, "CRC32 ");
		errmsg_hex(m, h->header_crc);
		errmsg_str(m, " does not match the computed ");
		errmsg_hex(m, crc);
		errmsg_str(m, " (corrupt header)");
		return -ERR_BADFORMAT;
	}

	h->my_lba = le64(b + OFF_MY);
	h->alternate_lba = le64(b + OFF_ALT);
	h->first_usable_lba = le64(b + OFF_FIRST);
	h->last_usable_lba = le64(b + OFF_LAST);
	copy16(h->disk_guid, b + OFF_DGUID);
	h->entries_lba = le64(b + OFF_ELBA);
	h->num_entries = le32(b + OFF_NENT);
	h->entry_size = le32(b + OFF_ESIZE);
	h->entries_crc = le32(b + OFF_ECRC);
	h->sector_size = ss;
	h->disk_sectors = disk;

	if (h->my_lba != 1) {
		m_hdr(m);
		errmsg_str(m, "my_lba is ");
		errmsg_dec(m, h->my_lba);
		errmsg_str(m, ", not 1 (a backup header, or the wrong sector size?)");
		return -ERR_BADFORMAT;
	}
	if (h->alternate_lba == 1 || h->alternate_lba >= disk) {
		m_hdr(m);
		errmsg_str(m, "backup header LBA ");
		errmsg_dec(m, h->alternate_lba);
		if (h->alternate_lba == 1) {
			errmsg_str(m, " is the primary's");
			return -ERR_BADFORMAT;
		}
		errmsg_str(m, " is past the disk's last sector ");
		errmsg_dec(m, disk - (disk != 0));
		errmsg_str(m, " (table made for a bigger disk?)");
		return -ERR_RANGE;
	}
	if (h->first_usable_lba < 2 || h->first_usable_lba > h->last_usable_lba) {
		m_hdr(m);
		errmsg_str(m, "usable LBAs ");
		errmsg_dec(m, h->first_usable_lba);
		errmsg_str(m, "..");
		errmsg_dec(m, h->last_usable_lba);
		errmsg_str(m, " are not a range starting past LBA 1");
		return -ERR_BADFORMAT;
	}
	if (h->last_usable_lba >= disk) {
		m_hdr(m);
		errmsg_str(m, "last usable LBA ");
		errmsg_dec(m, h->last_usable_lba);
		errmsg_str(m, " is past the disk's last sector ");
		errmsg_dec(m, disk - 1);
		errmsg_str(m, " (table made for a bigger disk?)");
		return -ERR_RANGE;
	}
	if (h->entry_size < GPT_ENTRY_MIN_SIZE || h->entry_size % 8 != 0 ||
	    h->entry_size > GPT_ENTRY_MAX_SIZE) {
		m_hdr(m);
		errmsg_str(m, "entry size ");
		errmsg_dec(m, h->entry_size);
		errmsg_str(m, " is not a multiple of 8 in 128..4096");
		return -ERR_BADFORMAT;
	}
	bytes = (uint64_t)h->num_entries * h->entry_size;
	if (h->num_entries > GPT_MAX_ENTRIES || bytes > GPT_MAX_ARRAY_BYTES) {
		m_hdr(m);
		errmsg_str(m, "entry array of ");
		errmsg_dec(m, h->num_entries);
		errmsg_str(m, " x ");
		errmsg_dec(m, h->entry_size);
		errmsg_str(m, " bytes exceeds the bound (4096 entries, 1 MiB)");
		return -ERR_BADFORMAT;
	}
	secs = (bytes + ss - 1) / ss;
	if (h->entries_lba < 2) {
		m_hdr(m);
		errmsg_str(m, "entry array LBA ");
		errmsg_dec(m, h->entries_lba);
		errmsg_str(m, " overlaps the MBR or the header");
		return -ERR_BADFORMAT;
	}
	if (h->entries_lba >= disk || secs > disk - h->entries_lba) {
		m_hdr(m);
		errmsg_str(m, "entry array at LBA ");
		errmsg_dec(m, h->entries_lba);
		errmsg_str(m, " (");
		errmsg_dec(m, secs);
		errmsg_str(m, " sectors) runs past the disk's ");
		errmsg_dec(m, disk);
		errmsg_str(m, " sectors");
		return -ERR_RANGE;
	}
	arr_end = h->entries_lba + secs; /* <= disk: no wrap */
	if (secs != 0 && arr_end > h->first_usable_lba && h->entries_lba <= h->last_usable_lba) {
		m_hdr(m);
		errmsg_str(m, "entry array LBAs ");
		errmsg_dec(m, h->entries_lba);
		errmsg_str(m, "..");
		errmsg_dec(m, arr_end - 1);
		errmsg_str(m, " overlap the usable LBAs ");
		errmsg_dec(m, h->first_usable_lba);
		errmsg_str(m, "..");
		errmsg_dec(m, h->last_usable_lba);
		return -ERR_BADFORMAT;
	}
	return 0;
}

int gpt_parse_header(const void *lba1, size_t len, uint32_t sector_size, uint64_t disk_sectors,
		     struct gpt_header *out, char *err, size_t errlen)
{
	struct errmsg m;
	int rc;

	errmsg_init(&m, err, errlen);
	if (out != NULL)
		clear_header(out);
	if (lba1 == NULL || out == NULL) {
		m_begin(&m);
		errmsg_str(&m, lba1 == NULL ? "no header bytes" : "no output header");
		return -ERR_INVAL;
	}
	if (!sector_size_ok(sector_size)) {
		m_begin(&m);
		errmsg_str(&m, "sector size ");
		errmsg_dec(&m, sector_size);
		errmsg_str(&m, " is not a power of two in 512..65536");
		return -ERR_INVAL;
	}
	rc = check_header(lba1, len, sector_size, disk_sectors, out, &m);
	if (rc != 0)
		clear_header(out);
	return rc;
}

/* -------------------------------------------------------------- entries -- */

/* The UTF-16LE name (72 bytes) as ASCII; see struct gpt_partition. */
static void read_name(char *dst, const uint8_t *src)
{
	unsigned i, o = 0;
	for (i = 0; i < GPT_NAME_MAX; i++) {
		unsigned u = (unsigned)src[2 * i] | (unsigned)src[2 * i + 1] << 8;
		if (u == 0)
			break;
		if (u >= 0xd800 && u < 0xdc00 && i + 1 < GPT_NAME_MAX) {
			unsigned v = (unsigned)src[2 * i + 2] | (unsigned)src[2 * i + 3] << 8;
			if (v >= 0xdc00 && v < 0xe000)
				i++; /* a surrogate pair: one character */
		}
		dst[o++] = u >= 0x20 && u < 0x7f ? (char)u : '?';
	}
	while (o <= GPT_NAME_MAX)
		dst[o++] = '\0';
}

int gpt_parse_entries(const void *entries, size_t len, const struct gpt_header *h,
		      struct gpt_partition *out, unsigned max, char *err, size_t errlen)
{
	struct errmsg m;
	const uint8_t *b = entries;
	uint32_t bytes, crc, i;
	unsigned n = 0, j;

	errmsg_init(&m, err, errlen);
	if (entries == NULL || h == NULL || (out == NULL && max != 0)) {
		m_begin(&m);
		errmsg_str(&m, entries == NULL ? "no entry bytes" : h == NULL ? "no header" : "no output array");
		return -ERR_INVAL;
	}
	if (h->entry_size < GPT_ENTRY_MIN_SIZE || h->entry_size > GPT_ENTRY_MAX_SIZE ||
	    h->num_entries > GPT_MAX_ENTRIES) {
		m_begin(&m);
		errmsg_str(&m, "header not validated by gpt_parse_header");
		return -ERR_INVAL;
	}
	bytes = gpt_array_bytes(h);
	if (len < bytes)
		return fail_trunc(&m, "entry array", bytes, len);
	crc = gpt_crc32(b, bytes);
	if (crc != h->entries_crc) {
		m_begin(&m);
		errmsg_str(&m, "entry array CRC32 ");
		errmsg_hex(&m, h->entries_crc);
		errmsg_str(&m, " does not match the computed ");
		errmsg_hex(&m, crc);
		errmsg_str(&m, " (corrupt entries)");
		return -ERR_BADFORMAT;
	}

	for (i = 0; i < h->num_entries; i++) {
		const uint8_t *e = b + (size_t)i * h->entry_size;
		struct gpt_partition p;

		if (is_zero16(e + E_TYPE))
			continue;
		copy16(p.type, e + E_TYPE);
		copy16(p.guid, e + E_GUID);
		p.first_lba = le64(e + E_FIRST);
		p.last_lba = le64(e + E_LAST);
		p.attrs = le64(e + E_ATTRS);
		p.number = i + 1;
		read_name(p.name, e + E_NAME);

		if (p.first_lba > p.last_lba || p.first_lba < h->first_usable_lba ||
		    p.last_lba > h->last_usable_lba) {
			m_begin(&m);
			m_part(&m, &p);
			errmsg_str(&m, ": LBAs ");
			errmsg_dec(&m, p.first_lba);
			errmsg_str(&m, "..");
			errmsg_dec(&m, p.last_lba);
			errmsg_str(&m, p.first_lba > p.last_lba ? " end before they start"
								: " are outside the usable LBAs ");
			if (p.first_lba <= p.last_lba) {
				errmsg_dec(&m, h->first_usable_lba);
				errmsg_str(&m, "..");
				errmsg_dec(&m, h->last_usable_lba);
			}
			return -ERR_BADFORMAT;
		}
		for (j = 0; j < n; j++) {
			if (p.first_lba <= out[j].last_lba && out[j].first_lba <= p.last_lba) {
				m_begin(&m);
				m_part(&m, &out[j]);
				errmsg_str(&m, " (LBAs ");
				errmsg_dec(&m, out[j].first_lba);
				errmsg_str(&m, "..");
				errmsg_dec(&m, out[j].last_lba);
				errmsg_str(&m, ") and ");
				m_part(&m, &p);
				errmsg_str(&m, " (LBAs ");
				errmsg_dec(&m, p.first_lba);
				errmsg_str(&m, "..");
				errmsg_dec(&m, p.last_lba);
				errmsg_str(&m, ") overlap");
				return -ERR_BADFORMAT;
			}
		}
		if (n == max) {
			m_begin(&m);
			errmsg_str(&m, "more than ");
			errmsg_dec(&m, max);
			errmsg_str(&m, " used partitions (");
			m_part(&m, &p);
			errmsg_str(&m, " has no room)");
			return -ERR_NOSPC;
		}
		/* Field by field: a struct assignment may become a memcpy call. */
		copy16(out[n].type, p.type);
		copy16(out[n].guid, p.guid);
		out[n].first_lba = p.first_lba;
		out[n].last_lba = p.last_lba;
		out[n].attrs = p.attrs;
		out[n].number = p.number;
		for (j = 0; j <= GPT_NAME_MAX; j++)
			out[n].name[j] = p.name[j];
		n++;
	}
	return (int)n;
}

int gpt_parse_image(const void *img, size_t len, uint32_t sector_size, uint64_t disk_sectors,
		    struct gpt_header *h, struct gpt_partition *out, unsigned max, char *err,
		    size_t errlen)
{
	struct errmsg m;
	const uint8_t *b = img;
	uint64_t off;
	int rc;

	errmsg_init(&m, err, errlen);
	if (img == NULL || h == NULL) {
		if (h != NULL)
			clear_header(h);
		m_begin(&m);
		errmsg_str(&m, img == NULL ? "no image" : "no output header");
		return -ERR_INVAL;
	}
	if (!sector_size_ok(sector_size)) /* refuses it with its message */
		return gpt_parse_header(img, len, sector_size, disk_sectors, h, err, errlen);
	if (len <= sector_size) {
		clear_header(h);
		return fail_trunc(&m, "image (LBA 1)", (uint64_t)sector_size + GPT_HEADER_MIN_SIZE, len);
	}
	rc = gpt_parse_header(b + sector_size, len - sector_size, sector_size, disk_sectors, h, err,
			      errlen);
	if (rc != 0)
		return rc;
	if (h->entries_lba > len / sector_size)
		return fail_trunc(&m, "entry array", h->entries_lba * sector_size + gpt_array_bytes(h),
				  len);
	off = h->entries_lba * sector_size; /* <= len */
	if (gpt_array_bytes(h) > len - off)
		return fail_trunc(&m, "entry array", off + gpt_array_bytes(h), len);
	return gpt_parse_entries(b + off, len - off, h, out, max, err, errlen);
}

/* ----------------------------------------------------------------- find -- */

/* If s starts with prefix, the rest of s; else NULL. */
static const char *after(const char *s, const char *prefix)
{
	while (*prefix != '\0')
		if (*s++ != *prefix++)
			return NULL;
	return s;
}

static bool str_eq(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

int gpt_find(const struct gpt_partition *parts, unsigned n, const char *spec)
{
	static const uint8_t swap[GPT_GUID_SIZE] = GPT_TYPE_LINUX_SWAP_BYTES;
	const char *label = NULL;
	int found = -ERR_NOENT;
	unsigned i;

	if (spec == NULL || (parts == NULL && n != 0))
		return -ERR_INVAL;
	label = after(spec, "PARTLABEL=");
	if (label == NULL && !str_eq(spec, "TYPE=swap"))
		return -ERR_INVAL;
	for (i = 0; i < n; i++) {
		bool hit = label != NULL ? str_eq(parts[i].name, label) : eq16(parts[i].type, swap);
		if (!hit)
			continue;
		if (found >= 0)
			return -ERR_EXIST;
		found = (int)i;
	}
	return found;
}

void gpt_guid_format(const uint8_t g[GPT_GUID_SIZE], char out[37])
{
	/* Byte order of the text: the first three fields are little-endian. */
	static const uint8_t order[GPT_GUID_SIZE] = { 3, 2, 1, 0, 5, 4, 7, 6,
						      8, 9, 10, 11, 12, 13, 14, 15 };
	static const char hex[] = "0123456789ABCDEF";
	unsigned i, o = 0;

	for (i = 0; i < GPT_GUID_SIZE; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[g[order[i]] >> 4];
		out[o++] = hex[g[order[i]] & 15];
	}
	out[o] = '\0';
}
