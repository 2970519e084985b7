/*
 * Calls into the SBI firmware (OpenSBI): ecall with a7 = extension id,
 * a6 = function id; returns (error, value) in (a0, a1).
 */
#ifndef ARCH_SBI_H
#define ARCH_SBI_H

#include "kernel/types.h"

#define SBI_EXT_BASE 0x10
#define SBI_EXT_TIME 0x54494D45
#define SBI_EXT_IPI 0x735049
#define SBI_EXT_RFENCE 0x52464E43
#define SBI_EXT_HSM 0x48534D
#define SBI_EXT_SRST 0x53525354
#define SBI_EXT_DBCN 0x4442434E
#define SBI_EXT_LEGACY_PUTCHAR 0x01

struct sbiret {
	long error;
	long value;
};

struct sbi_features {
	long spec_version;  /* major << 24 | minor */
	long impl_id;
	long impl_version;
	bool time, ipi, rfence, hsm, srst, dbcn;
};

extern struct sbi_features sbi;

/* Probes the base extension and every extension Pagoda may use; fills sbi. */
void sbi_probe(void);

/* Arms the next timer interrupt at absolute time `when` (timebase ticks). */
void sbi_set_timer(uint64_t when);

/* Writes one byte to the firmware console (DBCN when present, else legacy). */
void sbi_console_putchar(char c);

/* Powers the machine off (SRST shutdown) when the firmware can; otherwise
 * parks this hart forever. failure=true reports a system failure reason. */
__attribute__((noreturn)) void sbi_shutdown(bool failure);

/* Human name of the SBI implementation (e.g. "OpenSBI"). */
const char *sbi_impl_name(long impl_id);

#endif
