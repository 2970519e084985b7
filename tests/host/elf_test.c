/*
 * Host unit tests for kernel/elf.c.
 *
 * Fixtures are built in memory: struct images of the ELF64 headers below,
 * written out little-endian into an exact-size malloc'd buffer, so ASan
 * catches any read past the end. One real fixture comes from the toolchain:
 * build/test-elf/sample.elf, built from tests/elf/sample.c by
 * tests/host/elf_test.mk (run from the repository root).
 */
#include "kernel/elf.h"
#include "tests/host/check.h"

#include <pagoda/abi.h>
#include <pagoda/errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAMPLE_ELF "build/test-elf/sample.elf"

#define LO USER_IMAGE_BASE
#define HI USER_HEAP_BASE

/* ------------------------------------------------------------ layouts -- */

struct t_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct t_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

#define MAXPH 80
#define PT_NULL 0
#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_INTERP 3
#define PT_NOTE 4
#define PT_PHDR 6
#define PT_TLS 7
#define PT_GNU_STACK 0x6474e551u
#define PT_GNU_RELRO 0x6474e552u
#define PT_RISCV_ATTRIBUTES 0x70000003u
#define PF_X 1u
#define PF_W 2u
#define PF_R 4u

struct fixture {
	struct t_ehdr eh;
	struct t_phdr ph[MAXPH]; /* eh.phnum of them are written */
	size_t len;              /* image size */
};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* Serializes fx into a malloc'd buffer of exactly fx->len bytes (at least 1
 * byte allocated); whatever does not fit is left out. Other bytes: a pattern. */
static uint8_t *build(const struct fixture *fx)
{
	uint8_t tmp[64 + MAXPH * 56];
	uint8_t *b = malloc(fx->len ? fx->len : 1);
	const struct t_ehdr *e = &fx->eh;
	size_t i;

	if (b == NULL)
		abort();
	for (i = 0; i < fx->len; i++)
		b[i] = (uint8_t)(i * 7 + 3);
	memcpy(tmp, e->ident, 16);
	put16(tmp + 16, e->type);
	put16(tmp + 18, e->machine);
	put32(tmp + 20, e->version);
	put64(tmp + 24, e->entry);
	put64(tmp + 32, e->phoff);
	put64(tmp + 40, e->shoff);
	put32(tmp + 48, e->flags);
	put16(tmp + 52, e->ehsize);
	put16(tmp + 54, e->phentsize);
	put16(tmp + 56, e->phnum);
	put16(tmp + 58, e->shentsize);
	put16(tmp + 60, e->shnum);
	put16(tmp + 62, e->shstrndx);
	memcpy(b, tmp, MIN(fx->len, (size_t)64));
	for (i = 0; i < e->phnum && i < MAXPH; i++) {
		const struct t_phdr *p = &fx->ph[i];
		uint8_t *q = tmp;
		uint64_t at = e->phoff + i * 56;
		put32(q, p->type);
		put32(q + 4, p->flags);
		put64(q + 8, p->offset);
		put64(q + 16, p->vaddr);
		put64(q + 24, p->paddr);
		put64(q + 32, p->filesz);
		put64(q + 40, p->memsz);
		put64(q + 48, p->align);
		if (e->phoff <= fx->len && at <= fx->len - 56 && at >= e->phoff)
			memcpy(b + at, q, 56);
	}
	return b;
}

static struct t_phdr load(uint32_t flags, uint64_t off, uint64_t va, uint64_t fsz, uint64_t msz)
{
	struct t_phdr p = { PT_LOAD, flags, off, va, va, fsz, msz, 0x1000 };
	return p;
}

/*
 * The valid image: text R+X (ELF headers included, as linkers do), rodata R,
 * data R+W with bss, plus two headers to ignore.
 *   [0] PT_RISCV_ATTRIBUTES
 *   [1] LOAD R+X  off 0x0000 va 0x10000 filesz 0x1800 memsz 0x1800
 *   [2] LOAD R    off 0x2000 va 0x12000 filesz 0x0200 memsz 0x0200
 *   [3] LOAD R+W  off 0x2200 va 0x13200 filesz 0x0100 memsz 0x2000
 *   [4] PT_GNU_STACK
 */
static void base(struct fixture *fx)
{
	memset(fx, 0, sizeof *fx);
	memcpy(fx->eh.ident, "\177ELF\2\1\1", 7);
	fx->eh.type = 2;
	fx->eh.machine = 243;
	fx->eh.version = 1;
	fx->eh.entry = 0x10100;
	fx->eh.phoff = 64;
	fx->eh.shoff = 0xdeadbeef; /* never looked at */
	fx->eh.flags = 0x5;
	fx->eh.ehsize = 64;
	fx->eh.phentsize = 56;
	fx->eh.phnum = 5;
	fx->eh.shentsize = 64;
	fx->eh.shnum = 9;
	fx->ph[0] = (struct t_phdr){ PT_RISCV_ATTRIBUTES, PF_R, 0x22c0, 0, 0, 0x40, 0, 1 };
	fx->ph[1] = load(PF_R | PF_X, 0, 0x10000, 0x1800, 0x1800);
	fx->ph[2] = load(PF_R, 0x2000, 0x12000, 0x200, 0x200);
	fx->ph[3] = load(PF_R | PF_W, 0x2200, 0x13200, 0x100, 0x2000);
	fx->ph[4] = (struct t_phdr){ PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 0, 0x10 };
	fx->len = 0x2300;
}

/* ------------------------------------------------------------ helpers -- */

static struct elf_image img;
static char err[256];

static int terminated(const char *s, size_t n)
{
	return memchr(s, '\0', n) != NULL;
}

/* Every guarantee of elf.h for a successful parse of a len-byte image. */
static const char *insane(const struct elf_image *im, size_t len, uint64_t lo, uint64_t hi)
{
	unsigned i, j, x = 0;
	if (im->nsegments < 1 || im->nsegments > ELF_MAX_SEGMENTS)
		return "nsegments out of range";
	for (i = 0; i < im->nsegments; i++) {
		const struct elf_segment *s = &im->seg[i];
		if (s->memsz == 0 || s->filesz > s->memsz)
			return "segment sizes";
		if (s->offset > len || s->filesz > len - s->offset)
			return "segment file range past the image";
		if (s->vaddr < lo || s->vaddr > hi || s->memsz > hi - s->vaddr)
			return "segment outside the user range";
		if (s->vaddr % 4096 != s->offset % 4096)
			return "segment not congruent";
		if (s->prot == 0 || (s->prot & ~7u) || ((s->prot & ELF_PROT_W) && (s->prot & ELF_PROT_X)))
			return "segment rights";
		if ((s->prot & ELF_PROT_W) && !(s->prot & ELF_PROT_R))
			return "write-only segment";
		for (j = 0; j < i; j++) {
			const struct elf_segment *t = &im->seg[j];
			uint64_t a0 = s->vaddr / 4096, a1 = (s->vaddr + s->memsz + 4095) / 4096;
			uint64_t b0 = t->vaddr / 4096, b1 = (t->vaddr + t->memsz + 4095) / 4096;
			if (a0 < b1 && b0 < a1)
				return "segments share a page";
		}
		if ((s->prot & ELF_PROT_X) && im->entry >= s->vaddr && im->entry - s->vaddr < s->memsz)
			x++;
	}
	if (x != 1 || (im->entry & 1))
		return "entry not in exactly one executable segment";
	for (i = im->nsegments; i < ELF_MAX_SEGMENTS; i++)
		if (im->seg[i].vaddr || im->seg[i].memsz || im->seg[i].prot)
			return "unused slot not zero";
	return NULL;
}

/* Field by field: padding bytes are not part of the contract. */
static int is_zeroed(const struct elf_image *im)
{
	unsigned i;
	if (im->entry != 0 || im->nsegments != 0)
		return 0;
	for (i = 0; i < ELF_MAX_SEGMENTS; i++) {
		const struct elf_segment *s = &im->seg[i];
		if (s->vaddr || s->memsz || s->offset || s->filesz || s->prot)
			return 0;
	}
	return 1;
}

/* Parses b[0..len) into img/err and checks the contract's invariants:
 * success -> sane image and err == ""; failure -> code in range, "elf: "
 * message, img zeroed. A violation fails the running test. */
static int parse_buf(const void *b, size_t len, uint64_t lo, uint64_t hi)
{
	int rc;
	memset(err, 'X', sizeof err);
	memset(&img, 0xa5, sizeof img);
	rc = elf_parse(b, len, lo, hi, &img, err, sizeof err);
	if (!terminated(err, sizeof err)) {
		check_failed(__FILE__, __LINE__, "err not NUL-terminated");
	} else if (rc == 0) {
		const char *why = insane(&img, len, lo, hi);
		if (why != NULL)
			check_failed(__FILE__, __LINE__, why);
		if (err[0] != '\0')
			check_failed(__FILE__, __LINE__, "err not empty on success");
	} else {
		if (rc > 0 || rc < -ERR_DEAD)
			check_failed(__FILE__, __LINE__, "return code out of range");
		if (strncmp(err, "elf: ", 5) != 0 || err[5] == '\0')
			check_failed(__FILE__, __LINE__, "message does not start with 'elf: '");
		if (!is_zeroed(&img))
			check_failed(__FILE__, __LINE__, "image not zeroed on failure");
	}
	return rc;
}

static int parse_fx(const struct fixture *fx)
{
	uint8_t *b = build(fx);
	int rc = parse_buf(b, fx->len, LO, HI);
	free(b);
	return rc;
}


/* An exact-size copy of b[0..n): ASan then flags any read past n. */
static uint8_t *exact(const uint8_t *b, size_t n)
{
	uint8_t *c = malloc(n ? n : 1);
	if (c == NULL)
		abort();
	memcpy(c, b, n);
	return c;
}

static uint8_t *load_sample(size_t *len)
{
	uint8_t *b = read_file(SAMPLE_ELF, len);
	if (b == NULL)
		fprintf(stderr, "elf_test: cannot read %s: build it with `make %s` "
				"(tests/host/elf_test.mk) and run from the repository root\n",
			SAMPLE_ELF, SAMPLE_ELF);
	return b;
}

/* -------------------------------------------------------------- tests -- */

static void t_valid(void)
{
	struct fixture fx;
	base(&fx);
	CHECK_EQ(parse_fx(&fx), 0);
	CHECK_EQ(err[0], '\0');
	CHECK_EQ(img.entry, 0x10100);
	CHECK_EQ(img.nsegments, 3);
	CHECK_EQ(img.seg[0].vaddr, 0x10000);
	CHECK_EQ(img.seg[0].memsz, 0x1800);
	CHECK_EQ(img.seg[0].offset, 0);
	CHECK_EQ(img.seg[0].filesz, 0x1800);
	CHECK_EQ(img.seg[0].prot, ELF_PROT_R | ELF_PROT_X);
	CHECK_EQ(img.seg[1].vaddr, 0x12000);
	CHECK_EQ(img.seg[1].memsz, 0x200);
	CHECK_EQ(img.seg[1].offset, 0x2000);
	CHECK_EQ(img.seg[1].filesz, 0x200);
	CHECK_EQ(img.seg[1].prot, ELF_PROT_R);
	CHECK_EQ(img.seg[2].vaddr, 0x13200);
	CHECK_EQ(img.seg[2].memsz, 0x2000);
	CHECK_EQ(img.seg[2].offset, 0x2200);
	CHECK_EQ(img.seg[2].filesz, 0x100);
	CHECK_EQ(img.seg[2].prot, ELF_PROT_R | ELF_PROT_W);
	CHECK(!check_failing());
}

static void t_ignored_types(void)
{
	static const uint32_t types[] = { PT_NULL, PT_NOTE, PT_PHDR, PT_TLS, PT_GNU_STACK,
					  PT_GNU_RELRO, PT_RISCV_ATTRIBUTES, 0x6474e550u,
					  0xffffffffu };
	struct fixture fx;
	size_t i;
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		base(&fx);
		/* Garbage in an ignored header must not matter either. */
		fx.ph[0] = (struct t_phdr){ types[i], 0xffffffffu, UINT64_MAX, UINT64_MAX,
					    0, UINT64_MAX, 3, 3 };
		fx.ph[4].type = types[i];
		CHECK_EQ(parse_fx(&fx), 0);
		CHECK_EQ(img.nsegments, 3);
	}
	CHECK(!check_failing());
}

static void t_bad_magic(void)
{
	struct fixture fx;
	int i;
	for (i = 0; i < 4; i++) {
		base(&fx);
		fx.eh.ident[i] ^= 0x20;
		CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
		CHECK(strstr(err, "bad magic") != NULL);
	}
	base(&fx);
	fx.len = 3;
	fx.eh.ident[2] = 'X';
	CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
	CHECK(!check_failing());
}

static void t_class(void)
{
	static const uint8_t classes[] = { 0, 1, 3, 0xff };
	struct fixture fx;
	size_t i;
	for (i = 0; i < sizeof classes; i++) {
		base(&fx);
		fx.eh.ident[4] = classes[i];
		CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
		CHECK(strstr(err, "ELFCLASS64") != NULL);
	}
	CHECK(!check_failing());
}

static void t_byte_order(void)
{
	struct fixture fx;
	base(&fx);
	fx.eh.ident[5] = 2;
	CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
	CHECK(strstr(err, "little-endian") != NULL);
	base(&fx);
	fx.eh.ident[5] = 0;
	CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
	CHECK(!check_failing());
}

static void t_version(void)
{
	struct fixture fx;
	base(&fx);
	fx.eh.ident[6] = 0;
	CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
	CHECK(strstr(err, "EV_CURRENT") != NULL);
	base(&fx);
	fx.eh.version = 2;
	CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
	CHECK(strstr(err, "EV_CURRENT") != NULL);
}

static void t_et_dyn(void)
{
	struct fixture fx;
	base(&fx);
	fx.eh.type = 3;
	CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
	CHECK(strstr(err, "ET_DYN") != NULL);
	CHECK(strstr(err, "static executables only") != NULL);
}

static void t_other_types(void)
{
	static const uint16_t types[] = { 0, 1, 4, 0xfe00, 0xffff };
	struct fixture fx;
	size_t i;
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		base(&fx);
		fx.eh.type = types[i];
		CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
		CHECK(strstr(err, "not an executable") != NULL);
	}
	base(&fx);
	fx.eh.type = 1;
	CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
	CHECK(strstr(err, "ET_REL") != NULL);
}

static void t_machine(void)
{
	static const uint16_t machines[] = { 0, 62 /* x86-64 */, 183 /* aarch64 */, 242, 244,
					     243 << 8 };
	struct fixture fx;
	size_t i;
	for (i = 0; i < ARRAY_SIZE(machines); i++) {
		base(&fx);
		fx.eh.machine = machines[i];
		CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
		CHECK(strstr(err, "EM_RISCV") != NULL);
	}
	base(&fx);
	fx.eh.machine = 62;
	CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
	CHECK_EQ(strcmp(err, "elf: not a RISC-V image (EM_RISCV 243): machine 62"), 0);
}

static void t_header_sizes(void)
{
	struct fixture fx;
	base(&fx);
	fx.eh.ehsize = 52;
	CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
	CHECK(strstr(err, "e_ehsize") != NULL);
	base(&fx);
	fx.eh.phentsize = 32;
	CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
	CHECK(strstr(err, "e_phentsize") != NULL);
	base(&fx);
	fx.eh.phentsize = 64;
	CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
	CHECK(strstr(err, "e_phentsize") != NULL);
}

static void t_phdrs_out_of_bounds(void)
{
	static const uint64_t phoffs[] = { 0x2300, 0x2300 - 5 * 56 + 1, 0x2301, 1ull << 32,
					   UINT64_MAX - 10, UINT64_MAX - 5 * 56 + 1, UINT64_MAX };
	struct fixture fx;
	size_t i;
	for (i = 0; i < ARRAY_SIZE(phoffs); i++) {
		base(&fx);
		fx.eh.phoff = phoffs[i];
		CHECK_EQ(parse_fx(&fx), -ERR_TRUNCATED);
		CHECK(strstr(err, "program header table") != NULL);
	}
	/* The table ending exactly at the end of the image is fine. */
	base(&fx);
	fx.eh.phoff = 0x2300 - 5 * 56;
	CHECK_EQ(parse_fx(&fx), 0);
	/* A count that pushes the table past the end. */
	base(&fx);
	fx.eh.phoff = 0x2300 - 5 * 56;
	fx.eh.phnum = 6;
	CHECK_EQ(parse_fx(&fx), -ERR_TRUNCATED);
	CHECK_EQ(strcmp(err, "elf: program header table 0x21e8+0x150 runs past the image "
			     "(0x2300 bytes)"),
		 0);
}

static void t_phnum(void)
{
	struct fixture fx;
	base(&fx);
	fx.eh.phnum = 0;
	CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
	CHECK(strstr(err, "no program headers") != NULL);
	base(&fx);
	fx.eh.phnum = ELF_MAX_PHNUM + 1;
	CHECK_EQ(parse_fx(&fx), -ERR_RANGE);
	base(&fx);
	fx.eh.phnum = 0xffff; /* PN_XNUM: extended numbering, not supported */
	CHECK_EQ(parse_fx(&fx), -ERR_RANGE);
	CHECK(strstr(err, "65535 program headers") != NULL);
	base(&fx);
	fx.eh.phnum = ELF_MAX_PHNUM; /* the rest are PT_NULL */
	CHECK_EQ(parse_fx(&fx), 0);
	CHECK_EQ(img.nsegments, 3);
}

static void t_filesz_memsz(void)
{
	struct fixture fx;
	base(&fx);
	fx.ph[3].memsz = 0xff;
	CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
	CHECK_EQ(strcmp(err, "elf: segment 3 filesz 0x100 exceeds memsz 0xff"), 0);
	base(&fx);
	fx.ph[3].memsz = 0x100; /* filesz == memsz: no bss */
	CHECK_EQ(parse_fx(&fx), 0);
}

static void t_file_range(void)
{
	struct fixture fx;
	base(&fx);
	fx.ph[3].filesz = 0x101;
	CHECK_EQ(parse_fx(&fx), -ERR_TRUNCATED);
	CHECK_EQ(strcmp(err, "elf: segment 3 file range 0x2200+0x101 runs past the image "
			     "(0x2300 bytes)"),
		 0);
	/* offset + filesz wraps past 2^64 */
	base(&fx);
	fx.ph[2].offset = UINT64_MAX - 0xfff;
	fx.ph[2].filesz = 0x2000;
	fx.ph[2].memsz = 0x2000;
	CHECK_EQ(parse_fx(&fx), -ERR_TRUNCATED);
	base(&fx);
	fx.ph[2].offset = 0x2000;
	fx.ph[2].filesz = UINT64_MAX - 0x1000;
	fx.ph[2].memsz = UINT64_MAX;
	CHECK_EQ(parse_fx(&fx), -ERR_TRUNCATED);
	base(&fx);
	fx.ph[2].offset = UINT64_MAX;
	fx.ph[2].filesz = 1;
	CHECK_EQ(parse_fx(&fx), -ERR_TRUNCATED);
	/* Past the end with filesz 0 */
	base(&fx);
	fx.ph[3].offset = 0x3200;
	fx.ph[3].filesz = 0;
	CHECK_EQ(parse_fx(&fx), -ERR_TRUNCATED);
	/* Ending exactly at the end is fine, and so is offset == len with filesz 0. */
	base(&fx);
	fx.ph[3].offset = 0x2300;
	fx.ph[3].vaddr = 0x13300;
	fx.ph[3].filesz = 0;
	CHECK_EQ(parse_fx(&fx), 0);
}

static void t_alignment(void)
{
	struct fixture fx;
	base(&fx);
	fx.ph[3].vaddr = 0x13300;
	CHECK_EQ(parse_fx(&fx), -ERR_ALIGN);
	CHECK_EQ(strcmp(err, "elf: segment 3 vaddr 0x13300 and offset 0x2200 differ modulo "
			     "the page size (0x1000)"),
		 0);
	base(&fx);
	fx.ph[2].vaddr = 0x12001;
	CHECK_EQ(parse_fx(&fx), -ERR_ALIGN);
	base(&fx);
	fx.ph[1].align = 0x1800;
	CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
	CHECK(strstr(err, "power of two") != NULL);
	base(&fx);
	fx.ph[1].align = UINT64_MAX;
	CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
	/* 0, 1 and large powers of two are all fine. */
	base(&fx);
	fx.ph[1].align = 0;
	fx.ph[2].align = 1;
	fx.ph[3].align = 0x10000;
	CHECK_EQ(parse_fx(&fx), 0);
}

static void t_user_range(void)
{
	struct fixture fx;
	base(&fx);
	fx.ph[1].vaddr = 0xf000; /* below USER_IMAGE_BASE */
	fx.eh.entry = 0xf100;
	CHECK_EQ(parse_fx(&fx), -ERR_RANGE);
	CHECK_EQ(strcmp(err, "elf: segment 1 memory range 0xf000+0x1800 lies outside user "
			     "space [0x10000, 0x1000000000)"),
		 0);
	base(&fx);
	fx.ph[3].vaddr = HI - 0x1000 + 0x200; /* runs past user_hi */
	CHECK_EQ(parse_fx(&fx), -ERR_RANGE);
	base(&fx);
	fx.ph[3].vaddr = HI + 0x200; /* entirely above */
	CHECK_EQ(parse_fx(&fx), -ERR_RANGE);
	base(&fx);
	fx.ph[3].vaddr = UINT64_MAX - 0xdff; /* vaddr + memsz wraps */
	CHECK_EQ(parse_fx(&fx), -ERR_RANGE);
	base(&fx);
	fx.ph[3].memsz = UINT64_MAX;
	CHECK_EQ(parse_fx(&fx), -ERR_RANGE);
	/* Ending exactly at user_hi is fine. */
	base(&fx);
	fx.ph[3].vaddr = HI - 0x1e00;
	fx.ph[3].memsz = 0x1e00;
	CHECK_EQ(parse_fx(&fx), 0);
	/* ... and starting exactly at user_lo (base) too; a narrower range refuses it. */
	{
		uint8_t *b;
		base(&fx);
		b = build(&fx);
		CHECK_EQ(parse_buf(b, fx.len, 0x11000, HI), -ERR_RANGE);
		CHECK_EQ(parse_buf(b, fx.len, LO, 0x15000), -ERR_RANGE);
		CHECK_EQ(parse_buf(b, fx.len, LO, 0x16000), 0);
		free(b);
	}
}

static void t_overlap(void)
{
	struct fixture fx;
	/* rodata starts on the page where text ends */
	base(&fx);
	fx.ph[2].offset = 0x1800;
	fx.ph[2].vaddr = 0x11800;
	CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
	CHECK_EQ(strcmp(err, "elf: segments 1 and 2 share the page at 0x11000 (their rights "
			     "would conflict)"),
		 0);
	/* the same, listed the other way round */
	base(&fx);
	fx.ph[2] = fx.ph[1];
	fx.ph[1] = load(PF_R, 0x1800, 0x11800, 0x200, 0x200);
	CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
	CHECK(strstr(err, "share the page at 0x11000") != NULL);
	/* bss reaching into the next segment's first page */
	base(&fx);
	fx.ph[2].memsz = 0x1201;
	CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
	CHECK(strstr(err, "segments 2 and 3") != NULL);
	/* identical segments; one inside another */
	base(&fx);
	fx.ph[2] = fx.ph[1];
	fx.ph[2].flags = PF_R;
	CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
	base(&fx);
	fx.ph[3] = load(PF_R | PF_W, 0x200, 0x10200, 0, 0x100);
	CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
	CHECK(strstr(err, "segments 1 and 3") != NULL);
	/* adjacent pages are fine: rodata ending exactly where data's page begins */
	base(&fx);
	fx.ph[2].memsz = 0x1000;
	CHECK_EQ(parse_fx(&fx), 0);
}

static void t_wx(void)
{
	struct fixture fx;
	base(&fx);
	fx.ph[3].flags = PF_R | PF_W | PF_X;
	CHECK_EQ(parse_fx(&fx), -ERR_PERM);
	CHECK_EQ(strcmp(err, "elf: segment 3 is both writable and executable (W^X refuses it)"), 0);
	base(&fx);
	fx.ph[1].flags = PF_W | PF_X;
	CHECK_EQ(parse_fx(&fx), -ERR_PERM);
	CHECK(strstr(err, "segment 1") != NULL);
}

static void t_entry(void)
{
	static const uint64_t bad[] = { 0, 0xfffe, 0x11800, 0x12000, 0x12100, 0x13200, 0x15000,
					UINT64_MAX - 1 };
	struct fixture fx;
	size_t i;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		base(&fx);
		fx.eh.entry = bad[i];
		CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
		CHECK(strstr(err, "not inside an executable segment") != NULL);
	}
	base(&fx);
	fx.eh.entry = 0x10101;
	CHECK_EQ(parse_fx(&fx), -ERR_ALIGN);
	CHECK_EQ(strcmp(err, "elf: entry 0x10101 is not 2-byte aligned"), 0);
	/* first and last halfwords of the executable segment */
	base(&fx);
	fx.eh.entry = 0x10000;
	CHECK_EQ(parse_fx(&fx), 0);
	fx.eh.entry = 0x117fe;
	CHECK_EQ(parse_fx(&fx), 0);
	CHECK_EQ(img.entry, 0x117fe);
	/* an entry in the zero-filled tail of an executable segment still counts */
	base(&fx);
	fx.ph[1].filesz = 0x1000;
	fx.eh.entry = 0x11400;
	CHECK_EQ(parse_fx(&fx), 0);
}

/* n PT_LOAD headers: [0] text, the others one-page bss segments. */
static void many(struct fixture *fx, unsigned n)
{
	unsigned i;
	base(fx);
	fx->eh.phnum = (uint16_t)n;
	fx->ph[0] = load(PF_R | PF_X, 0, 0x10000, 0x1800, 0x1800);
	for (i = 1; i < n; i++)
		fx->ph[i] = load(PF_R | PF_W, 0, 0x20000 + i * 0x1000, 0, 0x1000);
}

static void t_too_many(void)
{
	struct fixture fx;
	many(&fx, ELF_MAX_SEGMENTS);
	CHECK_EQ(parse_fx(&fx), 0);
	CHECK_EQ(img.nsegments, ELF_MAX_SEGMENTS);
	CHECK_EQ(img.seg[ELF_MAX_SEGMENTS - 1].vaddr, 0x20000 + (ELF_MAX_SEGMENTS - 1) * 0x1000);
	many(&fx, ELF_MAX_SEGMENTS + 1);
	CHECK_EQ(parse_fx(&fx), -ERR_NOSPC);
	CHECK_EQ(strcmp(err, "elf: more than 8 PT_LOAD segments (segment 8 is one too many)"), 0);
	many(&fx, 40);
	CHECK_EQ(parse_fx(&fx), -ERR_NOSPC);
}

static void t_interp_dynamic(void)
{
	struct fixture fx;
	base(&fx);
	fx.ph[0] = (struct t_phdr){ PT_INTERP, PF_R, 0x200, 0x10200, 0x10200, 0x1c, 0x1c, 1 };
	CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
	CHECK_EQ(strcmp(err, "elf: segment 0 is PT_INTERP: Pagoda loads static executables only"), 0);
	base(&fx);
	fx.ph[4] = (struct t_phdr){ PT_DYNAMIC, PF_R | PF_W, 0x2200, 0x13200, 0x13200, 0x80, 0x80, 8 };
	CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
	CHECK(strstr(err, "PT_DYNAMIC") != NULL);
}

static void t_no_load_empty(void)
{
	struct fixture fx;
	base(&fx);
	fx.ph[1].type = fx.ph[2].type = fx.ph[3].type = PT_NOTE;
	CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
	CHECK_EQ(strcmp(err, "elf: no PT_LOAD segment"), 0);
	base(&fx);
	fx.ph[2].memsz = 0;
	fx.ph[2].filesz = 0;
	CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
	CHECK_EQ(strcmp(err, "elf: segment 2 is empty (memsz 0)"), 0);
}

static void t_flags(void)
{
	struct fixture fx;
	base(&fx);
	fx.ph[2].flags = 0;
	CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
	CHECK(strstr(err, "segment 2 has no access rights") != NULL);
	/* OS/processor-specific bits alone are no rights either */
	base(&fx);
	fx.ph[2].flags = 0xfff00000u;
	CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
	/* W without R is reported readable (RISC-V has no write-only pages) */
	base(&fx);
	fx.ph[3].flags = PF_W;
	CHECK_EQ(parse_fx(&fx), 0);
	CHECK_EQ(img.seg[2].prot, ELF_PROT_R | ELF_PROT_W);
	/* execute-only text is kept as such; extra bits are ignored */
	base(&fx);
	fx.ph[1].flags = PF_X | 0x0ff00000u;
	CHECK_EQ(parse_fx(&fx), 0);
	CHECK_EQ(img.seg[0].prot, ELF_PROT_X);
}

static void t_truncated_prefixes(void)
{
	struct fixture fx;
	uint8_t *full;
	size_t n;
	base(&fx);
	full = build(&fx);
	for (n = 0; n < fx.len; n++) {
		uint8_t *c = exact(full, n);
		int rc = parse_buf(c, n, LO, HI);
		free(c);
		if (rc != -ERR_TRUNCATED) {
			char why[64];
			snprintf(why, sizeof why, "prefix %zu: rc %d", n, rc);
			check_failed(__FILE__, __LINE__, why);
			break;
		}
	}
	free(full);
	CHECK(!check_failing());
}

static void t_messages(void)
{
	struct fixture fx;
	uint8_t *b;
	char small[32];
	size_t n;
	int rc;
	base(&fx);
	fx.ph[3].filesz = 0x101;
	b = build(&fx);
	for (n = 1; n < sizeof small; n++) {
		memset(small, '#', sizeof small);
		rc = elf_parse(b, fx.len, LO, HI, &img, small, n);
		CHECK_EQ(rc, -ERR_TRUNCATED);
		CHECK_EQ(strlen(small), n - 1); /* truncated, terminated, in bounds */
		CHECK(n == sizeof small - 1 || small[n] == '#');
		CHECK(strncmp(small, "elf: segment 3 file range 0x2200+0x101 runs past", n - 1) == 0);
	}
	memset(small, '#', sizeof small);
	CHECK_EQ(elf_parse(b, fx.len, LO, HI, &img, small, 0), -ERR_TRUNCATED);
	CHECK_EQ(small[0], '#');
	CHECK_EQ(elf_parse(b, fx.len, LO, HI, &img, NULL, 100), -ERR_TRUNCATED);
	free(b);
	/* success clears a stale message */
	base(&fx);
	b = build(&fx);
	strcpy(small, "stale");
	CHECK_EQ(elf_parse(b, fx.len, LO, HI, &img, small, sizeof small), 0);
	CHECK_EQ(small[0], '\0');
	CHECK_EQ(elf_parse(b, fx.len, LO, HI, &img, NULL, 0), 0);
	free(b);
}

static void t_bad_args(void)
{
	struct fixture fx;
	uint8_t *b;
	base(&fx);
	b = build(&fx);
	CHECK_EQ(parse_buf(NULL, fx.len, LO, HI), -ERR_INVAL);
	CHECK_EQ(elf_parse(b, fx.len, LO, HI, NULL, err, sizeof err), -ERR_INVAL);
	CHECK(strstr(err, "elf: ") == err);
	CHECK_EQ(parse_buf(b, fx.len, HI, LO), -ERR_INVAL);
	CHECK_EQ(parse_buf(b, fx.len, LO, LO), -ERR_INVAL);
	CHECK_EQ(parse_buf(b, fx.len, LO + 1, HI), -ERR_INVAL);
	CHECK_EQ(parse_buf(b, fx.len, LO, HI - 1), -ERR_INVAL);
	CHECK(strstr(err, "bad user range") != NULL);
	/* the widest range the contract allows works */
	CHECK_EQ(parse_buf(b, fx.len, 0, UINT64_MAX - 0xfff), 0);
	free(b);
}

static void t_failure_zeroes(void)
{
	struct fixture fx;
	base(&fx);
	fx.eh.entry = 0x13200; /* fails after every segment was recorded */
	CHECK_EQ(parse_fx(&fx), -ERR_BADFORMAT);
	CHECK(is_zeroed(&img));
}

static void t_sample(void)
{
	size_t len = 0;
	uint8_t *b = load_sample(&len), *c;
	unsigned i, nx = 0, nw = 0;
	CHECK(b != NULL);
	c = exact(b, len);
	free(b);
	CHECK_EQ(parse_buf(c, len, LO, HI), 0);
	CHECK(img.entry >= 0x10000);
	CHECK(img.nsegments >= 2);
	for (i = 0; i < img.nsegments; i++) {
		const struct elf_segment *s = &img.seg[i];
		CHECK(s->offset + s->filesz <= len);
		CHECK(s->vaddr >= LO && s->vaddr + s->memsz <= HI);
		if (s->prot & ELF_PROT_X) {
			nx++;
			CHECK(img.entry >= s->vaddr && img.entry < s->vaddr + s->memsz);
		}
		if (s->prot & ELF_PROT_W) {
			nw++;
			CHECK(s->memsz >= s->filesz + 8192); /* sample_scratch is bss */
		}
	}
	CHECK_EQ(nx, 1);
	CHECK_EQ(nw, 1);
	/* the same image in a user range that excludes it is refused */
	CHECK_EQ(parse_buf(c, len, 0x100000, HI), -ERR_RANGE);
	free(c);
}

static void t_sample_prefixes(void)
{
	size_t len = 0, n, need;
	uint8_t *b = load_sample(&len), *c;
	unsigned i;
	CHECK(b != NULL);
	/* The shortest prefix that still parses keeps the program header table
	 * and every segment's file bytes (section headers come last, unread). */
	c = exact(b, len);
	CHECK_EQ(parse_buf(c, len, LO, HI), 0);
	free(c);
	need = 64 + 56 * (size_t)(b[56] | b[57] << 8);
	for (i = 0; i < img.nsegments; i++)
		need = MAX(need, (size_t)(img.seg[i].offset + img.seg[i].filesz));
	CHECK(need < len);
	for (n = 0; n < len; n++) {
		int rc;
		c = exact(b, n);
		rc = parse_buf(c, n, LO, HI);
		free(c);
		if (rc != (n < need ? -ERR_TRUNCATED : 0)) {
			char why[64];
			snprintf(why, sizeof why, "prefix %zu of %zu: rc %d", n, len, rc);
			check_failed(__FILE__, __LINE__, why);
			break;
		}
	}
	free(b);
	CHECK(!check_failing());
}

/* Deterministic random byte mutations of both fixtures: every outcome must
 * honour the contract (checked by parse_buf). */
static void t_mutations(void)
{
	struct fixture fx;
	size_t slen = 0, len, k;
	uint8_t *sample = load_sample(&slen), *fixture_img, *c;
	uint64_t x = 0x9e3779b97f4a7c15ull;
	int ok = 0, round;
	CHECK(sample != NULL);
	base(&fx);
	fixture_img = build(&fx);
	for (round = 0; round < 20000 && !check_failing(); round++) {
		const uint8_t *src = (round & 1) ? sample : fixture_img;
		len = (round & 1) ? slen : fx.len;
		c = exact(src, len);
		for (k = 0; k < 1 + (size_t)(round % 4); k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* bias toward the headers, where the decisions are */
			c[(x >> 8) % ((x & 1) ? len : MIN(len, (size_t)64 + 5 * 56))] = (uint8_t)(x >> 40);
		}
		if (parse_buf(c, len, LO, HI) == 0)
			ok++;
		free(c);
	}
	free(sample);
	free(fixture_img);
	CHECK(!check_failing());
	CHECK(ok > 100); /* mutations in ignored bytes still parse */
}

int main(void)
{
	run_test("ELF-001", "parses a text R+X, rodata R, data R+W + bss image exactly", t_valid);
	run_test("ELF-002", "ignores PT_NOTE, PT_GNU_STACK, PT_RISCV_ATTRIBUTES and other non-load headers", t_ignored_types);
	run_test("ELF-003", "refuses a bad magic", t_bad_magic);
	run_test("ELF-004", "refuses a class other than ELFCLASS64", t_class);
	run_test("ELF-005", "refuses big-endian and unknown byte orders", t_byte_order);
	run_test("ELF-006", "refuses a version other than EV_CURRENT", t_version);
	run_test("ELF-007", "refuses ET_DYN: static executables only", t_et_dyn);
	run_test("ELF-008", "refuses ET_REL, ET_CORE and unknown types", t_other_types);
	run_test("ELF-009", "refuses machines other than EM_RISCV", t_machine);
	run_test("ELF-010", "refuses wrong e_ehsize and e_phentsize", t_header_sizes);
	run_test("ELF-011", "refuses a program header table out of bounds (wrapping offsets too)", t_phdrs_out_of_bounds);
	run_test("ELF-012", "refuses 0 or more than ELF_MAX_PHNUM program headers", t_phnum);
	run_test("ELF-013", "refuses filesz > memsz", t_filesz_memsz);
	run_test("ELF-014", "refuses segment file ranges past the image (near UINT64_MAX too)", t_file_range);
	run_test("ELF-015", "refuses vaddr/offset not congruent mod 4096 and a bad p_align", t_alignment);
	run_test("ELF-016", "refuses segments outside the user range or wrapping", t_user_range);
	run_test("ELF-017", "refuses segments sharing a page; adjacent pages are fine", t_overlap);
	run_test("ELF-018", "refuses writable + executable segments (W^X)", t_wx);
	run_test("ELF-019", "refuses an entry outside every executable segment or misaligned", t_entry);
	run_test("ELF-020", "accepts ELF_MAX_SEGMENTS PT_LOADs, refuses one more (ERR_NOSPC)", t_too_many);
	run_test("ELF-021", "refuses PT_INTERP and PT_DYNAMIC", t_interp_dynamic);
	run_test("ELF-022", "refuses no PT_LOAD and an empty PT_LOAD", t_no_load_empty);
	run_test("ELF-023", "refuses a segment without rights; W implies R", t_flags);
	run_test("ELF-024", "fails cleanly on every truncated prefix of the image", t_truncated_prefixes);
	run_test("ELF-025", "messages are truncated to errlen and always NUL-terminated", t_messages);
	run_test("ELF-026", "refuses NULL arguments and a bad user range", t_bad_args);
	run_test("ELF-027", "leaves the output zeroed on failure", t_failure_zeroes);
	run_test("ELF-028", "parses build/test-elf/sample.elf from the real toolchain", t_sample);
	run_test("ELF-029", "fails cleanly on every truncated prefix of sample.elf", t_sample_prefixes);
	run_test("ELF-030", "honours the contract on 20000 random mutations", t_mutations);
	return test_summary();
}
