/* mls_selectors.c - reading etc/mls-selectors.conf: directives, compiled
 * XPath expressions, the label dictionary and the text fallback patterns.
 * A file with any line it does not understand is refused, naming the line:
 * a selector silently dropped would read as "the site changed". */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include "defaults.h"
#include "mls_selectors.h"
#include "state.h"
#include "xalloc.h"

/* The fields a selector may fill (mls_detail.c turns them into the record). */
static const char *const known_fields[] = {
	"mls_id", "title", "address_line", "street_line", "city_line",
	"house_number", "compass", "street_name", "street_suffix", "city", "zip", "state",
	"list_price", "status", "list_date", "days_on_market", "dwelling_type",
	"property_type", "bedrooms", "bathrooms", "full_baths", "half_baths",
	"square_feet", "lot_sqft", "lot_acres", "lot_size", "year_built", "garage_spaces",
	"stories", "pool", "pool_features", "community_pool", "apn", "apn_book", "apn_map",
	"apn_parcel", "apn_letter", "subdivision", "latitude", "longitude", "hoa", "hoa_fee",
	"hoa_frequency", "hoa_name", "hoa_includes", "description", "photos", "agent",
	"brokerage",
};

int phx_mls_field_known(const char *name)
{
	for (size_t i = 0; i < sizeof known_fields / sizeof known_fields[0]; i++)
		if (strcmp(known_fields[i], name) == 0)
			return 1;
	return 0;
}

static void quiet_error(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void quiet_structured(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

char *phx_mls_label_norm(const char *in, char *out, size_t n)
{
	size_t j = 0;
	int space = 0;
	if (n == 0)
		return out;
	for (const unsigned char *p = (const unsigned char *)in; *p && j + 1 < n; p++) {
		int ws = isspace(*p) || (p[0] == 0xC2 && p[1] == 0xA0);
		if (ws) {
			if (p[0] == 0xC2)
				p++;
			space = j > 0;
			continue;
		}
		if (space && j + 2 < n)
			out[j++] = ' ';
		space = 0;
		out[j++] = (char)tolower(*p);
	}
	out[j] = '\0';
	/* trailing ':' and '#' (and the spaces between them), then a leading '#' */
	while (j > 0 && (out[j - 1] == ':' || out[j - 1] == '#' || out[j - 1] == ' '))
		out[--j] = '\0';
	size_t k = 0;
	while (out[k] == '#' || (k > 0 && out[k] == ' '))
		k++;
	if (k)
		memmove(out, out + k, j - k + 1);
	return out;
}

static int label_cmp(const void *a, const void *b)
{
	const phx_mls_label *x = a, *y = b;
	int c = strcmp(x->norm, y->norm);
	return c ? c : x->line - y->line;
}

const char *phx_mls_label_field(const phx_mls_selectors *s, const char *norm)
{
	size_t lo = 0, hi = s->nlabels;
	while (lo < hi) {	/* the first entry for norm: the earliest line wins */
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(s->labels[mid].norm, norm) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->nlabels && strcmp(s->labels[lo].norm, norm) == 0)
		return s->labels[lo].field;
	return NULL;
}

void phx_mls_selectors_free(phx_mls_selectors *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nsels; i++) {
		phx_mls_sel *x = &s->sels[i];
		free(x->tmpl);
		free(x->field);
		free(x->xpath);
		free(x->label_xpath);
		free(x->value_xpath);
		if (x->comp)
			xmlXPathFreeCompExpr(x->comp);
		if (x->label_comp)
			xmlXPathFreeCompExpr(x->label_comp);
		if (x->value_comp)
			xmlXPathFreeCompExpr(x->value_comp);
		if (x->rest)
			xmlXPathFreeCompExpr(x->rest);
	}
	for (size_t i = 0; i < s->nslots; i++) {
		free(s->slots[i].tag);
		free(s->slots[i].lit);
	}
	free(s->slots);
	for (size_t i = 0; i < s->nsearch; i++) {
		free(s->search[i].tmpl);
		free(s->search[i].xpath);
		if (s->search[i].comp)
			xmlXPathFreeCompExpr(s->search[i].comp);
	}
	free(s->search);
	for (size_t i = 0; i < s->nlabels; i++) {
		free(s->labels[i].norm);
		free(s->labels[i].field);
	}
	for (size_t i = 0; i < s->ntexts; i++) {
		free(s->texts[i].field);
		free(s->texts[i].pattern);
		regfree(&s->texts[i].re);
	}
	free(s->sels);
	free(s->labels);
	free(s->texts);
	free(s->origin);
	free(s->version);
	free(s);
}

/* The next white-space separated word of *p (malloc'd), or NULL at the end. */
static char *next_word(const char **p)
{
	const char *s = *p;
	while (*s == ' ' || *s == '\t')
		s++;
	const char *e = s;
	while (*e && *e != ' ' && *e != '\t')
		e++;
	*p = e;
	return e > s ? phx_xstrndup(s, (size_t)(e - s)) : NULL;
}

static const char *rest_of(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static xmlXPathCompExprPtr compile(const char *xp)
{
	return xmlXPathCompile((const xmlChar *)xp);
}

typedef struct parse_ctx {
	phx_mls_selectors *s;
	size_t cap_sels, cap_labels, cap_texts;
	int line;
	char *err;
	size_t errlen;
	const char *origin;
} parse_ctx;

static int fail(parse_ctx *c, const char *what, const char *arg)
{
	snprintf(c->err, c->errlen, "%s:%d: %s%s%s", c->origin, c->line, what,
		 arg ? ": " : "", arg ? arg : "");
	return -1;
}

static phx_mls_sel *new_sel(parse_ctx *c, enum phx_mls_sel_kind kind)
{
	phx_mls_selectors *s = c->s;
	if (s->nsels == c->cap_sels) {
		c->cap_sels = c->cap_sels ? c->cap_sels * 2 : 32;
		s->sels = phx_xrealloc(s->sels, c->cap_sels * sizeof *s->sels);
	}
	phx_mls_sel *x = &s->sels[s->nsels++];
	memset(x, 0, sizeof *x);
	x->slot = -1;
	x->kind = kind;
	x->line = c->line;
	return x;
}

static int set_xpath(parse_ctx *c, const char *xp, char **text, xmlXPathCompExprPtr *comp)
{
	if (!*xp)
		return fail(c, "an XPath expression is missing", NULL);
	*comp = compile(xp);
	if (!*comp)
		return fail(c, "not an XPath 1.0 expression", xp);
	*text = phx_xstrdup(xp);
	phx_mls_sel *x = &c->s->sels[c->s->nsels - 1];
	if (text == &x->xpath)
		phx_mls_sel_fast(c->s, x);
	return 0;
}

static int do_template(parse_ctx *c, const char *p)
{
	phx_mls_sel *x = new_sel(c, PHX_MLS_SEL_TEMPLATE);
	x->tmpl = next_word(&p);
	if (!x->tmpl || strcmp(x->tmpl, "*") == 0)
		return fail(c, "template needs a NAME (not \"*\") and an XPath", NULL);
	return set_xpath(c, rest_of(p), &x->xpath, &x->comp);
}

static int do_row(parse_ctx *c, const char *p)
{
	phx_mls_sel *x = new_sel(c, PHX_MLS_SEL_ROW);
	x->tmpl = next_word(&p);
	if (!x->tmpl)
		return fail(c, "row needs a TEMPLATE and an XPath", NULL);
	return set_xpath(c, rest_of(p), &x->xpath, &x->comp);
}

static int do_row_part(parse_ctx *c, const char *p, int value)
{
	phx_mls_sel *x = c->s->nsels ? &c->s->sels[c->s->nsels - 1] : NULL;
	if (!x || x->kind != PHX_MLS_SEL_ROW)
		return fail(c, value ? "row-value must follow a row line"
				     : "row-label must follow a row line", NULL);
	char **t = value ? &x->value_xpath : &x->label_xpath;
	if (*t)
		return fail(c, "given twice for one row", value ? "row-value" : "row-label");
	return set_xpath(c, rest_of(p), t, value ? &x->value_comp : &x->label_comp);
}

static int do_field(parse_ctx *c, const char *p)
{
	phx_mls_sel *x = new_sel(c, PHX_MLS_SEL_FIELD);
	x->tmpl = next_word(&p);
	x->field = next_word(&p);
	if (!x->tmpl || !x->field)
		return fail(c, "field needs a TEMPLATE, a FIELD and an XPath", NULL);
	if (!phx_mls_field_known(x->field))
		return fail(c, "unknown field", x->field);
	return set_xpath(c, rest_of(p), &x->xpath, &x->comp);
}

static int do_label(parse_ctx *c, const char *p)
{
	phx_mls_selectors *s = c->s;
	char *field = next_word(&p);
	if (!field)
		return fail(c, "label needs a FIELD and the label text", NULL);
	if (!phx_mls_field_known(field)) {
		fail(c, "unknown field", field);
		free(field);
		return -1;
	}
	char norm[256];
	phx_mls_label_norm(rest_of(p), norm, sizeof norm);
	if (!norm[0]) {
		free(field);
		return fail(c, "label text is missing", NULL);
	}
	if (s->nlabels == c->cap_labels) {
		c->cap_labels = c->cap_labels ? c->cap_labels * 2 : 64;
		s->labels = phx_xrealloc(s->labels, c->cap_labels * sizeof *s->labels);
	}
	s->labels[s->nlabels++] = (phx_mls_label){ phx_xstrdup(norm), field, c->line };
	return 0;
}

static int do_text(parse_ctx *c, const char *p)
{
	phx_mls_selectors *s = c->s;
	char *field = next_word(&p);
	const char *pat = rest_of(p);
	if (!field || !*pat) {
		free(field);
		return fail(c, "text needs a FIELD and a regular expression", NULL);
	}
	if (!phx_mls_field_known(field)) {
		fail(c, "unknown field", field);
		free(field);
		return -1;
	}
	if (s->ntexts == c->cap_texts) {
		c->cap_texts = c->cap_texts ? c->cap_texts * 2 : 8;
		s->texts = phx_xrealloc(s->texts, c->cap_texts * sizeof *s->texts);
	}
	phx_mls_text *t = &s->texts[s->ntexts];
	if (regcomp(&t->re, pat, REG_EXTENDED | REG_ICASE) != 0) {
		free(field);
		return fail(c, "not a POSIX extended regular expression", pat);
	}
	if (t->re.re_nsub < 1) {
		regfree(&t->re);
		free(field);
		return fail(c, "the expression needs a group (...) for the value", pat);
	}
	t->field = field;
	t->pattern = phx_xstrdup(pat);
	t->line = c->line;
	s->ntexts++;
	return 0;
}

/* search ROLE [NAME] XPATH */
static int do_search(parse_ctx *c, const char *p)
{
	static const char *const roles[] = { "count", "next", "card", "link", "price", "status",
					     "modified" };
	phx_mls_selectors *s = c->s;
	char *role = next_word(&p);
	int r = -1;
	for (int i = 0; role && i < (int)(sizeof roles / sizeof roles[0]); i++)
		if (strcmp(role, roles[i]) == 0)
			r = i;
	if (r < 0) {
		fail(c, "search needs a ROLE: count, next, card, link, price, status, modified",
		     role);
		free(role);
		return -1;
	}
	free(role);
	char *tmpl = r >= PHX_MLS_SEARCH_CARD ? next_word(&p) : NULL;
	const char *xp = rest_of(p);
	if ((r >= PHX_MLS_SEARCH_CARD && !tmpl) || !*xp) {
		free(tmpl);
		return fail(c, r >= PHX_MLS_SEARCH_CARD ? "this search line needs a card NAME and "
			    "an XPath" : "this search line needs an XPath", NULL);
	}
	xmlXPathCompExprPtr comp = compile(xp);
	if (!comp) {
		free(tmpl);
		return fail(c, "not an XPath 1.0 expression", xp);
	}
	s->search = phx_xrealloc(s->search, (s->nsearch + 1) * sizeof *s->search);
	s->search[s->nsearch++] = (phx_mls_search_sel){ (enum phx_mls_search_role)r, tmpl,
							 phx_xstrdup(xp), comp, c->line };
	return 0;
}

static int do_line(parse_ctx *c, const char *line)
{
	const char *p = line;
	char *kw = next_word(&p);
	int rc;
	if (!kw || kw[0] == '#') {
		free(kw);
		return 0;
	}
	if (strcmp(kw, "version") == 0) {
		free(c->s->version);
		c->s->version = phx_xstrdup(rest_of(p));
		rc = 0;
	} else if (strcmp(kw, "template") == 0) {
		rc = do_template(c, p);
	} else if (strcmp(kw, "row") == 0) {
		rc = do_row(c, p);
	} else if (strcmp(kw, "row-label") == 0) {
		rc = do_row_part(c, p, 0);
	} else if (strcmp(kw, "row-value") == 0) {
		rc = do_row_part(c, p, 1);
	} else if (strcmp(kw, "field") == 0) {
		rc = do_field(c, p);
	} else if (strcmp(kw, "label") == 0) {
		rc = do_label(c, p);
	} else if (strcmp(kw, "text") == 0) {
		rc = do_text(c, p);
	} else if (strcmp(kw, "search") == 0) {
		rc = do_search(c, p);
	} else {
		rc = fail(c, "unknown directive", kw);
	}
	free(kw);
	return rc;
}

static int check_whole(parse_ctx *c)
{
	phx_mls_selectors *s = c->s;
	size_t templates = 0;
	for (size_t i = 0; i < s->nsels; i++) {
		phx_mls_sel *x = &s->sels[i];
		templates += x->kind == PHX_MLS_SEL_TEMPLATE;
		if (x->kind == PHX_MLS_SEL_ROW && (!x->label_comp || !x->value_comp)) {
			c->line = x->line;
			return fail(c, "a row needs both row-label and row-value", NULL);
		}
	}
	c->line = 0;
	if (!templates)
		return fail(c, "no template line: no page could be recognised", NULL);
	return 0;
}

phx_mls_selectors *phx_mls_selectors_parse(const char *text, const char *origin,
					   char *err, size_t errlen)
{
	static int quiet;
	if (!quiet) {	/* libxml2 would print to stderr; errors are reported here */
		xmlInitParser();
		xmlSetGenericErrorFunc(NULL, quiet_error);
		xmlSetStructuredErrorFunc(NULL, quiet_structured);
		quiet = 1;
	}
	parse_ctx c = { .err = err, .errlen = errlen, .origin = origin };
	c.s = phx_xcalloc(1, sizeof *c.s);
	c.s->origin = phx_xstrdup(origin);
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *line = phx_xstrndup(p, n);
		while (n > 0 && isspace((unsigned char)line[n - 1]))
			line[--n] = '\0';
		c.line++;
		int rc = do_line(&c, line);
		free(line);
		if (rc != 0) {
			phx_mls_selectors_free(c.s);
			return NULL;
		}
		p = nl ? nl + 1 : p + strlen(p);
	}
	if (check_whole(&c) != 0) {
		phx_mls_selectors_free(c.s);
		return NULL;
	}
	if (!c.s->version)
		c.s->version = phx_xstrdup("unnamed");
	if (c.s->nlabels > 1)
		qsort(c.s->labels, c.s->nlabels, sizeof *c.s->labels, label_cmp);
	return c.s;
}

phx_mls_selectors *phx_mls_selectors_load(const char *path, char *err, size_t errlen)
{
	if (!path)
		return phx_mls_selectors_parse(phx_default_mls_selectors, "built-in", err,
					       errlen);
	size_t len = 0;
	char *text = phx_read_file(path, &len);
	if (!text) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (memchr(text, '\0', len)) {
		free(text);
		snprintf(err, errlen, "%s: a NUL byte: not a selectors file", path);
		return NULL;
	}
	phx_mls_selectors *s = phx_mls_selectors_parse(text, path, err, errlen);
	free(text);
	return s;
}
