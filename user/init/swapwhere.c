/*
 * Where swap lives, from the kernel command line (issue 7):
 *   swap=vda              the whole first virtio disk (also the default)
 *   swap=PARTLABEL=name   the GPT partition named name (at most 8 bytes)
 *   swap=TYPE=swap        the GPT partition of type Linux swap
 * turned into SWAP_START's w2 and w3 (user/swapper/swapper.h); and which
 * replacement policy the swapper uses (swappolicy=), SWAP_START's w0.
 */
#include <pagoda/runtime.h>
#include <stdio.h>
#include <string.h>

#include "init.h"
#include "user/swapper/swapper.h"

int swap_where_from_bootargs(unsigned long *where, unsigned long *label)
{
	*where = SWAP_WHOLE_DISK;
	*label = 0;
	const char *args = runtime_info()->bootargs;
	const char *p = strstr(args, "swap=");
	while (p && p != args && p[-1] != ' ')
		p = strstr(p + 1, "swap=");
	if (!p)
		return 0;
	p += 5;
	size_t n = strcspn(p, " ");
	if (n == 3 && strncmp(p, "vda", 3) == 0)
		return 0;
	if (n == 9 && strncmp(p, "TYPE=swap", 9) == 0) {
		*where = SWAP_TYPE_SWAP;
		return 0;
	}
	if (n > 10 && n <= 18 && strncmp(p, "PARTLABEL=", 10) == 0) {
		*where = SWAP_PARTLABEL;
		for (size_t i = 10; i < n; i++)
			*label |= (unsigned long)(unsigned char)p[i] << (8 * (i - 10));
		return 0;
	}
	printf("init: swap=%.*s: not vda, TYPE=swap or PARTLABEL=name (up to 8 bytes)\n", (int)n, p);
	return -ERR_INVAL;
}

/* The boot argument swappolicy=clock|fifo|random (default: clock, the
 * swapper's own default) as SWAP_START's policy number; *given says whether
 * it was there. Unknown names give a number the swapper refuses. */
unsigned long swap_policy_from_bootargs(int *given)
{
	static const char *const names[] = {
		[SWAP_POLICY_CLOCK] = "clock", [SWAP_POLICY_FIFO] = "fifo",
		[SWAP_POLICY_RANDOM] = "random",
	};
	const char *args = runtime_info()->bootargs;
	const char *p = strstr(args, "swappolicy=");
	while (p && p != args && p[-1] != ' ')
		p = strstr(p + 1, "swappolicy=");
	*given = p != NULL;
	if (!p)
		return SWAP_POLICY_CLOCK;
	p += 11;
	size_t n = strcspn(p, " ");
	for (unsigned long i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i]) == n && strncmp(p, names[i], n) == 0)
			return i;
	printf("init: swappolicy=%.*s: not clock, fifo or random\n", (int)n, p);
	return 0xff;
}
