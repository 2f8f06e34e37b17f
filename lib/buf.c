/* buf.c - the growing byte buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "buf.h"
#include "xalloc.h"

void phx_buf_reserve(phx_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->data = phx_xrealloc(b->data, cap);
	b->cap = cap;
}

void phx_buf_add(phx_buf *b, const void *p, size_t n)
{
	phx_buf_reserve(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void phx_buf_adds(phx_buf *b, const char *s)
{
	phx_buf_add(b, s, strlen(s));
}

void phx_buf_addc(phx_buf *b, char c)
{
	phx_buf_reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void phx_buf_vprintf(phx_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	phx_buf_reserve(b, 64);
	int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	if (n >= 0 && (size_t)n >= b->cap - b->len) {
		phx_buf_reserve(b, (size_t)n);
		n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap2);
	}
	va_end(ap2);
	if (n > 0)
		b->len += (size_t)n;
	b->data[b->len] = '\0';
}

void phx_buf_printf(phx_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	phx_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	unsigned cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; }
	else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; }
	else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; }
	else return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
		return 0;
	return len;
}

/* 1 for bytes that can be copied into a JSON string as they are. */
static const unsigned char plain_byte[256] = {
	['\x20'] = 1, 1, 0 /* " */, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['0'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['@'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['P'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0 /* \\ */, 1, 1, 1,
	['`'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['p'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* Bytes up to the first that is not plain, 16 at a time: the quote, the
 * backslash, controls and every byte >= 0x80 (those are checked as UTF-8
 * one by one). o has room for 16 more bytes than are plain. */
static size_t copy_plain(const unsigned char *p, size_t n, char *o)
{
	size_t i = 0;
#ifdef __SSE2__
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
	const __m128i space = _mm_set1_epi8(0x20);

	while (n - i >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		/* signed: bytes >= 0x80 are negative, so below 0x20 too */
		__m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote),
							    _mm_cmpeq_epi8(v, bslash)),
					       _mm_cmplt_epi8(v, space));
		unsigned mask = (unsigned)_mm_movemask_epi8(special);
		_mm_storeu_si128((__m128i *)(void *)(o + i), v);
		if (mask)
			return i + (size_t)__builtin_ctz(mask);
		i += 16;
	}
#endif
	while (i < n && plain_byte[p[i]]) {
		o[i] = (char)p[i];
		i++;
	}
	return i;
}

void phx_buf_add_json_string(phx_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	char *o;

	/* at worst 6 bytes out per byte in (\u00XX, \ufffd), the quotes, and
	 * the 16 bytes copy_plain may store past the plain ones */
	phx_buf_reserve(b, 6 * n + 2 + 16);
	o = b->data + b->len;
	*o++ = '"';
	while (i < n) {
		size_t run = copy_plain(p + i, n - i, o);
		o += run;
		i += run;
		if (i == n)
			break;
		unsigned char c = p[i];
		if (c == '"' || c == '\\') {
			*o++ = '\\';
			*o++ = (char)c;
			i++;
		} else if (c < 0x20) {
			*o++ = '\\';
			switch (c) {
			case '\n': *o++ = 'n'; break;
			case '\r': *o++ = 'r'; break;
			case '\t': *o++ = 't'; break;
			default:
				memcpy(o, "u00", 3);
				o[3] = hex[c >> 4];
				o[4] = hex[c & 15];
				o += 5;
			}
			i++;
		} else {
			size_t len = utf8_seq(p + i, n - i);
			if (len == 0) {
				memcpy(o, "\\ufffd", 6);
				o += 6;
				i++;
			} else {
				memcpy(o, s + i, len);
				o += len;
				i += len;
			}
		}
	}
	*o++ = '"';
	b->len = (size_t)(o - b->data);
	b->data[b->len] = '\0';
}

void phx_buf_clear(phx_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void phx_buf_free(phx_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *phx_buf_steal(phx_buf *b)
{
	if (!b->data)
		phx_buf_reserve(b, 0);
	b->data[b->len] = '\0';
	char *p = b->data;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}
