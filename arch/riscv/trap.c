/*
 * Trap dispatch for the kernel. User traps arrive with the microkernel
 * core; for now any trap is either an interrupt, a WARN (ebreak), a fault
 * the exception table expects, or a kernel bug that panics.
 */
#include <arch/csr.h>
#include <arch/trap.h>
#include <pagoda/errno.h>

#include "kernel/console.h"
#include "kernel/ksyms.h"
#include "kernel/panic.h"
#include "kernel/timer.h"
#include "kernel/warn.h"
#include "kernel/irq.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"

extern void trap_vector(void);
extern const struct extable_entry __ex_table_start[], __ex_table_end[];

static const char *const exception_names[] = {
	[0] = "instruction address misaligned",
	[1] = "instruction access fault",
	[2] = "illegal instruction",
	[3] = "breakpoint",
	[4] = "load address misaligned",
	[5] = "load access fault",
	[6] = "store/AMO address misaligned",
	[7] = "store/AMO access fault",
	[8] = "environment call from U-mode",
	[9] = "environment call from S-mode",
	[12] = "instruction page fault",
	[13] = "load page fault",
	[15] = "store/AMO page fault",
	[18] = "software check",
	[19] = "hardware error",
};

static const char *const interrupt_names[] = {
	[1] = "supervisor software interrupt",
	[5] = "supervisor timer interrupt",
	[9] = "supervisor external interrupt",
	[13] = "counter overflow interrupt",
};

const char *trap_cause_name(uint64_t scause)
{
	uint64_t code = scause & ~SCAUSE_INTERRUPT;
	const char *name = NULL;
	if (scause & SCAUSE_INTERRUPT) {
		if (code < ARRAY_SIZE(interrupt_names))
			name = interrupt_names[code];
	} else if (code < ARRAY_SIZE(exception_names)) {
		name = exception_names[code];
	}
	return name ? name : "unknown cause";
}

void trap_init_hart(struct hart_local *hl)
{
	__asm__ volatile("mv tp, %0" ::"r"(hl));
	csr_write(sscratch, 0);
	csr_write(stvec, (uintptr_t)trap_vector);
}

static const struct extable_entry *extable_find(uint64_t pc)
{
	for (const struct extable_entry *e = __ex_table_start; e < __ex_table_end; e++)
		if (e->insn == pc)
			return e;
	return NULL;
}

/* Length of the instruction at pc: 2 for a compressed one, else 4. */
static unsigned insn_length(uint64_t pc)
{
	uint16_t low = *(const uint16_t *)(uintptr_t)pc;
	return (low & 3) == 3 ? 4 : 2;
}

static void kernel_exception(struct trap_frame *tf)
{
	uint64_t code = tf->scause;
	if (code == 3 /* breakpoint */ && warn_is_kernel_warning(tf->regs[TF_SEPC])) {
		warn_report(tf);
		tf->regs[TF_SEPC] += insn_length(tf->regs[TF_SEPC]);
		return;
	}
	const struct extable_entry *fix = extable_find(tf->regs[TF_SEPC]);
	if (fix) {
		tf->regs[TF_SEPC] = fix->fixup;
		tf->regs[10] = (uint64_t)(int64_t)-ERR_FAULT;
		return;
	}
	panic("trap_handler: %s in the kernel at pc 0x%lx (stval 0x%lx)", trap_cause_name(code),
	      (unsigned long)tf->regs[TF_SEPC], (unsigned long)tf->stval);
}

void trap_handler(struct trap_frame *tf)
{
	struct hart_local *hl = this_hart();
	struct trap_frame *outer = hl->trap;
	hl->trap = tf;

	if (tf->scause & SCAUSE_INTERRUPT) {
		uint64_t code = tf->scause & ~SCAUSE_INTERRUPT;
		if (code == 5) {
			timer_interrupt();
			sched_tick();
		} else if (code == 9) {
			irq_external();
		} else
			panic("trap_handler: unexpected %s", trap_cause_name(tf->scause));
	} else {
		kernel_exception(tf);
	}

	hl->trap = outer;
}

void trap_stack_overflow(struct trap_frame *tf);
void trap_stack_overflow(struct trap_frame *tf)
{
	this_hart()->trap = tf;
	panic("trap_handler: kernel stack overflow (sp 0x%lx hit the guard page) at pc 0x%lx",
	      (unsigned long)tf->regs[2], (unsigned long)tf->regs[TF_SEPC]);
}

void arch_context_init(struct user_context *ctx, uint64_t pc, uint64_t sp, uint64_t a0, uint64_t a1)
{
	*ctx = (struct user_context){ 0 };
	ctx->regs[UC_PC] = pc;
	ctx->regs[REG_SP] = sp;
	ctx->regs[REG_A0] = a0;
	ctx->regs[REG_A1] = a1;
}

/* Sv39 page-fault causes, and what access each was. */
static bool is_page_fault(uint64_t code, enum access_kind *access)
{
	switch (code) {
	case 12:
		*access = ACCESS_FETCH;
		return true;
	case 13:
		*access = ACCESS_LOAD;
		return true;
	case 15:
		*access = ACCESS_STORE;
		return true;
	default:
		return false;
	}
}

void user_trap(struct user_context *ctx);
void user_trap(struct user_context *ctx)
{
	struct thread *t = current_thread();
	if (!t || &t->ctx != ctx)
		panic("user_trap: trap from user mode with no current thread");
	this_hart()->trap = NULL;

	if (ctx->scause & SCAUSE_INTERRUPT) {
		uint64_t code = ctx->scause & ~SCAUSE_INTERRUPT;
		if (code == 5) {
			timer_interrupt();
			sched_tick();
		} else if (code == 9) {
			irq_external();
		} else {
			panic("user_trap: unexpected %s", trap_cause_name(ctx->scause));
		}
	} else if (ctx->scause == 8) { /* ecall from U-mode */
		ctx->regs[UC_PC] += 4;
		syscall_entry(t);
	} else {
		enum access_kind access;
		if (is_page_fault(ctx->scause, &access))
			user_page_fault(t, access, ctx->stval);
		else
			process_kill_fault(t, trap_cause_name(ctx->scause), ctx->stval, ctx->regs[UC_PC]);
	}
	sched_return();
}

void trap_dump_frame(const struct trap_frame *tf)
{
	static const char *const names[32] = {
		"pc", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",
		"a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5",
		"s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
	};
	char sym[80];
	ksyms_describe(tf->regs[TF_SEPC], sym, sizeof sym);
	kprintf("trap: %s (scause 0x%lx) stval 0x%lx sstatus 0x%lx\n", trap_cause_name(tf->scause),
		(unsigned long)tf->scause, (unsigned long)tf->stval, (unsigned long)tf->sstatus);
	kprintf("  pc  0x%016lx %s\n", (unsigned long)tf->regs[0], sym);
	for (unsigned i = 1; i < 32; i++)
		kprintf("  %-3s 0x%016lx%s", names[i], (unsigned long)tf->regs[i], (i % 3 == 0) ? "\n" : "");
	kprintf("\n");
}
