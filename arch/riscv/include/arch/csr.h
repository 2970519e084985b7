/* RISC-V supervisor CSRs and the bits Pagoda uses. */
#ifndef ARCH_CSR_H
#define ARCH_CSR_H

#define SSTATUS_SIE 0x2
#define SSTATUS_SPIE 0x20
#define SSTATUS_SPP 0x100
#define SSTATUS_SUM 0x40000
#define SSTATUS_MXR 0x80000

#ifndef __ASSEMBLER__
#include "kernel/types.h"

#define SIE_SSIE (1UL << 1)
#define SIE_STIE (1UL << 5)
#define SIE_SEIE (1UL << 9)

#define SCAUSE_INTERRUPT (1UL << 63)

/* satp: MODE[63:60] | ASID[59:44] | PPN[43:0] */
#define SATP_MODE_SV39 (8UL << 60)
#define SATP_MODE_MASK (0xfUL << 60)
#define SATP_ASID_SHIFT 44
#define SATP_ASID_MASK 0xffffUL
#define SATP_PPN_MASK ((1UL << 44) - 1)

#define csr_read(csr)                                          \
	({                                                     \
		unsigned long csr_v_;                          \
		__asm__ volatile("csrr %0, " #csr : "=r"(csr_v_)); \
		csr_v_;                                        \
	})

#define csr_write(csr, val) __asm__ volatile("csrw " #csr ", %0" ::"rK"(val) : "memory")
#define csr_set(csr, bits) __asm__ volatile("csrs " #csr ", %0" ::"rK"(bits) : "memory")
#define csr_clear(csr, bits) __asm__ volatile("csrc " #csr ", %0" ::"rK"(bits) : "memory")

static inline unsigned long arch_irq_save(void)
{
	unsigned long flags;
	__asm__ volatile("csrrci %0, sstatus, %1" : "=r"(flags) : "i"(SSTATUS_SIE) : "memory");
	return flags & SSTATUS_SIE;
}

static inline void arch_irq_restore(unsigned long flags)
{
	if (flags)
		csr_set(sstatus, SSTATUS_SIE);
}

static inline void arch_irq_enable(void)
{
	csr_set(sstatus, SSTATUS_SIE);
}

static inline void arch_wait_for_interrupt(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

static inline uint64_t arch_read_time(void)
{
	return csr_read(time);
}

#endif /* __ASSEMBLER__ */

#endif
