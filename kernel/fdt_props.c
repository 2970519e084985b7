/*
 * Flattened device tree parser, node level: acting on each node once its
 * properties are known (root, memory, reserved memory, cpus and their intcs,
 * chosen, PLIC, virtio, the console UART), and the after-pass-1 resolution
 * of PLIC contexts and the stdout path (see kernel/fdt.c).
 */
#include "kernel/fdt_internal.h"
#include <pagoda/errno.h>

static int do_root(struct ctx *c)
{
	const char *s;
	size_t n;
	int rc;
	if (c->np[P_MODEL].name != 0) {
		rc = fdt_prop_string(c, &c->np[P_MODEL], &s, &n);
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
		rc = fdt_prop_string(c, p, &s, &n);
		if (rc < 0)
			return rc;
		if (n >= sizeof out->bootargs)
			return fdt_fail_prop(c, -ERR_NOSPC, p, "is longer than the 255 bytes kept");
		copy_trunc(out->bootargs, sizeof out->bootargs, s, n);
	}
	p = c->np[P_STDOUT].name != 0 ? &c->np[P_STDOUT] : &c->np[P_LINUX_STDOUT];
	if (p->name != 0) {
		rc = fdt_prop_string(c, p, &s, &n);
		if (rc < 0)
			return rc;
		if (n >= sizeof out->stdout_path)
			return fdt_fail_prop(c, -ERR_NOSPC, p, "is longer than FDT_PATH_MAX - 1 bytes");
		copy_trunc(out->stdout_path, sizeof out->stdout_path, s, n);
	}
	if ((c->np[P_INITRD_START].name != 0) != (c->np[P_INITRD_END].name != 0))
		return fdt_fail_node(c, -ERR_BADFORMAT,
				 "has only one of linux,initrd-start and linux,initrd-end");
	if (c->np[P_INITRD_START].name != 0) {
		uint64_t start, end;
		rc = fdt_prop_u32_u64(c, &c->np[P_INITRD_START], &start);
		if (rc == 0)
			rc = fdt_prop_u32_u64(c, &c->np[P_INITRD_END], &end);
		if (rc < 0)
			return rc;
		if (end < start) {
			fdt_e_begin(c);
			errmsg_str(&c->em, "initrd in ");
			fdt_e_path(c);
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
		return fdt_fail_node(c, -ERR_BADFORMAT, "(device_type \"cpu\") has no reg");
	rc = fdt_reg_count(c, &c->np[P_REG], &count);
	if (rc < 0)
		return rc;
	if (count == 0)
		return fdt_fail_node(c, -ERR_BADFORMAT, "(device_type \"cpu\") has an empty reg");
	fdt_reg_get(c, &c->np[P_REG], 0, &id, &unused);
	if (id > 0xffffffffu) {
		fdt_e_begin(c);
		errmsg_str(&c->em, "hart id ");
		errmsg_hex(&c->em, id);
		errmsg_str(&c->em, " of ");
		fdt_e_path(c);
		errmsg_str(&c->em, " does not fit 32 bits");
		return -ERR_RANGE;
	}
	for (i = 0; i < out->nharts; i++) {
		if (out->harts[i].hartid == id) {
			fdt_e_begin(c);
			errmsg_str(&c->em, "hart id ");
			errmsg_dec(&c->em, id);
			errmsg_str(&c->em, " of ");
			fdt_e_path(c);
			errmsg_str(&c->em, " appears twice in /cpus");
			return -ERR_BADFORMAT;
		}
	}
	if (out->nharts >= FDT_MAX_HARTS) {
		fdt_e_begin(c);
		errmsg_str(&c->em, "more than ");
		errmsg_dec(&c->em, FDT_MAX_HARTS);
		errmsg_str(&c->em, " harts (at ");
		fdt_e_path(c);
		errmsg_chr(&c->em, ')');
		return -ERR_NOSPC;
	}
	rc = fdt_node_enabled(c, &enabled);
	if (rc < 0)
		return rc;
	h = &out->harts[out->nharts];
	h->hartid = (uint32_t)id;
	h->enabled = enabled;
	if (c->np[P_MMU_TYPE].name != 0) {
		rc = fdt_prop_string(c, &c->np[P_MMU_TYPE], &s, &n);
		if (rc < 0)
			return rc;
		copy_trunc(h->mmu_type, sizeof h->mmu_type, s, n);
	}
	if (c->np[P_ISA].name != 0) {
		rc = fdt_prop_string(c, &c->np[P_ISA], &s, &n);
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
		return fdt_prop_u32_u64(c, &c->np[P_TIMEBASE], &out->timebase_hz);
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
	rc = fdt_prop_u32(c, p, &ph);
	if (rc < 0 || ph == 0)
		return rc;
	for (i = 0; i + 1 < out->nharts; i++) {
		if (out->harts[i].intc_phandle == ph) {
			fdt_e_begin(c);
			errmsg_str(&c->em, "phandle ");
			errmsg_hex(&c->em, ph);
			errmsg_str(&c->em, " of ");
			fdt_e_path(c);
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
 * phandles go into context[].hartid for now; fdt_resolve_plic() maps them to hart
 * ids once the whole tree has been read. */
static int plic_contexts(struct ctx *c)
{
	const struct prop_ref *p = &c->np[P_INTERRUPTS_EXT];
	struct fdt_plic *pl = &c->out->plic;
	uint32_t cells, i;

	if (p->name == 0)
		return 0;
	if (p->len % 4 != 0) {
		fdt_e_prop_len(c, "interrupts-extended", p->len);
		errmsg_str(&c->em, "a list of cells");
		return -ERR_BADFORMAT;
	}
	cells = p->len / 4;
	if (cells % 2 != 0) {
		fdt_e_prop(c, "interrupts-extended");
		errmsg_str(&c->em, " has ");
		errmsg_dec(&c->em, cells);
		errmsg_str(&c->em, " cells, not (phandle, irq) pairs");
		return -ERR_BADFORMAT;
	}
	if (cells / 2 > FDT_MAX_PLIC_CONTEXTS) {
		fdt_e_prop(c, "interrupts-extended");
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
	int rc = fdt_first_reg(c, &pl->base, &pl->size);
	if (rc == 0 && c->np[P_NDEV].name != 0)
		rc = fdt_prop_u32(c, &c->np[P_NDEV], &pl->ndev);
	if (rc == 0)
		rc = plic_contexts(c);
	if (rc == 0)
		pl->present = true;
	return rc;
}

/* After pass 1: each PLIC context's phandle becomes the hart id whose cpu
 * intc carries it, or UINT32_MAX. */
void fdt_resolve_plic(struct ctx *c)
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
		fdt_e_begin(c);
		errmsg_str(&c->em, "more than ");
		errmsg_dec(&c->em, FDT_MAX_VIRTIO);
		errmsg_str(&c->em, " virtio,mmio nodes (at ");
		fdt_e_path(c);
		errmsg_chr(&c->em, ')');
		return -ERR_NOSPC;
	}
	v = &out->virtio[out->nvirtio];
	rc = fdt_first_reg(c, &v->base, &v->size);
	if (rc == 0 && c->np[P_INTERRUPTS].name != 0)
		rc = fdt_prop_first_cell(c, &c->np[P_INTERRUPTS], &v->irq);
	if (rc == 0)
		out->nvirtio++;
	return rc;
}

static bool is_16550(const struct ctx *c)
{
	const struct prop_ref *p = &c->np[P_COMPATIBLE];
	return p->name != 0 &&
	       (fdt_strlist_has(c, p, "ns16550a") || fdt_strlist_has(c, p, "ns16550") ||
		fdt_strlist_has(c, p, "ns16450") || fdt_strlist_has(c, p, "snps,dw-apb-uart"));
}

/* Makes the current node the UART. */
static int fill_uart(struct ctx *c)
{
	struct fdt_uart *u = &c->out->uart;
	const struct prop_ref *p;
	int rc;

	zero_bytes(u, sizeof *u);
	if (c->lv[c->depth - 1].truncated || c->path_len >= sizeof u->path)
		return fdt_fail_node(c, -ERR_NOSPC, "(the console UART) has a path too long to keep");
	copy_trunc(u->path, sizeof u->path, c->path, c->path_len);
	p = &c->np[P_COMPATIBLE];
	if (p->name != 0)
		copy_trunc(u->compatible, sizeof u->compatible, (const char *)c->b + p->val,
			   str_nlen(c->b + p->val, p->len));
	u->is_16550 = is_16550(c);
	u->reg_io_width = 1;
	rc = fdt_first_reg(c, &u->base, &u->size);
	if (rc == 0 && c->np[P_REG_SHIFT].name != 0)
		rc = fdt_prop_u32(c, &c->np[P_REG_SHIFT], &u->reg_shift);
	if (rc == 0 && c->np[P_REG_IO_WIDTH].name != 0)
		rc = fdt_prop_u32(c, &c->np[P_REG_IO_WIDTH], &u->reg_io_width);
	if (rc == 0 && c->np[P_INTERRUPTS].name != 0)
		rc = fdt_prop_first_cell(c, &c->np[P_INTERRUPTS], &u->irq);
	if (rc == 0 && c->np[P_CLOCK].name != 0) {
		uint64_t hz;
		rc = fdt_prop_u32_u64(c, &c->np[P_CLOCK], &hz);
		if (rc == 0 && hz > 0xffffffffu)
			rc = fdt_fail_prop(c, -ERR_RANGE, &c->np[P_CLOCK], "does not fit 32 bits");
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
	rc = fdt_node_enabled(c, &enabled);
	if (rc < 0 || !enabled)
		return rc;
	return fill_uart(c); /* fallback: first enabled 16550 */
}

/* Acts on the current node once all its properties are known. */
int fdt_finalize(struct ctx *c)
{
	const struct level *l = &c->lv[c->depth - 1];
	const struct prop_ref *compat = &c->np[P_COMPATIBLE];
	const char *dt = "";
	size_t dtn = 0;
	int rc;

	if (compat->name != 0) {
		rc = fdt_prop_strlist_check(c, compat);
		if (rc < 0)
			return rc;
	}
	if (c->np[P_DEVICE_TYPE].name != 0) {
		rc = fdt_prop_string(c, &c->np[P_DEVICE_TYPE], &dt, &dtn);
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
		rc = fdt_prop_u32_u64(c, &c->np[P_TIMEBASE], &c->out->timebase_hz);
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
	    fdt_strlist_has(c, compat, "riscv,cpu-intc")) {
		rc = do_cpu_intc(c);
		if (rc < 0)
			return rc;
	}
	if (l->kind == K_RESMEM_CHILD && c->np[P_REG].name != 0) {
		rc = fdt_add_reg_ranges(c, c->out->reserved, FDT_MAX_RESERVED, &c->out->nreserved,
				    "reserved memory");
		if (rc < 0)
			return rc;
	}
	if (c->depth == 2 && strn_eq(dt, dtn, "memory") && c->np[P_REG].name != 0) {
		bool enabled;
		rc = fdt_node_enabled(c, &enabled);
		if (rc == 0 && enabled)
			rc = fdt_add_reg_ranges(c, c->out->mem, FDT_MAX_MEM, &c->out->nmem, "memory");
		if (rc < 0)
			return rc;
	}
	if (compat->name != 0) {
		if (!c->out->plic.present &&
		    (fdt_strlist_has(c, compat, "riscv,plic0") ||
		     fdt_strlist_has(c, compat, "sifive,plic-1.0.0"))) {
			rc = do_plic(c);
			if (rc < 0)
				return rc;
		}
		if (fdt_strlist_has(c, compat, "virtio,mmio")) {
			rc = do_virtio(c);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

/* Works out c->target, the stdout node's path, after pass 1. */
int fdt_resolve_stdout(struct ctx *c)
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
		rc = fdt_read_prop(c, pos, &p, &pos);
		if (rc < 0)
			return rc;
		if (strn_eq(sp, n, (const char *)c->b + p.name)) {
			const char *v = (const char *)c->b + p.val;
			size_t vn = str_nlen(c->b + p.val, p.len);
			if (vn == p.len) {
				fdt_e_begin(c);
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
