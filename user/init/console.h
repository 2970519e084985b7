/*
 * init's interactive console (console.c): what `make run` reaches when the
 * machine has a virtio-blk disk to swap to, or when the kernel command line
 * carries "cmds=...". Commands: memtest, memtest4, vmstat, free, swapon -s,
 * help, poweroff.
 *
 * Non-interactive mode: the boot argument "cmds=C1;C2;..." runs those
 * commands in order (each echoed after the prompt, as if typed), then
 * powers off. Boot arguments are split at spaces, so inside it '_' stands
 * for a space and ';' separates commands: `make run CMDS='memtest 16M;
 * vmstat; free'` passes "cmds=memtest_16M;vmstat;free".
 */
#ifndef USER_INIT_CONSOLE_H
#define USER_INIT_CONSOLE_H

/* Whether init should run the console: a virtio-blk device is present or
 * the command line holds "cmds=". */
int console_wanted(void);

/* Runs the console until "poweroff" (or the end of cmds=); returns init's
 * exit status. */
int console_run(void);

/* swapbench.c: the console's "swapbench SIZE" (make bench's swap
 * throughput figures); SIZE in bytes, a page multiple. */
void swapbench(unsigned long size);
/* swapbench.c: the console's "replay TRACE" (a policy-comparison trace
 * replayed through the swapper; prints its faults). */
void replay(const char *trace);

#endif
