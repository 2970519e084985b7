/*
 * init's console (console.h): a line editor on the UART (its receive
 * interrupt through a notification, as uart_irq_test.c does), the swap
 * pager (user/swapper/) started on the first virtio-blk disk, and commands
 * that use it and report on it, named after their Linux cousins:
 *
 *   memtest SIZE     one child, whose heap, stack and .bss the swapper
 *                    serves, allocates SIZE, writes every word of every
 *                    page, then verifies all
 *   memtest4 SIZE    four such children at once (4 x SIZE in all)
 *   swapbench SIZE   disk and swap throughput (make bench; swapbench.c)
 *   replay TRACE     a replacement-policy trace through the swapper
 *   vmstat [N]       page-ins, page-outs, faults, free frames; N lines ~1 s
 *                    apart (the first since boot, the others per interval)
 *   free             RAM (the kernel's frames, the swapper's pool), swap
 *   swapon -s        swap devices: name, type, size, used (KiB)
 *   help, poweroff
 *
 * The swapper's pool grows while the machine has free frames above the
 * low watermark, up to its cap (SWAP_MAX_POOL, or swappool=): a memtest
 * bigger than that pages (swapclient.c starts the children).
 */
#include <pagoda/child.h>
#include <pagoda/ipc.h>
#include <pagoda/libpager.h>
#include <pagoda/runtime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "init.h"
#include "swapclient.h"
#include "user/swapper/swapper.h"

#define PAGE 4096UL
#define MAX_KIDS 4
#define UART_VA 0x2100000000UL  /* as uart_irq_test.c: free in init */
#define TICKS_PER_SECOND 100    /* the kernel's TIMER_HZ */
#define LINE_MAX 120

/* ---- the command line ------------------------------------------------------ */

static int bootarg_cmds(const char **start, size_t *len)
{
	return (*start = bootarg_value("cmds=", len)) != NULL;
}

int console_wanted(void)
{
	const char *s;
	size_t n;
	return bootarg_cmds(&s, &n) || swap_find_disk() != NULL;
}

/* ---- memtest --------------------------------------------------------------- */

/* "256K", "4M", "1G", "65536" (bytes) -> bytes, rounded up to pages; 0: bad. */
static unsigned long parse_size(const char *s)
{
	char *end;
	unsigned long n = strtoul(s, &end, 10);
	if (end == s)
		return 0;
	switch (*end) {
	case 'k': case 'K': n <<= 10; end++; break;
	case 'm': case 'M': n <<= 20; end++; break;
	case 'g': case 'G': n <<= 30; end++; break;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end || n > SWAPCLIENT_MAX)
		return 0;
	return (n + PAGE - 1) & ~(PAGE - 1);
}

static const char *size_text(unsigned long bytes, char *buf, size_t len)
{
	if (bytes && bytes % (1UL << 30) == 0)
		snprintf(buf, len, "%luG", bytes >> 30);
	else if (bytes && bytes % (1UL << 20) == 0)
		snprintf(buf, len, "%luM", bytes >> 20);
	else
		snprintf(buf, len, "%luK", bytes >> 10);
	return buf;
}

static unsigned long ticks(void)
{
	return (unsigned long)pg_sysinfo(SYSINFO_TICKS);
}

static void memtest(const char *name, unsigned nkids, const char *arg)
{
	unsigned long size = arg ? parse_size(arg) : 0;
	char sz[24];
	if (!size) {
		printf("usage: %s SIZE (like 256K, 4M, 16M; at most %luM)\n", name,
		       SWAPCLIENT_MAX >> 20);
		return;
	}
	size_text(size, sz, sizeof sz);
	struct swapstats before, after;
	if (swap_stats(&before) < 0) {
		printf("%s: no swap\n", name);
		return;
	}
	unsigned long room = (before.total - before.used + before.free) * PAGE;
	if (nkids * size > room) {
		printf("%s: %s%s is more than the swap and pool free (%luK)\n", name,
		       nkids > 1 ? "4 x " : "", sz, room >> 10);
		return;
	}
	struct kid kids[MAX_KIDS];
	long status[MAX_KIDS], rc = 0;
	unsigned started = 0;
	unsigned long t0 = ticks();
	for (; started < nkids && rc >= 0; started++) {
		rc = kid_memtest_start(&kids[started], size, 0x5eed0000UL + started * 77,
				       MEMTEST_SEQ);
	}
	for (unsigned i = 0; i < started; i++)
		status[i] = kid_end(&kids[i], rc < 0);
	unsigned long dt = ticks() - t0;
	swap_stats(&after);
	if (rc < 0) {
		printf("%s: cannot start a child: %s\n", name, err_text(rc));
		return;
	}
	long bad = 0;
	for (unsigned i = 0; i < nkids; i++) {
		if (status[i] < 0)
			printf("%s: child %u: %s FAILED: it ended with %s\n", name, i + 1, sz,
			       err_text(status[i]));
		else if (nkids > 1)
			printf("%s: child %u: %s verified, %ld mismatched words\n", name, i + 1, sz,
			       status[i]);
		bad += status[i] < 0 ? 0 : status[i];
	}
	if (nkids == 1 && status[0] >= 0)
		printf("%s: %s verified, %ld mismatched words\n", name, sz, bad);
	else if (nkids > 1)
		printf("%s: %u x %s verified, %ld mismatched words\n", name, nkids, sz, bad);
	printf("%s: %lu pages in %lu.%02lu s: %lu page-outs, %lu page-ins, %lu faults\n", name,
	       nkids * size / PAGE, dt / TICKS_PER_SECOND, dt % TICKS_PER_SECOND,
	       after.pageouts - before.pageouts, after.pageins - before.pageins,
	       after.faults - before.faults);
}

/* ---- statistics ------------------------------------------------------------- */

static void vmstat(const char *arg)
{
	long n = arg ? strtol(arg, NULL, 10) : 1;
	if (n < 1)
		n = 1;
	struct swapstats prev = { 0 }, s;
	printf("%10s %10s %10s %10s %10s\n", "page-ins", "page-outs", "faults", "pool-free",
	       "ram-free");
	for (long i = 0; i < n; i++) {
		if (i) { /* about a second */
			unsigned long t = ticks();
			while (ticks() - t < TICKS_PER_SECOND)
				pg_yield();
		}
		swap_stats(&s);
		printf("%10lu %10lu %10lu %10lu %10ld\n", s.pageins - prev.pageins,
		       s.pageouts - prev.pageouts, s.faults - prev.faults, s.free,
		       pg_sysinfo(SYSINFO_FREE_FRAMES));
		prev = s;
	}
}

static void free_cmd(void)
{
	struct swapstats s;
	swap_stats(&s);
	unsigned long total = (unsigned long)pg_sysinfo(SYSINFO_TOTAL_FRAMES) * 4;
	unsigned long freek = (unsigned long)pg_sysinfo(SYSINFO_FREE_FRAMES) * 4;
	printf("%-6s %12s %12s %12s   (KiB)\n", "", "total", "used", "free");
	printf("%-6s %12lu %12lu %12lu\n", "Mem:", total, total - freek, freek);
	printf("%-6s %12lu %12lu %12lu   (the swapper's frames, in Mem's used)\n", "Pool:",
	       s.pool * 4, (s.pool - s.free) * 4, s.free * 4);
	printf("%-6s %12lu %12lu %12lu\n", "Swap:", s.total * 4, s.used * 4,
	       (s.total - s.used) * 4);
}

static void swapon(const char *arg)
{
	if (!arg || strcmp(arg, "-s") != 0) {
		printf("usage: swapon -s\n");
		return;
	}
	struct swapstats s;
	printf("%-28s %-10s %10s %10s %9s\n", "Filename", "Type", "Size", "Used", "Priority");
	if (swap_stats(&s) == 0)
		printf("%-28s %-10s %10lu %10lu %9d\n", swap_name, swap_type, s.total * 4, s.used * 4,
		       -2);
}

static void help(void)
{
	printf("commands:\n"
	       "  memtest SIZE     a child writes SIZE (256K, 4M, 16M...) of swapped memory, verifies it\n"
	       "  memtest4 SIZE    four such children at once\n"
	       "  swapbench SIZE   disk and swap throughput (make bench; SIZE like 32M)\n"
	       "  replay TRACE     a policy-comparison trace through the swapper: its faults\n"
	       "  vmstat [N]       paging counters; N lines about 1 s apart (then per interval)\n"
	       "  free             memory and swap, in KiB\n"
	       "  swapon -s        swap devices\n"
	       "  help             this\n"
	       "  poweroff         end init: the machine powers off\n");
}

/* Runs one command line; returns 1 for poweroff. */
static int run(char *line)
{
	char *argv[4] = { 0 };
	int argc = 0;
	for (char *p = strtok(line, " \t"); p && argc < 4; p = strtok(NULL, " \t"))
		argv[argc++] = p;
	if (!argc)
		return 0;
	if (!strcmp(argv[0], "memtest"))
		memtest("memtest", 1, argv[1]);
	else if (!strcmp(argv[0], "memtest4"))
		memtest("memtest4", MAX_KIDS, argv[1]);
	else if (!strcmp(argv[0], "swapbench")) {
		unsigned long size = argv[1] ? parse_size(argv[1]) : 0;
		if (size)
			swapbench(size);
		else
			printf("usage: swapbench SIZE (make bench's swap throughput; like 32M)\n");
	} else if (!strcmp(argv[0], "replay"))
		replay(argv[1]);
	else if (!strcmp(argv[0], "vmstat"))
		vmstat(argv[1]);
	else if (!strcmp(argv[0], "free"))
		free_cmd();
	else if (!strcmp(argv[0], "swapon"))
		swapon(argv[1]);
	else if (!strcmp(argv[0], "help"))
		help();
	else if (!strcmp(argv[0], "poweroff"))
		return 1;
	else
		printf("%s: unknown command (try help)\n", argv[0]);
	return 0;
}

/* ---- the UART ----------------------------------------------------------------- */

enum { REG_RBR = 0, REG_IER = 1, REG_LSR = 5 };
#define LSR_DATA_READY 0x01

static volatile unsigned char *uart;
static const struct pg_device_info *uart_dev;
static long uart_note = HANDLE_NONE;

static int uart_open(void)
{
	const struct pg_process_info *info = runtime_info();
	for (unsigned long i = 0; i < info->ndevices && i < INFO_MAX_DEVICES; i++)
		if (strcmp(info->devices[i].kind, "uart") == 0)
			uart_dev = &info->devices[i];
	if (!uart_dev || uart_dev->irq_handle < 0 ||
	    pg_map(HANDLE_SELF, uart_dev->handle, UART_VA, RIGHT_READ | RIGHT_WRITE) < 0)
		return -1;
	uart = (volatile unsigned char *)(UART_VA + (uart_dev->base & 0xfff));
	uart_note = pg_notification_create();
	if (uart_note < 0 || pg_irq_bind(uart_dev->irq_handle, uart_note) < 0)
		return -1;
	uart[REG_IER] = 0x01; /* receive data only: the kernel's console polls */
	return 0;
}

static int uart_getc(void)
{
	for (;;) {
		if (uart[REG_LSR] & LSR_DATA_READY)
			return uart[REG_RBR];
		long bits = pg_wait(uart_note);
		if (bits < 0)
			return -1;
		pg_irq_ack(uart_dev->irq_handle);
	}
}

static void echo(const char *s)
{
	fputs(s, stdout);
	fflush(stdout);
}

/* Reads a line with echo and backspace; returns its length, -1 at an error. */
static int read_line(char *buf, int size)
{
	static int last_cr;
	int len = 0;
	for (;;) {
		int c = uart_getc();
		if (c < 0)
			return -1;
		if (c == '\n' && last_cr) { /* CR LF: one end of line */
			last_cr = 0;
			continue;
		}
		last_cr = c == '\r';
		if (c == '\r' || c == '\n') {
			echo("\n");
			buf[len] = '\0';
			return len;
		}
		if (c == 0x7f || c == '\b') {
			if (len) {
				len--;
				echo("\b \b");
			}
		} else if (c == 0x15) { /* ^U: the whole line */
			for (; len; len--)
				echo("\b \b");
		} else if (c >= ' ' && c < 0x7f && len < size - 1) {
			buf[len++] = (char)c;
			char s[2] = { (char)c, 0 };
			echo(s);
		}
	}
}

/* ---- the console ---------------------------------------------------------------- */

int console_run(void)
{
	swapper_start();
	char line[LINE_MAX];
	const char *cmds;
	size_t ncmds;
	if (bootarg_cmds(&cmds, &ncmds)) {
		/* "memtest_16M;vmstat": ';' (or ',', which U-Boot's scripts pass
		 * through untouched) ends a command, '_' is a space. */
		for (size_t i = 0; i < ncmds;) {
			size_t n = 0;
			for (; i < ncmds && cmds[i] != ';' && cmds[i] != ','; i++)
				if (n < sizeof line - 1)
					line[n++] = cmds[i] == '_' ? ' ' : cmds[i];
			i++; /* the ';' or ',' */
			line[n] = '\0';
			printf("pagoda> %s\n", line);
			if (run(line))
				break;
		}
		printf("console: done; powering off\n");
		return 0;
	}
	if (uart_open() < 0) {
		printf("console: cannot read the UART; powering off\n");
		return 1;
	}
	printf("Pagoda console: type help for the commands\n");
	for (;;) {
		echo("pagoda> ");
		if (read_line(line, sizeof line) < 0 || run(line))
			break;
	}
	uart[REG_IER] = 0;
	printf("console: powering off\n");
	return 0;
}
