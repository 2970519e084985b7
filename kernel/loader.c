#include "kernel/loader.h"

#include <arch/kva.h>
#include <arch/pagetable.h>
#include <pagoda/errno.h>

#include "kernel/console.h"
#include "kernel/elf.h"
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

static long load_segment(struct process *p, const uint8_t *image, const struct elf_segment *seg)
{
	vaddr_t first = ALIGN_DOWN(seg->vaddr, PAGE_SIZE);
	vaddr_t end = ALIGN_UP(seg->vaddr + seg->memsz, PAGE_SIZE);
	for (vaddr_t page = first; page < end; page += PAGE_SIZE) {
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
	return 0;
}

struct pg_process_info *loader_info_page(struct process *p)
{
	paddr_t pa = pt_translate(p->as.root, USER_INFO_PAGE);
	return pa == PADDR_NONE ? NULL : pa_to_kva(pa);
}

int loader_spawn(struct process *parent, const char *name, const void *image, size_t len,
		 unsigned priority, size_t quota, const struct handle *bootstrap,
		 struct process **out)
{
	static struct elf_image elf;
	static char why[160];
	int rc = elf_parse(image, len, USER_IMAGE_BASE, USER_HEAP_BASE, &elf, why, sizeof why);
	if (rc < 0) {
		kprintf("spawn: refused image '%s': %s\n", name, why);
		return -ERR_BADFORMAT;
	}
	if (priority > PRIORITY_MAX)
		return -ERR_RANGE;

	long err = 0;
	struct process *p = process_create(parent, name, quota, &err);
	if (!p)
		return (int)err;
	for (unsigned i = 0; i < elf.nsegments && !err; i++)
		err = load_segment(p, image, &elf.seg[i]);
	/* The stack; the page below it stays unmapped: the guard. */
	for (vaddr_t va = USER_STACK_TOP - USER_STACK_SIZE; va < USER_STACK_TOP && !err; va += PAGE_SIZE)
		err = map_new_page(p, va, RIGHT_READ | RIGHT_WRITE, NULL);
	uint8_t *info_page = NULL;
	if (!err)
		err = map_new_page(p, USER_INFO_PAGE, RIGHT_READ, &info_page);
	if (!err && bootstrap && handle_install(p, bootstrap->obj, bootstrap->rights, bootstrap->badge) < 0)
		err = -ERR_NOSPC;
	struct thread *t = NULL;
	if (!err) {
		struct pg_process_info *info = (struct pg_process_info *)info_page;
		info->pid = p->pid;
		ksnprintf(info->name, sizeof info->name, "%s", name);
		t = thread_create(p, elf.entry, USER_STACK_TOP, bootstrap ? HANDLE_BOOTSTRAP : (uint64_t)HANDLE_NONE,
				  USER_INFO_PAGE, priority, &err);
	}
	if (!t) {
		process_exit(p, err);
		kobj_put(&p->obj);
		return (int)err;
	}
	*out = p;
	return 0;
}
