/*
 * Host unit tests for drivers/gpt.c and drivers/block_part.c.
 *
 * Tables are written in memory by a small GPT writer below (header at LBA 1,
 * entry array at entries_lba, CRC32s computed unless a test spoils them),
 * then copied into exact-size malloc'd buffers so ASan catches any read past
 * the end. build/test-gpt/disk.img is made by sfdisk (tests/host/gpt_test.mk)
 * with the layout of scripts/mkimage.sh; the expected values below are what
 * `sfdisk -J` reports for it.
 */
#include "drivers/block_part.h"
#include "drivers/gpt.h"
#include "tests/host/check.h"

#include <pagoda/errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIXTURE "build/test-gpt/disk.img"
#define MAXP 16

static const uint8_t swap_type[16] = GPT_TYPE_LINUX_SWAP_BYTES;
/* EFI system partition C12A7328-F81F-11D2-BA4B-00A0C93EC93B, on-disk order. */
static const uint8_t esp_type[16] = { 0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11,
				      0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b };

/* -------------------------------------------------------------- writer -- */

struct ent {
	const uint8_t *type; /* NULL: unused slot */
	uint64_t first, last, attrs;
	const char *name;  /* ASCII, or NULL to use name16 */
	uint16_t name16[36];
};

struct spec {
	uint32_t ss;
	uint64_t disk;
	char sig[8];
	uint32_t rev, hsize;
	uint64_t my, alt, first, last, elba;
	uint32_t nent, esize;
	struct ent e[8]; /* slot i of the array (i < 8) */
	int keep_hcrc, keep_ecrc; /* write hcrc / ecrc as given, not computed */
	uint32_t hcrc, ecrc;
};

static struct spec spec_default(uint32_t ss, uint64_t disk)
{
	struct spec s;
	memset(&s, 0, sizeof s);
	s.ss = ss;
	s.disk = disk;
	memcpy(s.sig, "EFI PART", 8);
	s.rev = 0x00010000;
	s.hsize = 92;
	s.my = 1;
	s.alt = disk - 1;
	s.elba = 2;
	s.nent = 128;
	s.esize = 128;
	s.first = 2 + (128 * 128 + ss - 1) / ss;
	s.last = disk - 1 - (128 * 128 + ss - 1) / ss;
	return s;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* Bytes needed: through the end of the entry array (not sector-rounded). */
static size_t spec_len(const struct spec *s)
{
	size_t end = (size_t)s->elba * s->ss + (size_t)s->nent * s->esize;
	size_t hdr = (size_t)s->ss + (s->hsize > s->ss ? s->hsize : s->ss);
	return end > hdr ? end : hdr;
}

/* The image in a malloc'd buffer of exactly *len = spec_len() bytes. */
static uint8_t *build(const struct spec *s, size_t *len)
{
	size_t n = spec_len(s);
	uint8_t *b = calloc(1, n);
	uint8_t *h = b + s->ss, *a = b + (size_t)s->elba * s->ss;
	if (b == NULL)
		abort();
	for (unsigned i = 0; i < 8 && i < s->nent; i++) {
		const struct ent *e = &s->e[i];
		uint8_t *p = a + (size_t)i * s->esize;
		if (e->type == NULL)
			continue;
		memcpy(p, e->type, 16);
		for (int k = 0; k < 16; k++)
			p[16 + k] = (uint8_t)(0xa0 + i + k);
		put64(p + 32, e->first);
		put64(p + 40, e->last);
		put64(p + 48, e->attrs);
		for (int k = 0; k < 36; k++) {
			uint16_t u = e->name != NULL ? (k < (int)strlen(e->name) ? (uint8_t)e->name[k] : 0)
						     : e->name16[k];
			p[56 + 2 * k] = (uint8_t)u;
			p[57 + 2 * k] = (uint8_t)(u >> 8);
		}
	}
	memcpy(h, s->sig, 8);
	put32(h + 8, s->rev);
	put32(h + 12, s->hsize);
	put64(h + 24, s->my);
	put64(h + 32, s->alt);
	put64(h + 40, s->first);
	put64(h + 48, s->last);
	for (int k = 0; k < 16; k++)
		h[56 + k] = (uint8_t)(0x10 + k);
	put64(h + 72, s->elba);
	put32(h + 80, s->nent);
	put32(h + 84, s->esize);
	put32(h + 88, s->keep_ecrc ? s->ecrc : gpt_crc32(a, (size_t)s->nent * s->esize));
	if (s->hsize > 92 && s->hsize <= s->ss)
		memset(h + 92, 0x5a, s->hsize - 92); /* covered by the CRC */
	put32(h + 16, 0);
	put32(h + 16, s->keep_hcrc ? s->hcrc
				   : gpt_crc32(h, s->hsize >= 92 && s->hsize <= s->ss ? s->hsize : 92));
	*len = n;
	return b;
}

/* Two partitions like scripts/mkimage.sh's, on a disk of s->disk sectors. */
static void add_two(struct spec *s)
{
	s->e[0] = (struct ent){ .type = esp_type, .first = s->first, .last = s->first + 99, .name = "boot" };
	s->e[2] = (struct ent){ .type = swap_type, .first = s->first + 100, .last = s->last, .name = "swap" };
}

static struct spec spec_two(uint32_t ss, uint64_t disk)
{
	struct spec s = spec_default(ss, disk);
	add_two(&s);
	return s;
}

static char err[256];
static struct gpt_header hdr;
static struct gpt_partition parts[MAXP];

static int parse(const struct spec *s)
{
	size_t len;
	uint8_t *b = build(s, &len);
	int rc = gpt_parse_image(b, len, s->ss, s->disk, &hdr, parts, MAXP, err, sizeof err);
	free(b);
	return rc;
}

static int has(const char *needle)
{
	return strstr(err, needle) != NULL && strncmp(err, "gpt: ", 5) == 0;
}

/* --------------------------------------------------------------- tests -- */

static void t_crc(void)
{
	CHECK_EQ(gpt_crc32("123456789", 9), 0xcbf43926u);
	CHECK_EQ(gpt_crc32("", 0), 0);
	CHECK_EQ(gpt_crc32("a", 1), 0xe8b7be43u);
	CHECK_EQ(gpt_crc32("The quick brown fox jumps over the lazy dog", 43), 0x414fa339u);
}

static void check_fixture_parts(const struct gpt_partition *p, int n)
{
	char g[37];
	CHECK_EQ(n, 2);
	CHECK(strcmp(p[0].name, "boot") == 0 && strcmp(p[1].name, "swap") == 0);
	CHECK_EQ(p[0].number, 1);
	CHECK_EQ(p[1].number, 2);
	CHECK_EQ(p[0].first_lba, 2048);
	CHECK_EQ(p[0].last_lba, 2048 + 8192 - 1);
	CHECK_EQ(p[0].attrs, 1u << 2); /* LegacyBIOSBootable */
	CHECK_EQ(p[1].first_lba, 10240);
	CHECK_EQ(p[1].last_lba, 10240 + 4096 - 1);
	CHECK_EQ(p[1].attrs, 0);
	CHECK(memcmp(p[0].type, esp_type, 16) == 0 && memcmp(p[1].type, swap_type, 16) == 0);
	gpt_guid_format(p[1].type, g);
	CHECK(strcmp(g, "0657FD6D-A4AB-43C4-84E5-0933C84B4F4F") == 0);
	gpt_guid_format(p[1].guid, g);
	CHECK(strcmp(g, "5041474F-4441-4000-8000-000000000002") == 0);
	gpt_guid_format(p[0].guid, g);
	CHECK(strcmp(g, "5041474F-4441-4000-8000-000000000001") == 0);
	CHECK_EQ(gpt_find(p, n, "PARTLABEL=swap"), 1);
	CHECK_EQ(gpt_find(p, n, "TYPE=swap"), 1);
	CHECK_EQ(gpt_find(p, n, "PARTLABEL=boot"), 0);
	CHECK_EQ(gpt_find(p, n, "PARTLABEL=Swap"), -ERR_NOENT);
}

static void t_fixture(void)
{
	size_t len;
	uint8_t *b = read_file(FIXTURE, &len);
	char g[37];
	int n;

	CHECK(b != NULL);
	CHECK_EQ(len, 8u << 20);
	n = gpt_parse_image(b, len, 512, len / 512, &hdr, parts, MAXP, err, sizeof err);
	if (n < 0)
		fprintf(stderr, "%s\n", err);
	CHECK(err[0] == '\0');
	check_fixture_parts(parts, n);
	if (check_failing()) {
		free(b);
		return;
	}
	CHECK_EQ(hdr.revision, 0x00010000);
	CHECK_EQ(hdr.header_size, 92);
	CHECK_EQ(hdr.my_lba, 1);
	CHECK_EQ(hdr.alternate_lba, 16383);
	CHECK_EQ(hdr.first_usable_lba, 2048);
	CHECK_EQ(hdr.last_usable_lba, 16350);
	CHECK_EQ(hdr.entries_lba, 2);
	CHECK_EQ(hdr.num_entries, 128);
	CHECK_EQ(hdr.entry_size, 128);
	CHECK_EQ(gpt_array_bytes(&hdr), 16384);
	CHECK_EQ(gpt_array_sectors(&hdr), 32);
	gpt_guid_format(hdr.disk_guid, g);
	CHECK(strcmp(g, "5041474F-4441-4000-8000-000000000000") == 0);
	free(b);
}

/* The two-step API on exact-size copies of LBA 1 and the array. */
static void t_fixture_two_step(void)
{
	size_t len;
	uint8_t *b = read_file(FIXTURE, &len), *l1, *arr;
	struct gpt_header h;
	int n;

	CHECK(b != NULL && len == 8u << 20);
	l1 = malloc(92);
	memcpy(l1, b + 512, 92);
	CHECK_EQ(gpt_parse_header(l1, 92, 512, 16384, &h, err, sizeof err), 0);
	CHECK(err[0] == '\0');
	CHECK_EQ(gpt_parse_header(l1, 91, 512, 16384, &h, err, sizeof err), -ERR_TRUNCATED);
	CHECK(has("header needs 92 bytes, only 91"));
	CHECK_EQ(h.num_entries, 0); /* zeroed on failure */
	CHECK_EQ(gpt_parse_header(l1, 92, 512, 16384, &h, err, sizeof err), 0);
	arr = malloc(gpt_array_bytes(&h));
	memcpy(arr, b + h.entries_lba * 512, gpt_array_bytes(&h));
	n = gpt_parse_entries(arr, gpt_array_bytes(&h), &h, parts, MAXP, err, sizeof err);
	check_fixture_parts(parts, n);
	if (check_failing()) {
		free(l1);
		free(arr);
		free(b);
		return;
	}
	CHECK_EQ(gpt_parse_entries(arr, gpt_array_bytes(&h) - 1, &h, parts, MAXP, err, sizeof err),
		 -ERR_TRUNCATED);
	CHECK(has("entry array needs 16384 bytes, only 16383"));
	/* The disk smaller than the table says (an image dd'd to a small disk). */
	CHECK_EQ(gpt_parse_header(l1, 92, 512, 16383, &h, err, sizeof err), -ERR_RANGE);
	CHECK(has("backup header LBA 16383 is past"));
	/* The wrong sector size: LBA 1 of a 4096-byte disk is not where the header is. */
	CHECK_EQ(gpt_parse_image(b, len, 4096, len / 4096, &h, parts, MAXP, err, sizeof err),
		 -ERR_BADFORMAT);
	CHECK(has("bad signature"));
	free(l1);
	free(arr);
	free(b);
}

static void t_fixture_prefixes(void)
{
	size_t len, need = 2 * 512 + 16384;
	uint8_t *b = read_file(FIXTURE, &len);
	CHECK(b != NULL && len > need);
	for (size_t n = 0; n <= need; n++) {
		uint8_t *c = malloc(n ? n : 1);
		int rc;
		memcpy(c, b, n);
		rc = gpt_parse_image(c, n, 512, 16384, &hdr, parts, MAXP, err, sizeof err);
		free(c);
		if (n < need) {
			CHECK_EQ(rc, -ERR_TRUNCATED);
			CHECK(has("truncated?"));
		} else {
			CHECK_EQ(rc, 2);
		}
	}
	free(b);
}

static void t_written(void)
{
	static const uint32_t sizes[] = { 512, 4096 };
	for (unsigned k = 0; k < 2; k++) {
		uint32_t ss = sizes[k];
		struct spec s = spec_two(ss, 100000);
		int n = parse(&s);
		CHECK_EQ(n, 2);
		CHECK(err[0] == '\0');
		CHECK_EQ(parts[0].number, 1);
		CHECK_EQ(parts[1].number, 3); /* slot 2 (slot 1 unused) */
		CHECK_EQ(parts[1].first_lba, s.first + 100);
		CHECK_EQ(parts[1].last_lba, s.last);
		CHECK_EQ(hdr.sector_size, ss);
		CHECK_EQ(gpt_array_sectors(&hdr), ss == 512 ? 32 : 4);
		CHECK_EQ(gpt_find(parts, n, "TYPE=swap"), 1);
		/* Adjacent partitions are fine; first == last is one sector. */
		s.e[0].last = s.e[2].first - 1;
		s.e[1] = (struct ent){ .type = esp_type, .first = s.last, .last = s.last, .name = "x" };
		s.e[2].last = s.last - 1;
		CHECK_EQ(parse(&s), 3);
		/* A bigger header (its extra bytes under the CRC) and entries. */
		s = spec_two(ss, 100000);
		s.hsize = 200;
		s.esize = 256;
		s.nent = 64;
		CHECK_EQ(parse(&s), 2);
		CHECK(strcmp(parts[1].name, "swap") == 0);
		/* An empty table. */
		s = spec_default(ss, 100000);
		CHECK_EQ(parse(&s), 0);
		s.nent = 0;
		CHECK_EQ(parse(&s), 0);
		CHECK_EQ(gpt_find(parts, 0, "TYPE=swap"), -ERR_NOENT);
	}
}

static void t_names(void)
{
	struct spec s = spec_two(512, 100000);
	int n;
	/* "Aé", a surrogate pair (U+1F600), a tab, "Z" then NUL then junk. */
	s.e[0].name = NULL;
	memcpy(s.e[0].name16, (const uint16_t[]){ 'A', 0xe9, 0xd83d, 0xde00, '\t', 'Z', 0, 'q' },
	       8 * sizeof(uint16_t));
	/* 36 units, no NUL. */
	s.e[2].name = "abcdefghijklmnopqrstuvwxyz0123456789";
	n = parse(&s);
	CHECK_EQ(n, 2);
	CHECK(strcmp(parts[0].name, "A?\?\?Z") == 0);
	CHECK(strcmp(parts[1].name, "abcdefghijklmnopqrstuvwxyz0123456789") == 0);
	CHECK_EQ(gpt_find(parts, n, "PARTLABEL=abcdefghijklmnopqrstuvwxyz0123456789"), 1);
	/* A lone high surrogate at the end, and a lone low one. */
	memset(s.e[0].name16, 0, sizeof s.e[0].name16);
	s.e[0].name16[0] = 0xdc00;
	s.e[0].name16[1] = 'b';
	s.e[0].name16[35] = 0;
	for (int i = 2; i < 35; i++)
		s.e[0].name16[i] = 'c';
	s.e[0].name16[35] = 0xd800;
	CHECK_EQ(parse(&s), 2);
	CHECK_EQ(strlen(parts[0].name), 36);
	CHECK(parts[0].name[0] == '?' && parts[0].name[1] == 'b' && parts[0].name[35] == '?');
}

static void t_signature(void)
{
	struct spec s = spec_two(512, 100000);
	memcpy(s.sig, "EFI PARS", 8);
	CHECK_EQ(parse(&s), -ERR_BADFORMAT);
	CHECK(has("bad signature 'EFI PARS'"));
	memcpy(s.sig, "\0\0\0\0\0\0\0\0", 8);
	CHECK_EQ(parse(&s), -ERR_BADFORMAT);
	CHECK(has("bad signature '?\?\?\?\?\?\?\?'"));
	/* A wrong signature is named even in a 3-byte header. */
	CHECK_EQ(gpt_parse_header("EFX", 3, 512, 100, &hdr, err, sizeof err), -ERR_BADFORMAT);
	CHECK(has("'EFX'"));
	CHECK_EQ(gpt_parse_header("EFI", 3, 512, 100, &hdr, err, sizeof err), -ERR_TRUNCATED);
}

static void t_revision_hsize(void)
{
	struct spec s = spec_two(512, 100000);
	s.rev = 0x00020000;
	CHECK_EQ(parse(&s), -ERR_BADFORMAT);
	CHECK(has("revision 0x20000"));
	s.rev = 0x00010001; /* 1.1: accepted */
	CHECK_EQ(parse(&s), 2);
	s = spec_two(512, 100000);
	s.hsize = 91;
	CHECK_EQ(parse(&s), -ERR_BADFORMAT);
	CHECK(has("header size 91"));
	s.hsize = 513;
	CHECK_EQ(parse(&s), -ERR_BADFORMAT);
	CHECK(has("header size 513"));
	s.hsize = 512;
	CHECK_EQ(parse(&s), 2);
}

static void t_header_crc(void)
{
	struct spec s = spec_two(512, 100000);
	size_t len;
	uint8_t *b = build(&s, &len);
	int bad = 0;
	CHECK_EQ(gpt_parse_image(b, len, 512, s.disk, &hdr, parts, MAXP, err, sizeof err), 2);
	for (size_t i = 0; i < 92; i++) {
		uint8_t *c = malloc(len);
		int rc;
		memcpy(c, b, len);
		c[512 + i] ^= 0x04;
		rc = gpt_parse_image(c, len, 512, s.disk, &hdr, parts, MAXP, err, sizeof err);
		free(c);
		if (i >= 8 && i < 16)
			continue; /* revision / header size: refused before the CRC */
		if (rc == -ERR_BADFORMAT && has("header: CRC32"))
			bad++;
		else if (i < 8 && rc == -ERR_BADFORMAT && has("bad signature"))
			bad++;
	}
	CHECK_EQ(bad, 92 - 8);
	/* A byte past header_size is not covered. */
	b[512 + 92] ^= 0xff;
	CHECK_EQ(gpt_parse_image(b, len, 512, s.disk, &hdr, parts, MAXP, err, sizeof err), 2);
	free(b);
	s.keep_hcrc = 1;
	s.hcrc = 0x12345678;
	CHECK_EQ(parse(&s), -ERR_BADFORMAT);
	CHECK(has("CRC32 0x12345678 does not match"));
}

static void t_entries_crc(void)
{
	struct spec s = spec_two(512, 100000);
	size_t len;
	uint8_t *b = build(&s, &len);
	b[1024 + 128 * 100 + 7] ^= 1; /* an unused slot: still covered */
	CHECK_EQ(gpt_parse_image(b, len, 512, s.disk, &hdr, parts, MAXP, err, sizeof err),
		 -ERR_BADFORMAT);
	CHECK(has("entry array CRC32"));
	free(b);
	s.keep_ecrc = 1;
	s.ecrc = 0;
	CHECK_EQ(parse(&s), -ERR_BADFORMAT);
	CHECK(has("corrupt entries"));
}

static void t_my_lba(void)
{
	static const uint64_t bad[] = { 0, 2, 99999, ~0ull };
	for (unsigned i = 0; i < 4; i++) {
		struct spec s = spec_two(512, 100000);
		s.my = bad[i];
		CHECK_EQ(parse(&s), -ERR_BADFORMAT);
		CHECK(has("my_lba is"));
	}
}

static void t_usable(void)
{
	struct spec s = spec_two(512, 100000);
	s.last = 100000;
	s.e[2].last = 100000;
	CHECK_EQ(parse(&s), -ERR_RANGE);
	CHECK(has("last usable LBA 100000 is past the disk's last sector 99999"));
	s = spec_two(512, 100000);
	s.last = ~0ull;
	CHECK_EQ(parse(&s), -ERR_RANGE);
	s = spec_two(512, 100000);
	s.first = s.last + 1;
	CHECK_EQ(parse(&s), -ERR_BADFORMAT);
	CHECK(has("usable LBAs"));
	s = spec_default(512, 100000);
	s.first = 1;
	CHECK_EQ(parse(&s), -ERR_BADFORMAT);
	s = spec_two(512, 100000);
	s.alt = 100000;
	CHECK_EQ(parse(&s), -ERR_RANGE);
	CHECK(has("backup header LBA 100000"));
	s.alt = 1;
	CHECK_EQ(parse(&s), -ERR_BADFORMAT);
	CHECK(has("is the primary's"));
	/* The same table read as a smaller disk. */
	s = spec_two(512, 100000);
	size_t len;
	uint8_t *b = build(&s, &len);
	CHECK_EQ(gpt_parse_image(b, len, 512, 50000, &hdr, parts, MAXP, err, sizeof err), -ERR_RANGE);
	CHECK_EQ(gpt_parse_image(b, len, 512, 0, &hdr, parts, MAXP, err, sizeof err), -ERR_RANGE);
	free(b);
}

static void t_entry_size(void)
{
	static const uint32_t bad[] = { 0, 1, 8, 120, 127, 129, 130, 132, 4104, 0x10000u }; /* 0x10000: huge, and cheap to build */
	static const uint32_t good[] = { 128, 136, 256, 4096 };
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct spec s = spec_default(512, 100000);
		s.esize = bad[i];
		s.nent = 4;
		CHECK_EQ(parse(&s), -ERR_BADFORMAT);
		CHECK(has("entry size"));
	}
	for (unsigned i = 0; i < sizeof good / sizeof good[0]; i++) {
		struct spec s = spec_default(512, 100000);
		s.esize = good[i];
		s.nent = 8;
		s.first = 2 + (8 * good[i] + 511) / 512;
		add_two(&s);
		CHECK_EQ(parse(&s), 2);
		CHECK(strcmp(parts[1].name, "swap") == 0);
	}
}

static void t_count_array(void)
{
	struct spec s = spec_default(512, 100000);
	size_t len;
	uint8_t hb[512];
	s.nent = 4097;
	/* Only LBA 1 is needed to refuse it: the header API. */
	s.elba = 2;
	s.first = 2000;
	{
		struct spec t = s;
		t.nent = 8; /* build a small array, then patch the count and CRC */
		uint8_t *b = build(&t, &len);
		memcpy(hb, b + 512, 512);
		free(b);
	}
	put32(hb + 80, 4097);
	put32(hb + 16, 0);
	put32(hb + 16, gpt_crc32(hb, 92));
	CHECK_EQ(gpt_parse_header(hb, 512, 512, 100000, &hdr, err, sizeof err), -ERR_BADFORMAT);
	CHECK(has("entry array of 4097 x 128"));
	put32(hb + 80, 0xffffffffu);
	put32(hb + 16, 0);
	put32(hb + 16, gpt_crc32(hb, 92));
	CHECK_EQ(gpt_parse_header(hb, 512, 512, 100000, &hdr, err, sizeof err), -ERR_BADFORMAT);
	put32(hb + 80, 4096);
	put32(hb + 84, 512); /* 2 MiB */
	put32(hb + 16, 0);
	put32(hb + 16, gpt_crc32(hb, 92));
	CHECK_EQ(gpt_parse_header(hb, 512, 512, 100000, &hdr, err, sizeof err), -ERR_BADFORMAT);
	put32(hb + 84, 256); /* exactly 1 MiB: 2048 sectors from LBA 2 < first 2000? no: overlaps */
	put32(hb + 16, 0);
	put32(hb + 16, gpt_crc32(hb, 92));
	CHECK_EQ(gpt_parse_header(hb, 512, 512, 100000, &hdr, err, sizeof err), -ERR_BADFORMAT);
	CHECK(has("entry array LBAs 2..2049 overlap the usable LBAs 2000.."));
	put64(hb + 40, 2050);
	put32(hb + 16, 0);
	put32(hb + 16, gpt_crc32(hb, 92));
	CHECK_EQ(gpt_parse_header(hb, 512, 512, 100000, &hdr, err, sizeof err), 0);
	CHECK_EQ(gpt_array_bytes(&hdr), 1u << 20);

	/* Array placement. */
	s = spec_two(512, 100000);
	s.elba = 1;
	CHECK_EQ(parse(&s), -ERR_BADFORMAT);
	CHECK(has("overlaps the MBR or the header"));
	s.elba = 0;
	CHECK_EQ(parse(&s), -ERR_BADFORMAT);
	s = spec_two(512, 100000);
	s.elba = 99990; /* 32 sectors past the end */
	s.last = 99000;
	s.e[2].last = 99000;
	CHECK_EQ(parse(&s), -ERR_RANGE);
	CHECK(has("runs past the disk's 100000 sectors"));
	s.elba = 99968; /* the backup's place: after the usable LBAs */
	CHECK_EQ(parse(&s), 2);
	s.elba = 1000; /* inside the usable LBAs */
	CHECK_EQ(parse(&s), -ERR_BADFORMAT);
	CHECK(has("overlap the usable LBAs"));
	s.elba = ~0ull - 5;
	s.hsize = 92;
	put32(hb, 0);
	CHECK_EQ(gpt_parse_image((uint8_t[1024]){ 0 }, 1024, 512, 100, &hdr, parts, MAXP, err,
				 sizeof err),
		 -ERR_BADFORMAT);
}

static void t_partitions(void)
{
	struct spec s = spec_two(512, 100000);
	struct spec base = s;
	/* first > last */
	s.e[2].first = s.e[2].last + 1;
	CHECK_EQ(parse(&s), -ERR_BADFORMAT);
	CHECK(has("partition 3 'swap': LBAs") && has("end before they start"));
	/* before first usable, after last usable */
	s = base;
	s.e[0].first = s.first - 1;
	CHECK_EQ(parse(&s), -ERR_BADFORMAT);
	CHECK(has("partition 1 'boot'") && has("outside the usable LBAs"));
	s = base;
	s.e[2].last = s.last + 1;
	CHECK_EQ(parse(&s), -ERR_BADFORMAT);
	s.e[2].last = ~0ull;
	CHECK_EQ(parse(&s), -ERR_BADFORMAT);
	/* overlaps: by one sector, nested, identical, later slot before */
	s = base;
	s.e[0].last = s.e[2].first;
	CHECK_EQ(parse(&s), -ERR_BADFORMAT);
	CHECK(has("partition 1 'boot' (LBAs") && has("and partition 3 'swap'") && has("overlap"));
	s = base;
	s.e[5] = (struct ent){ .type = swap_type, .first = s.first + 10, .last = s.first + 20, .name = "in" };
	CHECK_EQ(parse(&s), -ERR_BADFORMAT);
	CHECK(has("partition 6 'in'"));
	s = base;
	s.e[1] = s.e[2];
	s.e[1].name = "twin";
	CHECK_EQ(parse(&s), -ERR_BADFORMAT);
	s = base;
	s.e[7] = (struct ent){ .type = esp_type, .first = s.first, .last = s.last, .name = "all" };
	CHECK_EQ(parse(&s), -ERR_BADFORMAT);
	/* A zero-type slot with junk LBAs is unused: ignored. */
	s = base;
	s.e[4] = (struct ent){ .type = NULL };
	{
		size_t len;
		uint8_t *b;
		s.keep_ecrc = 0;
		b = build(&s, &len);
		put64(b + 1024 + 4 * 128 + 32, 5);
		put64(b + 1024 + 4 * 128 + 40, 1);
		put32(b + 512 + 88, gpt_crc32(b + 1024, 128 * 128));
		put32(b + 512 + 16, 0);
		put32(b + 512 + 16, gpt_crc32(b + 512, 92));
		CHECK_EQ(gpt_parse_image(b, len, 512, s.disk, &hdr, parts, MAXP, err, sizeof err), 2);
		free(b);
	}
}

static void t_nospc(void)
{
	struct spec s = spec_two(512, 100000);
	size_t len;
	uint8_t *b = build(&s, &len);
	struct gpt_partition one[2];
	CHECK_EQ(gpt_parse_image(b, len, 512, s.disk, &hdr, one, 1, err, sizeof err), -ERR_NOSPC);
	CHECK(has("more than 1 used partitions (partition 3 'swap' has no room)"));
	CHECK_EQ(gpt_parse_image(b, len, 512, s.disk, &hdr, NULL, 0, err, sizeof err), -ERR_NOSPC);
	CHECK_EQ(gpt_parse_image(b, len, 512, s.disk, &hdr, one, 2, err, sizeof err), 2);
	CHECK(strcmp(one[1].name, "swap") == 0);
	free(b);
}

static void t_find(void)
{
	struct gpt_partition p[3];
	memset(p, 0, sizeof p);
	memcpy(p[0].type, esp_type, 16);
	strcpy(p[0].name, "swap");
	memcpy(p[1].type, swap_type, 16);
	strcpy(p[1].name, "swap2");
	memcpy(p[2].type, swap_type, 16);
	strcpy(p[2].name, "");
	CHECK_EQ(gpt_find(p, 3, "PARTLABEL=swap"), 0);
	CHECK_EQ(gpt_find(p, 3, "PARTLABEL=swap2"), 1);
	CHECK_EQ(gpt_find(p, 3, "PARTLABEL=swa"), -ERR_NOENT);
	CHECK_EQ(gpt_find(p, 3, "PARTLABEL=swap22"), -ERR_NOENT);
	CHECK_EQ(gpt_find(p, 3, "PARTLABEL="), 2);
	CHECK_EQ(gpt_find(p, 3, "TYPE=swap"), -ERR_EXIST); /* two: ambiguous */
	CHECK_EQ(gpt_find(p, 2, "TYPE=swap"), 1);
	CHECK_EQ(gpt_find(p, 1, "TYPE=swap"), -ERR_NOENT);
	strcpy(p[1].name, "swap");
	CHECK_EQ(gpt_find(p, 3, "PARTLABEL=swap"), -ERR_EXIST);
	CHECK_EQ(gpt_find(p, 3, "TYPE=swapx"), -ERR_INVAL);
	CHECK_EQ(gpt_find(p, 3, "partlabel=swap"), -ERR_INVAL);
	CHECK_EQ(gpt_find(p, 3, "vda"), -ERR_INVAL);
	CHECK_EQ(gpt_find(p, 3, ""), -ERR_INVAL);
	CHECK_EQ(gpt_find(p, 3, NULL), -ERR_INVAL);
	CHECK_EQ(gpt_find(NULL, 1, "TYPE=swap"), -ERR_INVAL);
	CHECK_EQ(gpt_find(NULL, 0, "TYPE=swap"), -ERR_NOENT);
}

static void t_args_messages(void)
{
	struct spec s = spec_two(512, 100000);
	size_t len;
	uint8_t *b = build(&s, &len);
	char small[12];
	static const uint32_t badss[] = { 0, 256, 511, 513, 1000, 131072 };

	CHECK_EQ(gpt_parse_image(NULL, len, 512, 1, &hdr, parts, MAXP, err, sizeof err), -ERR_INVAL);
	CHECK(has("no image"));
	CHECK_EQ(gpt_parse_image(b, len, 512, 1, NULL, parts, MAXP, err, sizeof err), -ERR_INVAL);
	CHECK_EQ(gpt_parse_header(NULL, 92, 512, 1, &hdr, err, sizeof err), -ERR_INVAL);
	CHECK_EQ(gpt_parse_header(b, 92, 512, 1, NULL, err, sizeof err), -ERR_INVAL);
	CHECK_EQ(gpt_parse_entries(NULL, 1, &hdr, parts, 1, err, sizeof err), -ERR_INVAL);
	CHECK_EQ(gpt_parse_entries(b, len, NULL, parts, 1, err, sizeof err), -ERR_INVAL);
	memset(&hdr, 0, sizeof hdr);
	CHECK_EQ(gpt_parse_entries(b, len, &hdr, parts, 1, err, sizeof err), -ERR_INVAL);
	CHECK(has("not validated"));
	for (unsigned i = 0; i < sizeof badss / sizeof badss[0]; i++) {
		CHECK_EQ(gpt_parse_image(b, len, badss[i], 100000, &hdr, parts, MAXP, err, sizeof err),
			 -ERR_INVAL);
		CHECK(has("sector size"));
	}
	/* Messages truncate, stay terminated; no buffer is fine. */
	s.my = 7;
	free(b);
	b = build(&s, &len);
	CHECK_EQ(gpt_parse_image(b, len, 512, s.disk, &hdr, parts, MAXP, small, sizeof small),
		 -ERR_BADFORMAT);
	CHECK(strcmp(small, "gpt: header") == 0);
	CHECK_EQ(gpt_parse_image(b, len, 512, s.disk, &hdr, parts, MAXP, NULL, 0), -ERR_BADFORMAT);
	CHECK_EQ(gpt_parse_image(b, len, 512, s.disk, &hdr, parts, MAXP, small, 1), -ERR_BADFORMAT);
	CHECK_EQ(small[0], 0);
	CHECK_EQ(hdr.my_lba, 0); /* zeroed on a header failure */
	free(b);
}

/* Every prefix of a written 4096-byte-sector image fails as truncated. */
static void t_prefixes_4k(void)
{
	struct spec s = spec_two(4096, 10000);
	size_t len;
	uint8_t *b = build(&s, &len);
	size_t need = 2 * 4096 + 128 * 128;
	CHECK_EQ(len, need);
	for (size_t n = 0; n <= need; n++) {
		uint8_t *c = malloc(n ? n : 1);
		int rc;
		memcpy(c, b, n);
		rc = gpt_parse_image(c, n, 4096, s.disk, &hdr, parts, MAXP, err, sizeof err);
		free(c);
		CHECK_EQ(rc, n < need ? -ERR_TRUNCATED : 2);
	}
	free(b);
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Random mutations (CRCs refreshed so the deep checks run): the contract holds. */
static void t_mutations(void)
{
	struct spec s = spec_two(512, 100000);
	size_t len;
	uint8_t *b = build(&s, &len);
	int ok = 0, failed = 0;
	for (int it = 0; it < 20000; it++) {
		uint8_t *c = malloc(len);
		int n;
		memcpy(c, b, len);
		for (int k = 1 + (int)(rnd() % 4); k > 0; k--) {
			size_t at = rnd() % 2 ? 512 + rnd() % 92 : 1024 + rnd() % (3 * 128);
			c[at] = (uint8_t)rnd();
		}
		if (rnd() % 8 != 0) {
			put32(c + 512 + 88, gpt_crc32(c + 1024, 128 * 128));
			put32(c + 512 + 16, 0);
			put32(c + 512 + 16, gpt_crc32(c + 512, 92));
		}
		n = gpt_parse_image(c, len, 512, s.disk, &hdr, parts, MAXP, err, sizeof err);
		if (n >= 0) {
			CHECK(n <= MAXP && err[0] == '\0');
			for (int i = 0; i < n; i++) {
				CHECK(parts[i].first_lba <= parts[i].last_lba);
				CHECK(parts[i].first_lba >= hdr.first_usable_lba);
				CHECK(parts[i].last_lba <= hdr.last_usable_lba && hdr.last_usable_lba < s.disk);
				CHECK(strlen(parts[i].name) <= 36);
				for (int j = 0; j < i; j++)
					CHECK(parts[i].last_lba < parts[j].first_lba ||
					      parts[j].last_lba < parts[i].first_lba);
			}
			ok++;
		} else {
			CHECK(strncmp(err, "gpt: ", 5) == 0 && strlen(err) > 10);
			failed++;
		}
		free(c);
	}
	free(b);
	CHECK(ok > 100 && failed > 100);
}

/* ---------------------------------------------------------- block_part -- */

struct fake {
	struct block_dev dev;
	uint8_t data[64 * 512];
	unsigned calls, seen;
	uint64_t seen_sector[16];
	uint32_t seen_count[16];
	enum block_op seen_op[16];
	uint64_t fail_sector; /* a read/write touching it fails with -ERR_IO */
};

static long fake_transfer(struct block_dev *dev, struct block_req *r, unsigned n)
{
	struct fake *f = dev->driver;
	long rc = 0;
	f->calls++;
	for (unsigned i = 0; i < n; i++) {
		if (f->seen < 16) {
			f->seen_sector[f->seen] = r[i].sector;
			f->seen_count[f->seen] = r[i].count;
			f->seen_op[f->seen] = r[i].op;
		}
		f->seen++;
		r[i].status = 0;
		if (r[i].op == BLOCK_FLUSH)
			continue;
		if (r[i].sector + r[i].count > dev->capacity_sectors)
			abort(); /* the window let something through */
		if (f->fail_sector >= r[i].sector && f->fail_sector < r[i].sector + r[i].count)
			r[i].status = -ERR_IO;
		else if (r[i].op == BLOCK_READ)
			memcpy(r[i].buf, f->data + r[i].sector * 512, r[i].count * 512);
		else
			memcpy(f->data + r[i].sector * 512, r[i].buf, r[i].count * 512);
		if (r[i].status != 0 && rc == 0)
			rc = r[i].status;
	}
	return rc;
}

static const struct block_ops fake_ops = { .transfer = fake_transfer };

static void fake_init(struct fake *f)
{
	memset(f, 0, sizeof *f);
	f->dev = (struct block_dev){ .ops = &fake_ops, .name = "fake", .capacity_sectors = 64,
				     .sector_size = 512, .driver = f };
	f->fail_sector = ~0ull;
	for (unsigned i = 0; i < sizeof f->data; i++)
		f->data[i] = (uint8_t)(i / 512);
}

static void t_part_init(void)
{
	static struct fake f;
	struct block_part p;
	fake_init(&f);
	CHECK_EQ(block_part_init(&p, &f.dev, 0, 0, "x"), -ERR_INVAL);
	CHECK_EQ(block_part_init(NULL, &f.dev, 0, 1, "x"), -ERR_INVAL);
	CHECK_EQ(block_part_init(&p, NULL, 0, 1, "x"), -ERR_INVAL);
	CHECK_EQ(block_part_init(&p, &f.dev, 64, 1, "x"), -ERR_RANGE);
	CHECK_EQ(block_part_init(&p, &f.dev, 10, 55, "x"), -ERR_RANGE);
	CHECK_EQ(block_part_init(&p, &f.dev, 1, ~0ull, "x"), -ERR_RANGE);
	CHECK_EQ(block_part_init(&p, &f.dev, ~0ull, 2, "x"), -ERR_RANGE);
	CHECK_EQ(block_part_init(&p, &f.dev, 10, 54, "vda2"), 0);
	CHECK_EQ(p.dev.capacity_sectors, 54);
	CHECK_EQ(p.dev.sector_size, 512);
	CHECK(strcmp(p.dev.name, "vda2") == 0 && !p.dev.read_only);
	CHECK_EQ(block_part_init(&p, &f.dev, 0, 64, NULL), 0);
	CHECK(strcmp(p.dev.name, "fake") == 0);
	CHECK_EQ(f.calls, 0);
}

static void t_part_io(void)
{
	static struct fake f;
	struct block_part p;
	uint8_t buf[4 * 512];
	fake_init(&f);
	CHECK_EQ(block_part_init(&p, &f.dev, 20, 8, "part"), 0);
	CHECK_EQ(block_read(&p.dev, 0, 2, buf, 0x1000), 0);
	CHECK_EQ(f.seen_sector[0], 20);
	CHECK_EQ(f.seen_count[0], 2);
	CHECK(buf[0] == 20 && buf[511] == 20 && buf[512] == 21);
	CHECK_EQ(block_read(&p.dev, 6, 2, buf, 0x1000), 0); /* the last two sectors */
	CHECK(buf[0] == 26 && buf[1023] == 27);
	memset(buf, 0xee, 512);
	CHECK_EQ(block_write(&p.dev, 7, 1, buf, 0x1000), 0);
	CHECK(f.data[27 * 512] == 0xee && f.data[28 * 512] == 28 && f.data[26 * 512] == 26);
	CHECK_EQ(f.calls, 3);
	/* Past the window: refused, the parent never called. */
	CHECK_EQ(block_read(&p.dev, 7, 2, buf, 0x1000), -ERR_RANGE);
	CHECK_EQ(block_read(&p.dev, 8, 1, buf, 0x1000), -ERR_RANGE);
	CHECK_EQ(block_write(&p.dev, ~0ull, 2, buf, 0x1000), -ERR_RANGE);
	CHECK_EQ(block_read(&p.dev, 0, 0xffffffffu, buf, 0x1000), -ERR_RANGE);
	CHECK_EQ(block_read(&p.dev, 0, 0, buf, 0x1000), -ERR_INVAL);
	CHECK_EQ(block_read(&p.dev, 0, 1, NULL, 0x1000), -ERR_INVAL);
	CHECK_EQ(block_rw(&p.dev, (enum block_op)9, 0, 1, buf, 0x1000), -ERR_INVAL);
	CHECK_EQ(f.calls, 3);
	/* Flush passes through. */
	CHECK_EQ(block_flush(&p.dev), 0);
	CHECK_EQ(f.calls, 4);
	CHECK_EQ(f.seen_op[3], BLOCK_FLUSH);
	/* Parent errors come back. */
	f.fail_sector = 23;
	CHECK_EQ(block_read(&p.dev, 2, 2, buf, 0x1000), -ERR_IO);
	CHECK_EQ(block_read(&p.dev, 4, 2, buf, 0x1000), 0);
	/* Read-only parent: writes refused here. */
	f.dev.read_only = true;
	CHECK_EQ(block_part_init(&p, &f.dev, 20, 8, "part"), 0);
	CHECK(p.dev.read_only);
	unsigned calls = f.calls;
	CHECK_EQ(block_write(&p.dev, 0, 1, buf, 0x1000), -ERR_PERM);
	CHECK_EQ(f.calls, calls);
}

static void t_part_batch(void)
{
	static struct fake f;
	struct block_part p;
	uint8_t buf[6][512];
	struct block_req r[6];
	fake_init(&f);
	CHECK_EQ(block_part_init(&p, &f.dev, 40, 10, "part"), 0);
	memset(r, 0, sizeof r);
	for (int i = 0; i < 6; i++)
		r[i] = (struct block_req){ .op = BLOCK_READ, .sector = (uint64_t)i, .count = 1,
					   .buf = buf[i], .buf_pa = 0x1000, .status = 99 };
	r[2].sector = 10; /* past the window */
	r[4].op = BLOCK_FLUSH;
	r[4].sector = 12345;
	CHECK_EQ(block_transfer(&p.dev, r, 6), -ERR_RANGE);
	CHECK_EQ(r[2].status, -ERR_RANGE);
	for (int i = 0; i < 6; i++)
		if (i != 2)
			CHECK_EQ(r[i].status, 0);
	CHECK_EQ(f.calls, 2); /* the runs [0,1] and [3,4,5] */
	CHECK_EQ(f.seen, 5);
	CHECK_EQ(f.seen_sector[0], 40);
	CHECK_EQ(f.seen_sector[1], 41);
	CHECK_EQ(f.seen_sector[2], 43);
	CHECK_EQ(f.seen_sector[3], 12345); /* flush: untouched */
	CHECK_EQ(f.seen_sector[4], 45);
	CHECK(buf[0][0] == 40 && buf[1][0] == 41 && buf[3][0] == 43 && buf[5][0] == 45);
	/* The caller's sectors are as they were. */
	CHECK(r[0].sector == 0 && r[1].sector == 1 && r[2].sector == 10 && r[3].sector == 3 &&
	      r[4].sector == 12345 && r[5].sector == 5);
	/* All good: one parent call; first failure in array order wins. */
	r[2].sector = 2;
	f.fail_sector = 45;
	CHECK_EQ(block_transfer(&p.dev, r, 6), -ERR_IO);
	CHECK_EQ(f.calls, 3);
	CHECK_EQ(r[5].status, -ERR_IO);
	r[0].count = 0;
	CHECK_EQ(block_transfer(&p.dev, r, 6), -ERR_INVAL);
	CHECK_EQ(r[5].status, -ERR_IO);
	CHECK_EQ(block_transfer(&p.dev, r, 0), 0);
	CHECK_EQ(block_transfer(&p.dev, NULL, 1), -ERR_INVAL);
}

int main(void)
{
	run_test("GPT-001", "CRC32 matches the standard check values", t_crc);
	run_test("GPT-002", "parses the sfdisk-made disk (mkimage.sh layout): LBAs, GUIDs, names, find", t_fixture);
	run_test("GPT-003", "two-step API on exact-size LBA 1 and array; too-small disk, wrong sector size", t_fixture_two_step);
	run_test("GPT-004", "every truncated prefix of the sfdisk disk is -ERR_TRUNCATED", t_fixture_prefixes);
	run_test("GPT-005", "parses written tables: 512/4096 sectors, slots, bigger header/entries, empty", t_written);
	run_test("GPT-006", "UTF-16 names: non-ASCII and controls to '?', pairs, 36 units without NUL", t_names);
	run_test("GPT-007", "refuses a bad signature, naming it", t_signature);
	run_test("GPT-008", "refuses revision 2.0 and header sizes outside 92..sector size", t_revision_hsize);
	run_test("GPT-009", "refuses a header with any covered byte changed (header CRC32)", t_header_crc);
	run_test("GPT-010", "refuses a bad entry-array CRC32", t_entries_crc);
	run_test("GPT-011", "refuses my_lba other than 1", t_my_lba);
	run_test("GPT-012", "refuses usable ranges and backup LBAs outside the disk", t_usable);
	run_test("GPT-013", "refuses entry sizes 0, odd, < 128, not a multiple of 8, > 4096", t_entry_size);
	run_test("GPT-014", "refuses huge entry counts and arrays misplaced or past the disk", t_count_array);
	run_test("GPT-015", "refuses partitions reversed, outside usable LBAs, or overlapping", t_partitions);
	run_test("GPT-016", "reports more used partitions than the output holds", t_nospc);
	run_test("GPT-017", "gpt_find: PARTLABEL= exact, TYPE=swap, ambiguity, bad specs", t_find);
	run_test("GPT-018", "refuses NULL args and bad sector sizes; messages truncate", t_args_messages);
	run_test("GPT-019", "every truncated prefix of a 4096-byte-sector table fails cleanly", t_prefixes_4k);
	run_test("GPT-020", "honours the contract on 20000 random mutations", t_mutations);
	run_test("GPT-021", "block_part_init refuses empty or out-of-parent windows", t_part_init);
	run_test("GPT-022", "block_part offsets I/O, refuses past the window before the parent", t_part_io);
	run_test("GPT-023", "block_part batches: runs between refused requests, sectors restored", t_part_batch);
	return test_summary();
}
