/* schema_check.c - check a document against a compiled schema, reporting every
 * failure. The passing path allocates nothing: the JSON Pointer of a value is
 * kept as a stack of segments and only rendered when something fails. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "jptr.h"
#include "schema.h"
#include "schema_int.h"
#include "xalloc.h"

const char *const phx_schema_codes[] = {
	"schema.type", "schema.required", "schema.additional", "schema.enum",
	"schema.const", "schema.range", "schema.length", "schema.pattern",
	"schema.count", "schema.format", "schema.false", NULL
};

typedef struct seg {
	const char *key;	/* NULL for an array index */
	size_t len;		/* key length, or the index */
} seg;

typedef struct ctx {
	phx_issues *out;
	size_t added;
	seg *segs;
	size_t depth, cap;
	seg local[64];
} ctx;

static void push(ctx *c, const char *key, size_t len)
{
	if (c->depth == c->cap) {
		size_t cap = c->cap * 2;
		seg *s = phx_xmalloc(cap * sizeof *s);

		memcpy(s, c->segs, c->depth * sizeof *s);
		if (c->segs != c->local)
			free(c->segs);
		c->segs = s;
		c->cap = cap;
	}
	c->segs[c->depth].key = key;
	c->segs[c->depth++].len = len;
}

static void pop(ctx *c)
{
	c->depth--;
}

__attribute__((format(printf, 3, 4)))
static void fail(ctx *c, const char *code, const char *fmt, ...)
{
	phx_buf path = PHX_BUF_INIT, msg = PHX_BUF_INIT;
	va_list ap;

	phx_buf_adds(&path, "");
	for (size_t i = 0; i < c->depth; i++) {
		if (c->segs[i].key)
			phx_jptr_add_token(&path, c->segs[i].key, c->segs[i].len);
		else
			phx_buf_printf(&path, "/%zu", c->segs[i].len);
	}
	va_start(ap, fmt);
	phx_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	phx_issues_add(c->out, PHX_SEV_ERROR, code, path.data, "%s", msg.data ? msg.data : "");
	phx_buf_free(&path);
	phx_buf_free(&msg);
	c->added++;
}

static size_t codepoints(const char *s, size_t n)
{
	size_t cps = 0;

	for (size_t i = 0; i < n; i++)
		cps += ((unsigned char)s[i] & 0xC0) != 0x80;
	return cps;
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "object";
	case JSON_ARRAY: return "array";
	case JSON_STRING: return "string";
	case JSON_INTEGER: return "integer";
	case JSON_REAL: return "number";
	case JSON_TRUE: case JSON_FALSE: return "boolean";
	default: return "null";
	}
}

/* A short, valid UTF-8 rendering of v for messages: strings quoted and cut
 * at 40 code points, numbers as written, containers by type. */
static void describe(const json_t *v, phx_buf *b)
{
	phx_num n;
	char num[64];

	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		size_t len = json_string_length(v), end = 0, cps = 0;

		while (end < len && cps < 40) {
			end++;
			while (end < len && ((unsigned char)s[end] & 0xC0) == 0x80)
				end++;
			cps++;
		}
		phx_buf_add_json_string(b, s, end);
		if (end < len)
			phx_buf_adds(b, "...");
	} else if (json_is_number(v)) {
		phx_num_from_json(&n, v);
		phx_num_format(&n, num, sizeof num);
		phx_buf_adds(b, num);
	} else if (json_is_true(v) || json_is_false(v) || json_is_null(v)) {
		phx_buf_adds(b, json_is_true(v) ? "true" : json_is_false(v) ? "false" : "null");
	} else {
		phx_buf_printf(b, "an %s", type_name(v));
	}
}

static int type_ok(unsigned types, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return types & PHX_T_OBJECT;
	case JSON_ARRAY: return types & PHX_T_ARRAY;
	case JSON_STRING: return types & PHX_T_STRING;
	case JSON_INTEGER: return types & (PHX_T_INTEGER | PHX_T_NUMBER);
	case JSON_REAL: return types & PHX_T_NUMBER;
	case JSON_TRUE: case JSON_FALSE: return types & PHX_T_BOOLEAN;
	default: return types & PHX_T_NULL;
	}
}

static void check_node(ctx *c, const phx_snode *n, const json_t *v);

static void check_enum(ctx *c, const phx_snode *n, const json_t *v)
{
	phx_buf b = PHX_BUF_INIT, what = PHX_BUF_INIT;
	size_t count = json_array_size(n->enum_vals);

	for (size_t i = 0; i < count; i++)
		if (json_equal(v, json_array_get(n->enum_vals, i)))
			return;
	for (size_t i = 0; i < count && i < 12; i++) {
		phx_buf_adds(&b, i ? ", " : "");
		describe(json_array_get(n->enum_vals, i), &b);
	}
	if (count > 12)
		phx_buf_adds(&b, ", ...");
	describe(v, &what);
	fail(c, "schema.enum", "%s is not one of %s", what.data, b.data);
	phx_buf_free(&b);
	phx_buf_free(&what);
}

static void range_fail(ctx *c, const json_t *v, const char *relation, const phx_num *limit)
{
	phx_buf what = PHX_BUF_INIT;
	char lim[64];

	describe(v, &what);
	phx_num_format(limit, lim, sizeof lim);
	fail(c, "schema.range", "%s is %s %s", what.data, relation, lim);
	phx_buf_free(&what);
}

static void check_number(ctx *c, const phx_snode *n, const json_t *v)
{
	phx_num x;

	phx_num_from_json(&x, v);
	if ((n->keys & PHX_K_MIN) && phx_num_cmp(&x, &n->min) < 0)
		range_fail(c, v, "below the minimum", &n->min);
	if ((n->keys & PHX_K_MAX) && phx_num_cmp(&x, &n->max) > 0)
		range_fail(c, v, "above the maximum", &n->max);
	if ((n->keys & PHX_K_XMIN) && phx_num_cmp(&x, &n->xmin) <= 0)
		range_fail(c, v, "not above the exclusive minimum", &n->xmin);
	if ((n->keys & PHX_K_XMAX) && phx_num_cmp(&x, &n->xmax) >= 0)
		range_fail(c, v, "not below the exclusive maximum", &n->xmax);
}

static void check_string(ctx *c, const phx_snode *n, const json_t *v)
{
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);

	/* Bytes bound code points from above, so most strings skip the count. */
	if ((n->keys & PHX_K_MAXLEN) && len > n->maxlen && codepoints(s, len) > n->maxlen)
		fail(c, "schema.length", "is %zu characters long, more than the maximum %zu",
		     codepoints(s, len), n->maxlen);
	if ((n->keys & PHX_K_MINLEN) && codepoints(s, len) < n->minlen)
		fail(c, "schema.length", "is %zu characters long, less than the minimum %zu",
		     codepoints(s, len), n->minlen);
	if (n->keys & PHX_K_PATTERN) {
		regmatch_t m[1] = { { .rm_so = 0, .rm_eo = (regoff_t)len } };
		int ok = n->fast ? phx_fastre_match(n->fast, s, len)
				 : regexec(&n->re, s, 1, m, REG_STARTEND) == 0;

		if (!ok) {
			phx_buf what = PHX_BUF_INIT;

			describe(v, &what);
			fail(c, "schema.pattern", "%s does not match the pattern %s",
			     what.data, n->pattern);
			phx_buf_free(&what);
		}
	}
	if (n->format == PHX_FMT_DATE && phx_format_date(s, len))
		fail(c, "schema.format", "is not a valid date (YYYY-MM-DD)");
	if (n->format == PHX_FMT_DATETIME && phx_format_datetime(s, len))
		fail(c, "schema.format", "is not a valid RFC 3339 date-time");
}

static void check_array(ctx *c, const phx_snode *n, const json_t *v)
{
	size_t size = json_array_size(v);

	if ((n->keys & PHX_K_MINITEMS) && size < n->minitems)
		fail(c, "schema.count", "has %zu items, fewer than the minimum %zu",
		     size, n->minitems);
	if ((n->keys & PHX_K_MAXITEMS) && size > n->maxitems)
		fail(c, "schema.count", "has %zu items, more than the maximum %zu",
		     size, n->maxitems);
	if (!(n->keys & PHX_K_ITEMS))
		return;
	for (size_t i = 0; i < size; i++) {
		push(c, NULL, i);
		check_node(c, n->items, json_array_get(v, i));
		pop(c);
	}
}

long phx_snode_find_prop(const phx_snode *n, const char *name, size_t len)
{
	size_t h = phx_schema_hash(name, len) & (n->nslots - 1);

	for (; n->slots[h]; h = (h + 1) & (n->nslots - 1)) {
		const phx_sprop *p = &n->props[n->slots[h] - 1];

		if (p->len == len && memcmp(p->name, name, len) == 0)
			return (long)(n->slots[h] - 1);
	}
	return -1;
}

/* Records mostly list members in the schema's order, so the property after
 * the last one found is tried before the hash table. */
static long find_prop(const phx_snode *n, const char *key, size_t len, size_t *hint)
{
	long i;

	if (!(n->keys & PHX_K_PROPS))
		return -1;
	if (*hint < n->nprops && n->props[*hint].len == len &&
	    memcmp(n->props[*hint].name, key, len) == 0)
		i = (long)*hint;
	else
		i = phx_snode_find_prop(n, key, len);
	if (i >= 0)
		*hint = (size_t)i + 1;
	return i;
}

static void check_member(ctx *c, const phx_snode *n, const char *key, size_t len,
			 const json_t *val, size_t *hint)
{
	long i = find_prop(n, key, len, hint);

	push(c, key, len);
	if (i >= 0)
		check_node(c, n->props[i].schema, val);
	else if (n->additional && n->additional->boolean == 0)
		fail(c, "schema.additional", "member is not allowed here");
	else if (n->additional)
		check_node(c, n->additional, val);
	pop(c);
}

static void check_object(ctx *c, const phx_snode *n, const json_t *v)
{
	size_t hint = 0;

	if (n->keys & (PHX_K_PROPS | PHX_K_ADDITIONAL)) {
		for (void *it = json_object_iter((json_t *)v); it;
		     it = json_object_iter_next((json_t *)v, it))
			check_member(c, n, json_object_iter_key(it), json_object_iter_key_len(it),
				     json_object_iter_value(it), &hint);
	}
	for (size_t i = 0; i < n->nrequired; i++) {
		if (json_object_getn(v, n->required[i], n->required_len[i]))
			continue;
		push(c, n->required[i], n->required_len[i]);
		fail(c, "schema.required", "required member is missing");
		pop(c);
	}
}

static void check_node(ctx *c, const phx_snode *n, const json_t *v)
{
	if (n->boolean == 1)
		return;
	if (n->boolean == 0) {
		fail(c, "schema.false", "no value is allowed here");
		return;
	}
	if (n->keys & PHX_K_REF)
		check_node(c, n->ref, v);
	if ((n->keys & PHX_K_TYPE) && !type_ok(n->types, v)) {
		phx_buf what = PHX_BUF_INIT;

		describe(v, &what);
		fail(c, "schema.type", "expected %s, got %s %s", n->type_text, type_name(v),
		     what.data);
		phx_buf_free(&what);
	}
	if (n->keys & PHX_K_ENUM)
		check_enum(c, n, v);
	if ((n->keys & PHX_K_CONST) && !json_equal(v, n->const_val)) {
		phx_buf what = PHX_BUF_INIT, want = PHX_BUF_INIT;

		describe(v, &what);
		describe(n->const_val, &want);
		fail(c, "schema.const", "%s is not %s", what.data, want.data);
		phx_buf_free(&what);
		phx_buf_free(&want);
	}
	if (json_is_number(v))
		check_number(c, n, v);
	else if (json_is_string(v))
		check_string(c, n, v);
	else if (json_is_array(v))
		check_array(c, n, v);
	else if (json_is_object(v))
		check_object(c, n, v);
}

size_t phx_schema_check(const phx_schema *schema, const json_t *doc, phx_issues *out)
{
	ctx c = { .out = out };

	if (!schema || !doc)
		return 0;
	c.segs = c.local;
	c.cap = sizeof c.local / sizeof c.local[0];
	check_node(&c, schema->root, doc);
	if (c.segs != c.local)
		free(c.segs);
	return c.added;
}
