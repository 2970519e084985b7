# GPT parser (drivers/gpt.c) and partition window (drivers/block_part.c)
# tests, included by the main Makefile. The tables are mostly written in
# memory by the test itself; build/test-gpt/disk.img (GPT_TEST_FIXTURES) is an
# 8 MiB disk partitioned by sfdisk (util-linux) the way scripts/mkimage.sh
# does it (1 MiB + 4 MiB "boot" + 2 MiB "swap" + the backup table), so the
# parser is checked against another implementation's output. The test binary
# runs from the repository root.
GPT_TEST_SRCS := tests/host/gpt_test.c drivers/gpt.c drivers/block_part.c kernel/errmsg.c
GPT_TEST_FIXTURES := build/test-gpt/disk.img

# libFuzzer target (clang -fsanitize=fuzzer,address,undefined); seed it with
# GPT_TEST_FIXTURES (its first 32 KiB are enough).
GPT_FUZZ_SRCS := tests/fuzz/gpt_fuzz.c drivers/gpt.c kernel/errmsg.c

build/test-gpt/disk.img: tests/host/gpt_test.mk
	@mkdir -p $(dir $@)
	rm -f $@.tmp && truncate -s 8M $@.tmp
	printf 'label: gpt\nlabel-id: 5041474F-4441-4000-8000-000000000000\nunit: sectors\nfirst-lba: 2048\n\nstart=2048, size=8192, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=5041474F-4441-4000-8000-000000000001, name="boot", attrs="LegacyBIOSBootable"\nstart=10240, size=4096, type=0657FD6D-A4AB-43C4-84E5-0933C84B4F4F, uuid=5041474F-4441-4000-8000-000000000002, name="swap"\n' \
		| sfdisk -q --no-reread --no-tell-kernel $@.tmp
	mv $@.tmp $@
