/*
 * Host unit tests for drivers/virtio/virtqueue.c: a fake device works the
 * split ring in host memory, well or badly (used indices that run ahead or
 * go back, ids out of range, not heads, not in flight or returned twice,
 * lengths beyond what was offered, garbage everywhere it can write). The
 * queue must report the fault, fail the request or break itself, hand
 * every cookie back exactly once, and never touch memory outside the ring
 * (allocated at its exact size, so ASan sees one byte past it) or its own
 * struct (likewise on the heap).
 */
#define _POSIX_C_SOURCE 200112L
#include "drivers/virtio/virtqueue.h"
#include "tests/host/check.h"

#include <pagoda/errno.h>
#include <stdlib.h>
#include <string.h>

#define FAKE_PA 0x80040000ULL

struct fixture {
	struct virtq *vq;
	void *mem;
	size_t size;
	unsigned notifies;
	uint16_t dev_avail; /* the fake device's position in the available ring */
};

static struct fixture fx;

static void notify(void *arg, uint16_t index)
{
	struct fixture *f = arg;
	(void)index;
	f->notifies++;
}

static int setup(uint16_t num)
{
	fx = (struct fixture){ 0 };
	fx.size = virtq_layout_size(num);
	if (posix_memalign(&fx.mem, VIRTQ_ALIGN, fx.size) != 0)
		return -1;
	memset(fx.mem, 0xee, fx.size); /* init must clear it */
	fx.vq = malloc(sizeof *fx.vq);
	if (!fx.vq)
		return -1;
	return (int)virtq_init(fx.vq, "test", 0, num, fx.mem, FAKE_PA, fx.size, notify, &fx);
}

static void teardown(void)
{
	free(fx.vq);
	free(fx.mem);
	fx.vq = NULL;
	fx.mem = NULL;
}

/* ---- the fake device --------------------------------------------------- */

/* Takes the next available chain: its head, and its writable bytes. */
static int dev_take(uint16_t *head, uint32_t *writable)
{
	struct virtq *vq = fx.vq;
	if (fx.dev_avail == vq->avail->idx)
		return 0;
	*head = vq->avail->ring[fx.dev_avail % vq->num];
	fx.dev_avail++;
	uint32_t w = 0;
	uint16_t d = *head;
	for (unsigned n = 0; n < vq->num; n++) {
		if (vq->desc[d].flags & VIRTQ_DESC_F_WRITE)
			w += vq->desc[d].len;
		if (!(vq->desc[d].flags & VIRTQ_DESC_F_NEXT))
			break;
		d = vq->desc[d].next;
	}
	*writable = w;
	return 1;
}

/* Puts an entry in the used ring and publishes it. */
static void dev_put(uint32_t id, uint32_t len)
{
	struct virtq *vq = fx.vq;
	uint16_t i = vq->used->idx;
	vq->used->ring[i % vq->num].id = id;
	vq->used->ring[i % vq->num].len = len;
	vq->used->idx = (uint16_t)(i + 1);
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

static char cookies[512]; /* &cookies[i]: cookie i */

/* Adds a chain of nr readable then nw writable buffers of len bytes. */
static long add(unsigned nr, unsigned nw, uint32_t len, unsigned cookie)
{
	struct virtq_buf b[8];
	for (unsigned i = 0; i < nr + nw; i++)
		b[i] = (struct virtq_buf){ 0x90000000ULL + i * 4096, len, i >= nr };
	return virtq_add(fx.vq, b, nr + nw, &cookies[cookie]);
}

/* ---- tests ------------------------------------------------------------- */

static void t_layout(void)
{
	CHECK_EQ(virtq_layout_size(8), 4096 + 6 + 64);
	CHECK_EQ(virtq_layout_size(128), 4096 + 6 + 8 * 128);
	CHECK_EQ(virtq_layout_size(256), 8192 + 6 + 8 * 256);
	CHECK_EQ(setup(128), 0);
	struct virtq *vq = fx.vq;
	CHECK_EQ((uintptr_t)vq->avail - (uintptr_t)fx.mem, 16 * 128);
	CHECK_EQ((uintptr_t)vq->used - (uintptr_t)fx.mem, 4096);
	CHECK_EQ(vq->used_pa, FAKE_PA + 4096);
	CHECK_EQ(vq->avail_pa, FAKE_PA + 2048);
	CHECK_EQ(vq->num_free, 128);
	const uint8_t *m = fx.mem;
	for (size_t i = 0; i < fx.size; i++)
		if (m[i]) {
			CHECK(!"ring memory not cleared");
		}
	struct virtq other;
	CHECK_EQ(virtq_init(&other, "x", 0, 96, fx.mem, FAKE_PA, fx.size, notify, &fx), -ERR_RANGE);
	CHECK_EQ(virtq_init(&other, "x", 0, 512, fx.mem, FAKE_PA, fx.size, notify, &fx), -ERR_RANGE);
	CHECK_EQ(virtq_init(&other, "x", 0, 0, fx.mem, FAKE_PA, fx.size, notify, &fx), -ERR_RANGE);
	CHECK_EQ(virtq_init(&other, "x", 0, 128, fx.mem, FAKE_PA + 8, fx.size, notify, &fx),
		 -ERR_ALIGN);
	CHECK_EQ(virtq_init(&other, "x", 0, 128, fx.mem, FAKE_PA, fx.size - 1, notify, &fx),
		 -ERR_RANGE);
	CHECK_EQ(virtq_init(&other, "x", 0, 128, fx.mem, FAKE_PA, fx.size, NULL, &fx), -ERR_INVAL);
	teardown();
}

/* Many chains, completed out of order, through 16-bit index wrap-around. */
static void t_roundtrip(void)
{
	CHECK_EQ(setup(16), 0);
	struct virtq *vq = fx.vq;
	unsigned got = 0, added = 0;
	for (unsigned round = 0; round < 30000; round++) {
		unsigned k = 1 + rnd() % 4; /* chains this round */
		for (unsigned c = 0; c < k; c++) {
			unsigned nr = 1 + rnd() % 2, nw = rnd() % 3;
			CHECK_EQ(add(nr, nw, 512, (added + c) % 512), 0);
		}
		added += k;
		virtq_kick(vq);
		uint16_t heads[8];
		uint32_t w[8];
		unsigned n = 0;
		while (dev_take(&heads[n], &w[n]))
			n++;
		CHECK_EQ(n, k);
		for (unsigned i = n; i-- > 0;) /* last first */
			dev_put(heads[i], w[i]);
		struct virtq_done d;
		int rc;
		unsigned seen = 0;
		while ((rc = virtq_get(vq, &d)) == 1) {
			CHECK_EQ(d.err, 0);
			CHECK(d.cookie == &cookies[(got + k - 1 - seen) % 512]);
			seen++;
		}
		CHECK_EQ(rc, 0);
		CHECK_EQ(seen, k);
		got += k;
		CHECK_EQ(vq->num_free, 16);
		CHECK_EQ(virtq_inflight(vq), 0);
	}
	CHECK_EQ(fx.notifies, 30000);
	CHECK_EQ(vq->errors, 0);
	CHECK(added > 65536);
	teardown();
}

static void t_add_errors(void)
{
	CHECK_EQ(setup(8), 0);
	struct virtq *vq = fx.vq;
	struct virtq_buf b[3] = { { 0x1000, 16, true }, { 0x2000, 16, false }, { 0x3000, 1, true } };
	CHECK_EQ(virtq_add(vq, b, 3, &cookies[0]), -ERR_INVAL); /* writable before readable */
	CHECK_EQ(virtq_add(vq, &b[1], 2, NULL), -ERR_INVAL);
	CHECK_EQ(virtq_add(vq, &b[1], 0, &cookies[0]), -ERR_INVAL);
	struct virtq_buf zero = { 0x1000, 0, false };
	CHECK_EQ(virtq_add(vq, &zero, 1, &cookies[0]), -ERR_INVAL);
	struct virtq_buf many[9];
	for (unsigned i = 0; i < 9; i++)
		many[i] = (struct virtq_buf){ 0x1000, 8, false };
	CHECK_EQ(virtq_add(vq, many, 9, &cookies[0]), -ERR_RANGE); /* more than the queue */
	struct virtq_buf huge[2] = { { 0x1000, 0xffffffffu, true }, { 0x2000, 2, true } };
	CHECK_EQ(virtq_add(vq, huge, 2, &cookies[0]), -ERR_RANGE);
	CHECK_EQ(vq->num_free, 8);
	CHECK_EQ(add(1, 2, 64, 1), 0);
	CHECK_EQ(add(2, 2, 64, 2), 0);
	CHECK_EQ(add(1, 1, 64, 3), -ERR_AGAIN); /* 1 descriptor left */
	CHECK_EQ(add(1, 0, 64, 3), 0);
	CHECK_EQ(vq->num_free, 0);
	CHECK_EQ(add(1, 0, 64, 4), -ERR_AGAIN);
	CHECK_EQ(virtq_inflight(vq), 3);
	teardown();
}

/* Takes every cookie back after the queue broke; checks each comes once. */
static unsigned detach_all(unsigned expect)
{
	unsigned n = 0;
	char seen[512] = { 0 };
	void *c;
	while ((c = virtq_detach(fx.vq))) {
		size_t i = (size_t)((char *)c - cookies);
		if (i >= 512 || seen[i])
			return 1000;
		seen[i] = 1;
		n++;
	}
	return n == expect && fx.vq->num_free == fx.vq->num && virtq_inflight(fx.vq) == 0 ? n : 1000 + n;
}

static void t_index_runs_ahead(void)
{
	CHECK_EQ(setup(8), 0);
	struct virtq *vq = fx.vq;
	CHECK_EQ(add(1, 1, 100, 0), 0);
	CHECK_EQ(add(1, 1, 100, 1), 0);
	vq->used->idx = 8 + 5; /* more than the queue size */
	struct virtq_done d;
	CHECK_EQ(virtq_get(vq, &d), -ERR_IO);
	CHECK_EQ(vq->errors, 1);
	CHECK(vq->broken);
	CHECK_EQ(virtq_get(vq, &d), -ERR_IO);
	CHECK_EQ(add(1, 1, 100, 2), -ERR_IO);
	CHECK_EQ(detach_all(2), 2);
	teardown();

	/* Within the queue size, but more than the chains in flight. */
	CHECK_EQ(setup(8), 0);
	vq = fx.vq;
	CHECK_EQ(add(1, 1, 100, 0), 0);
	vq->used->idx = 3;
	CHECK_EQ(virtq_get(vq, &d), -ERR_IO);
	CHECK_EQ(detach_all(1), 1);
	teardown();

	/* Backwards (modulo 2^16: a huge jump). */
	CHECK_EQ(setup(8), 0);
	vq = fx.vq;
	CHECK_EQ(add(1, 1, 100, 0), 0);
	uint16_t h;
	uint32_t w;
	CHECK(dev_take(&h, &w));
	dev_put(h, w);
	CHECK_EQ(virtq_get(vq, &d), 1);
	CHECK_EQ(add(1, 1, 100, 1), 0);
	vq->used->idx = 0;
	CHECK_EQ(virtq_get(vq, &d), -ERR_IO);
	CHECK_EQ(detach_all(1), 1);
	teardown();
}

static void t_bad_ids(void)
{
	static const uint32_t bad[] = { 8, 9, 0xffff, 0x10000, 0xffffffffu };
	for (unsigned b = 0; b < sizeof bad / sizeof bad[0]; b++) {
		CHECK_EQ(setup(8), 0);
		CHECK_EQ(add(1, 1, 100, 0), 0);
		dev_put(bad[b], 1);
		struct virtq_done d;
		CHECK_EQ(virtq_get(fx.vq, &d), -ERR_IO);
		CHECK_EQ(fx.vq->errors, 1);
		CHECK_EQ(detach_all(1), 1);
		teardown();
	}

	/* An id inside a chain (not its head), and a free descriptor's. */
	CHECK_EQ(setup(8), 0);
	CHECK_EQ(add(1, 2, 100, 0), 0); /* descriptors 0, 1, 2 */
	dev_put(1, 1);
	struct virtq_done d;
	CHECK_EQ(virtq_get(fx.vq, &d), -ERR_IO);
	CHECK_EQ(detach_all(1), 1);
	teardown();
	CHECK_EQ(setup(8), 0);
	CHECK_EQ(add(1, 2, 100, 0), 0);
	dev_put(5, 1);
	CHECK_EQ(virtq_get(fx.vq, &d), -ERR_IO);
	CHECK_EQ(detach_all(1), 1);
	teardown();

	/* The same chain returned twice. */
	CHECK_EQ(setup(8), 0);
	CHECK_EQ(add(1, 1, 100, 0), 0);
	CHECK_EQ(add(1, 1, 100, 1), 0);
	uint16_t h;
	uint32_t w;
	CHECK(dev_take(&h, &w));
	dev_put(h, w);
	dev_put(h, w);
	CHECK_EQ(virtq_get(fx.vq, &d), 1);
	CHECK(d.cookie == &cookies[0]);
	CHECK_EQ(virtq_get(fx.vq, &d), -ERR_IO);
	CHECK_EQ(detach_all(1), 1);
	teardown();
}

static void t_bad_length(void)
{
	CHECK_EQ(setup(8), 0);
	struct virtq *vq = fx.vq;
	CHECK_EQ(add(1, 2, 100, 0), 0); /* 200 writable */
	CHECK_EQ(add(2, 0, 100, 1), 0); /* nothing writable */
	CHECK_EQ(add(1, 1, 100, 2), 0);
	uint16_t h[3];
	uint32_t w[3];
	for (unsigned i = 0; i < 3; i++)
		CHECK(dev_take(&h[i], &w[i]));
	CHECK_EQ(w[0], 200);
	dev_put(h[0], 201);
	dev_put(h[1], 1);
	dev_put(h[2], 100); /* exactly what was offered: fine */
	struct virtq_done d;
	CHECK_EQ(virtq_get(vq, &d), 1);
	CHECK(d.cookie == &cookies[0]);
	CHECK_EQ(d.err, -ERR_IO);
	CHECK_EQ(d.len, 200);
	CHECK_EQ(virtq_get(vq, &d), 1);
	CHECK(d.cookie == &cookies[1]);
	CHECK_EQ(d.err, -ERR_IO);
	CHECK_EQ(d.len, 0);
	CHECK_EQ(virtq_get(vq, &d), 1);
	CHECK(d.cookie == &cookies[2]);
	CHECK_EQ(d.err, 0);
	CHECK_EQ(d.len, 100);
	CHECK_EQ(vq->errors, 2);
	CHECK(!vq->broken); /* the queue goes on */
	CHECK_EQ(vq->num_free, 8);
	CHECK_EQ(add(1, 1, 100, 3), 0);
	teardown();
}

static void t_no_notify(void)
{
	CHECK_EQ(setup(8), 0);
	CHECK_EQ(add(1, 1, 8, 0), 0);
	virtq_kick(fx.vq);
	CHECK_EQ(fx.notifies, 1);
	fx.vq->used->flags = VIRTQ_USED_F_NO_NOTIFY;
	virtq_kick(fx.vq);
	CHECK_EQ(fx.notifies, 1);
	teardown();
}

/* The device scribbles over the descriptor table and the available ring
 * (which it may only read): the queue does not care, it never reads them. */
static void t_scribbled_tables(void)
{
	CHECK_EQ(setup(8), 0);
	struct virtq *vq = fx.vq;
	for (unsigned round = 0; round < 100; round++) {
		CHECK_EQ(add(1, 2, 64, 0), 0);
		CHECK_EQ(add(1, 1, 64, 1), 0);
		uint16_t h[2];
		uint32_t w[2];
		CHECK(dev_take(&h[0], &w[0]));
		CHECK(dev_take(&h[1], &w[1]));
		memset((void *)vq->desc, 0xff, 16 * 8);
		memset((void *)vq->avail->ring, 0xa5, 2 * 8);
		dev_put(h[1], w[1]);
		dev_put(h[0], w[0]);
		struct virtq_done d;
		CHECK_EQ(virtq_get(vq, &d), 1);
		CHECK(d.cookie == &cookies[1]);
		CHECK_EQ(virtq_get(vq, &d), 1);
		CHECK(d.cookie == &cookies[0]);
		CHECK_EQ(vq->num_free, 8);
	}
	CHECK_EQ(vq->errors, 0);
	teardown();
}

/* Random garbage in the used ring, many times: never a crash or a stray
 * access (ASan), every cookie back exactly once. */
static void t_garbage(void)
{
	for (unsigned trial = 0; trial < 2000; trial++) {
		uint16_t num = (uint16_t)(1u << (rnd() % 9)); /* 1 .. 256 */
		CHECK_EQ(setup(num), 0);
		struct virtq *vq = fx.vq;
		char out[512] = { 0 }; /* cookie i in flight */
		unsigned next = 0, back = 0, added = 0;
		for (unsigned step = 0; step < 40 && !vq->broken; step++) {
			unsigned n = 1 + rnd() % 3;
			if (add(1, n - 1, 1 + rnd() % 4096, next % 512) == 0) {
				out[next % 512] = 1;
				next++;
				added++;
			}
			switch (rnd() % 4) {
			case 0: { /* a good completion */
				uint16_t h;
				uint32_t w;
				if (dev_take(&h, &w))
					dev_put(h, w);
				break;
			}
			case 1: /* a random entry */
				dev_put(rnd() % (num + 4u), rnd() % 8192);
				break;
			case 2: /* a random index */
				vq->used->idx = (uint16_t)rnd();
				break;
			default: /* random entries over the ring, index unchanged */
				vq->used->ring[rnd() % num].id = rnd();
				vq->used->ring[rnd() % num].len = rnd();
				break;
			}
			struct virtq_done d;
			int rc;
			while ((rc = virtq_get(vq, &d)) == 1) {
				size_t i = (size_t)((char *)d.cookie - cookies);
				CHECK(i < 512 && out[i]);
				out[i] = 0;
				back++;
			}
			CHECK(rc == 0 || rc == -ERR_IO);
		}
		void *c;
		while ((c = virtq_detach(vq))) {
			size_t i = (size_t)((char *)c - cookies);
			CHECK(i < 512 && out[i]);
			out[i] = 0;
			back++;
		}
		CHECK_EQ(back, added);
		CHECK_EQ(vq->num_free, num);
		teardown();
	}
}

int main(void)
{
	run_test("VQ-001", "queue layout (legacy: used ring page-aligned) and bad set-ups refused",
		 t_layout);
	run_test("VQ-002", "30000 rounds of chains completed out of order, indices wrapping",
		 t_roundtrip);
	run_test("VQ-003", "bad chains refused; a full queue says try again", t_add_errors);
	run_test("VQ-004", "a used index that runs ahead or back breaks the queue, cookies come back",
		 t_index_runs_ahead);
	run_test("VQ-005", "used ids out of range, not a head, not in flight, or twice: refused",
		 t_bad_ids);
	run_test("VQ-006", "a used length beyond the writable bytes offered fails that request only",
		 t_bad_length);
	run_test("VQ-007", "kick honours the device's NO_NOTIFY flag", t_no_notify);
	run_test("VQ-008", "a device scribbling over the descriptor table and available ring is harmless",
		 t_scribbled_tables);
	run_test("VQ-009", "random garbage in the used ring: no stray access, every cookie back once",
		 t_garbage);
	return test_summary();
}
