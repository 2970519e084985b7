/* Threads with C in them: see thread_start in <pagoda/runtime.h>. */
#include <pagoda/runtime.h>

void __pagoda_thread_start(void);
void __pagoda_thread_main(void (*fn)(unsigned long), unsigned long arg);

void __pagoda_thread_main(void (*fn)(unsigned long), unsigned long arg)
{
	fn(arg);
	pg_thread_exit(0);
	for (;;)
		__builtin_trap(); /* thread_exit does not return */
}

long thread_start(void (*fn)(unsigned long), unsigned long arg, void *stack, unsigned long size,
		  unsigned long priority)
{
	unsigned long top = ((unsigned long)stack + size) & ~15UL;
	if (size < 64 || top - 16 < (unsigned long)stack)
		return -ERR_INVAL;
	unsigned long *words = (unsigned long *)(top - 16);
	words[0] = (unsigned long)fn;
	words[1] = arg;
	return pg_thread_create((unsigned long)__pagoda_thread_start, top - 16, 0, priority);
}
