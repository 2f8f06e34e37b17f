/* fuzz_mls_fetch.c - libFuzzer target for what the MLS source reads from
 * the site besides detail pages: search results pages, robots.txt and block
 * pages (headers and body).
 *
 * Input: one selector byte, then the text. Selector % 3: 0 a results page;
 * 1 a robots.txt, then paths asked of it; 2 a header block, "\n\n", a body.
 *
 * Besides "no crash, no leak": every card has an MLS number and a canonical
 * URL (no query string) holding it; robots.txt itself is always allowed; a
 * block is of a known kind, with a vendor and a reason. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mls_block.h"
#include "mls_search.h"
#include "mls_selectors.h"
#include "robots.h"
#include "fuzz_input.h"

#define FAIL(...) do { fprintf(stderr, "fuzz_mls_fetch: " __VA_ARGS__); abort(); } while (0)

static phx_mls_selectors *selectors;

static void results(const char *text, size_t n)
{
	phx_mls_results r;
	if (!selectors) {
		char err[256];
		selectors = phx_mls_selectors_load(NULL, err, sizeof err);
		if (!selectors)
			FAIL("built-in selectors: %s\n", err);
	}
	json_decref(phx_mls_search_report(selectors, text, n, "https://www.phoenixmlssearch.com/"));
	if (phx_mls_search_parse(selectors, text, n, "https://www.phoenixmlssearch.com/mls/search/?pg=1",
				 &r) != 0)
		return;
	for (size_t i = 0; i < r.n; i++) {
		const phx_mls_card *c = &r.cards[i];
		if (!c->mls_id[0] || !strstr(c->url, c->mls_id) || strchr(c->url, '?') ||
		    !c->price || !c->status || !c->modified)
			FAIL("card %zu: id \"%s\" url \"%s\"\n", i, c->mls_id, c->url);
		char sig[16];
		phx_mls_card_signature(c, sig);
		if (strlen(sig) != 15)
			FAIL("signature length\n");
	}
	if (r.n > 0 && !r.tmpl)
		FAIL("cards without a template\n");
	phx_mls_results_free(&r);
}

static void robots(const char *text, size_t n)
{
	phx_robots *r = phx_robots_parse(text, n, "phx-fetch");
	static const char *const paths[] = { "/", "/mls/search/?PostalCode=85031&pg=1",
					     "/mls/a-mls_6937912/", "/wp-admin/x", "" };
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
		(void)phx_robots_allowed(r, paths[i]);
	/* every line of the input as a path too */
	const char *p = text, *end = text + n;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *path = phx_xstrndup(p, len);
		(void)phx_robots_allowed(r, path);
		free(path);
		p = nl ? nl + 1 : end;
	}
	if (!phx_robots_allowed(r, "/robots.txt"))
		FAIL("robots.txt itself disallowed\n");
	if (phx_robots_crawl_delay(r) < 0)
		FAIL("negative crawl delay\n");
	phx_robots_free(r);
}

static void block(const char *text, size_t n, long status)
{
	const char *sep = memmem(text, n, "\n\n", 2);
	size_t hlen = sep ? (size_t)(sep - text) : n;
	const char *body = sep ? sep + 2 : NULL;
	phx_block b;
	phx_mls_block_classify(status, text, hlen, body, body ? n - hlen - 2 : 0, 1796600000L, &b);
	if (b.kind < PHX_BLOCK_NONE || b.kind > PHX_BLOCK_FORBIDDEN || !b.vendor || !b.seen)
		FAIL("block kind %d\n", (int)b.kind);
	if (b.kind != PHX_BLOCK_NONE && !b.seen[0])
		FAIL("a block without a reason\n");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t sel = data[0];
	char *text = fuzz_rest(data + 1, size - 1, 1);
	static const long statuses[] = { 200, 403, 429, 503, 404 };
	switch (sel % 3) {
	case 0: results(text, size - 1); break;
	case 1: robots(text, size - 1); break;
	default: block(text, size - 1, statuses[(sel / 3) % 5]); break;
	}
	free(text);
	return 0;
}
