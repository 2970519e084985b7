# shellcheck shell=bash
# The board boot chain: the SD-card image, U-Boot's distro boot and booti,
# the Image header. The images are built by `make test` (UBOOT_TEST_IMAGES in
# board/board.mk), all with the kernel self-tests on the command line.
echo "== U-Boot boot chain and SD-card image"

UBOOT_DIR=$BUILD/uboot-test
UBOOT_FW_JUMP=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin
UBOOT_BIN=/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
UBOOT_SELFTEST_OK='selftest: [0-9]+ passed, 0 failed'
UBOOT_KERNEL_OK='Pagoda [^ ]+: RISC-V Sv39 microkernel'

# Is the test image there? Else say how it is made.
uboot_image() { # id desc image
	[ -f "$3" ] && return 0
	fail "$1" "$2" "$3 is missing: 'make test' builds it (UBOOT_TEST_IMAGES in board/board.mk)"
	return 1
}

# A boot from a disk image: OpenSBI fw_jump, Debian's U-Boot, its distro boot
# on the virtio disk, booti. Like boot_test, one test.
uboot_boot_test() { # id desc image mem regex...
	local id=$1 desc=$2 img=$3 mem=$4
	shift 4
	uboot_image "$id" "$desc" "$img" || return
	local log=$LOGS/$id.log secs=90 pid rc why="" stuck=0
	: > "$log"
	scripts/qemu-boot.sh "$log" "$secs" -m "$mem" -smp 2 -bios "$UBOOT_FW_JUMP" \
		-kernel "$UBOOT_BIN" -drive "file=$img,format=raw,if=none,id=disk0,snapshot=on" \
		-device virtio-blk-device,drive=disk0 &
	pid=$!
	# A U-Boot that found nothing to boot waits at its prompt: stop it there
	# (its child, timeout, passes the signal to QEMU) rather than time out.
	while kill -0 "$pid" 2>/dev/null; do
		if grep -q '^=> ' "$log"; then
			stuck=1
			pkill -TERM -P "$pid"
			break
		fi
		sleep 0.5
	done
	wait "$pid"
	rc=$?
	local failed_rx='EXTLINUX FAILED|SCRIPT FAILED|Pagoda: boot failed|Bad Linux RISCV Image|Wrong Image'
	if grep -q 'Unhandled exception' "$log"; then
		why="U-Boot crashed: $(grep -m1 -A1 'Unhandled exception' "$log" | tr '\n' ' ')"
	elif [ "$stuck" -eq 1 ] || grep -Eq "$failed_rx" "$log"; then
		why="U-Boot did not start the kernel: $(grep -Em1 "$failed_rx" "$log" || echo 'it stopped at its prompt')"
	elif [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		why="timed out after ${secs}s"
	elif grep -q '^panic:' "$log"; then
		why="kernel panicked: $(grep -m1 '^panic:' "$log")"
	elif grep -q '^FAIL ' "$log"; then
		why="kernel self-test failed: $(grep -m1 '^FAIL ' "$log")"
	else
		local e
		for e in "$@"; do
			if ! grep -Eq -- "$e" "$log"; then
				why="serial log lacks /$e/"
				break
			fi
		done
	fi
	if [ -z "$why" ]; then
		pass "$id" "$desc"
	else
		fail "$id" "$desc" "$why"
		show_log "$log"
	fi
}

uboot_boot_test UBOOT-001 "SD image boots: fw_jump, U-Boot distro boot, extlinux.conf, booti, self-tests" \
	"$UBOOT_DIR/qemu.img" 256M \
	'^U-Boot 20[0-9][0-9]\.[0-9][0-9]' 'Found /extlinux/extlinux.conf' 'append: selftest' \
	'Moving Image from 0x84000000 to 0x80200000' 'Starting kernel' "$UBOOT_KERNEL_OK" \
	'bootargs +"selftest"' 'kernel +loaded at 0x80200000' "$UBOOT_SELFTEST_OK"

# ---- the Image header that booti checks --------------------------------------

uboot_header_check() {
	local nm=${CROSS_COMPILE:-riscv64-unknown-elf-}nm start end out
	start=$($nm "$BUILD/pagoda.elf" 2>/dev/null | awk '$3 == "_image_start" { print $1 }')
	end=$($nm "$BUILD/pagoda.elf" 2>/dev/null | awk '$3 == "_image_end" { print $1 }')
	if [ -z "$start" ] || [ -z "$end" ]; then
		echo "no _image_start/_image_end in $BUILD/pagoda.elf ($nm)"
		return 1
	fi
	python3 - "$BUILD/Image" "$start" "$end" <<-'EOF'
	import struct, sys
	data = open(sys.argv[1], "rb").read()
	want_size = int(sys.argv[3], 16) - int(sys.argv[2], 16)
	(code0, code1, text_offset, image_size, flags, version, res1, res2,
	 magic, magic2, res3) = struct.unpack("<IIQQQIIQ8sII", data[:64])
	errors = []
	# code0: "j" over the header, as jal x0 or c.j.
	if code0 & 3 == 3:
	    if code0 & 0xfff != 0x06f:
	        errors.append(f"code0 {code0:#010x} is not a jal x0 (j)")
	    i = code0
	    target = (((i >> 31) & 1) << 20 | ((i >> 21) & 0x3ff) << 1 |
	              ((i >> 20) & 1) << 11 | ((i >> 12) & 0xff) << 12)
	    target -= (1 << 21) if target & (1 << 20) else 0
	else:
	    i = code0 & 0xffff
	    if i & 0xe003 != 0xa001:
	        errors.append(f"code0 {code0:#010x} is not a c.j (j)")
	    target = (((i >> 12) & 1) << 11 | ((i >> 11) & 1) << 4 | ((i >> 9) & 3) << 8 |
	              ((i >> 8) & 1) << 10 | ((i >> 7) & 1) << 6 | ((i >> 6) & 1) << 7 |
	              ((i >> 3) & 7) << 1 | ((i >> 2) & 1) << 5)
	    target -= (1 << 12) if target & (1 << 11) else 0
	if not 64 <= target < len(data):
	    errors.append(f"code0 jumps to {target:#x}, not past the 64-byte header into the image")
	if text_offset != 0x200000:
	    errors.append(f"text_offset {text_offset:#x}, want 0x200000")
	if image_size == 0 or image_size != want_size:
	    errors.append(f"image_size {image_size:#x}, want _image_end - _image_start = {want_size:#x}")
	if image_size < len(data):
	    errors.append(f"image_size {image_size:#x} is smaller than the Image file ({len(data):#x})")
	if flags != 0:
	    errors.append(f"flags {flags:#x}, want 0 (little endian)")
	if version != 2:
	    errors.append(f"version {version:#x}, want 0x2")
	if magic != b"RISCV\0\0\0":
	    errors.append(f"magic at 0x30 is {magic!r}, want b'RISCV\\0\\0\\0'")
	if magic2 != 0x05435352:
	    errors.append(f"magic2 at 0x38 is {magic2:#010x}, want 0x05435352")
	print("; ".join(errors) if errors else
	      f"jump to {target:#x}, image_size {image_size:#x}")
	sys.exit(1 if errors else 0)
	EOF
}
if out=$(uboot_header_check 2>&1); then
	pass UBOOT-002 "Image header: j, text_offset 0x200000, image_size = _image_end - _image_start, flags 0, version 0.2, magics ($out)"
else
	fail UBOOT-002 "Image header fields" "$out"
fi

# ---- the disk image's layout -------------------------------------------------

# Prints the byte offset of partition 1 after checking the partition table.
uboot_gpt_check() { # image boot_mib swap_mib
	sfdisk --json "$1" 2>&1 | python3 -c '
import json, sys
boot_mib, swap_mib = int(sys.argv[1]), int(sys.argv[2])
text = sys.stdin.read()
try:
    t = json.loads(text)["partitiontable"]
except Exception:
    sys.exit("sfdisk cannot read a partition table: " + text.strip())
esp, basic = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B", "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7"
swap = "0657FD6D-A4AB-43C4-84E5-0933C84B4F4F"
ss, parts = t.get("sectorsize", 512), t.get("partitions", [])
err = []
if t.get("label") != "gpt":
    err.append("label %r, want gpt" % t.get("label"))
if len(parts) != 2:
    sys.exit("; ".join(err + ["%d partitions, want 2 (boot, swap)" % len(parts)]))
p1, p2 = parts
if p1["type"] not in (esp, basic):
    err.append("partition 1 type %s is not EFI System or basic data" % p1["type"])
if p1.get("name") != "boot":
    err.append("partition 1 name %r, want boot" % p1.get("name"))
if p1["size"] * ss != boot_mib << 20:
    err.append("partition 1 is %d bytes, want %d MiB" % (p1["size"] * ss, boot_mib))
if p2["type"] != swap:
    err.append("partition 2 type %s, want Linux swap %s" % (p2["type"], swap))
if p2.get("name") != "swap":
    err.append("partition 2 PARTLABEL %r, want swap" % p2.get("name"))
if p2["size"] * ss != swap_mib << 20:
    err.append("partition 2 is %d bytes, want %d MiB" % (p2["size"] * ss, swap_mib))
if p1["start"] + p1["size"] > p2["start"]:
    err.append("partitions overlap")
if err:
    sys.exit("; ".join(err))
print(p1["start"] * ss)
' "$2" "$3"
}

uboot_layout_check() { # image
	local img=$1 off tmp why=""
	off=$(uboot_gpt_check "$img" 64 64 2>&1) || { echo "$off"; return 1; }
	tmp=$(mktemp -d)
	export MTOOLS_SKIP_CHECK=1
	if ! mdir -i "$img@@$off" -b ::/ > "$tmp/ls" 2>&1; then
		why="partition 1 is not a FAT file system mtools reads: $(head -n 3 "$tmp/ls")"
	elif ! mcopy -n -i "$img@@$off" ::/Image ::/boot.scr ::/extlinux/extlinux.conf "$tmp/" 2> "$tmp/err"; then
		why="the boot partition lacks Image, boot.scr or extlinux/extlinux.conf: $(head -n 3 "$tmp/err")"
	elif ! cmp -s "$tmp/Image" "$BUILD/Image"; then
		why="the Image on the boot partition is not $BUILD/Image"
	elif ! dumpimage -l "$tmp/boot.scr" 2>&1 | grep -q 'RISC-V Linux Script'; then
		why="boot.scr is not a RISC-V U-Boot script image: $(dumpimage -l "$tmp/boot.scr" 2>&1 | head -n 3)"
	elif ! grep -Eq '^[[:space:]]*kernel /Image$' "$tmp/extlinux.conf" ||
		! grep -Eq '^[[:space:]]*append selftest$' "$tmp/extlinux.conf"; then
		why="extlinux.conf lacks 'kernel /Image' or 'append selftest'"
	fi
	rm -rf "$tmp"
	[ -z "$why" ] || { echo "$why"; return 1; }
}
if ! uboot_image UBOOT-003 "SD image layout" "$UBOOT_DIR/qemu.img"; then
	:
elif out=$(uboot_layout_check "$UBOOT_DIR/qemu.img" 2>&1); then
	pass UBOOT-003 "SD image: GPT, 64 MiB FAT 'boot' with Image, boot.scr, extlinux/extlinux.conf; 64 MiB Linux swap PARTLABEL swap"
else
	fail UBOOT-003 "SD image layout" "$out"
fi

# ---- the VisionFive 2 boot script --------------------------------------------

uboot_vf2_script_check() { # image
	local img=$1 off tmp text_offset why=""
	off=$(uboot_gpt_check "$img" 32 16 2>&1) || { echo "$off"; return 1; }
	tmp=$(mktemp -d)
	export MTOOLS_SKIP_CHECK=1
	text_offset=$(od -An -t u8 -j 8 -N 8 "$BUILD/Image" | tr -d ' ')
	if ! mcopy -n -i "$img@@$off" ::/boot.scr "$tmp/boot.scr" 2> "$tmp/err"; then
		why="no boot.scr on the boot partition: $(head -n 3 "$tmp/err")"
	elif ! dumpimage -l "$tmp/boot.scr" 2>&1 | grep -q 'RISC-V Linux Script'; then
		why="boot.scr is not a RISC-V U-Boot script image"
	else
		# The script's text: after the 64-byte image header and the size table.
		why=$(python3 - "$tmp/boot.scr" board/visionfive2/boot.cmd "$text_offset" <<-'EOF'
		import re, sys
		text = open(sys.argv[1], "rb").read()[72:].rstrip(b"\0").decode()
		source = open(sys.argv[2]).read()
		text_offset = int(sys.argv[3])
		need = {
		    "the kernel command line": r'setenv pagoda_args "selftest"',
		    "the kernel loaded at ${kernel_addr_r}":
		        r"\bload \$\{devtype\} \$\{devnum\}:\$\{distro_bootpart\} \$\{kernel_addr_r\} Image\b",
		    "the board's default kernel_addr_r 0x40200000":
		        r"setenv kernel_addr_r 0x40200000\b",
		    "the board's default fdt_addr_r 0x46000000": r"setenv fdt_addr_r 0x46000000\b",
		    "bootargs set before booti": r'setenv bootargs "\$\{pagoda_args\}"(.|\n)*\bbooti ',
		    "booti ${kernel_addr_r} ${pagoda_initrd} <fdt>": r"\bbooti \$\{kernel_addr_r\} \$\{pagoda_initrd\} \$\{\w+\}",
		}
		missing = [what for what, rx in need.items() if not re.search(rx, text)]
		if not text.endswith(source):
		    missing.append("board/visionfive2/boot.cmd verbatim")
		# booti runs the kernel at RAM base + text_offset: where it was loaded.
		if 0x40000000 + text_offset != 0x40200000:
		    missing.append(f"DRAM base + text_offset ({0x40000000 + text_offset:#x}) = 0x40200000")
		print("boot.scr lacks: " + "; ".join(missing) if missing else "")
		EOF
		)
	fi
	rm -rf "$tmp"
	[ -z "$why" ] || { echo "$why"; return 1; }
}
if ! uboot_image UBOOT-004 "VisionFive 2 boot.scr" "$UBOOT_DIR/vf2-script.img"; then
	:
elif out=$(uboot_vf2_script_check "$UBOOT_DIR/vf2-script.img" 2>&1); then
	pass UBOOT-004 "VisionFive 2 boot.scr: board/visionfive2/boot.cmd, Image at \${kernel_addr_r} (0x40200000), bootargs, booti"
else
	fail UBOOT-004 "VisionFive 2 boot.scr" "$out"
fi

# ---- the boot scripts themselves, run by U-Boot --------------------------------

uboot_boot_test UBOOT-005 "QEMU boot.scr (no extlinux.conf): distro boot sources it, booti, self-tests" \
	"$UBOOT_DIR/qemu-script.img" 256M \
	'Found U-Boot script /boot.scr' 'Pagoda: booti, bootargs: selftest' \
	'Moving Image from 0x84000000 to 0x80200000' "$UBOOT_KERNEL_OK" 'bootargs +"selftest"' \
	"$UBOOT_SELFTEST_OK"
uboot_boot_test UBOOT-008 "SD image reaches user space: booti passes initrd.cpio, init's console runs" \
	"$UBOOT_DIR/qemu-user.img" 256M \
	'Retrieving file: /initrd.cpio' 'initrd +0x[0-9a-f]+-0x[0-9a-f]+' 'pagoda: starting init \(pid 1' \
	'^pagoda> help$' 'memtest SIZE' 'console: done; powering off' 'pagoda: init exited with status 0'
uboot_boot_test UBOOT-009 "SD image: U-Boot, booti, init's console swaps to the image's own swap partition" \
	"$UBOOT_DIR/qemu-swap.img" 256M \
	'swapper: swapping to virtio-blk@0x[0-9a-f]+p2' 'memtest: 8M verified, 0 mismatched words' \
	'^virtio-blk@0x[0-9a-f]+p2 +partition ' 'pagoda: init exited with status 0'
uboot_boot_test UBOOT-006 "VisionFive 2 boot.scr runs under U-Boot 2023.01 (QEMU): U-Boot's tree, booti, self-tests" \
	"$UBOOT_DIR/vf2-script.img" 256M \
	'Found U-Boot script /boot.scr' 'Pagoda: booti, device tree at [0-9a-f]+, bootargs: selftest' \
	"$UBOOT_KERNEL_OK" 'memory +0x0080000000-0x0090000000' "$UBOOT_SELFTEST_OK"
uboot_boot_test UBOOT-007 "VisionFive 2 boot.scr with pagoda.dtb: the kernel gets that tree (128 MiB of 256)" \
	"$UBOOT_DIR/vf2-dtb.img" 256M \
	'Pagoda: booti, device tree at 0x8c000000, bootargs: selftest' "$UBOOT_KERNEL_OK" \
	'memory +0x0080000000-0x0088000000 +128 MiB' "$UBOOT_SELFTEST_OK"
