/*
 * A tiny static RISC-V program for tests/host/elf_test.c: built by
 * tests/host/elf_test.mk into build/test-elf/sample.elf with the real
 * toolchain (never run). It has text, read-only data, data and bss, so the
 * linker emits an R+X segment and an R+W segment with memsz > filesz.
 */
const char sample_greeting[] = "hello from a sample ELF";
int sample_counter = 42;    /* .sdata */
char sample_scratch[8192];  /* .bss */

void _start(void)
{
	unsigned i;
	for (i = 0; i < sizeof sample_greeting; i++)
		sample_scratch[i] = (char)(sample_greeting[i] + sample_counter);
	sample_counter++;
	for (;;)
		__asm__ volatile("wfi");
}
