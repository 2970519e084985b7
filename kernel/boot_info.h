/* What boot learned, kept for the banner, the self-tests and later stages. */
#ifndef KERNEL_BOOT_INFO_H
#define KERNEL_BOOT_INFO_H

#include "kernel/fdt.h"
#include "mm/frame.h"

#define BOOT_MAX_RANGES (FDT_MAX_MEM + FDT_MAX_RESERVED + 8)

struct boot_info {
	uint64_t boot_hartid;
	paddr_t load_pa;        /* where firmware put the image */
	paddr_t fdt_pa;
	struct fdt_info fdt;
	/* RAM minus firmware's ranges: what the direct map covers. */
	struct phys_range ram[BOOT_MAX_RANGES];
	unsigned nram;
	/* Ranges the kernel keeps out of the allocator, with why. */
	struct phys_range reserved[BOOT_MAX_RANGES];
	const char *reserved_why[BOOT_MAX_RANGES];
	unsigned nreserved;
	/* What the frame allocator got. */
	struct phys_range usable[BOOT_MAX_RANGES];
	unsigned nusable;
};

extern struct boot_info boot_info;

/* Runs the kernel self-tests; prints one PASS/FAIL line per test and a
 * "selftest: N passed, N failed" summary. Returns the number failed. */
unsigned selftest_run(void);

/* Crashes the kernel on purpose, for tests of the panic path: kind is
 * "stack" (overflow into a guard page), "fault" (unexpected kernel page
 * fault) or anything else (a plain panic). Never returns. */
__attribute__((noreturn)) void selftest_crash(const char *kind);

#endif
