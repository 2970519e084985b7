/*
 * Minimal host unit-test harness. Every test has an id and a one-line
 * description; the runner prints one line per test:
 *     PASS FDT-001 parses the QEMU virt tree
 *     FAIL FDT-002 rejects a truncated blob: fdt_test.c:88: rc == -ERR_TRUNCATED
 * scripts/run-tests.sh counts these lines across every suite.
 */
#ifndef TESTS_HOST_CHECK_H
#define TESTS_HOST_CHECK_H

#include <stdint.h>
#include <stddef.h>
#include <stdio.h>

void check_failed(const char *file, int line, const char *what);
int check_failing(void); /* nonzero once the running test has failed */

#define CHECK(cond)                                                    \
	do {                                                           \
		if (!(cond)) {                                         \
			check_failed(__FILE__, __LINE__, #cond);        \
			return;                                        \
		}                                                      \
	} while (0)

#define CHECK_EQ(a, b)                                                              \
	do {                                                                        \
		unsigned long long check_a_ = (unsigned long long)(a);              \
		unsigned long long check_b_ = (unsigned long long)(b);              \
		if (check_a_ != check_b_) {                                         \
			char check_buf_[256];                                       \
			snprintf(check_buf_, sizeof check_buf_, "%s == %s (0x%llx != 0x%llx)", \
				 #a, #b, check_a_, check_b_);                        \
			check_failed(__FILE__, __LINE__, check_buf_);               \
			return;                                                     \
		}                                                                   \
	} while (0)

/* Runs fn as test `id`, printing PASS or FAIL with desc. */
void run_test(const char *id, const char *desc, void (*fn)(void));

/* The whole file at path in a malloc'd buffer (one spare byte), its length
 * in *len; NULL when it cannot be read. The caller frees it. */
uint8_t *read_file(const char *path, size_t *len);

/* Prints "N passed, N failed" for this binary; returns the exit status. */
int test_summary(void);

#endif
