/*
 * A thread's user-mode registers, saved by the trap entry (arch/riscv/trap.S)
 * straight into the thread: the kernel has one stack per hart, not one per
 * thread, so a blocked thread is just its saved registers and a state.
 *
 * While a thread runs in user mode, sscratch points at its context; the
 * entry saves the user registers there, then switches to kernel_sp and
 * kernel_tp, which the return path fills in before every sret.
 */
#ifndef ARCH_CONTEXT_H
#define ARCH_CONTEXT_H

#define UC_PC 0
#define UC_SSTATUS 32
#define UC_SCAUSE 33
#define UC_STVAL 34
#define UC_KERNEL_SP 35
#define UC_KERNEL_TP 36
#define UC_WORDS 38

/* Register numbers of the ABI names the kernel uses. */
#define REG_RA 1
#define REG_SP 2
#define REG_A0 10
#define REG_A1 11
#define REG_A7 17

#ifndef __ASSEMBLER__
#include "kernel/types.h"

struct user_context {
	uint64_t regs[32]; /* regs[0] = pc (sepc), regs[n] = xn */
	uint64_t sstatus;
	uint64_t scause;
	uint64_t stval;
	uint64_t kernel_sp;
	uint64_t kernel_tp;
	uint64_t pad;
};

_Static_assert(sizeof(struct user_context) == UC_WORDS * 8, "user context layout");

/* Resumes ctx in user mode on this hart. Never returns. Interrupts must be
 * off; the kernel stack is abandoned (the next trap starts at its top). */
__attribute__((noreturn)) void arch_return_to_user(struct user_context *ctx);

/* Sets up ctx to start in user mode at pc with sp and a0, a1. */
void arch_context_init(struct user_context *ctx, uint64_t pc, uint64_t sp, uint64_t a0, uint64_t a1);
#endif

#endif
