/* mls_detail.h - one Phoenix MLS (Flexmls IDX) detail page becomes one
 * property record (record.md, source "phoenix_mls").
 *
 * The live site cannot be fetched from here, so the markup is read in layers
 * (URL, JSON-LD, meta tags, XPath selectors from a data file, a text
 * fallback); a higher layer wins and each field's layer, and every
 * disagreement, is kept in _phx provenance. The selectors are data
 * (etc/mls-selectors.conf, phx-mls-selectors(5)) so a changed layout is one
 * edit, not a release. */
#ifndef PHX_MLS_DETAIL_H
#define PHX_MLS_DETAIL_H
#include <stddef.h>
#include <jansson.h>

typedef struct phx_mls_selectors phx_mls_selectors;

/* path NULL = the built-in file. NULL on error with err filled. */
phx_mls_selectors *phx_mls_selectors_load(const char *path, char *err, size_t errlen);
void phx_mls_selectors_free(phx_mls_selectors *s);

/* One detail page -> one property record (record.md, source "phoenix_mls", listing,
   features, _phx provenance of each layer). Returns 0 with *out set; or -1 with
   *code ("mls.layout_changed", "mls.not_found", "mls.bad_page") and reason. */
int phx_mls_extract_detail(const phx_mls_selectors *s, const char *html, size_t len,
			   const char *url, json_t **out, const char **code,
			   char *reason, size_t reasonlen);

/* --check-selectors: one JSON object per selector: which matched, what it read. */
json_t *phx_mls_selectors_report(const phx_mls_selectors *s, const char *html,
				 size_t len, const char *url);

#endif
