/*
 * The RISC-V platform-level interrupt controller, for one hart context:
 *
 *   base + 4*s                     priority of source s (0 = never)
 *   base + 0x2000 + 0x80*c         enable bits of context c, 32 per word
 *   base + 0x200000 + 0x1000*c     priority threshold of context c
 *   base + 0x200004 + 0x1000*c     claim (read) / complete (write)
 *
 * The context of a hart's S-mode external interrupt comes from the device
 * tree (fdt_plic_context): it is 2h+1 on QEMU virt but 2h on the JH7110,
 * whose hart 0 has no S-mode.
 */
#ifndef ARCH_PLIC_H
#define ARCH_PLIC_H

#include "kernel/types.h"

/* Sets up context (already ioremapped registers): threshold 0, all sources
 * disabled, SEIE on. */
void plic_init(volatile uint8_t *regs, uint32_t ndev, uint32_t context);
void plic_enable(uint32_t source);
void plic_disable(uint32_t source);
/* The highest pending source, or 0. */
uint32_t plic_claim(void);
void plic_complete(uint32_t source);

#endif
