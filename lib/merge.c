/* merge.c - an observation into the stored document of its property.
 * See merge.h for the document's shape and the rules. */
#include <string.h>
#include <stdio.h>
#include <time.h>
#include "merge.h"
#include "buf.h"
#include "jsonspan.h"
#include "jsonwrite.h"
#include "sha256.h"
#include "timeutil.h"
#include "xalloc.h"

#define MAX_ID_LEN 512

static int key_is_unsafe(const char *k)
{
	return k[0] == '$' || strchr(k, '.') != NULL;
}

/* Depth-first search for a key MongoDB would read as an operator or a
 * path; path gets where it was found. */
static int find_unsafe_key(const json_t *v, char *path, size_t n, int depth)
{
	const char *k;
	json_t *m;
	size_t i;

	if (depth > 200)
		return 0;	/* the parser refuses deeper input anyway */
	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, k, m) {
			if (key_is_unsafe(k)) {
				snprintf(path, n, "%s", k);
				return 1;
			}
			if (find_unsafe_key(m, path, n, depth + 1))
				return 1;
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, m)
			if (find_unsafe_key(m, path, n, depth + 1))
				return 1;
	} else if (json_is_string(v) && strlen(json_string_value(v)) != json_string_length(v)) {
		snprintf(path, n, "(a string value holding NUL)");
		return 1;
	}
	return 0;
}

int phx_json_unsafe_key(const json_t *v, char *path, size_t n)
{
	return find_unsafe_key(v, path, n, 0);
}

static int is_word(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

static const char *bad(char *reason, size_t n, const char *what)
{
	snprintf(reason, n, "%s", what);
	return "store.bad_record";
}

const char *phx_observation_check(const json_t *obs, char *reason, size_t n)
{
	return phx_observation_check_parsed(obs, 1, reason, n);
}

const char *phx_observation_check_parsed(const json_t *obs, int odd_keys, char *reason,
					 size_t n)
{
	char path[200];
	const char *id, *src, *at;
	json_t *apn, *addr;
	time_t t;

	if (odd_keys && find_unsafe_key(obs, path, sizeof path, 0)) {
		snprintf(reason, n, "key \"%s\" begins with '$' or contains '.' or NUL", path);
		return "store.unsafe_key";
	}
	id = json_string_value(json_object_get(obs, "property_id"));
	if (!id || !*id || strlen(id) > MAX_ID_LEN)
		return bad(reason, n, "property_id: missing, empty or too long");
	src = json_string_value(json_object_get(obs, "source"));
	if (!src || !is_word(src) || strlen(src) > 64)
		return bad(reason, n, "source: missing or not a lower-case word");
	at = json_string_value(json_object_get(obs, "observed_at"));
	if (!at || phx_time_parse(at, &t) != 0)
		return bad(reason, n, "observed_at: missing or not an RFC 3339 time");
	if (!json_is_string(json_object_get(obs, "address_key")))
		return bad(reason, n, "address_key: missing or not a string");
	apn = json_object_get(obs, "apn");
	if (apn && !json_is_null(apn) && !json_is_string(apn))
		return bad(reason, n, "apn: neither a string nor null");
	addr = json_object_get(obs, "address");
	if (addr && !json_is_null(addr) && !json_is_object(addr))
		return bad(reason, n, "address: neither an object nor null");
	if (json_is_object(addr)) {
		json_t *zip = json_object_get(addr, "zip");
		if (zip && !json_is_null(zip) && !json_is_string(zip))
			return bad(reason, n, "address.zip: neither a string nor null");
	}
	return NULL;
}

/* Keys in the order the source gave them: a source writes its records the
 * same way each time, and sorting every object would double the cost. */
void phx_observation_hash(const json_t *obs, char out[65])
{
	static phx_buf text = PHX_BUF_INIT;	/* reused: this runs per record */
	const char *k;
	json_t *v;

	phx_buf_clear(&text);
	phx_buf_addc(&text, '{');
	json_object_foreach((json_t *)obs, k, v) {
		if (strcmp(k, "observed_at") == 0 || strcmp(k, "_phx") == 0)
			continue;
		if (text.len > 1)
			phx_buf_addc(&text, ',');
		phx_buf_add_json_string(&text, k, strlen(k));
		phx_buf_addc(&text, ':');
		phx_json_write(&text, v);
	}
	phx_buf_addc(&text, '}');
	phx_sha256_hex(text.data, text.len, out);
}

/* observed_at as the canonical "YYYY-MM-DDTHH:MM:SSZ", so stored times
 * compare as strings (prune, export --since). */
static void canonical_time(const json_t *obs, char out[PHX_TIME_LEN])
{
	time_t t = 0;

	phx_time_parse(json_string_value(json_object_get(obs, "observed_at")), &t);
	phx_time_format(t, out);
}

static const char *str_member(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static json_t *find_source(json_t *sources, const char *src)
{
	size_t i;
	json_t *e;

	json_array_foreach(sources, i, e)
		if (strcmp(str_member(e, "source") ? str_member(e, "source") : "", src) == 0)
			return e;
	return NULL;
}

static int source_rank(const char *src)
{
	if (strcmp(src, "maricopa") == 0)
		return 0;
	if (strcmp(src, "phoenix_mls") == 0)
		return 1;
	return 2;
}

/* The source records in priority order (assessor, MLS, others as stored). */
static size_t ranked_records(json_t *sources, json_t **recs, size_t max)
{
	size_t n = 0, i;
	json_t *e;
	int rank;

	for (rank = 0; rank <= 2; rank++)
		json_array_foreach(sources, i, e) {
			const char *s = str_member(e, "source");
			json_t *r = json_object_get(e, "record");
			if (s && json_is_object(r) && source_rank(s) == rank && n < max)
				recs[n++] = r;
		}
	return n;
}

static json_t *first_non_null(json_t **recs, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++) {
		json_t *v = json_object_get(recs[i], key);
		if (v && !json_is_null(v))
			return v;
	}
	return NULL;
}

/* A specific type ("single_family") beats a vague one ("residential"). */
static json_t *best_type(json_t **recs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *t = str_member(recs[i], "property_type");
		if (t && strcmp(t, "residential") != 0 && strcmp(t, "other") != 0)
			return json_object_get(recs[i], "property_type");
	}
	return first_non_null(recs, n, "property_type");
}

static json_t *merged_features(json_t **recs, size_t n)
{
	json_t *out = json_object(), *f, *v;
	const char *k;
	size_t i;

	for (i = 0; i < n; i++) {
		f = json_object_get(recs[i], "features");
		if (!json_is_object(f))
			continue;
		json_object_foreach(f, k, v) {
			json_t *have = json_object_get(out, k);
			if (!have || (json_is_null(have) && !json_is_null(v)))
				json_object_set(out, k, v);
		}
	}
	return out;
}

/* Values are shared, not copied, between observations and documents:
 * nothing here changes a value once it is in place. */
static void set_or_null(json_t *doc, const char *k, json_t *v)
{
	json_object_set(doc, k, v ? v : json_null());
}

/* The value of the newest tax year, or NULL. */
static json_t *latest_value(json_t *parcel)
{
	json_t *vals = json_object_get(parcel, "valuations"), *v, *best = NULL;
	json_int_t year = -1;
	size_t i;

	json_array_foreach(vals, i, v) {
		json_t *y = json_object_get(v, "tax_year");
		json_t *fcv = json_object_get(v, "full_cash_value");
		if (json_is_integer(y) && json_is_integer(fcv) && json_integer_value(y) > year) {
			year = json_integer_value(y);
			best = fcv;
		}
	}
	return best;
}

/* Rebuild the merged view from sources[]; history and times are untouched. */
static void derive_view(json_t *doc)
{
	json_t *recs[16], *v, *listing, *parcel;
	size_t n = ranked_records(json_object_get(doc, "sources"), recs, 16);

	v = first_non_null(recs, n, "apn");
	if (v)
		json_object_set(doc, "apn", v);
	v = first_non_null(recs, n, "address_key");
	if (v)
		json_object_set(doc, "address_key", v);
	set_or_null(doc, "address", first_non_null(recs, n, "address"));
	set_or_null(doc, "location", first_non_null(recs, n, "location"));
	set_or_null(doc, "property_type", best_type(recs, n));
	json_object_set_new(doc, "features", merged_features(recs, n));
	parcel = first_non_null(recs, n, "parcel");
	listing = first_non_null(recs, n, "listing");
	set_or_null(doc, "parcel", parcel);
	set_or_null(doc, "listing", listing);
	v = json_object_get(listing, "list_price");
	set_or_null(doc, "price", json_is_integer(v) ? v : NULL);
	set_or_null(doc, "value", latest_value(parcel));
}

static json_t *new_document(const char *id)
{
	json_t *d = json_object();
	static const char *const order[] = {
		"apn", "address_key", "address", "location", "property_type", "features",
		"parcel", "listing", "price", "value", "first_seen", "last_seen",
		"last_changed", NULL};
	size_t i;

	/* Members in a fixed, readable order; derive_view fills them. */
	json_object_set_new(d, "property_id", json_string(id));
	for (i = 0; order[i]; i++)
		json_object_set_new(d, order[i], json_null());
	json_object_set_new(d, "price_history", json_array());
	json_object_set_new(d, "valuation_history", json_array());
	json_object_set_new(d, "sources", json_array());
	return d;
}

/* The array member k of doc, (re)created when missing or malformed. */
static json_t *array_member(json_t *doc, const char *k)
{
	json_t *a = json_object_get(doc, k);

	if (!json_is_array(a)) {
		a = json_array();
		json_object_set_new(doc, k, a);
	}
	return a;
}

static void add_price_history(json_t *doc, const json_t *obs, const char *at)
{
	json_t *listing = json_object_get(obs, "listing");
	json_t *price = json_object_get(listing, "list_price");
	json_t *hist = array_member(doc, "price_history"), *last, *e;
	size_t n = json_array_size(hist);

	if (!json_is_integer(price))
		return;
	last = n ? json_array_get(hist, n - 1) : NULL;
	if (last && json_equal(json_object_get(last, "price"), price))
		return;
	e = json_object();
	json_object_set_new_nocheck(e, "at", json_string(at));
	json_object_set_nocheck(e, "price", price);
	json_object_set_new_nocheck(e, "source", json_string(str_member(obs, "source")));
	if (json_is_string(json_object_get(listing, "mls_id")))
		json_object_set(e, "mls_id", json_object_get(listing, "mls_id"));
	if (json_is_string(json_object_get(listing, "status")))
		json_object_set(e, "status", json_object_get(listing, "status"));
	json_array_append_new(hist, e);
}

/* The last entry of valuation_history for a tax year, or NULL. */
static json_t *last_valuation(json_t *hist, json_int_t year)
{
	size_t i = json_array_size(hist);

	while (i-- > 0) {
		json_t *e = json_array_get(hist, i);
		if (json_integer_value(json_object_get(e, "tax_year")) == year)
			return e;
	}
	return NULL;
}

static void add_valuation_history(json_t *doc, const json_t *obs, const char *at)
{
	json_t *vals = json_object_get(json_object_get(obs, "parcel"), "valuations");
	json_t *hist = array_member(doc, "valuation_history"), *v, *last;
	size_t i;

	json_array_foreach(vals, i, v) {
		json_t *y = json_object_get(v, "tax_year");
		json_t *fcv = json_object_get(v, "full_cash_value");
		json_t *lim = json_object_get(v, "limited_value");
		if (!json_is_integer(y))
			continue;
		if (!fcv)
			fcv = json_null();
		if (!lim)
			lim = json_null();
		last = last_valuation(hist, json_integer_value(y));
		if (last && json_equal(json_object_get(last, "full_cash_value"), fcv) &&
		    json_equal(json_object_get(last, "limited_value"), lim))
			continue;
		last = json_object();	/* by hand: json_pack parses its format each time */
		json_object_set_new_nocheck(last, "at", json_string(at));
		json_object_set_nocheck(last, "tax_year", y);
		json_object_set_nocheck(last, "full_cash_value", fcv);
		json_object_set_nocheck(last, "limited_value", lim);
		json_array_append_new(hist, last);
	}
}

static json_t *source_entry(const json_t *obs, const char *src, const char *at,
			    const char *hash)
{
	json_t *rec = json_copy((json_t *)obs);
	json_t *trace = json_object_get(json_object_get(obs, "_phx"), "trace");
	json_t *e;

	json_object_del(rec, "_phx");
	e = json_pack("{s:s, s:s, s:s, s:s, s:s}", "source", src, "first_seen", at,
		      "last_seen", at, "last_changed", at, "hash", hash);
	if (json_is_array(trace))
		json_object_set(e, "trace", trace);
	else
		json_object_set_new(e, "trace", json_array());
	json_object_set_new(e, "record", rec);	/* a shallow copy: members shared */
	return e;
}

/* Move a time member to at when at is later (later = 1) or earlier. */
static int move_time(json_t *o, const char *k, const char *at, int later)
{
	const char *cur = str_member(o, k);
	int c;

	if (cur) {
		c = strcmp(at, cur);
		if (later ? c <= 0 : c >= 0)
			return 0;
	}
	json_object_set_new(o, k, json_string(at));
	return 1;
}

/* SHA-256 of s[0..n) without the values [a0, a1) and [b0, b1) (either
 * may be n, n: absent). */
static void hash_without(const char *s, size_t n, size_t a0, size_t a1, size_t b0, size_t b1,
			 char out[65])
{
	size_t tmp;
	phx_sha256 c;
	unsigned char d[32];
	static const char hex[] = "0123456789abcdef";
	int i;

	if (b0 < a0) {	/* a: the earlier span */
		tmp = a0; a0 = b0; b0 = tmp;
		tmp = a1; a1 = b1; b1 = tmp;
	}
	phx_sha256_init(&c);
	phx_sha256_update(&c, s, a0);
	if (a1 < b0)
		phx_sha256_update(&c, s + a1, b0 - a1);
	if (b1 < n)
		phx_sha256_update(&c, s + b1, n - b1);
	phx_sha256_final(&c, d);
	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[64] = '\0';
}

void phx_observation_hash_text(const char *s, size_t n, char out[65])
{
	size_t a0 = n, a1 = n, b0 = n, b1 = n;

	phx_json_member_span(s, n, "observed_at", &a0, &a1);
	phx_json_member_span(s, n, "_phx", &b0, &b1);
	hash_without(s, n, a0, a1, b0, b1, out);
}

void phx_observation_hash_spans(const char *s, size_t n, const phx_json_span *spans,
				char out[65])
{
	const phx_json_span *a = &spans[PHX_SPAN_OBSERVED_AT], *b = &spans[PHX_SPAN_PHX];

	hash_without(s, n, a->found ? a->start : n, a->found ? a->end : n,
		     b->found ? b->start : n, b->found ? b->end : n, out);
}

json_t *phx_merge_first_histories(const json_t *obs, const char *at)
{
	json_t *h = json_object();

	json_object_set_new_nocheck(h, "price_history", json_array());
	json_object_set_new_nocheck(h, "valuation_history", json_array());

	add_price_history(h, obs, at);
	add_valuation_history(h, obs, at);
	return h;
}

json_t *phx_merge_first_price(const json_t *obs)
{
	json_t *v = json_object_get(json_object_get(obs, "listing"), "list_price");

	return json_is_integer(v) ? v : NULL;
}

json_t *phx_merge_first_value(const json_t *obs)
{
	return latest_value(json_object_get(obs, "parcel"));
}

phx_merge_result phx_merge(json_t **doc, const char *id, const json_t *obs,
			   const char *obs_hash, int *dirty)
{
	char at[PHX_TIME_LEN], hash[65];
	const char *src = str_member(obs, "source");
	json_t *sources, *entry;
	phx_merge_result res;
	int moved;

	canonical_time(obs, at);
	if (obs_hash)
		snprintf(hash, sizeof hash, "%s", obs_hash);
	else
		phx_observation_hash(obs, hash);
	if (!*doc)
		*doc = new_document(id);
	sources = array_member(*doc, "sources");
	entry = find_source(sources, src);
	moved = move_time(*doc, "first_seen", at, 0);
	moved |= move_time(*doc, "last_seen", at, 1);
	if (entry && strcmp(at, str_member(entry, "last_seen") ?
			   str_member(entry, "last_seen") : "") < 0) {
		/* Older than what we hold from this source: it changes nothing. */
		*dirty = moved;
		return PHX_MERGE_UNCHANGED;
	}
	if (entry && strcmp(str_member(entry, "hash") ? str_member(entry, "hash") : "",
			    hash) == 0) {
		moved |= move_time(entry, "last_seen", at, 1);
		*dirty = moved;
		return PHX_MERGE_UNCHANGED;
	}
	res = json_array_size(sources) == 0 ? PHX_MERGE_INSERTED : PHX_MERGE_UPDATED;
	if (entry) {
		json_t *fresh = source_entry(obs, src, at, hash);
		json_object_set(fresh, "first_seen", json_object_get(entry, "first_seen"));
		json_object_update(entry, fresh);
		json_decref(fresh);
	} else {
		json_array_append_new(sources, source_entry(obs, src, at, hash));
	}
	add_price_history(*doc, obs, at);
	add_valuation_history(*doc, obs, at);
	move_time(*doc, "last_changed", at, 1);
	derive_view(*doc);
	*dirty = 1;
	return res;
}

void phx_counts_add(json_t *into, const json_t *delta)
{
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)delta, k, v) {
		json_t *have = json_object_get(into, k);
		if (json_is_integer(v)) {
			json_int_t base = json_is_integer(have) ? json_integer_value(have) : 0;
			json_object_set_new(into, k, json_integer(base + json_integer_value(v)));
		} else if (json_is_object(v)) {
			if (!json_is_object(have)) {
				have = json_object();
				json_object_set_new(into, k, have);
			}
			phx_counts_add(have, v);
		}
	}
}

static int cmp_at(const void *a, const void *b)
{
	const char *x = str_member(*(json_t *const *)a, "at");
	const char *y = str_member(*(json_t *const *)b, "at");

	return strcmp(x ? x : "", y ? y : "");
}

/* Add the entries of from that into lacks, then keep into in time order. */
static void fold_history(json_t *doc, const json_t *old, const char *k)
{
	json_t *into = array_member(doc, k), *from = json_object_get(old, k), *e, *f;
	json_t **all;
	size_t i, j, n;
	int have;

	json_array_foreach(from, i, e) {
		have = 0;
		json_array_foreach(into, j, f)
			if (json_equal(e, f))
				have = 1;
		if (!have)
			json_array_append(into, e);
	}
	n = json_array_size(into);
	all = phx_xcalloc(n + 1, sizeof *all);
	for (i = 0; i < n; i++)
		all[i] = json_incref(json_array_get(into, i));
	/* Entries of the same time are rare and either order is true. */
	qsort(all, n, sizeof *all, cmp_at);
	json_array_clear(into);
	for (i = 0; i < n; i++)
		json_array_append_new(into, all[i]);
	free(all);
}

void phx_merge_fold(json_t *doc, const json_t *old)
{
	json_t *sources = array_member(doc, "sources"), *e;
	const char *t;
	size_t i;

	fold_history(doc, old, "price_history");
	fold_history(doc, old, "valuation_history");
	json_array_foreach(json_object_get(old, "sources"), i, e) {
		const char *src = str_member(e, "source");
		if (src && !find_source(sources, src))
			json_array_append(sources, e);
	}
	if ((t = str_member(old, "first_seen")))
		move_time(doc, "first_seen", t, 0);
	if ((t = str_member(old, "last_seen")))
		move_time(doc, "last_seen", t, 1);
	if ((t = str_member(old, "last_changed")))
		move_time(doc, "last_changed", t, 1);
	derive_view(doc);
}

char *phx_doc_summary(const json_t *doc)
{
	phx_buf b = PHX_BUF_INIT;
	json_t *e;
	size_t i;

	json_array_foreach(json_object_get(doc, "sources"), i, e) {
		const char *src = str_member(e, "source"), *h = str_member(e, "hash");
		const char *f = str_member(e, "first_seen"), *l = str_member(e, "last_seen");
		if (src && h && f && l)
			phx_buf_printf(&b, "%s %s %s %s\n", src, h, f, l);
	}
	return b.data ? phx_buf_steal(&b) : phx_xstrdup("");
}

int phx_summary_unchanged(const char *sums, const char *src, const char *hash,
			  const char *at)
{
	size_t sl = strlen(src), hl = strlen(hash), tl = strlen(at);
	const char *p = sums;

	while (p && *p) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		/* SOURCE HASH FIRST LAST, times all of the canonical length */
		if (len == sl + 1 + hl + 1 + tl + 1 + tl && memcmp(p, src, sl) == 0 &&
		    p[sl] == ' ' && memcmp(p + sl + 1, hash, hl) == 0) {
			const char *first = p + sl + 1 + hl + 1, *last = first + tl + 1;
			return memcmp(first, at, tl) <= 0 && memcmp(at, last, tl) <= 0;
		}
		p = end ? end + 1 : NULL;
	}
	return 0;
}

void phx_observation_time(const json_t *obs, char out[32])
{
	canonical_time(obs, out);
}

const char *phx_merge_result_name(phx_merge_result r)
{
	switch (r) {
	case PHX_MERGE_INSERTED: return "inserted";
	case PHX_MERGE_UPDATED: return "updated";
	default: return "unchanged";
	}
}
