/* mls_layers.c - the JSON-LD and meta-tag layers of the MLS extractor, and
 * the text helpers every layer shares (see mls_layers.h).
 *
 * The Flexmls plugin emits no JSON-LD, but portals and other front ends do,
 * often wrapped in @graph or with @type as an array; only listing and
 * residence types are read, and a number is only trusted with its unit. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "mls_layers.h"
#include "mls_values.h"
#include "xalloc.h"

json_t *phx_mls_jstrn(const char *s, size_t n)
{
	json_t *j = json_stringn(s, n);
	if (j)
		return j;
	char *c = phx_xstrndup(s, n);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)c[i] >= 0x80 || c[i] == '\0')
			c[i] = '?';
	j = json_stringn(c, n);
	free(c);
	return j ? j : json_string("");
}

json_t *phx_mls_jstr(const char *s)
{
	return phx_mls_jstrn(s, strlen(s));
}

static void add_children_text(phx_buf *b, const xmlNode *n)
{
	for (const xmlNode *c = n->children; c; c = c->next)
		phx_mls_node_text(b, c);
}

void phx_mls_node_text(phx_buf *b, const xmlNode *n)
{
	switch (n->type) {
	case XML_TEXT_NODE:
	case XML_CDATA_SECTION_NODE:
		if (n->content)
			phx_buf_adds(b, (const char *)n->content);
		break;
	case XML_ATTRIBUTE_NODE:
	case XML_DOCUMENT_NODE:
	case XML_HTML_DOCUMENT_NODE:
		add_children_text(b, n);
		break;
	case XML_ELEMENT_NODE:
		if (!n->name)
			break;
		if (strcasecmp((const char *)n->name, "br") == 0)
			phx_buf_addc(b, '\n');
		else if (strcasecmp((const char *)n->name, "script") != 0 &&
			 strcasecmp((const char *)n->name, "style") != 0)
			add_children_text(b, n);
		break;
	default:
		break;
	}
	if (!b->data)
		phx_buf_adds(b, "");
}

static const char *attr(const xmlNode *n, const char *name)
{
	for (const xmlAttr *a = n->properties; a; a = a->next)
		if (a->name && strcasecmp((const char *)a->name, name) == 0 && a->children &&
		    a->children->content)
			return (const char *)a->children->content;
	return NULL;
}

/* ---- JSON-LD ---- */

static const char *const accepted_types[] = {
	"RealEstateListing", "SingleFamilyResidence", "House", "Apartment", "Residence",
	"Accommodation", "Condominium",
};

static int type_accepted(const json_t *t, json_t *types)
{
	int ok = 0;
	if (json_is_string(t)) {
		json_array_append(types, (json_t *)t);
		for (size_t i = 0; i < sizeof accepted_types / sizeof accepted_types[0]; i++)
			if (strcmp(json_string_value(t), accepted_types[i]) == 0)
				ok = 1;
	} else if (json_is_array(t)) {
		size_t i;
		json_t *x;
		json_array_foreach(t, i, x)
			ok |= json_is_string(x) && type_accepted(x, types);
	}
	return ok;
}

static const char *jget_str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* A number given as a number or as a string like "$450,000". */
static int jget_num(const json_t *o, const char *k, double *v)
{
	const json_t *x = json_object_get(o, k);
	if (json_is_number(x)) {
		*v = json_number_value(x);
		return isfinite(*v) ? 0 : -1;
	}
	return json_is_string(x) ? phx_mls_number(json_string_value(x), v) : -1;
}

static void set_int(json_t *cand, const char *k, double v, double lo, double hi)
{
	if (v >= lo && v <= hi && !json_object_get(cand, k))
		json_object_set_new(cand, k, json_integer(llround(v)));
}

static void jsonld_address(const json_t *a, json_t *cand)
{
	if (json_is_string(a)) {
		phx_mls_one_line_address(json_string_value(a), cand);
		return;
	}
	static const char *const map[][2] = {
		{ "streetAddress", "street" }, { "addressLocality", "city" },
		{ "addressRegion", "state" }, { "postalCode", "zip" },
	};
	for (size_t i = 0; i < 4; i++) {
		const char *s = jget_str(a, map[i][0]);
		if (s && !phx_mls_is_null(s) && !json_object_get(cand, map[i][1]))
			json_object_set_new(cand, map[i][1], phx_mls_jstr(s));
	}
}

static void jsonld_residence(const json_t *o, json_t *cand)
{
	double v;
	const json_t *addr = json_object_get(o, "address");
	if (addr)
		jsonld_address(addr, cand);
	const json_t *geo = json_object_get(o, "geo");
	double lat, lon;
	if (jget_num(geo, "latitude", &lat) == 0 && jget_num(geo, "longitude", &lon) == 0 &&
	    fabs(lat) <= 90 && fabs(lon) <= 180 && !json_object_get(cand, "lat")) {
		json_object_set_new(cand, "lat", json_real(lat));
		json_object_set_new(cand, "lon", json_real(lon));
	}
	/* numberOfRooms is not bedrooms (portals confuse them): not read */
	if (jget_num(o, "numberOfBedrooms", &v) == 0)
		set_int(cand, "bedrooms", v, 0, 100);
	if (jget_num(o, "numberOfBathroomsTotal", &v) == 0 && v >= 0 && v <= 100 &&
	    !json_object_get(cand, "bathrooms"))
		json_object_set_new(cand, "bathrooms", json_real(v));
	const json_t *fs = json_object_get(o, "floorSize");
	const char *unit = jget_str(fs, "unitCode");
	if (jget_num(fs, "value", &v) == 0) {
		if (!unit || strcmp(unit, "FTK") == 0 || strcmp(unit, "SQFT") == 0)
			set_int(cand, "square_feet", v, 1, 2000000);
		else if (strcmp(unit, "MTK") == 0)
			set_int(cand, "square_feet", v * 10.7639104, 1, 2000000);
	}
	if (jget_num(o, "yearBuilt", &v) == 0)
		set_int(cand, "year_built", v, 1700, 2200);
}

static void jsonld_listing(const json_t *o, json_t *cand)
{
	double v;
	const json_t *offers = json_object_get(o, "offers");
	if (json_is_array(offers))
		offers = json_array_get(offers, 0);
	if (jget_num(offers, "price", &v) == 0)
		set_int(cand, "list_price", v, 1, 1e11);
	char date[11];
	const char *posted = jget_str(o, "datePosted");
	if (posted && phx_mls_date(posted, date) == 0 && !json_object_get(cand, "list_date"))
		json_object_set_new(cand, "list_date", json_string(date));
	const char *d = jget_str(o, "description");
	if (d && !phx_mls_is_null(d) && !json_object_get(cand, "description"))
		json_object_set_new(cand, "description", phx_mls_jstr(d));
	const char *u = jget_str(o, "url");
	if (u && strncmp(u, "http", 4) == 0 && !json_object_get(cand, "url")) {
		char *c = phx_mls_canonical_url(u);
		json_object_set_new(cand, "url", phx_mls_jstr(c));
		free(c);
	}
	jsonld_residence(o, cand);
}

static void jsonld_walk(const json_t *v, json_t *cand, json_t *types, int depth)
{
	if (depth > 8)
		return;
	if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x)
			jsonld_walk(x, cand, types, depth + 1);
		return;
	}
	if (!json_is_object(v))
		return;
	const json_t *graph = json_object_get(v, "@graph");
	if (graph)
		jsonld_walk(graph, cand, types, depth + 1);
	if (type_accepted(json_object_get(v, "@type"), types))
		jsonld_listing(v, cand);
	/* a listing's property may sit under about / mainEntity / itemOffered */
	static const char *const inner[] = { "about", "mainEntity", "itemOffered" };
	for (size_t i = 0; i < 3; i++) {
		const json_t *x = json_object_get(v, inner[i]);
		if (x)
			jsonld_walk(x, cand, types, depth + 1);
	}
}

static void scripts(const xmlNode *n, json_t *cand, json_t *types)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (strcasecmp((const char *)n->name, "script") == 0) {
			const char *t = attr(n, "type");
			if (t && strcasecmp(t, "application/ld+json") == 0) {
				phx_buf b = PHX_BUF_INIT;
				add_children_text(&b, n);
				json_t *j = json_loadb(b.data ? b.data : "", b.len, 0, NULL);
				if (j)
					jsonld_walk(j, cand, types, 0);
				else
					json_array_append_new(types, json_string("(not JSON)"));
				json_decref(j);
				phx_buf_free(&b);
			}
			continue;
		}
		scripts(n->children, cand, types);
	}
}

void phx_mls_jsonld_layer(xmlDoc *doc, json_t *cand, json_t *types)
{
	scripts(xmlDocGetRootElement(doc), cand, types);
}

/* ---- meta tags ---- */

void phx_mls_one_line_address(const char *s, json_t *cand)
{
	/* from the right: "..., City, AZ 85031" */
	char *c = phx_xstrdup(s);
	phx_mls_squeeze(c);
	char *last = strrchr(c, ',');
	if (!last) {
		free(c);
		return;
	}
	char st[3] = "", zip[6] = "";
	const char *p = last + 1;
	while (*p == ' ')
		p++;
	if (isupper((unsigned char)p[0]) && isupper((unsigned char)p[1]) && p[2] == ' ') {
		memcpy(st, p, 2);
		st[2] = '\0';
		p += 3;
	}
	size_t zi = 0;
	while (zi < 5 && isdigit((unsigned char)p[zi]))
		zi++;
	if (zi == 5) {
		memcpy(zip, p, 5);
		zip[5] = '\0';
	}
	if (!st[0] && !zip[0]) {
		free(c);
		return;
	}
	*last = '\0';
	char *city = strrchr(c, ',');
	char *street = c;
	if (city) {
		*city++ = '\0';
	} else {
		city = c;
		street = NULL;
	}
	phx_mls_squeeze(city);
	if (street)
		phx_mls_squeeze(street);
	if (street && !phx_mls_is_null(street))
		json_object_set_new(cand, "street", phx_mls_jstr(street));
	if (*city && !phx_mls_is_null(city))
		json_object_set_new(cand, "city", phx_mls_jstr(city));
	if (st[0])
		json_object_set_new(cand, "state", json_string(st));
	if (zip[0])
		json_object_set_new(cand, "zip", json_string(zip));
	free(c);
}

/* og:title "<line1>, <City, ST ZIP> (MLS# <id>)" */
static void og_title(const char *t, json_t *cand)
{
	const char *m = strstr(t, "(MLS#");
	if (!m)
		return;
	const char *p = m + 5;
	while (*p == ' ')
		p++;
	size_t n = 0;
	while (isalnum((unsigned char)p[n]))
		n++;
	if (n > 0 && n < 40 && p[n] == ')')
		json_object_set_new(cand, "mls_id", json_stringn(p, n));
	char *addr = phx_xstrndup(t, (size_t)(m - t));
	phx_mls_one_line_address(addr, cand);
	free(addr);
}

static void meta_tag(const char *key, const char *val, json_t *cand)
{
	long long price;
	int range;
	if (strcmp(key, "og:title") == 0) {
		og_title(val, cand);
	} else if (strcmp(key, "og:url") == 0 && strncmp(val, "http", 4) == 0) {
		char *c = phx_mls_canonical_url(val);
		json_object_set_new(cand, "url", phx_mls_jstr(c));
		char id[40];
		if (phx_mls_id_from_url(c, id, sizeof id) == 0 && !json_object_get(cand, "mls_id"))
			json_object_set_new(cand, "mls_id", json_string(id));
		free(c);
	} else if ((strcmp(key, "product:price:amount") == 0 ||
		    strcmp(key, "og:price:amount") == 0) &&
		   phx_mls_money(val, &price, &range) == 0 && price > 0) {
		json_object_set_new(cand, "list_price", json_integer(price));
	} else if ((strcmp(key, "description") == 0 || strcmp(key, "og:description") == 0) &&
		   !phx_mls_is_null(val)) {
		/* the remarks cut at 160 or 200 characters: keep the longer */
		json_t *old = json_object_get(cand, "description");
		if (!old || strlen(json_string_value(old)) < strlen(val))
			json_object_set_new(cand, "description", phx_mls_jstr(val));
	} else if (strcmp(key, "og:image") == 0 && strncmp(val, "http", 4) == 0 &&
		   !strstr(val, "nophoto")) {
		json_object_set_new(cand, "photos", json_pack("[o]", phx_mls_jstr(val)));
	}
}

char *phx_mls_safe_key(const char *s)
{
	json_t *clean = phx_mls_jstr(s ? s : "");
	const char *p = json_string_value(clean);
	phx_buf b = PHX_BUF_INIT;
	phx_buf_adds(&b, "");
	for (size_t i = 0; p && p[i]; i++) {
		if (p[i] == '.')
			phx_buf_adds(&b, "\xef\xbc\x8e");
		else if (p[i] == '$' && i == 0)
			phx_buf_adds(&b, "\xef\xbc\x84");
		else
			phx_buf_addc(&b, p[i]);
	}
	json_decref(clean);
	return phx_buf_steal(&b);
}

static void metas(const xmlNode *n, json_t *cand, json_t *raw)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (strcasecmp((const char *)n->name, "meta") == 0) {
			const char *key = attr(n, "property");
			if (!key)
				key = attr(n, "name");
			const char *val = attr(n, "content");
			if (key && val && (strncmp(key, "og:", 3) == 0 ||
					   strncmp(key, "product:", 8) == 0 ||
					   strcmp(key, "description") == 0)) {
				char *safe = phx_mls_safe_key(key);
				if (!json_object_get(raw, safe))
					json_object_set_new(raw, safe, phx_mls_jstr(val));
				free(safe);
				meta_tag(key, val, cand);
			}
			continue;
		}
		if (strcasecmp((const char *)n->name, "body") == 0)
			continue;	/* meta tags live in the head */
		metas(n->children, cand, raw);
	}
}

void phx_mls_meta_layer(xmlDoc *doc, json_t *cand, json_t *raw)
{
	metas(xmlDocGetRootElement(doc), cand, raw);
}
