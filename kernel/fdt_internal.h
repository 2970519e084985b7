/*
 * Internals of the flattened device tree parser, shared by kernel/fdt.c
 * (entry points, the passes' driver), kernel/fdt_blob.c (header, reservation
 * block, token walk, property access) and kernel/fdt_props.c (interpreting
 * nodes). Not for use outside those files; see kernel/fdt.h for the API.
 *
 * Every function here takes the parse context; those returning int return 0,
 * or a negative ERR_* code having written "fdt: ..." to c->em.
 */
#ifndef PAGODA_KERNEL_FDT_INTERNAL_H
#define PAGODA_KERNEL_FDT_INTERNAL_H

#include "kernel/errmsg.h"
#include "kernel/fdt.h"
#include "kernel/types.h"

#define FDT_BEGIN_NODE 0x1u
#define FDT_END_NODE 0x2u
#define FDT_PROP 0x3u
#define FDT_NOP 0x4u
#define FDT_END 0x9u

#define FDT_VERSION_MIN 16u /* oldest version we read */
#define FDT_LAST_COMP_MAX 17u /* newest layout we understand */
#define FDT_MAX_CELLS_DECL 4u /* larger #address-cells/#size-cells are nonsense */

#define PATH_BUF 256 /* working path buffer; longer paths are marked truncated */

/* Properties the parser looks at, remembered for the node being read. */
enum {
	P_COMPATIBLE,
	P_DEVICE_TYPE,
	P_REG,
	P_STATUS,
	P_MMU_TYPE,
	P_ISA,
	P_TIMEBASE,
	P_INTERRUPTS,
	P_REG_SHIFT,
	P_REG_IO_WIDTH,
	P_CLOCK,
	P_NDEV,
	P_MODEL,
	P_BOOTARGS,
	P_STDOUT,
	P_LINUX_STDOUT,
	P_INITRD_START,
	P_INITRD_END,
	P_PHANDLE,
	P_LINUX_PHANDLE,
	P_INTERRUPTS_EXT,
	P_COUNT
};

/* Where a kind of node sits in the tree. */
enum {
	K_OTHER,
	K_ROOT,
	K_CPUS,          /* /cpus */
	K_CPU,           /* a child of /cpus */
	K_CPU_CHILD,     /* a child of a child of /cpus (e.g. its interrupt-controller) */
	K_CHOSEN,        /* /chosen */
	K_ALIASES,       /* /aliases */
	K_RESMEM,        /* /reserved-memory */
	K_RESMEM_CHILD,  /* a child of /reserved-memory */
};

struct prop_ref {
	uint32_t name; /* blob offset of the NUL-terminated name; 0 = absent */
	uint32_t val;  /* blob offset of the value */
	uint32_t len;  /* value length in bytes */
};

struct level {
	uint16_t parent_len;  /* path length before this node's name was appended */
	uint8_t addr_cells;   /* this node's #address-cells (for its children) */
	uint8_t size_cells;   /* this node's #size-cells (for its children) */
	uint8_t kind;
	bool has_child;       /* a subnode began: properties are done and acted upon */
	bool truncated;       /* the path did not fit the path buffer */
	bool is_hart;         /* a cpu node that became out->harts[out->nharts - 1] */
};

struct ctx {
	const uint8_t *b;
	uint32_t total;
	uint32_t st_off, st_end;  /* structure block [st_off, st_end) */
	uint32_t str_off, str_end; /* strings block [str_off, str_end) */
	struct fdt_info *out;
	struct errmsg em;         /* the caller's err buffer */
	int pass; /* 1 or 2 */

	struct level lv[FDT_MAX_DEPTH];
	unsigned depth; /* open nodes; the current node is lv[depth - 1] */
	char path[PATH_BUF];
	size_t path_len;
	struct prop_ref np[P_COUNT]; /* properties of the current node */

	bool cpus_timebase;   /* /cpus carried timebase-frequency */
	bool have_aliases;
	uint32_t aliases_pos; /* blob offset of /aliases' first token after its name */
	const char *target;   /* stdout node path (not NUL-terminated), or NULL */
	size_t target_len;
	bool uart_matched;    /* out->uart is the stdout node itself */
};

/* ---------------------------------------------------------------- bytes -- */

static inline uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) |
	       (uint32_t)p[3];
}

static inline uint64_t be64(const uint8_t *p)
{
	return ((uint64_t)be32(p) << 32) | be32(p + 4);
}

/* Length of the string at p, looking at most max bytes; max when no NUL. */
static inline size_t str_nlen(const uint8_t *p, size_t max)
{
	size_t n = 0;
	while (n < max && p[n] != 0)
		n++;
	return n;
}

static inline bool str_eq(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* Does the n-byte string s (no NUL needed) equal the C string lit? */
static inline bool strn_eq(const char *s, size_t n, const char *lit)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (lit[i] == '\0' || lit[i] != s[i])
			return false;
	return lit[n] == '\0';
}

/* Copies n bytes of s into dst[size], truncating; always NUL-terminates. */
static inline void copy_trunc(char *dst, size_t size, const char *s, size_t n)
{
	size_t i;
	if (size == 0)
		return;
	if (n > size - 1)
		n = size - 1;
	for (i = 0; i < n; i++)
		dst[i] = s[i];
	dst[n] = '\0';
}

static inline void zero_bytes(void *p, size_t n)
{
	volatile uint8_t *q = p; /* volatile: keeps the compiler from calling memset */
	while (n--)
		*q++ = 0;
}

static inline uint32_t align4(uint32_t x)
{
	return (x + 3u) & ~3u;
}

/* -------------------- errors and property values (kernel/fdt_blob.c) -- */

/* Starts a new message: "fdt: ". */
void fdt_e_begin(struct ctx *c);

/* The current node's path ("/" outside any node). */
void fdt_e_path(struct ctx *c);

/* Starts "fdt: property 'NAME' of PATH". */
void fdt_e_prop(struct ctx *c, const char *name);

/* Starts "fdt: property 'NAME' of PATH is LEN bytes long, not " (the caller ends it). */
void fdt_e_prop_len(struct ctx *c, const char *name, uint32_t len);

/* "fdt: property 'NAME' of PATH WHAT" */
int fdt_fail_prop(struct ctx *c, int code, const struct prop_ref *p, const char *what);

/* "fdt: node PATH WHAT" */
int fdt_fail_node(struct ctx *c, int code, const char *what);

/* The value as a string: must hold a NUL within its length. */
int fdt_prop_string(struct ctx *c, const struct prop_ref *p, const char **s, size_t *n);

/* A string list must be non-empty and end with a NUL. */
int fdt_prop_strlist_check(struct ctx *c, const struct prop_ref *p);

/* Does the (checked) string list p contain want? */
bool fdt_strlist_has(const struct ctx *c, const struct prop_ref *p, const char *want);

/* The value as one 4-byte cell; *v is 0 on error. */
int fdt_prop_u32(struct ctx *c, const struct prop_ref *p, uint32_t *v);

/* The value as one or two cells (4 or 8 bytes); *v is 0 on error. */
int fdt_prop_u32_u64(struct ctx *c, const struct prop_ref *p, uint64_t *v);

/* First cell of a list of cells (e.g. interrupts). */
int fdt_prop_first_cell(struct ctx *c, const struct prop_ref *p, uint32_t *v);

/* The current node's reg, decoded with the parent's cells: entry count. */
int fdt_reg_count(struct ctx *c, const struct prop_ref *p, unsigned *count);

/* Entry i of a reg already checked by fdt_reg_count(). */
void fdt_reg_get(const struct ctx *c, const struct prop_ref *p, unsigned i, uint64_t *base,
		 uint64_t *size);

/* status absent, "okay" or "ok". */
int fdt_node_enabled(struct ctx *c, bool *enabled);

/* Every entry of the current node's reg into arr. */
int fdt_add_reg_ranges(struct ctx *c, struct fdt_range *arr, unsigned cap, unsigned *n,
		       const char *what);

/* First reg entry of the current node; 0/0 when reg is absent or empty. */
int fdt_first_reg(struct ctx *c, uint64_t *base, uint64_t *size);

/* -------- the walk, header and reservation block (kernel/fdt_blob.c) -- */

/* Reads the FDT_PROP whose token is at tokpos (c->depth nodes open).
 * On success *p describes it and *next is the offset of the next token. */
int fdt_read_prop(struct ctx *c, uint32_t tokpos, struct prop_ref *p, uint32_t *next);

/* One pass (c->pass) over the structure block: validates its tokens and
 * nesting, tracks the current path and cells, and calls fdt_finalize() on
 * each node once its properties are known. 0 at FDT_END after the root. */
int fdt_walk(struct ctx *c);

/* Checks the header against avail bytes and fills in c's block bounds
 * (c->total, structure and strings blocks). */
int fdt_check_header(struct ctx *c, size_t avail);

/* Copies the memory reservation block into c->out->reserved (and
 * c->out->nrsvmap); needs a header checked by fdt_check_header(). */
int fdt_read_rsvmap(struct ctx *c);

/* --------------------------- interpreting nodes (kernel/fdt_props.c) -- */

/* After pass 1: each PLIC context's phandle becomes the hart id whose cpu
 * intc carries it, or UINT32_MAX. */
void fdt_resolve_plic(struct ctx *c);

/* Acts on the current node once all its properties are known. */
int fdt_finalize(struct ctx *c);

/* Works out c->target, the stdout node's path, after pass 1. */
int fdt_resolve_stdout(struct ctx *c);

#endif /* PAGODA_KERNEL_FDT_INTERNAL_H */
