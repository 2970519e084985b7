/*
 * _start: where every Pagoda user program begins (linked first by user.ld).
 *
 * Entry conditions (set by the kernel, see <pagoda/abi.h>):
 *   pc = ELF entry (_start), sp = USER_STACK_TOP (16-byte aligned),
 *   a0 = HANDLE_BOOTSTRAP or HANDLE_NONE, a1 = USER_INFO_PAGE.
 *   No other register is relied on; the image's segments are loaded, and
 *   .bss is zero-filled (crt0 zeroes it again, so a loader that does not is
 *   still correct).
 *
 * Then: gp, .bss, the main thread's TLS block (tp), __pagoda_init(a0, a1),
 * main(0, argv) with argv = { NULL } (so both "int main(void)" and
 * "int main(int argc, char **argv)" work), exit(main's return value).
 */
	.section .text._start, "ax", @progbits
	.globl _start
	.type _start, @function
_start:
	.cfi_startproc
	.cfi_undefined ra
	.option push
	.option norelax
	lla	gp, __global_pointer$
	.option pop
	mv	s1, a0			/* bootstrap handle */
	mv	s2, a1			/* info page */
	li	fp, 0			/* end of the frame-pointer chain */
	li	ra, 0
	andi	sp, sp, -16

	/* Zero .bss (16-byte aligned at both ends, see user.ld). */
	lla	t0, __bss_start
	lla	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	sd	zero, 8(t0)
	addi	t0, t0, 16
	j	1b
2:
	/* TLS: copy the template's initialized part (see user.ld) into the
	 * main thread's block in .bss (the rest is zero) and point tp at it. */
	lla	t0, __tls_start
	lla	t1, __tls_data_end
	lla	t2, __tls_main
	mv	tp, t2
3:	bgeu	t0, t1, 4f
	lbu	t3, 0(t0)
	sb	t3, 0(t2)
	addi	t0, t0, 1
	addi	t2, t2, 1
	j	3b
4:
	mv	a0, s1
	mv	a1, s2
	call	__pagoda_init

	li	a0, 0
	lla	a1, __pagoda_argv
	call	main
	call	exit
	unimp				/* exit does not return */
	.cfi_endproc
	.size _start, . - _start

	.section .bss.__pagoda_argv, "aw", @nobits
	.balign 8
	.type __pagoda_argv, @object
__pagoda_argv:
	.zero 8				/* argv[0] = NULL */
	.size __pagoda_argv, 8
