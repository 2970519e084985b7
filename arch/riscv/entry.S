/*
 * Kernel entry. Firmware (OpenSBI directly, or U-Boot's booti) jumps here
 * in S-mode with the MMU off, a0 = hart id, a1 = physical address of the
 * device tree. The image may sit at any 2 MiB aligned physical address.
 *
 * The first 64 bytes are the RISC-V boot-image header that U-Boot's booti
 * checks (Linux Documentation/arch/riscv/boot-image-header.rst).
 */
#include <arch/memlayout.h>

	.section .text.head, "ax"
	.globl _start
_start:
	/* code0/code1: jump over the header (4 bytes j + 4 bytes padding). */
	j	boot_entry
	.word	0
	.dword	0x200000			/* text_offset: 2 MiB into RAM */
	.dword	_image_end - _image_start	/* image_size, bss included */
	.dword	0				/* flags: little endian */
	.word	2				/* version 0.2 */
	.word	0				/* res1 */
	.dword	0				/* res2 */
	.ascii	"RISCV\0\0\0"			/* magic (deprecated, still checked by some loaders) */
	.ascii	"RSC\x05"			/* magic2 */
	.word	0				/* res3: PE/COFF offset, none */

	.section .text.boot, "ax"
boot_entry:
	csrw	sie, zero
	csrw	sip, zero
	csrw	satp, zero		/* boards.md: never assume firmware left it 0 */
	sfence.vma

	/* Only one hart boots; any other that firmware let in parks forever
	 * (later harts are started through SBI HSM instead). */
	lla	t0, boot_lottery
	li	t1, 1
	amoadd.w t1, t1, (t0)
	bnez	t1, park

	mv	s0, a0			/* hart id */
	mv	s1, a1			/* device tree (physical) */

	/* Clear bss while running at the physical address. */
	lla	t0, _bss_start
	lla	t1, _bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:
	lla	sp, boot_stack_top
	mv	tp, zero

	/* a0 = load address, a1 = fdt: returns the satp value in a0. */
	lla	a0, _start
	mv	a1, s1
	call	boot_pagetable_build

	/* Turn on translation. The boot table maps this code's gigapage at its
	 * physical address too, so the next fetch still works; then jump to
	 * the link address. */
	sfence.vma
	csrw	satp, a0
	csrr	t1, satp		/* satp is WARL: a hart without Sv39 drops it */
	bne	t1, a0, no_sv39
	sfence.vma
	ld	t0, high_entry_addr
	jr	t0

	.balign 8
high_entry_addr:
	.dword	high_entry

high_entry:
	ld	sp, boot_stack_top_addr
	lla	t0, _start		/* now a virtual address */
	mv	a0, s0
	mv	a1, s1
	ld	a2, load_pa_slot	/* physical load address, saved by C */
	call	kmain
	/* kmain never returns; park if it does. */
park:
	wfi
	j	park

	.balign 8
boot_stack_top_addr:
	.dword	boot_stack_top

no_sv39:
	csrw	satp, zero
	sfence.vma
	call	boot_fail_no_sv39	/* prints and stops; never returns */
	j	park

	.section .data
	.balign 8
	.globl load_pa_slot
load_pa_slot:
	.dword	0
boot_lottery:
	.word	0

	/* Boot stack: one kernel-stack slot, page 0 of it is the guard page
	 * (left unmapped by the final kernel page table). */
	.section .bss.stack, "aw", @nobits
	.balign KSTACK_SLOT_SIZE
	.globl boot_stack_slot
boot_stack_slot:
	.space	KSTACK_SLOT_SIZE
	.globl boot_stack_top
boot_stack_top:
