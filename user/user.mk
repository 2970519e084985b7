# User space: the generated ABI headers, the runtime (crt0 + libpagoda.a),
# the programs and the boot archive. Included by the main Makefile, which
# defines BUILD. See user/README.md.
#
# Targets:
#   $(GEN_SYSCALL_FILES)      generated from kernel/syscalls.tbl (one rule)
#   $(USER_LIB)               build/user/libpagoda.a
#   $(BUILD)/user/NAME.elf    program NAME, from user/NAME/*.c and *.S
#   $(INITRD)                 build/initrd.cpio: every program, as NAME
#   initrd                    phony: the same

# Each program is a folder user/NAME/.
USER_PROGRAMS := init hello child bench zeropager patternpager blktest swapper

# ---- generated ABI: numbers, user stubs, kernel dispatch -------------------

GEN_SYSCALL_STAMP := $(BUILD)/gen/syscalls.stamp
GEN_SYSCALL_FILES := $(BUILD)/gen/pagoda/syscall_numbers.h $(BUILD)/gen/pagoda/syscalls.h \
	$(BUILD)/gen/syscall_handlers.h $(BUILD)/gen/syscall_dispatch.c

# The generator rewrites a file only when its text changes, so dependents
# rebuild only then; the stamp records that it ran.
$(GEN_SYSCALL_STAMP): kernel/syscalls.tbl scripts/gen-syscalls.py
	@mkdir -p $(dir $@)
	python3 scripts/gen-syscalls.py kernel/syscalls.tbl $(BUILD)/gen
	@touch $@
$(GEN_SYSCALL_FILES): $(GEN_SYSCALL_STAMP) ;

# ---- flags -----------------------------------------------------------------

# Always the bare-metal toolchain: picolibc is built for it.
USER_CROSS_COMPILE ?= riscv64-unknown-elf-
USER_CC := $(USER_CROSS_COMPILE)gcc
USER_AR := $(USER_CROSS_COMPILE)ar

USER_ARCH := -march=rv64imac_zicsr -mabi=lp64 -mcmodel=medany
# The link names the plain ISA: GCC 12 matches multilibs on the literal
# -march, and "_zicsr" would pick the default (lp64d) picolibc and libgcc.
USER_LINK_ARCH := -march=rv64imac -mabi=lp64 -mcmodel=medany

USER_INCLUDES := -Iuser/include -Ikernel/uapi -I$(BUILD)/gen -I.
USER_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror $(USER_ARCH) --specs=picolibc.specs \
	-fno-common -fno-pic -fno-omit-frame-pointer -fno-stack-protector \
	-ffunction-sections -fdata-sections $(USER_INCLUDES) -MMD -MP
USER_ASFLAGS := $(USER_ARCH) --specs=picolibc.specs -g $(USER_INCLUDES) -MMD -MP
# -nostartfiles: crt0 is ours, not picolibc's. picolibc.specs adds
# --start-group -lgcc -lc --end-group; -T replaces its picolibc.ld.
USER_LDFLAGS := $(USER_LINK_ARCH) --specs=picolibc.specs -nostartfiles -static \
	-T user/user.ld -Wl,--gc-sections -Wl,--build-id=none \
	-Wl,-z,max-page-size=4096 -Wl,-z,common-page-size=4096

# ---- runtime ---------------------------------------------------------------

USER_CRT0 := $(BUILD)/user/lib/crt0.S.o
USER_LIB := $(BUILD)/user/libpagoda.a
USER_LIB_SRCS := $(filter-out user/lib/crt0.S,$(sort $(wildcard user/lib/*.c user/lib/*.S)))
# Code the kernel also uses (one piece of code for both sides): pure
# parsers, and memset/memcpy/memmove/memcmp in place of picolibc's byte loops.
USER_SHARED_SRCS := kernel/cpio.c kernel/elf.c kernel/errmsg.c kernel/string.c
USER_DRIVER_SRCS := drivers/virtio/virtio_mmio.c drivers/virtio/virtqueue.c drivers/virtio/virtio_blk.c \
	drivers/gpt.c drivers/block_part.c
# The policy-comparison traces (the host simulator uses them too), so any
# program can replay one through the swapper (the child's CMD_REPLAY).
USER_TRACE_SRCS := user/swapper/traces.c
USER_TRACE_OBJS := $(BUILD)/user/shared/traces.c.o
USER_SHARED_OBJS := $(patsubst kernel/%,$(BUILD)/user/shared/%.o,$(USER_SHARED_SRCS))
USER_DRIVER_OBJS := $(patsubst drivers/%,$(BUILD)/user/drivers/%.o,$(USER_DRIVER_SRCS))
USER_LIB_OBJS := $(patsubst user/%,$(BUILD)/user/%.o,$(USER_LIB_SRCS)) $(USER_SHARED_OBJS) \
	$(USER_DRIVER_OBJS) $(USER_TRACE_OBJS)

$(USER_TRACE_OBJS): $(USER_TRACE_SRCS)
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_CFLAGS) -c $< -o $@

# As in the kernel: GCC must not turn the string functions' loops, or
# memcpy's and memmove's calls, into calls to themselves.
$(BUILD)/user/shared/string.c.o: USER_CFLAGS += -fno-builtin

$(USER_SHARED_OBJS): $(BUILD)/user/shared/%.c.o: kernel/%.c
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_CFLAGS) -I. -c $< -o $@

$(USER_DRIVER_OBJS): $(BUILD)/user/drivers/%.c.o: drivers/%.c | $(GEN_SYSCALL_FILES)
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_CFLAGS) -I. -c $< -o $@

$(USER_LIB): $(USER_LIB_OBJS)
	@rm -f $@
	$(USER_AR) rcsD $@ $^

# ---- programs --------------------------------------------------------------

# (traces.c goes into libpagoda instead: see USER_TRACE_SRCS.)
user_srcs = $(filter-out $(USER_TRACE_SRCS),$(sort $(wildcard user/$(1)/*.c user/$(1)/*.S)))
user_objs = $(patsubst user/%,$(BUILD)/user/%.o,$(call user_srcs,$(1)))

# libpagoda goes in whole: its sbrk, malloc family (malloc.c), abort and
# __assert_func must win over picolibc's, whichever is referenced first;
# --gc-sections drops the unused.
define USER_PROGRAM_RULE
$$(BUILD)/user/$(1).elf: $(call user_objs,$(1)) $$(USER_CRT0) $$(USER_LIB) user/user.ld
	$$(USER_CC) $$(USER_LDFLAGS) -Wl,-Map,$$(BUILD)/user/$(1).map $$(USER_CRT0) \
		$(call user_objs,$(1)) -Wl,--whole-archive $$(USER_LIB) -Wl,--no-whole-archive -o $$@
endef
$(foreach p,$(USER_PROGRAMS),$(eval $(call USER_PROGRAM_RULE,$(p))))

USER_ELFS := $(patsubst %,$(BUILD)/user/%.elf,$(USER_PROGRAMS))
USER_OBJS := $(USER_CRT0) $(USER_LIB_OBJS) $(foreach p,$(USER_PROGRAMS),$(call user_objs,$(p)))

# Static pattern rules: they take precedence over the kernel's $(BUILD)/%.c.o.
$(filter-out $(USER_SHARED_OBJS) $(USER_DRIVER_OBJS) $(USER_TRACE_OBJS),$(filter %.c.o,$(USER_OBJS))): $(BUILD)/user/%.c.o: user/%.c | $(GEN_SYSCALL_FILES)
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_CFLAGS) -c $< -o $@

$(filter %.S.o,$(USER_OBJS)): $(BUILD)/user/%.S.o: user/%.S | $(GEN_SYSCALL_FILES)
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_ASFLAGS) -c $< -o $@

# ---- boot archive ----------------------------------------------------------

INITRD := $(BUILD)/initrd.cpio

$(INITRD): $(USER_ELFS) scripts/mkcpio.py
	python3 scripts/mkcpio.py $@ $(foreach p,$(USER_PROGRAMS),$(p)=$(BUILD)/user/$(p).elf)

.PHONY: initrd
initrd: $(INITRD)

-include $(USER_OBJS:.o=.d)
