/* maricopa.c - Maricopa assessor requests and answers to property records. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "maricopa.h"
#include "address.h"
#include "apn.h"
#include "buf.h"
#include "timeutil.h"
#include "xalloc.h"

/* ---- requests ---- */

static void add_base(phx_buf *b, const char *base)
{
	size_t n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		n--;
	phx_buf_add(b, base, n);
}

static void add_escaped(phx_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
			phx_buf_addc(b, (char)c);
		} else {
			phx_buf_addc(b, '%');
			phx_buf_addc(b, hex[c >> 4]);
			phx_buf_addc(b, hex[c & 15]);
		}
	}
}

char *phx_maricopa_search_url(const char *base, const char *query, long page)
{
	phx_buf b = PHX_BUF_INIT;
	add_base(&b, base);
	phx_buf_adds(&b, "/search/property/?q=");
	add_escaped(&b, query);
	phx_buf_printf(&b, "&page=%ld", page < 1 ? 1 : page);
	return phx_buf_steal(&b);
}

char *phx_maricopa_parcel_url(const char *base, const char *apn)
{
	phx_buf b = PHX_BUF_INIT;
	add_base(&b, base);
	phx_buf_adds(&b, "/parcel/");
	add_escaped(&b, apn);
	return phx_buf_steal(&b);
}

long phx_maricopa_pages(long long total)
{
	if (total <= 0)
		return 0;
	return (long)((total + PHX_MARICOPA_PAGE_SIZE - 1) / PHX_MARICOPA_PAGE_SIZE);
}

/* ---- answers ---- */

static int looks_like_html(const char *body, size_t len)
{
	size_t i = 0;
	if (len >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0)
		i = 3;	/* the live home page starts with a BOM */
	while (i < len && isspace((unsigned char)body[i]))
		i++;
	return i < len && body[i] == '<';
}

const char *phx_maricopa_check(const phx_http_result *r, int want_object, json_t **doc,
			       char *why, size_t n)
{
	static char code[32];
	*doc = NULL;
	if ((r->status == 500 && strcasestr(r->reason, "unauthorized")) ||
	    r->status == 401 || r->status == 403) {
		snprintf(why, n, "HTTP %ld %s: the token was refused", r->status, r->reason);
		return "fetch.auth";
	}
	if (r->status == 404) {
		snprintf(why, n, "HTTP 404: no such parcel");
		return "fetch.not_found";
	}
	if (r->status < 200 || r->status > 299) {
		snprintf(why, n, "HTTP %ld %s", r->status, r->reason);
		snprintf(code, sizeof code, "fetch.http_%ld", r->status);
		return code;
	}
	if (strcasestr(r->content_type, "html") || looks_like_html(r->body, r->body_len)) {
		snprintf(why, n, "HTML where JSON was expected (Content-Type: %s)",
			 r->content_type[0] ? r->content_type : "none");
		return "fetch.not_json";
	}
	json_error_t err;
	json_t *j = json_loadb(r->body, r->body_len, 0, &err);
	if (!j) {
		snprintf(why, n, "not JSON (Content-Type: %s): %s",
			 r->content_type[0] ? r->content_type : "none", err.text);
		return "fetch.not_json";
	}
	if (want_object && json_is_array(j) && json_array_size(j) == 0) {
		json_decref(j);
		snprintf(why, n, "empty answer []: no such parcel");
		return "fetch.not_found";
	}
	if (want_object && !json_is_object(j)) {
		json_decref(j);
		snprintf(why, n, "a JSON object was expected");
		return "fetch.bad_shape";
	}
	*doc = j;
	return NULL;
}

const char *phx_maricopa_search_page(const json_t *doc, long long *total,
				     json_t **results, char *why, size_t n)
{
	json_t *t = json_object_get(doc, "TOTAL");
	json_t *res = json_object_get(doc, "Results");
	if (!json_is_integer(t) || json_integer_value(t) < 0) {
		snprintf(why, n, "search answer without an integer TOTAL");
		return "fetch.bad_shape";
	}
	if (!json_is_array(res)) {
		snprintf(why, n, "search answer without a Results array");
		return "fetch.bad_shape";
	}
	*total = json_integer_value(t);
	*results = res;
	return NULL;
}

/* ---- values ---- */

json_t *phx_maricopa_int(const json_t *v)
{
	if (json_is_integer(v))
		return json_integer(json_integer_value(v));
	if (json_is_real(v)) {
		double d = json_real_value(v);
		if (d >= -9e15 && d <= 9e15 && d == (double)(long long)d)
			return json_integer((json_int_t)d);
		return json_null();
	}
	if (!json_is_string(v))
		return json_null();
	const char *s = json_string_value(v);
	long long x = 0;
	int digits = 0, neg = 0;
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '$')
		s++;
	if (*s == '-') {
		neg = 1;
		s++;
	}
	for (; *s; s++) {
		if (*s == ',')
			continue;
		if (*s == '.') {
			/* "1234.00": whole dollars only */
			for (s++; *s == '0'; s++)
				;
			break;
		}
		if (!isdigit((unsigned char)*s) || x > 900000000000000LL)
			break;
		x = x * 10 + (*s - '0');
		digits++;
	}
	while (isspace((unsigned char)*s))
		s++;
	if (*s || digits == 0)
		return json_null();
	return json_integer(neg ? -x : x);
}

const char *phx_maricopa_property_type(const char *word)
{
	static const struct { const char *prefix, *type; } map[] = {
		{"VACANT LAND", "vacant_land"}, {"VACANT", "vacant_land"},
		{"SINGLE FAMILY", "single_family"}, {"CONDO", "condo"},
		{"TOWNHOUSE", "townhouse"}, {"TOWNHOME", "townhouse"},
		{"MOBILE HOME", "manufactured"}, {"MANUFACTURED", "manufactured"},
		{"MULTI", "multi_family"}, {"APARTMENT", "multi_family"},
		{"RESIDENTIAL", "residential"}, {"COMMERCIAL", "commercial"},
		{"WAREHOUSE", "industrial"}, {"INDUSTRIAL", "industrial"},
		{"AGRICULTUR", "agricultural"},
	};
	if (!word)
		return "other";
	while (isspace((unsigned char)*word))
		word++;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strncasecmp(word, map[i].prefix, strlen(map[i].prefix)) == 0)
			return map[i].type;
	return "other";
}

/* ---- record building ---- */

static const char *str_of(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Trimmed string, or null for missing/empty. */
static json_t *trimmed(const char *s)
{
	if (!s)
		return json_null();
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return n ? json_stringn(s, n) : json_null();
}

/* The county writes dates as "2012-09-14T00:00:00", a time of day with no
 * offset. The record holds the calendar date ("2012-09-14"); anything that
 * does not start with a real date is unknown (null), and raw keeps it. */
static json_t *date_only(const char *s)
{
	int y, m, d;
	while (s && isspace((unsigned char)*s))
		s++;
	if (!s || strlen(s) < 10 || phx_date_parse(s, &y, &m, &d) != 0)
		return json_null();
	if (s[10] != '\0' && s[10] != 'T' && s[10] != ' ' && !isspace((unsigned char)s[10]))
		return json_null();
	return json_stringn(s, 10);
}

/* A field from the first of two objects that has it as a string. */
static const char *either(const json_t *a, const json_t *b, const char *key)
{
	const char *s = a ? str_of(a, key) : NULL;
	return s ? s : (b ? str_of(b, key) : NULL);
}

static json_t *zip5(const char *z)
{
	if (!z)
		return json_null();
	while (isspace((unsigned char)*z))
		z++;
	for (int i = 0; i < 5; i++)
		if (!isdigit((unsigned char)z[i]))
			return json_null();
	if (z[5] && z[5] != '-' && !isspace((unsigned char)z[5]))
		return json_null();
	return json_stringn(z, 5);
}

static json_t *address_obj(const char *situs, const char *city, const json_t *zip,
			   char **key_out)
{
	char *street = NULL, *unit = NULL;
	phx_addr_split_unit(situs ? situs : "", &street, &unit);
	const char *z = json_is_string(zip) ? json_string_value(zip) : NULL;
	*key_out = phx_address_key(z, street, unit);
	char *city_clean = phx_addr_clean(city ? city : "");
	json_t *a = json_pack("{s:o, s:o, s:o, s:o, s:O, s:s}",
			      "street", street[0] ? json_string(street) : json_null(),
			      "unit", unit ? json_string(unit) : json_null(),
			      "city", city_clean[0] ? json_string(city_clean) : json_null(),
			      "state", (situs || city) ? json_string("AZ") : json_null(),
			      "zip", zip, "county", "Maricopa");
	free(street);
	free(unit);
	free(city_clean);
	return a;
}

static json_t *number_or_null(const json_t *v)
{
	if (json_is_number(v))
		return json_real(json_number_value(v));
	if (json_is_string(v)) {
		char *end;
		double d = strtod(json_string_value(v), &end);
		if (end != json_string_value(v) && *end == '\0')
			return json_real(d);
	}
	return json_null();
}

static json_t *location_of(const json_t *details)
{
	json_t *geo = json_object_get(details, "Geo");
	if (!json_is_object(geo))
		return json_null();
	json_t *lat = number_or_null(json_object_get(geo, "lat"));
	json_t *lon = number_or_null(json_object_get(geo, "long"));
	if (json_is_null(lat) || json_is_null(lon)) {
		json_decref(lat);
		json_decref(lon);
		return json_null();
	}
	return json_pack("{s:o, s:o}", "lat", lat, "lon", lon);
}

static json_t *pool_of(const json_t *v)
{
	if (json_is_boolean(v))
		return json_boolean(json_is_true(v));
	json_t *n = phx_maricopa_int(v);
	json_t *out = json_is_integer(n) ? json_boolean(json_integer_value(n) > 0) : json_null();
	json_decref(n);
	return out;
}

static json_t *features_of(const json_t *details)
{
	const json_t *rpd = json_object_get(details, "ResidentialPropertyData");
	if (!json_is_object(rpd))
		rpd = NULL;
	json_t *year = phx_maricopa_int(json_object_get(rpd, "ConstructionYear"));
	if (json_is_null(year)) {
		json_decref(year);
		year = phx_maricopa_int(json_object_get(rpd, "OriginalConstructionYear"));
	}
	json_t *lot = phx_maricopa_int(json_object_get(rpd, "LotSize"));
	if (json_is_null(lot)) {
		json_decref(lot);
		lot = phx_maricopa_int(json_object_get(details, "LotSize"));
	}
	return json_pack("{s:n, s:n, s:o, s:o, s:o, s:o, s:o, s:n}",
			 "bedrooms", "bathrooms",
			 "square_feet", phx_maricopa_int(json_object_get(rpd, "LivableSpace")),
			 "lot_size_sqft", lot, "year_built", year,
			 "garage_spaces", phx_maricopa_int(json_object_get(rpd, "NumberOfGarages")),
			 "pool", rpd ? pool_of(json_object_get(rpd, "Pool")) : json_null(),
			 "stories");
}

static json_t *valuations_of(const json_t *details)
{
	json_t *in = json_object_get(details, "Valuations");
	json_t *out = json_array();
	size_t i;
	json_t *v;
	if (!json_is_array(in))
		return out;
	json_array_foreach(in, i, v) {
		if (!json_is_object(v))
			continue;
		json_array_append_new(out, json_pack(
			"{s:o, s:o, s:o, s:o, s:o, s:o}",
			"tax_year", phx_maricopa_int(json_object_get(v, "TaxYear")),
			"full_cash_value", phx_maricopa_int(json_object_get(v, "FullCashValue")),
			"limited_value",
			phx_maricopa_int(json_object_get(v, "LimitedPropertyValue")),
			"assessed_full_cash_value",
			phx_maricopa_int(json_object_get(v, "AssessedFCV")),
			"assessed_limited_value",
			phx_maricopa_int(json_object_get(v, "AssessedLPV")),
			"legal_class", trimmed(str_of(v, "LegalClassification"))));
	}
	return out;
}

static json_t *owner_of(const json_t *item, const json_t *details)
{
	const json_t *own = details ? json_object_get(details, "Owner") : NULL;
	if (!json_is_object(own))
		own = NULL;
	const char *name = either(own, item, "Ownership");
	json_t *o = json_pack("{s:o}", "name", trimmed(name));
	if (!own)
		return o;
	json_object_set_new(o, "in_care_of", trimmed(str_of(own, "InCareOf")));
	json_object_set_new(o, "mailing_address", trimmed(str_of(own, "FullMailingAddress")));
	json_t *red = json_object_get(own, "Redacted");
	json_object_set_new(o, "redacted", json_is_boolean(red) ? json_boolean(json_is_true(red))
			    : json_null());
	return o;
}

static json_t *parcel_of(const json_t *item, const json_t *details)
{
	const char *sub = item ? str_of(item, "SubdivisonName") : NULL;
	if (!sub && details)
		sub = str_of(details, "SubdivisionName");
	json_t *p = json_pack("{s:o, s:o, s:o, s:o}",
			      "mcr", trimmed(either(item, details, "MCR")),
			      "subdivision", trimmed(sub),
			      "str", trimmed(either(item, details, "SectionTownshipRange")),
			      "owner", owner_of(item, details));
	if (item)
		json_object_set_new(p, "rental_id", trimmed(str_of(item, "RentalID")));
	if (!details)
		return p;
	const json_t *own = json_object_get(details, "Owner");
	json_object_set_new(p, "use_code", trimmed(str_of(details, "PropertyUseCode")));
	json_object_set_new(p, "tax_area_code", trimmed(str_of(details, "TaxAreaCode")));
	json_object_set_new(p, "deed", json_pack("{s:o, s:o}",
		"date", date_only(str_of(own, "DeedDate")), "type", trimmed(str_of(own, "DeedType"))));
	json_object_set_new(p, "sale", json_pack("{s:o, s:o}",
		"price", phx_maricopa_int(json_object_get(own, "SalePrice")),
		"date", date_only(str_of(own, "SaleDate"))));
	json_object_set_new(p, "valuations", valuations_of(details));
	return p;
}

static json_t *raw_of(const json_t *item, const json_t *details)
{
	if (!details)
		return json_incref((json_t *)item);
	json_t *raw = json_object();
	if (item)
		json_object_set(raw, "search", (json_t *)item);
	json_object_set(raw, "parcel", (json_t *)details);
	return raw;
}

json_t *phx_maricopa_record(const json_t *item, const json_t *details,
			    const char *asked_apn, const char *observed_at,
			    char *why, size_t n)
{
	if (item && !json_is_object(item)) {
		snprintf(why, n, "search result is not an object");
		return NULL;
	}
	if (details && !json_is_object(details))
		details = NULL;
	if (!item && !details) {
		snprintf(why, n, "nothing to build a record from");
		return NULL;
	}
	char apn[PHX_APN_MAX];
	const char *apn_raw = either(item, details, "APN");
	int have_apn = apn_raw && phx_apn_normalize(apn_raw, apn) == 0;
	if (!have_apn && asked_apn)
		have_apn = phx_apn_normalize(asked_apn, apn) == 0;
	const char *situs = either(item, details, "SitusAddress");
	if (!have_apn && !situs) {
		snprintf(why, n, "result has neither an APN nor an address");
		return NULL;
	}
	char *key = NULL;
	json_t *zip = zip5(either(item, details, "SitusZip"));
	json_t *addr = address_obj(situs, either(item, details, "SitusCity"), zip, &key);
	json_decref(zip);
	phx_buf id = PHX_BUF_INIT;
	phx_buf_printf(&id, "%s%s", have_apn ? "apn:" : "addr:", have_apn ? apn : key);
	const char *ptype = either(item, details, "PropertyType");
	json_t *rec = json_pack("{s:s, s:o, s:s, s:o, s:o, s:s, s:o, s:o, s:n, s:s, s:s, s:o}",
		"property_id", id.data, "apn", have_apn ? json_string(apn) : json_null(),
		"address_key", key, "address", addr,
		"location", details ? location_of(details) : json_null(),
		"property_type", phx_maricopa_property_type(ptype),
		"features", features_of(details), "parcel", parcel_of(item, details),
		"listing", "source", "maricopa", "observed_at", observed_at,
		"raw", raw_of(item, details));
	phx_buf_free(&id);
	free(key);
	if (!rec)
		snprintf(why, n, "could not build the record");
	return rec;
}
