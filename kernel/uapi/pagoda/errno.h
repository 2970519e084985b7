/*
 * Pagoda error codes: the one list shared by the kernel and user space.
 *
 * Caller errors are returned as negative values of these codes (0 is success).
 * A broken kernel invariant is never an error code: it panics with
 * "function: reason".
 */
#ifndef PAGODA_ERRNO_H
#define PAGODA_ERRNO_H

#define PAGODA_ERRORS(X)                                                   \
	X(ERR_INVAL, 1, "invalid argument")                                  \
	X(ERR_NOMEM, 2, "out of memory")                                     \
	X(ERR_RANGE, 3, "value out of range")                                \
	X(ERR_NOENT, 4, "no such entry")                                     \
	X(ERR_PERM, 5, "operation not permitted")                            \
	X(ERR_FAULT, 6, "bad address")                                       \
	X(ERR_BUSY, 7, "resource busy")                                      \
	X(ERR_EXIST, 8, "already exists")                                    \
	X(ERR_NOSPC, 9, "no space left")                                     \
	X(ERR_IO, 10, "input/output error")                                  \
	X(ERR_ALIGN, 11, "misaligned argument")                              \
	X(ERR_BADFORMAT, 12, "malformed data")                               \
	X(ERR_TRUNCATED, 13, "data truncated")                               \
	X(ERR_NOSYS, 14, "no such system call")                              \
	X(ERR_BADHANDLE, 15, "invalid handle")                               \
	X(ERR_TIMEDOUT, 16, "timed out")                                     \
	X(ERR_AGAIN, 17, "try again")                                        \
	X(ERR_DEAD, 18, "peer is gone")                                      \
	X(ERR_NOREPLY, 19, "call dropped without a reply")

enum pagoda_error {
#define PAGODA_ERROR_ENUM(name, value, text) name = (value),
	PAGODA_ERRORS(PAGODA_ERROR_ENUM)
#undef PAGODA_ERROR_ENUM
};

/* Human-readable text for a (negative or positive) error code. */
static inline const char *err_text(long code)
{
	if (code < 0)
		code = -code;
	switch (code) {
	case 0:
		return "success";
#define PAGODA_ERROR_CASE(name, value, text) case value: return text;
		PAGODA_ERRORS(PAGODA_ERROR_CASE)
#undef PAGODA_ERROR_CASE
	}
	return "unknown error";
}

#endif
