/* Host tests for kernel/format.c, compared against the C library's printf. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "kernel/format.h"

static char ours[256], libc[256];

/* Formats with both implementations; CHECKs they agree. */
#define SAME(...)                                                          \
	do {                                                               \
		size_t n1 = ksnprintf(ours, sizeof ours, __VA_ARGS__);     \
		int n2 = snprintf(libc, sizeof libc, __VA_ARGS__);         \
		if (strcmp(ours, libc) != 0 || n1 != (size_t)n2) {         \
			char msg[600];                                     \
			snprintf(msg, sizeof msg, "\"%s\" vs libc \"%s\"", ours, libc); \
			check_failed(__FILE__, __LINE__, msg);             \
			return;                                            \
		}                                                          \
	} while (0)

static void integers(void)
{
	SAME("%d %i %u", 0, -1, 42u);
	SAME("%d", -2147483647 - 1);
	SAME("%ld %lu", -9223372036854775807L - 1, 18446744073709551615UL);
	SAME("%lld %llx", -5LL, 0xdeadbeefcafeULL);
	SAME("%zu", (size_t)123456789);
	SAME("%hhu %hd", 300, 70000);
	SAME("%o", 8);
}

static void hex_and_pointers(void)
{
	SAME("%x %X %lx", 255u, 255u, 0xffffffff80000000UL);
	SAME("%016lx|%-8x|%8x", 0x1234UL, 0xabu, 0xabu);
	SAME("%p", (void *)0x80200000UL);
}

static void strings_and_chars(void)
{
	SAME("[%s] [%10s] [%-10s] [%.3s]", "pagoda", "pagoda", "pagoda", "pagoda");
	SAME("%c%c%c", 'a', 'b', 'c');
	SAME("100%%");
	SAME("[%*d] [%-*d]", 5, 42, 5, 42);
	SAME("[%.*s]", 2, "xyz");
}

static void truncation(void)
{
	char small[8];
	size_t n = ksnprintf(small, sizeof small, "%s", "0123456789");
	CHECK_EQ(n, 10);
	CHECK(strcmp(small, "0123456") == 0);
	n = ksnprintf(small, 1, "abc");
	CHECK_EQ(n, 3);
	CHECK_EQ(small[0], '\0');
	n = ksnprintf(NULL, 0, "%d", 12345);
	CHECK_EQ(n, 5);
}

/* These formats are wrong on purpose: the kernel must survive them. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
#pragma GCC diagnostic ignored "-Wformat-overflow"
static void odd_formats(void)
{
	size_t n = ksnprintf(ours, sizeof ours, "%s", (const char *)NULL);
	CHECK(strcmp(ours, "(null)") == 0 && n == 6);
	ksnprintf(ours, sizeof ours, "trailing %");
	CHECK(strcmp(ours, "trailing ") == 0);
	ksnprintf(ours, sizeof ours, "%q");
	CHECK(strcmp(ours, "%q") == 0);
}
#pragma GCC diagnostic pop

int main(void)
{
	run_test("FMT-001", "integers of every length match libc", integers);
	run_test("FMT-002", "hex, padding and pointers match libc", hex_and_pointers);
	run_test("FMT-003", "strings, widths, precision, %% match libc", strings_and_chars);
	run_test("FMT-004", "output is truncated and NUL-terminated, length reported", truncation);
	run_test("FMT-005", "NULL string, lone %, unknown conversions are visible", odd_formats);
	return test_summary();
}
