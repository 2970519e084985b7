# Make rules for boot images and board boot chains (included by the Makefile).
#
#   make image [BOARD=qemu-virt|visionfive2] [ARGS="boot args"] [SWAP_MIB=64]
#              [BOOT_MIB=64] [DTB=file.dtb] [SDCARD=file.img]
#       writes $(SDCARD) (build/sdcard.img): GPT, FAT boot partition, swap partition
#       (scripts/mkimage.sh; see board/*/README.md)
#   make run-uboot [ARGS=...]
#       boots that image in QEMU the way a board boots: OpenSBI fw_jump, Debian's
#       U-Boot, its distro boot on the virtio disk, booti

BOARD    ?= qemu-virt
SDCARD   ?= $(BUILD)/sdcard.img
BOOT_MIB ?= 64
SWAP_MIB ?= 64
DTB      ?=

OPENSBI_JUMP := /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin
UBOOT_QEMU   := /usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
# Debian's U-Boot loads scripts and device trees at 0x8c000000-0x8c300000:
# it needs 256 MiB. MEM given on the command line wins.
UBOOT_MEM ?= $(if $(filter command line,$(origin MEM)),$(MEM),256M)

# $(call shell-quote,text): text as one shell word, whatever quotes it holds.
shell-quote = '$(subst ','\'',$(1))'

.PHONY: image run-uboot

image: deps all
	scripts/mkimage.sh -b $(BOARD) -a $(call shell-quote,$(ARGS)) -f $(BOOT_MIB) -s $(SWAP_MIB) \
		$(if $(DTB),-d $(DTB)) -k $(BUILD)/Image $(SDCARD)

# fw_jump starts whatever -kernel loaded at 0x80200000 (here U-Boot) in S-mode
# with the device tree QEMU made; U-Boot finds the boot partition on the disk.
run-uboot: deps image
	$(QEMU) -machine virt -cpu rv64 -m $(UBOOT_MEM) -smp $(SMP) -nographic \
		-bios $(OPENSBI_JUMP) -kernel $(UBOOT_QEMU) \
		-drive file=$(SDCARD),format=raw,if=none,id=disk0 -device virtio-blk-device,drive=disk0

# ---- images for `make test` (tests/suites/40-uboot.sh) ---------------------
# All run the kernel self-tests. -S leaves out extlinux.conf so that U-Boot's
# distro boot runs boot.scr; vf2-dtb.img carries a pagoda.dtb (QEMU's tree at
# 128 MiB) for the VisionFive 2 script's "own device tree" path.

UBOOT_TEST := $(BUILD)/uboot-test
UBOOT_TEST_IMAGES := $(UBOOT_TEST)/qemu.img $(UBOOT_TEST)/qemu-script.img \
	$(UBOOT_TEST)/vf2-script.img $(UBOOT_TEST)/vf2-dtb.img $(UBOOT_TEST)/qemu-user.img \
	$(UBOOT_TEST)/qemu-swap.img
TEST_IMAGE_DEPS := scripts/mkimage.sh board/board.mk $(BUILD)/Image $(INITRD)

# The demo with swap on the image's own swap partition (issue 5): init's
# console runs a memtest through the swap pager, on partition 2, and powers off.
$(UBOOT_TEST)/qemu-swap.img: $(TEST_IMAGE_DEPS) board/qemu-virt/boot.cmd
	scripts/mkimage.sh -b qemu-virt -a "cmds=memtest_8M,swapon_-s swap=PARTLABEL=swap" \
		-f 32 -s 32 -k $(BUILD)/Image $@ > /dev/null

# User space through U-Boot: init's console runs one command and powers off.
$(UBOOT_TEST)/qemu-user.img: $(TEST_IMAGE_DEPS) board/qemu-virt/boot.cmd
	scripts/mkimage.sh -b qemu-virt -a "cmds=help" -f 32 -s 16 -k $(BUILD)/Image $@ > /dev/null

$(UBOOT_TEST)/qemu.img: $(TEST_IMAGE_DEPS) board/qemu-virt/boot.cmd
	scripts/mkimage.sh -b qemu-virt -a selftest -f 64 -s 64 -k $(BUILD)/Image $@ > /dev/null

$(UBOOT_TEST)/qemu-script.img: $(TEST_IMAGE_DEPS) board/qemu-virt/boot.cmd
	scripts/mkimage.sh -S -b qemu-virt -a selftest -f 32 -s 16 -k $(BUILD)/Image $@ > /dev/null

$(UBOOT_TEST)/vf2-script.img: $(TEST_IMAGE_DEPS) board/visionfive2/boot.cmd
	scripts/mkimage.sh -S -b visionfive2 -a selftest -f 32 -s 16 -k $(BUILD)/Image $@ > /dev/null

$(UBOOT_TEST)/vf2-dtb.img: $(TEST_IMAGE_DEPS) board/visionfive2/boot.cmd $(UBOOT_TEST)/qemu-128M.dtb
	scripts/mkimage.sh -S -b visionfive2 -a selftest -f 32 -s 16 -k $(BUILD)/Image \
		-d $(UBOOT_TEST)/qemu-128M.dtb $@ > /dev/null

$(UBOOT_TEST)/qemu-128M.dtb:
	@mkdir -p $(dir $@)
	$(QEMU) -machine virt,dumpdtb=$@ -cpu rv64 -m 128M -smp 2 -nographic > /dev/null 2>&1
