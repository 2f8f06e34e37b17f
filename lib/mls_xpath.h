/* mls_xpath.h - one walk of a page answers the selectors of the form
 * //TAG[contains(@class,'LIT')]REST (see mls_xpath.c). Internal to the MLS
 * extractor. */
#ifndef PHX_MLS_XPATH_H
#define PHX_MLS_XPATH_H
#include <libxml/xpath.h>
#include "mls_selectors.h"

typedef struct phx_mls_index {
	xmlNodeSet **sets;	/* per slot of the selectors, in document order */
	size_t n;
} phx_mls_index;

void phx_mls_index_build(phx_mls_index *ix, const phx_mls_selectors *s, xmlDoc *doc);
void phx_mls_index_free(phx_mls_index *ix);
/* x->slot >= 0: what x->xpath gives on the page. */
xmlXPathObject *phx_mls_index_eval(const phx_mls_index *ix, const phx_mls_sel *x,
				   xmlXPathContext *ctx);

#endif
