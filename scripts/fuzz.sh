#!/usr/bin/env bash
# Fuzzes the parsers that read untrusted input: device trees, ELF images,
# cpio boot archives and GPT partition tables (libFuzzer, ASan, UBSan).
#   scripts/fuzz.sh --brief NAME   a fixed number of runs with a fixed seed, on
#                                  a fresh copy of the seeds (make test)
#   scripts/fuzz.sh SECONDS        every target for SECONDS each (make fuzz);
#                                  new inputs are kept in build/fuzz/NAME-corpus
set -eu
cd "$(dirname "$0")/.."

# Seeds: real inputs of each kind.
seeds() {
	case $1 in
	fdt) ls tests/dtb/*.dtb build/test-dtb/*.dtb ../shared/dtb/*.dtb tests/fuzz/corpus/* 2>/dev/null ;;
	elf) ls build/user/*.elf build/test-elf/*.elf 2>/dev/null ;;
	cpio) ls build/initrd.cpio 2>/dev/null ;;
	gpt) ls build/test-gpt/disk.img 2>/dev/null ;;
	esac
}

# Copies the seeds of kind $1 into folder $2, numbered (names may repeat).
copy_seeds() {
	local i=0 f
	seeds "$1" | while read -r f; do
		i=$((i + 1))
		cp "$f" "$2/seed$i-$(basename "$f")"
	done
}

runs_for() {
	case $1 in
	fdt) echo 200000 ;;
	*) echo 50000 ;;
	esac
}

if [ "${1:-}" = "--brief" ]; then
	name=${2:?usage: scripts/fuzz.sh --brief fdt|elf|cpio}
	dir=$(mktemp -d)
	trap 'rm -rf "$dir"' EXIT
	copy_seeds "$name" "$dir"
	"build/fuzz/${name}_fuzz" -seed=1 -runs="$(runs_for "$name")" -max_len=65536 "$dir"
	exit 0
fi

seconds=${1:-300}
case $seconds in
*[!0-9]* | "") echo "usage: scripts/fuzz.sh --brief NAME | SECONDS" >&2; exit 2 ;;
esac
for name in fdt elf cpio gpt; do
	corpus=build/fuzz/$name-corpus
	mkdir -p "$corpus"
	copy_seeds "$name" "$corpus"
	echo "== fuzzing $name for ${seconds}s"
	"build/fuzz/${name}_fuzz" -max_total_time="$seconds" -max_len=65536 "$corpus"
done
