/*
 * The kernel console: the device tree's stdout UART when the kernel has a
 * driver for it, else the SBI firmware console, so the kernel always speaks.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include "kernel/types.h"

struct fdt_uart;

/* Switches output to the UART described by uart (already mapped at base).
 * Returns false, leaving the SBI console in place, when it is not a
 * 16550-compatible device or its geometry is unsupported. */
bool console_use_uart(const struct fdt_uart *uart, volatile uint8_t *base);

/* "uart ns16550a @0x10000000 (stride 1, 8-bit)" or "SBI console". */
const char *console_describe(void);

void console_putc(char c);
__attribute__((format(printf, 1, 2))) void kprintf(const char *fmt, ...);

#endif
