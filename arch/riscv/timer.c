#include <arch/csr.h>
#include <arch/sbi.h>
#include <arch/trap.h>

#include "kernel/timer.h"

#define CSR_STIMECMP 0x14d

static uint64_t interval;
static bool use_sstc;

long arch_probe_stimecmp(void); /* trap.S: 0, or -ERR_FAULT if S-mode may not use it */

static bool isa_has_extension(const char *isa, const char *ext)
{
	/* Multi-letter extensions follow '_' in the riscv,isa string. */
	for (const char *p = isa; *p; p++) {
		if (*p != '_')
			continue;
		const char *a = p + 1, *b = ext;
		while (*b && *a == *b) {
			a++;
			b++;
		}
		if (!*b && (*a == '\0' || *a == '_'))
			return true;
	}
	return false;
}

static void arm(uint64_t when)
{
	if (use_sstc)
		__asm__ volatile("csrw %0, %1" ::"i"(CSR_STIMECMP), "r"(when));
	else
		sbi_set_timer(when);
}

void timer_init(uint64_t timebase_hz, const char *isa)
{
	interval = timebase_hz / TIMER_HZ;
	use_sstc = isa_has_extension(isa, "sstc") && arch_probe_stimecmp() == 0;
	arm(arch_read_time() + interval);
	csr_set(sie, SIE_STIE);
}

void timer_interrupt(void)
{
	this_hart()->ticks++;
	arm(arch_read_time() + interval);
}

uint64_t timer_ticks(void)
{
	return this_hart()->ticks;
}

uint64_t timer_interval(void)
{
	return interval;
}

const char *timer_source(void)
{
	return use_sstc ? "Sstc stimecmp" : "SBI TIME";
}
