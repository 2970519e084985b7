/*
 * Shared pieces of the device-tree parser tests (tests/host/fdt_test.c,
 * tests/host/fdt_broken_test.c): the parse result and message buffer, tree
 * loading, and a builder for small DTBs, including malformed ones dtc won't
 * emit. Implemented in tests/host/fdt_test_util.c.
 */
#ifndef TESTS_HOST_FDT_TEST_H
#define TESTS_HOST_FDT_TEST_H

#include "kernel/fdt.h"

#include <stddef.h>
#include <stdint.h>

#define VF2_DTB "../shared/dtb/jh7110-starfive-visionfive-2-v1.3b.dtb"
#define QEMU_SHARED_DTB "../shared/dtb/qemu-virt-128M-smp4.dtb"
#define CUSTOM_DTB "build/test-dtb/custom.dtb"

/* Result and message buffer of the last parse() / b_parse(). */
extern struct fdt_info info;
extern char errbuf[256];

/* The tree under construction; b_finish() lays it out into out[0, outlen). */
struct builder {
	uint8_t st[64 * 1024];
	size_t stlen;
	char strs[4096];
	size_t strslen;
	uint64_t rsv[40][2];
	int nrsv;
	int rsv_unterminated; /* rsvmap placed last, without its zero entry */
	int strs_unterminated; /* strings block gets "bogus" with no NUL appended */
	uint8_t out[80 * 1024];
	size_t outlen;
};
extern struct builder bld;

/* Loads a tree; build/test-dtb/NAME.dtb is compiled from tests/dtb/NAME.dts
 * when missing. Exact-size malloc: ASan catches any read past the end. */
uint8_t *load(const char *path, size_t *len);

/* fdt_parse() into info and errbuf (errbuf pre-filled with 'X'). */
int parse(const void *blob, size_t len);

/* Stores v big-endian at p. */
void put32(uint8_t *p, uint32_t v);

/* Empties bld. */
void b_init(void);

/* Appends one big-endian word to the structure block. */
void b_u32(uint32_t v);

/* FDT_BEGIN_NODE name, padded. */
void b_begin(const char *name);

/* FDT_END_NODE. */
void b_end(void);

/* Offset of name in the strings block, adding it when new. */
uint32_t b_name(const char *name);

/* FDT_PROP with an explicit strings-block offset. */
void b_prop_raw(uint32_t nameoff, const void *val, uint32_t len);

/* FDT_PROP name = len bytes of val. */
void b_prop(const char *name, const void *val, uint32_t len);

/* FDT_PROP name = the NUL-terminated string s. */
void b_str(const char *name, const char *s);

/* n big-endian cells */
void b_cells(const char *name, int n, ...);

/* Adds a memory reservation block entry. */
void b_rsv(uint64_t base, uint64_t size);

/* Lays out header, rsvmap, struct and strings into bld.out. */
void b_finish(void);

/* Parses bld.out from an exact-size heap copy (so ASan sees overreads). */
int b_parse(void);

/* A small valid board: the base many malformed variants start from. The
 * root is left open; callers add nodes, then b_end() + b_u32(9). */
void b_base_open(void);

/* b_base_open(), closed: root ended and FDT_END appended. */
void b_base(void);

/* rc == 0, printing the error message otherwise. */
int rc_ok(int rc);

/* A cpu node with reg = <id> and a riscv,cpu-intc child carrying phandle
 * property pname = ph (no phandle when pname is NULL). */
void b_cpu_intc(unsigned id, const char *pname, uint32_t ph);

/* The PLIC under /soc with the given interrupts-extended cells. */
void b_plic(const uint32_t *cells, unsigned n);

/* Tests in tests/host/fdt_broken_test.c (malformed trees and mutations). */
void t_prefixes(void);
void t_bad_magic(void);
void t_totalsize(void);
void t_block_offsets(void);
void t_rsvmap_unterminated(void);
void t_nameoff(void);
void t_unterminated_prop_name(void);
void t_unterminated_node_name(void);
void t_unterminated_values(void);
void t_prop_past_struct(void);
void t_depth_overflow(void);
void t_unbalanced(void);
void t_missing_end(void);
void t_prop_after_subnode(void);
void t_bad_cells(void);
void t_bad_reg(void);
void t_too_many_mem(void);
void t_too_many_other(void);
void t_initrd(void);
void t_plic_bad_contexts(void);
void t_cpu_intc_bad_phandle(void);
void t_mutate_every_byte(void);
void t_mutate_random(void);

#endif /* TESTS_HOST_FDT_TEST_H */
