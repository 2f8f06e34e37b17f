/* mls_layers.h - the layers of the MLS detail extractor, each turning one
 * kind of evidence on a page into candidate values of the record (a JSON
 * object of canonical field names: mls_id, list_price, bedrooms, street,
 * ...). mls_detail.c merges them, the higher layer winning. Internal to the
 * extractor. */
#ifndef PHX_MLS_LAYERS_H
#define PHX_MLS_LAYERS_H
#include <jansson.h>
#include <libxml/tree.h>
#include "buf.h"

/* A JSON string from libxml2 text; bytes that are not UTF-8 become '?'. */
json_t *phx_mls_jstr(const char *s);
json_t *phx_mls_jstrn(const char *s, size_t n);
/* A member name of raw that any store takes (malloc'd): valid UTF-8, "."
 * as U+FF0E and a leading "$" as U+FF04 (MongoDB's own advice), so a label
 * such as "Lot Size (sq. ft.)" never costs the record. */
char *phx_mls_safe_key(const char *s);
/* The text of a node as a reader sees it: text and CDATA, <br> as a line
 * break, no <script>/<style>; an attribute node gives its value. */
void phx_mls_node_text(phx_buf *b, const xmlNode *n);

/* Layer 1: every <script type="application/ld+json"> of the document.
 * Fills cand; types (an array) gets the @type of each object read. */
void phx_mls_jsonld_layer(xmlDoc *doc, json_t *cand, json_t *types);
/* Layer 2: og:title, og:url, og:image, product:price:amount and the
 * description meta tags. Fills cand; raw gets the tags as found. */
void phx_mls_meta_layer(xmlDoc *doc, json_t *cand, json_t *raw);
/* One-line address "4027 N 55th Ave, Phoenix, AZ 85031" into street, city,
 * state and zip members of cand (an empty street is unknown). */
void phx_mls_one_line_address(const char *s, json_t *cand);

#endif
