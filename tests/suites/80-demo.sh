# shellcheck shell=bash
# The demo of `make run`: init's console (user/init/console.h) with the swap
# pager on a fresh disk. The QEMU options, RAM and boot arguments come from
# the Makefile (`make -s run-opts`), so the test boots what `make run` boots.
echo "== demo (make run's console: memtest, vmstat, free, swapon)"
DEMO_IMG=$LOGS/DEMO.img
demo_opts() { # CMDS
	local RUN_MEM RUN_SMP SWAP_SIZE RUN_QEMU_OPTS RUN_APPEND
	eval "$(make -s --no-print-directory run-opts SWAP_IMG="$DEMO_IMG" CMDS="$1")"
	rm -f "$DEMO_IMG"
	truncate -s "$SWAP_SIZE" "$DEMO_IMG"
	DEMO_MEM=$RUN_MEM DEMO_SMP=$RUN_SMP DEMO_QEMU=$RUN_QEMU_OPTS DEMO_APPEND=$RUN_APPEND
}

# Non-interactive: make run CMDS='...' (the boot argument cmds=...).
# The swapper's pool grows to its cap (16 MiB) on make run's 64 MiB machine,
# so 32M pages: the child's heap, stack and .bss are the swapper's.
demo_opts 'memtest 32M; vmstat; free; swapon -s'
boot_test DEMO-001 "make run CMDS='memtest 32M; vmstat; free; swapon -s': a 32M heap through the 16M pool, exact" \
	-i -t 120 -m "$DEMO_MEM" -s "$DEMO_SMP" -a "$DEMO_APPEND" -q "$DEMO_QEMU" \
	-e '^pagoda> memtest 32M$' -e '^memtest: 32M verified, 0 mismatched words$' \
	-e '^memtest: 8192 pages in [0-9.]+ s: [1-9][0-9]* page-outs, [1-9][0-9]* page-ins' \
	-e '^pagoda> vmstat$' -e '^ +page-ins +page-outs +faults +pool-free +ram-free$' \
	-e '^ +[1-9][0-9]* +[1-9][0-9]* +[1-9][0-9]* +[0-9]+ +[0-9]+$' \
	-e '^pagoda> free$' -e '^Mem: +[1-9][0-9]* +[1-9][0-9]* +[1-9][0-9]*$' \
	-e '^Pool: +16384 +[0-9]+ +[0-9]+ ' -e '^Swap: +[1-9][0-9]* +0 +[1-9][0-9]*$' \
	-e '^pagoda> swapon -s$' -e '^Filename +Type +Size +Used +Priority$' \
	-e '^virtio-blk@0x[0-9a-f]+ +disk +[1-9][0-9]* +0 +-2$' \
	-e '^console: done; powering off$' -e 'pagoda: init exited with status 0; powering off'

# Interactive: keystrokes through the UART's receive interrupt, echoed;
# a backspace (DEL) corrects "frx" into "free".
demo_opts ''
printf 'help\nfrx\177ee\r\nmemtest 1M\nswapon -s\nbogus\npoweroff\n' >"$LOGS/DEMO-002.input"
QEMU_SERIAL_INPUT=$LOGS/DEMO-002.input boot_test DEMO-002 \
	"make run's console typed at: echo, backspace, help, free, memtest, poweroff" \
	-i -t 60 -m "$DEMO_MEM" -s "$DEMO_SMP" -a "$DEMO_APPEND" -q "$DEMO_QEMU" \
	-e '^Pagoda console: type help for the commands$' -e '^pagoda> help$' \
	-e '^  memtest SIZE ' -e '^pagoda> frx.*ee$' -e '^Mem: +[1-9][0-9]* ' \
	-e '^pagoda> memtest 1M$' -e '^memtest: 1M verified, 0 mismatched words$' \
	-e '^virtio-blk@0x[0-9a-f]+ +disk ' -e '^bogus: unknown command \(try help\)$' \
	-e '^pagoda> poweroff$' -e '^console: powering off$' \
	-e 'pagoda: init exited with status 0; powering off'
rm -f "$DEMO_IMG"

# Issue 7's "sequential write then verify of 4x RAM": make run's machine
# (64 MiB) and one child writing and verifying 256 MiB through the swapper.
demo_opts 'memtest 256M; free'
boot_test DEMO-003 "make run CMDS='memtest 256M': 4x the machine's RAM written and verified, exact" \
	-i -t 240 -m "$DEMO_MEM" -s "$DEMO_SMP" -a "$DEMO_APPEND" -q "$DEMO_QEMU" \
	-e '^  memory +0x0080000000-0x0084000000 +64 MiB$' \
	-e '^memtest: 256M verified, 0 mismatched words$' \
	-e '^memtest: 65536 pages in [0-9.]+ s: [1-9][0-9]{4,} page-outs, [1-9][0-9]{4,} page-ins' \
	-e '^Swap: +[1-9][0-9]* +0 +[1-9][0-9]*$' \
	-e 'pagoda: init exited with status 0; powering off'
