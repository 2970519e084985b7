# shellcheck shell=bash
# Interrupts under QEMU: init's UART test (boot argument "irqtest": U-IRQ-001
# alone). QEMU feeds the serial port a line (scripts/qemu-boot.sh,
# QEMU_SERIAL_INPUT); the test enables the UART's receive interrupt and takes
# the bytes through irq_bind / wait / irq_ack. Its PASS/FAIL line counts too.
echo "== interrupts (a user-space UART handler)"
mkdir -p "$LOGS"
printf 'pagoda-irq\n' >"$LOGS/IRQ-001.input"
QEMU_SERIAL_INPUT=$LOGS/IRQ-001.input boot_test IRQ-001 \
	"init receives the UART interrupt through a notification; the console keeps working" \
	-i -u -a irqtest -t 60 \
	-e '^PASS U-IRQ-001 ' -e '^1 passed, 0 failed' -e 'pagoda: init exited with status 0'
