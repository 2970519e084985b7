#include "kernel/loader.h"

#include <arch/kva.h>
#include <arch/pagetable.h>
#include <pagoda/errno.h>

#include "kernel/console.h"
#include "kernel/elf.h"
#include "kernel/fault.h"
#include "kernel/format.h"
#include "kernel/quota.h"
#include "mm/aspace.h"

static uint32_t rights_of(unsigned prot)
{
	uint32_t r = 0;
	if (prot & ELF_PROT_R)
		r |= RIGHT_READ;
	if (prot & ELF_PROT_W)
		r |= RIGHT_WRITE | RIGHT_READ;
	if (prot & ELF_PROT_X)
		r |= RIGHT_EXEC;
	return r;
}

/* Maps one fresh page at va with rights; *kva gets its kernel address. */
static long map_new_page(struct process *p, vaddr_t va, uint32_t rights, uint8_t **kva)
{
	struct frame_obj *f;
	long err = frame_obj_create(p, 0, &f);
	if (err)
		return err;
	err = aspace_map(&p->as, f, va, rights);
	if (!err && kva)
		*kva = pa_to_kva(f->pa);
	kobj_put(&f->obj); /* the mapping keeps it */
	return err;
}

/*
 * Maps seg's pages. With a pager, a writable segment's pages that hold no
 * file bytes become a region of that pager instead (a .bss costs nothing
 * until touched); the page that holds the last file byte is still loaded,
 * its tail zeroed.
 */
static long load_segment(struct process *p, const uint8_t *image, const struct elf_segment *seg,
			 const struct handle *pager)
{
	vaddr_t first = ALIGN_DOWN(seg->vaddr, PAGE_SIZE);
	vaddr_t end = ALIGN_UP(seg->vaddr + seg->memsz, PAGE_SIZE);
	vaddr_t loaded_end = end;
	if (pager && (seg->prot & ELF_PROT_W))
		loaded_end = seg->filesz ? ALIGN_UP(seg->vaddr + seg->filesz, PAGE_SIZE) : first;
	for (vaddr_t page = first; page < loaded_end; page += PAGE_SIZE) {
		uint8_t *dst;
		long err = map_new_page(p, page, rights_of(seg->prot), &dst);
		if (err)
			return err;
		/* The part of this page the file supplies (the rest stays zero). */
		uint64_t file_lo = MAX(page, seg->vaddr);
		uint64_t file_hi = MIN(page + PAGE_SIZE, seg->vaddr + seg->filesz);
		for (uint64_t va = file_lo; va < file_hi; va++)
			dst[va - page] = image[seg->offset + (va - seg->vaddr)];
	}
	if (loaded_end == end)
		return 0;
	/* elf_parse kept segments page-disjoint and inside the image range. */
	long err = region_check(p, loaded_end, end - loaded_end, RIGHT_READ | RIGHT_WRITE);
	return err ? err : region_insert(p, loaded_end, end - loaded_end, RIGHT_READ | RIGHT_WRITE, pager, 0);
}

/* The stack and the heap: mapped stack pages, or the pager's regions. */
static long make_stack_and_heap(struct process *p, const struct handle *pager,
				struct pg_process_info *info)
{
	const unsigned long rw = RIGHT_READ | RIGHT_WRITE;
	long err = 0;
	if (!pager) {
		/* The page below the stack stays unmapped: the guard. */
		for (vaddr_t va = USER_STACK_TOP - USER_STACK_SIZE; va < USER_STACK_TOP && !err; va += PAGE_SIZE)
			err = map_new_page(p, va, rw, NULL);
		info->heap_end = USER_STACK_TOP - USER_STACK_SIZE - PAGE_SIZE;
		return err;
	}
	const vaddr_t stack = USER_STACK_TOP - USER_PAGED_STACK_SIZE;
	const size_t heap = USER_PAGED_HEAP_END - USER_HEAP_BASE;
	if ((err = region_check(p, stack, USER_PAGED_STACK_SIZE, rw)) ||
	    (err = region_insert(p, stack, USER_PAGED_STACK_SIZE, rw, pager, 0)) ||
	    (err = region_check(p, USER_HEAP_BASE, heap, rw)) ||
	    (err = region_insert(p, USER_HEAP_BASE, heap, rw, pager, 0)))
		return err;
	info->flags |= INFO_ANON_PAGED;
	info->heap_end = USER_PAGED_HEAP_END;
	return 0;
}

struct pg_process_info *loader_info_page(struct process *p)
{
	paddr_t pa = pt_translate(p->as.root, USER_INFO_PAGE);
	return pa == PADDR_NONE ? NULL : pa_to_kva(pa);
}

int loader_spawn(struct process *parent, const char *name, const void *image, size_t len,
		 const struct spawn_opts *opts, struct process **out)
{
	static struct elf_image elf;
	static char why[160];
	int rc = elf_parse(image, len, USER_IMAGE_BASE, USER_HEAP_BASE, &elf, why, sizeof why);
	if (rc < 0) {
		kprintf("spawn: refused image '%s': %s\n", name, why);
		return -ERR_BADFORMAT;
	}
	if (opts->priority > PRIORITY_MAX)
		return -ERR_RANGE;

	long err = 0;
	struct process *p = process_create(parent, name, opts->quota, &err);
	if (!p)
		return (int)err;
	p->suspended = opts->suspended;
	uint8_t *info_page = NULL;
	err = map_new_page(p, USER_INFO_PAGE, RIGHT_READ, &info_page);
	struct pg_process_info *info = (struct pg_process_info *)info_page;
	for (unsigned i = 0; i < elf.nsegments && !err; i++)
		err = load_segment(p, image, &elf.seg[i], opts->pager);
	if (!err)
		err = make_stack_and_heap(p, opts->pager, info);
	const struct handle *boot = opts->bootstrap;
	if (!err && boot && handle_install(p, boot->obj, boot->rights, boot->badge) < 0)
		err = -ERR_NOSPC;
	struct thread *t = NULL;
	if (!err) {
		info->pid = p->pid;
		ksnprintf(info->name, sizeof info->name, "%s", name);
		t = thread_create(p, elf.entry, USER_STACK_TOP, boot ? HANDLE_BOOTSTRAP : (uint64_t)HANDLE_NONE,
				  USER_INFO_PAGE, opts->priority, &err);
	}
	if (!t) {
		process_exit(p, err);
		kobj_put(&p->obj);
		return (int)err;
	}
	*out = p;
	return 0;
}
