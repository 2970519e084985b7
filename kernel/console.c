#include "kernel/console.h"

#include <arch/sbi.h>
#include <stdarg.h>

#include "drivers/serial/ns16550.h"
#include "kernel/fdt.h"
#include "kernel/format.h"

static struct ns16550 uart;
static bool uart_ready;
static char description[96] = "SBI console";

bool console_use_uart(const struct fdt_uart *info, volatile uint8_t *base)
{
	if (!info->present || !info->is_16550)
		return false;
	if (ns16550_init(&uart, base, info->reg_shift, info->reg_io_width) != 0)
		return false;
	ksnprintf(description, sizeof description, "%s %s @0x%lx (stride %u, %u-bit)",
		  info->compatible, info->path, (unsigned long)info->base, 1u << info->reg_shift,
		  info->reg_io_width * 8);
	uart_ready = true;
	return true;
}

const char *console_describe(void)
{
	return description;
}

void console_putc(char c)
{
	if (c == '\n')
		console_putc('\r');
	if (uart_ready)
		ns16550_putc(&uart, c);
	else
		sbi_console_putchar(c);
}

static void console_sink(void *ctx, char c)
{
	(void)ctx;
	console_putc(c);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	format_to(console_sink, NULL, fmt, ap);
	va_end(ap);
}
