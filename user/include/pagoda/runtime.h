/*
 * The Pagoda user runtime (libpagoda): what crt0 and the library give every
 * program besides picolibc. See user/README.md.
 */
#ifndef PAGODA_RUNTIME_H
#define PAGODA_RUNTIME_H

#include <pagoda/abi.h>
#include <pagoda/errno.h>
#include <pagoda/syscalls.h>

/* Exit status of pg_panic(), a failed assert() and abort(). */
#define PANIC_EXIT_STATUS 127

/*
 * The program's name, used by pg_panic() and assert(). The runtime's weak
 * default is "user"; a program names itself with a definition of its own:
 *     const char *progname = "hello";
 */
extern const char *progname;

/* What the kernel passed at entry (a0, a1): see <pagoda/abi.h>. */
long runtime_bootstrap_handle(void);               /* HANDLE_BOOTSTRAP or HANDLE_NONE */
const struct pg_process_info *runtime_info(void); /* the page at USER_INFO_PAGE */

/* Prints "PROGNAME: message" on stderr and exits with PANIC_EXIT_STATUS. */
void pg_panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/*
 * Starts a thread of this process running fn(arg) at priority, on the
 * caller's memory [stack, stack + size) (at least 64 bytes; the caller
 * keeps it mapped while the thread lives). It has gp, so it may use
 * globals, but no TLS block: it must not touch errno, malloc or stdio
 * (the runtime is single-threaded). It ends when fn returns. Returns its
 * thread handle, or -ERR_*.
 */
long thread_start(void (*fn)(unsigned long), unsigned long arg, void *stack, unsigned long size,
		  unsigned long priority);

/* Returns rc if it is >= 0, else panics with "what: <error text>". */
static inline long pg_must(long rc, const char *what)
{
	if (rc < 0)
		pg_panic("%s: %s (%ld)", what, err_text(rc), rc);
	return rc;
}

/* The hart's time counter (rdtime: the kernel lets user mode read it), in
 * ticks of pg_sysinfo(SYSINFO_TIMEBASE_HZ). Real time, even under
 * qemu -icount only if sleep is on; on the U74 firmware emulates it. */
static inline unsigned long pg_rdtime(void)
{
	unsigned long t;
	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

/* Writes out the console's partial line (stdout and stderr share it). */
void console_flush(void);
/* Ends a partial line with '\n' (nothing at the start of a line). */
void console_end_line(void);

/* Called by crt0 before main; programs do not call it. */
void __pagoda_init(long bootstrap, const void *info_page);

#endif
