# The user runtime's allocator (user/lib/malloc.c) tests, included by the
# main Makefile. The same source is built for the host with
# -DMALLOC_HOST_TEST: its functions become pgm_malloc and so on (the host's
# own malloc stays), over a fake break the test provides.
MALLOC_TEST_SRCS := tests/host/malloc_test.c user/lib/malloc.c
MALLOC_TEST_HDRS := user/lib/malloc_private.h

$(BUILD)/host/malloc_test: HOST_CFLAGS += -DMALLOC_HOST_TEST
