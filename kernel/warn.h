/*
 * WARN_ON(cond): report a broken expectation that the kernel can survive.
 * Like Linux's WARN, it is an ebreak plus an entry in the __warn_table
 * section; the trap handler prints the place, condition, registers and a
 * backtrace, then resumes after the ebreak. Evaluates to cond.
 */
#ifndef KERNEL_WARN_H
#define KERNEL_WARN_H

#include "kernel/types.h"

struct trap_frame;

struct warn_entry {
	uint64_t pc;
	const char *file;
	const char *condition;
	uint64_t line;
};

#define WARN_ON(cond)                                                           \
	({                                                                      \
		bool warn_hit_ = !!(cond);                                      \
		if (warn_hit_)                                                  \
			__asm__ volatile("1: ebreak\n"                          \
					 ".pushsection __warn_table, \"a\"\n"   \
					 ".balign 8\n"                          \
					 ".dword 1b, %0, %1, %2\n"              \
					 ".popsection\n" ::"i"(__FILE__),       \
					 "i"(#cond), "i"(__LINE__)              \
					 : "memory");                           \
		warn_hit_;                                                      \
	})

/* Is pc the ebreak of a WARN_ON? */
bool warn_is_kernel_warning(uint64_t pc);

/* Prints the warning for the trap tf (an ebreak at a WARN_ON) and counts it. */
void warn_report(const struct trap_frame *tf);

/* Warnings reported since boot (self-tests read it). */
extern unsigned long warn_count;

#endif
