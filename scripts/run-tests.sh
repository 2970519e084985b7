#!/usr/bin/env bash
# Runs every Pagoda test and ends with one line "N passed, N failed".
# Each test prints "PASS ID description" or "FAIL ID description: why";
# a failed QEMU test also prints its serial log.
# Called by `make test` after the build; run from the repository root.
set -u
cd "$(dirname "$0")/.." || exit 2

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
	local mem=128M smp=1 args="" secs=60 allow_panic=0 extra="" expects=() suite=0
	local initrd="" OPTIND=1 opt
	while getopts "m:s:a:t:e:pq:iu" opt; do
		case $opt in
		m) mem=$OPTARG ;;
		s) smp=$OPTARG ;;
		a) args=$OPTARG ;;
		t) secs=$OPTARG ;;
		e) expects+=("$OPTARG") ;;
		p) allow_panic=1 ;;
		q) extra=$OPTARG ;;
		i) initrd="-initrd $BUILD/initrd.cpio" ;;
		u) suite=1 ;; # the log's own PASS/FAIL lines count one by one
		*) echo "boot_test: unknown option" >&2; return 2 ;;
		esac
	done
	local log=$LOGS/$id.log
	# shellcheck disable=SC2086
	scripts/qemu-boot.sh "$log" "$secs" -m "$mem" -smp "$smp" -bios "$OPENSBI" \
		-kernel "$BUILD/Image" $initrd -append "$args" $extra
	local rc=$? why=""
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		why="timed out after ${secs}s"
	elif [ "$allow_panic" -eq 0 ] && grep -q '^panic:' "$log"; then
		why="kernel panicked: $(grep -m1 '^panic:' "$log")"
	elif [ "$suite" -eq 0 ] && grep -q '^FAIL ' "$log"; then
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
	if [ "$suite" -eq 1 ]; then
		grep -E '^(PASS|FAIL) ' "$log"
		passed=$((passed + $(grep -c '^PASS ' "$log")))
		failed=$((failed + $(grep -c '^FAIL ' "$log")))
		grep -q '^FAIL ' "$log" && [ -z "$why" ] && why="a test in it failed"
	fi
	if [ -z "$why" ]; then
		pass "$id" "$desc"
	else
		fail "$id" "$desc" "$why"
		show_log "$log"
	fi
}

# The suites, in order: each file calls host_suite / boot_test / pass / fail.
for suite in tests/suites/*.sh; do
	# shellcheck source=/dev/null
	. "$suite"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
