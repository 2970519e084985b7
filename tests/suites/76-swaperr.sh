# shellcheck shell=bash
# Swap under failure (issue 7's tests): a swap disk that returns I/O errors
# and a swapper that dies. init runs "swaptest" plus swaperr-write,
# swaperr-read or swaperr-pager (user/init/utest_swaperr.c, U-SWAP-010..012).
# The errors come from QEMU's blkdebug block driver between the raw format
# and the image file: its configuration (INI, made here in build/) injects
# errno 5 (EIO) into writes or reads touching one sector; the device then
# completes those requests with VIRTIO_BLK_S_IOERR, which the driver reports
# as -ERR_IO. Slot s of the swap disk is 512-byte sectors 8s .. 8s+7; slot 0
# (the header, sectors 0-7) is left alone. Each boot gets a fresh disk.
echo "== swap errors (blkdebug EIO on the swap disk; a swapper that dies)"
SWAPERR_IMG=$BUILD/SWAPERR.img

swaperr_disk() { # config-file: a fresh zeroed disk behind blkdebug
	rm -f "$SWAPERR_IMG"
	truncate -s $((32 << 20)) "$SWAPERR_IMG"
	echo "-drive file=blkdebug:$1:$SWAPERR_IMG,format=raw,if=none,id=hd0 -device virtio-blk-device,drive=hd0"
}

# The event (read_aio, write_aio) only arms a rule; iotype says which
# requests it then fails (all kinds by default).
blkdebug_rule() { # event iotype sector [once]: one [inject-error] section
	printf '[inject-error]\nevent = "%s"\niotype = "%s"\nerrno = "5"\nsector = "%s"\n' "$1" "$2" "$3"
	[ -n "${4:-}" ] && printf 'once = "on"\n'
	printf '\n'
}

# Writes to slots 3 and 10 always fail; one write to slot 40 fails once.
# (QEMU's virtio-blk merges adjacent requests, so the neighbours of a bad
# slot in the same cluster fail with it: more slots go bad, all are
# rewritten elsewhere.)
{
	blkdebug_rule write_aio write 24
	blkdebug_rule write_aio write 80
	blkdebug_rule write_aio write 320 once
} > "$BUILD/swaperr-write.blkdebug"
boot_test SWAPERR-001 "swap write errors: slots marked bad, pages rewritten elsewhere, all verify" \
	-i -u -t 30 -m 128M -a "swaptest swaperr-write" -q "$(swaperr_disk "$BUILD/swaperr-write.blkdebug")" \
	-e '^swapper: virtio-blk@0x[0-9a-f]+: write of slot 3 failed \(input/output error\); marking it bad$' \
	-e '^swapper: virtio-blk@0x[0-9a-f]+: write of slot 10 failed \(input/output error\); marking it bad$' \
	-e '^swaptest: after write errors: [1-9][0-9]* bad slots, child status 0$' \
	-e '^PASS U-SWAP-010 ' -e '^swapper: pool 128 frames \(128 free\); swap 0 of [0-9]+ slots used \([1-9][0-9]* bad\)' \
	-e 'pagoda: init exited with status 0'

# Reads of slot 20 fail: the client whose page is there dies. QEMU merges
# adjacent requests (the swapper's read-ahead puts several in flight), and
# a merged request fails as a whole, so the slot named may be a neighbour.
blkdebug_rule read_aio read 160 > "$BUILD/swaperr-read.blkdebug"
boot_test SWAPERR-002 "a swap read error kills the page's owner with a line; the system goes on" \
	-i -u -t 30 -m 128M -a "swaptest swaperr-read" -q "$(swaperr_disk "$BUILD/swaperr-read.blkdebug")" \
	-e '^swapper: virtio-blk@0x[0-9a-f]+: read of slot [0-9]+ \(page 0x[0-9a-f]+\) failed: input/output error$' \
	-e '^swapper: swap read error: killing client [0-9]+ \(pid [0-9]+: [0-9]+ resident \+ [0-9]+ swapped pages\)$' \
	-e '^kill: process child \(pid [0-9]+\) thread [0-9]+: (load|store) page fault at 0x[0-9a-f]+, pc 0x[0-9a-f]+: the pager failed the fault \(-10\)$' \
	-e '^PASS U-SWAP-011 ' -e 'pagoda: init exited with status 0'

# Every write after the header fails (the header's flush moves blkdebug
# to state 2, whose rule fails all writes), and swap has 64 slots: a page
# written behind goes from slot to slot, each marked bad, until none is
# left; its owner is killed before it can read the page back.
{
	printf '[set-state]\nstate = "1"\nevent = "flush_to_disk"\nnew_state = "2"\n\n'
	printf '[inject-error]\nstate = "2"\nevent = "write_aio"\niotype = "write"\nerrno = "5"\n\n'
} > "$BUILD/swaperr-nowrite.blkdebug"
boot_test SWAPERR-004 "every swap write fails: the page with no good slot left kills its owner; the next client runs" \
	-i -u -t 30 -m 128M -a "swaptest swapsmall swaperr-nowrite" \
	-q "$(swaperr_disk "$BUILD/swaperr-nowrite.blkdebug")" \
	-e '^swapper: virtio-blk@0x[0-9a-f]+: write of slot 64 failed \(input/output error\); marking it bad$' \
	-e '^swapper: swap full after write errors: killing client [0-9]+ \(pid [0-9]+: [0-9]+ resident \+ 0 swapped pages\)$' \
	-e '^swaptest: with every write failing: 64 of 64 slots bad, child status -[0-9]+ ' \
	-e '^PASS U-SWAP-017 ' -e 'pagoda: init exited with status 0'

# The same, with the swapper holding finished writes until it must wait
# for them (SWAP_HOLD): the write errors surface at the client's fault on
# a page still being written, and that fault kills it.
boot_test SWAPERR-005 "every swap write fails, found at a fault on a page being written: the fault kills its owner" \
	-i -u -t 30 -m 128M -a "swaptest swapsmall swaperr-nowrite swaperr-hold" \
	-q "$(swaperr_disk "$BUILD/swaperr-nowrite.blkdebug")" \
	-e '^swapper: swap full after write errors: killing client [0-9]+ \(pid [0-9]+: [0-9]+ resident \+ 0 swapped pages\)$' \
	-e '^kill: process child \(pid [0-9]+\) thread [0-9]+: load page fault at 0x800000000, pc 0x[0-9a-f]+: the pager failed the fault \(-4\)$' \
	-e '^swaptest: a lost page found at a fault: check -[0-9]+, child status -[0-9]+, 64 of 64 slots bad, 1 faults waited for a write$' \
	-e '^PASS U-SWAP-019 ' -e 'pagoda: init exited with status 0'

# No disk errors; the swapper is killed under a faulting client.
: > "$BUILD/swaperr-none.blkdebug"
boot_test SWAPERR-003 "the swapper dies under a faulting client: the client is killed, init goes on" \
	-i -u -t 30 -m 128M -a "swaptest swaperr-pager" -q "$(swaperr_disk "$BUILD/swaperr-none.blkdebug")" \
	-e "^kill: process child \(pid [0-9]+\) thread [0-9]+: .*(the pager went away|the region's pager is gone)" \
	-e '^PASS U-SWAP-012 ' -e 'pagoda: init exited with status 0'
