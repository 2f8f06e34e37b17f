/* mls_fields.c - selector fields to record fields, and the MLS record
 * (see mls_fields.h). Unknown stays null: a withheld "********" never
 * becomes 0, and nothing is invented (no default city, no default ZIP). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "address.h"
#include "apn.h"
#include "buf.h"
#include "mls_fields.h"
#include "mls_layers.h"
#include "mls_values.h"
#include "timeutil.h"
#include "xalloc.h"

static const struct { const char *sel, *rec; } same_name[] = {
	{ "mls_id", "mls_id" }, { "list_price", "list_price" }, { "status", "status" },
	{ "list_date", "list_date" }, { "days_on_market", "days_on_market" },
	{ "dwelling_type", "property_type" }, { "property_type", "property_type" },
	{ "bedrooms", "bedrooms" }, { "bathrooms", "bathrooms" },
	{ "square_feet", "square_feet" }, { "lot_sqft", "lot_size_sqft" },
	{ "lot_acres", "lot_size_sqft" }, { "lot_size", "lot_size_sqft" },
	{ "year_built", "year_built" }, { "garage_spaces", "garage_spaces" },
	{ "stories", "stories" }, { "pool", "pool" }, { "community_pool", "community_pool" },
	{ "apn", "apn" }, { "subdivision", "subdivision" }, { "latitude", "lat" },
	{ "longitude", "lon" }, { "hoa", "hoa" }, { "description", "description" },
	{ "photos", "photos" }, { "agent", "agent" }, { "brokerage", "brokerage" },
	{ "street_line", "street" }, { "city", "city" }, { "zip", "zip" }, { "state", "state" },
};

const char *phx_mls_record_field(const char *sel)
{
	for (size_t i = 0; i < sizeof same_name / sizeof same_name[0]; i++)
		if (strcmp(same_name[i].sel, sel) == 0)
			return same_name[i].rec;
	return NULL;
}

static const char *val(const json_t *vals, const char *k)
{
	const char *s = json_string_value(json_object_get(vals, k));
	return s && !phx_mls_is_null(s) ? s : NULL;
}

static void set_new(json_t *cand, const char *k, json_t *v)
{
	if (!v)
		return;
	if (json_object_get(cand, k))
		json_decref(v);
	else
		json_object_set_new(cand, k, v);
}

static void put_int(const json_t *vals, json_t *cand, const char *sel, const char *rec,
		    long long lo, long long hi)
{
	long long v;
	const char *s = val(vals, sel);
	if (s && phx_mls_int(s, &v) == 0 && v >= lo && v <= hi)
		set_new(cand, rec, json_integer(v));
}

static void put_text(const json_t *vals, json_t *cand, const char *sel, const char *rec)
{
	const char *s = val(vals, sel);
	if (s)
		set_new(cand, rec, phx_mls_jstr(s));
}

/* "MLS# 6937912", "Listing Details MLS# 6937912", "6937912" */
static void put_mls_id(const char *s, json_t *cand)
{
	if (!s)
		return;
	const char *p = strcasestr(s, "MLS#");
	p = p ? p + 4 : s;
	while (*p == ' ' || *p == ':')
		p++;
	size_t n = 0;
	while (isalnum((unsigned char)p[n]))
		n++;
	if (n >= 4 && n < 40 && (p[n] == '\0' || p[n] == ' ' || p[n] == ')'))
		set_new(cand, "mls_id", json_stringn(p, n));
}

/* "Listing Office: Example Realty" -> "Example Realty" */
static void put_after_label(const json_t *vals, json_t *cand, const char *k)
{
	const char *s = val(vals, k);
	if (!s)
		return;
	const char *c = strchr(s, ':');
	if (c && (size_t)(c - s) < 24)
		s = c + 1;
	while (*s == ' ')
		s++;
	if (*s && !phx_mls_is_null(s))
		set_new(cand, k, phx_mls_jstr(s));
}

static void put_address(const json_t *vals, json_t *cand)
{
	const char *line = val(vals, "street_line");
	if (line)
		set_new(cand, "street", phx_mls_jstr(line));
	const char *cl = val(vals, "city_line");
	if (cl) {	/* "Glendale, AZ 85302": a one-line address without a street */
		phx_buf b = PHX_BUF_INIT;
		phx_buf_printf(&b, ", %s", cl);
		json_t *t = json_object();
		phx_mls_one_line_address(b.data, t);
		json_object_del(t, "street");
		const char *k;
		json_t *v;
		json_object_foreach(t, k, v)
			set_new(cand, k, json_incref(v));
		json_decref(t);
		phx_buf_free(&b);
	}
	const char *title = val(vals, "title");
	const char *one = val(vals, "address_line");
	json_t *t = json_object();
	if (one)
		phx_mls_one_line_address(one, t);
	if (title) {	/* "<one-line address> - MLS# <id>" */
		const char *m = strstr(title, " - MLS#");
		char *a = phx_xstrndup(title, m ? (size_t)(m - title) : strlen(title));
		phx_mls_one_line_address(a, t);
		free(a);
		if (m)
			put_mls_id(m + 3, cand);
	}
	const char *k;
	json_t *v;
	/* line 1 of the header may be withheld (empty) while the title has it */
	json_object_foreach(t, k, v)
		set_new(cand, k, json_incref(v));
	json_decref(t);
	put_text(vals, cand, "city", "city");
	put_text(vals, cand, "state", "state");
	const char *z = val(vals, "zip");
	if (z && strlen(z) >= 5 && isdigit((unsigned char)z[0]))
		set_new(cand, "zip", json_stringn(z, 5));
	/* from its parts: House Number, Compass, Street Name, St Suffix */
	static const char *const parts[] = { "house_number", "compass", "street_name",
					     "street_suffix" };
	phx_buf b = PHX_BUF_INIT;
	for (size_t i = 0; i < 4; i++) {
		const char *s = val(vals, parts[i]);
		if (s)
			phx_buf_printf(&b, "%s%s", b.len ? " " : "", s);
	}
	if (b.len && val(vals, "house_number") && val(vals, "street_name"))
		set_new(cand, "street", phx_mls_jstr(b.data));
	phx_buf_free(&b);
}

static void put_baths(const json_t *vals, json_t *cand)
{
	double d;
	const char *s = val(vals, "bathrooms");
	if (s && phx_mls_baths(s, &d) == 0 && d >= 0 && d <= 100) {
		set_new(cand, "bathrooms", json_real(d));
		return;
	}
	/* "Full Bathrooms: 2" with "Half Bathrooms: 1", or "2 Full, 1 Half" */
	double full;
	long long half = 0;
	const char *f = val(vals, "full_baths"), *h = val(vals, "half_baths");
	if (f && phx_mls_baths(f, &full) == 0 && (!h || phx_mls_int(h, &half) == 0) &&
	    full + (double)half <= 100)
		set_new(cand, "bathrooms", json_real(full + 0.5 * (double)half));
}

static void put_lot(const json_t *vals, json_t *cand)
{
	long long sq;
	int acres;
	double d;
	const char *s = val(vals, "lot_sqft");
	if (s && phx_mls_int(s, &sq) == 0 && sq > 0)
		set_new(cand, "lot_size_sqft", json_integer(sq));
	s = val(vals, "lot_acres");
	if (s && phx_mls_number(s, &d) == 0 && d > 0 && d < 1e6)
		set_new(cand, "lot_size_sqft", json_integer(phx_mls_acres_to_sqft(d)));
	s = val(vals, "lot_size");
	if (s && phx_mls_lot(s, &sq, &acres) == 0 && sq > 0)
		set_new(cand, "lot_size_sqft", json_integer(sq));
}

static void put_yes_no(const json_t *vals, json_t *cand, const char *sel, const char *rec)
{
	const char *s = val(vals, sel);
	int yn = s ? phx_mls_yes_no(s) : -1;
	if (yn >= 0)
		set_new(cand, rec, json_boolean(yn));
}

static void put_pool(const json_t *vals, json_t *cand)
{
	put_yes_no(vals, cand, "pool", "pool");
	const char *f = val(vals, "pool_features");	/* "Diving Pool; Heated" */
	if (f)
		set_new(cand, "pool", json_boolean(phx_mls_yes_no(f) != 0));
	put_yes_no(vals, cand, "community_pool", "community_pool");
}

static void put_apn(const json_t *vals, json_t *cand)
{
	char apn[PHX_APN_MAX];
	const char *s = val(vals, "apn");
	if (s && phx_apn_normalize(s, apn) == 0) {
		set_new(cand, "apn", json_string(apn));
		return;
	}
	const char *b = val(vals, "apn_book"), *m = val(vals, "apn_map");
	const char *p = val(vals, "apn_parcel"), *l = val(vals, "apn_letter");
	if (!b || !m || !p)
		return;
	phx_buf x = PHX_BUF_INIT;
	phx_buf_printf(&x, "%s-%s-%s%s", b, m, p, l ? l : "");
	if (phx_apn_normalize(x.data, apn) == 0)
		set_new(cand, "apn", json_string(apn));
	phx_buf_free(&x);
}

static void put_hoa(const json_t *vals, json_t *cand)
{
	const char *yn = val(vals, "hoa"), *fee = val(vals, "hoa_fee");
	const char *freq = val(vals, "hoa_frequency"), *name = val(vals, "hoa_name");
	const char *incl = val(vals, "hoa_includes");
	if (!yn && !fee && !freq && !name && !incl)
		return;
	int has = yn ? phx_mls_yes_no(yn) : -1;
	long long dollars;
	int range;
	json_t *f = fee && phx_mls_money(fee, &dollars, &range) == 0 ? json_integer(dollars)
								    : json_null();
	if (has < 0 && json_is_integer(f))
		has = json_integer_value(f) > 0;
	if (has < 0 && incl && strcasestr(incl, "no fees"))
		has = 0;
	const char *fq = freq ? phx_mls_frequency(freq) : NULL;
	set_new(cand, "hoa", json_pack("{s:o, s:o, s:o, s:o, s:o}",
		"has_hoa", has < 0 ? json_null() : json_boolean(has), "fee", f,
		"frequency", fq ? json_string(fq) : json_null(),
		"name", name ? phx_mls_jstr(name) : json_null(),
		"includes", incl ? phx_mls_jstr(incl) : json_null()));
}

static void put_geo(const json_t *vals, json_t *cand)
{
	const char *a = val(vals, "latitude"), *o = val(vals, "longitude");
	if (!a || !o)
		return;
	char *e1, *e2;
	double lat = strtod(a, &e1), lon = strtod(o, &e2);
	if (e1 == a || e2 == o || *e1 || *e2 || lat < -90 || lat > 90 || lon < -180 ||
	    lon > 180 || (lat == 0 && lon == 0))
		return;
	set_new(cand, "lat", json_real(lat));
	set_new(cand, "lon", json_real(lon));
}

static void put_status(const json_t *vals, json_t *cand)
{
	const char *s = val(vals, "status");
	if (!s)
		return;
	const char *detail;
	const char *st = phx_mls_status(s, &detail);
	set_new(cand, "status", json_string(st));
	if (detail)
		set_new(cand, "status_detail", json_string(detail));
	else if (strcmp(st, "unknown") == 0)
		set_new(cand, "status_detail", phx_mls_jstr(s));
}

static void put_photos(const json_t *vals, json_t *cand)
{
	const json_t *a = json_object_get(vals, "photos");
	if (!json_is_array(a))
		return;
	json_t *out = json_array();
	size_t i;
	json_t *x;
	json_array_foreach(a, i, x) {
		const char *u = json_string_value(x);
		if (u && !strstr(u, "nophoto") && json_array_size(out) < 500)
			json_array_append(out, x);
	}
	set_new(cand, "photos", out);	/* [] when the page shows "no photo" */
}

void phx_mls_fields_convert(const json_t *vals, const char *tmpl, json_t *cand)
{
	(void)tmpl;
	put_mls_id(val(vals, "mls_id"), cand);
	put_address(vals, cand);
	long long price;
	int range;
	const char *p = val(vals, "list_price");
	if (p && phx_mls_money(p, &price, &range) == 0 && price > 0)
		set_new(cand, "list_price", json_integer(price));
	put_status(vals, cand);
	char date[11];
	const char *d = val(vals, "list_date");
	if (d && phx_mls_date(d, date) == 0)
		set_new(cand, "list_date", json_string(date));
	put_int(vals, cand, "days_on_market", "days_on_market", 0, 100000);
	const char *dt = val(vals, "dwelling_type");
	const char *pt = dt ? phx_mls_dwelling_type(dt) : NULL;
	if (!pt && (d = val(vals, "property_type")) != NULL)
		pt = phx_mls_dwelling_type(d) ? phx_mls_dwelling_type(d)
		     : strncasecmp(d, "resid", 5) == 0 ? "residential" : NULL;
	if (pt)
		set_new(cand, "property_type", json_string(pt));
	put_int(vals, cand, "bedrooms", "bedrooms", 0, 100);
	put_baths(vals, cand);
	put_int(vals, cand, "square_feet", "square_feet", 1, 2000000);
	put_lot(vals, cand);
	put_int(vals, cand, "year_built", "year_built", 1700, 2200);
	put_int(vals, cand, "garage_spaces", "garage_spaces", 0, 100);
	put_int(vals, cand, "stories", "stories", 1, 200);
	put_pool(vals, cand);
	put_apn(vals, cand);
	put_text(vals, cand, "subdivision", "subdivision");
	put_geo(vals, cand);
	put_hoa(vals, cand);
	const char *desc = json_string_value(json_object_get(vals, "description"));
	if (desc) {	/* verbatim, only the white space around it trimmed */
		while (isspace((unsigned char)*desc))
			desc++;
		size_t n = strlen(desc);
		while (n > 0 && isspace((unsigned char)desc[n - 1]))
			n--;
		if (n && !phx_mls_is_null(desc))
			set_new(cand, "description", phx_mls_jstrn(desc, n));
	}
	put_photos(vals, cand);
	put_after_label(vals, cand, "agent");
	put_after_label(vals, cand, "brokerage");
}

void phx_mls_defaults(json_t *merged, json_t *layers, const char *tmpl)
{
	if (json_object_get(merged, "status"))
		return;
	/* classic prints "Status:" only when the status is not Active */
	int classic = tmpl && strcmp(tmpl, "classic") == 0;
	json_object_set_new(merged, "status", json_string(classic ? "active" : "unknown"));
	json_object_set_new(layers, "status", json_string(classic ? "template" : "none"));
}

void phx_mls_raw_extras(const json_t *vals, json_t *raw)
{
	long long price;
	int range = 0;
	const char *p = val(vals, "list_price");
	if (p && phx_mls_money(p, &price, &range) == 0 && range)
		json_object_set_new(raw, "price_range", phx_mls_jstr(p));
	if (p)
		json_object_set_new(raw, "price", phx_mls_jstr(p));
}

static json_t *get_or_null(const json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return v ? json_incref(v) : json_null();
}

static json_t *address_of(const json_t *m, char **key)
{
	const char *street = json_string_value(json_object_get(m, "street"));
	const char *zip = json_string_value(json_object_get(m, "zip"));
	char *st = NULL, *unit = NULL;
	phx_addr_split_unit(street ? street : "", &st, &unit);
	*key = phx_address_key(zip, st, unit);
	json_t *a = json_pack("{s:o, s:o, s:o, s:o, s:o, s:n}",
		"street", st[0] ? phx_mls_jstr(st) : json_null(),
		"unit", unit ? phx_mls_jstr(unit) : json_null(),
		"city", get_or_null(m, "city"), "state", get_or_null(m, "state"),
		"zip", get_or_null(m, "zip"), "county");
	free(st);
	free(unit);
	return a;
}

/* days on market from the list date (ARMLS IDX pages do not show it) */
static void days_on_market(const json_t *m, time_t now, json_t *listing)
{
	json_t *dom = json_object_get(m, "days_on_market");
	const char *ld = json_string_value(json_object_get(m, "list_date"));
	int y, mo, d;
	if (dom) {
		json_object_set(listing, "days_on_market", dom);
		json_object_set_new(listing, "days_on_market_derived", json_false());
	} else if (ld && phx_date_parse(ld, &y, &mo, &d) == 0) {
		struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d };
		time_t t = timegm(&tm);
		long long days = t <= now ? (long long)((now - t) / 86400) : 0;
		json_object_set_new(listing, "days_on_market", json_integer(days));
		json_object_set_new(listing, "days_on_market_derived", json_true());
	} else {
		json_object_set_new(listing, "days_on_market", json_null());
		json_object_set_new(listing, "days_on_market_derived", json_null());
	}
}

json_t *phx_mls_record(const json_t *m, json_t *raw, json_t *prov)
{
	char *key = NULL;
	json_t *addr = address_of(m, &key);
	const char *apn = json_string_value(json_object_get(m, "apn"));
	phx_buf id = PHX_BUF_INIT;
	phx_buf_printf(&id, "%s%s", apn ? "apn:" : "addr:", apn ? apn : key);
	json_t *loc = json_object_get(m, "lat") && json_object_get(m, "lon")
		? json_pack("{s:O, s:O}", "lat", json_object_get(m, "lat"), "lon",
			    json_object_get(m, "lon")) : json_null();
	json_t *features = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
		"bedrooms", get_or_null(m, "bedrooms"), "bathrooms", get_or_null(m, "bathrooms"),
		"square_feet", get_or_null(m, "square_feet"),
		"lot_size_sqft", get_or_null(m, "lot_size_sqft"),
		"year_built", get_or_null(m, "year_built"),
		"garage_spaces", get_or_null(m, "garage_spaces"), "pool", get_or_null(m, "pool"),
		"stories", get_or_null(m, "stories"));
	if (json_object_get(m, "community_pool"))
		json_object_set(features, "community_pool", json_object_get(m, "community_pool"));
	json_t *listing = json_pack("{s:O, s:O, s:o, s:o, s:o}",
		"mls_id", json_object_get(m, "mls_id"), "status", json_object_get(m, "status"),
		"status_detail", get_or_null(m, "status_detail"),
		"list_price", get_or_null(m, "list_price"), "list_date", get_or_null(m, "list_date"));
	char now[PHX_TIME_LEN];
	time_t t = time(NULL);
	phx_time_format(t, now);
	days_on_market(m, t, listing);
	static const char *const rest[] = { "hoa", "description", "url", "photos", "agent",
					    "brokerage", "subdivision" };
	for (size_t i = 0; i < sizeof rest / sizeof rest[0]; i++)
		json_object_set_new(listing, rest[i], get_or_null(m, rest[i]));
	json_t *rec = json_pack("{s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:n, s:o, s:s, s:s, s:o,"
				" s:{s:o}}",
		"property_id", id.data, "apn", apn ? json_string(apn) : json_null(),
		"address_key", key, "address", addr, "location", loc,
		"property_type", get_or_null(m, "property_type"), "features", features,
		"parcel", "listing", listing, "source", "phoenix_mls", "observed_at", now,
		"raw", raw, "_phx", "mls", prov);
	phx_buf_free(&id);
	free(key);
	return rec;
}
