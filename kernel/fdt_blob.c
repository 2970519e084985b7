/*
 * Flattened device tree parser, blob level: header and memory reservation
 * block checks, the token walk over the structure block, and bounds-checked
 * access to property values (see kernel/fdt.c for the shape of the parse).
 */
#include "kernel/fdt_internal.h"
#include <pagoda/errno.h>

/* --------------------------------------------------------------- errors -- */

/* Starts a new message: "fdt: ". */
void fdt_e_begin(struct ctx *c)
{
	errmsg_begin(&c->em, "fdt: ");
}

/* The current node's path ("/" outside any node). */
void fdt_e_path(struct ctx *c)
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
void fdt_e_prop(struct ctx *c, const char *name)
{
	fdt_e_begin(c);
	errmsg_str(&c->em, "property '");
	errmsg_str(&c->em, name);
	errmsg_str(&c->em, "' of ");
	fdt_e_path(c);
}

/* Starts "fdt: property 'NAME' of PATH is LEN bytes long, not " (the caller ends it). */
void fdt_e_prop_len(struct ctx *c, const char *name, uint32_t len)
{
	fdt_e_prop(c, name);
	errmsg_str(&c->em, " is ");
	errmsg_dec(&c->em, len);
	errmsg_str(&c->em, " bytes long, not ");
}

/* "fdt: property 'NAME' of PATH WHAT" */
int fdt_fail_prop(struct ctx *c, int code, const struct prop_ref *p, const char *what)
{
	fdt_e_prop(c, (const char *)c->b + p->name);
	errmsg_chr(&c->em, ' ');
	errmsg_str(&c->em, what);
	return code;
}

/* "fdt: node PATH WHAT" */
int fdt_fail_node(struct ctx *c, int code, const char *what)
{
	fdt_e_begin(c);
	errmsg_str(&c->em, "node ");
	fdt_e_path(c);
	errmsg_chr(&c->em, ' ');
	errmsg_str(&c->em, what);
	return code;
}

/* "fdt: WHAT at offset 0x..." (blob offset) */
static int fail_at(struct ctx *c, int code, const char *what, uint32_t off)
{
	fdt_e_begin(c);
	errmsg_str(&c->em, what);
	errmsg_str(&c->em, " at offset ");
	errmsg_hex(&c->em, off);
	return code;
}

/* ----------------------------------------------------- property values -- */

/* The value as a string: must hold a NUL within its length. */
int fdt_prop_string(struct ctx *c, const struct prop_ref *p, const char **s, size_t *n)
{
	size_t l = str_nlen(c->b + p->val, p->len);
	*s = "";
	*n = 0;
	if (l == p->len)
		return fdt_fail_prop(c, -ERR_BADFORMAT, p, "is not a NUL-terminated string");
	*s = (const char *)c->b + p->val;
	*n = l;
	return 0;
}

/* A string list must be non-empty and end with a NUL. */
int fdt_prop_strlist_check(struct ctx *c, const struct prop_ref *p)
{
	if (p->len == 0 || c->b[p->val + p->len - 1] != 0)
		return fdt_fail_prop(c, -ERR_BADFORMAT, p, "is not a NUL-terminated string list");
	return 0;
}

/* Does the (checked) string list p contain want? */
bool fdt_strlist_has(const struct ctx *c, const struct prop_ref *p, const char *want)
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

int fdt_prop_u32(struct ctx *c, const struct prop_ref *p, uint32_t *v)
{
	*v = 0;
	if (p->len != 4) {
		fdt_e_prop_len(c, (const char *)c->b + p->name, p->len);
		errmsg_str(&c->em, "a 4-byte cell");
		return -ERR_BADFORMAT;
	}
	*v = be32(c->b + p->val);
	return 0;
}

int fdt_prop_u32_u64(struct ctx *c, const struct prop_ref *p, uint64_t *v)
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
	fdt_e_prop_len(c, (const char *)c->b + p->name, p->len);
	errmsg_str(&c->em, "4 or 8");
	return -ERR_BADFORMAT;
}

/* First cell of a list of cells (e.g. interrupts). */
int fdt_prop_first_cell(struct ctx *c, const struct prop_ref *p, uint32_t *v)
{
	*v = 0;
	if (p->len < 4 || p->len % 4 != 0) {
		fdt_e_prop_len(c, (const char *)c->b + p->name, p->len);
		errmsg_str(&c->em, "a non-empty list of cells");
		return -ERR_BADFORMAT;
	}
	*v = be32(c->b + p->val);
	return 0;
}

/* The current node's reg, decoded with the parent's cells: entry count. */
int fdt_reg_count(struct ctx *c, const struct prop_ref *p, unsigned *count)
{
	unsigned ac = 2, sc = 1, entry;
	if (c->depth >= 2) {
		ac = c->lv[c->depth - 2].addr_cells;
		sc = c->lv[c->depth - 2].size_cells;
	}
	if (ac > 2 || sc > 2) {
		fdt_e_prop(c, "reg");
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
		fdt_e_prop_len(c, "reg", p->len);
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

/* Entry i of a reg already checked by fdt_reg_count(). */
void fdt_reg_get(const struct ctx *c, const struct prop_ref *p, unsigned i, uint64_t *base,
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
int fdt_node_enabled(struct ctx *c, bool *enabled)
{
	const struct prop_ref *p = &c->np[P_STATUS];
	const char *s;
	size_t n;
	int rc;
	if (p->name == 0) {
		*enabled = true;
		return 0;
	}
	rc = fdt_prop_string(c, p, &s, &n);
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
		fdt_e_begin(c);
		errmsg_str(&c->em, what);
		errmsg_str(&c->em, " range ");
		errmsg_hex(&c->em, base);
		errmsg_str(&c->em, " + ");
		errmsg_hex(&c->em, size);
		if (c->depth > 0) {
			errmsg_str(&c->em, " in ");
			fdt_e_path(c);
		}
		errmsg_str(&c->em, " wraps past the end of the address space");
		return -ERR_RANGE;
	}
	if (*n >= cap) {
		fdt_e_begin(c);
		errmsg_str(&c->em, "more than ");
		errmsg_dec(&c->em, cap);
		errmsg_chr(&c->em, ' ');
		errmsg_str(&c->em, what);
		errmsg_str(&c->em, " ranges (");
		if (c->depth > 0) {
			errmsg_str(&c->em, "at ");
			fdt_e_path(c);
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
int fdt_add_reg_ranges(struct ctx *c, struct fdt_range *arr, unsigned cap, unsigned *n,
		       const char *what)
{
	const struct prop_ref *p = &c->np[P_REG];
	unsigned count, i;
	int rc = fdt_reg_count(c, p, &count);
	for (i = 0; rc == 0 && i < count; i++) {
		uint64_t base, size;
		fdt_reg_get(c, p, i, &base, &size);
		rc = add_range(c, arr, cap, n, base, size, what);
	}
	return rc;
}

/* First reg entry of the current node; 0/0 when reg is absent or empty. */
int fdt_first_reg(struct ctx *c, uint64_t *base, uint64_t *size)
{
	const struct prop_ref *p = &c->np[P_REG];
	unsigned count;
	int rc;
	*base = 0;
	*size = 0;
	if (p->name == 0)
		return 0;
	rc = fdt_reg_count(c, p, &count);
	if (rc == 0 && count > 0)
		fdt_reg_get(c, p, 0, base, size);
	return rc;
}

/* ------------------------------------------------------------ the fdt_walk -- */

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
int fdt_read_prop(struct ctx *c, uint32_t tokpos, struct prop_ref *p, uint32_t *next)
{
	uint32_t pos = tokpos + 4, len, nameoff, nlen;
	if (c->st_end - pos < 8)
		return fail_at(c, -ERR_TRUNCATED, "property header runs past the struct block",
			       tokpos);
	len = be32(c->b + pos);
	nameoff = be32(c->b + pos + 4);
	if (nameoff >= c->str_end - c->str_off) {
		fdt_e_begin(c);
		errmsg_str(&c->em, "property at offset ");
		errmsg_hex(&c->em, tokpos);
		errmsg_str(&c->em, " of ");
		fdt_e_path(c);
		errmsg_str(&c->em, " has name offset ");
		errmsg_hex(&c->em, nameoff);
		errmsg_str(&c->em, " outside the strings block (size ");
		errmsg_hex(&c->em, c->str_end - c->str_off);
		errmsg_chr(&c->em, ')');
		return -ERR_BADFORMAT;
	}
	nlen = (uint32_t)str_nlen(c->b + c->str_off + nameoff, c->str_end - c->str_off - nameoff);
	if (nlen == c->str_end - c->str_off - nameoff) {
		fdt_e_begin(c);
		errmsg_str(&c->em, "name of property at offset ");
		errmsg_hex(&c->em, tokpos);
		errmsg_str(&c->em, " of ");
		fdt_e_path(c);
		errmsg_str(&c->em, " (strings offset ");
		errmsg_hex(&c->em, nameoff);
		errmsg_str(&c->em, ") runs past the strings block unterminated");
		return -ERR_TRUNCATED;
	}
	p->name = c->str_off + nameoff;
	p->val = pos + 8;
	p->len = len;
	if (len > c->st_end - p->val)
		return fdt_fail_prop(c, -ERR_TRUNCATED, p, "runs past the struct block");
	*next = align4(p->val + len);
	return 0;
}

static int cells_prop(struct ctx *c, const struct prop_ref *p, uint8_t *dst)
{
	uint32_t v;
	int rc = fdt_prop_u32(c, p, &v);
	if (rc < 0)
		return rc;
	if (v > FDT_MAX_CELLS_DECL) {
		fdt_e_prop(c, (const char *)c->b + p->name);
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
		fdt_e_begin(c);
		errmsg_str(&c->em, "nodes nest deeper than ");
		errmsg_dec(&c->em, FDT_MAX_DEPTH);
		errmsg_str(&c->em, " levels at ");
		fdt_e_path(c);
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
			rc = fdt_finalize(c);
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

int fdt_walk(struct ctx *c)
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
			fdt_e_begin(c);
			errmsg_str(&c->em, "struct block ends (offset ");
			errmsg_hex(&c->em, c->st_end);
			errmsg_str(&c->em, ") without FDT_END");
			if (c->depth > 0) {
				errmsg_str(&c->em, ", inside ");
				fdt_e_path(c);
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
				rc = fdt_finalize(c);
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
			rc = fdt_read_prop(c, tokpos, &p, &pos);
			if (rc < 0)
				return rc;
			if (c->lv[c->depth - 1].has_child)
				return fdt_fail_prop(c, -ERR_BADFORMAT, &p,
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
				fdt_e_begin(c);
				errmsg_str(&c->em, "FDT_END at offset ");
				errmsg_hex(&c->em, tokpos);
				errmsg_str(&c->em, " inside ");
				fdt_e_path(c);
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
			fdt_e_begin(c);
			errmsg_str(&c->em, "unknown token ");
			errmsg_hex(&c->em, tok);
			errmsg_str(&c->em, " at offset ");
			errmsg_hex(&c->em, tokpos);
			if (c->depth > 0) {
				errmsg_str(&c->em, " in ");
				fdt_e_path(c);
			}
			return -ERR_BADFORMAT;
		}
	}
}

/* "fdt: WHAT block OFF + SIZE lies outside the blob (header 0x28, totalsize TOTAL)" */
static int fail_block(struct ctx *c, const char *what, uint32_t off, uint32_t size,
		      uint32_t total)
{
	fdt_e_begin(c);
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

int fdt_check_header(struct ctx *c, size_t avail)
{
	const uint8_t *b = c->b;
	uint32_t total, version, last_comp, off_st, off_str, off_rsv, size_str, size_st;

	if (avail < 8) {
		fdt_e_begin(c);
		errmsg_str(&c->em, "blob is ");
		errmsg_dec(&c->em, avail);
		errmsg_str(&c->em, " bytes, shorter than a header");
		return -ERR_TRUNCATED;
	}
	if (be32(b) != FDT_MAGIC) {
		fdt_e_begin(c);
		errmsg_str(&c->em, "bad magic ");
		errmsg_hex(&c->em, be32(b));
		errmsg_str(&c->em, " (expected 0xd00dfeed)");
		return -ERR_BADFORMAT;
	}
	total = be32(b + 4);
	if (total < FDT_HEADER_SIZE) {
		fdt_e_begin(c);
		errmsg_str(&c->em, "totalsize ");
		errmsg_hex(&c->em, total);
		errmsg_str(&c->em, " is smaller than the header");
		return -ERR_BADFORMAT;
	}
	if (total > FDT_MAX_SIZE) {
		fdt_e_begin(c);
		errmsg_str(&c->em, "totalsize ");
		errmsg_hex(&c->em, total);
		errmsg_str(&c->em, " exceeds the limit FDT_MAX_SIZE ");
		errmsg_hex(&c->em, FDT_MAX_SIZE);
		return -ERR_RANGE;
	}
	if (total > avail) {
		fdt_e_begin(c);
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
		fdt_e_begin(c);
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
		fdt_e_begin(c);
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

int fdt_read_rsvmap(struct ctx *c)
{
	uint32_t pos = be32(c->b + 16); /* checked by fdt_check_header() */
	for (;;) {
		uint64_t base, size;
		int rc;
		if (c->total - pos < 16) {
			fdt_e_begin(c);
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
