# Pagoda boot script for the StarFive VisionFive 2: boot ROM, U-Boot SPL,
# OpenSBI, U-Boot in S-mode, then this. scripts/mkimage.sh compiles it into
# boot.scr (mkimage -A riscv -T script) after a line that sets pagoda_args,
# the kernel command line (make image BOARD=visionfive2 ARGS=...).
#
# U-Boot's distro boot sets devtype, devnum and distro_bootpart, then sources
# this script from the boot partition. By hand, from the microSD card (mmc 1):
#   load mmc 1:1 ${scriptaddr} boot.scr; source ${scriptaddr}

if test -z "${devtype}"; then setenv devtype mmc; setenv devnum 1; fi
if test -z "${distro_bootpart}"; then setenv distro_bootpart 1; fi

# The board's U-Boot addresses (DRAM starts at 0x40000000; OpenSBI owns the
# first 2 MiB). The environment's values win when it has them.
if test -z "${kernel_addr_r}"; then setenv kernel_addr_r 0x40200000; fi
if test -z "${fdt_addr_r}"; then setenv fdt_addr_r 0x46000000; fi
if test -z "${ramdisk_addr_r}"; then setenv ramdisk_addr_r 0x46100000; fi

# The device tree: U-Boot's own control tree (fdtcontroladdr), which is the
# board's tree with the RAM size found at boot (2, 4 or 8 GiB), OpenSBI's
# reservations copied in by booti. A pagoda.dtb on the boot partition, if there
# is one, is used instead: its memory node must then match the board.
setenv pagoda_fdt ${fdtcontroladdr}
if test -e ${devtype} ${devnum}:${distro_bootpart} pagoda.dtb; then
	if load ${devtype} ${devnum}:${distro_bootpart} ${fdt_addr_r} pagoda.dtb; then
		setenv pagoda_fdt ${fdt_addr_r}
	fi
fi

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
	echo "Pagoda: booti, device tree at ${pagoda_fdt}, bootargs: ${bootargs}"
	# booti checks the Image header, runs the kernel at RAM base + text_offset
	# (0x40200000), puts bootargs in /chosen and enters it with a0 = hart id,
	# a1 = the device tree.
	booti ${kernel_addr_r} ${pagoda_initrd} ${pagoda_fdt}
fi
echo "Pagoda: boot failed"
