/* The root task's pieces: starting programs from the boot archive, tests. */
#ifndef USER_INIT_H
#define USER_INIT_H

#include <pagoda/syscalls.h>

/* Starts program `name` from the boot archive at priority with bootstrap
 * (a handle, or HANDLE_NONE). Returns a process handle or a negative error. */
long spawn(const char *name, unsigned long priority, long bootstrap);

/* Runs the user-space test suite; returns the number of failed tests. */
int utest_run(void);

#endif
