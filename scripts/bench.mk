# make bench: exact instruction counts for system calls, IPC, context switches,
# mappings and boot, under `qemu -icount` (docs/bench.md). Included by the
# main Makefile; scripts/bench.sh builds nothing, so `all` comes first.
.PHONY: bench
bench: deps all
	scripts/bench.sh
