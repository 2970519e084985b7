#!/usr/bin/env bash
# Installs every tool Pagoda needs, from Debian's packages only.
# Safe to run again: it installs only what is missing. Uses sudo when not root.
set -euo pipefail

# command-to-check  package
need=(
  "riscv64-unknown-elf-gcc        gcc-riscv64-unknown-elf"
  "qemu-system-riscv64            qemu-system-misc"
  "dtc                            device-tree-compiler"
  "mkimage                        u-boot-tools"
  "gdb-multiarch                  gdb-multiarch"
  "mcopy                          mtools"
  "mkfs.vfat                      dosfstools"
  "sfdisk                         fdisk"
  "gnuplot                        gnuplot-nox"
  "clang                          clang"
  "cc                             gcc"
  "make                           make"
  "python3                        python3"
  "file:/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin   opensbi"
  "file:/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin            u-boot-qemu"
  "file:/usr/lib/picolibc/riscv64-unknown-elf/picolibc.specs     picolibc-riscv64-unknown-elf"
  "file:/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a libclang-rt-14-dev"
)

missing=()
for entry in "${need[@]}"; do
  read -r what pkg <<<"$entry"
  case "$what" in
    file:*) [ -e "${what#file:}" ] || missing+=("$pkg") ;;
    *) command -v "$what" >/dev/null 2>&1 || missing+=("$pkg") ;;
  esac
done

# The fuzzer runtime's path depends on the host architecture and clang version;
# accept any installed libclang_rt.fuzzer.
if printf '%s\n' "${missing[@]:-}" | grep -qx libclang-rt-14-dev; then
  if ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a >/dev/null 2>&1; then
    missing=("${missing[@]/libclang-rt-14-dev}")
  fi
fi

pkgs=()
for p in "${missing[@]:-}"; do [ -n "$p" ] && pkgs+=("$p"); done
if [ "${#pkgs[@]}" -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "deps: installing ${pkgs[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${pkgs[@]}"
