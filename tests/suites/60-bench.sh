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
