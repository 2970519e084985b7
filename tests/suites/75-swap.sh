# shellcheck shell=bash
# The swap pager (user/swapper/) under QEMU: init starts it with the boot
# argument "swaptest", hands it the virtio disk and runs U-SWAP-* (children
# using several times the swapper's pool of frames: pages go to the disk and
# come back exact). Each boot gets a fresh disk image made here; the log's
# U-SWAP lines count one by one, and each boot is one more test.
echo "== swap (a user-space pager paging to a virtio-blk disk)"
SWAP_DISK_BYTES=$((32 << 20))
SWAP_DISK="-drive file=$BUILD/SWAP.img,format=raw,if=none,id=hd0 -device virtio-blk-device,drive=hd0"

# A fresh, zeroed disk: the swapper writes its header and swaps to it.
rm -f "$BUILD/SWAP.img"
truncate -s "$SWAP_DISK_BYTES" "$BUILD/SWAP.img"
# The swapper's closing summary shows read-ahead at work (sequential verify),
# some of it read while the client ran, and zero-fill-ahead (sequential
# first writes).
boot_test SWAP-001 "swaptest on a zeroed 32 MiB disk: every U-SWAP test passes, reading ahead" \
	-i -u -t 120 -m 128M -a "swaptest" -q "$SWAP_DISK" \
	-e '^swapper: pool [0-9]+ frames .* [0-9]+ page-ins \([1-9][0-9]* read ahead, [1-9][0-9]* behind the client, [0-9]+ waits\)' \
	-e '^swapper: pool of up to [0-9]+ frames \(low watermark [0-9]+ free frames\), policy clockpro, read-ahead 16 pages$' \
	-e '^swapper: swapping to virtio-blk@' -e '^PASS U-SWAP-003 ' -e '^PASS U-SWAP-014 ' \
	-e '^PASS U-SWAP-015 ' -e ', [1-9][0-9]* released at exit; ' \
	-e '; [1-9][0-9]* pages zero-filled ahead \([1-9][0-9]* dropped unwritten\); ' \
	-e '; [1-9][0-9]* pages written behind \([0-9]+ waits for a batch, [1-9][0-9]* faults on a page being written\)$' \
	-e '^PASS U-SWAP-018 ' -e '^8 passed, 0 failed' \
	-e 'pagoda: init exited with status 0'

# The header it wrote names the disk.
if head -c 11 "$BUILD/SWAP.img" | grep -q '^PAGODA-SWAP$'; then
	pass SWAP-002 "the swap disk starts with the PAGODA-SWAP header"
else
	fail SWAP-002 "the swap disk starts with the PAGODA-SWAP header" "it does not"
fi

# A disk holding something else is refused, by name.
rm -f "$BUILD/SWAP.img"
truncate -s "$SWAP_DISK_BYTES" "$BUILD/SWAP.img"
printf 'not a swap disk: somebody else\047s data' | dd of="$BUILD/SWAP.img" conv=notrunc status=none
boot_test SWAP-003 "swaptest on a disk holding other data: the swapper refuses it" -i -u -t 60 -m 128M \
	-a "swaptest swapforeign" -q "$SWAP_DISK" \
	-e '^swapper: virtio-blk@0x[0-9a-f]+ holds something else \(not a Pagoda swap header\); refusing it$' \
	-e '^PASS U-SWAP-005 ' -e 'pagoda: init exited with status 0'
if head -c 16 "$BUILD/SWAP.img" | grep -q '^not a swap disk'; then
	pass SWAP-004 "the refused disk was left untouched"
else
	fail SWAP-004 "the refused disk was left untouched" "its first sector changed"
fi

# Swap full: the swapper is started with 64 slots only; a child wanting
# more than pool + swap is killed with a line saying so, and the swapper
# goes on serving the next one.
rm -f "$BUILD/SWAP.img"
truncate -s "$SWAP_DISK_BYTES" "$BUILD/SWAP.img"
boot_test SWAP-005 "swaptest with 64 swap slots: out of swap kills the biggest client, never hangs" \
	-i -u -t 60 -m 128M -a "swaptest swapsmall" -q "$SWAP_DISK" \
	-e '^swapper: out of swap: killing client 1 \(pid [0-9]+: [0-9]+ resident \+ [0-9]+ swapped pages\)$' \
	-e '^PASS U-SWAP-006 ' -e 'pagoda: init exited with status 0'

# The low watermark: init takes the machine's free frames below it; the
# kernel's mem_watch wakes the swapper, which gives frames back (evicting)
# until the machine is above it again; the client's data survive.
rm -f "$BUILD/SWAP.img"
truncate -s "$SWAP_DISK_BYTES" "$BUILD/SWAP.img"
boot_test SWAP-006 "swaptest swaptrim: below the low watermark the swapper gives frames back" \
	-i -u -t 60 -m 128M -a "swaptest swaptrim" -q "$SWAP_DISK" \
	-e '^swaptest: watermark [0-9]+: init took [0-9]+ frames; the pool went from [0-9]+ to [0-9]+ frames' \
	-e '^swapper: pool [0-9]+ frames .*; [1-9][0-9]* trims gave back [1-9][0-9]* frames; ' \
	-e '^PASS U-SWAP-013 ' -e '^2 passed, 0 failed' -e 'pagoda: init exited with status 0'

# The replacement policy behind struct swap_policy (issue 7): one short
# boot per policy other than the default (CLOCK-Pro, which SWAP-001 runs),
# U-SWAP-001/002 only (the "swappolicy=" boot argument, passed to
# SWAP_START), each on a fresh disk.
for pol in clock fifo random; do
	rm -f "$BUILD/SWAP.img"
	truncate -s "$SWAP_DISK_BYTES" "$BUILD/SWAP.img"
	boot_test "SWAP-POLICY-$pol" "swaptest with swappolicy=$pol: U-SWAP-001/002 pass" \
		-i -u -t 90 -m 128M -a "swaptest swappolicy=$pol" -q "$SWAP_DISK" \
		-e "^swapper: pool of up to [0-9]+ frames \\(low watermark [0-9]+ free frames\\), policy $pol, read-ahead [0-9]+ pages\$" -e '^PASS U-SWAP-002 ' \
		-e '^3 passed, 0 failed' -e 'pagoda: init exited with status 0'
done

# The policy simulator is the swapper (docs/bench.md, "Replacement
# policies"): a trace replayed through the real swapper in QEMU, with the
# pool at the trace's memory size and read-ahead off (every fault is then a
# miss of the policy), takes exactly the faults tests/host/policysim
# predicts for the same policy, trace and pool, and every page reads back
# its own stamp.
REPLAY_MEM=128
for pol in clock clockpro; do
	for trace in loop zipf shift; do
		id="SWAP-REPLAY-$pol-$trace"
		desc="replay $trace ($REPLAY_MEM frames, $pol) in QEMU: the faults the simulator predicts"
		if ! expect=$("$BUILD/host/policysim" --trace "$trace" --policy "$pol" --mem "$REPLAY_MEM"); then
			fail "$id" "$desc" "policysim failed: $expect"
			continue
		fi
		rm -f "$BUILD/SWAP.img"
		truncate -s "$SWAP_DISK_BYTES" "$BUILD/SWAP.img"
		boot_test "$id" "$desc" -i -t 90 -m 128M \
			-a "swappolicy=$pol swappool=$REPLAY_MEM swapra=1 cmds=replay_$trace" -q "$SWAP_DISK" \
			-e "^swapper: pool of up to $REPLAY_MEM frames \\(low watermark [0-9]+ free frames\\), policy $pol, read-ahead 1 pages\$" \
			-e "^replay: $trace on $REPLAY_MEM frames: [0-9]+ accesses, $expect faults, [0-9]+ page-ins, [0-9]+ page-outs, 0 wrong pages\$" \
			-e 'pagoda: init exited with status 0'
	done
done
unset REPLAY_MEM pol trace id desc expect
