/*
 * Starting a process from a static RISC-V ELF executable: the root task
 * from the boot archive, and children through process_spawn.
 */
#ifndef KERNEL_LOADER_H
#define KERNEL_LOADER_H

#include "kernel/process.h"

#define SPAWN_DEFAULT_QUOTA (4UL << 20) /* bytes of memory a spawned child may use */

struct frame_obj;

/* How to start a process (loader_spawn). */
struct spawn_opts {
	unsigned priority;              /* of its first thread */
	size_t quota;                   /* bytes carved from the parent's quota */
	const struct handle *bootstrap; /* installed as HANDLE_BOOTSTRAP; NULL: none */
	const struct handle *pager;     /* an endpoint handle: serves its anonymous
					 * memory (<pagoda/abi.h>); NULL: mapped at spawn */
	bool suspended;                 /* wait for process_start */
};

/*
 * Validates image completely (kernel/elf.c) before creating anything;
 * a bad image is refused with a console line naming the fault and
 * -ERR_BADFORMAT. Then creates the process (quota carved from parent's),
 * maps its segments (W^X, bss zeroed), a USER_STACK_SIZE stack above an
 * unmapped guard page and its info page, installs opts->bootstrap as
 * HANDLE_BOOTSTRAP, and queues its first thread at opts->priority. With
 * opts->pager, the stack, heap and whole-zero pages of writable segments
 * are that pager's regions instead (<pagoda/abi.h>). On any failure
 * everything made so far is undone. On success *out holds one reference
 * for the caller.
 */
int loader_spawn(struct process *parent, const char *name, const void *image, size_t len,
		 const struct spawn_opts *opts, struct process **out);

/* The info page of p, for the kernel to fill (root task devices). */
struct pg_process_info *loader_info_page(struct process *p);

/* A zeroed frame object of 2^order pages charged to p (one reference). */
long frame_obj_create(struct process *p, unsigned order, struct frame_obj **out);

#endif
