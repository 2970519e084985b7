# shellcheck shell=bash
# The bench program runs to the end and prints every figure (docs/bench.md).
# A sanity check, not a timing test: it boots at normal speed (no -icount,
# where instret counts host cycles in QEMU) and asserts nothing about values
# beyond their being positive integers. The numbers come from `make bench`.
echo "== make bench's program (sanity, no timing)"
bench_expects=()
for figure in instructions_to_init null_syscall ipc_roundtrip context_switch map_page unmap_page \
	map_page_batched unmap_page_batched fault_zero fault_pager protect_page protect_page_batched \
	ad_query ad_query_single; do
	bench_expects+=(-e "^bench: $figure [1-9][0-9]* instructions$")
done
boot_test BENCH-001 "bench boots, measures and prints every figure as a positive integer" -i \
	-m 256M -a bench -t 120 "${bench_expects[@]}" -e '^bench: done$' \
	-e '^init: bench exited with status 0$' -e 'pagoda: init exited with status 0'
unset bench_expects figure

# The swap figures: the console's swapbench on a fresh disk, without
# -icount (wall time). Values are the host's; only their presence counts.
rm -f "$LOGS/BENCH-002.img" && truncate -s 64M "$LOGS/BENCH-002.img"
bench_expects=()
for figure in disk_raw_mbps disk_raw_write_mbps disk_raw_read_mbps swap_out_mbps swap_in_mbps; do
	bench_expects+=(-e "^bench: $figure [1-9][0-9]* mbps$")
done
boot_test BENCH-002 "swapbench measures the raw disk and swap both ways, every figure reported" -i \
	-m 64M -a "swappool=192 cmds=swapbench_4M" -t 120 "${bench_expects[@]}" \
	-e '^bench: swap_out_ratio [0-9]+ permille$' -e '^bench: swap_in_ratio [0-9]+ permille$' \
	-e 'pagoda: init exited with status 0' \
	-q "-drive file=$LOGS/BENCH-002.img,format=raw,if=none,id=bench0 -device virtio-blk-device,drive=bench0"
rm -f "$LOGS/BENCH-002.img"

# The replacement-policy figures and plots (scripts/bench-policies.sh),
# made afresh.
rm -f "$BUILD"/bench/faults_*.png "$BUILD/bench/policies.txt"
missing=""
out=$(scripts/bench-policies.sh 2>&1) || missing=" (bench-policies.sh failed)"
for t in seqscan loop random zipf shift; do
	[ -s "$BUILD/bench/faults_$t.png" ] || missing="$missing faults_$t.png"
	for p in opt clock fifo random clockpro; do
		grep -Eq "^bench: faults_${p}_$t [1-9][0-9]* faults$" "$BUILD/bench/policies.txt" ||
			missing="$missing faults_${p}_$t"
	done
done
grep -Eq '^bench: faults_geomean_clockpro [1-9][0-9]* permille$' "$BUILD/bench/policies.txt" ||
	missing="$missing faults_geomean_clockpro"
if [ -z "$missing" ]; then
	pass BENCH-003 "bench-policies.sh: every policy's and OPT's faults on every trace, geomeans, plots"
else
	fail BENCH-003 "bench-policies.sh: every policy's and OPT's faults on every trace, geomeans, plots" \
		"missing:$missing"
	echo "$out" | tail -n 20 | sed 's/^/| /'
fi
unset bench_expects figure out missing t p
