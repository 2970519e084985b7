/*
 * ELF64 executable checker: decides whether an image may be loaded and
 * describes how, without loading anything. The kernel maps pages afterwards,
 * from the description alone; checking is split from doing, so a refused
 * image is never partly loaded. Pure C, no allocation, no globals: the same
 * file is built into the kernel, the host unit tests and the fuzz target.
 *
 * What is accepted: a static RISC-V executable (ELFCLASS64, little-endian,
 * EV_CURRENT, ET_EXEC, EM_RISCV) with 1..ELF_MAX_SEGMENTS PT_LOAD segments,
 * each non-empty, inside the caller's user range, on pages no other segment
 * touches, never both writable and executable, and an entry point inside an
 * executable segment. PT_INTERP and PT_DYNAMIC are refused (Pagoda has no
 * dynamic linker); every other program header type is ignored. Section
 * headers are never looked at.
 *
 * Robustness contract: elf_parse() reads only bytes inside
 * [image, image + len), in bounded loops, with arithmetic that cannot wrap;
 * on any refusal it returns a negative ERR_* code and a message in err naming
 * what is wrong, e.g.
 *   "elf: segment 2 file range 0x1000+0x5000 runs past the image (0x3000 bytes)"
 * ("segment N" is the index of the program header, as readelf -l counts).
 */
#ifndef KERNEL_ELF_H
#define KERNEL_ELF_H

#include "kernel/types.h"

#define ELF_MAX_SEGMENTS 8 /* PT_LOAD segments an image may have */
#define ELF_MAX_PHNUM 64   /* program headers of every type an image may have */

/* elf_segment.prot bits (note: not the ELF p_flags encoding). */
#define ELF_PROT_R 1u
#define ELF_PROT_W 2u
#define ELF_PROT_X 4u

/*
 * One PT_LOAD segment: map [vaddr, vaddr + memsz) with prot; its first filesz
 * bytes are image[offset .. offset + filesz), the rest are zero.
 * Guaranteed on success:
 *   0 < memsz, filesz <= memsz, offset + filesz <= len (no wrap);
 *   user_lo <= vaddr and vaddr + memsz <= user_hi (no wrap);
 *   vaddr % PAGE_SIZE == offset % PAGE_SIZE;
 *   prot is nonzero, never has both ELF_PROT_W and ELF_PROT_X, and has
 *   ELF_PROT_R whenever it has ELF_PROT_W (RISC-V has no write-only pages:
 *   a writable segment without PF_R is reported readable);
 *   no page of this segment's page-rounded range is touched by another segment.
 */
struct elf_segment {
	uint64_t vaddr;
	uint64_t memsz;
	uint64_t offset;
	uint64_t filesz;
	unsigned prot; /* ELF_PROT_* */
};

struct elf_image {
	uint64_t entry;     /* inside an ELF_PROT_X segment, 2-byte aligned */
	unsigned nsegments; /* 1..ELF_MAX_SEGMENTS on success */
	struct elf_segment seg[ELF_MAX_SEGMENTS]; /* in program header order */
};

/*
 * Checks the ELF executable at image (len bytes, any alignment: fields are
 * read byte by byte) for loading into the user range [user_lo, user_hi), and
 * describes it in *out.
 *
 * user_lo and user_hi must be page-aligned with user_lo < user_hi (else
 * -ERR_INVAL); every segment's page-rounded range then lies inside the range
 * too. Typically user_lo = USER_IMAGE_BASE, user_hi = USER_HEAP_BASE.
 *
 * Returns 0 with *out filled and err = "" (when errlen > 0). Otherwise returns
 * a negative code, *out is zeroed (nsegments = 0), and err holds a
 * NUL-terminated message, truncated to errlen - 1 characters:
 *   -ERR_INVAL      NULL image or out, bad user range;
 *   -ERR_TRUNCATED  the header, program header table or a segment's file
 *                   bytes run past len;
 *   -ERR_BADFORMAT  bad magic, class, byte order, version, type (ET_DYN: not
 *                   static), machine, header sizes; no program headers,
 *                   PT_INTERP or PT_DYNAMIC, filesz > memsz, memsz == 0,
 *                   p_align not 0 or a power of two, a segment with no
 *                   rights, two segments on one page, no PT_LOAD, entry
 *                   outside every executable segment;
 *   -ERR_RANGE      more than ELF_MAX_PHNUM program headers, a segment
 *                   outside [user_lo, user_hi) or wrapping past 2^64;
 *   -ERR_ALIGN      vaddr and offset not congruent modulo PAGE_SIZE, odd entry;
 *   -ERR_PERM       a segment both writable and executable (W^X);
 *   -ERR_NOSPC      more than ELF_MAX_SEGMENTS PT_LOAD segments.
 * err may be NULL (or errlen 0): no message. The caller owns every buffer;
 * nothing is kept after the call, and *out holds offsets into image, not
 * pointers.
 */
int elf_parse(const void *image, size_t len, uint64_t user_lo, uint64_t user_hi,
	      struct elf_image *out, char *err, size_t errlen);

#endif
