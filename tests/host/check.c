#include "check.h"

#include <stdlib.h>
#include <string.h>

static int passed, failed;
static int current_failed;
static char current_reason[512];

void check_failed(const char *file, int line, const char *what)
{
	const char *base = strrchr(file, '/');
	current_failed = 1;
	snprintf(current_reason, sizeof current_reason, "%s:%d: %s", base ? base + 1 : file,
		 line, what);
}

int check_failing(void)
{
	return current_failed;
}

void run_test(const char *id, const char *desc, void (*fn)(void))
{
	current_failed = 0;
	current_reason[0] = '\0';
	fn();
	if (current_failed) {
		failed++;
		printf("FAIL %s %s: %s\n", id, desc, current_reason);
	} else {
		passed++;
		printf("PASS %s %s\n", id, desc);
	}
	fflush(stdout);
}

int test_summary(void)
{
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;
	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	buf = malloc((size_t)n + 1);
	if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}
