/*
 * __pagoda_thread_start: the first instruction of a thread made by
 * thread_start (thread.c). The kernel gives a new thread only pc, sp and
 * a0; C code also needs gp (globals may be reached gp-relative), so this
 * sets it as crt0 does, then calls __pagoda_thread_main(fn, arg) with the
 * two words thread_start left at the top of the thread's stack.
 */
	.section .text.__pagoda_thread_start, "ax", @progbits
	.globl __pagoda_thread_start
	.type __pagoda_thread_start, @function
__pagoda_thread_start:
	.cfi_startproc
	.cfi_undefined ra
	.option push
	.option norelax
	lla	gp, __global_pointer$
	.option pop
	li	fp, 0
	li	ra, 0
	ld	a0, 0(sp)		/* fn */
	ld	a1, 8(sp)		/* arg */
	tail	__pagoda_thread_main
	.cfi_endproc
	.size __pagoda_thread_start, . - __pagoda_thread_start
