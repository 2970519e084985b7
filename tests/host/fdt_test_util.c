/*
 * Shared helpers of the device-tree parser tests (see tests/host/fdt_test.h).
 */
#include "tests/host/fdt_test.h"
#include "tests/host/check.h"

#include <pagoda/errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fdt_info info;
char errbuf[256];

/* ------------------------------------------------------------- files -- */


/* Loads a tree; build/test-dtb/NAME.dtb is compiled from tests/dtb/NAME.dts
 * when missing. Exact-size malloc: ASan catches any read past the end. */
uint8_t *load(const char *path, size_t *len)
{
	uint8_t *b = read_file(path, len);
	const char *prefix = "build/test-dtb/";
	if (b == NULL && strncmp(path, prefix, strlen(prefix)) == 0) {
		char cmd[512], name[128];
		size_t n = strlen(path + strlen(prefix));
		if (n > 4 && n < sizeof name) {
			memcpy(name, path + strlen(prefix), n - 4);
			name[n - 4] = '\0';
			snprintf(cmd, sizeof cmd,
				 "mkdir -p build/test-dtb && dtc -q -I dts -O dtb -o %s tests/dtb/%s.dts",
				 path, name);
			if (system(cmd) == 0)
				b = read_file(path, len);
		}
	}
	if (b == NULL)
		fprintf(stderr, "fdt_test: cannot read %s (run from the repository root)\n", path);
	return b;
}

int parse(const void *blob, size_t len)
{
	memset(errbuf, 'X', sizeof errbuf);
	return fdt_parse(blob, len, &info, errbuf, sizeof errbuf);
}

void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* ----------------------------------------------------------- builder -- */
/* Builds small DTBs token by token, including malformed ones dtc won't emit. */

struct builder bld;

void b_init(void)
{
	memset(&bld, 0, sizeof bld);
}

void b_u32(uint32_t v)
{
	put32(bld.st + bld.stlen, v);
	bld.stlen += 4;
}

void b_begin(const char *name)
{
	size_t n = strlen(name) + 1;
	b_u32(1);
	memcpy(bld.st + bld.stlen, name, n);
	bld.stlen = (bld.stlen + n + 3) & ~(size_t)3;
}

void b_end(void)
{
	b_u32(2);
}

uint32_t b_name(const char *name)
{
	size_t i = 0, n = strlen(name) + 1;
	while (i < bld.strslen) {
		if (strcmp(bld.strs + i, name) == 0)
			return (uint32_t)i;
		i += strlen(bld.strs + i) + 1;
	}
	memcpy(bld.strs + bld.strslen, name, n);
	bld.strslen += n;
	return (uint32_t)i;
}

void b_prop_raw(uint32_t nameoff, const void *val, uint32_t len)
{
	b_u32(3);
	b_u32(len);
	b_u32(nameoff);
	memcpy(bld.st + bld.stlen, val, len);
	bld.stlen = (bld.stlen + len + 3) & ~(size_t)3;
}

void b_prop(const char *name, const void *val, uint32_t len)
{
	b_prop_raw(b_name(name), val, len);
}

void b_str(const char *name, const char *s)
{
	b_prop(name, s, (uint32_t)strlen(s) + 1);
}

/* n big-endian cells */
void b_cells(const char *name, int n, ...)
{
	uint8_t v[256];
	va_list ap;
	int i;
	va_start(ap, n);
	for (i = 0; i < n; i++)
		put32(v + 4 * i, va_arg(ap, uint32_t));
	va_end(ap);
	b_prop(name, v, (uint32_t)(4 * n));
}

void b_rsv(uint64_t base, uint64_t size)
{
	bld.rsv[bld.nrsv][0] = base;
	bld.rsv[bld.nrsv][1] = size;
	bld.nrsv++;
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

/* Lays out header, rsvmap, struct and strings into bld.out. */
void b_finish(void)
{
	uint8_t *o = bld.out;
	size_t pos = 40, rsv_off, st_off, str_off;
	int i;

	memset(o, 0, sizeof bld.out);
	if (bld.strs_unterminated) {
		memcpy(bld.strs + bld.strslen, "bogus", 5);
		bld.strslen += 5;
	}
	rsv_off = pos;
	if (!bld.rsv_unterminated) {
		for (i = 0; i < bld.nrsv; i++, pos += 16) {
			put64(o + pos, bld.rsv[i][0]);
			put64(o + pos + 8, bld.rsv[i][1]);
		}
		pos += 16; /* zero entry */
	}
	st_off = pos;
	memcpy(o + pos, bld.st, bld.stlen);
	pos += bld.stlen;
	str_off = pos;
	memcpy(o + pos, bld.strs, bld.strslen);
	pos += bld.strslen;
	if (bld.rsv_unterminated) {
		pos = (pos + 7) & ~(size_t)7;
		rsv_off = pos;
		for (i = 0; i < bld.nrsv; i++, pos += 16) {
			put64(o + pos, bld.rsv[i][0]);
			put64(o + pos + 8, bld.rsv[i][1]);
		}
	}
	put32(o + 0, FDT_MAGIC);
	put32(o + 4, (uint32_t)pos);
	put32(o + 8, (uint32_t)st_off);
	put32(o + 12, (uint32_t)str_off);
	put32(o + 16, (uint32_t)rsv_off);
	put32(o + 20, 17);
	put32(o + 24, 16);
	put32(o + 28, 0);
	put32(o + 32, (uint32_t)bld.strslen);
	put32(o + 36, (uint32_t)bld.stlen);
	bld.outlen = pos;
}

/* Parses bld.out from an exact-size heap copy (so ASan sees overreads). */
int b_parse(void)
{
	uint8_t *copy;
	int rc;
	b_finish();
	copy = malloc(bld.outlen);
	memcpy(copy, bld.out, bld.outlen);
	rc = parse(copy, bld.outlen);
	free(copy);
	return rc;
}

/* A small valid board: the base many malformed variants start from. The
 * root is left open; callers add nodes, then b_end() + b_u32(9). */
void b_base_open(void)
{
	b_init();
	b_begin("");
	b_cells("#address-cells", 1, 2);
	b_cells("#size-cells", 1, 2);
	b_str("model", "Builder Board");
	b_begin("cpus");
	b_cells("#address-cells", 1, 1);
	b_cells("#size-cells", 1, 0);
	b_cells("timebase-frequency", 1, 1000000);
	b_begin("cpu@0");
	b_str("device_type", "cpu");
	b_cells("reg", 1, 0);
	b_str("mmu-type", "riscv,sv39");
	b_end();
	b_end();
	b_begin("memory@80000000");
	b_str("device_type", "memory");
	b_cells("reg", 4, 0, 0x80000000, 0, 0x1000000);
	b_end();
}

void b_base(void)
{
	b_base_open();
	b_end();
	b_u32(9);
}

/* ------------------------------------------------------------ checks -- */

int rc_ok(int rc)
{
	if (rc != 0)
		fprintf(stderr, "fdt_parse: %d %s\n", rc, errbuf);
	return rc == 0;
}

/* A cpu node with reg = <id> and a riscv,cpu-intc child carrying phandle
 * property pname = ph (no phandle when pname is NULL). */
void b_cpu_intc(unsigned id, const char *pname, uint32_t ph)
{
	char name[32];
	snprintf(name, sizeof name, "cpu@%u", id);
	b_begin(name);
	b_str("device_type", "cpu");
	b_cells("reg", 1, id);
	b_str("mmu-type", "riscv,sv39");
	b_begin("interrupt-controller");
	b_str("compatible", "riscv,cpu-intc");
	b_prop("interrupt-controller", "", 0);
	b_cells("#interrupt-cells", 1, 1);
	if (pname != NULL)
		b_cells(pname, 1, ph);
	b_end();
	b_end();
}

/* The PLIC under /soc with the given interrupts-extended cells. */
void b_plic(const uint32_t *cells, unsigned n)
{
	uint8_t v[4 * 80];
	unsigned i;
	for (i = 0; i < n; i++)
		put32(v + 4 * i, cells[i]);
	b_begin("soc");
	b_cells("#address-cells", 1, 1);
	b_cells("#size-cells", 1, 1);
	b_begin("plic@c000000");
	b_str("compatible", "sifive,plic-1.0.0");
	b_cells("reg", 2, 0xc000000, 0x4000000);
	b_cells("riscv,ndev", 1, 53);
	b_prop("interrupts-extended", v, 4 * n);
	b_end();
	b_end();
}
