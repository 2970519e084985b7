# shellcheck shell=bash
# QEMU boots of the kernel alone: self-tests and crash reports.
echo "== QEMU boots (kernel self-tests)"
SELFTEST_OK='selftest: [0-9]+ passed, 0 failed'
boot_test BOOT-001 "64 MiB, 1 hart: banner and self-tests" -m 64M -s 1 -a selftest \
	-e "$SELFTEST_OK" -e 'memory +0x0080000000-0x0084000000' -e 'console +ns16550a'
# OpenSBI's boot hart is whichever hart wins its lottery: any of the four.
boot_test BOOT-002 "64 MiB, 4 harts: self-tests, other harts parked" -m 64M -s 4 -a selftest \
	-e "$SELFTEST_OK" -e '^  hart [0-3] .*, boot hart$' -e '^  hart [0-3] .*, parked$'
if [ "$(grep -c '^  hart [0-3] .*, boot hart$' "$LOGS/BOOT-002.log")" -eq 1 ] &&
	[ "$(grep -c '^  hart [0-3] .*, parked$' "$LOGS/BOOT-002.log")" -eq 3 ]; then
	pass BOOT-012 "4 harts: one boot hart, the other three parked, whichever hart booted"
else
	fail BOOT-012 "4 harts: one boot hart, the other three parked, whichever hart booted" \
		"the banner's hart lines: $(grep -c '^  hart ' "$LOGS/BOOT-002.log")"
	grep '^  hart ' "$LOGS/BOOT-002.log" | sed 's/^/| /'
fi
boot_test BOOT-003 "512 MiB, 1 hart: self-tests" -m 512M -s 1 -a selftest -e "$SELFTEST_OK" \
	-e 'memory +0x0080000000-0x00a0000000'
boot_test BOOT-004 "512 MiB, 4 harts: self-tests" -m 512M -s 4 -a selftest -e "$SELFTEST_OK"
boot_test BOOT-005 "3 GiB, 1 hart: self-tests, RAM above 4 GiB" -m 3G -s 1 -a selftest \
	-e "$SELFTEST_OK" -e 'memory +0x0080000000-0x0140000000'
boot_test BOOT-006 "3 GiB, 4 harts: self-tests" -m 3G -s 4 -a selftest -e "$SELFTEST_OK"
boot_test BOOT-007 "banner names board, firmware, timebase, PLIC and 8 virtio-mmio slots" \
	-a poweroff -e 'board +riscv-virtio,qemu' -e 'firmware +OpenSBI' \
	-e 'timebase +10000000 Hz, tick 100 Hz' -e 'plic +0xc000000' -e 'virtio-mmio +0x10008000 irq 8'
boot_test BOOT-008 "kernel stack overflow hits the guard page and panics with a backtrace" -p \
	-a crashtest=stack -e 'panic: trap_handler: kernel stack overflow' \
	-e '#[0-9]+ +0x[0-9a-f]+ recurse_forever' -e 'panic: system halted'
boot_test BOOT-009 "unexpected kernel page fault panics with registers and symbols" -p \
	-a crashtest=fault -e 'panic: trap_handler: load page fault in the kernel' \
	-e 'pc +0x[0-9a-f]+ selftest_crash\+0x' -e ' s0  0x' -e 'panic: system halted'
boot_test BOOT-010 "panic() prints a symbolized backtrace of its caller" -p \
	-a crashtest=panic -e 'panic: selftest_crash: deliberate panic' -e '#0 +0x[0-9a-f]+ selftest_crash\+'


# A tree firmware accepts but the kernel must refuse: nodes nested deeper than
# the parser's limit, added to the tree QEMU itself makes.
deep_dtb=$BUILD/test-dtb/deep-nesting.dtb
mkdir -p "$BUILD/test-dtb"
qemu-system-riscv64 -machine virt,dumpdtb="$deep_dtb.base" -m 128M -smp 1 -nographic >/dev/null 2>&1
dtc -I dtb -O dts "$deep_dtb.base" 2>/dev/null | python3 -c '
import sys
s = sys.stdin.read()
deep = "".join("deep%d {\n" % i for i in range(40)) + "};\n" * 40
i = s.rindex("};")
sys.stdout.write(s[:i] + deep + s[i:])' | dtc -I dts -O dtb -o "$deep_dtb" 2>/dev/null
boot_test BOOT-011 "a malformed device tree stops boot with a message naming the fault" \
	-q "-dtb $deep_dtb" -e 'pagoda: boot failed: malformed device tree: fdt: nodes nest deeper than 32 levels at /deep0/deep1'
