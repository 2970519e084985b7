#include "mm/kmem.h"

#include <arch/kva.h>

#include "kernel/panic.h"
#include "mm/frame.h"

/*
 * A slab is one frame: a header, then equal-size slots. Free slots form a
 * singly linked list through their first word. Slabs with free slots sit
 * on their class's partial list; full slabs are on no list (found again
 * from any object by rounding its address down to the frame).
 */
struct slab {
	struct slab *next, *prev; /* partial list */
	void *free;               /* first free slot */
	uint16_t class_index;
	uint16_t in_use;
	uint16_t capacity;
	uint16_t magic;
};

#define SLAB_MAGIC 0x51ab
#define MIN_SHIFT 6 /* 64 bytes */
#define CLASSES 6   /* 64 .. 2048 */
#define SLAB_HEADER 64 /* header rounded up so slots stay aligned */

static struct slab *partial[CLASSES];

static unsigned class_of(size_t size)
{
	unsigned c = 0;
	while (((size_t)1 << (MIN_SHIFT + c)) < size)
		c++;
	return c;
}

size_t kmem_charge_size(size_t size)
{
	return (size_t)1 << (MIN_SHIFT + class_of(size));
}

static void list_remove(struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		partial[s->class_index] = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

static void list_push(struct slab *s)
{
	s->prev = NULL;
	s->next = partial[s->class_index];
	if (s->next)
		s->next->prev = s;
	partial[s->class_index] = s;
}

static struct slab *slab_new(unsigned c)
{
	paddr_t pa = frame_alloc();
	if (pa == PADDR_NONE)
		return NULL;
	struct slab *s = pa_to_kva(pa);
	size_t slot = (size_t)1 << (MIN_SHIFT + c);
	*s = (struct slab){ .class_index = (uint16_t)c, .magic = SLAB_MAGIC };
	s->capacity = (uint16_t)((PAGE_SIZE - SLAB_HEADER) / slot);
	uint8_t *base = (uint8_t *)s + SLAB_HEADER;
	for (int i = s->capacity - 1; i >= 0; i--) {
		void **slotp = (void **)(base + (size_t)i * slot);
		*slotp = s->free;
		s->free = slotp;
	}
	list_push(s);
	return s;
}

void *kmem_alloc(size_t size)
{
	if (size == 0 || size > KMEM_MAX_SIZE)
		panic("kmem_alloc: size %zu outside 1..%u", size, KMEM_MAX_SIZE);
	unsigned c = class_of(size);
	struct slab *s = partial[c];
	if (!s && !(s = slab_new(c)))
		return NULL;
	void **obj = s->free;
	s->free = *obj;
	if (++s->in_use == s->capacity)
		list_remove(s);
	size_t slot = (size_t)1 << (MIN_SHIFT + c);
	uint64_t *words = (uint64_t *)obj;
	for (size_t i = 0; i < slot / 8; i++)
		words[i] = 0;
	return obj;
}

void kmem_free(void *obj)
{
	struct slab *s = (struct slab *)ALIGN_DOWN((uintptr_t)obj, PAGE_SIZE);
	if (!obj || s->magic != SLAB_MAGIC || s->in_use == 0)
		panic("kmem_free: %p is not a kernel object", obj);
	size_t slot = (size_t)1 << (MIN_SHIFT + s->class_index);
	uintptr_t offset = (uintptr_t)obj - (uintptr_t)s - SLAB_HEADER;
	if ((uintptr_t)obj < (uintptr_t)s + SLAB_HEADER || offset % slot)
		panic("kmem_free: %p is not the start of a slot", obj);
	if (s->in_use-- == s->capacity)
		list_push(s);
	*(void **)obj = s->free;
	s->free = obj;
	if (s->in_use == 0) {
		list_remove(s);
		s->magic = 0;
		frame_free(kva_to_pa(s));
	}
}
