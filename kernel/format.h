/*
 * printf-style formatting, with no libc. Pure: also built for host tests.
 * Supports %d %i %u %x %X %o %c %s %p %% with flags '-' '0', a width
 * (number or *), a precision for %s, and length modifiers hh h l ll z.
 */
#ifndef KERNEL_FORMAT_H
#define KERNEL_FORMAT_H

#include <stdarg.h>

#include "kernel/types.h"

/* Receives formatted output one byte at a time. */
typedef void (*format_sink)(void *ctx, char c);

/* Formats to sink; returns the number of bytes produced. */
size_t format_to(format_sink sink, void *ctx, const char *fmt, va_list ap);

/*
 * Formats into buf[0..size), always NUL-terminated when size > 0; returns
 * the length the full output would have had (as C's vsnprintf does).
 */
size_t kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
__attribute__((format(printf, 3, 4))) size_t ksnprintf(char *buf, size_t size, const char *fmt, ...);

#endif
