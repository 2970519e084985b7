/* Symbols the linker script (arch/riscv/kernel.ld) defines. */
#ifndef ARCH_SECTIONS_H
#define ARCH_SECTIONS_H

extern char _image_start[], _image_end[];
extern char _text_start[], _text_end[];
extern char _rodata_start[], _rodata_end[];
extern char _data_start[], _data_end[];
extern char _bss_start[], _bss_end[];

#endif
