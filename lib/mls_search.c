/* mls_search.c - search results pages of the MLS site (see mls_search.h).
 * The card XPaths are fixed here: they only find links and a few words,
 * and a results page that yields neither a count nor a card is refused by
 * the caller as a changed layout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/HTMLparser.h>
#include <libxml/uri.h>
#include <libxml/xpath.h>
#include "buf.h"
#include "mls_layers.h"
#include "mls_search.h"
#include "mls_values.h"
#include "sha256.h"
#include "xalloc.h"

#define HAS_CLASS(c) "[contains(concat(' ',normalize-space(@class),' '),' " c " ')]"
#define CLASSIC_CARDS "//div" HAS_CLASS("flexmls_connect__sr_result")
#define V2_CARDS "//a" HAS_CLASS("flexmls-listing")

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

static xmlXPathObject *eval(xmlXPathContext *ctx, const char *xp, xmlNode *at)
{
	ctx->node = at;
	return xmlXPathEvalExpression((const xmlChar *)xp, ctx);
}

/* The squeezed text of what xp finds (relative to at); malloc'd, "" if none. */
static char *text_of(xmlXPathContext *ctx, const char *xp, xmlNode *at)
{
	xmlXPathObject *r = eval(ctx, xp, at);
	phx_buf b = PHX_BUF_INIT;
	phx_buf_adds(&b, "");
	if (r && r->type == XPATH_NODESET && r->nodesetval && r->nodesetval->nodeNr > 0)
		phx_mls_node_text(&b, r->nodesetval->nodeTab[0]);
	xmlXPathFreeObject(r);
	phx_mls_squeeze(b.data);
	return phx_buf_steal(&b);
}

static int count_of(xmlXPathContext *ctx, xmlNode *root, long *count)
{
	char *t = text_of(ctx, "//span[contains(@class,'flexmls_connect__sr_matches_count')]", root);
	long long v;
	int ok = t[0] && phx_mls_int(t, &v) == 0 && v >= 0;
	if (ok)
		*count = (long)v;
	free(t);
	return ok;
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

static void classic_cards(xmlXPathContext *ctx, xmlNodeSet *ns, const char *page_url,
			  phx_mls_results *r)
{
	for (int i = 0; i < ns->nodeNr; i++) {
		xmlNode *card = ns->nodeTab[i];
		char *href = text_of(ctx, "@link", card);
		if (!href[0]) {
			free(href);
			href = text_of(ctx, ".//div[contains(@class,'flexmls_connect__sr_address')]"
				       "//a/@href", card);
		}
		if (!href[0]) {
			free(href);
			href = text_of(ctx, ".//button/@href", card);
		}
		char *status = text_of(ctx, ".//div[contains(@class,'flexmls_connect__zebra')]"
				       "[starts-with(normalize-space(span[1]),'Status')]/span[2]", card);
		add_card(r, href, page_url,
			 text_of(ctx, ".//div[contains(@class,'flexmls_connect__sr_price')]", card),
			 status, phx_xstrdup(""));
	}
}

static void v2_cards(xmlXPathContext *ctx, xmlNodeSet *ns, const char *page_url,
		     phx_mls_results *r)
{
	for (int i = 0; i < ns->nodeNr; i++) {
		xmlNode *card = ns->nodeTab[i];
		add_card(r, text_of(ctx, "@href", card), page_url,
			 text_of(ctx, ".//span[contains(@class,'flexmls-price')]", card),
			 text_of(ctx, ".//span[contains(@class,'flexmls-status')]", card),
			 text_of(ctx, ".//span[contains(@class,'flexmls-detail')]"
				 "[starts-with(normalize-space(),'Last Modified')]", card));
	}
}

int phx_mls_search_parse(const char *html, size_t len, const char *page_url,
			 phx_mls_results *r)
{
	memset(r, 0, sizeof *r);
	r->count = -1;
	if (!html || len == 0 || len > 0x7fffffff)
		return -1;
	xmlDoc *doc = htmlReadMemory(html, (int)len, page_url, "UTF-8",
				     HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
				     HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (!root) {
		xmlFreeDoc(doc);
		return -1;
	}
	xmlXPathContext *ctx = xmlXPathNewContext(doc);
	int have_count = count_of(ctx, root, &r->count);
	xmlXPathObject *cl = eval(ctx, CLASSIC_CARDS, root);
	if (cl && cl->nodesetval && cl->nodesetval->nodeNr > 0) {
		r->tmpl = "classic";
		classic_cards(ctx, cl->nodesetval, page_url, r);
	} else {
		xmlXPathObject *v2 = eval(ctx, V2_CARDS, root);
		if (v2 && v2->nodesetval && v2->nodesetval->nodeNr > 0) {
			r->tmpl = "v2";
			v2_cards(ctx, v2->nodesetval, page_url, r);
		}
		xmlXPathFreeObject(v2);
	}
	xmlXPathFreeObject(cl);
	if (!r->tmpl && have_count)
		r->tmpl = "classic";	/* "0 matches found": a page of no cards */
	xmlXPathObject *nx = eval(ctx, "//*[contains(@class,'pagination')]//*[self::button or "
				  "self::a][normalize-space()='Next']", root);
	r->has_next = nx && nx->nodesetval && nx->nodesetval->nodeNr > 0;
	xmlXPathFreeObject(nx);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return 0;
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
