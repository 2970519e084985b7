/*
 * init's reading of the kernel command line: bootarg_value and
 * has_bootarg for any argument, and what the swapper is started with.
 * Where swap lives (issue 7):
 *   swap=vda              the whole first virtio disk (also the default)
 *   swap=PARTLABEL=name   the GPT partition named name (at most 8 bytes)
 *   swap=TYPE=swap        the GPT partition of type Linux swap
 * turned into SWAP_START's w2 and w3 (user/swapper/swapper.h); and
 * SWAP_START's w0:
 *   swappolicy=clock|fifo|random|clockpro   the replacement policy
 *   swappool=N            the pool's cap, in frames (default SWAP_MAX_POOL)
 *   swapra=N              the fault-around window in pages: read or zero-filled ahead (1: none)
 *   swaplow=N             the low watermark, in free frames of the machine
 */
#include <pagoda/runtime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "init.h"
#include "user/swapper/swapper.h"

int has_bootarg(const char *word)
{
	const char *args = runtime_info()->bootargs;
	size_t n = strlen(word);
	for (const char *p = args; (p = strstr(p, word)); p += n)
		if ((p == args || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return 1;
	return 0;
}

const char *bootarg_value(const char *key, size_t *len)
{
	const char *args = runtime_info()->bootargs;
	size_t n = strlen(key);
	for (const char *p = args; (p = strstr(p, key)); p++)
		if (p == args || p[-1] == ' ') {
			*len = strcspn(p + n, " ");
			return p + n;
		}
	return NULL;
}

int swap_where_from_bootargs(unsigned long *where, unsigned long *label)
{
	*where = SWAP_WHOLE_DISK;
	*label = 0;
	size_t n;
	const char *p = bootarg_value("swap=", &n);
	if (!p)
		return 0;
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

unsigned long swap_policy_from_bootargs(int *given)
{
	static const char *const names[] = {
		[SWAP_POLICY_CLOCK] = "clock", [SWAP_POLICY_FIFO] = "fifo",
		[SWAP_POLICY_RANDOM] = "random", [SWAP_POLICY_CLOCKPRO] = "clockpro",
	};
	size_t n;
	const char *p = bootarg_value("swappolicy=", &n);
	*given = p != NULL;
	if (!p)
		return SWAP_POLICY_DEFAULT;
	for (unsigned long i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i] && strlen(names[i]) == n && strncmp(p, names[i], n) == 0)
			return i;
	printf("init: swappolicy=%.*s: not clock, fifo, random or clockpro\n", (int)n, p);
	return 0xff;
}

/* The number after key (like "swappool="), or dflt when absent. A value
 * that is not a number is reported and gives `bad`. */
static unsigned long number_from_bootargs(const char *key, unsigned long dflt, unsigned long bad)
{
	size_t n;
	const char *p = bootarg_value(key, &n);
	if (!p)
		return dflt;
	char *end;
	unsigned long v = strtoul(p, &end, 10);
	if (end == p || (size_t)(end - p) != n) {
		printf("init: %s%.*s: not a number\n", key, (int)n, p);
		return bad;
	}
	return v;
}

unsigned long swap_start_word_from_bootargs(void)
{
	int given;
	unsigned long policy = swap_policy_from_bootargs(&given);
	/* Out of range (the swapper refuses it) rather than silently defaulted. */
	unsigned long pool = number_from_bootargs("swappool=", 0, 0xffffffffUL);
	unsigned long ra = number_from_bootargs("swapra=", 0, 0xff);
	unsigned long low = number_from_bootargs("swaplow=", 0, 0xffff);
	if (pool > 0xffffffffUL)
		pool = 0xffffffffUL;
	if (ra > 0xff)
		ra = 0xff;
	if (low > 0xffff)
		low = 0xffff;
	return SWAP_START_W0(pool, policy) | SWAP_READAHEAD(ra) | SWAP_LOWMARK(low);
}
