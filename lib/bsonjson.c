/* bsonjson.c - jansson values to BSON and back (see bsonjson.h). */
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bsonjson.h"
#include "utf8.h"
#include "xalloc.h"

int phx_bson_key_safe(const char *key, size_t len)
{
	size_t i;

	if (len > 0 && key[0] == '$')
		return 0;
	for (i = 0; i < len; i++)	/* keys are short: a loop beats two memchr calls */
		if (key[i] == '.' || key[i] == '\0')
			return 0;
	return 1;
}

static int skipped(const char *key, const char *const *skip)
{
	for (; skip && *skip; skip++)
		if (strcmp(key, *skip) == 0)
			return 1;
	return 0;
}

/* JSON to BSON is written straight into one growing buffer: libbson's
 * append functions cost a varargs walk and a bounds check per piece, which
 * made the conversion a fifth of phx-store's own time on a load. The bytes
 * are those bson_append_* would write (tests/unit/test_bsonjson.c checks). */
typedef struct enc {
	uint8_t *p;
	size_t len, cap;
} enc;

/* BSON lengths are int32; MongoDB refuses far less long before this. */
#define ENC_MAX ((size_t)INT32_MAX)

static __attribute__((noinline)) void enc_grow(enc *e, size_t n)
{
	while (e->cap - e->len < n)
		e->cap = e->cap ? 2 * e->cap : 4096;
	e->p = phx_xrealloc(e->p, e->cap);
}

static inline void enc_reserve(enc *e, size_t n)
{
	if (e->cap - e->len < n)
		enc_grow(e, n);
}

static inline void enc_u8(enc *e, uint8_t v)
{
	enc_reserve(e, 1);
	e->p[e->len++] = v;
}

static inline void enc_le(uint8_t *at, uint64_t v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++)
		at[i] = (uint8_t)(v >> (8 * i));
}

static inline void enc_u32(enc *e, uint32_t v)
{
	enc_reserve(e, 4);
	enc_le(e->p + e->len, v, 4);
	e->len += 4;
}

static inline void enc_u64(enc *e, uint64_t v)
{
	enc_reserve(e, 8);
	enc_le(e->p + e->len, v, 8);
	e->len += 8;
}

static inline void enc_bytes(enc *e, const void *p, size_t n)
{
	enc_reserve(e, n);
	memcpy(e->p + e->len, p, n);
	e->len += n;
}

/* Type byte and key (a C string in BSON: safe keys hold no NUL). */
static inline void enc_head(enc *e, uint8_t type, const char *key, size_t klen)
{
	enc_reserve(e, klen + 2);
	e->p[e->len++] = type;
	memcpy(e->p + e->len, key, klen);
	e->len += klen;
	e->p[e->len++] = 0;
}

static int enc_value(enc *e, const char *key, size_t klen, const json_t *v, int depth,
		     char *why, size_t n);

/* A document's length is written last, when it is known. */
static int enc_close(enc *e, size_t start, char *why, size_t n)
{
	enc_u8(e, 0);
	if (e->len - start > ENC_MAX) {
		if (why)
			snprintf(why, n, "document too large for BSON");
		return -1;
	}
	enc_le(e->p + start, e->len - start, 4);
	return 0;
}

static int enc_object(enc *e, const json_t *obj, const char *const *skip, int depth,
		      char *why, size_t n)
{
	size_t start = e->len;
	void *it;

	enc_u32(e, 0);
	for (it = json_object_iter((json_t *)obj); it;
	     it = json_object_iter_next((json_t *)obj, it)) {
		const char *key = json_object_iter_key(it);
		size_t klen = json_object_iter_key_len(it);
		if (depth == 0 && skipped(key, skip))
			continue;
		if (!phx_bson_key_safe(key, klen)) {
			snprintf(why, n, "unsafe key \"%.*s\" (begins with '$' or holds '.' or NUL)",
				 (int)strnlen(key, klen > 64 ? 64 : klen), key);
			return -1;
		}
		if (enc_value(e, key, klen, json_object_iter_value(it), depth + 1, why, n) < 0)
			return -1;
	}
	return enc_close(e, start, why, n);
}

static int enc_array(enc *e, const json_t *arr, int depth, char *why, size_t n)
{
	size_t start = e->len, i;
	const char *key;
	char idx[24];

	enc_u32(e, 0);
	for (i = 0; i < json_array_size(arr); i++) {
		size_t klen = bson_uint32_to_string((uint32_t)i, &key, idx, sizeof idx);
		if (enc_value(e, key, klen, json_array_get(arr, i), depth + 1, why, n) < 0)
			return -1;
	}
	return enc_close(e, start, why, n);
}

static int enc_value(enc *e, const char *key, size_t klen, const json_t *v, int depth,
		     char *why, size_t n)
{
	uint64_t bits;
	double d;
	size_t len;

	if (depth > PHX_BSONJSON_MAX_DEPTH) {
		snprintf(why, n, "nested deeper than %d levels", PHX_BSONJSON_MAX_DEPTH);
		return -1;
	}
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		enc_head(e, BSON_TYPE_DOCUMENT, key, klen);
		return enc_object(e, v, NULL, depth, why, n);
	case JSON_ARRAY:
		enc_head(e, BSON_TYPE_ARRAY, key, klen);
		return enc_array(e, v, depth, why, n);
	case JSON_STRING:
		len = json_string_length(v);
		if (len >= ENC_MAX) {
			snprintf(why, n, "document too large for BSON");
			return -1;
		}
		enc_head(e, BSON_TYPE_UTF8, key, klen);
		enc_u32(e, (uint32_t)(len + 1));
		enc_bytes(e, json_string_value(v), len);
		enc_u8(e, 0);
		break;
	case JSON_INTEGER:
		enc_head(e, BSON_TYPE_INT64, key, klen);
		enc_u64(e, (uint64_t)json_integer_value(v));
		break;
	case JSON_REAL:
		d = json_real_value(v);
		memcpy(&bits, &d, sizeof bits);
		enc_head(e, BSON_TYPE_DOUBLE, key, klen);
		enc_u64(e, bits);
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		enc_head(e, BSON_TYPE_BOOL, key, klen);
		enc_u8(e, json_is_true(v) ? 1 : 0);
		break;
	case JSON_NULL:
		enc_head(e, BSON_TYPE_NULL, key, klen);
		break;
	}
	return 0;
}

int phx_json_to_bson(const json_t *obj, const char *const *skip, bson_t *b,
		     char *why, size_t n)
{
	enc e = {NULL, 0, 0};
	bson_t members;
	int rc = -1;

	if (!json_is_object(obj)) {
		snprintf(why, n, "not a JSON object");
		return -1;
	}
	if (enc_object(&e, obj, skip, 0, why, n) == 0) {
		if (bson_init_static(&members, e.p, e.len) && bson_concat(b, &members))
			rc = 0;
		else
			snprintf(why, n, "document too large for BSON");
	}
	free(e.p);
	return rc;
}

/* ---- JSON text straight to BSON ----------------------------------------- */

/* A document written as text (store.h: phx_store_item.text) need not become
 * a jansson tree first: the text is read once and its BSON written as it
 * goes. Only texts this reader is sure of take this path; anything else
 * (see bsonjson.h) goes back to the caller, which parses the text and uses
 * phx_json_to_bson, so errors and their reasons are that path's. */
typedef struct tx {
	const char *p, *end;
	enc *e;
} tx;

/* Keys per object this reader checks for repeats; more: the parser does. */
#define TX_MAX_KEYS 64

static pthread_once_t tx_once = PTHREAD_ONCE_INIT;	/* tx_class below */

static inline void tx_ws(tx *t)
{
	while (t->p < t->end && (*t->p == ' ' || *t->p == '\n' || *t->p == '\r' || *t->p == '\t'))
		t->p++;
}

static int tx_hex4(tx *t, unsigned *out)
{
	unsigned v = 0;
	int i;

	if (t->end - t->p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		char c = t->p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	t->p += 4;
	*out = v;
	return 0;
}

static void tx_utf8(enc *e, unsigned cp)
{
	uint8_t b[4];

	enc_bytes(e, b, phx_utf8_encode(cp, b));
}

/* After a backslash: one escape, decoded. */
static int tx_escape(tx *t)
{
	unsigned cp, lo;
	char c;

	if (t->p >= t->end)
		return -1;
	c = *t->p++;
	switch (c) {
	case '"': case '\\': case '/':
		enc_u8(t->e, (uint8_t)c);
		return 0;
	case 'b': enc_u8(t->e, '\b'); return 0;
	case 'f': enc_u8(t->e, '\f'); return 0;
	case 'n': enc_u8(t->e, '\n'); return 0;
	case 'r': enc_u8(t->e, '\r'); return 0;
	case 't': enc_u8(t->e, '\t'); return 0;
	case 'u':
		break;
	default:
		return -1;
	}
	if (tx_hex4(t, &cp) < 0 || (cp >= 0xDC00 && cp <= 0xDFFF))
		return -1;
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		/* A high surrogate counts only with its low one right after. */
		if (t->end - t->p < 2 || t->p[0] != '\\' || t->p[1] != 'u')
			return -1;
		t->p += 2;
		if (tx_hex4(t, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF)
			return -1;
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
	}
	tx_utf8(t->e, cp);
	return 0;
}

/* Bytes a string scan stops or looks twice at: 1 the quote, the backslash
 * and control characters; 2 the bytes of multi-byte UTF-8. */
static unsigned char tx_class[256];

static void tx_init_class(void)
{
	int c;

	for (c = 0; c < 0x20; c++)
		tx_class[c] = 1;
	tx_class['"'] = tx_class['\\'] = 1;
	for (c = 0x80; c < 0x100; c++)
		tx_class[c] = 2;
}

/* At an opening quote: the string's bytes, decoded, appended. */
static int tx_string(tx *t)
{
	const unsigned char *p = (const unsigned char *)t->p + 1;
	const unsigned char *end = (const unsigned char *)t->end;

	for (;;) {
		const unsigned char *run = p;
		unsigned seen = 0;
		/* Eight plain ASCII bytes at a time (no quote, backslash, control
		 * or high byte), then byte by byte up to the stop. */
		while (end - p >= 8) {
			uint64_t w, ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
			memcpy(&w, p, 8);
			if (((w - 0x2020202020202020ull) | w | ((w ^ 0x2222222222222222ull) - ones) |
			     ((w ^ 0x5C5C5C5C5C5C5C5Cull) - ones)) & high)
				break;
			p += 8;
		}
		while (p < end && tx_class[*p] != 1)
			seen |= tx_class[*p++];
		if (p >= end || *p < 0x20)
			return -1;
		if (p > run) {
			size_t len = (size_t)(p - run);
			if (seen && phx_utf8_check((const char *)run, len) != len)
				return -1;
			enc_bytes(t->e, run, len);
		}
		t->p = (const char *)p + 1;
		if (*p == '"')
			return 0;
		if (tx_escape(t) < 0)
			return -1;
		p = (const unsigned char *)t->p;
	}
}

static int tx_number(tx *t, size_t type_at)
{
	const char *s = t->p, *p = t->p;
	uint64_t mag = 0;
	int neg = 0, integer = 1;
	char num[64];
	double d;

	if (p < t->end && *p == '-') {
		neg = 1;
		p++;
	}
	if (p < t->end && *p == '0') {
		p++;
	} else if (p < t->end && *p >= '1' && *p <= '9') {
		while (p < t->end && *p >= '0' && *p <= '9') {
			unsigned digit = (unsigned)(*p++ - '0');
			if (mag > (UINT64_MAX - digit) / 10)
				return -1;
			mag = mag * 10 + digit;
		}
	} else {
		return -1;
	}
	if (p < t->end && *p == '.') {
		integer = 0;
		if (++p >= t->end || *p < '0' || *p > '9')
			return -1;
		while (p < t->end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < t->end && (*p == 'e' || *p == 'E')) {
		integer = 0;
		if (++p < t->end && (*p == '+' || *p == '-'))
			p++;
		if (p >= t->end || *p < '0' || *p > '9')
			return -1;
		while (p < t->end && *p >= '0' && *p <= '9')
			p++;
	}
	t->p = p;
	if (integer) {
		if (mag > (neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX))
			return -1;
		t->e->p[type_at] = BSON_TYPE_INT64;
		enc_u64(t->e, neg ? (uint64_t)0 - mag : mag);
		return 0;
	}
	if ((size_t)(p - s) >= sizeof num)
		return -1;
	memcpy(num, s, (size_t)(p - s));
	num[p - s] = '\0';
	d = strtod(num, NULL);
	if (isinf(d))
		return -1;
	memcpy(&mag, &d, sizeof mag);
	t->e->p[type_at] = BSON_TYPE_DOUBLE;
	enc_u64(t->e, mag);
	return 0;
}

static int tx_literal(tx *t, const char *word, size_t len)
{
	if ((size_t)(t->end - t->p) < len || memcmp(t->p, word, len) != 0)
		return -1;
	t->p += len;
	return 0;
}

static int tx_object(tx *t, int depth, const char *const *skip);
static int tx_array(tx *t, int depth);

/* A value whose element starts at type_at (type byte, key, NUL written;
 * the type byte is set here). */
static int tx_value(tx *t, size_t type_at, int depth)
{
	size_t len_at;

	if (depth > PHX_BSONJSON_MAX_DEPTH)
		return -1;
	tx_ws(t);
	if (t->p >= t->end)
		return -1;
	switch (*t->p) {
	case '{':
		t->e->p[type_at] = BSON_TYPE_DOCUMENT;
		return tx_object(t, depth, NULL);
	case '[':
		t->e->p[type_at] = BSON_TYPE_ARRAY;
		return tx_array(t, depth);
	case '"':
		t->e->p[type_at] = BSON_TYPE_UTF8;
		len_at = t->e->len;
		enc_u32(t->e, 0);
		if (tx_string(t) < 0)
			return -1;
		enc_u8(t->e, 0);
		if (t->e->len - len_at - 4 > ENC_MAX)
			return -1;
		enc_le(t->e->p + len_at, t->e->len - len_at - 4, 4);
		return 0;
	case 't':
		t->e->p[type_at] = BSON_TYPE_BOOL;
		enc_u8(t->e, 1);
		return tx_literal(t, "true", 4);
	case 'f':
		t->e->p[type_at] = BSON_TYPE_BOOL;
		enc_u8(t->e, 0);
		return tx_literal(t, "false", 5);
	case 'n':
		t->e->p[type_at] = BSON_TYPE_NULL;
		return tx_literal(t, "null", 4);
	default:
		return tx_number(t, type_at);
	}
}

/* Has the key at e->p[at, at + len) been seen in this object? */
static int tx_repeated(const enc *e, const size_t *keys, const size_t *lens, size_t nkeys,
		       size_t at, size_t len)
{
	size_t i;

	for (i = 0; i < nkeys; i++)
		if (lens[i] == len && memcmp(e->p + keys[i], e->p + at, len) == 0)
			return 1;
	return 0;
}

/* A bit for the skip entry key[0..len) matches (the first 32 entries), or 0. */
static unsigned tx_skipped(const char *key, size_t len, const char *const *skip)
{
	unsigned bit = 1;

	for (; skip && *skip && bit; skip++, bit <<= 1)
		if (strlen(*skip) == len && memcmp(key, *skip, len) == 0)
			return bit;
	return 0;
}

/* At '{': the members, as a BSON document. Skipped members are read and
 * their bytes taken back; a repeat of one is caught by its bit. */
static int tx_object(tx *t, int depth, const char *const *skip)
{
	size_t start = t->e->len, keys[TX_MAX_KEYS], lens[TX_MAX_KEYS], nkeys = 0;
	unsigned skipped_seen = 0;

	t->p++;
	enc_u32(t->e, 0);
	tx_ws(t);
	if (t->p < t->end && *t->p == '}') {
		t->p++;
		return enc_close(t->e, start, NULL, 0);
	}
	for (;;) {
		size_t type_at = t->e->len, kat, klen;
		unsigned skip_bit;
		const char *key;
		tx_ws(t);
		if (t->p >= t->end || *t->p != '"' || nkeys == TX_MAX_KEYS)
			return -1;
		enc_u8(t->e, 0);
		kat = t->e->len;
		if (tx_string(t) < 0)
			return -1;
		klen = t->e->len - kat;
		key = (const char *)t->e->p + kat;	/* valid until the buffer grows */
		if (!phx_bson_key_safe(key, klen) ||
		    tx_repeated(t->e, keys, lens, nkeys, kat, klen))
			return -1;
		skip_bit = depth == 0 ? tx_skipped(key, klen, skip) : 0;
		enc_u8(t->e, 0);
		tx_ws(t);
		if (t->p >= t->end || *t->p != ':')
			return -1;
		t->p++;
		if (skip_bit) {
			/* A skipped key seen twice is a repeat like any other. */
			if (skipped_seen & skip_bit)
				return -1;
			skipped_seen |= skip_bit;
			if (tx_value(t, type_at, depth + 1) < 0)
				return -1;
			t->e->len = type_at;
		} else {
			keys[nkeys] = kat;
			lens[nkeys++] = klen;
			if (tx_value(t, type_at, depth + 1) < 0)
				return -1;
		}
		tx_ws(t);
		if (t->p < t->end && *t->p == ',') {
			t->p++;
			continue;
		}
		if (t->p < t->end && *t->p == '}') {
			t->p++;
			return enc_close(t->e, start, NULL, 0);
		}
		return -1;
	}
}

static int tx_array(tx *t, int depth)
{
	size_t start = t->e->len, i;
	char idx[24];

	t->p++;
	enc_u32(t->e, 0);
	tx_ws(t);
	if (t->p < t->end && *t->p == ']') {
		t->p++;
		return enc_close(t->e, start, NULL, 0);
	}
	for (i = 0; ; i++) {
		const char *key;
		size_t klen = bson_uint32_to_string((uint32_t)i, &key, idx, sizeof idx);
		size_t type_at = t->e->len;
		if (i >= UINT32_MAX)
			return -1;
		enc_head(t->e, 0, key, klen);
		if (tx_value(t, type_at, depth + 1) < 0)
			return -1;
		tx_ws(t);
		if (t->p < t->end && *t->p == ',') {
			t->p++;
			continue;
		}
		if (t->p < t->end && *t->p == ']') {
			t->p++;
			return enc_close(t->e, start, NULL, 0);
		}
		return -1;
	}
}

int phx_json_text_to_bson(const char *text, size_t n, const char *const *skip, bson_t *b)
{
	enc e = {NULL, 0, 0};
	tx t = {text, text + n, &e};
	bson_t members;
	int rc = -1;

	const char *const *s;

	/* strtod reads the locale's decimal point; JSON's is '.'. A skip list
	 * longer than tx_skipped's bits: the tree path. */
	for (s = skip; s && *s; s++)
		if (s - skip >= 32)
			return -1;
	if (strcmp(localeconv()->decimal_point, ".") != 0)
		return -1;
	pthread_once(&tx_once, tx_init_class);
	tx_ws(&t);
	if (t.p < t.end && *t.p == '{' && tx_object(&t, 0, skip) == 0) {
		tx_ws(&t);
		if (t.p == t.end && bson_init_static(&members, e.p, e.len) &&
		    bson_concat(b, &members))
			rc = 0;
	}
	free(e.p);
	return rc;
}

/* A value JSON cannot say directly, as relaxed Extended JSON ({"$date":..}). */
static json_t *extended_value(const bson_iter_t *it)
{
	bson_t tmp = BSON_INITIALIZER;
	json_t *wrap, *v = NULL;
	char *text;

	if (bson_append_iter(&tmp, "v", 1, it)) {
		text = bson_as_relaxed_extended_json(&tmp, NULL);
		wrap = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
		if (wrap)
			v = json_incref(json_object_get(wrap, "v"));
		json_decref(wrap);
		bson_free(text);
	}
	bson_destroy(&tmp);
	return v ? v : json_null();
}

static json_t *iter_container(bson_iter_t *child, int is_array);

static json_t *iter_value(bson_iter_t *it)
{
	bson_iter_t child;
	uint32_t len;
	const char *s;
	double d;

	switch (bson_iter_type(it)) {
	case BSON_TYPE_UTF8:
		s = bson_iter_utf8(it, &len);
		return json_stringn(s, len);	/* NULL for invalid UTF-8: malformed */
	case BSON_TYPE_INT32:
		return json_integer(bson_iter_int32(it));
	case BSON_TYPE_INT64:
		return json_integer(bson_iter_int64(it));
	case BSON_TYPE_DOUBLE:
		d = bson_iter_double(it);
		return isfinite(d) ? json_real(d) : extended_value(it);
	case BSON_TYPE_BOOL:
		return json_boolean(bson_iter_bool(it));
	case BSON_TYPE_NULL:
	case BSON_TYPE_UNDEFINED:
		return json_null();
	case BSON_TYPE_DOCUMENT:
		if (!bson_iter_recurse(it, &child))
			return NULL;
		return iter_container(&child, 0);
	case BSON_TYPE_ARRAY:
		if (!bson_iter_recurse(it, &child))
			return NULL;
		return iter_container(&child, 1);
	default:
		return extended_value(it);
	}
}

static json_t *iter_container(bson_iter_t *child, int is_array)
{
	json_t *out = is_array ? json_array() : json_object();
	json_t *v;

	while (bson_iter_next(child)) {
		v = iter_value(child);
		if (!v) {
			json_decref(out);
			return NULL;
		}
		if (is_array ? json_array_append_new(out, v)
			     : json_object_setn_new(out, bson_iter_key(child),
						    bson_iter_key_len(child), v)) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

json_t *phx_bson_to_json(const bson_t *b, const char *const *skip)
{
	bson_iter_t it;
	json_t *out, *v;

	if (!bson_iter_init(&it, b))
		return NULL;
	out = json_object();
	while (bson_iter_next(&it)) {
		if (skipped(bson_iter_key(&it), skip))
			continue;
		v = iter_value(&it);
		if (!v || json_object_setn_new(out, bson_iter_key(&it), bson_iter_key_len(&it), v)) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}
