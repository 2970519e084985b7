#ifndef KERNEL_BANNER_H
#define KERNEL_BANNER_H

/* Prints what the kernel found at boot: board, firmware, harts, memory,
 * reservations, timer, console, interrupt controller, virtio devices. */
void banner_print(void);

#endif
