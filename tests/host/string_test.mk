# memset/memcpy/memmove/memcmp (kernel/string.c, the kernel's and user
# space's) tests, included by the main Makefile. string_test.c includes
# the source with the four renamed (pg_memset, ...), so the host's own,
# which ASan intercepts, stay as they are: hence a rule of its own.
STRING_TEST_BIN := $(BUILD)/host/string_test

$(STRING_TEST_BIN): tests/host/string_test.c kernel/string.c tests/host/check.c tests/host/check.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) tests/host/string_test.c tests/host/check.c -o $@
