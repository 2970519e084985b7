/*
 * Trap entry and exit.
 *
 * sscratch is 0 while the hart runs in the kernel. (User mode, coming
 * with processes, will keep the kernel stack pointer there, so the swap
 * below tells the two apart with one instruction.)
 *
 * A kernel stack overflow is caught before anything is stored: kernel
 * stacks live in 8-page slots whose page 0 is unmapped, so if the new
 * frame would land in page 0 of its slot we switch to this hart's
 * emergency stack and panic there.
 */
#include <arch/memlayout.h>
#include <arch/context.h>
#include <arch/csr.h>
#include <arch/trap.h>

#define FRAME_BYTES (TF_WORDS * 8)

.macro SAVE_REGS
	sd	x1, 1*8(sp)
	sd	x3, 3*8(sp)
	sd	x4, 4*8(sp)
	sd	x5, 5*8(sp)
	sd	x6, 6*8(sp)
	sd	x7, 7*8(sp)
	sd	x8, 8*8(sp)
	sd	x9, 9*8(sp)
	sd	x10, 10*8(sp)
	sd	x11, 11*8(sp)
	sd	x12, 12*8(sp)
	sd	x13, 13*8(sp)
	sd	x14, 14*8(sp)
	sd	x15, 15*8(sp)
	sd	x16, 16*8(sp)
	sd	x17, 17*8(sp)
	sd	x18, 18*8(sp)
	sd	x19, 19*8(sp)
	sd	x20, 20*8(sp)
	sd	x21, 21*8(sp)
	sd	x22, 22*8(sp)
	sd	x23, 23*8(sp)
	sd	x24, 24*8(sp)
	sd	x25, 25*8(sp)
	sd	x26, 26*8(sp)
	sd	x27, 27*8(sp)
	sd	x28, 28*8(sp)
	sd	x29, 29*8(sp)
	sd	x30, 30*8(sp)
	sd	x31, 31*8(sp)
.endm

/* sepc, sstatus, scause, stval: the same slots in a kernel trap frame and a
 * thread's user context (checked below). Clobbers t0. */
.macro SAVE_TRAP_CSRS
	csrr	t0, sepc
	sd	t0, TF_SEPC*8(sp)
	csrr	t0, sstatus
	sd	t0, TF_SSTATUS*8(sp)
	csrr	t0, scause
	sd	t0, TF_SCAUSE*8(sp)
	csrr	t0, stval
	sd	t0, TF_STVAL*8(sp)
.endm

#if TF_SEPC != UC_PC || TF_SSTATUS != UC_SSTATUS || TF_SCAUSE != UC_SCAUSE || TF_STVAL != UC_STVAL
#error "trap frame and user context disagree on the CSR slots"
#endif

.macro RESTORE_REGS
	ld	x1, 1*8(sp)
	ld	x3, 3*8(sp)
	ld	x4, 4*8(sp)
	ld	x5, 5*8(sp)
	ld	x6, 6*8(sp)
	ld	x7, 7*8(sp)
	ld	x8, 8*8(sp)
	ld	x9, 9*8(sp)
	ld	x10, 10*8(sp)
	ld	x11, 11*8(sp)
	ld	x12, 12*8(sp)
	ld	x13, 13*8(sp)
	ld	x14, 14*8(sp)
	ld	x15, 15*8(sp)
	ld	x16, 16*8(sp)
	ld	x17, 17*8(sp)
	ld	x18, 18*8(sp)
	ld	x19, 19*8(sp)
	ld	x20, 20*8(sp)
	ld	x21, 21*8(sp)
	ld	x22, 22*8(sp)
	ld	x23, 23*8(sp)
	ld	x24, 24*8(sp)
	ld	x25, 25*8(sp)
	ld	x26, 26*8(sp)
	ld	x27, 27*8(sp)
	ld	x28, 28*8(sp)
	ld	x29, 29*8(sp)
	ld	x30, 30*8(sp)
	ld	x31, 31*8(sp)
.endm

	.section .text
	.balign 4
	.globl trap_vector
trap_vector:
	csrrw	sp, sscratch, sp
	bnez	sp, trap_from_user
	csrrw	sp, sscratch, sp	/* back: sp = kernel sp, sscratch = 0 */

	/* Overflow check with t0 parked in sscratch. */
	csrw	sscratch, t0
	addi	t0, sp, -FRAME_BYTES
	srli	t0, t0, 12
	andi	t0, t0, KSTACK_SLOT_PAGES - 1
	beqz	t0, kernel_stack_overflow
	csrr	t0, sscratch
	csrw	sscratch, zero

	addi	sp, sp, -FRAME_BYTES
	SAVE_REGS
	addi	t0, sp, FRAME_BYTES
	sd	t0, 2*8(sp)		/* the interrupted sp */
	SAVE_TRAP_CSRS

	mv	a0, sp
	call	trap_handler

	ld	t0, TF_SSTATUS*8(sp)
	csrw	sstatus, t0
	ld	t0, TF_SEPC*8(sp)
	csrw	sepc, t0
	RESTORE_REGS
	ld	sp, 2*8(sp)
	sret

kernel_stack_overflow:
	/* t0 is in sscratch; the old sp is the evidence. */
	mv	t0, sp
	ld	sp, 0(tp)		/* hart_local.emergency_sp */
	addi	sp, sp, -FRAME_BYTES
	SAVE_REGS
	sd	t0, 2*8(sp)
	csrr	t0, sscratch
	sd	t0, 5*8(sp)
	csrw	sscratch, zero
	SAVE_TRAP_CSRS
	mv	a0, sp
	call	trap_stack_overflow	/* panics */
1:	wfi
	j	1b

trap_from_user:
	/* sp = the thread's struct user_context, sscratch = user sp. */
	SAVE_REGS
	csrr	t0, sscratch
	sd	t0, 2*8(sp)
	csrw	sscratch, zero
	SAVE_TRAP_CSRS
	mv	a0, sp
	ld	tp, UC_KERNEL_TP*8(sp)
	ld	sp, UC_KERNEL_SP*8(sp)
	mv	s0, zero		/* backtraces stop here */
	call	user_trap		/* ends in arch_return_to_user */
1:	wfi
	j	1b

/*
 * void arch_return_to_user(struct user_context *ctx): interrupts are off;
 * sstatus in ctx says U-mode with SPIE set, so sret turns them on.
 */
	.globl arch_return_to_user
arch_return_to_user:
	csrw	sscratch, a0
	ld	t0, UC_PC*8(a0)
	csrw	sepc, t0
	/* sret to U-mode with interrupts on there, off until then, SUM off. */
	csrr	t0, sstatus
	li	t1, SSTATUS_SPP | SSTATUS_SIE | SSTATUS_SUM
	not	t1, t1
	and	t0, t0, t1
	ori	t0, t0, SSTATUS_SPIE
	csrw	sstatus, t0
	mv	sp, a0
	RESTORE_REGS
	ld	sp, 2*8(sp)
	sret

/*
 * long arch_probe_read64(const void *addr, uint64_t *out)
 * The load at probe_load may fault; the exception table sends it to
 * probe_fault with a0 = -ERR_FAULT.
 */
	.globl arch_probe_read64
arch_probe_read64:
probe_load:
	ld	t0, 0(a0)
	sd	t0, 0(a1)
	li	a0, 0
	ret
probe_fault:
	ret

	.section __ex_table, "a"
	.balign 8
	.dword	probe_load, probe_fault

/*
 * long arch_probe_stimecmp(void): reads stimecmp, which traps as an illegal
 * instruction when the hart lacks Sstc or firmware did not enable it.
 */
	.section .text
	.globl arch_probe_stimecmp
arch_probe_stimecmp:
probe_stimecmp:
	csrr	t0, 0x14d
	li	a0, 0
	ret
probe_stimecmp_fault:
	ret

	.section __ex_table, "a"
	.balign 8
	.dword	probe_stimecmp, probe_stimecmp_fault
