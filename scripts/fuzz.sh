#!/usr/bin/env bash
# Fuzzes the device-tree parser with libFuzzer.
#   scripts/fuzz.sh --brief    a fixed number of runs with a fixed seed (make test)
#   scripts/fuzz.sh SECONDS    a timed run (make fuzz); new inputs are kept in build/fuzz/corpus
set -eu
cd "$(dirname "$0")/.."
corpus=build/fuzz/corpus
mkdir -p "$corpus"
cp -n tests/dtb/*.dtb build/test-dtb/*.dtb ../shared/dtb/*.dtb "$corpus"/ 2>/dev/null || true
[ -d tests/fuzz/corpus ] && cp -n tests/fuzz/corpus/* "$corpus"/ 2>/dev/null || true
if [ "${1:-}" = "--brief" ]; then
	# Deterministic: same seed, same number of runs, a fresh copy of the seeds.
	brief=$(mktemp -d)
	trap 'rm -rf "$brief"' EXIT
	cp tests/dtb/*.dtb ../shared/dtb/*.dtb "$brief"/ 2>/dev/null || true
	build/fuzz/fdt_fuzz -seed=1 -runs=200000 -max_len=65536 "$brief"
	exit 0
fi
case "${1:-300}" in
*[!0-9]*) echo "usage: scripts/fuzz.sh --brief | SECONDS" >&2; exit 2 ;;
esac
exec build/fuzz/fdt_fuzz -max_total_time="${1:-300}" -max_len=65536 "$corpus"
