#!/usr/bin/env bash
# Boots the kernel once in QEMU and writes the serial log to a file.
# Usage: scripts/qemu-boot.sh LOG TIMEOUT_SECONDS [qemu options...]
# Exits with QEMU's status, or 124 when the timeout killed it. The log's
# line endings are normalised (the console sends CR LF).
set -u
log=$1 seconds=$2
shift 2
mkdir -p "$(dirname "$log")"
: > "$log"
timeout -k 5 "$seconds" qemu-system-riscv64 -machine virt -cpu rv64 \
	-display none -monitor none -no-reboot -serial "file:$log" "$@" </dev/null >"$log.qemu" 2>&1
status=$?
sed -i 's/\r$//' "$log"
exit $status
