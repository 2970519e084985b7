#include "kernel/warn.h"

#include <arch/trap.h>

#include "kernel/backtrace.h"
#include "kernel/console.h"

extern const struct warn_entry __warn_table_start[], __warn_table_end[];

unsigned long warn_count;

static const struct warn_entry *warn_find(uint64_t pc)
{
	for (const struct warn_entry *w = __warn_table_start; w < __warn_table_end; w++)
		if (w->pc == pc)
			return w;
	return NULL;
}

bool warn_is_kernel_warning(uint64_t pc)
{
	return warn_find(pc) != NULL;
}

void warn_report(const struct trap_frame *tf)
{
	const struct warn_entry *w = warn_find(tf->regs[TF_SEPC]);
	warn_count++;
	kprintf("warning: %s:%lu: WARN_ON(%s)\n", w->file, (unsigned long)w->line, w->condition);
	backtrace_print(tf->regs[TF_SEPC], tf->regs[8], tf->regs[1]);
}
