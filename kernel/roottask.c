#include "kernel/roottask.h"

#include <arch/kva.h>
#include <pagoda/errno.h>

#include "kernel/boot_info.h"
#include "kernel/console.h"
#include "kernel/cpio.h"
#include "kernel/format.h"
#include "kernel/irq.h"
#include "kernel/loader.h"
#include "kernel/quota.h"
#include "kernel/sched.h"
#include "mm/aspace.h"

#define ROOT_PRIORITY 10
/* Frames the kernel keeps for itself beyond the root task's quota. */
#define KERNEL_RESERVE_FRAMES 256

/* A frame object for memory the kernel does not own (MMIO, the archive):
 * never returned to the allocator. */
static struct frame_obj *window_create(paddr_t base, size_t size)
{
	struct frame_obj *f = kobj_alloc(NULL, KOBJ_FRAME, sizeof *f);
	if (!f)
		return NULL;
	f->pa = ALIGN_DOWN(base, PAGE_SIZE);
	f->size = ALIGN_UP(base + size, PAGE_SIZE) - f->pa;
	f->device = true;
	return f;
}

static void give_device(struct process *root, struct pg_process_info *info, const char *kind,
			paddr_t base, size_t size, uint32_t irq_source)
{
	if (info->ndevices == INFO_MAX_DEVICES)
		return;
	struct pg_device_info *d = &info->devices[info->ndevices];
	struct frame_obj *window = window_create(base, size ? size : PAGE_SIZE);
	if (!window)
		return;
	d->handle = handle_install(root, &window->obj, RIGHT_READ | RIGHT_WRITE | RIGHT_GRANT, 0);
	kobj_put(&window->obj);
	d->base = base;
	d->size = size;
	d->irq = irq_source;
	d->irq_handle = HANDLE_NONE;
	struct irq_obj *irq = irq_source ? irq_create(irq_source) : NULL;
	if (irq)
		d->irq_handle = handle_install(root, &irq->obj, RIGHT_READ | RIGHT_WRITE | RIGHT_GRANT, 0);
	ksnprintf(d->kind, sizeof d->kind, "%s", kind);
	info->ndevices++;
}

void roottask_start(void)
{
	const struct fdt_info *fdt = &boot_info.fdt;
	if (fdt->initrd_end <= fdt->initrd_start) {
		kprintf("pagoda: no boot archive (initrd): no user space to start\n");
		return;
	}
	const void *archive = pa_to_kva(fdt->initrd_start);
	size_t archive_len = fdt->initrd_end - fdt->initrd_start;
	struct cpio_entry init;
	char why[128];
	int rc = cpio_find(archive, archive_len, "init", &init, why, sizeof why);
	if (rc < 0) {
		kprintf("pagoda: boot archive has no usable 'init': %s\n",
			rc == -ERR_NOENT ? "not found" : why);
		return;
	}

	size_t free_frames = frame_free_count();
	size_t quota = free_frames > KERNEL_RESERVE_FRAMES
			       ? (free_frames - KERNEL_RESERVE_FRAMES) * PAGE_SIZE
			       : free_frames * PAGE_SIZE / 2;
	struct process *root;
	const struct spawn_opts opts = { .priority = ROOT_PRIORITY, .quota = quota };
	rc = loader_spawn(NULL, "init", init.data, init.size, &opts, &root);
	if (rc < 0) {
		kprintf("pagoda: could not start init: %s\n", err_text(rc));
		return;
	}
	struct pg_process_info *info = loader_info_page(root);
	ksnprintf(info->bootargs, sizeof info->bootargs, "%s", fdt->bootargs);

	/* The archive, read-only, so init can start the other programs. */
	struct frame_obj *arch = window_create(fdt->initrd_start, archive_len);
	if (arch && aspace_map(&root->as, arch, USER_ARCHIVE_BASE, RIGHT_READ) == 0) {
		info->boot_archive_va = USER_ARCHIVE_BASE + (fdt->initrd_start & (PAGE_SIZE - 1));
		info->boot_archive_size = archive_len;
	}
	if (arch)
		kobj_put(&arch->obj);

	for (unsigned i = 0; i < fdt->nvirtio; i++)
		give_device(root, info, "virtio,mmio", fdt->virtio[i].base, fdt->virtio[i].size,
			    fdt->virtio[i].irq);
	if (fdt->uart.present)
		give_device(root, info, "uart", fdt->uart.base, fdt->uart.size, fdt->uart.irq);

	kprintf("pagoda: starting init (pid %u, quota %lu KiB, %lu devices)\n", root->pid,
		(unsigned long)(quota >> 10), (unsigned long)info->ndevices);
	kobj_put(&root->obj); /* its own HANDLE_SELF keeps it while it lives */
	sched_return();
}
