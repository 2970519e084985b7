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

/*
 * Prints the callers of the function whose frame pointer is frame: the
 * return address at frame[-1] first, then up the chain. frame must belong
 * to a function that calls others (a leaf may save no return address), so
 * use the macro below from such a function.
 */
void backtrace_print_from(const uint64_t *frame);
#define backtrace_print_callers() backtrace_print_from(__builtin_frame_address(0))

#endif
