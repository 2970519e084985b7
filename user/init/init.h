/* The root task's pieces: starting programs from the boot archive, tests. */
#ifndef USER_INIT_H
#define USER_INIT_H

#include <pagoda/syscalls.h>

/* Starts program `name` from the boot archive at priority with bootstrap
 * (a handle, or HANDLE_NONE). Returns a process handle or a negative error. */
long spawn(const char *name, unsigned long priority, long bootstrap);

/* utest_mem.c: memory quota and refused images. */
void quota_exhaustion(void);
void elf_refusal(void);

/* Runs the user-space test suite; returns the number of failed tests. */
int utest_run(void);

/* U-IRQ-001 (uart_irq_test.c), which needs QEMU to feed the serial port:
 * the test, and the suite of it alone (boot argument "irqtest"). */
#define UART_IRQ_TEST_DESC "a user-space handler receives the UART interrupt through a notification"
void uart_irq_test(void);
int irqtest_run(void);

#endif
