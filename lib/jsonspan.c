/* jsonspan.c - a scanner over valid JSON text that reports member spans. */
#include <string.h>
#include "jsonspan.h"

static size_t skip_ws(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	return i;
}

/* i at the opening quote; returns the index after the closing quote. */
static size_t skip_string(const char *s, size_t n, size_t i, int *escaped)
{
	i++;
	while (i < n) {
		const char *q = memchr(s + i, '"', n - i);
		if (!q)
			return n;
		size_t j = (size_t)(q - s);
		/* count the backslashes right before the quote */
		size_t k = j, bs = 0;
		while (k > i && s[k - 1] == '\\') {
			k--;
			bs++;
		}
		if (escaped && memchr(s + i, '\\', j - i))
			*escaped = 1;
		if (bs % 2 == 0)
			return j + 1;
		i = j + 1;
	}
	return n;
}

static size_t skip_value(const char *s, size_t n, size_t i)
{
	if (i >= n)
		return n;
	if (s[i] == '"')
		return skip_string(s, n, i, NULL);
	if (s[i] == '{' || s[i] == '[') {
		int depth = 0;
		while (i < n) {
			char c = s[i];
			if (c == '"') {
				i = skip_string(s, n, i, NULL);
				continue;
			}
			if (c == '{' || c == '[')
				depth++;
			else if (c == '}' || c == ']') {
				if (--depth == 0)
					return i + 1;
			}
			i++;
		}
		return n;
	}
	while (i < n && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ' &&
	       s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
		i++;
	return i;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* Compare an escaped key s[a..b) (without quotes) to key. Only \uXXXX for
 * ASCII and the one-letter escapes matter for the keys we look for. */
static int escaped_key_equals(const char *s, size_t a, size_t b, const char *key)
{
	size_t k = 0;
	for (size_t i = a; i < b; k++) {
		char c = s[i];
		if (c == '\\' && i + 1 < b) {
			char e = s[i + 1];
			if (e == 'u' && i + 5 < b) {
				int v = 0;
				for (int d = 0; d < 4; d++) {
					int h = hexval(s[i + 2 + (size_t)d]);
					if (h < 0)
						return 0;
					v = v * 16 + h;
				}
				if (v >= 0x80)
					return 0;
				c = (char)v;
				i += 6;
			} else {
				c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' :
				    e == 'b' ? '\b' : e == 'f' ? '\f' : e;
				i += 2;
			}
		} else {
			i++;
		}
		if (key[k] != c)
			return 0;
	}
	return key[k] == '\0';
}

int phx_json_member_span(const char *s, size_t n, const char *key, size_t *vstart,
			 size_t *vend)
{
	size_t klen = strlen(key);
	size_t i = skip_ws(s, n, 0);
	if (i >= n || s[i] != '{')
		return -1;
	i++;
	for (;;) {
		i = skip_ws(s, n, i);
		if (i >= n || s[i] != '"')
			return -1;
		int escaped = 0;
		size_t kstart = i + 1, kend_q = skip_string(s, n, i, &escaped);
		size_t kend = kend_q - 1;
		int match = escaped ? escaped_key_equals(s, kstart, kend, key)
				    : (kend - kstart == klen && memcmp(s + kstart, key, klen) == 0);
		i = skip_ws(s, n, kend_q);
		if (i >= n || s[i] != ':')
			return -1;
		i = skip_ws(s, n, i + 1);
		size_t vs = i;
		i = skip_value(s, n, i);
		if (match) {
			*vstart = vs;
			*vend = i;
			return 0;
		}
		i = skip_ws(s, n, i);
		if (i >= n || s[i] != ',')
			return -1;
		i++;
	}
}

int phx_json_object_close(const char *s, size_t n, size_t *close, int *has_members)
{
	size_t e = n;
	while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\n' ||
			 s[e - 1] == '\r'))
		e--;
	size_t b = skip_ws(s, n, 0);
	if (e == 0 || s[e - 1] != '}' || b >= n || s[b] != '{')
		return -1;
	*close = e - 1;
	*has_members = skip_ws(s, n, b + 1) != e - 1;
	return 0;
}
