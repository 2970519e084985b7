#include "kernel/backtrace.h"

#include <arch/memlayout.h>

#include "kernel/console.h"
#include "kernel/ksyms.h"

#define MAX_FRAMES 32

static void print_frame(unsigned depth, uint64_t pc)
{
	char sym[96];
	ksyms_describe(pc, sym, sizeof sym);
	kprintf("  #%-2u 0x%016lx %s\n", depth, (unsigned long)pc, sym);
}

static bool fp_plausible(uint64_t fp)
{
	/* Kernel stacks live in the kernel half: the image's bss or the
	 * kernel-stack region. */
	return fp >= DMAP_BASE && (fp & 0x7) == 0;
}

static bool is_text(uint64_t addr)
{
	extern char _text_start[], _text_end[];
	return addr >= (uint64_t)(uintptr_t)_text_start && addr < (uint64_t)(uintptr_t)_text_end;
}

void backtrace_print(uint64_t pc, uint64_t fp, uint64_t ra)
{
	print_frame(0, pc);
	for (unsigned depth = 1; depth < MAX_FRAMES && fp_plausible(fp); depth++) {
		const uint64_t *frame = (const uint64_t *)(uintptr_t)fp;
		uint64_t saved_ra = frame[-1];
		uint64_t saved_fp = frame[-2];
		if (depth == 1 && !is_text(saved_ra) && is_text(ra)) {
			/* A leaf: frame[-1] is the caller's fp, ra is still live. */
			saved_fp = saved_ra;
			saved_ra = ra;
		}
		if (!is_text(saved_ra))
			break;
		print_frame(depth, saved_ra);
		if (saved_fp <= fp)
			break; /* stacks grow down: a caller's frame is above */
		fp = saved_fp;
	}
}

void backtrace_print_from(const uint64_t *frame)
{
	backtrace_print(frame[-1], frame[-2], 0);
}
