/*
 * 16550-compatible UART, polled: the kernel's own console. Register spacing
 * and access width come from the device tree (reg-shift, reg-io-width):
 * QEMU's ns16550a is stride 1 with byte accesses, the VisionFive 2's
 * snps,dw-apb-uart stride 4 with 32-bit accesses. Firmware has already set
 * the baud rate, so the divisor is never touched.
 */
#ifndef DRIVERS_SERIAL_NS16550_H
#define DRIVERS_SERIAL_NS16550_H

#include "kernel/types.h"

struct ns16550 {
	volatile uint8_t *base; /* kernel virtual address of register 0 */
	unsigned reg_shift;
	unsigned reg_io_width;  /* 1 or 4 */
};

/* Checks the geometry and quiets the UART's interrupts. Returns 0, or
 * -ERR_INVAL for a reg-io-width other than 1 or 4 or a shift above 4. */
int ns16550_init(struct ns16550 *uart, volatile uint8_t *base, unsigned reg_shift,
		 unsigned reg_io_width);

/* Waits until the transmitter holds no more than its FIFO, then sends c. */
void ns16550_putc(struct ns16550 *uart, char c);

/* A received byte, or -1 when none is waiting. */
int ns16550_getc(struct ns16550 *uart);

#endif
