/* mls_search.c - search results pages of the MLS site (see mls_search.h),
 * read with the "search" lines of the selectors file
 * (phx-mls-selectors(5)): the cards, their links and what shows a change. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/HTMLparser.h>
#include <libxml/uri.h>
#include <libxml/xpath.h>
#include "buf.h"
#include "mls_layers.h"
#include "mls_search.h"
#include "mls_selectors.h"
#include "mls_values.h"
#include "sha256.h"
#include "xalloc.h"

char *phx_mls_search_url(const char *base, const char *zip, long page, int limit)
{
	phx_buf b = PHX_BUF_INIT;
	size_t n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		n--;
	phx_buf_add(&b, base, n);
	phx_buf_printf(&b, "/mls/search/?PostalCode=%s&pg=%ld&Limit=%d", zip, page < 1 ? 1 : page,
		       limit);
	return phx_buf_steal(&b);
}

static xmlXPathObject *eval(xmlXPathContext *ctx, xmlXPathCompExprPtr comp, xmlNode *at)
{
	ctx->node = at;
	return xmlXPathCompiledEval(comp, ctx);
}

static int nodes(const xmlXPathObject *r)
{
	if (!r)
		return 0;
	if (r->type == XPATH_BOOLEAN)
		return r->boolval;
	return r->type == XPATH_NODESET && r->nodesetval ? r->nodesetval->nodeNr : 0;
}

/* The squeezed text of what comp finds (relative to at); malloc'd, "" if none. */
static char *text_of(xmlXPathContext *ctx, xmlXPathCompExprPtr comp, xmlNode *at)
{
	xmlXPathObject *r = eval(ctx, comp, at);
	phx_buf b = PHX_BUF_INIT;
	phx_buf_adds(&b, "");
	if (r && r->type == XPATH_NODESET && r->nodesetval && r->nodesetval->nodeNr > 0) {
		phx_mls_node_text(&b, r->nodesetval->nodeTab[0]);
	} else if (r && r->type != XPATH_NODESET) {
		xmlChar *t = xmlXPathCastToString(r);
		phx_buf_adds(&b, t ? (const char *)t : "");
		xmlFree(t);
	}
	xmlXPathFreeObject(r);
	phx_mls_squeeze(b.data);
	return phx_buf_steal(&b);
}

/* The first line of role (for card template tmpl) that reads something. */
static char *first_text(const phx_mls_selectors *s, xmlXPathContext *ctx, int role,
			const char *tmpl, xmlNode *at)
{
	for (size_t i = 0; i < s->nsearch; i++) {
		const phx_mls_search_sel *x = &s->search[i];
		if ((int)x->role != role || (tmpl && strcmp(x->tmpl, tmpl) != 0))
			continue;
		char *t = text_of(ctx, x->comp, at);
		if (t[0])
			return t;
		free(t);
	}
	return phx_xstrdup("");
}

static char *resolve(const char *href, const char *page_url)
{
	xmlChar *abs = xmlBuildURI((const xmlChar *)href, (const xmlChar *)page_url);
	char *out = phx_mls_canonical_url(abs ? (const char *)abs : href);
	xmlFree(abs);
	return out;
}

static void add_card(phx_mls_results *r, char *href, const char *page_url, char *price,
		     char *status, char *modified)
{
	char id[24];
	char *url = href[0] ? resolve(href, page_url) : NULL;
	if (url && phx_mls_id_from_url(url, id, sizeof id) == 0) {
		r->cards = phx_xrealloc(r->cards, (r->n + 1) * sizeof *r->cards);
		phx_mls_card *c = &r->cards[r->n++];
		c->url = url;
		snprintf(c->mls_id, sizeof c->mls_id, "%s", id);
		c->price = price;
		c->status = status;
		c->modified = modified;
		url = price = status = modified = NULL;
	}
	free(url);
	free(href);
	free(price);
	free(status);
	free(modified);
}

static void read_cards(const phx_mls_selectors *s, xmlXPathContext *ctx, xmlNodeSet *ns,
		       const char *tmpl, const char *page_url, phx_mls_results *r)
{
	for (int i = 0; i < ns->nodeNr; i++) {
		xmlNode *card = ns->nodeTab[i];
		add_card(r, first_text(s, ctx, PHX_MLS_SEARCH_LINK, tmpl, card), page_url,
			 first_text(s, ctx, PHX_MLS_SEARCH_PRICE, tmpl, card),
			 first_text(s, ctx, PHX_MLS_SEARCH_STATUS, tmpl, card),
			 first_text(s, ctx, PHX_MLS_SEARCH_MODIFIED, tmpl, card));
	}
}

static xmlDoc *parse(const char *html, size_t len, const char *page_url)
{
	if (!html || len == 0 || len > 0x7fffffff)
		return NULL;
	xmlDoc *doc = htmlReadMemory(html, (int)len, page_url, "UTF-8",
				     HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
				     HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	if (doc && !xmlDocGetRootElement(doc)) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	return doc;
}

int phx_mls_search_parse(const phx_mls_selectors *s, const char *html, size_t len,
			 const char *page_url, phx_mls_results *r)
{
	memset(r, 0, sizeof *r);
	r->count = -1;
	xmlDoc *doc = parse(html, len, page_url);
	if (!doc)
		return -1;
	xmlNode *root = xmlDocGetRootElement(doc);
	xmlXPathContext *ctx = xmlXPathNewContext(doc);
	char *count = first_text(s, ctx, PHX_MLS_SEARCH_COUNT, NULL, root);
	long long v;
	int have_count = count[0] && phx_mls_int(count, &v) == 0 && v >= 0;
	if (have_count)
		r->count = (long)v;
	free(count);
	for (size_t i = 0; i < s->nsearch && !r->tmpl; i++) {
		const phx_mls_search_sel *x = &s->search[i];
		if (x->role != PHX_MLS_SEARCH_CARD)
			continue;
		xmlXPathObject *cards = eval(ctx, x->comp, root);
		if (cards && cards->type == XPATH_NODESET && nodes(cards) > 0) {
			r->tmpl = x->tmpl;
			read_cards(s, ctx, cards->nodesetval, x->tmpl, page_url, r);
		}
		xmlXPathFreeObject(cards);
	}
	if (!r->tmpl && have_count)
		r->tmpl = "none";	/* "0 matches found": a page of no cards */
	for (size_t i = 0; i < s->nsearch && !r->has_next; i++) {
		if (s->search[i].role != PHX_MLS_SEARCH_NEXT)
			continue;
		xmlXPathObject *nx = eval(ctx, s->search[i].comp, root);
		r->has_next = nodes(nx) > 0;
		xmlXPathFreeObject(nx);
	}
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return 0;
}

json_t *phx_mls_search_report(const phx_mls_selectors *s, const char *html, size_t len,
			      const char *url)
{
	static const char *const roles[] = { "count", "next", "card", "link", "price", "status",
					     "modified" };
	json_t *rep = json_array();
	phx_mls_results res;
	if (phx_mls_search_parse(s, html, len, url, &res) != 0) {
		json_array_append_new(rep, json_pack("{s:s, s:s}", "kind", "page", "error",
						     "not an HTML page (empty or unparseable)"));
		return rep;
	}
	json_array_append_new(rep, json_pack("{s:s, s:s, s:s, s:s?, s:I, s:I, s:b, s:i}",
		"kind", "page", "page", "search", "selectors", s->origin, "template", res.tmpl,
		"count", (json_int_t)res.count, "cards", (json_int_t)res.n,
		"next", res.has_next, "matched", res.n > 0 || res.count == 0));
	xmlDoc *doc = parse(html, len, url);
	xmlXPathContext *ctx = xmlXPathNewContext(doc);
	xmlNode *root = xmlDocGetRootElement(doc);
	for (size_t i = 0; i < s->nsearch; i++) {
		const phx_mls_search_sel *x = &s->search[i];
		xmlNode *at = root;
		xmlXPathObject *card = NULL;
		if (x->role > PHX_MLS_SEARCH_CARD) {
			/* relative lines: against the first card of their template */
			for (size_t k = 0; k < s->nsearch && !card; k++)
				if (s->search[k].role == PHX_MLS_SEARCH_CARD &&
				    strcmp(s->search[k].tmpl, x->tmpl) == 0) {
					card = eval(ctx, s->search[k].comp, root);
					if (nodes(card) == 0 || card->type != XPATH_NODESET) {
						xmlXPathFreeObject(card);
						card = NULL;
					}
				}
			at = card ? card->nodesetval->nodeTab[0] : NULL;
		}
		int n = 0;
		char *t = NULL;
		if (at) {
			xmlXPathObject *r = eval(ctx, x->comp, at);
			n = nodes(r);
			xmlXPathFreeObject(r);
			t = text_of(ctx, x->comp, at);
		}
		json_array_append_new(rep, json_pack("{s:s, s:i, s:s, s:s?, s:s, s:b, s:i, s:o}",
			"kind", "search", "line", x->line, "role", roles[x->role], "template",
			x->tmpl, "xpath", x->xpath, "matched", n > 0, "nodes", n,
			"read", t && t[0] ? phx_mls_jstr(t) : json_null()));
		free(t);
		xmlXPathFreeObject(card);
	}
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	phx_mls_results_free(&res);
	return rep;
}

void phx_mls_results_free(phx_mls_results *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->cards[i].url);
		free(r->cards[i].price);
		free(r->cards[i].status);
		free(r->cards[i].modified);
	}
	free(r->cards);
	memset(r, 0, sizeof *r);
}

void phx_mls_card_signature(const phx_mls_card *c, char out[16])
{
	phx_buf b = PHX_BUF_INIT;
	phx_buf_printf(&b, "%s\n%s\n%s\n%s", c->mls_id, c->price, c->status, c->modified);
	char hex[65];
	phx_sha256_hex(b.data, b.len, hex);
	memcpy(out, hex, 15);
	out[15] = '\0';
	phx_buf_free(&b);
}
