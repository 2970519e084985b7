#include <arch/csr.h>
#include <arch/tlb.h>

unsigned tlb_asid_bits;
unsigned long tlb_flush_count; /* one per sfence.vma below */

void tlb_probe_asid_bits(void)
{
	unsigned long old = csr_read(satp);
	csr_write(satp, old | (SATP_ASID_MASK << SATP_ASID_SHIFT));
	unsigned long probed = csr_read(satp);
	csr_write(satp, old);
	unsigned long asid = (probed >> SATP_ASID_SHIFT) & SATP_ASID_MASK;
	unsigned bits = 0;
	while (asid & 1) {
		bits++;
		asid >>= 1;
	}
	tlb_asid_bits = bits;
	tlb_flush_all();
}

void tlb_flush_all(void)
{
	tlb_flush_count++;
	__asm__ volatile("sfence.vma zero, zero" ::: "memory");
}

void tlb_flush_kernel_page(vaddr_t va)
{
	tlb_flush_count++;
	__asm__ volatile("sfence.vma %0, zero" ::"r"(va) : "memory");
}

void tlb_flush_asid(unsigned asid)
{
	if (tlb_asid_bits == 0) {
		tlb_flush_all();
		return;
	}
	tlb_flush_count++;
	__asm__ volatile("sfence.vma zero, %0" ::"r"((unsigned long)asid) : "memory");
}

void tlb_flush_page(unsigned asid, vaddr_t va)
{
	if (tlb_asid_bits == 0) {
		/* Without ASIDs only one space is live in the TLB: flush by address. */
		tlb_flush_count++;
		__asm__ volatile("sfence.vma %0, zero" ::"r"(va) : "memory");
		return;
	}
	tlb_flush_count++;
	__asm__ volatile("sfence.vma %0, %1" ::"r"(va), "r"((unsigned long)asid) : "memory");
}

void tlb_flush_range(unsigned asid, vaddr_t va, size_t size)
{
	if (size > TLB_FLUSH_RANGE_PAGES * PAGE_SIZE) {
		tlb_flush_asid(asid);
		return;
	}
	for (size_t off = 0; off < size; off += PAGE_SIZE)
		tlb_flush_page(asid, va + off);
}

void tlb_switch_root(paddr_t root, unsigned asid)
{
	unsigned long satp = SATP_MODE_SV39 | (root >> 12);
	if (tlb_asid_bits)
		satp |= ((unsigned long)asid & ((1UL << tlb_asid_bits) - 1)) << SATP_ASID_SHIFT;
	csr_write(satp, satp);
	/* With ASIDs, stale entries of a recycled ASID are the ASID
	 * allocator's to flush (tlb_flush_asid) when it hands the ASID out. */
	if (tlb_asid_bits == 0 || asid == 0)
		tlb_flush_all(); /* ASID 0 is shared by spaces without their own */
}

paddr_t tlb_loaded_root(void)
{
	return (paddr_t)(csr_read(satp) & SATP_PPN_MASK) << 12;
}
