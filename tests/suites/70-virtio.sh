# shellcheck shell=bash
# virtio-blk under QEMU: init starts blktest (boot argument "blktest"),
# which drives the user-space virtio-blk driver (drivers/virtio/) on a disk
# image made fresh here for each boot, through both virtio-mmio interfaces:
# version 1 (legacy, QEMU's default) and version 2 (force-legacy=false).
# blktest's U-BLK-* lines count one by one; each boot is one more test, and
# so is a look at the image afterwards from the host.
echo "== virtio-blk (a user-space driver, both virtio-mmio versions)"
VIRTIO_DISK_BYTES=$((16 << 20))

# virtio_boot ID TRANSPORT "extra qemu options"
virtio_boot() {
	local id=$1 transport=$2 extra=$3 img=$BUILD/$1.img
	rm -f "$img"
	truncate -s "$VIRTIO_DISK_BYTES" "$img"
	boot_test "$id" "blktest over virtio-mmio ($transport): every U-BLK test passes" -i -u -t 60 \
		-a "blktest blkdisk=$VIRTIO_DISK_BYTES" \
		-q "$extra -drive file=$img,format=raw,if=none,id=hd0 -device virtio-blk-device,drive=hd0" \
		-e "^blktest: $transport\$" -e '^PASS U-BLK-010 ' -e '^10 passed, 0 failed' \
		-e 'pagoda: init exited with status 0'
}

virtio_boot VIRTIO-001 legacy ""
virtio_boot VIRTIO-002 modern "-global virtio-mmio.force-legacy=false"

# What blktest wrote last must be on the disk: its whole-disk pattern
# (user/blktest/main.c, pattern_word with seed 0x5eed0001) in the first and
# the last sector, read back here from the image of the modern boot.
if python3 - "$BUILD/VIRTIO-002.img" <<'EOF'; then
import struct, sys
d = open(sys.argv[1], "rb").read()
def word(sector, i, seed=0x5EED0001):
    x = ((sector * 0x9E3779B1) & 0xFFFFFFFF) ^ (sector >> 32) ^ seed
    return (x + i * 0x85EBCA77) & 0xFFFFFFFF
last = len(d) // 512 - 1
for s in (0, last):
    if list(struct.unpack_from("<128I", d, s * 512)) != [word(s, i) for i in range(128)]:
        sys.exit("sector %d does not hold the pattern" % s)
EOF
	pass VIRTIO-003 "the disk image holds blktest's pattern in its first and last sector"
else
	fail VIRTIO-003 "the disk image holds blktest's pattern in its first and last sector" \
		"see the line above"
fi
