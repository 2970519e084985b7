# make bench: exact instruction counts for system calls, IPC, context switches,
# mappings and boot under `qemu -icount`, swap throughput in wall time, and
# the replacement policies against Belady's optimal from the host simulator
# (docs/bench.md). Included by the main Makefile after the host tests' .mk
# files; scripts/bench.sh builds nothing, so everything it runs comes first.
.PHONY: bench
bench: deps all $(BUILD)/host/policysim
	scripts/bench.sh
