FRAME_TEST_SRCS := tests/host/frame_test.c mm/frame.c tests/host/fake_memwatch.c
# The allocator's memory-watch levels, with hooks that record their calls.
FRAME_WATCH_TEST_SRCS := tests/host/frame_watch_test.c mm/frame.c
