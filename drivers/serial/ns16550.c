#include "drivers/serial/ns16550.h"

#include <pagoda/errno.h>

enum {
	REG_THR = 0, /* transmit holding (write) / receive buffer (read) */
	REG_IER = 1, /* interrupt enable */
	REG_LSR = 5, /* line status */
};

#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20

static uint32_t reg_read(struct ns16550 *uart, unsigned reg)
{
	volatile uint8_t *addr = uart->base + (reg << uart->reg_shift);
	if (uart->reg_io_width == 4)
		return *(volatile uint32_t *)addr;
	return *addr;
}

static void reg_write(struct ns16550 *uart, unsigned reg, uint32_t value)
{
	volatile uint8_t *addr = uart->base + (reg << uart->reg_shift);
	if (uart->reg_io_width == 4)
		*(volatile uint32_t *)addr = value;
	else
		*addr = (uint8_t)value;
}

int ns16550_init(struct ns16550 *uart, volatile uint8_t *base, unsigned reg_shift,
		 unsigned reg_io_width)
{
	if ((reg_io_width != 1 && reg_io_width != 4) || reg_shift > 4)
		return -ERR_INVAL;
	uart->base = base;
	uart->reg_shift = reg_shift;
	uart->reg_io_width = reg_io_width;
	reg_write(uart, REG_IER, 0); /* the kernel polls; user drivers take IRQs later */
	return 0;
}

void ns16550_putc(struct ns16550 *uart, char c)
{
	while (!(reg_read(uart, REG_LSR) & LSR_THR_EMPTY))
		;
	reg_write(uart, REG_THR, (uint8_t)c);
}

int ns16550_getc(struct ns16550 *uart)
{
	if (!(reg_read(uart, REG_LSR) & LSR_DATA_READY))
		return -1;
	return (int)(reg_read(uart, REG_THR) & 0xff);
}
