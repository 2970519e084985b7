/*
 * Frame-pointer backtraces (the kernel is built with frame pointers). A
 * RISC-V frame keeps the return address at fp-8 and the caller's fp at
 * fp-16; a leaf function may keep only the fp there, so the first frame's
 * return address can come from the trapped ra instead.
 */
#ifndef KERNEL_BACKTRACE_H
#define KERNEL_BACKTRACE_H

#include "kernel/types.h"

/* Prints pc, then up to 32 callers found from fp; ra is the trapped ra
 * (used when the innermost function saved none). Stops at the first frame
 * pointer that is not 16-byte aligned kernel memory. */
void backtrace_print(uint64_t pc, uint64_t fp, uint64_t ra);

/* Backtrace of the caller. */
void backtrace_print_here(void);

#endif
