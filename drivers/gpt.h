/*
 * GUID Partition Table (UEFI 2.x, chapter 5) parser: pure, freestanding C11
 * (no libc, no globals, no allocation), linked by the kernel, user space and
 * the host tests. It reads bytes the caller has fetched; it does no I/O.
 *
 * Use: read LBA 1, gpt_parse_header() it; read gpt_array_sectors(&h) sectors
 * from h.entries_lba, gpt_parse_entries() them; gpt_find() the partition the
 * command line names. gpt_parse_image() does both on the first bytes of a disk
 * held in memory (LBA 0 at offset 0).
 *
 * Only the primary table is read; the backup is not consulted (a damaged
 * primary table is refused, not repaired).
 *
 * Every function returns 0 (or a count / index) on success, else a negative
 * ERR_* code (kernel/uapi/pagoda/errno.h) and, when err != NULL and errlen > 0,
 * a NUL-terminated message "gpt: ..." naming what is wrong (truncated to
 * errlen; on success err is the empty string):
 *   -ERR_INVAL      a NULL argument, a sector size that is not a power of two
 *                   in [512, 65536], an unknown gpt_find() spec;
 *   -ERR_TRUNCATED  fewer bytes than the header or entry array needs;
 *   -ERR_BADFORMAT  bad signature, revision, header size, CRC32, my_lba,
 *                   entry size or count, usable range, array placement, a
 *                   partition with first > last, outside the usable LBAs, or
 *                   overlapping another;
 *   -ERR_RANGE      the table reaches past the disk's last sector;
 *   -ERR_NOSPC      more used partitions than the caller's array holds.
 */
#ifndef DRIVERS_GPT_H
#define DRIVERS_GPT_H

#include <stddef.h>
#include <stdint.h>

#define GPT_HEADER_MIN_SIZE 92u      /* the header's defined fields */
#define GPT_ENTRY_MIN_SIZE 128u      /* entry size: >= this, a multiple of 8 */
#define GPT_ENTRY_MAX_SIZE 4096u
#define GPT_MAX_ENTRIES 4096u        /* entry count bound */
#define GPT_MAX_ARRAY_BYTES (1u << 20) /* entry count * entry size bound */
#define GPT_NAME_MAX 36u             /* UTF-16 code units in a partition name */

/* GUIDs are kept as their 16 on-disk bytes (first three fields little-endian). */
#define GPT_GUID_SIZE 16u

/* 0657FD6D-A4AB-43C4-84E5-0933C84B4F4F, on-disk byte order. */
#define GPT_TYPE_LINUX_SWAP_BYTES                                                          \
	{ 0x6d, 0xfd, 0x57, 0x06, 0xab, 0xa4, 0xc4, 0x43, 0x84, 0xe5, 0x09, 0x33, 0xc8, 0x4b, \
	  0x4f, 0x4f }

/* The validated primary header. */
struct gpt_header {
	uint32_t revision;    /* 0x00010000 */
	uint32_t header_size; /* bytes covered by header_crc */
	uint32_t header_crc;
	uint64_t my_lba;      /* 1 */
	uint64_t alternate_lba;
	uint64_t first_usable_lba;
	uint64_t last_usable_lba; /* inclusive */
	uint8_t disk_guid[GPT_GUID_SIZE];
	uint64_t entries_lba;
	uint32_t num_entries;
	uint32_t entry_size;
	uint32_t entries_crc;
	uint32_t sector_size;  /* as given to gpt_parse_header */
	uint64_t disk_sectors; /* as given to gpt_parse_header */
};

/* One used entry (type GUID not all zero). LBAs are in sector_size units. */
struct gpt_partition {
	uint8_t type[GPT_GUID_SIZE];
	uint8_t guid[GPT_GUID_SIZE]; /* unique partition GUID */
	uint64_t first_lba;
	uint64_t last_lba; /* inclusive */
	uint64_t attrs;
	uint32_t number; /* 1-based slot in the entry array (Linux's sdaN) */
	/* The UTF-16LE name up to its first NUL, as ASCII: a code unit outside
	 * 0x20..0x7e becomes '?' (a surrogate pair one '?'). NUL-terminated. */
	char name[GPT_NAME_MAX + 1];
};

/* Standard CRC-32 (IEEE 802.3, reflected 0xEDB88320, as GPT uses) of n bytes. */
uint32_t gpt_crc32(const void *p, size_t n);

/*
 * Validates the primary header in lba1 (len bytes read from LBA 1; at least
 * header_size of them are needed) on a disk of disk_sectors sectors of
 * sector_size bytes, and fills *out. Checks: signature "EFI PART", revision
 * major 1, 92 <= header_size <= sector_size, header CRC32, my_lba == 1,
 * alternate_lba on the disk and not 1, 2 <= first_usable <= last_usable <
 * disk_sectors, entry size >= 128, a multiple of 8 and <= 4096, entry count
 * <= GPT_MAX_ENTRIES and array bytes <= GPT_MAX_ARRAY_BYTES, and the array on
 * the disk, past LBA 1 and outside the usable LBAs.
 */
int gpt_parse_header(const void *lba1, size_t len, uint32_t sector_size, uint64_t disk_sectors,
		     struct gpt_header *out, char *err, size_t errlen);

/* Bytes and whole sectors of the entry array h describes. */
uint32_t gpt_array_bytes(const struct gpt_header *h);
uint64_t gpt_array_sectors(const struct gpt_header *h);

/*
 * Validates the entry array (len >= gpt_array_bytes(h) bytes read from
 * h->entries_lba; h from gpt_parse_header) and stores its used entries, in
 * slot order, in out[0..max). Checks the array CRC32, and that every used
 * entry has first <= last inside the usable LBAs and overlaps no other.
 * Returns the number of used entries (0 is valid: an empty table).
 */
int gpt_parse_entries(const void *entries, size_t len, const struct gpt_header *h,
		      struct gpt_partition *out, unsigned max, char *err, size_t errlen);

/*
 * Both steps on a disk's first len bytes in memory (LBA 0 at offset 0): the
 * header at offset sector_size, the array at entries_lba * sector_size.
 * Returns the number of used entries. On a failure in the entry array, *h
 * still holds the (valid) header; on any other failure it is zeroed.
 */
int gpt_parse_image(const void *img, size_t len, uint32_t sector_size, uint64_t disk_sectors,
		    struct gpt_header *h, struct gpt_partition *out, unsigned max, char *err,
		    size_t errlen);

/*
 * The index in parts[0..n) of the partition spec names:
 *   "PARTLABEL=name"  the partition named exactly name (case-sensitive);
 *   "TYPE=swap"       the partition of type Linux swap.
 * -ERR_NOENT if none matches, -ERR_EXIST if several do (ambiguous), -ERR_INVAL
 * for a NULL or unknown spec.
 */
int gpt_find(const struct gpt_partition *parts, unsigned n, const char *spec);

/* Writes g as "0657FD6D-A4AB-43C4-84E5-0933C84B4F4F" plus NUL (37 bytes). */
void gpt_guid_format(const uint8_t g[GPT_GUID_SIZE], char out[37]);

#endif
