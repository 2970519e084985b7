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
 * Layout: this file holds the entry points and drives the steps above;
 * kernel/fdt_blob.c the header, reservation block, walk and property access;
 * kernel/fdt_props.c what each node means; kernel/fdt_internal.h their
 * shared context.
 *
 * No tables of pointers and no switch statements: the code stays correct
 * whatever address it runs at, relocated or not.
 */
#include "kernel/fdt_internal.h"
#include <pagoda/errno.h>

int fdt_parse(const void *blob, size_t avail, struct fdt_info *out, char *err, size_t errlen)
{
	struct ctx c;
	int rc;

	zero_bytes(&c, sizeof c);
	c.b = blob;
	c.out = out;
	errmsg_init(&c.em, err, errlen);
	if (out == NULL || (blob == NULL && avail > 0)) {
		fdt_e_begin(&c);
		errmsg_str(&c.em, "NULL blob or result");
		return -ERR_INVAL;
	}
	zero_bytes(out, sizeof *out);
	if (blob == NULL)
		avail = 0;

	rc = fdt_check_header(&c, avail);
	if (rc == 0)
		rc = fdt_read_rsvmap(&c);
	if (rc == 0) {
		c.pass = 1;
		rc = fdt_walk(&c);
	}
	if (rc == 0) {
		fdt_resolve_plic(&c);
		rc = fdt_resolve_stdout(&c);
	}
	if (rc == 0) {
		c.pass = 2;
		rc = fdt_walk(&c);
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
