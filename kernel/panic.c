#include "kernel/panic.h"

#include <arch/csr.h>
#include <arch/memlayout.h>
#include <arch/sbi.h>
#include <arch/trap.h>
#include <stdarg.h>

#include "kernel/backtrace.h"
#include "kernel/console.h"
#include "kernel/format.h"

static void console_sink(void *ctx, char c)
{
	(void)ctx;
	console_putc(c);
}

void panic(const char *fmt, ...)
{
	static int panicking;
	arch_irq_save();
	if (panicking++) {
		kprintf("\npanic: nested panic; stopping\n");
		sbi_shutdown(true);
	}

	va_list ap;
	va_start(ap, fmt);
	kprintf("\npanic: ");
	format_to(console_sink, NULL, fmt, ap);
	kprintf("\n");
	va_end(ap);

	struct hart_local *hl = this_hart();
	if (hl && hl->trap) {
		trap_dump_frame(hl->trap);
		kprintf("backtrace of the trapped code:\n");
		backtrace_print(hl->trap->regs[TF_SEPC], hl->trap->regs[8], hl->trap->regs[1]);
	} else {
		kprintf("backtrace:\n");
		backtrace_print_callers();
	}
	kprintf("panic: system halted\n");
	sbi_shutdown(true);
}
