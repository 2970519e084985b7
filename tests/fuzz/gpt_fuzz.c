/*
 * libFuzzer target for drivers/gpt.c:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. -Ikernel/uapi \
 *       tests/fuzz/gpt_fuzz.c drivers/gpt.c kernel/errmsg.c -o /tmp/gpt_fuzz
 *   mkdir -p /tmp/gpt_corpus && head -c 32768 build/test-gpt/disk.img > /tmp/gpt_corpus/disk
 *   /tmp/gpt_fuzz -max_total_time=60 /tmp/gpt_corpus
 * The input is a disk's first bytes (512-byte sectors, LBA 0 at offset 0);
 * its disk size comes from its own header's alternate LBA (+1) or, when the
 * last input byte is odd, from the input's length. When the byte before it is
 * odd, the header and array CRC32s are recomputed in a copy first, so the
 * checks past the CRCs are reached. Beyond the sanitizers, every result is
 * checked against drivers/gpt.h and the two-step API must agree with
 * gpt_parse_image; a violation traps.
 */
#include "drivers/gpt.h"

#include <pagoda/errno.h>
#include <stdlib.h>
#include <string.h>

#define REQUIRE(cond)                      \
	do {                               \
		if (!(cond))               \
			__builtin_trap();  \
	} while (0)

#define SS 512u
#define MAXP 8

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)rd64(p) & 0xffffffffu; /* callers pass 8 readable bytes */
}

static void wr32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static int terminated(const char *s, size_t n)
{
	return memchr(s, 0, n) != NULL;
}

static void check_ok(int n, const struct gpt_header *h, const struct gpt_partition *p,
		     uint64_t disk, const char *err)
{
	REQUIRE(n >= 0 && n <= MAXP && err[0] == '\0');
	REQUIRE(h->my_lba == 1 && h->sector_size == SS && h->disk_sectors == disk);
	REQUIRE(h->first_usable_lba >= 2 && h->first_usable_lba <= h->last_usable_lba);
	REQUIRE(h->last_usable_lba < disk && h->alternate_lba < disk && h->alternate_lba != 1);
	REQUIRE(h->entry_size >= 128 && h->entry_size % 8 == 0 && h->entry_size <= 4096);
	REQUIRE(gpt_array_bytes(h) <= GPT_MAX_ARRAY_BYTES && h->num_entries <= GPT_MAX_ENTRIES);
	REQUIRE(h->entries_lba >= 2 && h->entries_lba + gpt_array_sectors(h) <= disk);
	for (int i = 0; i < n; i++) {
		size_t len = strlen(p[i].name);
		REQUIRE(len <= GPT_NAME_MAX);
		for (size_t k = 0; k < len; k++)
			REQUIRE(p[i].name[k] >= 0x20 && p[i].name[k] < 0x7f);
		REQUIRE(p[i].first_lba <= p[i].last_lba && p[i].first_lba >= h->first_usable_lba &&
			p[i].last_lba <= h->last_usable_lba);
		REQUIRE(p[i].number >= 1 && p[i].number <= h->num_entries);
		REQUIRE(i == 0 || p[i].number > p[i - 1].number);
		for (int j = 0; j < i; j++)
			REQUIRE(p[i].last_lba < p[j].first_lba || p[j].last_lba < p[i].first_lba);
		if (strlen(p[i].name) < 30) {
			char spec[48] = "PARTLABEL=";
			int f;
			strcat(spec, p[i].name);
			f = gpt_find(p, (unsigned)n, spec);
			REQUIRE(f == -ERR_EXIST || (f >= 0 && f < n && strcmp(p[f].name, p[i].name) == 0));
		}
	}
	int f = gpt_find(p, (unsigned)n, "TYPE=swap");
	REQUIRE(f == -ERR_NOENT || f == -ERR_EXIST || (f >= 0 && f < n));
}

static int failed_cleanly(int rc, const char *err)
{
	return (rc == -ERR_INVAL || rc == -ERR_TRUNCATED || rc == -ERR_BADFORMAT ||
		rc == -ERR_RANGE || rc == -ERR_NOSPC) &&
	       strncmp(err, "gpt: ", 5) == 0 && err[5] != '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gpt_header h, h2;
	struct gpt_partition p[MAXP], p2[MAXP];
	char err[200], err2[200];
	uint8_t *img;
	uint64_t disk;
	int n, n2;

	if (size < 2)
		return 0;
	img = malloc(size);
	memcpy(img, data, size);
	if (data[size - 1] & 1 || size < SS + 40)
		disk = size / SS;
	else
		disk = rd64(img + SS + 32) + 1;
	if ((data[size - 2] & 1) && size >= SS + 92) {
		uint32_t hs = rd32(img + SS + 12);
		uint64_t elba = rd64(img + SS + 72);
		uint64_t bytes = (uint64_t)rd32(img + SS + 80) * rd32(img + SS + 84);
		if (elba <= size / SS && bytes <= size - elba * SS)
			wr32(img + SS + 88, gpt_crc32(img + elba * SS, bytes));
		if (hs >= 92 && hs <= SS && hs <= size - SS) {
			wr32(img + SS + 16, 0);
			wr32(img + SS + 16, gpt_crc32(img + SS, hs));
		}
	}

	n = gpt_parse_image(img, size, SS, disk, &h, p, MAXP, err, sizeof err);
	REQUIRE(terminated(err, sizeof err));
	if (n >= 0)
		check_ok(n, &h, p, disk, err);
	else
		REQUIRE(failed_cleanly(n, err));

	/* The two-step API on exact-size copies must agree. */
	if (size > SS) {
		uint8_t *l1 = malloc(size - SS);
		memcpy(l1, img + SS, size - SS);
		n2 = gpt_parse_header(l1, size - SS, SS, disk, &h2, err2, sizeof err2);
		free(l1);
		REQUIRE(terminated(err2, sizeof err2));
		if (n2 != 0) {
			REQUIRE(failed_cleanly(n2, err2) && n == n2 && strcmp(err, err2) == 0);
			REQUIRE(h2.num_entries == 0 && h2.my_lba == 0);
		} else if (h2.entries_lba <= size / SS &&
			   gpt_array_bytes(&h2) <= size - h2.entries_lba * SS) {
			size_t ab = gpt_array_bytes(&h2);
			uint8_t *arr = malloc(ab ? ab : 1);
			memcpy(arr, img + h2.entries_lba * SS, ab);
			n2 = gpt_parse_entries(arr, ab, &h2, p2, MAXP, err2, sizeof err2);
			free(arr);
			REQUIRE(n == n2 && strcmp(err, err2) == 0);
			for (int i = 0; i < n2; i++) /* field by field: padding differs */
				REQUIRE(memcmp(p[i].type, p2[i].type, 16) == 0 &&
					memcmp(p[i].guid, p2[i].guid, 16) == 0 &&
					p[i].first_lba == p2[i].first_lba &&
					p[i].last_lba == p2[i].last_lba && p[i].attrs == p2[i].attrs &&
					p[i].number == p2[i].number && strcmp(p[i].name, p2[i].name) == 0);
		} else {
			REQUIRE(n == -ERR_TRUNCATED);
		}
	}
	free(img);
	return 0;
}
