/*
 * How init hands the virtio-mmio devices to blktest (boot argument
 * "blktest"): init spawns blktest with an endpoint as its bootstrap handle,
 * then sends, for every "virtio,mmio" device of its info page, in order:
 *
 *   BLKTEST_MSG_WINDOW  w0 = physical base, w1 = size, w2 = PLIC source,
 *                       w3 = slot number; handle: the window (frame)
 *   BLKTEST_MSG_IRQ     w3 = slot number; handle: its interrupt
 *                       (only if the device has one)
 *
 * and last BLKTEST_MSG_END with w0 = the disk size in bytes the test
 * should find (boot argument "blkdisk=BYTES"; 0 when not given).
 * Handles are copies: init keeps its own.
 */
#ifndef USER_BLKTEST_H
#define USER_BLKTEST_H

#define BLKTEST_MSG_WINDOW 0xb10
#define BLKTEST_MSG_IRQ 0xb11
#define BLKTEST_MSG_END 0xb12

#define BLKTEST_MAX_SLOTS 16
#define BLKTEST_DEFAULT_DISK_BYTES (16UL << 20)

#endif
