/*
 * Host unit tests for the device-tree parser (kernel/fdt*.c): real trees and
 * well-formed built ones; malformed trees and mutations are in
 * tests/host/fdt_broken_test.c, shared helpers in tests/host/fdt_test_util.c.
 * Run from the repository root: trees are opened by relative paths
 * (../shared/dtb/..., tests/dtb/..., build/test-dtb/...).
 * build/test-dtb/ trees come from the .dts files in tests/dtb/ (tests/host/fdt_test.mk);
 * when one is missing the test compiles it with dtc itself.
 */
#include "tests/host/fdt_test.h"
#include "tests/host/check.h"

#include <pagoda/errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------ valid trees -- */

/* What every QEMU 7.2 virt tree says, for -m mem -smp nharts. */
static void check_qemu(const char *path, uint64_t mem, unsigned nharts)
{
	size_t len;
	uint8_t *b = load(path, &len);
	unsigned i, seen = 0;
	CHECK(b != NULL);
	CHECK(rc_ok(parse(b, len)));
	free(b);
	CHECK_EQ(info.totalsize, len);
	CHECK(strcmp(info.model, "riscv-virtio,qemu") == 0);
	CHECK_EQ(info.nmem, 1);
	CHECK_EQ(info.mem[0].base, 0x80000000u);
	CHECK_EQ(info.mem[0].size, mem);
	CHECK_EQ(info.nreserved, 0);
	CHECK_EQ(info.timebase_hz, 10000000);
	CHECK_EQ(info.nharts, nharts);
	for (i = 0; i < nharts; i++) {
		CHECK_EQ(info.harts[i].hartid, i);
		CHECK(info.harts[i].enabled);
		CHECK(info.harts[i].usable);
		CHECK(strcmp(info.harts[i].mmu_type, "riscv,sv48") == 0);
		CHECK(strncmp(info.harts[i].isa, "rv64imafdch", 11) == 0);
	}
	CHECK(strcmp(info.stdout_path, "/soc/serial@10000000") == 0);
	CHECK(info.bootargs[0] == '\0');
	CHECK_EQ(info.initrd_start, 0);
	CHECK_EQ(info.initrd_end, 0);
	CHECK(info.uart.present);
	CHECK(strcmp(info.uart.path, "/soc/serial@10000000") == 0);
	CHECK(strcmp(info.uart.compatible, "ns16550a") == 0);
	CHECK(info.uart.is_16550);
	CHECK_EQ(info.uart.base, 0x10000000);
	CHECK_EQ(info.uart.size, 0x100);
	CHECK_EQ(info.uart.reg_shift, 0);
	CHECK_EQ(info.uart.reg_io_width, 1);
	CHECK_EQ(info.uart.irq, 10);
	CHECK_EQ(info.uart.clock_hz, 3686400);
	CHECK(info.plic.present);
	CHECK_EQ(info.plic.base, 0x0c000000);
	CHECK_EQ(info.plic.size, 0x600000);
	CHECK_EQ(info.plic.ndev, 0x60);
	CHECK_EQ(info.nvirtio, 8);
	for (i = 0; i < info.nvirtio; i++) {
		/* QEMU lists the slots from the last to the first */
		unsigned slot = (unsigned)((info.virtio[i].base - 0x10001000u) / 0x1000);
		CHECK(info.virtio[i].base >= 0x10001000u && slot < 8);
		CHECK_EQ(info.virtio[i].base, 0x10001000u + slot * 0x1000u);
		CHECK_EQ(info.virtio[i].size, 0x1000);
		CHECK_EQ(info.virtio[i].irq, slot + 1);
		CHECK((seen & (1u << slot)) == 0);
		seen |= 1u << slot;
	}
	CHECK_EQ(seen, 0xff);
}

static void t_qemu_64m(void) { check_qemu("tests/dtb/qemu-virt-64M-smp1.dtb", 64ull << 20, 1); }
static void t_qemu_512m(void) { check_qemu("tests/dtb/qemu-virt-512M-smp4.dtb", 512ull << 20, 4); }
static void t_qemu_3g(void) { check_qemu("tests/dtb/qemu-virt-3G-smp4.dtb", 3ull << 30, 4); }
static void t_qemu_smp8(void) { check_qemu("tests/dtb/qemu-virt-128M-smp8.dtb", 128ull << 20, 8); }
static void t_qemu_shared(void) { check_qemu(QEMU_SHARED_DTB, 128ull << 20, 4); }

static void t_vf2_board(void)
{
	size_t len;
	uint8_t *b = load(VF2_DTB, &len);
	CHECK(b != NULL);
	CHECK(rc_ok(parse(b, len)));
	free(b);
	CHECK(strcmp(info.model, "StarFive VisionFive 2 v1.3B") == 0);
	CHECK_EQ(info.nmem, 1);
	CHECK_EQ(info.mem[0].base, 0x40000000);
	CHECK_EQ(info.mem[0].size, 4ull << 30);
	CHECK_EQ(info.nreserved, 0);
	CHECK_EQ(info.timebase_hz, 4000000);
	CHECK(info.plic.present);
	CHECK_EQ(info.plic.base, 0x0c000000);
	CHECK_EQ(info.plic.size, 0x4000000);
	CHECK_EQ(info.plic.ndev, 136);
	CHECK_EQ(info.nvirtio, 0);
}

static void t_vf2_harts(void)
{
	size_t len;
	uint8_t *b = load(VF2_DTB, &len);
	unsigned i;
	CHECK(b != NULL);
	CHECK(rc_ok(parse(b, len)));
	free(b);
	CHECK_EQ(info.nharts, 5);
	CHECK_EQ(info.harts[0].hartid, 0);
	CHECK(!info.harts[0].enabled);
	CHECK(!info.harts[0].usable);
	CHECK(info.harts[0].mmu_type[0] == '\0');
	CHECK(strcmp(info.harts[0].isa, "rv64imac_zba_zbb") == 0);
	for (i = 1; i <= 4; i++) {
		CHECK_EQ(info.harts[i].hartid, i);
		CHECK(info.harts[i].enabled);
		CHECK(info.harts[i].usable);
		CHECK(strcmp(info.harts[i].mmu_type, "riscv,sv39") == 0);
		CHECK(strcmp(info.harts[i].isa, "rv64imafdc_zba_zbb") == 0);
	}
}

static void t_vf2_uart(void)
{
	size_t len;
	uint8_t *b = load(VF2_DTB, &len);
	CHECK(b != NULL);
	CHECK(rc_ok(parse(b, len)));
	free(b);
	CHECK(strcmp(info.stdout_path, "serial0:115200n8") == 0);
	CHECK(info.uart.present);
	CHECK(strcmp(info.uart.path, "/soc/serial@10000000") == 0);
	CHECK(strcmp(info.uart.compatible, "starfive,jh7110-uart") == 0);
	CHECK(info.uart.is_16550);
	CHECK_EQ(info.uart.base, 0x10000000);
	CHECK_EQ(info.uart.size, 0x10000);
	CHECK_EQ(info.uart.reg_shift, 2);
	CHECK_EQ(info.uart.reg_io_width, 4);
	CHECK_EQ(info.uart.irq, 32);
	CHECK_EQ(info.uart.clock_hz, 0);
}

static void t_vf2_slack(void)
{
	/* avail larger than totalsize is fine (U-Boot hands over a bigger window) */
	size_t len;
	uint8_t *b = load(VF2_DTB, &len), *big;
	CHECK(b != NULL);
	big = calloc(1, len + 4096);
	memcpy(big, b, len);
	free(b);
	CHECK(rc_ok(parse(big, len + 4096)));
	free(big);
	CHECK_EQ(info.totalsize, len);
	CHECK_EQ(info.nharts, 5);
}

static void t_custom(void)
{
	size_t len;
	uint8_t *b = load(CUSTOM_DTB, &len);
	CHECK(b != NULL);
	CHECK(rc_ok(parse(b, len)));
	free(b);
	CHECK(strcmp(info.model, "pagoda,test-board") == 0);
	/* memory: two ranges in one reg; the disabled memory node is skipped */
	CHECK_EQ(info.nmem, 2);
	CHECK_EQ(info.mem[0].base, 0x80000000);
	CHECK_EQ(info.mem[0].size, 0x10000000);
	CHECK_EQ(info.mem[1].base, 0x100000000ull);
	CHECK_EQ(info.mem[1].size, 0x20000000);
	/* reservations: mem-rsvmap first, then /reserved-memory children with reg */
	CHECK_EQ(info.nreserved, 4);
	CHECK_EQ(info.nrsvmap, 2); /* the two /memreserve/ entries come first */
	CHECK_EQ(info.reserved[0].base, 0x80000000);
	CHECK_EQ(info.reserved[0].size, 0x200000);
	CHECK_EQ(info.reserved[1].base, 0x8f000000);
	CHECK_EQ(info.reserved[1].size, 0x10000);
	CHECK_EQ(info.reserved[2].base, 0x80000000);
	CHECK_EQ(info.reserved[2].size, 0x80000);
	CHECK_EQ(info.reserved[3].base, 0x8e000000);
	CHECK_EQ(info.reserved[3].size, 0x800000);
	/* chosen */
	CHECK(strcmp(info.bootargs, "console=ttyS1 root=/dev/vda rw") == 0);
	CHECK(strcmp(info.stdout_path, "console:115200n8") == 0);
	CHECK_EQ(info.initrd_start, 0x88000000);
	CHECK_EQ(info.initrd_end, 0x88400000);
	/* harts */
	CHECK_EQ(info.timebase_hz, 1000000);
	CHECK_EQ(info.nharts, 3);
	CHECK_EQ(info.harts[0].hartid, 0);
	CHECK(info.harts[0].usable);
	CHECK(strcmp(info.harts[0].isa, "rv64imac") == 0);
	CHECK_EQ(info.harts[1].hartid, 1);
	CHECK(info.harts[1].enabled);
	CHECK(!info.harts[1].usable); /* mmu-type riscv,none */
	CHECK_EQ(info.harts[2].hartid, 5);
	CHECK(!info.harts[2].enabled);
	CHECK(!info.harts[2].usable);
	/* the alias wins over the first 16550 in the tree */
	CHECK(info.uart.present);
	CHECK(strcmp(info.uart.path, "/soc@0/serial@10010000") == 0);
	CHECK(strcmp(info.uart.compatible, "vendor,uart") == 0);
	CHECK(info.uart.is_16550);
	CHECK_EQ(info.uart.base, 0x10010000);
	CHECK_EQ(info.uart.size, 0x10000);
	CHECK_EQ(info.uart.reg_shift, 2);
	CHECK_EQ(info.uart.reg_io_width, 4);
	CHECK_EQ(info.uart.irq, 33);
	CHECK_EQ(info.uart.clock_hz, 24000000);
	/* 1-cell addresses under /soc@0 */
	CHECK(info.plic.present);
	CHECK_EQ(info.plic.base, 0x0c000000);
	CHECK_EQ(info.plic.size, 0x4000000);
	CHECK_EQ(info.plic.ndev, 53);
	CHECK_EQ(info.nvirtio, 1);
	CHECK_EQ(info.virtio[0].base, 0x10001000);
	CHECK_EQ(info.virtio[0].size, 0x1000);
	CHECK_EQ(info.virtio[0].irq, 1);
}

/* /soc with a disabled 16550, an enabled one and a third one. */
static void b_soc_uarts(void)
{
	b_begin("soc");
	b_cells("#address-cells", 1, 1);
	b_cells("#size-cells", 1, 1);
	b_begin("serial@1000");
	b_str("compatible", "ns16550a");
	b_cells("reg", 2, 0x1000, 0x100);
	b_str("status", "disabled");
	b_end();
	b_begin("serial@2000");
	b_prop("compatible", "vendor,x\0ns16450", 17);
	b_cells("reg", 2, 0x2000, 0x100);
	b_cells("interrupts", 2, 7, 4);
	b_str("status", "okay");
	b_end();
	b_begin("serial@3000");
	b_str("compatible", "sifive,uart0");
	b_cells("reg", 2, 0x3000, 0x100);
	b_end();
	b_end();
}

static void t_uart_fallback(void)
{
	b_base_open();
	b_soc_uarts();
	b_end();
	b_u32(9);
	CHECK(rc_ok(b_parse()));
	CHECK(info.stdout_path[0] == '\0');
	CHECK(info.uart.present);
	CHECK(strcmp(info.uart.path, "/soc/serial@2000") == 0);
	CHECK(strcmp(info.uart.compatible, "vendor,x") == 0);
	CHECK(info.uart.is_16550);
	CHECK_EQ(info.uart.base, 0x2000);
	CHECK_EQ(info.uart.irq, 7);
	CHECK_EQ(info.uart.reg_io_width, 1);
	CHECK(strcmp(info.model, "Builder Board") == 0);
	/* timebase from /cpus */
	CHECK_EQ(info.timebase_hz, 1000000);
}

static void t_uart_linux_stdout(void)
{
	/* linux,stdout-path with a direct path and options; the named node need
	 * not be a 16550 */
	b_base_open();
	b_soc_uarts();
	b_begin("chosen");
	b_str("linux,stdout-path", "/soc/serial@3000:9600n8");
	b_end();
	b_end();
	b_u32(9);
	CHECK(rc_ok(b_parse()));
	CHECK(strcmp(info.stdout_path, "/soc/serial@3000:9600n8") == 0);
	CHECK(info.uart.present);
	CHECK(strcmp(info.uart.path, "/soc/serial@3000") == 0);
	CHECK(!info.uart.is_16550);
	CHECK_EQ(info.uart.base, 0x3000);
}

static void t_uart_unresolved(void)
{
	/* an alias that /aliases lacks: fall back to the first enabled 16550;
	 * and stdout-path wins over linux,stdout-path */
	b_base_open();
	b_begin("aliases");
	b_str("serial1", "/soc/serial@3000");
	b_end();
	b_soc_uarts();
	b_begin("chosen");
	b_str("stdout-path", "serial7");
	b_str("linux,stdout-path", "/soc/serial@3000");
	b_end();
	b_end();
	b_u32(9);
	CHECK(rc_ok(b_parse()));
	CHECK(strcmp(info.stdout_path, "serial7") == 0);
	CHECK(info.uart.present);
	CHECK(strcmp(info.uart.path, "/soc/serial@2000") == 0);
}

static void t_no_uart(void)
{
	b_base();
	CHECK(rc_ok(b_parse()));
	CHECK(!info.uart.present);
	CHECK(!info.plic.present);
	CHECK_EQ(info.nvirtio, 0);
	CHECK_EQ(info.nmem, 1);
	CHECK_EQ(info.nharts, 1);
}

static void t_header_totalsize(void)
{
	size_t len;
	uint8_t *b = load(VF2_DTB, &len);
	CHECK(b != NULL);
	CHECK_EQ(fdt_header_totalsize(b), len);
	b[0] ^= 1;
	CHECK_EQ(fdt_header_totalsize(b), 0);
	free(b);
}

static void t_small_err_buffers(void)
{
	uint8_t junk[64] = {0};
	char small[8];
	int rc;
	memset(small, 'X', sizeof small);
	rc = fdt_parse(junk, sizeof junk, &info, small, sizeof small);
	CHECK_EQ(rc, -ERR_BADFORMAT);
	CHECK(memchr(small, '\0', sizeof small) != NULL);
	CHECK(strcmp(small, "fdt: ba") == 0);
	small[0] = 'X';
	rc = fdt_parse(junk, sizeof junk, &info, small, 1);
	CHECK_EQ(rc, -ERR_BADFORMAT);
	CHECK(small[0] == '\0');
	CHECK_EQ(fdt_parse(junk, sizeof junk, &info, NULL, 0), -ERR_BADFORMAT);
	CHECK_EQ(fdt_parse(junk, sizeof junk, &info, small, 0), -ERR_BADFORMAT);
}

static void t_null_args(void)
{
	uint8_t junk[64] = {0};
	CHECK_EQ(fdt_parse(junk, sizeof junk, NULL, errbuf, sizeof errbuf), -ERR_INVAL);
	CHECK(strstr(errbuf, "NULL") != NULL);
	CHECK_EQ(fdt_parse(NULL, 100, &info, errbuf, sizeof errbuf), -ERR_INVAL);
	CHECK_EQ(fdt_parse(NULL, 0, &info, errbuf, sizeof errbuf), -ERR_TRUNCATED);
}

static void t_version16(void)
{
	/* version 16 headers have no size_dt_struct: the struct block runs on */
	size_t len;
	uint8_t *b = load("tests/dtb/qemu-virt-64M-smp1.dtb", &len);
	CHECK(b != NULL);
	put32(b + 20, 16);
	put32(b + 36, 0xdeadbeef);
	CHECK(rc_ok(parse(b, len)));
	CHECK_EQ(info.nharts, 1);
	put32(b + 20, 15);
	CHECK_EQ(parse(b, len), -ERR_BADFORMAT);
	CHECK(strstr(errbuf, "version 15") != NULL);
	put32(b + 20, 17);
	put32(b + 24, 18);
	CHECK_EQ(parse(b, len), -ERR_BADFORMAT);
	CHECK(strstr(errbuf, "version") != NULL);
	free(b);
}

static void t_depth_limit_ok(void)
{
	/* FDT_MAX_DEPTH levels including the root parse */
	int i;
	b_init();
	b_begin("");
	for (i = 1; i < FDT_MAX_DEPTH; i++)
		b_begin("n");
	for (i = 0; i < FDT_MAX_DEPTH; i++)
		b_end();
	b_u32(9);
	CHECK(rc_ok(b_parse()));
}

static void t_limits_ok(void)
{
	/* exactly FDT_MAX_MEM ranges and FDT_MAX_HARTS harts fit */
	uint8_t reg[FDT_MAX_MEM * 16];
	char name[16];
	int i;
	b_init();
	b_begin("");
	b_begin("cpus");
	b_cells("#address-cells", 1, 1);
	b_cells("#size-cells", 1, 0);
	for (i = 0; i < FDT_MAX_HARTS; i++) {
		snprintf(name, sizeof name, "cpu@%d", i);
		b_begin(name);
		b_str("device_type", "cpu");
		b_cells("reg", 1, i);
		b_end();
	}
	b_end();
	b_begin("memory");
	b_str("device_type", "memory");
	for (i = 0; i < FDT_MAX_MEM; i++) { /* default cells: 2 address, 1 size */
		put32(reg + 12 * i, 0);
		put32(reg + 12 * i + 4, 0x80000000u + (uint32_t)i * 0x100000u);
		put32(reg + 12 * i + 8, 0x1000);
	}
	b_prop("reg", reg, 12 * FDT_MAX_MEM);
	b_end();
	b_end();
	b_u32(9);
	CHECK(rc_ok(b_parse()));
	CHECK_EQ(info.nharts, FDT_MAX_HARTS);
	CHECK_EQ(info.nmem, FDT_MAX_MEM);
	CHECK_EQ(info.mem[FDT_MAX_MEM - 1].base, 0x80000000u + (FDT_MAX_MEM - 1) * 0x100000u);
	CHECK_EQ(info.mem[FDT_MAX_MEM - 1].size, 0x1000);
	CHECK(!info.harts[0].usable); /* no mmu-type */
}

static void t_odd_but_valid(void)
{
	/* a mem-rsvmap entry at address 0 is an entry, not the terminator;
	 * device_type "memory" below the root is not RAM; NOPs anywhere */
	b_base_open();
	b_u32(4);
	b_begin("soc");
	b_u32(4);
	b_begin("memory-controller@1000");
	b_str("device_type", "memory");
	b_cells("reg", 3, 0, 0x1000, 0x100);
	b_u32(4);
	b_end();
	b_end();
	b_end();
	b_u32(4);
	b_u32(9);
	b_rsv(0, 0x1000);
	b_rsv(0x80000000, 0x2000);
	CHECK(rc_ok(b_parse()));
	CHECK_EQ(info.nreserved, 2);
	CHECK_EQ(info.reserved[0].base, 0);
	CHECK_EQ(info.reserved[0].size, 0x1000);
	CHECK_EQ(info.reserved[1].size, 0x2000);
	CHECK_EQ(info.nmem, 1);
	CHECK_EQ(info.mem[0].base, 0x80000000);
}

/* ------------------------------------------------------ PLIC contexts -- */

/* QEMU virt: hart h has context 2h (M, irq 11) and 2h+1 (S, irq 9). */
static void check_qemu_contexts(const char *path, unsigned nharts)
{
	size_t len;
	uint8_t *b = load(path, &len);
	unsigned h, i;
	CHECK(b != NULL);
	CHECK(rc_ok(parse(b, len)));
	free(b);
	CHECK_EQ(info.nharts, nharts);
	CHECK(info.plic.present);
	CHECK_EQ(info.plic.ncontexts, 2 * nharts);
	for (h = 0; h < nharts; h++) {
		CHECK(info.harts[h].intc_phandle != 0);
		for (i = 0; i < h; i++)
			CHECK(info.harts[i].intc_phandle != info.harts[h].intc_phandle);
		CHECK_EQ(info.plic.context[2 * h].hartid, h);
		CHECK_EQ(info.plic.context[2 * h].irq, FDT_IRQ_M_EXT);
		CHECK_EQ(info.plic.context[2 * h + 1].hartid, h);
		CHECK_EQ(info.plic.context[2 * h + 1].irq, FDT_IRQ_S_EXT);
		CHECK_EQ(fdt_plic_context(&info, h, FDT_IRQ_S_EXT), 2 * h + 1);
		CHECK_EQ(fdt_plic_context(&info, h, FDT_IRQ_M_EXT), 2 * h);
		CHECK_EQ(fdt_plic_context(&info, h, 5), -1); /* timer: not a PLIC context */
	}
	CHECK_EQ(fdt_plic_context(&info, nharts, FDT_IRQ_S_EXT), -1);
	CHECK_EQ(fdt_plic_context(&info, UINT32_MAX, FDT_IRQ_S_EXT), -1);
	CHECK_EQ(fdt_plic_context(NULL, 0, FDT_IRQ_S_EXT), -1);
}

static void t_qemu_plic_contexts(void)
{
	check_qemu_contexts("tests/dtb/qemu-virt-64M-smp1.dtb", 1);
	if (check_failing())
		return;
	check_qemu_contexts("tests/dtb/qemu-virt-512M-smp4.dtb", 4);
	if (check_failing())
		return;
	check_qemu_contexts("tests/dtb/qemu-virt-3G-smp4.dtb", 4);
	if (check_failing())
		return;
	check_qemu_contexts("tests/dtb/qemu-virt-128M-smp8.dtb", 8);
	if (check_failing())
		return;
	check_qemu_contexts(QEMU_SHARED_DTB, 4);
}

/* VisionFive 2 (JH7110): interrupts-extended = <&cpu0_intc 11>,
 * <&cpu1_intc 11>, <&cpu1_intc 9>, ... <&cpu4_intc 11>, <&cpu4_intc 9>:
 * the S7 hart 0 has only an M context (0); hart h >= 1 has M 2h-1, S 2h. */
static void t_vf2_plic_contexts(void)
{
	size_t len;
	uint8_t *b = load(VF2_DTB, &len);
	unsigned h;
	CHECK(b != NULL);
	CHECK(rc_ok(parse(b, len)));
	free(b);
	CHECK_EQ(info.nharts, 5);
	for (h = 0; h < 5; h++)
		CHECK_EQ(info.harts[h].intc_phandle, 0x0d + h); /* as dtc assigned them */
	CHECK_EQ(info.plic.ncontexts, 9);
	CHECK_EQ(info.plic.context[0].hartid, 0);
	CHECK_EQ(info.plic.context[0].irq, FDT_IRQ_M_EXT);
	CHECK_EQ(fdt_plic_context(&info, 0, FDT_IRQ_M_EXT), 0);
	CHECK_EQ(fdt_plic_context(&info, 0, FDT_IRQ_S_EXT), -1);
	for (h = 1; h <= 4; h++) {
		CHECK_EQ(info.plic.context[2 * h - 1].hartid, h);
		CHECK_EQ(info.plic.context[2 * h - 1].irq, FDT_IRQ_M_EXT);
		CHECK_EQ(info.plic.context[2 * h].hartid, h);
		CHECK_EQ(info.plic.context[2 * h].irq, FDT_IRQ_S_EXT);
		CHECK_EQ(fdt_plic_context(&info, h, FDT_IRQ_S_EXT), 2 * h);
		CHECK_EQ(fdt_plic_context(&info, h, FDT_IRQ_M_EXT), 2 * h - 1);
	}
	CHECK_EQ(fdt_plic_context(&info, 5, FDT_IRQ_S_EXT), -1);
}

static void t_plic_before_cpus(void)
{
	/* The PLIC precedes /cpus; linux,phandle; an intc without phandle; a
	 * phandle naming no cpu's intc; a phandle 0; a cpu-map child of /cpus,
	 * cpu-intc nodes that are not children of a cpu node and a non-intc
	 * child of a cpu, all carrying phandles that must not be taken for a
	 * hart's intc. */
	const uint32_t cells[] = {
		0x21, 11, 0x21, 9, /* hart 4: contexts 0, 1 */
		0x30, 9,           /* unknown phandle: context 2 */
		0x22, 9,           /* hart 7 via linux,phandle: context 3 */
		0,    9,           /* phandle 0: context 4 */
		0x40, 9,           /* phandle of the cpu-map child: context 5 */
		0x41, 9,           /* phandle of the cache child of hart 4: context 6 */
		0x31, 9,           /* intc below /cpus/cpu-map/cluster0: context 7 */
		0x42, 9,           /* hart 4's second intc: context 8 */
	};
	b_init();
	b_begin("");
	b_cells("#address-cells", 1, 2);
	b_cells("#size-cells", 1, 2);
	b_plic(cells, sizeof cells / sizeof cells[0]);
	b_begin("cpus");
	b_cells("#address-cells", 1, 1);
	b_cells("#size-cells", 1, 0);
	b_cells("timebase-frequency", 1, 1000000);
	b_begin("cpu@4");
	b_str("device_type", "cpu");
	b_cells("reg", 1, 4);
	b_str("mmu-type", "riscv,sv39");
	b_begin("l1-cache");
	b_str("compatible", "cache");
	b_cells("phandle", 1, 0x41);
	b_end();
	b_begin("interrupt-controller");
	b_str("compatible", "riscv,cpu-intc");
	b_cells("phandle", 1, 0x21);
	b_end();
	b_begin("interrupt-controller-2"); /* a second one: the first wins */
	b_str("compatible", "riscv,cpu-intc");
	b_cells("phandle", 1, 0x42);
	b_end();
	b_end();
	b_cpu_intc(7, "linux,phandle", 0x22);
	b_cpu_intc(5, NULL, 0); /* the last hart before cpu-map: keeps phandle 0 */
	b_begin("cpu-map");
	b_cells("phandle", 1, 0x40);
	b_begin("interrupt-controller"); /* child of a non-cpu: ignored */
	b_str("compatible", "riscv,cpu-intc");
	b_cells("phandle", 1, 0x30);
	b_end();
	b_begin("cluster0");
	b_begin("interrupt-controller"); /* grandchild: ignored */
	b_str("compatible", "riscv,cpu-intc");
	b_cells("phandle", 1, 0x31);
	b_end();
	b_end();
	b_end();
	b_end();
	b_end();
	b_u32(9);
	CHECK(rc_ok(b_parse()));
	CHECK_EQ(info.nharts, 3);
	CHECK_EQ(info.harts[0].intc_phandle, 0x21);
	CHECK_EQ(info.harts[1].hartid, 7);
	CHECK_EQ(info.harts[1].intc_phandle, 0x22);
	CHECK_EQ(info.harts[2].hartid, 5);
	CHECK_EQ(info.harts[2].intc_phandle, 0);
	CHECK(info.plic.present);
	CHECK_EQ(info.plic.ndev, 53);
	CHECK_EQ(info.plic.ncontexts, 9);
	CHECK_EQ(info.plic.context[0].hartid, 4);
	CHECK_EQ(info.plic.context[0].irq, 11);
	CHECK_EQ(info.plic.context[1].hartid, 4);
	CHECK_EQ(info.plic.context[1].irq, 9);
	CHECK_EQ(info.plic.context[2].hartid, UINT32_MAX);
	CHECK_EQ(info.plic.context[3].hartid, 7);
	CHECK_EQ(info.plic.context[3].irq, 9);
	CHECK_EQ(info.plic.context[4].hartid, UINT32_MAX);
	CHECK_EQ(info.plic.context[5].hartid, UINT32_MAX);
	CHECK_EQ(info.plic.context[6].hartid, UINT32_MAX);
	CHECK_EQ(info.plic.context[7].hartid, UINT32_MAX);
	CHECK_EQ(info.plic.context[8].hartid, UINT32_MAX);
	CHECK_EQ(fdt_plic_context(&info, 4, FDT_IRQ_S_EXT), 1);
	CHECK_EQ(fdt_plic_context(&info, 4, FDT_IRQ_M_EXT), 0);
	CHECK_EQ(fdt_plic_context(&info, 7, FDT_IRQ_S_EXT), 3);
	CHECK_EQ(fdt_plic_context(&info, 7, FDT_IRQ_M_EXT), -1);
	CHECK_EQ(fdt_plic_context(&info, 5, FDT_IRQ_S_EXT), -1); /* intc without phandle */
	CHECK_EQ(fdt_plic_context(&info, UINT32_MAX, FDT_IRQ_S_EXT), -1);

	/* no interrupts-extended, no PLIC */
	b_base();
	CHECK(rc_ok(b_parse()));
	CHECK(!info.plic.present);
	CHECK_EQ(info.plic.ncontexts, 0);
	CHECK_EQ(info.harts[0].intc_phandle, 0);
	CHECK_EQ(fdt_plic_context(&info, 0, FDT_IRQ_S_EXT), -1);
}

int main(void)
{
	run_test("FDT-001", "QEMU virt -m 64M -smp 1: RAM, hart, timebase, UART, PLIC, 8 virtio", t_qemu_64m);
	run_test("FDT-002", "QEMU virt -m 512M -smp 4: RAM, harts 0-3 sv48, devices", t_qemu_512m);
	run_test("FDT-003", "QEMU virt -m 3G -smp 4: 3 GiB RAM at 0x80000000", t_qemu_3g);
	run_test("FDT-004", "QEMU virt -m 128M -smp 8: eight harts", t_qemu_smp8);
	run_test("FDT-005", "shared QEMU virt 128M smp4 tree parses identically", t_qemu_shared);
	run_test("FDT-006", "VisionFive 2: model, 4 GiB at 0x40000000, 4 MHz timebase, PLIC, no virtio", t_vf2_board);
	run_test("FDT-007", "VisionFive 2: hart 0 kept but disabled and unusable, harts 1-4 sv39 usable", t_vf2_harts);
	run_test("FDT-008", "VisionFive 2: stdout alias serial0:115200n8 resolves to dw-apb UART0", t_vf2_uart);
	run_test("FDT-009", "VisionFive 2 with avail beyond totalsize parses", t_vf2_slack);
	run_test("FDT-010", "custom.dts: rsvmap + reserved-memory, bootargs, initrd, alias stdout, 1-cell buses", t_custom);
	run_test("FDT-011", "no stdout-path: first enabled 16550-compatible node is the UART", t_uart_fallback);
	run_test("FDT-012", "linux,stdout-path with a direct path and options, non-16550 node", t_uart_linux_stdout);
	run_test("FDT-013", "unresolvable stdout alias falls back to the first enabled 16550", t_uart_unresolved);
	run_test("FDT-014", "minimal tree without UART, PLIC or virtio", t_no_uart);
	run_test("FDT-015", "fdt_header_totalsize reads totalsize, 0 on bad magic", t_header_totalsize);
	run_test("FDT-016", "error messages fit tiny or absent buffers, NUL-terminated", t_small_err_buffers);
	run_test("FDT-017", "NULL blob or result gives ERR_INVAL", t_null_args);
	run_test("FDT-018", "version 16 header accepted, 15 and last_comp 18 refused", t_version16);
	run_test("FDT-019", "nesting exactly FDT_MAX_DEPTH levels is accepted", t_depth_limit_ok);
	run_test("FDT-020", "exactly FDT_MAX_MEM ranges and FDT_MAX_HARTS harts fit", t_limits_ok);
	run_test("FDT-021", "every prefix shorter than totalsize fails with ERR_TRUNCATED", t_prefixes);
	run_test("FDT-022", "bad magic is ERR_BADFORMAT naming the magic", t_bad_magic);
	run_test("FDT-023", "totalsize beyond avail, beyond FDT_MAX_SIZE, below header", t_totalsize);
	run_test("FDT-024", "block offsets/sizes outside the blob or misaligned", t_block_offsets);
	run_test("FDT-025", "mem-rsvmap without a zero entry inside the blob", t_rsvmap_unterminated);
	run_test("FDT-026", "property nameoff outside the strings block", t_nameoff);
	run_test("FDT-027", "property name unterminated in the strings block", t_unterminated_prop_name);
	run_test("FDT-028", "node name unterminated in the struct block", t_unterminated_node_name);
	run_test("FDT-029", "string values without NUL: compatible, model, status, bootargs, alias", t_unterminated_values);
	run_test("FDT-030", "property value or header running past the struct block", t_prop_past_struct);
	run_test("FDT-031", "40 nested nodes exceed FDT_MAX_DEPTH with ERR_NOSPC", t_depth_overflow);
	run_test("FDT-032", "unbalanced END_NODE, unclosed root, second root, stray tokens", t_unbalanced);
	run_test("FDT-033", "missing FDT_END is ERR_TRUNCATED; NOPs before it are fine", t_missing_end);
	run_test("FDT-034", "property after a subnode is ERR_BADFORMAT", t_prop_after_subnode);
	run_test("FDT-035", "#address-cells 5, 8-byte #size-cells, 3-cell reg read by the kernel", t_bad_cells);
	run_test("FDT-036", "bad reg length, wrapping range, cpu without reg, duplicate hart, bad ndev", t_bad_reg);
	run_test("FDT-037", "17 memory ranges give ERR_NOSPC", t_too_many_mem);
	run_test("FDT-038", "too many virtio, harts, reservations; bootargs too long: ERR_NOSPC", t_too_many_other);
	run_test("FDT-039", "initrd: one bound only, end before start, bad size, 64-bit values", t_initrd);
	run_test("FDT-040", "every byte of a QEMU tree inverted or bit-flipped: clean result", t_mutate_every_byte);
	run_test("FDT-041", "2000 seeded random mutations each of VF2 and custom trees: clean result", t_mutate_random);
	run_test("FDT-042", "rsvmap entry at 0 kept, nested device_type memory ignored, NOPs skipped", t_odd_but_valid);
	run_test("FDT-043", "QEMU virt trees: 2 PLIC contexts per hart, hart h M = 2h, S = 2h+1", t_qemu_plic_contexts);
	run_test("FDT-044", "VisionFive 2: 9 PLIC contexts, hart 0 M only (0), hart h>=1 M = 2h-1, S = 2h", t_vf2_plic_contexts);
	run_test("FDT-045", "PLIC before /cpus, linux,phandle, unresolved and non-intc phandles, no PLIC", t_plic_before_cpus);
	run_test("FDT-046", "interrupts-extended: 32 pairs fit, 33 ERR_NOSPC, odd cells/bytes ERR_BADFORMAT", t_plic_bad_contexts);
	run_test("FDT-047", "cpu intc phandle not a cell, or shared by two harts: ERR_BADFORMAT", t_cpu_intc_bad_phandle);
	return test_summary();
}
