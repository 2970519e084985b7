/*
 * Flattened device tree (DTB) parser: the one place the kernel learns what
 * board it runs on. Pure C, no allocation, no globals: the same file is built
 * into the kernel and into host unit tests and the fuzz target.
 *
 * Robustness contract: fdt_parse() reads only bytes inside
 * [blob, blob + avail) and inside the header's totalsize, never recurses
 * without bound, always terminates, and on any malformed input returns a
 * negative ERR_* code with a message in err naming what is wrong
 * (e.g. "fdt: property 'reg' of /memory@80000000 runs past the struct block").
 */
#ifndef KERNEL_FDT_H
#define KERNEL_FDT_H

#include "kernel/types.h"

#define FDT_MAGIC 0xd00dfeedu
#define FDT_HEADER_SIZE 40u
#define FDT_MAX_SIZE (4u << 20) /* larger blobs are refused */

#define FDT_MAX_MEM 16
#define FDT_MAX_RESERVED 32
#define FDT_MAX_HARTS 16
#define FDT_MAX_VIRTIO 16
#define FDT_MAX_DEPTH 32
#define FDT_PATH_MAX 128
#define FDT_MAX_PLIC_CONTEXTS 32

/* Local interrupt numbers of a hart's riscv,cpu-intc, as a PLIC's
 * interrupts-extended names them. */
#define FDT_IRQ_S_EXT 9  /* supervisor external interrupt */
#define FDT_IRQ_M_EXT 11 /* machine external interrupt */

struct fdt_range {
	uint64_t base;
	uint64_t size;
};

struct fdt_hart {
	uint32_t hartid;   /* from the cpu node's reg */
	bool enabled;      /* status absent, "okay" or "ok" */
	char mmu_type[16]; /* e.g. "riscv,sv39"; "" when absent */
	char isa[128];     /* riscv,isa, truncated to fit */
	bool usable;       /* enabled and has an mmu-type: the kernel may run on it */
	/* phandle (or linux,phandle) of the cpu node's first child compatible
	 * with "riscv,cpu-intc"; 0 when there is none or it has no phandle. */
	uint32_t intc_phandle;
};

struct fdt_uart {
	bool present;
	char path[FDT_PATH_MAX];  /* full node path, e.g. "/soc/serial@10000000" */
	char compatible[48];      /* first string of the compatible list */
	bool is_16550;            /* compatible with ns16550a, ns16550, ns16450 or snps,dw-apb-uart */
	uint64_t base, size;
	uint32_t reg_shift;       /* default 0 */
	uint32_t reg_io_width;    /* default 1 */
	uint32_t irq;             /* first cell of interrupts; 0 when none */
	uint32_t clock_hz;        /* clock-frequency; 0 when absent */
};

struct fdt_plic {
	bool present;
	uint64_t base, size;
	uint32_t ndev; /* riscv,ndev */
	/*
	 * The PLIC's interrupts-extended: (phandle, irq) cell pairs, one per PLIC
	 * context; the index of a pair is its context number. Each phandle is
	 * resolved to the hart whose cpu interrupt controller carries it (the
	 * PLIC node may come before or after /cpus), hartid = UINT32_MAX when it
	 * matches none. irq is the hart-local interrupt: FDT_IRQ_S_EXT or
	 * FDT_IRQ_M_EXT. ncontexts = 0 when the property is absent.
	 */
	uint32_t ncontexts;
	struct {
		uint32_t hartid;
		uint32_t irq;
	} context[FDT_MAX_PLIC_CONTEXTS];
};

struct fdt_virtio {
	uint64_t base, size;
	uint32_t irq;
};

struct fdt_info {
	uint32_t totalsize;         /* blob size from the header */
	uint32_t boot_cpuid;        /* header's boot_cpuid_phys */
	char model[64];             /* /model, or first /compatible string, or "" */
	uint64_t timebase_hz;       /* /cpus timebase-frequency (or the first cpu's) */

	struct fdt_range mem[FDT_MAX_MEM];  /* device_type = "memory" nodes' reg */
	unsigned nmem;
	/* The header's memory reservation block, then every /reserved-memory child
	 * with a reg (status other than okay is still reserved). */
	struct fdt_range reserved[FDT_MAX_RESERVED];
	unsigned nreserved;
	/* The first nrsvmap entries of reserved come from the reservation
	 * block: RAM the boot loader put things in (initrd, tree), readable
	 * but not free. The rest are /reserved-memory regions, which firmware
	 * may protect or mark no-map. */
	unsigned nrsvmap;

	struct fdt_hart harts[FDT_MAX_HARTS]; /* /cpus/cpu@* in tree order */
	unsigned nharts;

	char bootargs[256];         /* /chosen/bootargs, "" when absent */
	char stdout_path[FDT_PATH_MAX]; /* /chosen/stdout-path as found (may be an alias) */
	uint64_t initrd_start, initrd_end; /* /chosen linux,initrd-*; both 0 when absent */

	/* The console: the node stdout-path names (alias resolved through /aliases,
	 * ":options" stripped); when there is no stdout-path, the first enabled
	 * 16550-compatible node. uart.present is false when neither exists. */
	struct fdt_uart uart;
	struct fdt_plic plic;       /* first node compatible with riscv,plic0 or sifive,plic-1.0.0 */
	struct fdt_virtio virtio[FDT_MAX_VIRTIO]; /* "virtio,mmio" nodes in tree order */
	unsigned nvirtio;
};

/*
 * Parses the DTB at blob. avail is how many bytes may be read from blob; the
 * header's totalsize must not exceed it (nor FDT_MAX_SIZE). Fills *out
 * completely (zeroed first). Returns 0, or a negative ERR_* code with a
 * NUL-terminated message in err[0..errlen). Caller owns every buffer.
 * More entries than an array holds is an error (ERR_NOSPC), never silently
 * dropped. Addresses are taken as-is (identity "ranges", as on every board
 * Pagoda supports); reg values use the parent's #address-cells/#size-cells
 * (defaults 2 and 1).
 */
int fdt_parse(const void *blob, size_t avail, struct fdt_info *out, char *err, size_t errlen);

/*
 * The PLIC context that delivers interrupt irq (normally FDT_IRQ_S_EXT) to
 * hart hartid: the index of the first interrupts-extended pair naming that
 * hart's interrupt controller with that irq. -1 when info is NULL, there is
 * no PLIC, no such pair exists (e.g. the VisionFive 2's S7 hart 0, which has
 * only an M-mode context) or hartid is UINT32_MAX. Examples: QEMU virt gives
 * hart h contexts 2h (M) and 2h+1 (S); the VisionFive 2 gives hart 0 context
 * 0 (M) and hart h >= 1 contexts 2h-1 (M) and 2h (S).
 */
int fdt_plic_context(const struct fdt_info *info, uint32_t hartid, uint32_t irq);

/* Reads the totalsize field of a DTB header after checking the magic; returns
 * 0 when blob does not start with a valid header. Reads 8 bytes. */
uint32_t fdt_header_totalsize(const void *blob);

#endif
