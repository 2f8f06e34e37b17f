/* mls_search.h - a Phoenix MLS (Flexmls IDX) search results page: the
 * "N matches found" count, the cards of the classic template
 * (div.flexmls_connect__sr_result) or of v2 (a.flexmls-listing), and
 * whether a Next page is offered, as the "search" lines of the selectors
 * file say (phx-mls-selectors(5)). Cards give the canonical detail URL (no
 * query string: the plugin appends the whole search to each link) and what
 * shows a change since the last run (price, status, last modified). */
#ifndef PHX_MLS_SEARCH_H
#define PHX_MLS_SEARCH_H
#include <stddef.h>
#include <jansson.h>
#include "mls_detail.h"

#define PHX_MLS_BASE "https://www.phoenixmlssearch.com"
#define PHX_MLS_LIMIT 25	/* the plugin's largest page */

typedef struct phx_mls_card {
	char *url;		/* absolute canonical detail URL */
	char mls_id[24];
	char *price, *status, *modified;	/* as printed ("" when absent) */
} phx_mls_card;

typedef struct phx_mls_results {
	long count;		/* matches found; -1 when the page does not say */
	const char *tmpl;	/* the card template ("classic", "v2"), "none" for a
				 * page with a count and no card, NULL when
				 * neither was found (a changed layout) */
	phx_mls_card *cards;
	size_t n;
	int has_next;		/* a Next button or link */
} phx_mls_results;

/* The search URL for a ZIP (malloc'd): base/mls/search/?PostalCode=Z&pg=N&Limit=L. */
char *phx_mls_search_url(const char *base, const char *zip, long page, int limit);
/* Parse one page with the search lines of s; links are resolved against
 * page_url. 0, or -1 when the body is not HTML at all. Cards without an MLS
 * number in their link are left out. */
int phx_mls_search_parse(const phx_mls_selectors *s, const char *html, size_t len,
			 const char *page_url, phx_mls_results *out);
/* --check-selectors on a results page: the page, then one object per
 * search line (relative lines against the first card of their template). */
json_t *phx_mls_search_report(const phx_mls_selectors *s, const char *html, size_t len,
			      const char *url);
void phx_mls_results_free(phx_mls_results *r);
/* What identifies a card's state: a short hash of its id, price, status
 * and modification time (15 hex digits, NUL-terminated). */
void phx_mls_card_signature(const phx_mls_card *c, char out[16]);

#endif
