#ifndef KERNEL_ROOTTASK_H
#define KERNEL_ROOTTASK_H

/*
 * Starts the root task: the program "init" from the boot archive (the
 * initrd the boot loader placed, found through /chosen). It gets the rest
 * of memory as its quota, a handle to every device window and interrupt
 * the device tree names (listed in its info page), and the archive mapped
 * read-only so it can start the other programs. Then the scheduler runs.
 * Returns only if there is no archive or no init (after saying so).
 */
void roottask_start(void);

#endif
