/* Error-message builder (see kernel/errmsg.h for the contract). */
#include "kernel/errmsg.h"

void errmsg_init(struct errmsg *m, char *buf, size_t cap)
{
	m->buf = buf;
	m->cap = cap;
	m->len = 0;
	if (buf != NULL && cap > 0)
		buf[0] = '\0';
}

void errmsg_begin(struct errmsg *m, const char *prefix)
{
	m->len = 0;
	if (m->buf != NULL && m->cap > 0)
		m->buf[0] = '\0';
	errmsg_str(m, prefix);
}

void errmsg_chr(struct errmsg *m, char ch)
{
	if (m->buf != NULL && m->len + 1 < m->cap) {
		m->buf[m->len++] = ch;
		m->buf[m->len] = '\0';
	}
}

void errmsg_str(struct errmsg *m, const char *s)
{
	while (*s != '\0')
		errmsg_chr(m, *s++);
}

void errmsg_strn(struct errmsg *m, const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n && s[i] != '\0'; i++)
		errmsg_chr(m, s[i]);
}

void errmsg_hex(struct errmsg *m, uint64_t v)
{
	char d[16];
	int n = 0;
	errmsg_str(m, "0x");
	do {
		unsigned x = (unsigned)(v & 0xf);
		d[n++] = (char)(x < 10 ? '0' + x : 'a' + x - 10);
		v >>= 4;
	} while (v != 0);
	while (n > 0)
		errmsg_chr(m, d[--n]);
}

void errmsg_dec(struct errmsg *m, uint64_t v)
{
	char d[20];
	int n = 0;
	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0)
		errmsg_chr(m, d[--n]);
}
