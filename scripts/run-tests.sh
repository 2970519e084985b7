#!/usr/bin/env bash
# Runs every Pagoda test and ends with one line "N passed, N failed".
# Each test prints "PASS ID description" or "FAIL ID description: why";
# a failed QEMU test also prints its serial log.
# Called by `make test` after the build; run from the repository root.
set -u
cd "$(dirname "$0")/.."

BUILD=build
LOGS=$BUILD/test-logs
OPENSBI=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
mkdir -p "$LOGS"
passed=0
failed=0

pass() { passed=$((passed + 1)); echo "PASS $1 $2"; }
fail() { failed=$((failed + 1)); echo "FAIL $1 $2: $3"; }

show_log() { # file
	echo "----- serial log: $1 -----"
	sed 's/^/| /' "$1" | tail -n 200
	[ -s "$1.qemu" ] && { echo "----- qemu said -----"; sed 's/^/| /' "$1.qemu"; }
	echo "-----"
}

# A host unit-test binary: its own PASS/FAIL lines count one by one.
host_suite() { # id binary
	local id=$1 bin=$2 out rc
	out=$(timeout 300 "$bin" 2>&1)
	rc=$?
	echo "$out" | grep -E '^(PASS|FAIL) '
	local p f
	p=$(echo "$out" | grep -c '^PASS ')
	f=$(echo "$out" | grep -c '^FAIL ')
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		fail "$id" "$bin" "exited with status $rc without a FAIL line"
		echo "$out" | tail -n 40 | sed 's/^/| /'
	fi
}

# A QEMU boot: one test. Options:
#   -m MEM -s SMP -a "boot args" -t TIMEOUT -e REGEX (must appear, repeatable)
#   -p (a panic is expected) -q "extra qemu options"
boot_test() {
	local id=$1 desc=$2
	shift 2
	local mem=128M smp=1 args="" secs=60 allow_panic=0 extra="" expects=()
	local OPTIND=1 opt
	while getopts "m:s:a:t:e:pq:" opt; do
		case $opt in
		m) mem=$OPTARG ;;
		s) smp=$OPTARG ;;
		a) args=$OPTARG ;;
		t) secs=$OPTARG ;;
		e) expects+=("$OPTARG") ;;
		p) allow_panic=1 ;;
		q) extra=$OPTARG ;;
		esac
	done
	local log=$LOGS/$id.log
	# shellcheck disable=SC2086
	scripts/qemu-boot.sh "$log" "$secs" -m "$mem" -smp "$smp" -bios "$OPENSBI" \
		-kernel "$BUILD/Image" -append "$args" $extra
	local rc=$? why=""
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		why="timed out after ${secs}s"
	elif [ "$allow_panic" -eq 0 ] && grep -q '^panic:' "$log"; then
		why="kernel panicked: $(grep -m1 '^panic:' "$log")"
	elif grep -q '^FAIL ' "$log"; then
		why="kernel self-test failed: $(grep -m1 '^FAIL ' "$log")"
	else
		local e
		for e in "${expects[@]}"; do
			if ! grep -Eq -- "$e" "$log"; then
				why="serial log lacks /$e/"
				break
			fi
		done
	fi
	if [ -z "$why" ]; then
		pass "$id" "$desc"
	else
		fail "$id" "$desc" "$why"
		show_log "$log"
	fi
}

echo "== host unit tests"
for t in "$BUILD"/host/*_test; do
	name=$(basename "$t" _test)
	host_suite "HOST-$name" "$t"
done

echo "== device-tree parser fuzzing (brief; 'make fuzz' runs longer)"
scripts/fuzz.sh --brief > "$LOGS/fuzz.log" 2>&1
rc=$?
if [ "$rc" -eq 0 ]; then
	pass FUZZ-001 "fdt_parse survives $(grep -oE 'Done [0-9]+ runs' "$LOGS/fuzz.log" | head -1 | cut -d' ' -f2) fuzzed inputs under ASan/UBSan"
else
	fail FUZZ-001 "fdt_parse survives fuzzed inputs" "libFuzzer exited $rc"
	tail -n 60 "$LOGS/fuzz.log"
fi

echo "== QEMU boots (kernel self-tests)"
SELFTEST_OK='selftest: [0-9]+ passed, 0 failed'
boot_test BOOT-001 "64 MiB, 1 hart: banner and self-tests" -m 64M -s 1 -a selftest \
	-e "$SELFTEST_OK" -e 'memory +0x0080000000-0x0084000000' -e 'console +ns16550a'
boot_test BOOT-002 "64 MiB, 4 harts: self-tests, other harts parked" -m 64M -s 4 -a selftest \
	-e "$SELFTEST_OK" -e 'hart 3 .*parked'
boot_test BOOT-003 "512 MiB, 1 hart: self-tests" -m 512M -s 1 -a selftest -e "$SELFTEST_OK" \
	-e 'memory +0x0080000000-0x00a0000000'
boot_test BOOT-004 "512 MiB, 4 harts: self-tests" -m 512M -s 4 -a selftest -e "$SELFTEST_OK"
boot_test BOOT-005 "3 GiB, 1 hart: self-tests, RAM above 4 GiB" -m 3G -s 1 -a selftest \
	-e "$SELFTEST_OK" -e 'memory +0x0080000000-0x0140000000'
boot_test BOOT-006 "3 GiB, 4 harts: self-tests" -m 3G -s 4 -a selftest -e "$SELFTEST_OK"
boot_test BOOT-007 "banner names board, firmware, timebase, PLIC and 8 virtio-mmio slots" \
	-a poweroff -e 'board +riscv-virtio,qemu' -e 'firmware +OpenSBI' \
	-e 'timebase +10000000 Hz, tick 100 Hz' -e 'plic +0xc000000' -e 'virtio-mmio +0x10008000 irq 8'
boot_test BOOT-008 "kernel stack overflow hits the guard page and panics with a backtrace" -p \
	-a crashtest=stack -e 'panic: trap_handler: kernel stack overflow' \
	-e '#[0-9]+ +0x[0-9a-f]+ recurse_forever' -e 'panic: system halted'
boot_test BOOT-009 "unexpected kernel page fault panics with registers and symbols" -p \
	-a crashtest=fault -e 'panic: trap_handler: load page fault in the kernel' \
	-e 'pc +0x[0-9a-f]+ selftest_crash\+0x' -e ' s0  0x' -e 'panic: system halted'
boot_test BOOT-010 "panic() prints a symbolized backtrace of its caller" -p \
	-a crashtest=panic -e 'panic: selftest_crash: deliberate panic' -e '#0 +0x[0-9a-f]+ selftest_crash\+'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
