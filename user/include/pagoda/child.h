/*
 * The protocol between test drivers and the "child" test program.
 *
 * A child is spawned with an endpoint as its bootstrap handle. It calls
 * CHILD_HELLO (w0 = its pid); the reply's label is a command and w0..w1
 * its arguments. Commands that end in a fault are expected to get the child
 * killed; the driver checks that with process_wait (-ERR_FAULT).
 */
#ifndef PAGODA_CHILD_H
#define PAGODA_CHILD_H

enum child_label {
	CHILD_HELLO = 1,
	CMD_EXIT,         /* exit with code w0 */
	CMD_ECHO,         /* serve: reply to every call with its words, label = badge seen */
	CMD_READ,         /* load from address w0 */
	CMD_WRITE,        /* store to address w0 */
	CMD_EXEC,         /* jump to address w0 */
	CMD_EXEC_STACK,   /* copy a `ret` onto the stack and jump to it */
	CMD_EXEC_HEAP,    /* copy a `ret` into malloc'd memory and jump to it */
	CMD_SPIN,         /* loop forever */
	CMD_SIGNAL_EXIT,  /* signal the handle it was sent with bit 1, then exit 0 */
	CMD_CHECK_HANDLE, /* recv a message with a handle, check its rights, reply results */
	CMD_RECV,         /* block in recv on the bootstrap endpoint; exit with its status */
	CMD_STACK_OVERFLOW, /* recurse until the guard page below the stack stops it */
	CMD_EXHAUST,      /* allocate and map frames until refused; exit with the
			   * page count if the refusal was -ERR_NOMEM, else -1 */
};

#endif
