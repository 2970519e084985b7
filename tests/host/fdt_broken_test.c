/*
 * Host unit tests for the device-tree parser (kernel/fdt*.c): malformed trees
 * and mutations. Registered by main() in tests/host/fdt_test.c.
 */
#include "tests/host/fdt_test.h"
#include "tests/host/check.h"

#include <pagoda/errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int err_terminated(void)
{
	return memchr(errbuf, '\0', sizeof errbuf) != NULL;
}

/* ---------------------------------------------------- broken trees -- */

/* rc must be want and errbuf must mention every non-NULL word. */
static int expect(int rc, int want, const char *w1, const char *w2)
{
	if (rc != want || !err_terminated() || strncmp(errbuf, "fdt: ", 5) != 0 ||
	    (w1 != NULL && strstr(errbuf, w1) == NULL) || (w2 != NULL && strstr(errbuf, w2) == NULL)) {
		fprintf(stderr, "got %d \"%.*s\", want %d mentioning '%s' '%s'\n", rc,
			(int)sizeof errbuf, errbuf, want, w1 ? w1 : "", w2 ? w2 : "");
		return 0;
	}
	return 1;
}

void t_prefixes(void)
{
	const char *paths[] = {VF2_DTB, "tests/dtb/qemu-virt-64M-smp1.dtb", CUSTOM_DTB};
	size_t p, n, len;
	for (p = 0; p < 3; p++) {
		uint8_t *b = load(paths[p], &len);
		CHECK(b != NULL);
		uint8_t *cut = malloc(len);
		for (n = 0; n < len; n++) {
			/* the prefix ends where the allocation does: any read
			 * past n bytes trips ASan */
			int rc;
			memcpy(cut + len - n, b, n);
			rc = parse(cut + len - n, n);
			if (!expect(rc, -ERR_TRUNCATED, n < 8 ? "shorter" : "totalsize", NULL)) {
				free(cut);
				free(b);
				CHECK_EQ(n, len); /* reports the failing length */
			}
		}
		free(cut);
		free(b);
	}
}

void t_bad_magic(void)
{
	size_t len;
	uint8_t *b = load(VF2_DTB, &len);
	CHECK(b != NULL);
	b[3] = 0xee;
	CHECK(expect(parse(b, len), -ERR_BADFORMAT, "magic", "0xd00dfeee"));
	free(b);
}

void t_totalsize(void)
{
	size_t len;
	uint8_t *b = load(VF2_DTB, &len);
	CHECK(b != NULL);
	put32(b + 4, (uint32_t)len + 1);
	CHECK(expect(parse(b, len), -ERR_TRUNCATED, "totalsize 0x7d29", "available"));
	put32(b + 4, FDT_MAX_SIZE + 1);
	CHECK(expect(parse(b, len), -ERR_RANGE, "FDT_MAX_SIZE", NULL));
	put32(b + 4, 39);
	CHECK(expect(parse(b, len), -ERR_BADFORMAT, "smaller than the header", NULL));
	free(b);
}

void t_block_offsets(void)
{
	size_t len;
	uint8_t *b = load("tests/dtb/qemu-virt-64M-smp1.dtb", &len), save[40];
	CHECK(b != NULL);
	memcpy(save, b, 40);
	put32(b + 8, (uint32_t)len + 4); /* off_dt_struct */
	CHECK(expect(parse(b, len), -ERR_BADFORMAT, "struct block", "outside"));
	memcpy(b, save, 40);
	put32(b + 36, (uint32_t)len); /* size_dt_struct */
	CHECK(expect(parse(b, len), -ERR_BADFORMAT, "struct block", "outside"));
	memcpy(b, save, 40);
	put32(b + 8, 8); /* inside the header */
	CHECK(expect(parse(b, len), -ERR_BADFORMAT, "struct block", "outside"));
	memcpy(b, save, 40);
	put32(b + 8, get32(b + 8) + 2);
	CHECK(expect(parse(b, len), -ERR_BADFORMAT, "4-byte aligned", NULL));
	memcpy(b, save, 40);
	put32(b + 12, get32(b + 12) + 1); /* off_dt_strings + size now 1 past the end */
	CHECK(expect(parse(b, len), -ERR_BADFORMAT, "strings block", "outside"));
	memcpy(b, save, 40);
	put32(b + 32, 0xffffffffu); /* size_dt_strings */
	CHECK(expect(parse(b, len), -ERR_BADFORMAT, "strings block", "outside"));
	memcpy(b, save, 40);
	put32(b + 16, (uint32_t)len + 8); /* off_mem_rsvmap */
	CHECK(expect(parse(b, len), -ERR_BADFORMAT, "reservation block", "outside"));
	memcpy(b, save, 40);
	put32(b + 16, 44);
	CHECK(expect(parse(b, len), -ERR_BADFORMAT, "reservation block", "8-byte aligned"));
	memcpy(b, save, 40);
	CHECK(rc_ok(parse(b, len)));
	free(b);
}

void t_rsvmap_unterminated(void)
{
	b_base();
	b_rsv(0x80000000, 0x1000);
	b_rsv(0x81000000, 0x1000);
	bld.rsv_unterminated = 1;
	CHECK(expect(b_parse(), -ERR_TRUNCATED, "memory reservation block", "terminating"));
	/* the same map, terminated, is read */
	bld.rsv_unterminated = 0;
	CHECK(rc_ok(b_parse()));
	CHECK_EQ(info.nreserved, 2);
	CHECK_EQ(info.reserved[1].base, 0x81000000);
}

void t_nameoff(void)
{
	b_base_open();
	b_begin("dev@1");
	b_prop_raw(0x7fff0, "x", 2);
	b_end();
	b_end();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_BADFORMAT, "name offset 0x7fff0", "/dev@1"));
}

void t_unterminated_prop_name(void)
{
	uint32_t off;
	b_base_open();
	bld.strs_unterminated = 1; /* b_finish() appends "bogus" without a NUL... */
	off = (uint32_t)bld.strslen; /* ...here, as no other name is added below */
	b_begin("dev@1");
	b_prop_raw(off, "x", 2);
	b_end();
	b_end();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_TRUNCATED, "strings block", "/dev@1"));
}

void t_unterminated_node_name(void)
{
	b_base_open();
	b_u32(1);
	memcpy(bld.st + bld.stlen, "abcdefgh", 8); /* no NUL before the struct block ends */
	bld.stlen += 8;
	CHECK(expect(b_parse(), -ERR_TRUNCATED, "node name", "struct block"));
}

void t_unterminated_values(void)
{
	b_base_open();
	b_begin("soc");
	b_prop("compatible", "ns16550a", 8);
	b_end();
	b_end();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_BADFORMAT, "'compatible' of /soc", "NUL-terminated"));

	b_init();
	b_begin("");
	b_prop("model", "abc", 3);
	b_end();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_BADFORMAT, "'model' of /", "NUL-terminated"));

	b_base_open();
	b_begin("cpus");
	b_cells("#address-cells", 1, 1);
	b_cells("#size-cells", 1, 0);
	b_begin("cpu@7");
	b_str("device_type", "cpu");
	b_cells("reg", 1, 7);
	b_prop("status", "okay", 4);
	b_end();
	b_end();
	b_end();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_BADFORMAT, "'status' of /cpus/cpu@7", "NUL-terminated"));

	b_base_open();
	b_begin("chosen");
	b_prop("bootargs", "", 0);
	b_end();
	b_end();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_BADFORMAT, "'bootargs' of /chosen", "NUL-terminated"));

	b_base_open();
	b_begin("aliases");
	b_prop("serial0", "/soc", 4);
	b_end();
	b_begin("chosen");
	b_str("stdout-path", "serial0");
	b_end();
	b_end();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_BADFORMAT, "alias 'serial0'", "NUL-terminated"));
}

void t_prop_past_struct(void)
{
	b_base_open();
	b_begin("dev@1");
	b_u32(3);
	b_u32(0x100);
	b_u32(b_name("reg"));
	b_u32(0);
	CHECK(expect(b_parse(), -ERR_TRUNCATED, "property 'reg' of /dev@1", "runs past the struct block"));

	b_base_open();
	b_begin("dev@1");
	b_u32(3);
	b_u32(0xfffffff0u); /* huge length: no wrap-around */
	b_u32(b_name("reg"));
	b_end();
	b_end();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_TRUNCATED, "'reg'", "runs past the struct block"));

	b_base_open();
	b_u32(3);
	b_u32(4); /* header cut short */
	CHECK(expect(b_parse(), -ERR_TRUNCATED, "property header", NULL));
}

void t_depth_overflow(void)
{
	int i;
	b_init();
	b_begin("");
	for (i = 0; i < 40; i++)
		b_begin("deep");
	for (i = 0; i < 41; i++)
		b_end();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_NOSPC, "deeper than 32", "/deep/deep"));
}

void t_unbalanced(void)
{
	b_base();
	bld.stlen -= 4;
	b_end(); /* one END_NODE too many */
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_BADFORMAT, "FDT_END_NODE without", NULL));

	b_base_open(); /* root never closed */
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_BADFORMAT, "FDT_END at offset", "open nodes: 1"));

	b_init();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_BADFORMAT, "before any root node", NULL));

	b_base();
	bld.stlen -= 4;
	b_begin("again");
	b_end();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_BADFORMAT, "second root", NULL));

	b_init();
	b_str("model", "x");
	b_begin("");
	b_end();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_BADFORMAT, "property outside any node", NULL));

	b_base_open();
	b_u32(0x42);
	CHECK(expect(b_parse(), -ERR_BADFORMAT, "unknown token 0x42", NULL));

	b_base_open();
	b_begin("");
	CHECK(expect(b_parse(), -ERR_BADFORMAT, "empty name", NULL));
}

void t_missing_end(void)
{
	b_base();
	bld.stlen -= 4; /* drop FDT_END */
	CHECK(expect(b_parse(), -ERR_TRUNCATED, "without FDT_END", NULL));
	b_base();
	bld.stlen -= 4;
	b_u32(4); /* NOPs are fine, but still no FDT_END */
	b_u32(4);
	CHECK(expect(b_parse(), -ERR_TRUNCATED, "without FDT_END", NULL));
	b_base();
	bld.stlen -= 4;
	b_u32(4);
	b_u32(9);
	CHECK(rc_ok(b_parse()));
}

void t_prop_after_subnode(void)
{
	b_base_open();
	b_begin("soc");
	b_begin("child");
	b_end();
	b_str("compatible", "simple-bus");
	b_end();
	b_end();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_BADFORMAT, "'compatible' of /soc", "follows a subnode"));
}

void t_bad_cells(void)
{
	b_base_open();
	b_begin("soc");
	b_cells("#address-cells", 1, 5);
	b_end();
	b_end();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_BADFORMAT, "'#address-cells' of /soc is 5", NULL));

	b_base_open();
	b_begin("soc");
	b_cells("#size-cells", 2, 1, 1);
	b_end();
	b_end();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_BADFORMAT, "'#size-cells' of /soc", "8 bytes"));

	/* 3 cells are legal (PCI) until a reg the kernel reads uses them */
	b_base_open();
	b_begin("pci");
	b_cells("#address-cells", 1, 3);
	b_begin("dev@0");
	b_cells("reg", 4, 0, 0, 0, 0x100);
	b_end();
	b_end();
	b_end();
	b_u32(9);
	CHECK(rc_ok(b_parse()));
	b_base_open();
	b_begin("pci");
	b_cells("#address-cells", 1, 3);
	b_begin("serial@0");
	b_str("compatible", "ns16550a");
	b_cells("reg", 4, 0, 0, 0, 0x100);
	b_end();
	b_end();
	b_end();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_RANGE, "'reg' of /pci/serial@0", "3 address"));
}

void t_bad_reg(void)
{
	b_base_open();
	b_begin("memory@90000000");
	b_str("device_type", "memory");
	b_cells("reg", 3, 0, 0x90000000, 0);
	b_end();
	b_end();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_BADFORMAT, "'reg' of /memory@90000000", "12 bytes"));

	b_base_open();
	b_begin("memory@1");
	b_str("device_type", "memory");
	b_cells("reg", 4, 0xffffffffu, 0xfffff000u, 0, 0x2000);
	b_end();
	b_end();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_RANGE, "wraps", "/memory@1"));

	b_base_open();
	b_begin("cpus");
	b_cells("#address-cells", 1, 1);
	b_cells("#size-cells", 1, 0);
	b_begin("cpu@0");
	b_str("device_type", "cpu");
	b_end();
	b_end();
	b_end();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_BADFORMAT, "/cpus/cpu@0", "no reg"));

	b_base_open();
	b_begin("cpus");
	b_cells("#address-cells", 1, 1);
	b_cells("#size-cells", 1, 0);
	b_begin("cpu@0");
	b_str("device_type", "cpu");
	b_cells("reg", 1, 3);
	b_end();
	b_begin("cpu@1");
	b_str("device_type", "cpu");
	b_cells("reg", 1, 3);
	b_end();
	b_end();
	b_end();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_BADFORMAT, "hart id 3", "twice"));

	b_base_open();
	b_begin("soc");
	b_begin("plic@c000000");
	b_str("compatible", "riscv,plic0");
	b_cells("reg", 3, 0, 0xc000000, 0x4000000);
	b_cells("riscv,ndev", 2, 0, 53);
	b_end();
	b_end();
	b_end();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_BADFORMAT, "'riscv,ndev' of /soc/plic@c000000", "8 bytes"));
}

void t_too_many_mem(void)
{
	uint8_t reg[(FDT_MAX_MEM + 1) * 16];
	int i;
	b_base_open();
	b_begin("memory@100000000");
	b_str("device_type", "memory");
	for (i = 0; i <= FDT_MAX_MEM; i++) {
		put32(reg + 16 * i, 1);
		put32(reg + 16 * i + 4, (uint32_t)i << 24);
		put32(reg + 16 * i + 8, 0);
		put32(reg + 16 * i + 12, 0x100000);
	}
	b_prop("reg", reg, sizeof reg);
	b_end();
	b_end();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_NOSPC, "more than 16 memory ranges", "/memory@100000000"));
}

void t_too_many_other(void)
{
	char name[32];
	int i;

	b_base_open();
	b_begin("soc");
	for (i = 0; i <= FDT_MAX_VIRTIO; i++) {
		snprintf(name, sizeof name, "virtio_mmio@%x", 0x10001000 + i * 0x1000);
		b_begin(name);
		b_str("compatible", "virtio,mmio");
		b_cells("reg", 3, 0, 0x10001000 + i * 0x1000, 0x1000);
		b_cells("interrupts", 1, i + 1);
		b_end();
	}
	b_end();
	b_end();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_NOSPC, "more than 16 virtio", "virtio_mmio@10011000"));

	b_init();
	b_begin("");
	b_begin("cpus");
	b_cells("#address-cells", 1, 1);
	b_cells("#size-cells", 1, 0);
	for (i = 0; i <= FDT_MAX_HARTS; i++) {
		snprintf(name, sizeof name, "cpu@%d", i);
		b_begin(name);
		b_str("device_type", "cpu");
		b_cells("reg", 1, i);
		b_end();
	}
	b_end();
	b_end();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_NOSPC, "more than 16 harts", "/cpus/cpu@16"));

	b_base();
	for (i = 0; i <= FDT_MAX_RESERVED; i++)
		b_rsv(0x80000000u + (uint64_t)i * 0x1000, 0x1000);
	CHECK(expect(b_parse(), -ERR_NOSPC, "more than 32 reserved memory", NULL));

	b_base_open(); /* mem-rsvmap and /reserved-memory share the array */
	b_begin("reserved-memory");
	b_begin("a@0");
	b_cells("reg", 3, 0, 0x90000000, 0x1000);
	b_end();
	b_end();
	b_end();
	b_u32(9);
	for (i = 0; i < FDT_MAX_RESERVED; i++)
		b_rsv(0x80000000u + (uint64_t)i * 0x1000, 0x1000);
	CHECK(expect(b_parse(), -ERR_NOSPC, "more than 32 reserved memory", "/reserved-memory/a@0"));

	b_base_open();
	b_begin("chosen");
	{
		char args[300];
		memset(args, 'a', sizeof args - 1);
		args[sizeof args - 1] = '\0';
		b_str("bootargs", args);
	}
	b_end();
	b_end();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_NOSPC, "'bootargs' of /chosen", "longer"));
}

void t_initrd(void)
{
	b_base_open();
	b_begin("chosen");
	b_cells("linux,initrd-start", 1, 0x84000000);
	b_end();
	b_end();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_BADFORMAT, "/chosen", "only one of linux,initrd"));

	b_base_open();
	b_begin("chosen");
	b_cells("linux,initrd-start", 2, 0, 0x84000000);
	b_cells("linux,initrd-end", 1, 0x83000000);
	b_end();
	b_end();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_BADFORMAT, "initrd in /chosen", "before it starts"));

	b_base_open();
	b_begin("chosen");
	b_cells("linux,initrd-start", 3, 0, 0, 0x84000000);
	b_cells("linux,initrd-end", 1, 0x85000000);
	b_end();
	b_end();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_BADFORMAT, "'linux,initrd-start' of /chosen", "not 4 or 8"));

	b_base_open();
	b_begin("chosen");
	b_cells("linux,initrd-start", 2, 1, 0x84000000);
	b_cells("linux,initrd-end", 2, 1, 0x85000000);
	b_end();
	b_end();
	b_u32(9);
	CHECK(rc_ok(b_parse()));
	CHECK_EQ(info.initrd_start, 0x184000000ull);
	CHECK_EQ(info.initrd_end, 0x185000000ull);
}

/* A board whose PLIC lists the given cells, after one hart 0 with intc 1. */
static int plic_tree(const uint32_t *cells, unsigned n)
{
	b_init();
	b_begin("");
	b_begin("cpus");
	b_cells("#address-cells", 1, 1);
	b_cells("#size-cells", 1, 0);
	b_cpu_intc(0, "phandle", 1);
	b_end();
	b_plic(cells, n);
	b_end();
	b_u32(9);
	return b_parse();
}

void t_plic_bad_contexts(void)
{
	uint32_t cells[2 * (FDT_MAX_PLIC_CONTEXTS + 1)];
	unsigned i;
	for (i = 0; i < FDT_MAX_PLIC_CONTEXTS + 1; i++) {
		cells[2 * i] = 1;
		cells[2 * i + 1] = i % 2 ? 9 : 11;
	}
	/* exactly FDT_MAX_PLIC_CONTEXTS pairs fit; the first S one is found */
	CHECK(rc_ok(plic_tree(cells, 2 * FDT_MAX_PLIC_CONTEXTS)));
	CHECK_EQ(info.plic.ncontexts, FDT_MAX_PLIC_CONTEXTS);
	CHECK_EQ(info.plic.context[FDT_MAX_PLIC_CONTEXTS - 1].hartid, 0);
	CHECK_EQ(info.plic.context[FDT_MAX_PLIC_CONTEXTS - 1].irq, 9);
	CHECK_EQ(fdt_plic_context(&info, 0, FDT_IRQ_S_EXT), 1);
	/* one pair more */
	CHECK(expect(plic_tree(cells, 2 * (FDT_MAX_PLIC_CONTEXTS + 1)), -ERR_NOSPC,
		     "'interrupts-extended' of /soc/plic@c000000", "33 PLIC contexts, more than 32"));
	/* an odd number of cells */
	CHECK(expect(plic_tree(cells, 3), -ERR_BADFORMAT,
		     "'interrupts-extended' of /soc/plic@c000000", "3 cells, not (phandle, irq) pairs"));
	CHECK(expect(plic_tree(cells, 1), -ERR_BADFORMAT, "interrupts-extended", "1 cells"));
	/* not whole cells */
	b_init();
	b_begin("");
	b_begin("plic@c000000");
	b_str("compatible", "riscv,plic0");
	b_prop("interrupts-extended", "\0\0\0\1\0\0", 6);
	b_end();
	b_end();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_BADFORMAT, "'interrupts-extended' of /plic@c000000",
		     "6 bytes long"));
	/* an empty list is no contexts */
	CHECK(rc_ok(plic_tree(cells, 0)));
	CHECK(info.plic.present);
	CHECK_EQ(info.plic.ncontexts, 0);
	CHECK_EQ(fdt_plic_context(&info, 0, FDT_IRQ_S_EXT), -1);
}

void t_cpu_intc_bad_phandle(void)
{
	b_init();
	b_begin("");
	b_begin("cpus");
	b_cells("#address-cells", 1, 1);
	b_cells("#size-cells", 1, 0);
	b_begin("cpu@0");
	b_str("device_type", "cpu");
	b_cells("reg", 1, 0);
	b_begin("interrupt-controller");
	b_str("compatible", "riscv,cpu-intc");
	b_cells("phandle", 2, 0, 1);
	b_end();
	b_end();
	b_end();
	b_end();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_BADFORMAT,
		     "'phandle' of /cpus/cpu@0/interrupt-controller", "8 bytes long"));

	/* two harts claiming the same intc phandle: routing would be ambiguous */
	b_init();
	b_begin("");
	b_begin("cpus");
	b_cells("#address-cells", 1, 1);
	b_cells("#size-cells", 1, 0);
	b_cpu_intc(0, "phandle", 3);
	b_cpu_intc(1, "linux,phandle", 3);
	b_end();
	b_end();
	b_u32(9);
	CHECK(expect(b_parse(), -ERR_BADFORMAT, "phandle 0x3 of /cpus/cpu@1/interrupt-controller",
		     "hart 0's interrupt controller"));
}

/* ------------------------------------------------------ mutations -- */

static uint32_t rng_state = 0x2545f491u; /* fixed seed */

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* Parses a mutated copy; the result must be 0 or a clean negative error. */
static int mutant_ok(const uint8_t *b, size_t len, int *rcp)
{
	uint8_t *copy = malloc(len);
	int rc;
	memcpy(copy, b, len);
	rc = parse(copy, len);
	free(copy);
	*rcp = rc;
	if (rc == 0)
		return info.nmem <= FDT_MAX_MEM && info.nharts <= FDT_MAX_HARTS &&
		       info.nreserved <= FDT_MAX_RESERVED && info.nvirtio <= FDT_MAX_VIRTIO &&
		       info.plic.ncontexts <= FDT_MAX_PLIC_CONTEXTS;
	return rc < 0 && rc >= -ERR_DEAD && err_terminated() && strncmp(errbuf, "fdt: ", 5) == 0 &&
	       strlen(errbuf) > 10;
}

void t_mutate_every_byte(void)
{
	size_t len, i;
	uint8_t *b = load("tests/dtb/qemu-virt-64M-smp1.dtb", &len);
	unsigned failures = 0, errors = 0;
	int rc;
	CHECK(b != NULL);
	for (i = 0; i < len; i++) {
		uint8_t old = b[i];
		b[i] = (uint8_t)~old;
		if (!mutant_ok(b, len, &rc))
			failures++;
		errors += rc != 0;
		b[i] = (uint8_t)(old ^ (1u << (i % 8)));
		if (!mutant_ok(b, len, &rc))
			failures++;
		errors += rc != 0;
		b[i] = old;
	}
	free(b);
	CHECK_EQ(failures, 0);
	CHECK(errors > len / 2); /* most mutations must be caught */
}

void t_mutate_random(void)
{
	const char *paths[] = {VF2_DTB, CUSTOM_DTB};
	size_t len, p;
	unsigned n, failures = 0, errors = 0;
	int rc;
	for (p = 0; p < 2; p++) {
		uint8_t *b = load(paths[p], &len), *m;
		CHECK(b != NULL);
		m = malloc(len);
		for (n = 0; n < 2000; n++) {
			unsigned k, flips = 1 + rng() % 4;
			memcpy(m, b, len);
			for (k = 0; k < flips; k++)
				m[rng() % len] = (uint8_t)rng();
			if (n % 4 == 0) /* aim at the header, where offsets live */
				m[rng() % 40] = (uint8_t)rng();
			if (!mutant_ok(m, len, &rc))
				failures++;
			errors += rc != 0;
		}
		free(m);
		free(b);
	}
	CHECK_EQ(failures, 0);
	CHECK(errors > 0); /* the mutations did reach the parser's error paths */
}
