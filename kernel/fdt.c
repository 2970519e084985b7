/*
 * Flattened device tree parser (see kernel/fdt.h for the contract).
 *
 * Freestanding: no libc, no globals, no recursion, no allocation. Every read
 * of the blob goes through bounds already checked against the header's
 * totalsize (itself checked against avail), and every loop advances through
 * a bounded block, so any input terminates.
 *
 * Shape of the parse:
 *   1. header and memory reservation block checks;
 *   2. pass 1 over the structure block: full structural validation and
 *      extraction of everything except the console UART;
 *   3. the PLIC's interrupts-extended phandles, kept raw by pass 1, are
 *      resolved to hart ids through the cpu intc phandles pass 1 recorded
 *      (the PLIC may come before or after /cpus); the stdout node path is
 *      worked out from /chosen and /aliases (which usually come after /soc
 *      in the blob, hence the second pass);
 *   4. pass 2 over the structure block: the UART, matched by full path.
 *
 * Properties of a node always precede its subnodes in a DTB (enforced), so a
 * node's properties are gathered while they stream by and acted upon
 * ("finalized") when its first subnode begins or when it ends.
 *
 * Error codes: ERR_TRUNCATED when something runs past the end of its block
 * (or the blob is shorter than its header says); ERR_BADFORMAT for malformed
 * contents; ERR_RANGE for values the kernel cannot represent (more than two
 * cells per reg address/size, address ranges wrapping past 2^64, a blob over
 * FDT_MAX_SIZE); ERR_NOSPC when an fdt_info array or string is too small
 * (or nodes nest deeper than FDT_MAX_DEPTH); ERR_INVAL for NULL arguments.
 *
 * No tables of pointers and no switch statements: the code stays correct
 * whatever address it runs at, relocated or not.
 */
#include "kernel/errmsg.h"
#include "kernel/fdt.h"
#include "kernel/types.h"
#include <pagoda/errno.h>

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

static uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) |
	       (uint32_t)p[3];
}

static uint64_t be64(const uint8_t *p)
{
	return ((uint64_t)be32(p) << 32) | be32(p + 4);
}

/* Length of the string at p, looking at most max bytes; max when no NUL. */
static size_t str_nlen(const uint8_t *p, size_t max)
{
	size_t n = 0;
	while (n < max && p[n] != 0)
		n++;
	return n;
}

static bool str_eq(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* Does the n-byte string s (no NUL needed) equal the C string lit? */
static bool strn_eq(const char *s, size_t n, const char *lit)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (lit[i] == '\0' || lit[i] != s[i])
			return false;
	return lit[n] == '\0';
}

/* Copies n bytes of s into dst[size], truncating; always NUL-terminates. */
static void copy_trunc(char *dst, size_t size, const char *s, size_t n)
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

static void zero_bytes(void *p, size_t n)
{
	volatile uint8_t *q = p; /* volatile: keeps the compiler from calling memset */
	while (n--)
		*q++ = 0;
}

static uint32_t align4(uint32_t x)
{
	return (x + 3u) & ~3u;
}

/* --------------------------------------------------------------- errors -- */

/* Starts a new message: "fdt: ". */
static void e_begin(struct ctx *c)
{
	errmsg_begin(&c->em, "fdt: ");
}

/* The current node's path ("/" outside any node). */
static void e_path(struct ctx *c)
{
	if (c->depth == 0) {
		errmsg_str(&c->em, "/");
		return;
	}
	errmsg_strn(&c->em, c->path, c->path_len);
	if (c->lv[c->depth - 1].truncated)
		errmsg_str(&c->em, "...");
}

/* Starts "fdt: property 'NAME' of PATH". */
static void e_prop(struct ctx *c, const char *name)
{
	e_begin(c);
	errmsg_str(&c->em, "property '");
	errmsg_str(&c->em, name);
	errmsg_str(&c->em, "' of ");
	e_path(c);
}

/* Starts "fdt: property 'NAME' of PATH is LEN bytes long, not " (the caller ends it). */
static void e_prop_len(struct ctx *c, const char *name, uint32_t len)
{
	e_prop(c, name);
	errmsg_str(&c->em, " is ");
	errmsg_dec(&c->em, len);
	errmsg_str(&c->em, " bytes long, not ");
}

/* "fdt: property 'NAME' of PATH WHAT" */
static int fail_prop(struct ctx *c, int code, const struct prop_ref *p, const char *what)
{
	e_prop(c, (const char *)c->b + p->name);
	errmsg_chr(&c->em, ' ');
	errmsg_str(&c->em, what);
	return code;
}

/* "fdt: node PATH WHAT" */
static int fail_node(struct ctx *c, int code, const char *what)
{
	e_begin(c);
	errmsg_str(&c->em, "node ");
	e_path(c);
	errmsg_chr(&c->em, ' ');
	errmsg_str(&c->em, what);
	return code;
}

/* "fdt: WHAT at offset 0x..." (blob offset) */
static int fail_at(struct ctx *c, int code, const char *what, uint32_t off)
{
	e_begin(c);
	errmsg_str(&c->em, what);
	errmsg_str(&c->em, " at offset ");
	errmsg_hex(&c->em, off);
	return code;
}

/* ----------------------------------------------------- property values -- */

/* The value as a string: must hold a NUL within its length. */
static int prop_string(struct ctx *c, const struct prop_ref *p, const char **s, size_t *n)
{
	size_t l = str_nlen(c->b + p->val, p->len);
	*s = "";
	*n = 0;
	if (l == p->len)
		return fail_prop(c, -ERR_BADFORMAT, p, "is not a NUL-terminated string");
	*s = (const char *)c->b + p->val;
	*n = l;
	return 0;
}

/* A string list must be non-empty and end with a NUL. */
static int prop_strlist_check(struct ctx *c, const struct prop_ref *p)
{
	if (p->len == 0 || c->b[p->val + p->len - 1] != 0)
		return fail_prop(c, -ERR_BADFORMAT, p, "is not a NUL-terminated string list");
	return 0;
}

/* Does the (checked) string list p contain want? */
static bool strlist_has(const struct ctx *c, const struct prop_ref *p, const char *want)
{
	const char *s = (const char *)c->b + p->val;
	uint32_t i = 0;
	while (i < p->len) {
		size_t n = str_nlen((const uint8_t *)s + i, p->len - i);
		if (strn_eq(s + i, n, want))
			return true;
		i += (uint32_t)n + 1;
	}
	return false;
}

static int prop_u32(struct ctx *c, const struct prop_ref *p, uint32_t *v)
{
	*v = 0;
	if (p->len != 4) {
		e_prop_len(c, (const char *)c->b + p->name, p->len);
		errmsg_str(&c->em, "a 4-byte cell");
		return -ERR_BADFORMAT;
	}
	*v = be32(c->b + p->val);
	return 0;
}

static int prop_u32_u64(struct ctx *c, const struct prop_ref *p, uint64_t *v)
{
	*v = 0;
	if (p->len == 4) {
		*v = be32(c->b + p->val);
		return 0;
	}
	if (p->len == 8) {
		*v = be64(c->b + p->val);
		return 0;
	}
	e_prop_len(c, (const char *)c->b + p->name, p->len);
	errmsg_str(&c->em, "4 or 8");
	return -ERR_BADFORMAT;
}

/* First cell of a list of cells (e.g. interrupts). */
static int prop_first_cell(struct ctx *c, const struct prop_ref *p, uint32_t *v)
{
	*v = 0;
	if (p->len < 4 || p->len % 4 != 0) {
		e_prop_len(c, (const char *)c->b + p->name, p->len);
		errmsg_str(&c->em, "a non-empty list of cells");
		return -ERR_BADFORMAT;
	}
	*v = be32(c->b + p->val);
	return 0;
}

/* The current node's reg, decoded with the parent's cells: entry count. */
static int reg_count(struct ctx *c, const struct prop_ref *p, unsigned *count)
{
	unsigned ac = 2, sc = 1, entry;
	if (c->depth >= 2) {
		ac = c->lv[c->depth - 2].addr_cells;
		sc = c->lv[c->depth - 2].size_cells;
	}
	if (ac > 2 || sc > 2) {
		e_prop(c, "reg");
		errmsg_str(&c->em, " uses ");
		errmsg_dec(&c->em, ac);
		errmsg_str(&c->em, " address and ");
		errmsg_dec(&c->em, sc);
		errmsg_str(&c->em,
			   " size cells (from its parent); at most 2 of each are supported");
		return -ERR_RANGE;
	}
	entry = 4 * (ac + sc);
	if (entry == 0 || p->len % entry != 0) {
		e_prop_len(c, "reg", p->len);
		errmsg_str(&c->em, "a multiple of ");
		errmsg_dec(&c->em, ac);
		errmsg_str(&c->em, "+");
		errmsg_dec(&c->em, sc);
		errmsg_str(&c->em, " cells");
		return -ERR_BADFORMAT;
	}
	*count = p->len / entry;
	return 0;
}

/* Entry i of a reg already checked by reg_count(). */
static void reg_get(const struct ctx *c, const struct prop_ref *p, unsigned i, uint64_t *base,
		    uint64_t *size)
{
	unsigned ac = 2, sc = 1, k;
	const uint8_t *q;
	if (c->depth >= 2) {
		ac = c->lv[c->depth - 2].addr_cells;
		sc = c->lv[c->depth - 2].size_cells;
	}
	q = c->b + p->val + (size_t)i * 4 * (ac + sc);
	*base = 0;
	*size = 0;
	for (k = 0; k < ac; k++, q += 4)
		*base = (*base << 32) | be32(q);
	for (k = 0; k < sc; k++, q += 4)
		*size = (*size << 32) | be32(q);
}

/* status absent, "okay" or "ok". */
static int node_enabled(struct ctx *c, bool *enabled)
{
	const struct prop_ref *p = &c->np[P_STATUS];
	const char *s;
	size_t n;
	int rc;
	if (p->name == 0) {
		*enabled = true;
		return 0;
	}
	rc = prop_string(c, p, &s, &n);
	if (rc < 0)
		return rc;
	*enabled = strn_eq(s, n, "okay") || strn_eq(s, n, "ok");
	return 0;
}

/* ------------------------------------------------------------- extract -- */

/* Appends [base, base + size) to arr (cap entries, *n used). what names the
 * array for messages. Empty ranges are skipped. */
static int add_range(struct ctx *c, struct fdt_range *arr, unsigned cap, unsigned *n,
		     uint64_t base, uint64_t size, const char *what)
{
	if (size == 0)
		return 0;
	if (base + size - 1 < base) {
		e_begin(c);
		errmsg_str(&c->em, what);
		errmsg_str(&c->em, " range ");
		errmsg_hex(&c->em, base);
		errmsg_str(&c->em, " + ");
		errmsg_hex(&c->em, size);
		if (c->depth > 0) {
			errmsg_str(&c->em, " in ");
			e_path(c);
		}
		errmsg_str(&c->em, " wraps past the end of the address space");
		return -ERR_RANGE;
	}
	if (*n >= cap) {
		e_begin(c);
		errmsg_str(&c->em, "more than ");
		errmsg_dec(&c->em, cap);
		errmsg_chr(&c->em, ' ');
		errmsg_str(&c->em, what);
		errmsg_str(&c->em, " ranges (");
		if (c->depth > 0) {
			errmsg_str(&c->em, "at ");
			e_path(c);
			errmsg_str(&c->em, ", ");
		}
		errmsg_str(&c->em, "base ");
		errmsg_hex(&c->em, base);
		errmsg_chr(&c->em, ')');
		return -ERR_NOSPC;
	}
	arr[*n].base = base;
	arr[*n].size = size;
	(*n)++;
	return 0;
}

/* Every entry of the current node's reg into arr. */
static int add_reg_ranges(struct ctx *c, struct fdt_range *arr, unsigned cap, unsigned *n,
			  const char *what)
{
	const struct prop_ref *p = &c->np[P_REG];
	unsigned count, i;
	int rc = reg_count(c, p, &count);
	for (i = 0; rc == 0 && i < count; i++) {
		uint64_t base, size;
		reg_get(c, p, i, &base, &size);
		rc = add_range(c, arr, cap, n, base, size, what);
	}
	return rc;
}

/* First reg entry of the current node; 0/0 when reg is absent or empty. */
static int first_reg(struct ctx *c, uint64_t *base, uint64_t *size)
{
	const struct prop_ref *p = &c->np[P_REG];
	unsigned count;
	int rc;
	*base = 0;
	*size = 0;
	if (p->name == 0)
		return 0;
	rc = reg_count(c, p, &count);
	if (rc == 0 && count > 0)
		reg_get(c, p, 0, base, size);
	return rc;
}

static int do_root(struct ctx *c)
{
	const char *s;
	size_t n;
	int rc;
	if (c->np[P_MODEL].name != 0) {
		rc = prop_string(c, &c->np[P_MODEL], &s, &n);
		if (rc < 0)
			return rc;
	} else if (c->np[P_COMPATIBLE].name != 0) {
		s = (const char *)c->b + c->np[P_COMPATIBLE].val; /* list already checked */
		n = str_nlen((const uint8_t *)s, c->np[P_COMPATIBLE].len);
	} else {
		return 0;
	}
	copy_trunc(c->out->model, sizeof c->out->model, s, n);
	return 0;
}

static int do_chosen(struct ctx *c)
{
	struct fdt_info *out = c->out;
	const struct prop_ref *p;
	const char *s;
	size_t n;
	int rc;

	p = &c->np[P_BOOTARGS];
	if (p->name != 0) {
		rc = prop_string(c, p, &s, &n);
		if (rc < 0)
			return rc;
		if (n >= sizeof out->bootargs)
			return fail_prop(c, -ERR_NOSPC, p, "is longer than the 255 bytes kept");
		copy_trunc(out->bootargs, sizeof out->bootargs, s, n);
	}
	p = c->np[P_STDOUT].name != 0 ? &c->np[P_STDOUT] : &c->np[P_LINUX_STDOUT];
	if (p->name != 0) {
		rc = prop_string(c, p, &s, &n);
		if (rc < 0)
			return rc;
		if (n >= sizeof out->stdout_path)
			return fail_prop(c, -ERR_NOSPC, p, "is longer than FDT_PATH_MAX - 1 bytes");
		copy_trunc(out->stdout_path, sizeof out->stdout_path, s, n);
	}
	if ((c->np[P_INITRD_START].name != 0) != (c->np[P_INITRD_END].name != 0))
		return fail_node(c, -ERR_BADFORMAT,
				 "has only one of linux,initrd-start and linux,initrd-end");
	if (c->np[P_INITRD_START].name != 0) {
		uint64_t start, end;
		rc = prop_u32_u64(c, &c->np[P_INITRD_START], &start);
		if (rc == 0)
			rc = prop_u32_u64(c, &c->np[P_INITRD_END], &end);
		if (rc < 0)
			return rc;
		if (end < start) {
			e_begin(c);
			errmsg_str(&c->em, "initrd in ");
			e_path(c);
			errmsg_str(&c->em, " ends (");
			errmsg_hex(&c->em, end);
			errmsg_str(&c->em, ") before it starts (");
			errmsg_hex(&c->em, start);
			errmsg_chr(&c->em, ')');
			return -ERR_BADFORMAT;
		}
		out->initrd_start = start;
		out->initrd_end = end;
	}
	return 0;
}

static int do_cpu(struct ctx *c)
{
	struct fdt_info *out = c->out;
	struct fdt_hart *h;
	const char *s;
	size_t n;
	uint64_t id, unused;
	unsigned count, i;
	bool enabled;
	int rc;

	if (c->np[P_REG].name == 0)
		return fail_node(c, -ERR_BADFORMAT, "(device_type \"cpu\") has no reg");
	rc = reg_count(c, &c->np[P_REG], &count);
	if (rc < 0)
		return rc;
	if (count == 0)
		return fail_node(c, -ERR_BADFORMAT, "(device_type \"cpu\") has an empty reg");
	reg_get(c, &c->np[P_REG], 0, &id, &unused);
	if (id > 0xffffffffu) {
		e_begin(c);
		errmsg_str(&c->em, "hart id ");
		errmsg_hex(&c->em, id);
		errmsg_str(&c->em, " of ");
		e_path(c);
		errmsg_str(&c->em, " does not fit 32 bits");
		return -ERR_RANGE;
	}
	for (i = 0; i < out->nharts; i++) {
		if (out->harts[i].hartid == id) {
			e_begin(c);
			errmsg_str(&c->em, "hart id ");
			errmsg_dec(&c->em, id);
			errmsg_str(&c->em, " of ");
			e_path(c);
			errmsg_str(&c->em, " appears twice in /cpus");
			return -ERR_BADFORMAT;
		}
	}
	if (out->nharts >= FDT_MAX_HARTS) {
		e_begin(c);
		errmsg_str(&c->em, "more than ");
		errmsg_dec(&c->em, FDT_MAX_HARTS);
		errmsg_str(&c->em, " harts (at ");
		e_path(c);
		errmsg_chr(&c->em, ')');
		return -ERR_NOSPC;
	}
	rc = node_enabled(c, &enabled);
	if (rc < 0)
		return rc;
	h = &out->harts[out->nharts];
	h->hartid = (uint32_t)id;
	h->enabled = enabled;
	if (c->np[P_MMU_TYPE].name != 0) {
		rc = prop_string(c, &c->np[P_MMU_TYPE], &s, &n);
		if (rc < 0)
			return rc;
		copy_trunc(h->mmu_type, sizeof h->mmu_type, s, n);
	}
	if (c->np[P_ISA].name != 0) {
		rc = prop_string(c, &c->np[P_ISA], &s, &n);
		if (rc < 0)
			return rc;
		copy_trunc(h->isa, sizeof h->isa, s, n);
	}
	h->usable = enabled && h->mmu_type[0] != '\0' && !str_eq(h->mmu_type, "riscv,none");
	out->nharts++;
	/* its children come next: none is another cpu, so the hart stays the
	 * last one while they are read */
	c->lv[c->depth - 1].is_hart = true;

	if (!c->cpus_timebase && out->timebase_hz == 0 && c->np[P_TIMEBASE].name != 0)
		return prop_u32_u64(c, &c->np[P_TIMEBASE], &out->timebase_hz);
	return 0;
}

/* A riscv,cpu-intc child of a hart's cpu node: its phandle is the hart's. */
static int do_cpu_intc(struct ctx *c)
{
	struct fdt_info *out = c->out;
	struct fdt_hart *h = &out->harts[out->nharts - 1]; /* the parent (is_hart) */
	const struct prop_ref *p;
	uint32_t ph;
	unsigned i;
	int rc;

	if (h->intc_phandle != 0)
		return 0; /* the first intc with a phandle wins */
	p = c->np[P_PHANDLE].name != 0 ? &c->np[P_PHANDLE] : &c->np[P_LINUX_PHANDLE];
	if (p->name == 0)
		return 0; /* nothing can refer to it */
	rc = prop_u32(c, p, &ph);
	if (rc < 0 || ph == 0)
		return rc;
	for (i = 0; i + 1 < out->nharts; i++) {
		if (out->harts[i].intc_phandle == ph) {
			e_begin(c);
			errmsg_str(&c->em, "phandle ");
			errmsg_hex(&c->em, ph);
			errmsg_str(&c->em, " of ");
			e_path(c);
			errmsg_str(&c->em, " is also that of hart ");
			errmsg_dec(&c->em, out->harts[i].hartid);
			errmsg_str(&c->em, "'s interrupt controller");
			return -ERR_BADFORMAT;
		}
	}
	h->intc_phandle = ph;
	return 0;
}

/* The PLIC's interrupts-extended: (phandle, irq) pairs, one per context. The
 * phandles go into context[].hartid for now; resolve_plic() maps them to hart
 * ids once the whole tree has been read. */
static int plic_contexts(struct ctx *c)
{
	const struct prop_ref *p = &c->np[P_INTERRUPTS_EXT];
	struct fdt_plic *pl = &c->out->plic;
	uint32_t cells, i;

	if (p->name == 0)
		return 0;
	if (p->len % 4 != 0) {
		e_prop_len(c, "interrupts-extended", p->len);
		errmsg_str(&c->em, "a list of cells");
		return -ERR_BADFORMAT;
	}
	cells = p->len / 4;
	if (cells % 2 != 0) {
		e_prop(c, "interrupts-extended");
		errmsg_str(&c->em, " has ");
		errmsg_dec(&c->em, cells);
		errmsg_str(&c->em, " cells, not (phandle, irq) pairs");
		return -ERR_BADFORMAT;
	}
	if (cells / 2 > FDT_MAX_PLIC_CONTEXTS) {
		e_prop(c, "interrupts-extended");
		errmsg_str(&c->em, " lists ");
		errmsg_dec(&c->em, cells / 2);
		errmsg_str(&c->em, " PLIC contexts, more than ");
		errmsg_dec(&c->em, FDT_MAX_PLIC_CONTEXTS);
		return -ERR_NOSPC;
	}
	for (i = 0; i < cells / 2; i++) {
		pl->context[i].hartid = be32(c->b + p->val + 8 * i); /* phandle, for now */
		pl->context[i].irq = be32(c->b + p->val + 8 * i + 4);
	}
	pl->ncontexts = cells / 2;
	return 0;
}

static int do_plic(struct ctx *c)
{
	struct fdt_plic *pl = &c->out->plic;
	int rc = first_reg(c, &pl->base, &pl->size);
	if (rc == 0 && c->np[P_NDEV].name != 0)
		rc = prop_u32(c, &c->np[P_NDEV], &pl->ndev);
	if (rc == 0)
		rc = plic_contexts(c);
	if (rc == 0)
		pl->present = true;
	return rc;
}

/* After pass 1: each PLIC context's phandle becomes the hart id whose cpu
 * intc carries it, or UINT32_MAX. */
static void resolve_plic(struct ctx *c)
{
	struct fdt_info *out = c->out;
	uint32_t i, j;

	for (i = 0; i < out->plic.ncontexts && i < FDT_MAX_PLIC_CONTEXTS; i++) {
		uint32_t ph = out->plic.context[i].hartid;
		out->plic.context[i].hartid = UINT32_MAX;
		for (j = 0; ph != 0 && j < out->nharts && j < FDT_MAX_HARTS; j++) {
			if (out->harts[j].intc_phandle == ph) {
				out->plic.context[i].hartid = out->harts[j].hartid;
				break;
			}
		}
	}
}

static int do_virtio(struct ctx *c)
{
	struct fdt_info *out = c->out;
	struct fdt_virtio *v;
	int rc;
	if (out->nvirtio >= FDT_MAX_VIRTIO) {
		e_begin(c);
		errmsg_str(&c->em, "more than ");
		errmsg_dec(&c->em, FDT_MAX_VIRTIO);
		errmsg_str(&c->em, " virtio,mmio nodes (at ");
		e_path(c);
		errmsg_chr(&c->em, ')');
		return -ERR_NOSPC;
	}
	v = &out->virtio[out->nvirtio];
	rc = first_reg(c, &v->base, &v->size);
	if (rc == 0 && c->np[P_INTERRUPTS].name != 0)
		rc = prop_first_cell(c, &c->np[P_INTERRUPTS], &v->irq);
	if (rc == 0)
		out->nvirtio++;
	return rc;
}

static bool is_16550(const struct ctx *c)
{
	const struct prop_ref *p = &c->np[P_COMPATIBLE];
	return p->name != 0 &&
	       (strlist_has(c, p, "ns16550a") || strlist_has(c, p, "ns16550") ||
		strlist_has(c, p, "ns16450") || strlist_has(c, p, "snps,dw-apb-uart"));
}

/* Makes the current node the UART. */
static int fill_uart(struct ctx *c)
{
	struct fdt_uart *u = &c->out->uart;
	const struct prop_ref *p;
	int rc;

	zero_bytes(u, sizeof *u);
	if (c->lv[c->depth - 1].truncated || c->path_len >= sizeof u->path)
		return fail_node(c, -ERR_NOSPC, "(the console UART) has a path too long to keep");
	copy_trunc(u->path, sizeof u->path, c->path, c->path_len);
	p = &c->np[P_COMPATIBLE];
	if (p->name != 0)
		copy_trunc(u->compatible, sizeof u->compatible, (const char *)c->b + p->val,
			   str_nlen(c->b + p->val, p->len));
	u->is_16550 = is_16550(c);
	u->reg_io_width = 1;
	rc = first_reg(c, &u->base, &u->size);
	if (rc == 0 && c->np[P_REG_SHIFT].name != 0)
		rc = prop_u32(c, &c->np[P_REG_SHIFT], &u->reg_shift);
	if (rc == 0 && c->np[P_REG_IO_WIDTH].name != 0)
		rc = prop_u32(c, &c->np[P_REG_IO_WIDTH], &u->reg_io_width);
	if (rc == 0 && c->np[P_INTERRUPTS].name != 0)
		rc = prop_first_cell(c, &c->np[P_INTERRUPTS], &u->irq);
	if (rc == 0 && c->np[P_CLOCK].name != 0) {
		uint64_t hz;
		rc = prop_u32_u64(c, &c->np[P_CLOCK], &hz);
		if (rc == 0 && hz > 0xffffffffu)
			rc = fail_prop(c, -ERR_RANGE, &c->np[P_CLOCK], "does not fit 32 bits");
		u->clock_hz = (uint32_t)hz;
	}
	if (rc == 0)
		u->present = true;
	return rc;
}

/* Pass 2: is the current node the console? */
static int uart_candidate(struct ctx *c)
{
	const struct level *l = &c->lv[c->depth - 1];
	bool enabled;
	int rc;

	if (c->uart_matched)
		return 0;
	if (c->target != NULL && !l->truncated && c->path_len == c->target_len &&
	    strn_eq(c->target, c->target_len, c->path) /* path is NUL-terminated */) {
		c->uart_matched = true;
		return fill_uart(c);
	}
	if (c->out->uart.present || !is_16550(c))
		return 0;
	rc = node_enabled(c, &enabled);
	if (rc < 0 || !enabled)
		return rc;
	return fill_uart(c); /* fallback: first enabled 16550 */
}

/* Acts on the current node once all its properties are known. */
static int finalize(struct ctx *c)
{
	const struct level *l = &c->lv[c->depth - 1];
	const struct prop_ref *compat = &c->np[P_COMPATIBLE];
	const char *dt = "";
	size_t dtn = 0;
	int rc;

	if (compat->name != 0) {
		rc = prop_strlist_check(c, compat);
		if (rc < 0)
			return rc;
	}
	if (c->np[P_DEVICE_TYPE].name != 0) {
		rc = prop_string(c, &c->np[P_DEVICE_TYPE], &dt, &dtn);
		if (rc < 0)
			return rc;
	}
	if (c->pass == 2)
		return uart_candidate(c);

	if (l->kind == K_ROOT) {
		rc = do_root(c);
		if (rc < 0)
			return rc;
	}
	if (l->kind == K_CPUS && c->np[P_TIMEBASE].name != 0) {
		rc = prop_u32_u64(c, &c->np[P_TIMEBASE], &c->out->timebase_hz);
		if (rc < 0)
			return rc;
		c->cpus_timebase = true;
	}
	if (l->kind == K_CHOSEN) {
		rc = do_chosen(c);
		if (rc < 0)
			return rc;
	}
	if (l->kind == K_CPU && strn_eq(dt, dtn, "cpu")) {
		rc = do_cpu(c);
		if (rc < 0)
			return rc;
	}
	if (l->kind == K_CPU_CHILD && c->lv[c->depth - 2].is_hart && compat->name != 0 &&
	    strlist_has(c, compat, "riscv,cpu-intc")) {
		rc = do_cpu_intc(c);
		if (rc < 0)
			return rc;
	}
	if (l->kind == K_RESMEM_CHILD && c->np[P_REG].name != 0) {
		rc = add_reg_ranges(c, c->out->reserved, FDT_MAX_RESERVED, &c->out->nreserved,
				    "reserved memory");
		if (rc < 0)
			return rc;
	}
	if (c->depth == 2 && strn_eq(dt, dtn, "memory") && c->np[P_REG].name != 0) {
		bool enabled;
		rc = node_enabled(c, &enabled);
		if (rc == 0 && enabled)
			rc = add_reg_ranges(c, c->out->mem, FDT_MAX_MEM, &c->out->nmem, "memory");
		if (rc < 0)
			return rc;
	}
	if (compat->name != 0) {
		if (!c->out->plic.present &&
		    (strlist_has(c, compat, "riscv,plic0") || strlist_has(c, compat, "sifive,plic-1.0.0"))) {
			rc = do_plic(c);
			if (rc < 0)
				return rc;
		}
		if (strlist_has(c, compat, "virtio,mmio")) {
			rc = do_virtio(c);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

/* ------------------------------------------------------------ the walk -- */

static int prop_kind(const char *n)
{
	if (str_eq(n, "compatible"))
		return P_COMPATIBLE;
	if (str_eq(n, "device_type"))
		return P_DEVICE_TYPE;
	if (str_eq(n, "reg"))
		return P_REG;
	if (str_eq(n, "status"))
		return P_STATUS;
	if (str_eq(n, "mmu-type"))
		return P_MMU_TYPE;
	if (str_eq(n, "riscv,isa"))
		return P_ISA;
	if (str_eq(n, "timebase-frequency"))
		return P_TIMEBASE;
	if (str_eq(n, "interrupts"))
		return P_INTERRUPTS;
	if (str_eq(n, "reg-shift"))
		return P_REG_SHIFT;
	if (str_eq(n, "reg-io-width"))
		return P_REG_IO_WIDTH;
	if (str_eq(n, "clock-frequency"))
		return P_CLOCK;
	if (str_eq(n, "riscv,ndev"))
		return P_NDEV;
	if (str_eq(n, "model"))
		return P_MODEL;
	if (str_eq(n, "bootargs"))
		return P_BOOTARGS;
	if (str_eq(n, "stdout-path"))
		return P_STDOUT;
	if (str_eq(n, "linux,stdout-path"))
		return P_LINUX_STDOUT;
	if (str_eq(n, "linux,initrd-start"))
		return P_INITRD_START;
	if (str_eq(n, "linux,initrd-end"))
		return P_INITRD_END;
	if (str_eq(n, "phandle"))
		return P_PHANDLE;
	if (str_eq(n, "linux,phandle"))
		return P_LINUX_PHANDLE;
	if (str_eq(n, "interrupts-extended"))
		return P_INTERRUPTS_EXT;
	return -1;
}

/* Reads the FDT_PROP whose token is at tokpos (c->depth nodes open).
 * On success *p describes it and *next is the offset of the next token. */
static int read_prop(struct ctx *c, uint32_t tokpos, struct prop_ref *p, uint32_t *next)
{
	uint32_t pos = tokpos + 4, len, nameoff, nlen;
	if (c->st_end - pos < 8)
		return fail_at(c, -ERR_TRUNCATED, "property header runs past the struct block",
			       tokpos);
	len = be32(c->b + pos);
	nameoff = be32(c->b + pos + 4);
	if (nameoff >= c->str_end - c->str_off) {
		e_begin(c);
		errmsg_str(&c->em, "property at offset ");
		errmsg_hex(&c->em, tokpos);
		errmsg_str(&c->em, " of ");
		e_path(c);
		errmsg_str(&c->em, " has name offset ");
		errmsg_hex(&c->em, nameoff);
		errmsg_str(&c->em, " outside the strings block (size ");
		errmsg_hex(&c->em, c->str_end - c->str_off);
		errmsg_chr(&c->em, ')');
		return -ERR_BADFORMAT;
	}
	nlen = (uint32_t)str_nlen(c->b + c->str_off + nameoff, c->str_end - c->str_off - nameoff);
	if (nlen == c->str_end - c->str_off - nameoff) {
		e_begin(c);
		errmsg_str(&c->em, "name of property at offset ");
		errmsg_hex(&c->em, tokpos);
		errmsg_str(&c->em, " of ");
		e_path(c);
		errmsg_str(&c->em, " (strings offset ");
		errmsg_hex(&c->em, nameoff);
		errmsg_str(&c->em, ") runs past the strings block unterminated");
		return -ERR_TRUNCATED;
	}
	p->name = c->str_off + nameoff;
	p->val = pos + 8;
	p->len = len;
	if (len > c->st_end - p->val)
		return fail_prop(c, -ERR_TRUNCATED, p, "runs past the struct block");
	*next = align4(p->val + len);
	return 0;
}

static int cells_prop(struct ctx *c, const struct prop_ref *p, uint8_t *dst)
{
	uint32_t v;
	int rc = prop_u32(c, p, &v);
	if (rc < 0)
		return rc;
	if (v > FDT_MAX_CELLS_DECL) {
		e_prop(c, (const char *)c->b + p->name);
		errmsg_str(&c->em, " is ");
		errmsg_dec(&c->em, v);
		errmsg_str(&c->em, "; at most 4 makes sense");
		return -ERR_BADFORMAT;
	}
	*dst = (uint8_t)v;
	return 0;
}

/* Opens the node whose name (nlen bytes) is at blob offset name. */
static int push_node(struct ctx *c, uint32_t name, uint32_t nlen, uint32_t after)
{
	struct level *l, *parent = c->depth > 0 ? &c->lv[c->depth - 1] : NULL;
	const char *s = (const char *)c->b + name;
	uint32_t i;
	int rc;

	if (c->depth >= FDT_MAX_DEPTH) {
		e_begin(c);
		errmsg_str(&c->em, "nodes nest deeper than ");
		errmsg_dec(&c->em, FDT_MAX_DEPTH);
		errmsg_str(&c->em, " levels at ");
		e_path(c);
		errmsg_chr(&c->em, '/');
		errmsg_strn(&c->em, s, nlen);
		return -ERR_NOSPC;
	}
	if (parent != NULL) {
		if (nlen == 0)
			return fail_at(c, -ERR_BADFORMAT, "node with an empty name", name - 4);
		for (i = 0; i < nlen; i++)
			if (s[i] == '/')
				return fail_at(c, -ERR_BADFORMAT, "node name containing '/'", name - 4);
		if (!parent->has_child) {
			rc = finalize(c);
			if (rc < 0)
				return rc;
			parent->has_child = true;
		}
	}

	l = &c->lv[c->depth];
	l->parent_len = (uint16_t)c->path_len;
	l->addr_cells = 2;
	l->size_cells = 1;
	l->has_child = false;
	l->truncated = parent != NULL && parent->truncated;
	l->is_hart = false;
	l->kind = K_OTHER;
	if (parent == NULL) {
		l->kind = K_ROOT;
		c->path[0] = '/';
		c->path_len = 1;
	} else if (!l->truncated) {
		size_t need = nlen + (c->path_len > 1 ? 1 : 0);
		if (c->path_len + need >= sizeof c->path) {
			l->truncated = true;
		} else {
			if (c->path_len > 1)
				c->path[c->path_len++] = '/';
			for (i = 0; i < nlen; i++)
				c->path[c->path_len++] = s[i];
		}
	}
	c->path[c->path_len] = '\0';
	if (parent != NULL && parent->kind == K_ROOT) {
		if (strn_eq(s, nlen, "cpus"))
			l->kind = K_CPUS;
		else if (strn_eq(s, nlen, "chosen"))
			l->kind = K_CHOSEN;
		else if (strn_eq(s, nlen, "aliases"))
			l->kind = K_ALIASES;
		else if (strn_eq(s, nlen, "reserved-memory"))
			l->kind = K_RESMEM;
	} else if (parent != NULL && parent->kind == K_CPUS) {
		l->kind = K_CPU;
	} else if (parent != NULL && parent->kind == K_CPU) {
		l->kind = K_CPU_CHILD;
	} else if (parent != NULL && parent->kind == K_RESMEM) {
		l->kind = K_RESMEM_CHILD;
	}
	if (l->kind == K_ALIASES && !c->have_aliases) {
		c->have_aliases = true;
		c->aliases_pos = after;
	}
	c->depth++;
	zero_bytes(c->np, sizeof c->np);
	return 0;
}

static int walk(struct ctx *c)
{
	uint32_t pos = c->st_off;
	bool root_seen = false, root_done = false;
	int rc;

	c->depth = 0;
	c->path_len = 0;
	c->path[0] = '\0';
	for (;;) {
		uint32_t tok, tokpos = pos;
		if (pos > c->st_end || c->st_end - pos < 4) {
			e_begin(c);
			errmsg_str(&c->em, "struct block ends (offset ");
			errmsg_hex(&c->em, c->st_end);
			errmsg_str(&c->em, ") without FDT_END");
			if (c->depth > 0) {
				errmsg_str(&c->em, ", inside ");
				e_path(c);
			}
			return -ERR_TRUNCATED;
		}
		tok = be32(c->b + pos);
		pos += 4;
		if (tok == FDT_BEGIN_NODE) {
			uint32_t nlen = (uint32_t)str_nlen(c->b + pos, c->st_end - pos);
			if (nlen == c->st_end - pos)
				return fail_at(c, -ERR_TRUNCATED,
					       "node name runs past the struct block unterminated",
					       tokpos);
			if (root_done)
				return fail_at(c, -ERR_BADFORMAT,
					       "second root node (FDT_BEGIN_NODE after the root ended)",
					       tokpos);
			rc = push_node(c, pos, nlen, align4(pos + nlen + 1));
			if (rc < 0)
				return rc;
			root_seen = true;
			pos = align4(pos + nlen + 1);
		} else if (tok == FDT_END_NODE) {
			struct level *l;
			if (c->depth == 0)
				return fail_at(c, -ERR_BADFORMAT,
					       "FDT_END_NODE without a matching FDT_BEGIN_NODE", tokpos);
			l = &c->lv[c->depth - 1];
			if (!l->has_child) {
				rc = finalize(c);
				if (rc < 0)
					return rc;
			}
			c->path_len = l->parent_len;
			c->path[c->path_len] = '\0';
			c->depth--;
			if (c->depth == 0)
				root_done = true;
		} else if (tok == FDT_PROP) {
			struct prop_ref p;
			const char *name;
			int kind;
			if (c->depth == 0)
				return fail_at(c, -ERR_BADFORMAT, "property outside any node", tokpos);
			rc = read_prop(c, tokpos, &p, &pos);
			if (rc < 0)
				return rc;
			if (c->lv[c->depth - 1].has_child)
				return fail_prop(c, -ERR_BADFORMAT, &p,
						 "follows a subnode (properties must come first)");
			name = (const char *)c->b + p.name;
			if (str_eq(name, "#address-cells")) {
				rc = cells_prop(c, &p, &c->lv[c->depth - 1].addr_cells);
			} else if (str_eq(name, "#size-cells")) {
				rc = cells_prop(c, &p, &c->lv[c->depth - 1].size_cells);
			} else {
				kind = prop_kind(name);
				if (kind >= 0) { /* field by field: no memcpy call at -Os */
					c->np[kind].name = p.name;
					c->np[kind].val = p.val;
					c->np[kind].len = p.len;
				}
			}
			if (rc < 0)
				return rc;
		} else if (tok == FDT_NOP) {
			/* nothing */
		} else if (tok == FDT_END) {
			if (c->depth != 0) {
				e_begin(c);
				errmsg_str(&c->em, "FDT_END at offset ");
				errmsg_hex(&c->em, tokpos);
				errmsg_str(&c->em, " inside ");
				e_path(c);
				errmsg_str(&c->em, " (open nodes: ");
				errmsg_dec(&c->em, c->depth);
				errmsg_chr(&c->em, ')');
				return -ERR_BADFORMAT;
			}
			if (!root_seen)
				return fail_at(c, -ERR_BADFORMAT, "FDT_END before any root node",
					       tokpos);
			return 0;
		} else {
			e_begin(c);
			errmsg_str(&c->em, "unknown token ");
			errmsg_hex(&c->em, tok);
			errmsg_str(&c->em, " at offset ");
			errmsg_hex(&c->em, tokpos);
			if (c->depth > 0) {
				errmsg_str(&c->em, " in ");
				e_path(c);
			}
			return -ERR_BADFORMAT;
		}
	}
}

/* Works out c->target, the stdout node's path, after pass 1. */
static int resolve_stdout(struct ctx *c)
{
	const char *sp = c->out->stdout_path;
	uint32_t pos = c->aliases_pos;
	size_t n = 0;

	while (sp[n] != '\0' && sp[n] != ':')
		n++;
	if (n == 0)
		return 0; /* absent (or only options) */
	if (sp[0] == '/') {
		c->target = sp;
		c->target_len = n;
		return 0;
	}
	if (!c->have_aliases)
		return 0;
	/* /aliases' properties, already validated by pass 1. depth is 0 here,
	 * so messages name the alias explicitly. */
	while (pos <= c->st_end && c->st_end - pos >= 4) {
		uint32_t tok = be32(c->b + pos);
		struct prop_ref p;
		int rc;
		if (tok == FDT_NOP) {
			pos += 4;
			continue;
		}
		if (tok != FDT_PROP)
			break;
		rc = read_prop(c, pos, &p, &pos);
		if (rc < 0)
			return rc;
		if (strn_eq(sp, n, (const char *)c->b + p.name)) {
			const char *v = (const char *)c->b + p.val;
			size_t vn = str_nlen(c->b + p.val, p.len);
			if (vn == p.len) {
				e_begin(c);
				errmsg_str(&c->em, "alias '");
				errmsg_str(&c->em, (const char *)c->b + p.name);
				errmsg_str(&c->em, "' in /aliases is not a NUL-terminated string");
				return -ERR_BADFORMAT;
			}
			n = 0;
			while (n < vn && v[n] != ':')
				n++;
			if (n > 0 && v[0] == '/') {
				c->target = v;
				c->target_len = n;
			}
			return 0;
		}
	}
	return 0;
}

/* "fdt: WHAT block OFF + SIZE lies outside the blob (header 0x28, totalsize TOTAL)" */
static int fail_block(struct ctx *c, const char *what, uint32_t off, uint32_t size,
		      uint32_t total)
{
	e_begin(c);
	errmsg_str(&c->em, what);
	errmsg_str(&c->em, " block ");
	errmsg_hex(&c->em, off);
	errmsg_str(&c->em, " + ");
	errmsg_hex(&c->em, size);
	errmsg_str(&c->em, " lies outside the blob (header ");
	errmsg_hex(&c->em, FDT_HEADER_SIZE);
	errmsg_str(&c->em, ", totalsize ");
	errmsg_hex(&c->em, total);
	errmsg_chr(&c->em, ')');
	return -ERR_BADFORMAT;
}

static int check_header(struct ctx *c, size_t avail)
{
	const uint8_t *b = c->b;
	uint32_t total, version, last_comp, off_st, off_str, off_rsv, size_str, size_st;

	if (avail < 8) {
		e_begin(c);
		errmsg_str(&c->em, "blob is ");
		errmsg_dec(&c->em, avail);
		errmsg_str(&c->em, " bytes, shorter than a header");
		return -ERR_TRUNCATED;
	}
	if (be32(b) != FDT_MAGIC) {
		e_begin(c);
		errmsg_str(&c->em, "bad magic ");
		errmsg_hex(&c->em, be32(b));
		errmsg_str(&c->em, " (expected 0xd00dfeed)");
		return -ERR_BADFORMAT;
	}
	total = be32(b + 4);
	if (total < FDT_HEADER_SIZE) {
		e_begin(c);
		errmsg_str(&c->em, "totalsize ");
		errmsg_hex(&c->em, total);
		errmsg_str(&c->em, " is smaller than the header");
		return -ERR_BADFORMAT;
	}
	if (total > FDT_MAX_SIZE) {
		e_begin(c);
		errmsg_str(&c->em, "totalsize ");
		errmsg_hex(&c->em, total);
		errmsg_str(&c->em, " exceeds the limit FDT_MAX_SIZE ");
		errmsg_hex(&c->em, FDT_MAX_SIZE);
		return -ERR_RANGE;
	}
	if (total > avail) {
		e_begin(c);
		errmsg_str(&c->em, "totalsize ");
		errmsg_hex(&c->em, total);
		errmsg_str(&c->em, " exceeds the ");
		errmsg_hex(&c->em, avail);
		errmsg_str(&c->em, " bytes available");
		return -ERR_TRUNCATED;
	}
	c->total = total;
	off_st = be32(b + 8);
	off_str = be32(b + 12);
	off_rsv = be32(b + 16);
	version = be32(b + 20);
	last_comp = be32(b + 24);
	size_str = be32(b + 32);
	size_st = be32(b + 36);
	if (version < FDT_VERSION_MIN || last_comp > FDT_LAST_COMP_MAX || last_comp > version) {
		e_begin(c);
		errmsg_str(&c->em, "unsupported version ");
		errmsg_dec(&c->em, version);
		errmsg_str(&c->em, " (last compatible ");
		errmsg_dec(&c->em, last_comp);
		errmsg_str(&c->em, "); need version >= 16 readable as 17");
		return -ERR_BADFORMAT;
	}
	if (version < 17) /* no size_dt_struct: the block runs to the end */
		size_st = off_st <= total ? total - off_st : 0;
	if (off_st < FDT_HEADER_SIZE || off_st > total || size_st > total - off_st)
		return fail_block(c, "struct", off_st, size_st, total);
	if (off_st % 4 != 0)
		return fail_at(c, -ERR_BADFORMAT, "struct block is not 4-byte aligned", off_st);
	if (off_str < FDT_HEADER_SIZE || off_str > total || size_str > total - off_str)
		return fail_block(c, "strings", off_str, size_str, total);
	if (off_rsv < FDT_HEADER_SIZE || off_rsv > total) {
		e_begin(c);
		errmsg_str(&c->em, "memory reservation block offset ");
		errmsg_hex(&c->em, off_rsv);
		errmsg_str(&c->em, " lies outside the blob (totalsize ");
		errmsg_hex(&c->em, total);
		errmsg_chr(&c->em, ')');
		return -ERR_BADFORMAT;
	}
	if (off_rsv % 8 != 0)
		return fail_at(c, -ERR_BADFORMAT, "memory reservation block is not 8-byte aligned",
			       off_rsv);
	c->st_off = off_st;
	c->st_end = off_st + size_st;
	c->str_off = off_str;
	c->str_end = off_str + size_str;
	c->out->totalsize = total;
	c->out->boot_cpuid = be32(b + 28);
	return 0;
}

static int read_rsvmap(struct ctx *c)
{
	uint32_t pos = be32(c->b + 16); /* checked by check_header() */
	for (;;) {
		uint64_t base, size;
		int rc;
		if (c->total - pos < 16) {
			e_begin(c);
			errmsg_str(&c->em, "memory reservation block at ");
			errmsg_hex(&c->em, be32(c->b + 16));
			errmsg_str(&c->em,
				   " has no terminating entry before the end of the blob (");
			errmsg_hex(&c->em, c->total);
			errmsg_chr(&c->em, ')');
			return -ERR_TRUNCATED;
		}
		base = be64(c->b + pos);
		size = be64(c->b + pos + 8);
		if (base == 0 && size == 0)
			return 0;
		rc = add_range(c, c->out->reserved, FDT_MAX_RESERVED, &c->out->nreserved, base, size,
			       "reserved memory (mem-rsvmap)");
		if (rc < 0)
			return rc;
		c->out->nrsvmap = c->out->nreserved;
		pos += 16;
	}
}

int fdt_parse(const void *blob, size_t avail, struct fdt_info *out, char *err, size_t errlen)
{
	struct ctx c;
	int rc;

	zero_bytes(&c, sizeof c);
	c.b = blob;
	c.out = out;
	errmsg_init(&c.em, err, errlen);
	if (out == NULL || (blob == NULL && avail > 0)) {
		e_begin(&c);
		errmsg_str(&c.em, "NULL blob or result");
		return -ERR_INVAL;
	}
	zero_bytes(out, sizeof *out);
	if (blob == NULL)
		avail = 0;

	rc = check_header(&c, avail);
	if (rc == 0)
		rc = read_rsvmap(&c);
	if (rc == 0) {
		c.pass = 1;
		rc = walk(&c);
	}
	if (rc == 0) {
		resolve_plic(&c);
		rc = resolve_stdout(&c);
	}
	if (rc == 0) {
		c.pass = 2;
		rc = walk(&c);
	}
	return rc;
}

int fdt_plic_context(const struct fdt_info *info, uint32_t hartid, uint32_t irq)
{
	uint32_t i;
	if (info == NULL || !info->plic.present || hartid == UINT32_MAX)
		return -1;
	for (i = 0; i < info->plic.ncontexts && i < FDT_MAX_PLIC_CONTEXTS; i++)
		if (info->plic.context[i].hartid == hartid && info->plic.context[i].irq == irq)
			return (int)i;
	return -1;
}

uint32_t fdt_header_totalsize(const void *blob)
{
	const uint8_t *b = blob;
	if (b == NULL || be32(b) != FDT_MAGIC)
		return 0;
	return be32(b + 4);
}
