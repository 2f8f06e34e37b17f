/* bsonjson.c - jansson values to BSON and back (see bsonjson.h). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bsonjson.h"
#include "xalloc.h"

int phx_bson_key_safe(const char *key, size_t len)
{
	if (len > 0 && key[0] == '$')
		return 0;
	return memchr(key, '.', len) == NULL && memchr(key, '\0', len) == NULL;
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

static void enc_reserve(enc *e, size_t n)
{
	if (e->cap - e->len >= n)
		return;
	while (e->cap - e->len < n)
		e->cap = e->cap ? 2 * e->cap : 4096;
	e->p = phx_xrealloc(e->p, e->cap);
}

static void enc_u8(enc *e, uint8_t v)
{
	enc_reserve(e, 1);
	e->p[e->len++] = v;
}

static void enc_le(uint8_t *at, uint64_t v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++)
		at[i] = (uint8_t)(v >> (8 * i));
}

static void enc_u32(enc *e, uint32_t v)
{
	enc_reserve(e, 4);
	enc_le(e->p + e->len, v, 4);
	e->len += 4;
}

static void enc_u64(enc *e, uint64_t v)
{
	enc_reserve(e, 8);
	enc_le(e->p + e->len, v, 8);
	e->len += 8;
}

static void enc_bytes(enc *e, const void *p, size_t n)
{
	enc_reserve(e, n);
	memcpy(e->p + e->len, p, n);
	e->len += n;
}

/* Type byte and key (a C string in BSON: safe keys hold no NUL). */
static void enc_head(enc *e, uint8_t type, const char *key, size_t klen)
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
