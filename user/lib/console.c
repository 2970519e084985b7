/*
 * stdin, stdout and stderr for picolibc's tinystdio. stdout and stderr are
 * one stream over pg_debug_write: characters collect in a line buffer that
 * goes out whole on '\n', when full, on fflush() and at exit, so lines from
 * different processes do not interleave mid-line. stdin has no device: EOF.
 *
 * Not thread-safe: one thread per process prints (or callers serialize).
 */
#include <stdio.h>

#include <pagoda/runtime.h>

#define CONSOLE_LINE 256

static char line[CONSOLE_LINE];
static unsigned long used;
static int mid_line; /* the last character written was not '\n' */

void console_flush(void)
{
	if (used) {
		pg_debug_write(line, used);
		used = 0;
	}
}

static int console_put(char c, FILE *f)
{
	(void)f;
	mid_line = c != '\n';
	line[used++] = c;
	if (c == '\n' || used == sizeof line)
		console_flush();
	return (unsigned char)c;
}

void console_end_line(void)
{
	if (mid_line)
		console_put('\n', stdout);
}

static int console_fflush(FILE *f)
{
	(void)f;
	console_flush();
	return 0;
}

static int console_get(FILE *f)
{
	(void)f;
	return _FDEV_EOF;
}

static FILE console_out = FDEV_SETUP_STREAM(console_put, NULL, console_fflush, _FDEV_SETUP_WRITE);
static FILE console_in = FDEV_SETUP_STREAM(NULL, console_get, NULL, _FDEV_SETUP_READ);

FILE *const stdin = &console_in;
FILE *const stdout = &console_out;
FILE *const stderr = &console_out;
