/*
 * Process start and end: __pagoda_init (called by crt0), _exit (which
 * picolibc's exit() calls after atexit handlers and destructors), panics,
 * and picolibc's assert()/abort() routed to them.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <pagoda/runtime.h>

__attribute__((weak)) const char *progname = "user";

static long bootstrap_handle = HANDLE_NONE;
static const struct pg_process_info *info_page;

extern void __libc_init_array(void);

void __pagoda_init(long bootstrap, const void *info)
{
	bootstrap_handle = bootstrap;
	info_page = info;
	__libc_init_array(); /* constructors */
}

long runtime_bootstrap_handle(void)
{
	return bootstrap_handle;
}

const struct pg_process_info *runtime_info(void)
{
	return info_page;
}

/*
 * Ends the calling thread with `status`; the kernel ends the process when
 * its last thread exits, with that thread's status as the exit code.
 */
void _exit(int status)
{
	console_flush();
	pg_thread_exit(status);
	for (;;)
		__builtin_trap(); /* thread_exit does not return */
}

void pg_panic(const char *fmt, ...)
{
	va_list ap;

	console_end_line(); /* the message starts its own line */
	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	_exit(PANIC_EXIT_STATUS);
}

/* picolibc's assert() calls this. */
void __assert_func(const char *file, int line, const char *func, const char *expr)
{
	pg_panic("%s:%d: %s: assertion \"%s\" failed", file, line, func ? func : "?", expr);
}

void __assert(const char *file, const char *expr, int line)
{
	__assert_func(file, line, NULL, expr);
}

void abort(void)
{
	pg_panic("abort");
}
