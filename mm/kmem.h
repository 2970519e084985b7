/*
 * Small kernel objects (threads, endpoints, handle tables, ...): one slab
 * cache per power-of-two size class from 64 bytes to 2 KiB, each slab one
 * frame. Objects are zeroed on allocation.
 *
 * Memory charging is the caller's business (kernel/quota.h): kmem only
 * reports the rounded size an allocation really takes (kmem_charge_size).
 */
#ifndef MM_KMEM_H
#define MM_KMEM_H

#include "kernel/types.h"

#define KMEM_MAX_SIZE 2048

/* A zeroed object of at least size bytes (1..KMEM_MAX_SIZE), 16-byte
 * aligned, or NULL when no frame is free. */
void *kmem_alloc(size_t size);

/* Returns an object from kmem_alloc; an empty slab goes back to the frame
 * allocator. Freeing anything else panics. */
void kmem_free(void *obj);

/* The bytes an allocation of size really occupies (its size class). */
size_t kmem_charge_size(size_t size);

#endif
