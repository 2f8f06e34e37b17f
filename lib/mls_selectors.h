/* mls_selectors.h - the selectors file of the MLS detail extractor
 * (etc/mls-selectors.conf, phx-mls-selectors(5)), loaded and compiled.
 *
 * Selectors are data because the live markup could not be seen from here:
 * one edit of the file follows a changed page. This header is for the
 * extractor (mls_detail.c) only; callers use the opaque handle of
 * mls_detail.h. */
#ifndef PHX_MLS_SELECTORS_H
#define PHX_MLS_SELECTORS_H
#include <stddef.h>
#include <regex.h>
#include <libxml/xpath.h>
#include "mls_detail.h"

enum phx_mls_sel_kind { PHX_MLS_SEL_TEMPLATE, PHX_MLS_SEL_ROW, PHX_MLS_SEL_FIELD };

typedef struct phx_mls_sel {
	enum phx_mls_sel_kind kind;
	int line;
	char *tmpl;		/* template name; "*" = any */
	char *field;		/* PHX_MLS_SEL_FIELD: the field it fills */
	char *xpath, *label_xpath, *value_xpath;	/* as written */
	xmlXPathCompExprPtr comp, label_comp, value_comp;
	/* //TAG[contains(@class,'LIT')]REST is answered from one walk of the
	 * page (mls_xpath.c), as is //TAG[@id='LIT']REST: slot names the (TAG, LIT) pair, rest is
	 * "self::node()REST" (NULL when REST is empty); slot -1 = plain XPath */
	int slot;
	xmlXPathCompExprPtr rest;
} phx_mls_sel;

typedef struct phx_mls_slot {
	char *tag;		/* element name, or "*" */
	char *lit;		/* what the class attribute contains, or the id equals */
	int by_id;		/* 1: [@id='LIT'], 0: [contains(@class,'LIT')] */
} phx_mls_slot;

typedef struct phx_mls_label {
	char *norm;		/* normalised label text */
	char *field;
	int line;
} phx_mls_label;

typedef struct phx_mls_text {
	char *field;
	char *pattern;
	regex_t re;
	int line;
} phx_mls_text;

/* search pages: "search ROLE [NAME] XPATH" (mls_search.c reads them) */
enum phx_mls_search_role {
	PHX_MLS_SEARCH_COUNT, PHX_MLS_SEARCH_NEXT,	/* over the page */
	PHX_MLS_SEARCH_CARD,				/* the cards of template NAME */
	PHX_MLS_SEARCH_LINK, PHX_MLS_SEARCH_PRICE,	/* relative to a card of NAME */
	PHX_MLS_SEARCH_STATUS, PHX_MLS_SEARCH_MODIFIED
};

typedef struct phx_mls_search_sel {
	enum phx_mls_search_role role;
	char *tmpl;		/* card template; NULL for count and next */
	char *xpath;
	xmlXPathCompExprPtr comp;
	int line;
} phx_mls_search_sel;

struct phx_mls_selectors {
	char *origin;		/* the path, or "built-in" */
	char *version;
	phx_mls_sel *sels;
	size_t nsels;
	phx_mls_label *labels;	/* sorted by norm, for bsearch */
	size_t nlabels;
	phx_mls_text *texts;
	size_t ntexts;
	phx_mls_slot *slots;
	size_t nslots;
	phx_mls_search_sel *search;
	size_t nsearch;
	int by_id;		/* some slot is by id */
	int plain;		/* 1: never take the one-walk path (tests compare) */
};

/* Load from text (the file's contents); origin names it in errors. */
phx_mls_selectors *phx_mls_selectors_parse(const char *text, const char *origin,
					   char *err, size_t errlen);
/* Normalised label: case folded, white space (NBSP too) collapsed, a
 * trailing ":" and "#" and a leading "#" dropped. Returns out. */
char *phx_mls_label_norm(const char *in, char *out, size_t n);
/* The field a normalised label fills, or NULL. */
const char *phx_mls_label_field(const phx_mls_selectors *s, const char *norm);
/* Recognise the one-walk form of x->xpath and set x->slot / x->rest. */
void phx_mls_sel_fast(phx_mls_selectors *s, phx_mls_sel *x);
/* 1 when name is a field the extractor knows. */
int phx_mls_field_known(const char *name);

#endif
