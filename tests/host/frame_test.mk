FRAME_TEST_SRCS := tests/host/frame_test.c mm/frame.c
