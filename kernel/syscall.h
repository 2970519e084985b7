/*
 * System-call entry and the helpers every handler uses. The handlers'
 * prototypes and the dispatch switch are generated from kernel/syscalls.tbl
 * (build/gen/syscall_handlers.h, build/gen/syscall_dispatch.c).
 *
 * Every handler checks all of its arguments before it changes anything
 * (seL4's decode/perform split): a call that returns an error has had no
 * effect.
 */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <arch/context.h>
#include <pagoda/abi.h>
#include <pagoda/syscall_numbers.h>

#include "kernel/types.h"

struct thread;

typedef uint64_t uaddr_t; /* an address in the calling process's user half */

enum access_kind { ACCESS_LOAD, ACCESS_STORE, ACCESS_FETCH };

/* Runs the system call in t's registers and stores its status in a0
 * (unless the call blocked t or ended it). */
void syscall_entry(struct thread *t);

/* Generated: calls the handler a7 names, or returns -ERR_NOSYS. */
long syscall_dispatch(struct user_context *ctx);
extern const char *const syscall_names[SYS_COUNT];

/* A page fault in user mode. Until pagers exist, the process is killed
 * with one line naming it, the thread, the access, the address and pc. */
void user_page_fault(struct thread *t, enum access_kind access, uint64_t addr);

/*
 * The process whose address space a call names: HANDLE_SELF, or a process
 * handle with `rights` (RIGHT_WRITE to change the space, RIGHT_READ to look).
 * NULL with *err set when the handle is bad or the process has ended.
 */
struct process *syscall_target(long process_h, uint32_t rights, long *err);

/*
 * Copies between kernel memory and the current process's user memory.
 * [user, user+len) must lie in the user half; the copy runs with SUM on
 * and recovers from faults. Returns 0 or -ERR_FAULT (then an unknown
 * prefix may have been copied; callers copy in before changing anything).
 */
long copy_from_user(void *dst, uaddr_t user, size_t len);
long copy_to_user(uaddr_t user, const void *src, size_t len);

#endif
