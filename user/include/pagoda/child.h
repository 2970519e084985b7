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
	CMD_MEM,          /* serve memory requests (enum child_mem_op) on the bootstrap
			   * endpoint until MEM_EXIT or killed */
	CMD_MEMTEST,      /* w0 = base (0: a block of our heap; -2 if malloc fails),
			   * w1 = size (page multiples), w2 = seed, w3 = MEMTEST_*
			   * passes: write a pattern (from address and seed) to every
			   * word of every page in order, then verify all; and/or
			   * read-modify-write whole pages in a seeded random order (2x
			   * the page count), then verify all. Exits with the number of
			   * mismatched words. With MEMTEST_PHASES it also calls
			   * the driver (label CHILD_PHASE, w0 = MEMTEST_WRITTEN or
			   * MEMTEST_VERIFIED) as each sequential pass ends, and
			   * goes on when answered: make bench times the passes. */
	CHILD_PHASE,      /* child -> driver: see CMD_MEMTEST */
	CMD_REPLAY,       /* w0 = base, w1 = trace (enum trace_id, user/swapper/traces.h),
			   * w2 = its memory size M in frames: touch page base + 4096 * p
			   * for every page p of the trace, in order: the first touch
			   * writes the page's stamp, the others read and check it.
			   * Exits with the number of wrong stamps. */
};

#define MEMTEST_SEQ 1UL
#define MEMTEST_RANDOM 2UL
#define MEMTEST_PHASES 4UL
enum { MEMTEST_WRITTEN = 1, MEMTEST_VERIFIED = 2 };

/* CMD_MEM: each call's label is an op; the reply (label = the op) carries: */
enum child_mem_op {
	MEM_READ = 1, /* w0 = va -> w0 = the word there, w1 = the address of the
		       * code doing the load (a fault's pc is a little past it) */
	MEM_WRITE,    /* w0 = va, w1 = value -> w1 = the address of the storing code */
	MEM_TOUCH,    /* w0 = base, w1 = stride, w2 = count, w3 = MEM_TOUCH_*: each of
		       * the count addresses base + i*stride is read, written
		       * (with its own address) or checked to hold its address
		       * -> w0 = how many checks failed */
	MEM_CALL,     /* w0 = va: call it (a `ret` there returns) -> w0 = 0 */
	MEM_UNMAP,    /* w0 = va, w1 = size -> w0 = pg_unmap's result */
	MEM_EXIT,     /* exit with w0, replying nothing */
};

enum { MEM_TOUCH_READ, MEM_TOUCH_WRITE, MEM_TOUCH_CHECK };

#endif
