/* mls_detail.c - one MLS detail page to one property record: parse with
 * libxml2's HTML parser, run the layers (URL, JSON-LD, meta, XPath
 * selectors, text fallback), merge them with the higher layer winning, and
 * keep which layer gave each field and every disagreement in
 * _phx.mls. See mls_detail.h; the selectors are in mls_selectors.c, the
 * value parsers in mls_values.c, the JSON-LD and meta layers in
 * mls_layers.c, the conversion of selector fields to record fields in
 * mls_fields.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include "mls_detail.h"
#include "mls_fields.h"
#include "mls_layers.h"
#include "mls_selectors.h"
#include "mls_values.h"
#include "mls_xpath.h"
#include "timeutil.h"
#include "xalloc.h"

#define NOT_FOUND_TEXT "This listing is no longer available."
#define MISSING_TEXT "This listing is missing required data."

static const char *const layer_names[] = { "url", "jsonld", "meta", "xpath", "text" };
enum { L_URL, L_JSONLD, L_META, L_XPATH, L_TEXT, L_COUNT };

typedef struct page {
	const phx_mls_selectors *s;
	xmlDoc *doc;
	xmlXPathContext *ctx;
	const char *tmpl;	/* the template the page matched, or NULL */
	json_t *report;		/* --check-selectors: one object per selector, or NULL */
	phx_mls_index index;	/* the one-walk answers (mls_xpath.c) */
	size_t matched;		/* XPath selectors that read something */
} page;

static int applies(const phx_mls_sel *x, const char *tmpl)
{
	return tmpl && (strcmp(x->tmpl, "*") == 0 || strcmp(x->tmpl, tmpl) == 0);
}

static xmlXPathObject *eval(page *p, xmlXPathCompExprPtr comp, xmlNode *at)
{
	p->ctx->node = at ? at : xmlDocGetRootElement(p->doc);
	return xmlXPathCompiledEval(comp, p->ctx);
}

/* A selector's own expression on the page, through the one-walk index
 * when it has that form. */
static xmlXPathObject *eval_sel(page *p, const phx_mls_sel *x)
{
	if (x->slot >= 0 && !p->s->plain)
		return phx_mls_index_eval(&p->index, x, p->ctx);
	return eval(p, x->comp, NULL);
}

/* All the text an XPath result holds ("" when it holds none). */
static char *result_text(xmlXPathObject *r)
{
	phx_buf b = PHX_BUF_INIT;
	phx_buf_adds(&b, "");
	if (!r)
		return phx_buf_steal(&b);
	if (r->type == XPATH_NODESET && r->nodesetval) {
		for (int i = 0; i < r->nodesetval->nodeNr; i++)
			phx_mls_node_text(&b, r->nodesetval->nodeTab[i]);
	} else if (r->type != XPATH_NODESET) {
		xmlChar *s = xmlXPathCastToString(r);
		if (s)
			phx_buf_adds(&b, (const char *)s);
		xmlFree(s);
	}
	return phx_buf_steal(&b);
}

static int is_blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

/* The page's template: the first template line whose XPath matches. */
static void pick_template(page *p)
{
	for (size_t i = 0; i < p->s->nsels; i++) {
		const phx_mls_sel *x = &p->s->sels[i];
		if (x->kind != PHX_MLS_SEL_TEMPLATE)
			continue;
		xmlXPathObject *r = p->tmpl ? NULL : eval_sel(p, x);
		int hit = r && ((r->type == XPATH_NODESET && r->nodesetval &&
				 r->nodesetval->nodeNr > 0) ||
				(r->type == XPATH_BOOLEAN && r->boolval));
		xmlXPathFreeObject(r);
		if (hit) {
			p->tmpl = x->tmpl;
			p->matched++;
		}
		if (p->report)
			json_array_append_new(p->report, json_pack(
				"{s:s, s:i, s:s, s:s, s:b}", "kind", "template", "line", x->line,
				"template", x->tmpl, "xpath", x->xpath, "matched", hit));
	}
}

/* One selector value into the field's raw strings (vals), unless taken. */
static void put_value(json_t *vals, const char *field, char *text)
{
	if (strcmp(field, "photos") == 0) {
		json_t *a = json_object_get(vals, "photos");
		if (!a) {
			a = json_array();
			json_object_set_new(vals, "photos", a);
		}
		json_array_append_new(a, phx_mls_jstr(phx_mls_squeeze(text)));
		return;
	}
	if (json_object_get(vals, field))
		return;
	if (strcmp(field, "description") != 0)
		phx_mls_squeeze(text);
	json_object_set_new(vals, field, phx_mls_jstr(text));
}

static void read_field(page *p, const phx_mls_sel *x, json_t *vals)
{
	int photos = strcmp(x->field, "photos") == 0;
	int taken = photos ? json_object_get(vals, "photos") != NULL
			   : json_object_get(vals, x->field) != NULL;
	if (taken && !p->report)
		return;	/* an earlier line for this field read it */
	xmlXPathObject *r = eval_sel(p, x);
	json_t *read = json_array();
	if (r && r->type == XPATH_NODESET && r->nodesetval && photos) {
		for (int i = 0; i < r->nodesetval->nodeNr; i++) {
			phx_buf b = PHX_BUF_INIT;
			phx_mls_node_text(&b, r->nodesetval->nodeTab[i]);
			if (!is_blank(b.data)) {
				if (!taken)
					put_value(vals, "photos", b.data);
				json_array_append_new(read, phx_mls_jstr(b.data));
			}
			phx_buf_free(&b);
		}
	} else {
		char *t = result_text(r);
		if (!is_blank(t)) {
			json_array_append_new(read, phx_mls_jstr(t));
			put_value(vals, x->field, t);
		}
		free(t);
	}
	xmlXPathFreeObject(r);
	size_t n = json_array_size(read);
	p->matched += n > 0;
	if (p->report)
		json_array_append_new(p->report, json_pack(
			"{s:s, s:i, s:s, s:s, s:s, s:b, s:b, s:o}", "kind", "field", "line",
			x->line, "template", x->tmpl, "field", x->field, "xpath", x->xpath,
			"matched", n > 0, "used", n > 0 && !taken,
			"read", photos ? read : json_incref(n ? json_array_get(read, 0)
							      : json_null())));
	if (!photos || !p->report)
		json_decref(read);
}

static void read_rows(page *p, const phx_mls_sel *x, json_t *vals, json_t *labels)
{
	xmlXPathObject *r = eval_sel(p, x);
	json_t *read = p->report ? json_array() : NULL;
	int rows = 0;
	for (int i = 0; r && r->type == XPATH_NODESET && r->nodesetval &&
			i < r->nodesetval->nodeNr; i++) {
		xmlNode *row = r->nodesetval->nodeTab[i];
		xmlXPathObject *lr = eval(p, x->label_comp, row);
		char *label = result_text(lr);
		xmlXPathFreeObject(lr);
		char norm[256];
		phx_mls_label_norm(label, norm, sizeof norm);
		if (!norm[0]) {
			free(label);
			continue;
		}
		xmlXPathObject *vr = eval(p, x->value_comp, row);
		char *value = result_text(vr);
		xmlXPathFreeObject(vr);
		phx_mls_squeeze(value);
		phx_mls_squeeze(label);
		size_t ln = strlen(label);
		while (ln > 0 && (label[ln - 1] == ':' || label[ln - 1] == ' '))
			label[--ln] = '\0';
		const char *field = phx_mls_label_field(p->s, norm);
		char *key = phx_mls_safe_key(label);
		if (!json_object_get(labels, key))
			json_object_set_new(labels, key, phx_mls_jstr(value));
		free(key);
		if (field)
			put_value(vals, field, value);
		if (read)
			json_array_append_new(read, json_pack("{s:o, s:s?, s:o}", "label",
				phx_mls_jstr(label), "field", field, "value", phx_mls_jstr(value)));
		rows++;
		free(label);
		free(value);
	}
	xmlXPathFreeObject(r);
	p->matched += rows > 0;
	if (p->report)
		json_array_append_new(p->report, json_pack(
			"{s:s, s:i, s:s, s:s, s:s, s:s, s:b, s:i, s:o}", "kind", "row", "line",
			x->line, "template", x->tmpl, "xpath", x->xpath, "label", x->label_xpath,
			"value", x->value_xpath, "matched", rows > 0, "rows", rows, "read", read));
}

/* Layer 3: the selectors of the page's template. */
static void xpath_layer(page *p, json_t *vals, json_t *labels)
{
	for (size_t i = 0; i < p->s->nsels; i++) {
		const phx_mls_sel *x = &p->s->sels[i];
		if (x->kind == PHX_MLS_SEL_TEMPLATE)
			continue;
		if (!applies(x, p->tmpl)) {
			if (p->report)
				json_array_append_new(p->report, json_pack(
					"{s:s, s:i, s:s, s:s?, s:s, s:b, s:s}", "kind",
					x->kind == PHX_MLS_SEL_ROW ? "row" : "field", "line",
					x->line, "template", x->tmpl, "field", x->field, "xpath",
					x->xpath, "matched", 0, "skipped",
					p->tmpl ? "other template" : "no template matched"));
			continue;
		}
		if (x->kind == PHX_MLS_SEL_ROW)
			read_rows(p, x, vals, labels);
		else
			read_field(p, x, vals);
	}
}

/* Layer 4: regular expressions over the visible text, for fields the
 * layers above left unknown. */
static void text_layer(page *p, const json_t *merged, json_t *vals)
{
	char *text = NULL;
	for (size_t i = 0; i < p->s->ntexts; i++) {
		const phx_mls_text *t = &p->s->texts[i];
		const char *rf = phx_mls_record_field(t->field);
		int need = !json_object_get(vals, t->field) &&
			   (!rf || json_is_null(json_object_get(merged, rf)) ||
			    !json_object_get(merged, rf));
		if (!need && !p->report)
			continue;
		if (!text) {
			phx_buf b = PHX_BUF_INIT;
			phx_mls_node_text(&b, (xmlNode *)p->doc);
			text = phx_buf_steal(&b);
			phx_mls_squeeze(text);
		}
		regmatch_t m[2];
		int hit = regexec(&t->re, text, 2, m, 0) == 0 && m[1].rm_so >= 0;
		char *v = hit ? phx_xstrndup(text + m[1].rm_so, (size_t)(m[1].rm_eo - m[1].rm_so))
			      : NULL;
		if (v && need)
			put_value(vals, t->field, v);
		if (p->report)
			json_array_append_new(p->report, json_pack(
				"{s:s, s:i, s:s, s:s, s:b, s:b, s:o}", "kind", "text", "line",
				t->line, "field", t->field, "pattern", t->pattern, "matched", hit,
				"used", hit && need, "read", v ? phx_mls_jstr(v) : json_null()));
		free(v);
	}
	free(text);
}

/* ---- merging the layers ---- */

/* "abc..." is a cut of "abcdef": the shorter text without a trailing
 * ellipsis is a prefix of the longer. */
static int is_cut_of(const char *shorter, const char *longer)
{
	size_t n = strlen(shorter);
	while (n > 0 && (shorter[n - 1] == '.' || shorter[n - 1] == ' '))
		n--;
	if (n >= 3 && strncmp(shorter + n - 3, "\xe2\x80\xa6", 3) == 0)
		n -= 3;
	return n > 0 && n <= strlen(longer) && strncmp(shorter, longer, n) == 0;
}

/* Every member of a is in b. */
static int is_subset(const json_t *a, const json_t *b)
{
	size_t i, j;
	json_t *x, *y;
	json_array_foreach(a, i, x) {
		int found = 0;
		json_array_foreach(b, j, y)
			if (json_equal(x, y)) {
				found = 1;
				break;
			}
		if (!found)
			return 0;
	}
	return 1;
}

static void merge_layer(json_t *merged, json_t *layers, json_t *conflicts, const json_t *cand,
			int layer)
{
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)cand, k, v) {
		json_t *old = json_object_get(merged, k);
		if (json_is_null(v))
			continue;
		if (!old || json_is_null(old)) {
			json_object_set(merged, k, v);
			json_object_set_new(layers, k, json_string(layer_names[layer]));
			continue;
		}
		if (json_equal(old, v))
			continue;
		if (strcmp(k, "description") == 0 && json_is_string(old) && json_is_string(v) &&
		    is_cut_of(json_string_value(old), json_string_value(v))) {
			/* a meta tag's cut remarks, completed by the page */
			json_object_set(merged, k, v);
			json_object_set_new(layers, k, json_string(layer_names[layer]));
			continue;
		}
		if (strcmp(k, "description") == 0 && json_is_string(old) && json_is_string(v) &&
		    is_cut_of(json_string_value(v), json_string_value(old)))
			continue;
		if (json_is_array(old) && json_is_array(v) && is_subset(old, v)) {
			/* og:image is one of the page's photos */
			json_object_set(merged, k, v);
			json_object_set_new(layers, k, json_string(layer_names[layer]));
			continue;
		}
		json_array_append_new(conflicts, json_pack(
			"{s:s, s:{s:O, s:O}, s:{s:s, s:O}}", "field", k, "kept", "layer",
			json_object_get(layers, k), "value", old, "other", "layer",
			layer_names[layer], "value", v));
	}
}

/* ---- the page ---- */

static int fail(const char **code, const char *c, char *reason, size_t n, const char *fmt,
		const char *url)
{
	*code = c;
	snprintf(reason, n, fmt, url ? url : "(no URL)");
	return -1;
}

static xmlDoc *parse_html(const char *html, size_t len, const char *url)
{
	if (len > 0x7fffffff)
		return NULL;
	return htmlReadMemory(html, (int)len, url, "UTF-8",
			      HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
			      HTML_PARSE_NONET | HTML_PARSE_COMPACT);
}

typedef struct layers_out {
	json_t *cand[L_COUNT];
	json_t *vals;		/* selector field -> text as read */
	json_t *labels, *meta_raw, *ld_types;
} layers_out;

static void run_layers(page *p, const char *url, layers_out *o)
{
	for (int i = 0; i < L_COUNT; i++)
		o->cand[i] = json_object();
	o->vals = json_object();
	o->labels = json_object();
	o->meta_raw = json_object();
	o->ld_types = json_array();
	char id[40];
	if (url && phx_mls_id_from_url(url, id, sizeof id) == 0)
		json_object_set_new(o->cand[L_URL], "mls_id", json_string(id));
	if (url && strncmp(url, "http", 4) == 0) {
		char *c = phx_mls_canonical_url(url);
		json_object_set_new(o->cand[L_URL], "url", phx_mls_jstr(c));
		free(c);
	}
	phx_mls_jsonld_layer(p->doc, o->cand[L_JSONLD], o->ld_types);
	phx_mls_meta_layer(p->doc, o->cand[L_META], o->meta_raw);
	pick_template(p);
	if (p->tmpl || p->report)
		xpath_layer(p, o->vals, o->labels);
	phx_mls_fields_convert(o->vals, p->tmpl, o->cand[L_XPATH]);
}

static void free_layers(layers_out *o)
{
	for (int i = 0; i < L_COUNT; i++)
		json_decref(o->cand[i]);
	json_decref(o->vals);
	json_decref(o->labels);
	json_decref(o->meta_raw);
	json_decref(o->ld_types);
}

static int open_page(page *p, const phx_mls_selectors *s, const char *html, size_t len,
		     const char *url)
{
	memset(p, 0, sizeof *p);
	p->s = s;
	p->doc = html && len ? parse_html(html, len, url) : NULL;
	if (!p->doc || !xmlDocGetRootElement(p->doc)) {
		xmlFreeDoc(p->doc);
		p->doc = NULL;
		return -1;
	}
	p->ctx = xmlXPathNewContext(p->doc);
	if (!s->plain)
		phx_mls_index_build(&p->index, s, p->doc);
	return 0;
}

static void close_page(page *p)
{
	phx_mls_index_free(&p->index);
	xmlXPathFreeContext(p->ctx);
	xmlFreeDoc(p->doc);
}

int phx_mls_extract_detail(const phx_mls_selectors *s, const char *html, size_t len,
			   const char *url, json_t **out, const char **code,
			   char *reason, size_t reasonlen)
{
	*out = NULL;
	*code = NULL;
	if (html && memmem(html, len, NOT_FOUND_TEXT, sizeof NOT_FOUND_TEXT - 1))
		return fail(code, "mls.not_found", reason, reasonlen,
			    "the site says \"" NOT_FOUND_TEXT "\": %s", url);
	if (html && memmem(html, len, MISSING_TEXT, sizeof MISSING_TEXT - 1))
		return fail(code, "mls.bad_page", reason, reasonlen,
			    "the site says \"" MISSING_TEXT "\": %s", url);
	page p;
	if (open_page(&p, s, html, len, url) != 0)
		return fail(code, "mls.bad_page", reason, reasonlen,
			    "not an HTML page (empty or unparseable): %s", url);
	layers_out o;
	run_layers(&p, url, &o);
	if (p.matched == 0) {
		free_layers(&o);
		close_page(&p);
		*code = "mls.layout_changed";
		snprintf(reason, reasonlen, "no selector of %s (%s) matched: the page layout "
			 "may have changed (phx-mls-selectors(5)): %s", s->origin, s->version,
			 url ? url : "(no URL)");
		return -1;
	}
	json_t *merged = json_object(), *layers = json_object(), *conflicts = json_array();
	for (int i = L_URL; i <= L_XPATH; i++)
		merge_layer(merged, layers, conflicts, o.cand[i], i);
	text_layer(&p, merged, o.vals);
	json_t *tv = json_object();
	json_t *tcand = o.cand[L_TEXT];
	phx_mls_fields_convert(o.vals, NULL, tv);
	const char *k;
	json_t *v;
	json_object_foreach(tv, k, v)	/* what the text layer added, only */
		if (!json_object_get(o.cand[L_XPATH], k))
			json_object_set(tcand, k, v);
	json_decref(tv);
	merge_layer(merged, layers, conflicts, tcand, L_TEXT);
	close_page(&p);
	if (!json_is_string(json_object_get(merged, "mls_id"))) {
		json_decref(merged);
		json_decref(layers);
		json_decref(conflicts);
		free_layers(&o);
		return fail(code, "mls.bad_page", reason, reasonlen,
			    "no MLS number in the URL or on the page: %s", url);
	}
	phx_mls_defaults(merged, layers, p.tmpl);
	json_t *raw = json_pack("{s:s, s:O, s:O, s:O}", "template", p.tmpl, "labels", o.labels,
				"meta", o.meta_raw, "jsonld_types", o.ld_types);
	phx_mls_raw_extras(o.vals, raw);
	json_t *prov = json_pack("{s:s, s:s, s:s, s:o, s:o}", "selectors", s->origin,
				 "selectors_version", s->version, "template", p.tmpl,
				 "layers", layers, "conflicts", conflicts);
	*out = phx_mls_record(merged, raw, prov);
	json_decref(merged);
	free_layers(&o);
	return 0;
}

json_t *phx_mls_selectors_report(const phx_mls_selectors *s, const char *html, size_t len,
				 const char *url)
{
	json_t *rep = json_array();
	page p;
	if (open_page(&p, s, html, len, url) != 0) {
		json_array_append_new(rep, json_pack("{s:s, s:s}", "kind", "page", "error",
						     "not an HTML page (empty or unparseable)"));
		return rep;
	}
	p.report = rep;
	layers_out o;
	run_layers(&p, url, &o);
	text_layer(&p, o.cand[L_XPATH], o.vals);
	json_array_insert_new(rep, 0, json_pack("{s:s, s:s, s:s, s:s?, s:i, s:O, s:O}", "kind",
		"page", "selectors", s->origin, "version", s->version, "template", p.tmpl,
		"matched", (json_int_t)p.matched, "meta", o.meta_raw, "jsonld_types", o.ld_types));
	free_layers(&o);
	close_page(&p);
	return rep;
}
