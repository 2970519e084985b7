/*
 * The console's "swapbench SIZE" (make bench's swap figures, docs/bench.md):
 *   1. the raw sequential throughput of the swap disk with the swapper's own
 *      driver and no paging (SWAP_DISKBENCH: SIZE written, then read);
 *   2. a child given SIZE of swapped memory writes every word of it in
 *      order (page-outs: swap_out), then verifies it in order (page-ins:
 *      swap_in), reporting the end of each pass (MEMTEST_PHASES).
 * Each pass is timed with rdtime in wall time (QEMU without -icount) and the
 * swapper's page-in and page-out counters are read at its ends. Prints
 * "bench: NAME VALUE UNIT" lines; MB/s are 10^6 bytes a second, moved to or
 * from the disk (page-outs or page-ins times 4 KiB) over the pass's time.
 * SIZE should be several times the swapper's pool, so that nearly every
 * page of both passes goes through the disk.
 */
#include <pagoda/child.h>
#include <pagoda/ipc.h>
#include <pagoda/runtime.h>
#include <stdio.h>

#include "console.h"
#include "swapclient.h"
#include "user/swapper/swapper.h"
#include "user/swapper/traces.h"

#define PAGE 4096UL

/* bytes over ticks of hz, in MB/s (10^6 bytes a second), rounded. */
static unsigned long mbps(unsigned long bytes, unsigned long ticks, unsigned long hz)
{
	if (!ticks)
		return 0;
	return (unsigned long)(((unsigned __int128)bytes * hz + ticks * 500000UL) / ticks / 1000000UL);
}

/* Waits for the child's CHILD_PHASE call; returns the phase, or -1. */
static long phase_wait(long ep, unsigned long *at, struct swapstats *s)
{
	struct pg_msg m = pg_recv(ep);
	*at = pg_rdtime();
	if (m.status < 0 || msg_label(m) != CHILD_PHASE)
		return -1;
	swap_stats(s);
	pg_reply(MSG_INFO(0, 0, 0), 0, 0, 0, 0, HANDLE_NONE);
	return (long)m.w[0];
}

void swapbench(unsigned long size)
{
	unsigned long hz = (unsigned long)pg_sysinfo(SYSINFO_TIMEBASE_HZ);
	if (swap_rc < 0 || !hz) {
		printf("swapbench: no swap\n");
		return;
	}
	struct pg_msg m = ipc_call(swapper_ep, SWAP_DISKBENCH, size, 0, 0, 0);
	long rc = m.status < 0 ? m.status : (long)m.w[0];
	if (rc < 0) {
		printf("swapbench: the swapper cannot measure the disk: %s\n", err_text(rc));
		return;
	}
	unsigned long raw_w = mbps(m.w[3], m.w[1], hz), raw_r = mbps(m.w[3], m.w[2], hz);

	struct kid k;
	struct swapstats s0, s1, s2;
	unsigned long t0, t1 = 0, t2 = 0;
	rc = kid_start(&k, size);
	swap_stats(&s0);
	t0 = pg_rdtime();
	if (rc >= 0)
		rc = kid_memtest(&k, size, 0x5eedbe7cUL, MEMTEST_SEQ | MEMTEST_PHASES);
	if (rc >= 0 && (phase_wait(k.ep, &t1, &s1) != MEMTEST_WRITTEN ||
			phase_wait(k.ep, &t2, &s2) != MEMTEST_VERIFIED))
		rc = -ERR_INVAL;
	long status = kid_end(&k, rc < 0);
	if (rc < 0 || status != 0) {
		printf("swapbench: the child failed: %s, status %ld\n", err_text(rc), status);
		return;
	}
	unsigned long outs = s1.pageouts - s0.pageouts, ins = s2.pageins - s1.pageins;
	unsigned long out_mbps = mbps(outs * PAGE, t1 - t0, hz), in_mbps = mbps(ins * PAGE, t2 - t1, hz);
	printf("swapbench: %lu KiB; write pass %lu page-outs in %lu us, verify pass %lu page-ins in "
	       "%lu us; raw disk %lu KiB each way\n",
	       size >> 10, outs, (t1 - t0) * 1000000UL / hz, ins, (t2 - t1) * 1000000UL / hz,
	       m.w[3] >> 10);
	printf("bench: disk_raw_mbps %lu mbps\n", mbps(2 * m.w[3], m.w[1] + m.w[2], hz));
	printf("bench: disk_raw_write_mbps %lu mbps\n", raw_w);
	printf("bench: disk_raw_read_mbps %lu mbps\n", raw_r);
	printf("bench: swap_out_mbps %lu mbps\n", out_mbps);
	printf("bench: swap_in_mbps %lu mbps\n", in_mbps);
	printf("bench: swap_out_ratio %lu permille\n", raw_w ? out_mbps * 1000 / raw_w : 0);
	printf("bench: swap_in_ratio %lu permille\n", raw_r ? in_mbps * 1000 / raw_r : 0);
}

/*
 * The console's "replay TRACE": a child replays a policy-comparison trace
 * (user/swapper/traces.h) shaped for the swapper's pool size through the
 * swapper, and the faults it took are printed. With read-ahead off
 * (swapra=1) each fault is a miss of the replacement policy, so the count
 * must equal what tests/host/policysim prints for the same trace, policy
 * and pool (tests/suites/75-swap.sh checks it).
 */
void replay(const char *name)
{
	int id = name ? trace_lookup(name) : -1;
	if (id < 0) {
		printf("usage: replay seqscan|loop|random|zipf|shift\n");
		return;
	}
	struct swapstats s0, s1;
	if (swap_stats(&s0) < 0) {
		printf("replay: no swap\n");
		return;
	}
	unsigned mem = (unsigned)s0.cap; /* the pool fills up to it: no watermark in sight */
	unsigned long size = trace_pages((enum trace_id)id, mem) * PAGE;
	struct kid k;
	long rc = kid_start(&k, size);
	if (rc >= 0)
		rc = pg_reply(MSG_INFO(CMD_REPLAY, 3, 0), SWAPCLIENT_BASE, (unsigned long)id, mem, 0,
			      HANDLE_NONE);
	long status = kid_end(&k, rc < 0);
	swap_stats(&s1);
	if (rc < 0 || status < 0) {
		printf("replay: %s: the child failed: %s, status %ld\n", name, err_text(rc), status);
		return;
	}
	/* The child's exit status is its count of pages with a wrong stamp. */
	printf("replay: %s on %u frames: %lu accesses, %lu faults, %lu page-ins, %lu page-outs, "
	       "%ld wrong pages\n",
	       name, mem, trace_length((enum trace_id)id, mem), s1.faults - s0.faults,
	       s1.pageins - s0.pageins, s1.pageouts - s0.pageouts, status);
}
