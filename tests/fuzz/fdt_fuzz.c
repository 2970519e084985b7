/*
 * libFuzzer target for the device-tree parser (kernel/fdt*.c):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. -Ikernel/uapi \
 *       tests/fuzz/fdt_fuzz.c kernel/fdt.c kernel/fdt_blob.c kernel/fdt_props.c \
 *       kernel/errmsg.c -o /tmp/fdt_fuzz
 *   mkdir -p /tmp/fdt_corpus && /tmp/fdt_fuzz -max_total_time=60 /tmp/fdt_corpus tests/fuzz/corpus
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
	unsigned i, j;
	int rc;

	rc = fdt_parse(data, size, &info, err, sizeof err);
	TERMINATED(err);
	REQUIRE(fdt_plic_context(NULL, 0, FDT_IRQ_S_EXT) == -1);
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
		/* nonzero intc phandles are unique among harts */
		for (j = 0; j < i; j++)
			REQUIRE(info.harts[i].intc_phandle == 0 ||
				info.harts[j].intc_phandle != info.harts[i].intc_phandle);
	}
	/* PLIC contexts: bounded, none without a PLIC, each resolved to a hart
	 * that has an intc phandle (or UINT32_MAX), and fdt_plic_context()
	 * finds the first matching pair */
	REQUIRE(info.plic.ncontexts <= FDT_MAX_PLIC_CONTEXTS);
	REQUIRE(info.plic.present || info.plic.ncontexts == 0);
	for (i = 0; i < info.plic.ncontexts; i++) {
		uint32_t h = info.plic.context[i].hartid;
		int ctx = fdt_plic_context(&info, h, info.plic.context[i].irq);
		if (h == UINT32_MAX) {
			REQUIRE(ctx == -1);
			continue;
		}
		for (j = 0; j < info.nharts; j++)
			if (info.harts[j].hartid == h)
				break;
		REQUIRE(j < info.nharts && info.harts[j].intc_phandle != 0);
		REQUIRE(ctx >= 0 && (unsigned)ctx <= i);
		REQUIRE(info.plic.context[ctx].hartid == h &&
			info.plic.context[ctx].irq == info.plic.context[i].irq);
	}
	for (i = 0; i < info.nharts; i++) {
		int ctx = fdt_plic_context(&info, info.harts[i].hartid, FDT_IRQ_S_EXT);
		REQUIRE(ctx >= -1 && ctx < (int)info.plic.ncontexts);
		REQUIRE(ctx == -1 || (info.plic.context[ctx].hartid == info.harts[i].hartid &&
				      info.plic.context[ctx].irq == FDT_IRQ_S_EXT));
	}
	REQUIRE(fdt_plic_context(&info, UINT32_MAX, FDT_IRQ_S_EXT) == -1);
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
