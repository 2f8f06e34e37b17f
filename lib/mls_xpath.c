/* mls_xpath.c - the selectors' common form answered from one walk of the
 * page. Nearly every selector starts "//TAG[contains(@class,'LIT')]": as
 * XPath each is a scan of the whole document, some thirty scans a page. One
 * walk collects the elements of every (TAG, LIT) pair instead (and of
 * //TAG[@id='LIT']), and the rest
 * of the expression is evaluated from each of them; the node-sets are merged
 * in document order, so the answer is the one the whole expression gives.
 * Anything else (a second predicate, a union, other functions) stays plain
 * XPath. The extractor's tests compare both ways on every fixture. */
#include <string.h>
#include <strings.h>
#include <libxml/xpathInternals.h>
#include "buf.h"
#include "mls_selectors.h"
#include "mls_xpath.h"
#include "xalloc.h"

static int slot_of(phx_mls_selectors *s, const char *tag, size_t tl, const char *lit,
		   size_t ll, int by_id)
{
	for (size_t i = 0; i < s->nslots; i++) {
		const phx_mls_slot *sl = &s->slots[i];
		if (sl->by_id == by_id && strlen(sl->tag) == tl && strncmp(sl->tag, tag, tl) == 0 &&
		    strlen(sl->lit) == ll && strncmp(sl->lit, lit, ll) == 0)
			return (int)i;
	}
	s->slots = phx_xrealloc(s->slots, (s->nslots + 1) * sizeof *s->slots);
	s->slots[s->nslots].tag = phx_xstrndup(tag, tl);
	s->slots[s->nslots].lit = phx_xstrndup(lit, ll);
	s->slots[s->nslots].by_id = by_id;
	return (int)s->nslots++;
}

void phx_mls_sel_fast(phx_mls_selectors *s, phx_mls_sel *x)
{
	const char *p = x->xpath;
	if (strncmp(p, "//", 2) != 0 || strchr(p, '|'))
		return;
	const char *tag = p + 2;
	size_t tl = 0;
	while ((tag[tl] >= 'a' && tag[tl] <= 'z') || (tag[tl] >= '0' && tag[tl] <= '9'))
		tl++;
	if (tl == 0 && tag[0] == '*')
		tl = 1;
	static const char pre[] = "[contains(@class,'", pre_id[] = "[@id='";
	const char *q = tag + tl;
	int by_id = strncmp(q, pre_id, sizeof pre_id - 1) == 0;
	if (tl == 0 || (!by_id && strncmp(q, pre, sizeof pre - 1) != 0))
		return;
	const char *lit = q + (by_id ? sizeof pre_id - 1 : sizeof pre - 1);
	const char *end = strchr(lit, '\'');
	const char *close = by_id ? "']" : "')]";
	if (!end || end == lit || strncmp(end, close, strlen(close)) != 0)
		return;
	const char *rest = end + strlen(close);
	if (*rest && *rest != '/')
		return;		/* a second predicate: position() would change meaning */
	if (*rest) {
		phx_buf b = PHX_BUF_INIT;
		phx_buf_printf(&b, "self::node()%s", rest);
		x->rest = xmlXPathCompile((const xmlChar *)b.data);
		phx_buf_free(&b);
		if (!x->rest)
			return;
	}
	x->slot = slot_of(s, tag, tl, lit, (size_t)(end - lit), by_id);
	s->by_id |= by_id;
}

/* The value of attribute name ("" when empty), or NULL without it. */
static const char *attr_of(const xmlNode *n, const char *name)
{
	for (const xmlAttr *a = n->properties; a; a = a->next)
		if (a->name && a->name[0] == name[0] && strcmp((const char *)a->name, name) == 0)
			return a->children && a->children->content
				? (const char *)a->children->content : "";
	return NULL;
}

static void walk(phx_mls_index *ix, const phx_mls_selectors *s, xmlNode *n)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		const char *cls = n->properties ? attr_of(n, "class") : NULL;
		const char *id = n->properties && s->by_id ? attr_of(n, "id") : NULL;
		for (size_t i = 0; (cls || id) && i < s->nslots; i++) {
			const phx_mls_slot *sl = &s->slots[i];
			const char *v = sl->by_id ? id : cls;
			if (v && (sl->tag[0] == '*' || strcmp(sl->tag, (const char *)n->name) == 0) &&
			    (sl->by_id ? strcmp(v, sl->lit) == 0 : strstr(v, sl->lit) != NULL))
				xmlXPathNodeSetAdd(ix->sets[i], n);
		}
		walk(ix, s, n->children);
	}
}

void phx_mls_index_build(phx_mls_index *ix, const phx_mls_selectors *s, xmlDoc *doc)
{
	ix->n = s->nslots;
	ix->sets = phx_xcalloc(ix->n ? ix->n : 1, sizeof *ix->sets);
	for (size_t i = 0; i < ix->n; i++)
		ix->sets[i] = xmlXPathNodeSetCreate(NULL);
	walk(ix, s, xmlDocGetRootElement(doc));
}

void phx_mls_index_free(phx_mls_index *ix)
{
	for (size_t i = 0; i < ix->n; i++)
		xmlXPathFreeNodeSet(ix->sets[i]);
	free(ix->sets);
	ix->sets = NULL;
	ix->n = 0;
}

xmlXPathObject *phx_mls_index_eval(const phx_mls_index *ix, const phx_mls_sel *x,
				   xmlXPathContext *ctx)
{
	xmlNodeSet *from = ix->sets[x->slot];
	if (!x->rest)
		return xmlXPathWrapNodeSet(xmlXPathNodeSetMerge(NULL, from));
	xmlNodeSet *out = xmlXPathNodeSetCreate(NULL);
	for (int i = 0; i < from->nodeNr; i++) {
		ctx->node = from->nodeTab[i];
		xmlXPathObject *r = xmlXPathCompiledEval(x->rest, ctx);
		if (r && r->type == XPATH_NODESET && r->nodesetval && r->nodesetval->nodeNr)
			out = xmlXPathNodeSetMerge(out, r->nodesetval);
		xmlXPathFreeObject(r);
	}
	if (from->nodeNr > 1)
		xmlXPathNodeSetSort(out);
	return xmlXPathWrapNodeSet(out);
}
