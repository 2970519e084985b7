# Split-virtqueue tests (drivers/virtio/virtqueue.c, the part of the
# user-space virtio drivers that trusts nothing the device writes),
# included by the main Makefile. A fake device in the test works the ring
# in host memory, well and badly; ASan watches every access.
VIRTQUEUE_TEST_SRCS := tests/host/virtqueue_test.c drivers/virtio/virtqueue.c
