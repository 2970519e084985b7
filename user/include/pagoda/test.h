/*
 * A tiny harness for user-space test programs. Same output as the host
 * tests (tests/host/check.h), one line per test, counted by
 * scripts/run-tests.sh from the serial log:
 *     PASS IPC-001 call and reply round-trip
 *     FAIL IPC-002 reply carries a handle: main.c:42: msg_handle(r) >= 0
 *
 *     static void t_roundtrip(void) { TEST_CHECK(ipc_call0(ep, 1).status == 0); }
 *     int main(void) {
 *             test_run("IPC-001", "call and reply round-trip", t_roundtrip);
 *             return test_summary();
 *     }
 */
#ifndef PAGODA_TEST_H
#define PAGODA_TEST_H

#include <stdio.h>

void test_failed(const char *file, int line, const char *what);
int test_failing(void); /* nonzero once the running test has failed */

/* Fails the running test and returns from the test function. */
#define TEST_CHECK(cond)                                               \
	do {                                                           \
		if (!(cond)) {                                         \
			test_failed(__FILE__, __LINE__, #cond);         \
			return;                                        \
		}                                                      \
	} while (0)

#define TEST_CHECK_EQ(a, b)                                                           \
	do {                                                                          \
		long test_a_ = (long)(a);                                             \
		long test_b_ = (long)(b);                                             \
		if (test_a_ != test_b_) {                                             \
			char test_buf_[192];                                          \
			snprintf(test_buf_, sizeof test_buf_, "%s == %s (%ld != %ld)", #a, \
				 #b, test_a_, test_b_);                                \
			test_failed(__FILE__, __LINE__, test_buf_);                   \
			return;                                                       \
		}                                                                     \
	} while (0)

/* Runs fn as test `id`, printing PASS or FAIL with desc. */
void test_run(const char *id, const char *desc, void (*fn)(void));

/*
 * Like test_run, and the test also fails if the system has fewer free frames
 * after fn than before (pg_sysinfo(SYSINFO_FREE_FRAMES)):
 *     FAIL ID desc: leaked N frames (free B before, A after)
 * The count is system-wide: run it while nothing else allocates. The heap
 * never shrinks, so grow it before (malloc and free what fn will need).
 */
void test_run_noleak(const char *id, const char *desc, void (*fn)(void));

/* The system's free frames now (pg_sysinfo(SYSINFO_FREE_FRAMES)). */
long test_free_frames(void);

/* Prints "N passed, N failed"; returns the exit status (0: all passed). */
int test_summary(void);

#endif
