/*
 * ELF64 executable checker (see kernel/elf.h for the contract).
 *
 * Freestanding: no libc, no globals, no recursion, no allocation. The image
 * is read byte by byte through little-endian helpers, only at offsets already
 * checked against len; the one loop over program headers is bounded by
 * ELF_MAX_PHNUM and the overlap check by ELF_MAX_SEGMENTS, so any input
 * terminates quickly. Range checks are written "a > len || b > len - a" so
 * they cannot wrap.
 *
 * The layouts below are the ELF64 ones from the System V gABI; the kernel has
 * no <elf.h>, so only the offsets this file reads are named.
 */
#include "kernel/elf.h"
#include "kernel/errmsg.h"
#include "kernel/types.h"
#include <pagoda/errno.h>

/* e_ident */
#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1

/* Elf64_Ehdr: field offsets and size */
#define EH_TYPE 16      /* uint16 */
#define EH_MACHINE 18   /* uint16 */
#define EH_VERSION 20   /* uint32 */
#define EH_ENTRY 24     /* uint64 */
#define EH_PHOFF 32     /* uint64 */
#define EH_EHSIZE 52    /* uint16 */
#define EH_PHENTSIZE 54 /* uint16 */
#define EH_PHNUM 56     /* uint16 */
#define EHDR_SIZE 64

/* Elf64_Phdr: field offsets and size */
#define PH_TYPE 0    /* uint32 */
#define PH_FLAGS 4   /* uint32 */
#define PH_OFFSET 8  /* uint64 */
#define PH_VADDR 16  /* uint64 */
#define PH_FILESZ 32 /* uint64 */
#define PH_MEMSZ 40  /* uint64 */
#define PH_ALIGN 48  /* uint64 */
#define PHDR_SIZE 56

#define ET_REL 1
#define ET_EXEC 2
#define ET_DYN 3
#define EM_RISCV 243

#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_INTERP 3

#define PF_X 0x1u
#define PF_W 0x2u
#define PF_R 0x4u

#define ELF_PAGE 4096u

/* ---------------------------------------------------------------- bytes -- */

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | ((uint64_t)le32(p + 4) << 32);
}

static uint64_t page_down(uint64_t x)
{
	return x & ~(uint64_t)(ELF_PAGE - 1);
}

/* --------------------------------------------------------------- errors -- */

/* Starts the message over: "elf: ". */
static void m_begin(struct errmsg *m)
{
	errmsg_begin(m, "elf: ");
}

/* "elf: segment N " */
static void m_seg(struct errmsg *m, unsigned idx)
{
	m_begin(m);
	errmsg_str(m, "segment ");
	errmsg_dec(m, idx);
	errmsg_chr(m, ' ');
}

/* "elf: WHAT" */
static int fail(struct errmsg *m, int code, const char *what)
{
	m_begin(m);
	errmsg_str(m, what);
	return code;
}

/* "elf: WHAT VALUE" */
static int fail_val(struct errmsg *m, int code, const char *what, uint64_t v)
{
	m_begin(m);
	errmsg_str(m, what);
	errmsg_chr(m, ' ');
	errmsg_dec(m, v);
	return code;
}

/* "elf: segment N WHAT" */
static int fail_seg(struct errmsg *m, int code, unsigned idx, const char *what)
{
	m_seg(m, idx);
	errmsg_str(m, what);
	return code;
}

/* ---------------------------------------------------------------- parse -- */

static void clear_image(struct elf_image *out)
{
	unsigned i;
	out->entry = 0;
	out->nsegments = 0;
	for (i = 0; i < ELF_MAX_SEGMENTS; i++) {
		out->seg[i].vaddr = 0;
		out->seg[i].memsz = 0;
		out->seg[i].offset = 0;
		out->seg[i].filesz = 0;
		out->seg[i].prot = 0;
	}
}

/* Field by field: a struct assignment may become a memcpy call. */
static void copy_segment(struct elf_segment *dst, const struct elf_segment *src)
{
	dst->vaddr = src->vaddr;
	dst->memsz = src->memsz;
	dst->offset = src->offset;
	dst->filesz = src->filesz;
	dst->prot = src->prot;
}

/* The ELF header: identity, type, machine, sizes, program header table. */
static int check_header(const uint8_t *b, size_t len, struct errmsg *m)
{
	static const uint8_t magic[4] = { 0x7f, 'E', 'L', 'F' };
	uint16_t type, machine, phnum;
	uint64_t phoff, phsize;
	size_t i;

	for (i = 0; i < 4 && i < len; i++)
		if (b[i] != magic[i])
			return fail(m, -ERR_BADFORMAT, "not an ELF file (bad magic)");
	if (len < EHDR_SIZE) {
		m_begin(m);
		errmsg_str(m, "image is ");
		errmsg_dec(m, len);
		errmsg_str(m, " bytes, shorter than the 64-byte ELF header");
		return -ERR_TRUNCATED;
	}
	if (b[EI_CLASS] != ELFCLASS64)
		return fail_val(m, -ERR_BADFORMAT, "not ELFCLASS64: class is", b[EI_CLASS]);
	if (b[EI_DATA] != ELFDATA2LSB)
		return fail_val(m, -ERR_BADFORMAT, "not little-endian (ELFDATA2LSB): data is",
				b[EI_DATA]);
	if (b[EI_VERSION] != EV_CURRENT || le32(b + EH_VERSION) != EV_CURRENT)
		return fail(m, -ERR_BADFORMAT, "version is not EV_CURRENT (1)");

	type = le16(b + EH_TYPE);
	if (type == ET_DYN)
		return fail(m, -ERR_BADFORMAT,
			    "ET_DYN (shared object or PIE) refused: Pagoda loads static "
			    "executables only (ET_EXEC)");
	if (type != ET_EXEC)
		return fail_val(m, -ERR_BADFORMAT,
				type == ET_REL ? "not an executable (ET_REL object file): type"
					       : "not an executable (ET_EXEC): type",
				type);
	machine = le16(b + EH_MACHINE);
	if (machine != EM_RISCV)
		return fail_val(m, -ERR_BADFORMAT, "not a RISC-V image (EM_RISCV 243): machine",
				machine);
	if (le16(b + EH_EHSIZE) != EHDR_SIZE)
		return fail_val(m, -ERR_BADFORMAT, "e_ehsize is not 64:", le16(b + EH_EHSIZE));
	if (le16(b + EH_PHENTSIZE) != PHDR_SIZE)
		return fail_val(m, -ERR_BADFORMAT, "e_phentsize is not 56:",
				le16(b + EH_PHENTSIZE));

	phnum = le16(b + EH_PHNUM);
	if (phnum == 0)
		return fail(m, -ERR_BADFORMAT, "no program headers");
	if (phnum > ELF_MAX_PHNUM) {
		m_begin(m);
		errmsg_dec(m, phnum);
		errmsg_str(m, " program headers, more than the ");
		errmsg_dec(m, ELF_MAX_PHNUM);
		errmsg_str(m, " allowed");
		return -ERR_RANGE;
	}
	phoff = le64(b + EH_PHOFF);
	phsize = (uint64_t)phnum * PHDR_SIZE;
	if (phoff > len || phsize > len - phoff) {
		m_begin(m);
		errmsg_str(m, "program header table ");
		errmsg_hex(m, phoff);
		errmsg_chr(m, '+');
		errmsg_hex(m, phsize);
		errmsg_str(m, " runs past the image (");
		errmsg_hex(m, len);
		errmsg_str(m, " bytes)");
		return -ERR_TRUNCATED;
	}
	return 0;
}

/* One PT_LOAD program header (index idx) into *s. */
static int check_load(const uint8_t *ph, unsigned idx, size_t len, uint64_t user_lo,
		      uint64_t user_hi, struct elf_segment *s, struct errmsg *m)
{
	uint32_t flags = le32(ph + PH_FLAGS);
	uint64_t offset = le64(ph + PH_OFFSET);
	uint64_t vaddr = le64(ph + PH_VADDR);
	uint64_t filesz = le64(ph + PH_FILESZ);
	uint64_t memsz = le64(ph + PH_MEMSZ);
	uint64_t align = le64(ph + PH_ALIGN);
	unsigned prot = 0;

	if (memsz == 0)
		return fail_seg(m, -ERR_BADFORMAT, idx, "is empty (memsz 0)");
	if (filesz > memsz) {
		m_seg(m, idx);
		errmsg_str(m, "filesz ");
		errmsg_hex(m, filesz);
		errmsg_str(m, " exceeds memsz ");
		errmsg_hex(m, memsz);
		return -ERR_BADFORMAT;
	}
	if (offset > len || filesz > len - offset) {
		m_seg(m, idx);
		errmsg_str(m, "file range ");
		errmsg_hex(m, offset);
		errmsg_chr(m, '+');
		errmsg_hex(m, filesz);
		errmsg_str(m, " runs past the image (");
		errmsg_hex(m, len);
		errmsg_str(m, " bytes)");
		return -ERR_TRUNCATED;
	}
	if ((align & (align - 1)) != 0) {
		m_seg(m, idx);
		errmsg_str(m, "p_align ");
		errmsg_hex(m, align);
		errmsg_str(m, " is not a power of two");
		return -ERR_BADFORMAT;
	}
	if ((vaddr & (ELF_PAGE - 1)) != (offset & (ELF_PAGE - 1))) {
		m_seg(m, idx);
		errmsg_str(m, "vaddr ");
		errmsg_hex(m, vaddr);
		errmsg_str(m, " and offset ");
		errmsg_hex(m, offset);
		errmsg_str(m, " differ modulo the page size (0x1000)");
		return -ERR_ALIGN;
	}

	if (flags & PF_R)
		prot |= ELF_PROT_R;
	if (flags & PF_W)
		prot |= ELF_PROT_W | ELF_PROT_R; /* no write-only pages on RISC-V */
	if (flags & PF_X)
		prot |= ELF_PROT_X;
	if (prot == 0)
		return fail_seg(m, -ERR_BADFORMAT, idx, "has no access rights (p_flags R/W/X all clear)");
	if ((prot & ELF_PROT_W) && (prot & ELF_PROT_X))
		return fail_seg(m, -ERR_PERM, idx, "is both writable and executable (W^X refuses it)");

	if (vaddr < user_lo || vaddr > user_hi || memsz > user_hi - vaddr) {
		m_seg(m, idx);
		errmsg_str(m, "memory range ");
		errmsg_hex(m, vaddr);
		errmsg_chr(m, '+');
		errmsg_hex(m, memsz);
		errmsg_str(m, " lies outside user space [");
		errmsg_hex(m, user_lo);
		errmsg_str(m, ", ");
		errmsg_hex(m, user_hi);
		errmsg_chr(m, ')');
		return -ERR_RANGE;
	}

	s->vaddr = vaddr;
	s->memsz = memsz;
	s->offset = offset;
	s->filesz = filesz;
	s->prot = prot;
	return 0;
}

/* Refuses two segments on one page: their rights would conflict. Ends are
 * at most user_hi (page-aligned, so below 2^64 - 4096): rounding up cannot wrap. */
static int check_overlap(const struct elf_image *out, const unsigned *idx, struct errmsg *m)
{
	unsigned i, j;
	for (i = 0; i < out->nsegments; i++) {
		uint64_t a_lo = page_down(out->seg[i].vaddr);
		uint64_t a_hi = page_down(out->seg[i].vaddr + out->seg[i].memsz + (ELF_PAGE - 1));
		for (j = i + 1; j < out->nsegments; j++) {
			uint64_t b_lo = page_down(out->seg[j].vaddr);
			uint64_t b_hi =
				page_down(out->seg[j].vaddr + out->seg[j].memsz + (ELF_PAGE - 1));
			if (a_lo < b_hi && b_lo < a_hi) {
				m_begin(m);
				errmsg_str(m, "segments ");
				errmsg_dec(m, idx[i]);
				errmsg_str(m, " and ");
				errmsg_dec(m, idx[j]);
				errmsg_str(m, " share the page at ");
				errmsg_hex(m, MAX(a_lo, b_lo));
				errmsg_str(m, " (their rights would conflict)");
				return -ERR_BADFORMAT;
			}
		}
	}
	return 0;
}

static int parse(const uint8_t *b, size_t len, uint64_t user_lo, uint64_t user_hi,
		 struct elf_image *out, struct errmsg *m)
{
	unsigned idx[ELF_MAX_SEGMENTS]; /* program header index of each segment */
	uint64_t phoff, entry;
	unsigned phnum, i;
	int rc;

	rc = check_header(b, len, m);
	if (rc != 0)
		return rc;
	phoff = le64(b + EH_PHOFF);
	phnum = le16(b + EH_PHNUM);

	for (i = 0; i < phnum; i++) {
		const uint8_t *ph = b + phoff + (uint64_t)i * PHDR_SIZE;
		uint32_t type = le32(ph + PH_TYPE);
		struct elf_segment s;

		if (type == PT_INTERP)
			return fail_seg(m, -ERR_BADFORMAT, i,
					"is PT_INTERP: Pagoda loads static executables only");
		if (type == PT_DYNAMIC)
			return fail_seg(m, -ERR_BADFORMAT, i,
					"is PT_DYNAMIC: Pagoda loads static executables only");
		if (type != PT_LOAD)
			continue; /* PT_NOTE, PT_GNU_STACK, PT_RISCV_ATTRIBUTES, PT_TLS, ... */
		rc = check_load(ph, i, len, user_lo, user_hi, &s, m);
		if (rc != 0)
			return rc;
		if (out->nsegments == ELF_MAX_SEGMENTS) {
			m_begin(m);
			errmsg_str(m, "more than ");
			errmsg_dec(m, ELF_MAX_SEGMENTS);
			errmsg_str(m, " PT_LOAD segments (segment ");
			errmsg_dec(m, i);
			errmsg_str(m, " is one too many)");
			return -ERR_NOSPC;
		}
		idx[out->nsegments] = i;
		copy_segment(&out->seg[out->nsegments++], &s);
	}
	if (out->nsegments == 0)
		return fail(m, -ERR_BADFORMAT, "no PT_LOAD segment");
	rc = check_overlap(out, idx, m);
	if (rc != 0)
		return rc;

	entry = le64(b + EH_ENTRY);
	if (entry & 1) {
		m_begin(m);
		errmsg_str(m, "entry ");
		errmsg_hex(m, entry);
		errmsg_str(m, " is not 2-byte aligned");
		return -ERR_ALIGN;
	}
	for (i = 0; i < out->nsegments; i++) {
		const struct elf_segment *s = &out->seg[i];
		if ((s->prot & ELF_PROT_X) && entry >= s->vaddr && entry - s->vaddr < s->memsz)
			break;
	}
	if (i == out->nsegments) {
		m_begin(m);
		errmsg_str(m, "entry ");
		errmsg_hex(m, entry);
		errmsg_str(m, " is not inside an executable segment");
		return -ERR_BADFORMAT;
	}
	out->entry = entry;
	return 0;
}

int elf_parse(const void *image, size_t len, uint64_t user_lo, uint64_t user_hi,
	      struct elf_image *out, char *err, size_t errlen)
{
	struct errmsg m;
	int rc;

	errmsg_init(&m, err, errlen);
	if (out == NULL)
		return fail(&m, -ERR_INVAL, "no output buffer");
	clear_image(out);
	if (image == NULL)
		return fail(&m, -ERR_INVAL, "no image");
	if (user_lo >= user_hi || (user_lo & (ELF_PAGE - 1)) != 0 ||
	    (user_hi & (ELF_PAGE - 1)) != 0) {
		m_begin(&m);
		errmsg_str(&m, "bad user range [");
		errmsg_hex(&m, user_lo);
		errmsg_str(&m, ", ");
		errmsg_hex(&m, user_hi);
		errmsg_str(&m, ") (must be page-aligned and non-empty)");
		return -ERR_INVAL;
	}
	rc = parse(image, len, user_lo, user_hi, out, &m);
	if (rc != 0)
		clear_image(out);
	return rc;
}
