#include "kernel/format.h"

struct spec {
	bool left;
	bool zero;
	unsigned width;
	int precision; /* -1: none */
	int length;    /* -2 hh, -1 h, 0 int, 1 long, 2 long long / size_t */
};

static size_t emit_padding(format_sink sink, void *ctx, char c, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		sink(ctx, c);
	return n;
}

static size_t emit_string(format_sink sink, void *ctx, const char *s, const struct spec *sp)
{
	if (!s)
		s = "(null)";
	size_t len = 0;
	while (s[len] && (sp->precision < 0 || len < (size_t)sp->precision))
		len++;
	size_t out = 0;
	if (!sp->left && sp->width > len)
		out += emit_padding(sink, ctx, ' ', sp->width - (unsigned)len);
	for (size_t i = 0; i < len; i++)
		sink(ctx, s[i]);
	out += len;
	if (sp->left && sp->width > len)
		out += emit_padding(sink, ctx, ' ', sp->width - (unsigned)len);
	return out;
}

static size_t emit_number(format_sink sink, void *ctx, uint64_t value, bool negative,
			  unsigned base, bool upper, const char *prefix, const struct spec *sp)
{
	char digits[24];
	unsigned n = 0;
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	do {
		digits[n++] = set[value % base];
		value /= base;
	} while (value);

	unsigned prefix_len = 0;
	while (prefix[prefix_len])
		prefix_len++;
	unsigned body = n + (negative ? 1 : 0) + prefix_len;
	unsigned pad = sp->width > body ? sp->width - body : 0;

	size_t out = 0;
	if (!sp->left && !sp->zero)
		out += emit_padding(sink, ctx, ' ', pad);
	if (negative) {
		sink(ctx, '-');
		out++;
	}
	for (unsigned i = 0; i < prefix_len; i++)
		sink(ctx, prefix[i]);
	out += prefix_len;
	if (!sp->left && sp->zero)
		out += emit_padding(sink, ctx, '0', pad);
	while (n)
		sink(ctx, digits[--n]);
	out += body - (negative ? 1 : 0) - prefix_len;
	if (sp->left)
		out += emit_padding(sink, ctx, ' ', pad);
	return out;
}

static uint64_t fetch_unsigned(va_list *ap, int length)
{
	switch (length) {
	case -2:
		return (unsigned char)va_arg(*ap, unsigned int);
	case -1:
		return (unsigned short)va_arg(*ap, unsigned int);
	case 0:
		return va_arg(*ap, unsigned int);
	default:
		return va_arg(*ap, unsigned long long);
	}
}

static int64_t fetch_signed(va_list *ap, int length)
{
	switch (length) {
	case -2:
		return (signed char)va_arg(*ap, int);
	case -1:
		return (short)va_arg(*ap, int);
	case 0:
		return va_arg(*ap, int);
	default:
		return va_arg(*ap, long long);
	}
}

size_t format_to(format_sink sink, void *ctx, const char *fmt, va_list ap_in)
{
	va_list ap;
	va_copy(ap, ap_in);
	size_t out = 0;
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			sink(ctx, *p);
			out++;
			continue;
		}
		struct spec sp = { .precision = -1 };
		for (p++;; p++) {
			if (*p == '-')
				sp.left = true;
			else if (*p == '0')
				sp.zero = true;
			else
				break;
		}
		if (*p == '*') {
			int w = va_arg(ap, int);
			if (w < 0) {
				sp.left = true;
				w = -w;
			}
			sp.width = (unsigned)w;
			p++;
		}
		while (*p >= '0' && *p <= '9')
			sp.width = sp.width * 10 + (unsigned)(*p++ - '0');
		if (*p == '.') {
			sp.precision = 0;
			p++;
			if (*p == '*') {
				sp.precision = va_arg(ap, int);
				p++;
			}
			while (*p >= '0' && *p <= '9')
				sp.precision = sp.precision * 10 + (*p++ - '0');
		}
		for (;; p++) {
			if (*p == 'h')
				sp.length--;
			else if (*p == 'l')
				sp.length++;
			else if (*p == 'z')
				sp.length = 2;
			else
				break;
		}
		switch (*p) {
		case 'd':
		case 'i': {
			int64_t v = fetch_signed(&ap, sp.length);
			uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
			out += emit_number(sink, ctx, mag, v < 0, 10, false, "", &sp);
			break;
		}
		case 'u':
			out += emit_number(sink, ctx, fetch_unsigned(&ap, sp.length), false, 10, false, "", &sp);
			break;
		case 'x':
		case 'X':
			out += emit_number(sink, ctx, fetch_unsigned(&ap, sp.length), false, 16, *p == 'X', "", &sp);
			break;
		case 'o':
			out += emit_number(sink, ctx, fetch_unsigned(&ap, sp.length), false, 8, false, "", &sp);
			break;
		case 'p':
			out += emit_number(sink, ctx, (uint64_t)(uintptr_t)va_arg(ap, void *), false, 16,
					   false, "0x", &sp);
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);
			char s[2] = { c, '\0' };
			out += emit_string(sink, ctx, s, &sp);
			break;
		}
		case 's':
			out += emit_string(sink, ctx, va_arg(ap, const char *), &sp);
			break;
		case '%':
			sink(ctx, '%');
			out++;
			break;
		case '\0':
			p--; /* a lone '%' at the end: stop at the terminator */
			break;
		default:
			/* Unknown conversion: print it as-is so the mistake is visible. */
			sink(ctx, '%');
			sink(ctx, *p);
			out += 2;
			break;
		}
	}
	va_end(ap);
	return out;
}

struct buffer_sink {
	char *buf;
	size_t size;
	size_t used;
};

static void buffer_put(void *ctx, char c)
{
	struct buffer_sink *b = ctx;
	if (b->used + 1 < b->size)
		b->buf[b->used] = c;
	b->used++;
}

size_t kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buffer_sink b = { buf, size, 0 };
	size_t n = format_to(buffer_put, &b, fmt, ap);
	if (size)
		buf[b.used < size ? b.used : size - 1] = '\0';
	return n;
}

size_t ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
