/*
 * Interrupts as objects. Each device interrupt the device tree names
 * (PLIC source) is an interrupt object; the root task gets a handle to each.
 * irq_bind ties it to a notification: when the source fires, the kernel
 * masks it (by not completing the claim), signals the notification's bit 0,
 * and the driver calls irq_ack once it has serviced the device.
 */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include "kernel/object.h"

struct fdt_info;
struct notification;

struct irq_obj {
	struct kobject obj;
	uint32_t source;
	struct notification *bound; /* holds a reference */
	bool in_service;            /* claimed, not yet acked */
	uint64_t count;             /* times it fired */
};

/* Starts the interrupt controller for the boot hart. Returns false (and
 * says why) when there is none usable: interrupts then stay off. */
bool irq_init(const struct fdt_info *fdt, uint64_t hartid);

/* An interrupt object for PLIC source (charged to nobody: boot-time). */
struct irq_obj *irq_create(uint32_t source);

/* The external-interrupt trap: claims, signals, leaves it masked. */
void irq_external(void);

#endif
