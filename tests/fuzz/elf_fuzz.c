/*
 * libFuzzer target for kernel/elf.c:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. -Ikernel/uapi \
 *       tests/fuzz/elf_fuzz.c kernel/elf.c kernel/errmsg.c -o /tmp/elf_fuzz
 *   mkdir -p /tmp/elf_corpus && /tmp/elf_fuzz -max_total_time=60 /tmp/elf_corpus
 * (seed it with build/test-elf/sample.elf). Beyond the sanitizers, every
 * result is checked against the contract in kernel/elf.h; a violation traps.
 */
#include "kernel/elf.h"

#include <pagoda/abi.h>
#include <pagoda/errno.h>
#include <stddef.h>
#include <stdint.h>

#define REQUIRE(cond)                      \
	do {                               \
		if (!(cond))               \
			__builtin_trap();  \
	} while (0)

static int terminated(const char *s, size_t size)
{
	size_t i;
	for (i = 0; i < size; i++)
		if (s[i] == '\0')
			return 1;
	return 0;
}

static void check(const uint8_t *data, size_t size, uint64_t lo, uint64_t hi)
{
	struct elf_image im;
	char err[160];
	unsigned i, j, nx = 0;
	int rc;

	rc = elf_parse(data, size, lo, hi, &im, err, sizeof err);
	REQUIRE(terminated(err, sizeof err));
	if (rc != 0) {
		REQUIRE(rc < 0 && rc >= -ERR_DEAD);
		REQUIRE(err[0] == 'e' && err[1] == 'l' && err[2] == 'f' && err[3] == ':' &&
			err[5] != '\0');
		REQUIRE(im.nsegments == 0 && im.entry == 0);
		for (i = 0; i < ELF_MAX_SEGMENTS; i++)
			REQUIRE(im.seg[i].memsz == 0 && im.seg[i].prot == 0);
		return;
	}
	REQUIRE(err[0] == '\0');
	REQUIRE(im.nsegments >= 1 && im.nsegments <= ELF_MAX_SEGMENTS);
	for (i = 0; i < im.nsegments; i++) {
		const struct elf_segment *s = &im.seg[i];
		REQUIRE(s->memsz != 0 && s->filesz <= s->memsz);
		REQUIRE(s->offset <= size && s->filesz <= size - s->offset);
		REQUIRE(s->vaddr >= lo && s->vaddr <= hi && s->memsz <= hi - s->vaddr);
		REQUIRE(s->vaddr % 4096 == s->offset % 4096);
		REQUIRE(s->prot != 0 && (s->prot & ~7u) == 0);
		REQUIRE(!((s->prot & ELF_PROT_W) && (s->prot & ELF_PROT_X)));
		REQUIRE(!(s->prot & ELF_PROT_W) || (s->prot & ELF_PROT_R));
		for (j = 0; j < i; j++) {
			const struct elf_segment *t = &im.seg[j];
			uint64_t a0 = s->vaddr / 4096, a1 = (s->vaddr + s->memsz - 1) / 4096;
			uint64_t b0 = t->vaddr / 4096, b1 = (t->vaddr + t->memsz - 1) / 4096;
			REQUIRE(a1 < b0 || b1 < a0);
		}
		if ((s->prot & ELF_PROT_X) && im.entry >= s->vaddr && im.entry - s->vaddr < s->memsz)
			nx++;
	}
	REQUIRE(nx == 1 && (im.entry & 1) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check(data, size, USER_IMAGE_BASE, USER_HEAP_BASE); /* what the kernel passes */
	check(data, size, 0, UINT64_MAX - 4095);            /* the widest range allowed */
	return 0;
}
