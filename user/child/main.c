/* The test drivers' obedient child: see <pagoda/child.h>. */
#include <pagoda/child.h>
#include <pagoda/ipc.h>
#include <pagoda/runtime.h>
#include <pagoda/syscalls.h>
#include <stdlib.h>
#include <string.h>

#include "user/swapper/traces.h"

const char *progname = "child";

typedef void (*code_fn)(void);

static void run_copied_ret(void *where)
{
	static const unsigned char ret_insn[] = { 0x67, 0x80, 0x00, 0x00 }; /* jalr x0, 0(ra) */
	memcpy(where, ret_insn, sizeof ret_insn);
	__asm__ volatile(".word 0x0000100f" ::: "memory"); /* fence.i */
	((code_fn)where)();
}

static unsigned long recurse(unsigned long depth)
{
	volatile char pad[512];
	pad[0] = (char)depth;
	if (depth == ~0UL)
		return 0;
	return recurse(depth + 1) + (unsigned long)pad[0];
}

static void serve_echo(long ep)
{
	struct pg_msg m = pg_recv(ep);
	for (;;) {
		if (m.status < 0)
			exit(2);
		m = pg_reply_recv(ep, MSG_INFO(m.badge, MSG_LENGTH(m.info), 0), m.w[0], m.w[1], m.w[2],
				  m.w[3], HANDLE_NONE);
	}
}

/* CMD_MEM's accesses: out of line, so a fault's pc can be checked. */
static __attribute__((noinline)) unsigned long mem_load(unsigned long va)
{
	return *(volatile unsigned long *)va;
}

static __attribute__((noinline)) void mem_store(unsigned long va, unsigned long value)
{
	*(volatile unsigned long *)va = value;
}

static unsigned long mem_touch(unsigned long base, unsigned long stride, unsigned long count,
			       unsigned long how)
{
	unsigned long bad = 0;
	for (unsigned long i = 0; i < count; i++) {
		unsigned long va = base + i * stride;
		if (how == MEM_TOUCH_WRITE)
			mem_store(va, va);
		else if (mem_load(va) != va && how == MEM_TOUCH_CHECK)
			bad++;
	}
	return bad;
}

/* CMD_MEM: memory operations on request (enum child_mem_op). */
static int serve_mem(long ep)
{
	struct pg_msg m = pg_recv(ep);
	for (;;) {
		if (m.status < 0)
			return 2;
		unsigned long op = MSG_LABEL(m.info), r0 = 0, r1 = 0;
		switch (op) {
		case MEM_READ:
			r0 = mem_load(m.w[0]);
			r1 = (unsigned long)mem_load;
			break;
		case MEM_WRITE:
			mem_store(m.w[0], m.w[1]);
			r1 = (unsigned long)mem_store;
			break;
		case MEM_TOUCH:
			r0 = mem_touch(m.w[0], m.w[1], m.w[2], m.w[3]);
			break;
		case MEM_CALL:
			((code_fn)m.w[0])();
			break;
		case MEM_UNMAP:
			r0 = (unsigned long)pg_unmap(HANDLE_SELF, m.w[0], m.w[1]);
			break;
		case MEM_EXIT:
			return (int)m.w[0];
		default:
			r0 = (unsigned long)-ERR_INVAL;
		}
		m = pg_reply_recv(ep, MSG_INFO(op, 2, 0), r0, r1, 0, 0, HANDLE_NONE);
	}
}

/* CMD_MEMTEST: the word at va in generation gen of its page. */
static inline unsigned long memtest_word(unsigned long va, unsigned long seed, unsigned gen)
{
	unsigned long x = (va ^ seed) * 0x9e3779b97f4a7c15UL + gen * 0xbf58476d1ce4e5b9UL;
	return x ^ (x >> 29);
}

static unsigned long memtest_verify(unsigned long base, unsigned long pages, unsigned long seed,
				    const unsigned char *gen)
{
	unsigned long bad = 0;
	for (unsigned long p = 0; p < pages; p++) {
		volatile unsigned long *w = (volatile unsigned long *)(base + p * 4096);
		for (unsigned i = 0; i < 512; i++)
			bad += w[i] != memtest_word((unsigned long)&w[i], seed, gen ? gen[p] : 0);
	}
	return bad;
}

/* MEMTEST_PHASES: tells the driver a pass ended; waits for its answer. */
static void memtest_phase(long ep, unsigned long how, unsigned long phase)
{
	if (how & MEMTEST_PHASES)
		pg_call(ep, MSG_INFO(CHILD_PHASE, 1, 0), phase, 0, 0, 0, HANDLE_NONE);
}

static int memtest(long ep, unsigned long base, unsigned long size, unsigned long seed,
		   unsigned long how)
{
	unsigned long pages = size / 4096, bad = 0;
	unsigned char *gen = calloc(pages ? pages : 1, 1);
	if (!gen)
		return -1;
	for (unsigned long p = 0; p < pages; p++) {
		volatile unsigned long *w = (volatile unsigned long *)(base + p * 4096);
		for (unsigned i = 0; i < 512; i++)
			w[i] = memtest_word((unsigned long)&w[i], seed, 0);
	}
	memtest_phase(ep, how, MEMTEST_WRITTEN);
	if (how & MEMTEST_SEQ) {
		bad += memtest_verify(base, pages, seed, gen);
		memtest_phase(ep, how, MEMTEST_VERIFIED);
	}
	if (how & MEMTEST_RANDOM) {
		unsigned long x = seed | 1;
		for (unsigned long n = 0; n < 2 * pages; n++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			unsigned long p = x % pages;
			volatile unsigned long *w = (volatile unsigned long *)(base + p * 4096);
			for (unsigned i = 0; i < 512; i++) {
				unsigned long va = (unsigned long)&w[i];
				bad += w[i] != memtest_word(va, seed, gen[p]);
				w[i] = memtest_word(va, seed, (unsigned char)(gen[p] + 1));
			}
			gen[p]++;
		}
		bad += memtest_verify(base, pages, seed, gen);
	}
	free(gen);
	return bad > 0x7fffffffUL ? 0x7fffffff : (int)bad;
}

/* CMD_REPLAY: what page p of a replay holds once touched. */
static inline unsigned long replay_stamp(unsigned long p)
{
	return p * 0x9e3779b97f4a7c15UL ^ 0x7265706c6179UL;
}

static int replay(unsigned long base, unsigned long trace, unsigned long mem)
{
	static struct trace_gen g; /* 16 KiB: not on the stack */
	static uint8_t touched[TRACE_MAX_PAGES / 8];
	unsigned long bad = 0;
	trace_start(&g, (enum trace_id)trace, (unsigned)mem);
	for (long p; (p = trace_next(&g)) >= 0;) {
		volatile unsigned long *w = (volatile unsigned long *)(base + (unsigned long)p * 4096);
		if (touched[p / 8] & (1u << (p % 8))) {
			bad += *w != replay_stamp((unsigned long)p);
		} else {
			*w = replay_stamp((unsigned long)p);
			touched[p / 8] |= (uint8_t)(1u << (p % 8));
		}
	}
	return bad > 0x7fffffffUL ? 0x7fffffff : (int)bad;
}

/* Receives a handle, then reports what it may and may not do with it. */
static void check_handle(long ep)
{
	struct pg_msg m = pg_recv(ep);
	long h = m.handle;
	long widen = h >= 0 ? pg_handle_mint(h, RIGHT_ALL, 0) : -1;
	long narrow = h >= 0 ? pg_handle_mint(h, RIGHT_READ, 0) : -1;
	long signal = h >= 0 ? pg_signal(h, 4) : -1;
	pg_reply(MSG_INFO(0, 4, 0), (unsigned long)h, (unsigned long)widen, (unsigned long)narrow,
		 (unsigned long)signal, HANDLE_NONE);
	pg_recv(ep); /* wait to be killed */
}

int main(void)
{
	long ep = runtime_bootstrap_handle();
	if (ep < 0)
		pg_panic("no bootstrap endpoint");
	struct pg_msg cmd = pg_call(ep, MSG_INFO(CHILD_HELLO, 1, 0), (unsigned long)runtime_info()->pid,
				    0, 0, 0, HANDLE_NONE);
	if (cmd.status < 0)
		return 100;
	unsigned long arg = cmd.w[0];
	switch (MSG_LABEL(cmd.info)) {
	case CMD_EXIT:
		return (int)arg;
	case CMD_ECHO:
		serve_echo(ep);
		break;
	case CMD_READ:
		return (int)*(volatile long *)arg;
	case CMD_WRITE:
		*(volatile long *)arg = 1;
		return 0;
	case CMD_EXEC:
		((code_fn)arg)();
		return 0;
	case CMD_EXEC_STACK: {
		unsigned char stack_code[16] __attribute__((aligned(4)));
		run_copied_ret(stack_code);
		return 0;
	}
	case CMD_EXEC_HEAP:
		run_copied_ret(malloc(64));
		return 0;
	case CMD_SIGNAL_EXIT:
		return (int)pg_signal(cmd.handle, 1);
	case CMD_SPIN:
		for (;;)
			;
	case CMD_CHECK_HANDLE:
		check_handle(ep);
		return 0;
	case CMD_RECV:
		return (int)pg_recv(ep).status;
	case CMD_STACK_OVERFLOW:
		return (int)recurse(0);
	case CMD_EXHAUST: {
		unsigned long va = 0x3000000000UL;
		long pages = 0, rc;
		for (;;) {
			long f = pg_frame_alloc(0);
			if (f < 0) {
				rc = f;
				break;
			}
			rc = pg_map(HANDLE_SELF, f, va, RIGHT_READ | RIGHT_WRITE);
			pg_handle_delete(f); /* the mapping keeps the frame */
			if (rc < 0)
				break;
			*(volatile long *)va = pages; /* really ours */
			va += 4096;
			pages++;
		}
		return rc == -ERR_NOMEM ? (int)pages : -1;
	}
	case CMD_MEM:
		return serve_mem(ep);
	case CMD_MEMTEST: {
		/* Base 0: the memory is our own heap (paged by our pager, if we
		 * were spawned with one). */
		void *heap = arg ? NULL : aligned_alloc(4096, cmd.w[1] ? cmd.w[1] : 4096);
		if (!arg && !heap)
			return -2;
		int bad = memtest(ep, arg ? arg : (unsigned long)heap, cmd.w[1], cmd.w[2], cmd.w[3]);
		free(heap);
		return bad;
	}
	case CMD_REPLAY:
		return replay(arg, cmd.w[1], cmd.w[2]);
	}
	return 101;
}
