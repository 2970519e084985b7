# Device-tree parser tests (kernel/fdt*.c), included by the main Makefile.
# The test binary runs from the repository root: it reads ../shared/dtb/*.dtb,
# tests/dtb/*.dtb (QEMU 7.2 dumps, trimmed to totalsize) and the trees below.
FDT_SRCS := kernel/fdt.c kernel/fdt_blob.c kernel/fdt_props.c
FDT_TEST_SRCS := tests/host/fdt_test.c tests/host/fdt_broken_test.c tests/host/fdt_test_util.c \
	$(FDT_SRCS) kernel/errmsg.c

# Trees compiled from tests/dtb/*.dts; the test binary needs them built first.
FDT_TEST_DTBS := build/test-dtb/custom.dtb

# libFuzzer target (clang -fsanitize=fuzzer,address,undefined), its seeds and dictionary.
FDT_FUZZ_SRCS := tests/fuzz/fdt_fuzz.c $(FDT_SRCS) kernel/errmsg.c
FDT_FUZZ_CORPUS := tests/fuzz/corpus
FDT_FUZZ_DICT := tests/fuzz/fdt.dict

build/test-dtb/%.dtb: tests/dtb/%.dts
	@mkdir -p $(dir $@)
	dtc -I dts -O dtb -o $@ $<
