#include "kernel/irq.h"

#include <arch/plic.h>
#include <pagoda/errno.h>

#include "kernel/console.h"
#include "kernel/fdt.h"
#include "kernel/ipc.h"
#include "kernel/quota.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "mm/kmap.h"
#include "syscall_handlers.h"

#define MAX_SOURCES 1024

static struct irq_obj *by_source[MAX_SOURCES];
static uint32_t ndev;
static uint64_t spurious;

bool irq_init(const struct fdt_info *fdt, uint64_t hartid)
{
	if (!fdt->plic.present) {
		kprintf("irq: no PLIC in the device tree; device interrupts are off\n");
		return false;
	}
	int context = fdt_plic_context(fdt, (uint32_t)hartid, 9 /* S-mode external */);
	if (context < 0) {
		kprintf("irq: the PLIC has no S-mode context for hart %lu\n", (unsigned long)hartid);
		return false;
	}
	volatile void *regs = ioremap(fdt->plic.base, fdt->plic.size ? fdt->plic.size : 0x4000000);
	if (!regs) {
		kprintf("irq: cannot map the PLIC\n");
		return false;
	}
	ndev = MIN(fdt->plic.ndev, MAX_SOURCES - 1);
	plic_init((volatile uint8_t *)regs, ndev, (uint32_t)context);
	return true;
}

struct irq_obj *irq_create(uint32_t source)
{
	if (source == 0 || source > ndev || by_source[source])
		return NULL;
	struct irq_obj *irq = kobj_alloc(NULL, KOBJ_IRQ, sizeof *irq);
	if (!irq)
		return NULL;
	irq->source = source;
	by_source[source] = irq; /* the table's reference is the creation one */
	return irq;
}

void irq_external(void)
{
	uint32_t source;
	while ((source = plic_claim()) != 0) {
		struct irq_obj *irq = source < MAX_SOURCES ? by_source[source] : NULL;
		if (!irq || !irq->bound || irq->bound->obj.dead) {
			spurious++;
			plic_disable(source);
			plic_complete(source);
			continue;
		}
		irq->count++;
		irq->in_service = true; /* completed by irq_ack */
		notification_signal(irq->bound, 1);
	}
}

long sys_irq_bind(struct user_context *ctx, long irq_h, long ntfn_h)
{
	(void)ctx;
	struct process *p = current_thread()->proc;
	long err;
	struct handle *ih = handle_lookup(p, irq_h, KOBJ_IRQ, RIGHT_WRITE, &err);
	if (!ih)
		return err;
	struct handle *nh = handle_lookup(p, ntfn_h, KOBJ_NOTIFICATION, RIGHT_WRITE, &err);
	if (!nh)
		return err;
	struct irq_obj *irq = (struct irq_obj *)ih->obj;
	if (irq->in_service) {
		/* Claimed for a driver that never acked (it died, or its
		 * notification went): complete it, or the source stays masked in
		 * the PLIC and the new driver never hears from its device. */
		irq->in_service = false;
		plic_complete(irq->source);
	}
	if (irq->bound)
		kobj_put(&irq->bound->obj);
	kobj_get(nh->obj);
	irq->bound = (struct notification *)nh->obj;
	plic_enable(irq->source);
	return 0;
}

long sys_irq_ack(struct user_context *ctx, long irq_h)
{
	(void)ctx;
	long err;
	struct handle *ih = handle_lookup(current_thread()->proc, irq_h, KOBJ_IRQ, RIGHT_WRITE, &err);
	if (!ih)
		return err;
	struct irq_obj *irq = (struct irq_obj *)ih->obj;
	if (!irq->in_service)
		return -ERR_INVAL;
	irq->in_service = false;
	plic_complete(irq->source);
	return 0;
}
