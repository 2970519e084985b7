/*
 * The periodic tick. Its rate is derived from the device tree's
 * timebase-frequency (10 MHz on QEMU virt, 4 MHz on the VisionFive 2), and
 * it is armed through Sstc's stimecmp when the hart has it and firmware
 * lets S-mode use it, else through the SBI TIME extension.
 */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include "kernel/types.h"

#define TIMER_HZ 100

/* Starts the tick on this hart. timebase_hz must be nonzero; isa is the
 * hart's riscv,isa string (Sstc is used only when it names "sstc"). */
void timer_init(uint64_t timebase_hz, const char *isa);

/* Called by the trap handler on a timer interrupt: counts and re-arms. */
void timer_interrupt(void);

/* Ticks on this hart since timer_init. */
uint64_t timer_ticks(void);

/* Timebase ticks between two timer interrupts, and the source in use. */
uint64_t timer_interval(void);
const char *timer_source(void);

#endif
