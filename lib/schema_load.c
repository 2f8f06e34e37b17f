/* schema_load.c - compile a JSON Schema document into phx_snode trees.
 * Every unsupported keyword and bad value is a load error naming its JSON
 * Pointer: a schema is never half understood. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "jptr.h"
#include "schema.h"
#include "schema_int.h"
#include "xalloc.h"

typedef struct loader {
	phx_schema *s;
	const char *name;
	phx_buf errs;
	int nerr;
} loader;

typedef void (*kw_fn)(loader *L, phx_snode *n, const json_t *v, const char *where);

static phx_snode *compile_node(loader *L, const json_t *v, const char *where, int is_root);

__attribute__((format(printf, 3, 4)))
static void problem(loader *L, const char *where, const char *fmt, ...)
{
	va_list ap;

	phx_buf_printf(&L->errs, "%s%s: %s: ", L->nerr ? "\n" : "", L->name,
		       where[0] ? where : "(root)");
	va_start(ap, fmt);
	phx_buf_vprintf(&L->errs, fmt, ap);
	va_end(ap);
	L->nerr++;
}

/* where + "/" + key, escaped: a child's JSON Pointer. */
static char *child_where(const char *where, const char *key)
{
	phx_buf b = PHX_BUF_INIT;

	phx_buf_adds(&b, where);
	phx_jptr_add_token(&b, key, strlen(key));
	return phx_buf_steal(&b);
}

static phx_snode *new_node(loader *L, const char *where)
{
	phx_schema *s = L->s;
	phx_snode *n = phx_xcalloc(1, sizeof *n);

	n->boolean = -1;
	n->where = phx_xstrdup(where);
	if (s->nnodes == s->capnodes) {
		s->capnodes = s->capnodes ? s->capnodes * 2 : 32;
		s->nodes = phx_xrealloc(s->nodes, s->capnodes * sizeof *s->nodes);
	}
	s->nodes[s->nnodes++] = n;
	return n;
}

static const struct { const char *name; unsigned bit; } type_names[] = {
	{ "null", PHX_T_NULL }, { "boolean", PHX_T_BOOLEAN }, { "object", PHX_T_OBJECT },
	{ "array", PHX_T_ARRAY }, { "number", PHX_T_NUMBER }, { "string", PHX_T_STRING },
	{ "integer", PHX_T_INTEGER },
};

static unsigned type_bit(const json_t *v)
{
	if (!json_is_string(v))
		return 0;
	for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
		if (strcmp(json_string_value(v), type_names[i].name) == 0)
			return type_names[i].bit;
	return 0;
}

static void kw_type(loader *L, phx_snode *n, const json_t *v, const char *where)
{
	phx_buf text = PHX_BUF_INIT;
	size_t i, count = json_is_array(v) ? json_array_size(v) : 1;

	if (json_is_array(v) && count == 0) {
		problem(L, where, "\"type\" must not be an empty array");
		return;
	}
	for (i = 0; i < count; i++) {
		const json_t *t = json_is_array(v) ? json_array_get(v, i) : v;
		unsigned bit = type_bit(t);

		if (!bit) {
			problem(L, where, "\"type\" must name JSON types (null, boolean, object,"
				" array, number, string, integer)");
			phx_buf_free(&text);
			return;
		}
		if (n->types & bit)
			problem(L, where, "\"type\" repeats \"%s\"", json_string_value(t));
		n->types |= bit;
		phx_buf_printf(&text, "%s%s", i ? " or " : "", json_string_value(t));
	}
	n->keys |= PHX_K_TYPE;
	n->type_text = phx_buf_steal(&text);
}

static void kw_enum(loader *L, phx_snode *n, const json_t *v, const char *where)
{
	if (!json_is_array(v) || json_array_size(v) == 0) {
		problem(L, where, "\"enum\" must be a non-empty array");
		return;
	}
	n->enum_vals = json_deep_copy(v);
	n->keys |= PHX_K_ENUM;
}

static void kw_const(loader *L, phx_snode *n, const json_t *v, const char *where)
{
	(void)L;
	(void)where;
	n->const_val = json_deep_copy(v);
	n->keys |= PHX_K_CONST;
}

static int want_number(loader *L, const json_t *v, const char *where, phx_num *out)
{
	if (!json_is_number(v)) {
		problem(L, where, "must be a number");
		return -1;
	}
	phx_num_from_json(out, v);
	return 0;
}

static void kw_minimum(loader *L, phx_snode *n, const json_t *v, const char *where)
{
	if (want_number(L, v, where, &n->min) == 0)
		n->keys |= PHX_K_MIN;
}

static void kw_maximum(loader *L, phx_snode *n, const json_t *v, const char *where)
{
	if (want_number(L, v, where, &n->max) == 0)
		n->keys |= PHX_K_MAX;
}

static void kw_xminimum(loader *L, phx_snode *n, const json_t *v, const char *where)
{
	if (want_number(L, v, where, &n->xmin) == 0)
		n->keys |= PHX_K_XMIN;
}

static void kw_xmaximum(loader *L, phx_snode *n, const json_t *v, const char *where)
{
	if (want_number(L, v, where, &n->xmax) == 0)
		n->keys |= PHX_K_XMAX;
}

static int want_count(loader *L, const json_t *v, const char *where, size_t *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		problem(L, where, "must be a non-negative integer");
		return -1;
	}
	*out = (size_t)json_integer_value(v);
	return 0;
}

static void kw_minlength(loader *L, phx_snode *n, const json_t *v, const char *where)
{
	if (want_count(L, v, where, &n->minlen) == 0)
		n->keys |= PHX_K_MINLEN;
}

static void kw_maxlength(loader *L, phx_snode *n, const json_t *v, const char *where)
{
	if (want_count(L, v, where, &n->maxlen) == 0)
		n->keys |= PHX_K_MAXLEN;
}

static void kw_minitems(loader *L, phx_snode *n, const json_t *v, const char *where)
{
	if (want_count(L, v, where, &n->minitems) == 0)
		n->keys |= PHX_K_MINITEMS;
}

static void kw_maxitems(loader *L, phx_snode *n, const json_t *v, const char *where)
{
	if (want_count(L, v, where, &n->maxitems) == 0)
		n->keys |= PHX_K_MAXITEMS;
}

static void kw_pattern(loader *L, phx_snode *n, const json_t *v, const char *where)
{
	const char *why;
	char msg[256];
	int rc;

	if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v)) {
		problem(L, where, "\"pattern\" must be a string without NUL");
		return;
	}
	if ((why = phx_pattern_unsupported(json_string_value(v)))) {
		problem(L, where, "pattern uses %s, which is not supported", why);
		return;
	}
	rc = regcomp(&n->re, json_string_value(v), REG_EXTENDED | REG_NOSUB);
	if (rc != 0) {
		regerror(rc, &n->re, msg, sizeof msg);
		problem(L, where, "pattern does not compile: %s", msg);
		return;
	}
	n->pattern = phx_xstrdup(json_string_value(v));
	n->fast = phx_fastre_compile(n->pattern);
	n->keys |= PHX_K_PATTERN;
}

static void kw_format(loader *L, phx_snode *n, const json_t *v, const char *where)
{
	const char *f = json_is_string(v) ? json_string_value(v) : "";

	if (strcmp(f, "date") == 0)
		n->format = PHX_FMT_DATE;
	else if (strcmp(f, "date-time") == 0)
		n->format = PHX_FMT_DATETIME;
	else {
		problem(L, where, "unsupported format \"%s\" (only \"date\" and \"date-time\")", f);
		return;
	}
	n->keys |= PHX_K_FORMAT;
}

static void kw_items(loader *L, phx_snode *n, const json_t *v, const char *where)
{
	if (json_is_array(v)) {
		problem(L, where, "\"items\" as an array is draft-07 (2020-12 prefixItems is"
			" not supported)");
		return;
	}
	n->items = compile_node(L, v, where, 0);
	n->keys |= PHX_K_ITEMS;
}

static void kw_additional(loader *L, phx_snode *n, const json_t *v, const char *where)
{
	if (json_is_true(v))
		return;		/* the default: nothing to check */
	n->additional = compile_node(L, v, where, 0);
	n->keys |= PHX_K_ADDITIONAL;
}

size_t phx_schema_hash(const char *s, size_t n)
{
	size_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static void index_props(phx_snode *n)
{
	n->nslots = 4;
	while (n->nslots < 2 * n->nprops)
		n->nslots *= 2;
	n->slots = phx_xcalloc(n->nslots, sizeof *n->slots);
	for (size_t i = 0; i < n->nprops; i++) {
		size_t h = phx_schema_hash(n->props[i].name, n->props[i].len) & (n->nslots - 1);

		while (n->slots[h])
			h = (h + 1) & (n->nslots - 1);
		n->slots[h] = i + 1;
	}
}

static void kw_properties(loader *L, phx_snode *n, const json_t *v, const char *where)
{
	const char *key;
	json_t *sub;

	if (!json_is_object(v)) {
		problem(L, where, "\"properties\" must be an object");
		return;
	}
	n->props = phx_xcalloc(json_object_size(v) + 1, sizeof *n->props);
	json_object_foreach((json_t *)v, key, sub) {
		char *cw = child_where(where, key);
		phx_sprop *p = &n->props[n->nprops++];

		p->name = phx_xstrdup(key);
		p->len = strlen(key);
		p->schema = compile_node(L, sub, cw, 0);
		free(cw);
	}
	index_props(n);
	n->keys |= PHX_K_PROPS;
}

static void kw_required(loader *L, phx_snode *n, const json_t *v, const char *where)
{
	size_t count = json_is_array(v) ? json_array_size(v) : 0;

	if (!json_is_array(v)) {
		problem(L, where, "\"required\" must be an array of strings");
		return;
	}
	n->required = phx_xcalloc(count + 1, sizeof *n->required);
	n->required_len = phx_xcalloc(count + 1, sizeof *n->required_len);
	for (size_t i = 0; i < count; i++) {
		const json_t *r = json_array_get(v, i);

		if (!json_is_string(r)) {
			problem(L, where, "\"required\" must be an array of strings");
			return;
		}
		for (size_t j = 0; j < i; j++)
			if (json_equal(r, json_array_get(v, j)))
				problem(L, where, "\"required\" repeats \"%s\"",
					json_string_value(r));
		n->required[n->nrequired] = phx_xstrndup(json_string_value(r),
							 json_string_length(r));
		n->required_len[n->nrequired++] = json_string_length(r);
	}
	n->keys |= PHX_K_REQUIRED;
}

static void kw_ref(loader *L, phx_snode *n, const json_t *v, const char *where)
{
	if (!json_is_string(v)) {
		problem(L, where, "\"$ref\" must be a string");
		return;
	}
	n->ref_text = phx_xstrdup(json_string_value(v));
	n->keys |= PHX_K_REF;
}

static void kw_defs(loader *L, phx_snode *n, const json_t *v, const char *where)
{
	phx_schema *s = L->s;
	const char *key;
	json_t *sub;

	(void)n;
	if (!json_is_object(v)) {
		problem(L, where, "\"$defs\" must be an object");
		return;
	}
	s->def_names = phx_xcalloc(json_object_size(v) + 1, sizeof *s->def_names);
	s->defs = phx_xcalloc(json_object_size(v) + 1, sizeof *s->defs);
	json_object_foreach((json_t *)v, key, sub) {
		char *cw = child_where(where, key);

		s->def_names[s->ndefs] = phx_xstrdup(key);
		s->defs[s->ndefs++] = compile_node(L, sub, cw, 0);
		free(cw);
	}
}

static void kw_ignore(loader *L, phx_snode *n, const json_t *v, const char *where)
{
	(void)L;
	(void)n;
	(void)v;
	(void)where;
}

static const struct { const char *name; kw_fn fn; } keywords[] = {
	{ "type", kw_type }, { "enum", kw_enum }, { "const", kw_const },
	{ "minimum", kw_minimum }, { "maximum", kw_maximum },
	{ "exclusiveMinimum", kw_xminimum }, { "exclusiveMaximum", kw_xmaximum },
	{ "minLength", kw_minlength }, { "maxLength", kw_maxlength },
	{ "minItems", kw_minitems }, { "maxItems", kw_maxitems },
	{ "pattern", kw_pattern }, { "format", kw_format }, { "items", kw_items },
	{ "properties", kw_properties }, { "additionalProperties", kw_additional },
	{ "required", kw_required }, { "$ref", kw_ref },
	{ "$schema", kw_ignore }, { "$id", kw_ignore }, { "title", kw_ignore },
	{ "description", kw_ignore }, { "$comment", kw_ignore }, { "default", kw_ignore },
	{ "examples", kw_ignore }, { "deprecated", kw_ignore }, { "readOnly", kw_ignore },
	{ "writeOnly", kw_ignore },
};

static kw_fn find_keyword(const char *name)
{
	for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
		if (strcmp(keywords[i].name, name) == 0)
			return keywords[i].fn;
	return NULL;
}

static phx_snode *compile_node(loader *L, const json_t *v, const char *where, int is_root)
{
	phx_snode *n = new_node(L, where);
	const char *key;
	json_t *sub;

	if (json_is_boolean(v)) {
		n->boolean = json_is_true(v);
		return n;
	}
	if (!json_is_object(v)) {
		problem(L, where, "a schema must be an object or a boolean");
		return n;
	}
	json_object_foreach((json_t *)v, key, sub) {
		char *cw = child_where(where, key);
		kw_fn fn = find_keyword(key);

		if (strcmp(key, "$defs") == 0 && is_root)
			kw_defs(L, n, sub, cw);
		else if (strcmp(key, "$defs") == 0)
			problem(L, cw, "\"$defs\" is supported at the root of the schema only");
		else if (fn)
			fn(L, n, sub, cw);
		else
			problem(L, cw, "unsupported keyword \"%s\"", key);
		free(cw);
	}
	return n;
}

/* "#" or "#/$defs/NAME" (NAME with ~0 ~1 escapes). */
static phx_snode *resolve_ref(const phx_schema *s, const char *ref)
{
	phx_jptr p;
	phx_snode *found = NULL;

	if (strcmp(ref, "#") == 0)
		return s->root;
	if (ref[0] != '#' || phx_jptr_compile(&p, ref + 1) < 0)
		return NULL;
	if (p.ntok == 2 && strcmp(p.tok[0], "$defs") == 0 && strlen(p.tok[1]) == p.toklen[1])
		for (size_t i = 0; i < s->ndefs && !found; i++)
			if (strcmp(s->def_names[i], p.tok[1]) == 0)
				found = s->defs[i];
	phx_jptr_free(&p);
	return found;
}

static void resolve_refs(loader *L)
{
	phx_schema *s = L->s;

	for (size_t i = 0; i < s->nnodes; i++) {
		phx_snode *n = s->nodes[i];

		if (!(n->keys & PHX_K_REF))
			continue;
		n->ref = resolve_ref(s, n->ref_text);
		if (!n->ref)
			problem(L, n->where, "\"$ref\": \"%s\" does not resolve (only \"#\" and"
				" \"#/$defs/NAME\" of this file are supported)", n->ref_text);
	}
	/* A chain of $refs that comes back to its start would never descend into
	 * the document: refuse it rather than recurse forever. */
	for (size_t i = 0; i < s->nnodes; i++) {
		size_t steps = 0;

		for (phx_snode *n = s->nodes[i]->ref; n && steps <= s->nnodes; n = n->ref)
			steps++;
		if (steps > s->nnodes) {
			problem(L, s->nodes[i]->where, "\"$ref\" loops back to itself");
			return;
		}
	}
}

phx_schema *phx_schema_compile(const json_t *root, const char *name, char **err)
{
	loader L = { .name = name ? name : "schema" };

	L.s = phx_xcalloc(1, sizeof *L.s);
	L.s->root = compile_node(&L, root, "", 1);
	if (L.nerr == 0)
		resolve_refs(&L);
	if (L.nerr) {
		phx_schema_free(L.s);
		if (err)
			*err = phx_buf_steal(&L.errs);
		else
			phx_buf_free(&L.errs);
		return NULL;
	}
	return L.s;
}

phx_schema *phx_schema_load(const char *path, char **err)
{
	json_error_t je;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	phx_schema *s;

	if (!root) {
		if (err) {
			phx_buf b = PHX_BUF_INIT;

			phx_buf_printf(&b, "%s:%d:%d: %s", path, je.line, je.column, je.text);
			*err = phx_buf_steal(&b);
		}
		return NULL;
	}
	s = phx_schema_compile(root, path, err);
	json_decref(root);
	return s;
}

static void free_node(phx_snode *n)
{
	json_decref(n->enum_vals);
	json_decref(n->const_val);
	if (n->keys & PHX_K_PATTERN)
		regfree(&n->re);
	phx_fastre_free(n->fast);
	free(n->pattern);
	free(n->type_text);
	for (size_t i = 0; i < n->nprops; i++)
		free(n->props[i].name);
	free(n->props);
	free(n->slots);
	for (size_t i = 0; i < n->nrequired; i++)
		free(n->required[i]);
	free(n->required);
	free(n->required_len);
	free(n->ref_text);
	free(n->where);
	free(n);
}

void phx_schema_free(phx_schema *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nnodes; i++)
		free_node(s->nodes[i]);
	free(s->nodes);
	for (size_t i = 0; i < s->ndefs; i++)
		free(s->def_names[i]);
	free(s->def_names);
	free(s->defs);
	free(s);
}
