/* The kernel's second error tier: a broken invariant stops the machine. */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

/*
 * Prints "panic: <message>", the registers of the trap in progress (if any)
 * and a symbolized backtrace, then stops every hart. Never returns.
 * Convention for the message: "function: reason".
 */
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

#define ASSERT(cond)                                                           \
	do {                                                                   \
		if (!(cond))                                                   \
			panic("%s: assertion '%s' failed", __func__, #cond); \
	} while (0)

#endif
