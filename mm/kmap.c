#include "mm/kmap.h"

#include <arch/kva.h>
#include <arch/pagetable.h>
#include <arch/sections.h>
#include <arch/tlb.h>
#include <pagoda/errno.h>

#include "kernel/panic.h"

paddr_t kernel_root;

extern char boot_stack_slot[];

static paddr_t image_pa(paddr_t load_pa, const char *sym)
{
	return load_pa + (paddr_t)(sym - _image_start);
}

static int map_image_part(paddr_t load_pa, const char *start, const char *end, unsigned prot)
{
	if (end <= start)
		return 0;
	return pt_map(kernel_root, (vaddr_t)(uintptr_t)start, image_pa(load_pa, start),
		      (size_t)(end - start), prot | PT_GLOBAL, false);
}

/* Pre-creates the level-1 table behind a kernel root entry. */
static int reserve_root_entry(vaddr_t region)
{
	pte_t *root = pa_to_kva(kernel_root);
	paddr_t table = frame_alloc_zeroed();
	if (table == PADDR_NONE)
		return -ERR_NOMEM;
	root[PT_INDEX(region, 2)] = pte_make(table, PTE_V);
	return 0;
}

int kmap_init(const struct phys_range *ram, unsigned n, paddr_t load_pa)
{
	kernel_root = frame_alloc_zeroed();
	if (kernel_root == PADDR_NONE)
		return -ERR_NOMEM;

	int err = 0;
	for (unsigned i = 0; i < n && !err; i++) {
		if (ram[i].end > DMAP_SIZE)
			err = -ERR_RANGE;
		else
			err = pt_map(kernel_root, DMAP_BASE + ram[i].base, ram[i].base,
				     ram[i].end - ram[i].base, PT_READ | PT_WRITE | PT_GLOBAL, true);
	}

	char *guard = boot_stack_slot;
	if (!err)
		err = map_image_part(load_pa, _text_start, _text_end, PT_READ | PT_EXEC);
	if (!err)
		err = map_image_part(load_pa, _rodata_start, _rodata_end, PT_READ);
	if (!err)
		err = map_image_part(load_pa, _data_start, _data_end, PT_READ | PT_WRITE);
	if (!err)
		err = map_image_part(load_pa, _bss_start, guard, PT_READ | PT_WRITE);
	if (!err)
		err = map_image_part(load_pa, guard + PAGE_SIZE, _bss_end, PT_READ | PT_WRITE);
	if (!err)
		err = reserve_root_entry(KSTACK_REGION_BASE);
	if (!err)
		err = reserve_root_entry(IOMAP_REGION_BASE);
	if (err)
		return err; /* the half-built table is abandoned: boot stops anyway */

	tlb_switch_root(kernel_root, 0);
	tlb_flush_all();
	return 0;
}

static vaddr_t iomap_next = IOMAP_REGION_BASE;

volatile void *ioremap(paddr_t pa, size_t size)
{
	paddr_t first = ALIGN_DOWN(pa, PAGE_SIZE);
	size_t length = ALIGN_UP(pa + size, PAGE_SIZE) - first;
	if (size == 0 || pa + size < pa || length > IOMAP_REGION_BASE + IOMAP_REGION_SIZE - iomap_next)
		return NULL;
	if (pt_map(kernel_root, iomap_next, first, length, PT_READ | PT_WRITE | PT_GLOBAL, false))
		return NULL;
	vaddr_t va = iomap_next + (pa - first);
	iomap_next += length + PAGE_SIZE; /* an unmapped page between windows */
	return (volatile void *)(uintptr_t)va;
}

/* One bit per slot of the kernel-stack region. */
#define KSTACK_SLOTS (KSTACK_REGION_SIZE / KSTACK_SLOT_SIZE)
static uint64_t kstack_used[KSTACK_SLOTS / 64];

/* Unmaps and frees pages 1..count of the stack slot at base. */
static void kstack_release_pages(vaddr_t base, unsigned count)
{
	for (unsigned i = 1; i <= count; i++) {
		vaddr_t va = base + PAGE_SIZE * i;
		paddr_t frame = pt_translate(kernel_root, va);
		pt_unmap(kernel_root, va, PAGE_SIZE);
		tlb_flush_kernel_page(va);
		frame_free(frame);
	}
}

uint64_t kstack_alloc(void)
{
	for (unsigned slot = 0; slot < KSTACK_SLOTS; slot++) {
		if (kstack_used[slot / 64] & (1UL << (slot % 64)))
			continue;
		vaddr_t base = KSTACK_REGION_BASE + (vaddr_t)slot * KSTACK_SLOT_SIZE;
		unsigned mapped = 0;
		for (; mapped < KSTACK_SLOT_PAGES - 1; mapped++) {
			paddr_t frame = frame_alloc_zeroed();
			if (frame == PADDR_NONE)
				break;
			vaddr_t va = base + PAGE_SIZE * (mapped + 1);
			if (pt_map(kernel_root, va, frame, PAGE_SIZE, PT_READ | PT_WRITE | PT_GLOBAL, false)) {
				frame_free(frame);
				break;
			}
		}
		if (mapped < KSTACK_SLOT_PAGES - 1) {
			/* Undo the partial stack; the caller sees plain failure. */
			kstack_release_pages(base, mapped);
			return 0;
		}
		kstack_used[slot / 64] |= 1UL << (slot % 64);
		return base + KSTACK_SLOT_SIZE;
	}
	return 0;
}

void kstack_free(uint64_t top)
{
	vaddr_t base = top - KSTACK_SLOT_SIZE;
	uint64_t slot = (base - KSTACK_REGION_BASE) / KSTACK_SLOT_SIZE;
	if (top < KSTACK_REGION_BASE + KSTACK_SLOT_SIZE || !IS_ALIGNED(top, KSTACK_SLOT_SIZE) ||
	    slot >= KSTACK_SLOTS || !(kstack_used[slot / 64] & (1UL << (slot % 64))))
		panic("kstack_free: 0x%lx is not an allocated kernel stack", (unsigned long)top);
	kstack_release_pages(base, KSTACK_SLOT_PAGES - 1);
	kstack_used[slot / 64] &= ~(1UL << (slot % 64));
}
