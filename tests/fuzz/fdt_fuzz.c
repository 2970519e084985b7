/*
 * libFuzzer target for kernel/fdt.c:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. -Ikernel/uapi \
 *       tests/fuzz/fdt_fuzz.c kernel/fdt.c -o /tmp/fdt_fuzz
 *   mkdir -p /tmp/fdt_corpus && /tmp/fdt_fuzz -max_total_time=60 /tmp/fdt_corpus tests/fuzz/fdt_corpus
 * Beyond the sanitizers, every result is checked for sanity; a violation traps.
 */
#include "kernel/fdt.h"

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

#define TERMINATED(arr) REQUIRE(terminated((arr), sizeof(arr)))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fdt_info info;
	char err[160];
	unsigned i;
	int rc;

	rc = fdt_parse(data, size, &info, err, sizeof err);
	TERMINATED(err);
	if (rc != 0) {
		REQUIRE(rc < 0 && rc >= -ERR_DEAD);
		REQUIRE(err[0] == 'f' && err[1] == 'd' && err[2] == 't' && err[5] != '\0');
		return 0;
	}
	REQUIRE(err[0] == '\0');
	REQUIRE(info.totalsize >= FDT_HEADER_SIZE && info.totalsize <= size &&
		info.totalsize <= FDT_MAX_SIZE);
	REQUIRE(fdt_header_totalsize(data) == info.totalsize);
	REQUIRE(info.nmem <= FDT_MAX_MEM);
	REQUIRE(info.nreserved <= FDT_MAX_RESERVED);
	REQUIRE(info.nharts <= FDT_MAX_HARTS);
	REQUIRE(info.nvirtio <= FDT_MAX_VIRTIO);
	for (i = 0; i < info.nmem; i++)
		REQUIRE(info.mem[i].size != 0 && info.mem[i].base + info.mem[i].size - 1 >= info.mem[i].base);
	for (i = 0; i < info.nreserved; i++)
		REQUIRE(info.reserved[i].size != 0 &&
			info.reserved[i].base + info.reserved[i].size - 1 >= info.reserved[i].base);
	for (i = 0; i < info.nharts; i++) {
		TERMINATED(info.harts[i].mmu_type);
		TERMINATED(info.harts[i].isa);
		REQUIRE(!info.harts[i].usable || (info.harts[i].enabled && info.harts[i].mmu_type[0]));
	}
	TERMINATED(info.model);
	TERMINATED(info.bootargs);
	TERMINATED(info.stdout_path);
	REQUIRE(info.initrd_start <= info.initrd_end);
	if (info.uart.present) {
		TERMINATED(info.uart.path);
		TERMINATED(info.uart.compatible);
		REQUIRE(info.uart.path[0] == '/');
	} else {
		REQUIRE(info.uart.path[0] == '\0');
	}
	return 0;
}
