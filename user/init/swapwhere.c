/*
 * Where swap lives, from the kernel command line (issue 7):
 *   swap=vda              the whole first virtio disk (also the default)
 *   swap=PARTLABEL=name   the GPT partition named name (at most 8 bytes)
 *   swap=TYPE=swap        the GPT partition of type Linux swap
 * turned into SWAP_START's w2 and w3 (user/swapper/swapper.h).
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
