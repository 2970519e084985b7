/* hello: the first user program. Proves printf (picolibc) and malloc (sbrk). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pagoda/runtime.h>

const char *progname = "hello";

int main(void)
{
	static const size_t sizes[] = { 16, 100, 4000, 20000, 64 };
	void *bufs[sizeof sizes / sizeof sizes[0]];

	printf("hello from user space\n");
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		bufs[i] = malloc(sizes[i]);
		if (!bufs[i])
			pg_panic("malloc(%zu) failed", sizes[i]);
		memset(bufs[i], (int)i, sizes[i]);
	}
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		const unsigned char *b = bufs[i];
		if (b[0] != i || b[sizes[i] - 1] != i)
			pg_panic("buffer %zu corrupted", i);
		free(bufs[i]);
	}
	printf("hello: malloc and free ok\n");
	return 0;
}
