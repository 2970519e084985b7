FDT_TEST_SRCS := tests/host/fdt_test.c kernel/fdt.c
