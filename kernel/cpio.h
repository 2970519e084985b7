/*
 * Reader for the boot archive: a cpio "newc" archive (what `cpio -H newc`,
 * Linux's gen_init_cpio and `bsdtar --format newc` write). Pure C, no
 * allocation, no globals: the same file is built into the kernel, the host
 * unit tests and the fuzz target.
 *
 * Format: entries back to back, each
 *   a 110-byte header: "070701" then 13 fields of 8 ASCII hex digits
 *     (ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor
 *      rdevminor namesize check);
 *   the name, namesize bytes including its NUL, then zero padding up to a
 *     multiple of 4 (counted from the archive's start);
 *   the data, filesize bytes, then padding up to a multiple of 4;
 * the last entry is named "TRAILER!!!". Anything after it is ignored.
 *
 * Robustness contract: reads only bytes inside [archive, archive + len),
 * with arithmetic that cannot wrap; every call terminates (cpio_find makes at
 * most len / 112 steps); on malformed input returns a negative ERR_* code
 * with a NUL-terminated message naming what is wrong, e.g.
 *   "cpio: entry at offset 0x1f4: data 0x200 bytes runs past the archive (0x300 bytes)".
 * Error codes: ERR_TRUNCATED when something runs past len (missing trailer
 * included), ERR_BADFORMAT for bad magic, non-hex digits or a badly
 * terminated name, ERR_EXIST for a regular file named twice (cpio_find),
 * ERR_INVAL for NULL arguments or a cursor past len.
 */
#ifndef KERNEL_CPIO_H
#define KERNEL_CPIO_H

#include "kernel/types.h"

#define CPIO_HEADER_SIZE 110u

/* File type bits of cpio_entry.mode (as in st_mode). */
#define CPIO_MODE_TYPE 0170000u
#define CPIO_MODE_REG 0100000u
#define CPIO_MODE_DIR 0040000u

/*
 * One archive member. name and data point into the archive (borrowed: valid
 * as long as the caller's archive is); name is NUL-terminated at name[namelen]
 * and holds no other NUL. data has no alignment beyond the archive's own plus
 * a multiple of 4 from its start.
 */
struct cpio_entry {
	const char *name;
	size_t namelen; /* strlen(name): namesize - 1 */
	const void *data;
	size_t size;    /* filesize */
	uint32_t mode;  /* type and permission bits */
};

/*
 * Reads the entry at *cursor of the archive (len bytes, any alignment).
 * *cursor starts at 0 and must only be a value an earlier call left there.
 * Returns 1 with *out filled and *cursor advanced past the entry and its
 * padding; 0 at the trailer (*out zeroed, *cursor left on the trailer, so
 * calling again returns 0 again); negative on malformed input (*out zeroed,
 * *cursor unchanged, message in err). Every entry type is returned
 * (directories, ".", symlinks, devices). err may be NULL or errlen 0; on
 * success err is "" when errlen > 0.
 */
int cpio_next(const void *archive, size_t len, size_t *cursor, struct cpio_entry *out,
	      char *err, size_t errlen);

/*
 * Finds the regular file (mode & CPIO_MODE_TYPE == CPIO_MODE_REG) whose name
 * is exactly name (a NUL-terminated string; no "./" stripping). Walks the
 * whole archive to its trailer first, so a malformed archive is refused
 * whatever it holds. Returns 0 with *out filled; -ERR_NOENT (with a message)
 * when no regular file has that name; -ERR_EXIST when two do; another
 * negative code when the archive is malformed. *out is zeroed on failure.
 */
int cpio_find(const void *archive, size_t len, const char *name, struct cpio_entry *out,
	      char *err, size_t errlen);

#endif
