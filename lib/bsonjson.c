/* bsonjson.c - jansson values to BSON and back (see bsonjson.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "bsonjson.h"

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

static int append_value(bson_t *b, const char *key, size_t klen, const json_t *v,
			int depth, char *why, size_t n);

static int append_object(bson_t *b, const json_t *obj, const char *const *skip,
			 int depth, char *why, size_t n)
{
	const char *key;
	json_t *v;
	void *it;

	for (it = json_object_iter((json_t *)obj); it;
	     it = json_object_iter_next((json_t *)obj, it)) {
		key = json_object_iter_key(it);
		v = json_object_iter_value(it);
		size_t klen = json_object_iter_key_len(it);
		if (depth == 0 && skipped(key, skip))
			continue;
		if (!phx_bson_key_safe(key, klen)) {
			snprintf(why, n, "unsafe key \"%.*s\" (begins with '$' or holds '.' or NUL)",
				 (int)strnlen(key, klen > 64 ? 64 : klen), key);
			return -1;
		}
		if (append_value(b, key, klen, v, depth + 1, why, n) < 0)
			return -1;
	}
	return 0;
}

static int append_array(bson_t *b, const json_t *arr, int depth, char *why, size_t n)
{
	char idx[24];
	const char *key;
	size_t i;

	for (i = 0; i < json_array_size(arr); i++) {
		size_t klen = bson_uint32_to_string((uint32_t)i, &key, idx, sizeof idx);
		if (append_value(b, key, klen, json_array_get(arr, i), depth + 1, why, n) < 0)
			return -1;
	}
	return 0;
}

static int append_value(bson_t *b, const char *key, size_t klen, const json_t *v,
			int depth, char *why, size_t n)
{
	bson_t child;
	int rc = 0, ok = 1;

	if (depth > PHX_BSONJSON_MAX_DEPTH) {
		snprintf(why, n, "nested deeper than %d levels", PHX_BSONJSON_MAX_DEPTH);
		return -1;
	}
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		ok = bson_append_document_begin(b, key, (int)klen, &child);
		rc = append_object(&child, v, NULL, depth, why, n);
		ok = bson_append_document_end(b, &child) && ok;
		break;
	case JSON_ARRAY:
		ok = bson_append_array_begin(b, key, (int)klen, &child);
		rc = append_array(&child, v, depth, why, n);
		ok = bson_append_array_end(b, &child) && ok;
		break;
	case JSON_STRING:
		ok = bson_append_utf8(b, key, (int)klen, json_string_value(v),
				      (int)json_string_length(v));
		break;
	case JSON_INTEGER:
		ok = bson_append_int64(b, key, (int)klen, (int64_t)json_integer_value(v));
		break;
	case JSON_REAL:
		ok = bson_append_double(b, key, (int)klen, json_real_value(v));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		ok = bson_append_bool(b, key, (int)klen, json_is_true(v));
		break;
	case JSON_NULL:
		ok = bson_append_null(b, key, (int)klen);
		break;
	}
	if (rc == 0 && !ok) {
		snprintf(why, n, "document too large for BSON");
		return -1;
	}
	return rc;
}

int phx_json_to_bson(const json_t *obj, const char *const *skip, bson_t *b,
		     char *why, size_t n)
{
	if (!json_is_object(obj)) {
		snprintf(why, n, "not a JSON object");
		return -1;
	}
	return append_object(b, obj, skip, 0, why, n);
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
