#include <arch/csr.h>
#include <arch/sbi.h>

struct sbi_features sbi;

static struct sbiret sbi_call(long ext, long fid, long a0, long a1, long a2)
{
	register long r_a0 __asm__("a0") = a0;
	register long r_a1 __asm__("a1") = a1;
	register long r_a2 __asm__("a2") = a2;
	register long r_a6 __asm__("a6") = fid;
	register long r_a7 __asm__("a7") = ext;
	__asm__ volatile("ecall"
			 : "+r"(r_a0), "+r"(r_a1)
			 : "r"(r_a2), "r"(r_a6), "r"(r_a7)
			 : "memory");
	return (struct sbiret){ .error = r_a0, .value = r_a1 };
}

static bool sbi_has(long ext)
{
	struct sbiret r = sbi_call(SBI_EXT_BASE, 3, ext, 0, 0);
	return r.error == 0 && r.value != 0;
}

void sbi_probe(void)
{
	sbi.spec_version = sbi_call(SBI_EXT_BASE, 0, 0, 0, 0).value;
	sbi.impl_id = sbi_call(SBI_EXT_BASE, 1, 0, 0, 0).value;
	sbi.impl_version = sbi_call(SBI_EXT_BASE, 2, 0, 0, 0).value;
	sbi.time = sbi_has(SBI_EXT_TIME);
	sbi.ipi = sbi_has(SBI_EXT_IPI);
	sbi.rfence = sbi_has(SBI_EXT_RFENCE);
	sbi.hsm = sbi_has(SBI_EXT_HSM);
	sbi.srst = sbi_has(SBI_EXT_SRST);
	sbi.dbcn = sbi_has(SBI_EXT_DBCN);
}

void sbi_set_timer(uint64_t when)
{
	if (sbi.time)
		sbi_call(SBI_EXT_TIME, 0, (long)when, 0, 0);
	else
		sbi_call(0x00, 0, (long)when, 0, 0); /* legacy set_timer */
}

void sbi_console_putchar(char c)
{
	if (sbi.dbcn)
		sbi_call(SBI_EXT_DBCN, 2, (unsigned char)c, 0, 0); /* write_byte */
	else
		sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)c, 0, 0);
}

void sbi_shutdown(bool failure)
{
	if (sbi.srst)
		sbi_call(SBI_EXT_SRST, 0, 0 /* shutdown */, failure ? 1 : 0, 0);
	else
		sbi_call(0x08, 0, 0, 0, 0); /* legacy shutdown */
	for (;;)
		arch_wait_for_interrupt();
}

const char *sbi_impl_name(long impl_id)
{
	static const char *const names[] = { "Berkeley Boot Loader", "OpenSBI", "Xvisor",
					     "KVM", "RustSBI", "Diosix", "Coffer" };
	if (impl_id >= 0 && (unsigned long)impl_id < ARRAY_SIZE(names))
		return names[impl_id];
	return "unknown";
}
