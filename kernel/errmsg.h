/*
 * Error-message builder for the pure parsers (kernel/fdt.c, kernel/elf.c,
 * kernel/cpio.c), which the kernel, user space and the host tests all link.
 *
 * A message is built left to right into a caller's buffer of cap bytes:
 *   - buf == NULL or cap == 0: every call is a no-op (the caller wants no text);
 *   - otherwise buf always holds a NUL-terminated string of len < cap bytes,
 *     from errmsg_init() on and after every call;
 *   - text that does not fit is dropped: a message is truncated, never
 *     written past buf[cap - 1], and once full it stays as it is until the
 *     next errmsg_begin().
 *
 * Freestanding C11: no libc, no globals, no recursion, no allocation, no
 * tables of pointers (correct at any address, relocated or not).
 */
#ifndef KERNEL_ERRMSG_H
#define KERNEL_ERRMSG_H

#include "kernel/types.h"

struct errmsg {
	char *buf;  /* the caller's buffer, or NULL */
	size_t cap; /* its size in bytes, NUL included */
	size_t len; /* bytes written so far, NUL excluded */
};

/* Takes buf (cap bytes, either may be NULL/0) and makes it the empty string. */
void errmsg_init(struct errmsg *m, char *buf, size_t cap);

/* Starts a new message: drops what was written, then appends prefix. */
void errmsg_begin(struct errmsg *m, const char *prefix);

/* Appends one character. */
void errmsg_chr(struct errmsg *m, char ch);

/* Appends the C string s. */
void errmsg_str(struct errmsg *m, const char *s);

/* Appends at most n bytes of s, stopping early at a NUL (s need not have one). */
void errmsg_strn(struct errmsg *m, const char *s, size_t n);

/* Appends v in lowercase hexadecimal with a "0x" prefix, no leading zeros ("0x0"). */
void errmsg_hex(struct errmsg *m, uint64_t v);

/* Appends v in decimal, no leading zeros ("0"). */
void errmsg_dec(struct errmsg *m, uint64_t v);

#endif
