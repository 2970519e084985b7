# Pagoda boot script for QEMU virt under Debian's U-Boot (qemu-riscv64_smode),
# started by OpenSBI fw_jump. scripts/mkimage.sh compiles it into boot.scr
# (mkimage -A riscv -T script) after a line that sets pagoda_args, the kernel
# command line (make image ARGS=...).
#
# U-Boot's distro boot sets devtype, devnum and distro_bootpart, then sources
# this script from the boot partition. By hand, at the "=>" prompt:
#   load virtio 0:1 ${scriptaddr} boot.scr; source ${scriptaddr}

if test -z "${devtype}"; then setenv devtype virtio; setenv devnum 0; fi
if test -z "${distro_bootpart}"; then setenv distro_bootpart 1; fi

# The boot archive (init and the other programs), if the partition has one.
# Loaded before the kernel: every load overwrites ${filesize}.
setenv pagoda_initrd -
if test -e ${devtype} ${devnum}:${distro_bootpart} initrd.cpio; then
	if load ${devtype} ${devnum}:${distro_bootpart} ${ramdisk_addr_r} initrd.cpio; then
		setenv pagoda_initrd ${ramdisk_addr_r}:${filesize}
	fi
fi

echo "Pagoda: loading Image from ${devtype} ${devnum}:${distro_bootpart} to ${kernel_addr_r}"
if load ${devtype} ${devnum}:${distro_bootpart} ${kernel_addr_r} Image; then
	setenv bootargs "${pagoda_args}"
	echo "Pagoda: booti, bootargs: ${bootargs}"
	# The device tree is the one QEMU gave U-Boot (fdtcontroladdr). booti checks
	# the Image header, moves the kernel to RAM base + text_offset (0x80200000),
	# puts bootargs in /chosen and enters the kernel with a0 = hart id, a1 = tree.
	booti ${kernel_addr_r} ${pagoda_initrd} ${fdtcontroladdr}
fi
echo "Pagoda: boot failed"
