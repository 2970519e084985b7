/*
 * long arch_user_copy(void *dst, const void *src, size_t len)
 *
 * The only code that touches user memory. sstatus.SUM (supervisor may
 * access user pages) is on only inside this routine; a fault on either
 * access is recovered through the exception table, returning -ERR_FAULT
 * (the trap handler sets a0). Callers have already checked that the user
 * range lies in the user half: SUM does not stop the kernel from reading
 * its own pages, so that check is what keeps a user from naming them.
 */
#include <arch/csr.h>

	.section .text
	.globl arch_user_copy
arch_user_copy:
	li	t1, SSTATUS_SUM
	csrs	sstatus, t1
	beqz	a2, 2f
1:
copy_load:
	lb	t0, 0(a1)
copy_store:
	sb	t0, 0(a0)
	addi	a0, a0, 1
	addi	a1, a1, 1
	addi	a2, a2, -1
	bnez	a2, 1b
2:
	csrc	sstatus, t1
	li	a0, 0
	ret
copy_fault:
	li	t1, SSTATUS_SUM
	csrc	sstatus, t1
	ret

	.section __ex_table, "a"
	.balign 8
	.dword	copy_load, copy_fault
	.dword	copy_store, copy_fault
