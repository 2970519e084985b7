/*
 * The Pagoda system-call ABI, shared by the kernel and user space.
 * (The call numbers and stubs are generated from kernel/syscalls.tbl.)
 *
 * A system call is `ecall` from U-mode with the call number in a7 and up to
 * seven arguments in a0..a6. It returns a status in a0: >= 0 on success
 * (a value for calls that return one), or a negative ERR_* code from
 * <pagoda/errno.h>. IPC calls also return a message in a1..a7:
 *
 *   a1 = message info   a2..a5 = message words 0..3
 *   a6 = sender's badge  a7 = handle received, or HANDLE_NONE
 *
 * Message info:
 *   63                         16 15        4  3   2      0
 *  +-----------------------------+-----------+---+--------+
 *  |            label            |  (zero)   | H | length |
 *  +-----------------------------+-----------+---+--------+
 *   length: message words used (0..4); H: a handle is transferred.
 */
#ifndef PAGODA_ABI_H
#define PAGODA_ABI_H

#define MSG_WORDS 4
#define MSG_LENGTH_MASK 0x7UL
#define MSG_HAS_HANDLE (1UL << 3)
#define MSG_LABEL_SHIFT 16
#define MSG_INFO(label, length, has_handle) \
	(((unsigned long)(label) << MSG_LABEL_SHIFT) | ((has_handle) ? MSG_HAS_HANDLE : 0) | \
	 ((unsigned long)(length) & MSG_LENGTH_MASK))
#define MSG_LABEL(info) ((unsigned long)(info) >> MSG_LABEL_SHIFT)
#define MSG_LENGTH(info) ((unsigned long)(info) & MSG_LENGTH_MASK)

/*
 * Handles are small integers indexing the caller's handle table: always
 * 0 <= h < HANDLE_TABLE_MAX, so HANDLE_TABLE_MAX (like any negative number)
 * never names anything. A new handle takes the lowest free number; a number
 * never changes while the handle lives. The table starts with 256 slots and
 * the kernel doubles it, up to HANDLE_TABLE_MAX, when a handle is added to
 * a full one; the larger table is charged to the process's quota. A call
 * that would add a handle when the table cannot grow (HANDLE_TABLE_MAX in
 * use, or no quota or memory for the doubled table) fails with
 * -ERR_NOSPC and changes nothing; a handle received in a message is then
 * reported as -ERR_NOSPC in place of its number.
 */
#define HANDLE_NONE (-1L)
#define HANDLE_TABLE_MAX 16384

/* Rights on a handle. They can only be reduced (handle_mint, transfer). */
#define RIGHT_READ (1UL << 0)  /* endpoint: recv; frame: map readable */
#define RIGHT_WRITE (1UL << 1) /* endpoint: send/call; frame: map writable */
#define RIGHT_EXEC (1UL << 2)  /* frame: map executable */
#define RIGHT_GRANT (1UL << 3) /* endpoint: may carry handles */
#define RIGHT_ALL (RIGHT_READ | RIGHT_WRITE | RIGHT_EXEC | RIGHT_GRANT)

/* Handles every process starts with. */
#define HANDLE_SELF 0      /* the process itself */
#define HANDLE_BOOTSTRAP 1 /* what its creator passed (root task: none) */

/*
 * A process's address space (Sv39 user half, 256 GiB):
 *
 *   0x0000_0000_0000_0000  unmapped (null pointers fault)
 *   0x0000_0000_0001_0000  USER_IMAGE_BASE: ELF segments go at or above this
 *   0x0000_0010_0000_0000  USER_HEAP_BASE: where the runtime's sbrk grows
 *   0x0000_0020_0000_0000  USER_ARCHIVE_BASE: root task only, the boot archive
 *   0x0000_003f_fffd_f000  the stack's guard page (never mapped)
 *   0x0000_003f_fffe_0000  USER_STACK_TOP - USER_STACK_SIZE: the stack
 *                          (64 KiB, mapped when the process starts)
 *   0x0000_003f_ffff_0000  USER_STACK_TOP; above it the kernel's page of
 *                          process information (read-only, one page)
 *   0x0000_0040_0000_0000  USER_TOP: the kernel half begins (never mapped)
 *
 * A new process's first thread starts at the ELF entry with sp =
 * USER_STACK_TOP, a0 = HANDLE_BOOTSTRAP if its creator passed a handle
 * (else HANDLE_NONE), a1 = USER_INFO_PAGE.
 *
 * A process spawned with a pager (process_spawn's `pager`) has its
 * anonymous memory served by that pager instead, and none of it mapped
 * at spawn: three kinds of region, read-write, with the pager handle's
 * badge and no timeout:
 *   - the pages of its writable segments that hold no file bytes (.bss);
 *   - the heap, [USER_HEAP_BASE, USER_PAGED_HEAP_END): sbrk only moves the
 *     break (the info page says INFO_ANON_PAGED and heap_end);
 *   - the stack, USER_PAGED_STACK_SIZE below USER_STACK_TOP (its guard page
 *     below that).
 * Pages holding file bytes (text, data) are mapped at spawn as always.
 */
#define USER_IMAGE_BASE 0x10000UL
#define USER_HEAP_BASE 0x1000000000UL
#define USER_STACK_TOP 0x3fffff0000UL
#define USER_STACK_SIZE (64UL << 10)
#define USER_INFO_PAGE USER_STACK_TOP
#define USER_PAGED_STACK_SIZE (1UL << 20)   /* a paged stack costs only what is touched */
#define USER_PAGED_HEAP_END 0x2000000000UL  /* 64 GiB of heap (USER_ARCHIVE_BASE) */

/* process_spawn's flags. */
#define SPAWN_SUSPENDED 1UL /* the first thread waits for process_start */

/* The read-only page at USER_INFO_PAGE: who the process is and, for the
 * root task, the devices it was given. */
#define INFO_MAX_DEVICES 16
struct pg_device_info {
	unsigned long base, size; /* physical MMIO window */
	long handle;              /* a frame handle for device_map / map */
	long irq_handle;          /* an interrupt handle, or HANDLE_NONE */
	unsigned irq;             /* the PLIC source, 0 if none */
	char kind[20];            /* "virtio,mmio", "uart" */
};

struct pg_process_info {
	long pid;
	char name[24];
	unsigned long ndevices;
	struct pg_device_info devices[INFO_MAX_DEVICES];
	unsigned long boot_archive_size; /* root task: the archive is mapped read-only */
	unsigned long boot_archive_va;   /* at this address (0 if none) */
	char bootargs[128];              /* the kernel command line */
	unsigned long flags;             /* INFO_* */
	unsigned long heap_end;          /* sbrk's limit: the heap is [USER_HEAP_BASE, heap_end) */
};

#define INFO_ANON_PAGED 1UL /* heap, stack and .bss are a pager's regions */

#define USER_ARCHIVE_BASE 0x2000000000UL /* root task: the boot archive, read-only */

/* Priorities: 0 (lowest) .. PRIORITY_MAX; the idle loop is below 0. */
#define PRIORITY_MAX 31

/* sysinfo() selectors. */
#define SYSINFO_FREE_FRAMES 0
#define SYSINFO_TOTAL_FRAMES 1
#define SYSINFO_TICKS 2
#define SYSINFO_TIMEBASE_HZ 3
#define SYSINFO_QUOTA_LEFT 4 /* bytes the calling process may still charge */
#define SYSINFO_TLB_FLUSHES 5 /* sfence.vma the kernel has issued since boot */
#define SYSINFO_ASID_BITS 6   /* the hart's ASID width (0: every switch flushes all) */

#endif
