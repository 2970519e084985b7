/*
 * U-IRQ-001: a user-space handler receives the UART interrupt through a
 * notification. init maps the console UART's window, binds the UART's
 * interrupt to a notification, enables the receive-data interrupt (IER bit
 * 0) and reads what QEMU feeds to the serial port, acknowledging each
 * interrupt with irq_ack.
 *
 * It needs input: QEMU must feed UART_IRQ_INPUT to the serial port
 * (scripts/qemu-boot.sh with QEMU_SERIAL_INPUT, tests/suites/55-irq.sh).
 * So it runs only with the boot argument "irqtest" (this test alone) or
 * "utest uart-input" (the suite, this test last).
 *
 * The kernel's console writes to the same UART by polling LSR with IER = 0;
 * enabling only the receive interrupt does not disturb it (no THRE
 * interrupt), and the test restores IER = 0 at the end.
 */
#include <pagoda/runtime.h>
#include <pagoda/test.h>
#include <string.h>

#include "init.h"

#define UART_IRQ_INPUT "pagoda-irq\n"
#define UART_VA 0x2100000000UL /* free in init: above the boot archive */
#define MAX_WAKEUPS 32         /* one per byte at most, with slack */

/*
 * 16550 registers. The device info does not carry the tree's reg-shift and
 * reg-io-width; this test runs on QEMU's ns16550a: stride 1, byte access.
 */
#define UART_REG_SHIFT 0
enum { REG_RBR = 0, REG_IER = 1, REG_IIR = 2, REG_LSR = 5 };
#define IER_RX_DATA 0x01
#define IIR_NO_INT 0x01
#define LSR_DATA_READY 0x01

static volatile unsigned char *uart;

static unsigned char reg_read(unsigned reg)
{
	return uart[reg << UART_REG_SHIFT];
}

static void reg_write(unsigned reg, unsigned char value)
{
	uart[reg << UART_REG_SHIFT] = value;
}

static const struct pg_device_info *find_uart(void)
{
	const struct pg_process_info *info = runtime_info();
	for (unsigned long i = 0; i < info->ndevices && i < INFO_MAX_DEVICES; i++)
		if (strcmp(info->devices[i].kind, "uart") == 0)
			return &info->devices[i];
	return NULL;
}

/* Receives UART_IRQ_INPUT through interrupts; the checks are the caller's. */
static void receive(const struct pg_device_info *dev, long note, char *buf, size_t size,
		    size_t *len, int *wakeups, int *empty)
{
	const size_t want = strlen(UART_IRQ_INPUT);
	*len = 0;
	*wakeups = 0;
	*empty = 0;
	reg_write(REG_IER, IER_RX_DATA);
	/* The kernel's console writes this with the interrupt on: no THRE
	 * interrupt may come of it (only IER bit 0 is set). */
	printf("U-IRQ-001: receive interrupt on, waiting for input\n");
	fflush(stdout);
	while (*len < want && *wakeups < MAX_WAKEUPS) {
		long bits = pg_wait(note);
		if (bits < 0) {
			test_failed(__FILE__, __LINE__, err_text(bits));
			return;
		}
		if (!(bits & 1)) {
			test_failed(__FILE__, __LINE__, "notification woke without bit 0");
			return;
		}
		++*wakeups;
		size_t got = 0;
		while (reg_read(REG_LSR) & LSR_DATA_READY) {
			unsigned char c = reg_read(REG_RBR);
			if (*len < size)
				buf[*len] = (char)c;
			++*len;
			got++;
		}
		if (!got)
			++*empty;
		long rc = pg_irq_ack(dev->irq_handle);
		if (rc != 0) {
			test_failed(__FILE__, __LINE__, "irq_ack of the delivered interrupt failed");
			return;
		}
	}
}

void uart_irq_test(void)
{
	const struct pg_device_info *dev = find_uart();
	TEST_CHECK(dev != NULL);
	TEST_CHECK(dev->handle >= 0);
	TEST_CHECK(dev->irq_handle >= 0);
	TEST_CHECK(dev->irq != 0);

	/* Not in service (never fired): acknowledging it is an error, as is
	 * acknowledging or binding through a handle of another kind. */
	TEST_CHECK_EQ(pg_irq_ack(dev->irq_handle), -ERR_INVAL);
	TEST_CHECK(pg_irq_ack(dev->handle) < 0);
	TEST_CHECK(pg_irq_bind(dev->irq_handle, dev->handle) < 0);

	TEST_CHECK_EQ(pg_map(HANDLE_SELF, dev->handle, UART_VA, RIGHT_READ | RIGHT_WRITE), 0);
	uart = (volatile unsigned char *)(UART_VA + (dev->base & 0xfff));
	unsigned char ier_before = reg_read(REG_IER);
	long note = pg_notification_create();
	long wrong_kind = note >= 0 ? pg_irq_bind(dev->handle, note) : 0;

	long rc = -ERR_INVAL;
	char buf[32];
	size_t len = 0;
	int wakeups = 0, empty = 0;
	if (ier_before == 0 && note >= 0 && (rc = pg_irq_bind(dev->irq_handle, note)) == 0)
		receive(dev, note, buf, sizeof buf, &len, &wakeups, &empty);

	/* Quiet the UART again, whatever happened, before any check returns. */
	reg_write(REG_IER, 0);
	unsigned char iir = reg_read(REG_IIR);
	unsigned char lsr = reg_read(REG_LSR);
	long unmapped = pg_unmap(HANDLE_SELF, UART_VA, 4096);
	uart = NULL;
	/* The interrupt stays bound to `note`: destroying it makes the kernel
	 * mask the source should it ever fire again. */
	long destroyed = note >= 0 ? pg_object_destroy(note) : note;
	long deleted = note >= 0 ? pg_handle_delete(note) : note;

	printf("U-IRQ-001: %lu bytes in %d wakeups (%d without data)\n", (unsigned long)len, wakeups,
	       empty);
	if (test_failing())
		return;
	TEST_CHECK_EQ(ier_before, 0); /* the kernel console polls */
	TEST_CHECK(note >= 0);
	TEST_CHECK(wrong_kind < 0);
	TEST_CHECK_EQ(rc, 0);
	TEST_CHECK(wakeups >= 1);
	TEST_CHECK_EQ(len, strlen(UART_IRQ_INPUT));
	TEST_CHECK(memcmp(buf, UART_IRQ_INPUT, len) == 0);
	TEST_CHECK((lsr & LSR_DATA_READY) == 0); /* nothing beyond the expected bytes */
	TEST_CHECK(iir & IIR_NO_INT);            /* IER = 0: no interrupt pending */
	/* Every delivered interrupt was acknowledged. The PLIC may still hand
	 * over one late interrupt it latched before IER went to 0 (then it is
	 * in service once); after acking that, none may be. */
	long late = pg_irq_ack(dev->irq_handle);
	TEST_CHECK(late == -ERR_INVAL || late == 0);
	if (late == 0)
		TEST_CHECK_EQ(pg_irq_ack(dev->irq_handle), -ERR_INVAL);
	TEST_CHECK_EQ(unmapped, 1);
	TEST_CHECK_EQ(destroyed, 0);
	TEST_CHECK_EQ(deleted, 0);
}

int irqtest_run(void)
{
	test_run("U-IRQ-001", UART_IRQ_TEST_DESC, uart_irq_test);
	return test_summary();
}
