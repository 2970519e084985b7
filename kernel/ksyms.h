/*
 * The kernel's own symbol table, for backtraces. scripts/gen-ksyms.py
 * writes it from `nm` of a first link; the final link embeds it after the
 * text, so text addresses do not move between the two links (the build
 * checks that).
 */
#ifndef KERNEL_KSYMS_H
#define KERNEL_KSYMS_H

#include "kernel/types.h"

/* Writes "function+0xoffset" for addr into buf, or "?" when addr is not in
 * kernel text. Returns the symbol's start address, or 0. */
uint64_t ksyms_describe(uint64_t addr, char *buf, size_t len);

#endif
