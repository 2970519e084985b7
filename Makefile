# Pagoda: build, run and test. `make help` lists the targets.

CROSS_COMPILE ?= riscv64-unknown-elf-
CC      := $(CROSS_COMPILE)gcc
OBJCOPY := $(CROSS_COMPILE)objcopy
NM      := $(CROSS_COMPILE)nm
HOSTCC  ?= cc
QEMU    ?= qemu-system-riscv64
BUILD   := build

OPENSBI_DYNAMIC := /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
MEM  ?= 128M
SMP  ?= 2
ARGS ?=

VERSION := $(shell git describe --always --dirty 2>/dev/null || echo dev)

ARCH_CFLAGS := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany
CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -ffreestanding -fno-builtin -nostdlib \
	-fno-stack-protector -fno-pic -fno-omit-frame-pointer -fno-common \
	$(ARCH_CFLAGS) -I. -Ikernel/uapi -Iarch/riscv/include -I$(BUILD)/gen -MMD -MP
ASFLAGS := $(ARCH_CFLAGS) -I. -Iarch/riscv/include -MMD -MP -D__ASSEMBLER__
# The link names the plain ISA: GCC 12 picks libgcc's multilib from the literal
# -march, and "_zicsr_zifencei" would select the lp64d (hard-float) one.
LINK_ARCH := -march=rv64imac -mabi=lp64 -mcmodel=medany
LDFLAGS := $(LINK_ARCH) -nostdlib -static -Wl,--build-id=none -Wl,-T,arch/riscv/kernel.ld -Wl,--no-warn-rwx-segments

KERNEL_SRCS := \
	arch/riscv/entry.S arch/riscv/trap.S arch/riscv/usercopy.S \
	arch/riscv/boot_pagetable.c arch/riscv/pagetable.c arch/riscv/plic.c arch/riscv/sbi.c \
	arch/riscv/tlb.c arch/riscv/timer.c arch/riscv/trap.c \
	kernel/main.c kernel/banner.c kernel/console.c kernel/errmsg.c kernel/fdt.c kernel/fdt_blob.c kernel/fdt_props.c kernel/format.c \
	kernel/panic.c kernel/backtrace.c kernel/ksyms.c kernel/warn.c kernel/string.c \
	kernel/selftest.c kernel/elf.c kernel/cpio.c kernel/loader.c kernel/roottask.c \
	kernel/object.c kernel/quota.c kernel/process.c kernel/sched.c kernel/ipc.c kernel/irq.c \
	kernel/syscall.c kernel/syscall_ipc.c kernel/syscall_mem.c kernel/fault.c kernel/region.c \
	kernel/memwatch.c \
	kernel/exitwatch.c \
	mm/frame.c mm/kmap.c mm/kmem.c mm/aspace.c \
	drivers/serial/ns16550.c

KERNEL_OBJS := $(patsubst %,$(BUILD)/%.o,$(KERNEL_SRCS)) $(BUILD)/gen/syscall_dispatch.c.o

include user/user.mk

$(BUILD)/gen/syscall_dispatch.c.o: $(BUILD)/gen/syscall_dispatch.c
	$(CC) $(CFLAGS) -c $< -o $@

# Runs before the MMU is on: only PC-relative code (see the file's comment).
$(BUILD)/arch/riscv/boot_pagetable.c.o: CFLAGS += -fno-jump-tables
$(BUILD)/gen/pagoda_version.h: FORCE
	@mkdir -p $(dir $@)
	@echo '#define PAGODA_VERSION "$(VERSION)"' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
$(BUILD)/kernel/banner.c.o: $(BUILD)/gen/pagoda_version.h
.PHONY: FORCE
FORCE:

.PHONY: all run run-opts test test-host test-boot fuzz debug gdb deps clean help
all: $(BUILD)/pagoda.elf $(BUILD)/Image $(INITRD)

help:
	@echo "make            build build/pagoda.elf and build/Image"
	@echo "make run        build and boot in QEMU (MEM=$(MEM) SMP=$(SMP) ARGS='boot args')"
	@echo "make test       every test; ends with 'N passed, N failed'"
	@echo "make image      build/sdcard.img for U-Boot (BOARD=qemu-virt|visionfive2 ARGS=...)"
	@echo "make run-uboot  boot build/sdcard.img in QEMU: OpenSBI fw_jump, U-Boot, booti"
	@echo "make bench      exact instruction counts under qemu -icount (build/bench/results.csv)"
	@echo "make fuzz       fuzz the parsers for longer (FUZZ_SECONDS=300 each)"
	@echo "make debug      QEMU halted with a gdb stub on :1234; then 'make gdb' elsewhere"
	@echo "make gdb        gdb-multiarch with symbols, attached to 'make debug'"

deps:
	@scripts/deps.sh

$(BUILD)/%.c.o: %.c | $(GEN_SYSCALL_FILES)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(ASFLAGS) -c $< -o $@

# Two links: the first finds the text symbols, the second embeds them
# (after the text, so no text address moves; checked below).
$(BUILD)/ksyms-empty.S: scripts/gen-ksyms.py
	@mkdir -p $(BUILD)
	python3 scripts/gen-ksyms.py < /dev/null > $@

$(BUILD)/pagoda.pass1.elf: $(KERNEL_OBJS) $(BUILD)/ksyms-empty.S.o arch/riscv/kernel.ld
	$(CC) $(LDFLAGS) $(KERNEL_OBJS) $(BUILD)/ksyms-empty.S.o -lgcc -o $@

$(BUILD)/ksyms.S: $(BUILD)/pagoda.pass1.elf scripts/gen-ksyms.py
	$(NM) -n $< | python3 scripts/gen-ksyms.py > $@

$(BUILD)/ksyms.S.o: $(BUILD)/ksyms.S
	$(CC) $(ASFLAGS) -c $< -o $@

$(BUILD)/ksyms-empty.S.o: $(BUILD)/ksyms-empty.S
	$(CC) $(ASFLAGS) -c $< -o $@

$(BUILD)/pagoda.elf: $(KERNEL_OBJS) $(BUILD)/ksyms.S.o
	$(CC) $(LDFLAGS) $(KERNEL_OBJS) $(BUILD)/ksyms.S.o -lgcc -o $@
	@$(NM) -n $@ | python3 scripts/gen-ksyms.py | cmp -s - $(BUILD)/ksyms.S || \
		{ echo "ksyms: text moved between links"; rm -f $@; exit 1; }

$(BUILD)/Image: $(BUILD)/pagoda.elf
	$(OBJCOPY) -O binary $< $@

# ---- running -------------------------------------------------------------

QEMU_BASE = $(QEMU) -machine virt -cpu rv64 -m $(MEM) -smp $(SMP) \
	-bios $(OPENSBI_DYNAMIC) -kernel $(BUILD)/Image -initrd $(INITRD)

# make run: init's console (user/init/console.h) with a swap disk made fresh
# (sparse, zeroed) each run, and 64M of RAM unless MEM is given.
# CMDS='memtest 16M; vmstat; free' runs those commands, then powers off: it
# is passed as the boot argument "cmds=memtest_16M;vmstat;free" (';' ends a
# command, '_' stands for a space). tests/suites/80-demo.sh boots with the
# same options, printed by `make -s run-opts`.
RUN_MEM   := $(if $(filter command line environment override,$(origin MEM)),$(MEM),64M)
SWAP_IMG  ?= $(BUILD)/swap.img
SWAP_SIZE ?= 512M
CMDS      ?=
run_space := $(subst ,, )
RUN_CMDS  = $(if $(strip $(CMDS)),cmds=$(subst $(run_space),_,$(subst ;$(run_space),;,$(strip $(CMDS)))))
RUN_APPEND = $(strip $(ARGS) $(RUN_CMDS))
RUN_QEMU_OPTS = -drive file=$(SWAP_IMG),format=raw,if=none,id=swap0 -device virtio-blk-device,drive=swap0

run: MEM = $(RUN_MEM)
run: deps all
	rm -f $(SWAP_IMG) && truncate -s $(SWAP_SIZE) $(SWAP_IMG)
	$(QEMU_BASE) -nographic $(RUN_QEMU_OPTS) -append "$(RUN_APPEND)"

run-opts:
	@echo "RUN_MEM='$(RUN_MEM)' RUN_SMP='$(SMP)' SWAP_SIZE='$(SWAP_SIZE)'"
	@echo "RUN_QEMU_OPTS='$(RUN_QEMU_OPTS)'"
	@echo "RUN_APPEND='$(RUN_APPEND)'"

debug: deps all
	@echo "QEMU is halted with a gdb stub on localhost:1234; run 'make gdb' in another terminal."
	$(QEMU_BASE) -nographic -append "$(ARGS)" -s -S

gdb: $(BUILD)/pagoda.elf
	gdb-multiarch -q $(BUILD)/pagoda.elf -ex "set architecture riscv:rv64" \
		-ex "target remote localhost:1234"

# ---- tests ---------------------------------------------------------------

include tests/host/fdt_test.mk
include tests/host/frame_test.mk
include tests/host/elf_test.mk
include tests/host/cpio_test.mk
include tests/host/virtqueue_test.mk
include tests/host/gpt_test.mk
include tests/host/policy_test.mk
include tests/host/malloc_test.mk
include tests/host/string_test.mk
include board/board.mk
include scripts/bench.mk

HOST_CFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined \
	-fno-sanitize-recover=all -I. -Ikernel/uapi -Itests/host/fakearch -Iarch/riscv/include
HOST_COMMON := tests/host/check.c tests/host/fake_panic.c tests/host/fakearch/fakephys.c

FORMAT_TEST_SRCS    := tests/host/format_test.c kernel/format.c
PAGETABLE_TEST_SRCS := tests/host/pagetable_test.c arch/riscv/pagetable.c mm/frame.c \
	tests/host/fake_memwatch.c

HOST_TESTS := fdt frame frame_watch format pagetable elf cpio virtqueue gpt malloc
HOST_TEST_BINS := $(patsubst %,$(BUILD)/host/%_test,$(HOST_TESTS))

$(BUILD)/host/fdt_test: $(FDT_TEST_SRCS) $(HOST_COMMON) $(FDT_TEST_DTBS)
$(BUILD)/host/frame_test: $(FRAME_TEST_SRCS) $(HOST_COMMON)
$(BUILD)/host/frame_watch_test: $(FRAME_WATCH_TEST_SRCS) $(HOST_COMMON)
$(BUILD)/host/format_test: $(FORMAT_TEST_SRCS) $(HOST_COMMON)
$(BUILD)/host/pagetable_test: $(PAGETABLE_TEST_SRCS) $(HOST_COMMON) arch/riscv/include/arch/pagetable.h
$(BUILD)/host/elf_test: $(ELF_TEST_SRCS) $(HOST_COMMON) $(ELF_TEST_FIXTURES)
$(BUILD)/host/cpio_test: $(CPIO_TEST_SRCS) $(HOST_COMMON)
$(BUILD)/host/virtqueue_test: $(VIRTQUEUE_TEST_SRCS) $(HOST_COMMON)
$(BUILD)/host/gpt_test: $(GPT_TEST_SRCS) $(HOST_COMMON) $(GPT_TEST_FIXTURES)
$(BUILD)/host/malloc_test: $(MALLOC_TEST_SRCS) $(HOST_COMMON) $(MALLOC_TEST_HDRS)
$(HOST_TEST_BINS):
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) $(filter %.c,$^) -o $@

FUZZ_SECONDS ?= 300
FUZZERS := fdt elf cpio gpt
FUZZ_BINS := $(patsubst %,$(BUILD)/fuzz/%_fuzz,$(FUZZERS))
$(BUILD)/fuzz/fdt_fuzz: $(FDT_FUZZ_SRCS)
$(BUILD)/fuzz/elf_fuzz: $(ELF_FUZZ_SRCS)
$(BUILD)/fuzz/cpio_fuzz: $(CPIO_FUZZ_SRCS)
$(BUILD)/fuzz/gpt_fuzz: $(GPT_FUZZ_SRCS)
$(FUZZ_BINS):
	@mkdir -p $(dir $@)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -I. -Ikernel/uapi $^ -o $@

fuzz: deps $(FUZZ_BINS) $(FDT_TEST_DTBS) $(ELF_TEST_FIXTURES) $(GPT_TEST_FIXTURES) $(INITRD)
	scripts/fuzz.sh $(FUZZ_SECONDS)

# Every host binary make test runs (tests/suites/10-host.sh runs each *_test).
ALL_HOST_BINS := $(HOST_TEST_BINS) $(POLICY_HOST_BINS) $(STRING_TEST_BIN)
test-host: $(ALL_HOST_BINS)
test-boot: all

test: deps
	@$(MAKE) --no-print-directory all $(ALL_HOST_BINS) $(FUZZ_BINS) $(FDT_TEST_DTBS) \
		$(ELF_TEST_FIXTURES) $(GPT_TEST_FIXTURES) $(UBOOT_TEST_IMAGES)
	@scripts/run-tests.sh

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
