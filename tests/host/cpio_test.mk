# cpio "newc" boot-archive reader tests (kernel/cpio.c), included by the main
# Makefile. The archives are written in memory by the test itself.
CPIO_TEST_SRCS := tests/host/cpio_test.c kernel/cpio.c kernel/errmsg.c

# libFuzzer target (clang -fsanitize=fuzzer,address,undefined).
CPIO_FUZZ_SRCS := tests/fuzz/cpio_fuzz.c kernel/cpio.c kernel/errmsg.c
