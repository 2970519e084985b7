#include "kernel/ksyms.h"

#include "kernel/format.h"

/* Emitted by scripts/gen-ksyms.py (build/ksyms.S): sorted addresses and,
 * for each, an offset into the name blob. */
extern const uint64_t ksyms_count;
extern const uint64_t ksyms_addrs[];
extern const uint32_t ksyms_name_offsets[];
extern const char ksyms_names[];
extern char _text_start[], _text_end[];

uint64_t ksyms_describe(uint64_t addr, char *buf, size_t len)
{
	if (addr < (uint64_t)(uintptr_t)_text_start || addr >= (uint64_t)(uintptr_t)_text_end ||
	    ksyms_count == 0 || addr < ksyms_addrs[0]) {
		ksnprintf(buf, len, "?");
		return 0;
	}
	/* The last symbol at or below addr. */
	uint64_t lo = 0, hi = ksyms_count;
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (ksyms_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	ksnprintf(buf, len, "%s+0x%lx", &ksyms_names[ksyms_name_offsets[lo]],
		  (unsigned long)(addr - ksyms_addrs[lo]));
	return ksyms_addrs[lo];
}
