#!/usr/bin/env bash
# Boots the kernel once in QEMU and writes the serial log to a file.
# Usage: scripts/qemu-boot.sh LOG TIMEOUT_SECONDS [qemu options...]
# Exits with QEMU's status, or 124 when the timeout killed it. The log's
# line endings are normalised (the console sends CR LF).
#
# QEMU_SERIAL_INPUT=FILE (optional) also feeds FILE's bytes to the serial
# port, once the log is not empty: by then the firmware has set the UART up
# (OpenSBI's console init resets the receive FIFO and reads RBR, so bytes
# sent earlier could be lost). Nothing in the kernel reads the port, so the
# bytes wait in the UART and QEMU until a driver takes them. QEMU 7.2's file
# chardev has no input, so the serial port is then a "pipe" chardev: it
# reads LOG.serial.in (a FIFO written here) and writes LOG.serial.out (a
# link to LOG).
set -u
log=$1 seconds=$2
shift 2
mkdir -p "$(dirname "$log")"
: > "$log"
serial=(-serial "file:$log")
feeder=
if [ -n "${QEMU_SERIAL_INPUT:-}" ]; then
	pipe=$log.serial
	rm -f "$pipe.in" "$pipe.out"
	mkfifo "$pipe.in" || exit 1
	ln -s "$(basename "$log")" "$pipe.out" || exit 1
	serial=(-chardev "pipe,id=serial0,path=$pipe" -serial chardev:serial0)
	# Opened read-write, the FIFO never blocks us nor gives QEMU end-of-file.
	(
		exec 3<>"$pipe.in"
		until [ -s "$log" ]; do sleep 0.05; done
		cat -- "$QEMU_SERIAL_INPUT" >&3
	) &
	feeder=$!
fi
timeout -k 5 "$seconds" qemu-system-riscv64 -machine virt -cpu rv64 \
	-display none -monitor none -no-reboot "${serial[@]}" "$@" </dev/null >"$log.qemu" 2>&1
status=$?
if [ -n "$feeder" ]; then
	kill "$feeder" 2>/dev/null
	wait "$feeder" 2>/dev/null
	rm -f "$pipe.in" "$pipe.out"
fi
sed -i 's/\r$//' "$log"
exit $status
