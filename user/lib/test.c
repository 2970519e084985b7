/* The user-space test harness: see <pagoda/test.h>. */
#include <pagoda/runtime.h>
#include <pagoda/test.h>

#include <string.h>

static int passed, failed;
static int current_failed;
static char current_reason[256];

void test_failed(const char *file, int line, const char *what)
{
	const char *base = strrchr(file, '/');

	current_failed = 1;
	snprintf(current_reason, sizeof current_reason, "%s:%d: %s", base ? base + 1 : file,
		 line, what);
}

int test_failing(void)
{
	return current_failed;
}

long test_free_frames(void)
{
	return pg_sysinfo(SYSINFO_FREE_FRAMES);
}

static void run(const char *id, const char *desc, void (*fn)(void), int leak_check)
{
	long before = 0, after;

	current_failed = 0;
	current_reason[0] = '\0';
	if (leak_check)
		before = test_free_frames();
	fn();
	if (leak_check && !current_failed) {
		after = test_free_frames();
		if (before < 0 || after < 0) {
			current_failed = 1;
			snprintf(current_reason, sizeof current_reason,
				 "sysinfo(SYSINFO_FREE_FRAMES) failed: %s", err_text(before < 0 ? before : after));
		} else if (after < before) {
			current_failed = 1;
			snprintf(current_reason, sizeof current_reason,
				 "leaked %ld frames (free %ld before, %ld after)", before - after,
				 before, after);
		}
	}
	if (current_failed) {
		failed++;
		printf("FAIL %s %s: %s\n", id, desc, current_reason);
	} else {
		passed++;
		printf("PASS %s %s\n", id, desc);
	}
	fflush(stdout);
}

void test_run(const char *id, const char *desc, void (*fn)(void))
{
	run(id, desc, fn, 0);
}

void test_run_noleak(const char *id, const char *desc, void (*fn)(void))
{
	run(id, desc, fn, 1);
}

int test_summary(void)
{
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
