/* The root task's pieces: starting programs from the boot archive, tests. */
#ifndef USER_INIT_H
#define USER_INIT_H

#include <pagoda/syscalls.h>

/* Starts program `name` from the boot archive at priority with bootstrap
 * (a handle, or HANDLE_NONE). Returns a process handle or a negative error. */
long spawn(const char *name, unsigned long priority, long bootstrap);

/* spawn with process_spawn's other arguments: a pager for its anonymous
 * memory (HANDLE_NONE: none), its quota in bytes (0: the default) and
 * SPAWN_* flags. */
long spawn_with(const char *name, unsigned long priority, long bootstrap, long pager,
		unsigned long quota, unsigned long flags);

/* utest_mem.c: memory quota and refused images. */
void quota_exhaustion(void);
void elf_refusal(void);
void map_into_another_space(void);
void map_into_another_space_untouched(void); /* U-MEM-004 */
void map_run_all_or_none(void); /* U-MEM-005 */
void lazy_tlb_flush(void); /* U-MEM-006 */

/* utest_memwatch.c: low-memory notifications (U-MEMWATCH-*). */
void utest_memwatch_run(void);
/* utest_exitwatch.c: exit notifications (U-EXITWATCH-*). */
void utest_exitwatch_run(void);

/* utest_pager.c: page faults as IPC, pagers, regions (U-PAGER-*). */
void pager_sparse(void);
void pager_fault_fields(void);
void pager_readonly_kill(void);
void pager_shared(void);
void pager_accessed_dirty(void);
void pager_dies(void);
void pager_liar(void);
void pager_timeout(void);
void pager_refused_answer(void);
void pager_region_args(void);
void pager_runs_protect_retry(void);
void pager_kill_timed(void);       /* U-PAGER-012 */
void pager_fresh_page_clean(void); /* U-PAGER-013 */
void pager_answer_marks(void);     /* U-PAGER-014 */

/* bootargs.c: whether the command line holds the word `word` by itself. */
int has_bootarg(const char *word);

/* bootargs.c: the swap= kernel argument as SWAP_START's where and label
 * (0, or -ERR_INVAL after saying what is wrong). */
int swap_where_from_bootargs(unsigned long *where, unsigned long *label);
/* bootargs.c: the swappolicy= kernel argument as SWAP_START's policy
 * number (SWAP_POLICY_DEFAULT when absent); *given says whether it was
 * there. An unknown name is reported and gives a number the swapper
 * refuses. */
unsigned long swap_policy_from_bootargs(int *given);
/* bootargs.c: SWAP_START's w0 from swappolicy=, swappool= and swapra=
 * (defaults when absent; bad values are reported and give values the
 * swapper refuses). */
unsigned long swap_start_word_from_bootargs(void);
/* bootargs.c: the value of the boot argument key ("cmds=", with its '='):
 * a pointer into the command line and its length up to the next space, or
 * NULL if no argument starts with key. */
const char *bootarg_value(const char *key, size_t *len);

/* Runs the user-space test suite; returns the number of failed tests. */
int utest_run(void);

/* U-IRQ-001 (uart_irq_test.c), which needs QEMU to feed the serial port:
 * the test, and the suite of it alone (boot argument "irqtest"). */
#define UART_IRQ_TEST_DESC "a user-space handler receives the UART interrupt through a notification"
void uart_irq_test(void);
int irqtest_run(void);
int blktest_run(void); /* blktest_start.c: boot argument "blktest" */
int swaptest_run(void); /* utest_swap.c: boot argument "swaptest" (U-SWAP-*) */
/* utest_swaperr.c: with "swaptest", one of swaperr-write, swaperr-read,
 * swaperr-pager runs U-SWAP-010, -011, -012 on the started swapper (its
 * process handle; swapper_ep, swapclient.h); returns 0 if none of them
 * was given. */
int swaperr_run(long swapper_proc);
/* utest_swaptrim.c: with "swaptest swaptrim", U-SWAP-013 (the low
 * watermark); the SWAP_START word (a watermark below the free frames now)
 * must come from swaptrim_start_word. */
unsigned long swaptrim_start_word(unsigned long policy);
void swaptrim_run(void);

#endif
