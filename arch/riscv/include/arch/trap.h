/* The register frame a trap saves, and the trap entry points. */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

/* Frame layout (offsets in 8-byte words), shared with trap.S. x0's slot
 * holds sepc so that regs[n] is register xn for n >= 1. */
#define TF_SEPC 0
#define TF_SSTATUS 32
#define TF_SCAUSE 33
#define TF_STVAL 34
#define TF_WORDS 36 /* 288 bytes, keeps sp 16-byte aligned */

#ifndef __ASSEMBLER__
#include "kernel/types.h"

struct trap_frame {
	uint64_t regs[32]; /* regs[0] = sepc, regs[n] = xn */
	uint64_t sstatus;
	uint64_t scause;
	uint64_t stval;
	uint64_t pad;
};

_Static_assert(sizeof(struct trap_frame) == TF_WORDS * 8, "trap frame layout");

/* Per-hart state reached through tp while in the kernel. emergency_sp must
 * stay first: trap.S loads it when a kernel stack overflows. */
struct hart_local {
	uint64_t emergency_sp;
	uint64_t hartid;
	uint64_t ticks;              /* timer interrupts taken */
	struct trap_frame *trap;     /* innermost trap being handled, for panic */
	uint64_t kernel_stack_top;   /* where a trap from user mode starts */
};

/* An exception-table entry: a kernel instruction allowed to fault, and where
 * to resume when it does (a0 is set to -ERR_FAULT). */
struct extable_entry {
	uint64_t insn;
	uint64_t fixup;
};

/* Installs the trap vector on this hart, with hl as its per-hart state. */
void trap_init_hart(struct hart_local *hl);

/* Called from trap.S with the saved frame. */
void trap_handler(struct trap_frame *tf);

/* "instruction page fault", "timer interrupt", ...: the scause's name. */
const char *trap_cause_name(uint64_t scause);

/* Prints every register of tf. */
void trap_dump_frame(const struct trap_frame *tf);

/*
 * Reads the 8-byte word at a kernel or user address that may be unmapped.
 * Returns 0 and stores it in *out, or -ERR_FAULT when the load faults
 * (recovered through the exception table). SUM must already be set for
 * user addresses.
 */
long arch_probe_read64(const void *addr, uint64_t *out);

static inline struct hart_local *this_hart(void)
{
	struct hart_local *hl;
	__asm__("mv %0, tp" : "=r"(hl));
	return hl;
}
#endif

#endif
