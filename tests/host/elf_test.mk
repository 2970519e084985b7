# ELF checker tests (kernel/elf.c), included by the main Makefile.
# The test binary runs from the repository root and reads
# build/test-elf/sample.elf (ELF_TEST_FIXTURES): a tiny static RISC-V program
# built from tests/elf/sample.c with the cross compiler, never run.
ELF_TEST_SRCS := tests/host/elf_test.c kernel/elf.c kernel/errmsg.c
ELF_TEST_FIXTURES := build/test-elf/sample.elf

# libFuzzer target (clang -fsanitize=fuzzer,address,undefined); seed it with
# ELF_TEST_FIXTURES.
ELF_FUZZ_SRCS := tests/fuzz/elf_fuzz.c kernel/elf.c kernel/errmsg.c

# -Wl,-Ttext-segment puts the first loaded page (ELF headers, then .text) at
# USER_IMAGE_BASE; plain -Ttext=0x10000 would put the headers' page at 0xf000,
# below it, and the image would be refused.
build/test-elf/sample.elf: tests/elf/sample.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O1 -Wall -Wextra -Werror -ffreestanding -fno-pic -nostdlib -static \
		-no-pie $(ARCH_CFLAGS) -Wl,-Ttext-segment=0x10000 -Wl,--build-id=none $< -o $@
