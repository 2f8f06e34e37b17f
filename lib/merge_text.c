/* merge_text.c - a property's first document, straight from its record's text.
 *
 * On a first load nearly every record is the first of its property. For
 * those, building the document as a jansson tree (phx_merge) and writing
 * the tree out again (phx_json_write) was most of phx-store's work. Here
 * the same document is written from spans of the record's text: the
 * members of the merged view and the record itself are copied as they
 * were written, only the times, the hash and the two histories are new.
 * See merge.h; test_merge holds this and phx_merge together. */
#include <string.h>
#include "merge.h"
#include "jsonspan.h"
#include "jsonwrite.h"

const char *const phx_record_span_keys[PHX_SPAN_N] = {
	"apn", "address_key", "address", "location", "property_type", "features",
	"parcel", "listing", "observed_at", "_phx"
};

static int span_is_null(const char *line, const phx_json_span *sp)
{
	return !sp->found ||
	       (sp->end - sp->start == 4 && memcmp(line + sp->start, "null", 4) == 0);
}

/* "key": then the member's text, or null when absent or null. */
static void member(phx_buf *o, const char *key, const char *line, const phx_json_span *sp)
{
	phx_buf_addc(o, ',');
	phx_buf_add_json_string(o, key, strlen(key));
	phx_buf_addc(o, ':');
	if (span_is_null(line, sp))
		phx_buf_add(o, "null", 4);
	else
		phx_buf_add(o, line + sp->start, sp->end - sp->start);
}

static void member_value(phx_buf *o, const char *key, const json_t *v)
{
	phx_buf_addc(o, ',');
	phx_buf_add_json_string(o, key, strlen(key));
	phx_buf_addc(o, ':');
	phx_json_write(o, v ? v : json_null());
}

static void member_time(phx_buf *o, const char *key, const char *at, int first)
{
	if (!first)
		phx_buf_addc(o, ',');
	phx_buf_add_json_string(o, key, strlen(key));
	phx_buf_addc(o, ':');
	phx_buf_add_json_string(o, at, strlen(at));
}

/* _phx.trace when it is an array, else []. */
static void trace(phx_buf *o, const char *line, const phx_json_span *phx)
{
	size_t a, b;

	if (phx->found && phx_json_member_span(line + phx->start, phx->end - phx->start,
					       "trace", &a, &b) == 0 &&
	    line[phx->start + a] == '[')
		phx_buf_add(o, line + phx->start + a, b - a);
	else
		phx_buf_add(o, "[]", 2);
}

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The record without its _phx member: the member and the comma that
 * separated it from a neighbour are cut out. */
static void record_text(phx_buf *o, const char *line, size_t len, const phx_json_span *phx)
{
	size_t cut = phx->member, to = phx->end, i;

	if (!phx->found) {
		phx_buf_add(o, line, len);
		return;
	}
	for (i = cut; i > 0 && is_ws(line[i - 1]); i--)
		;
	if (i > 0 && line[i - 1] == ',') {
		cut = i - 1;	/* not the first member: the comma before it goes */
	} else {
		for (i = to; i < len && is_ws(line[i]); i++)
			;
		if (i < len && line[i] == ',')
			to = i + 1;	/* the first: the comma after it goes */
	}
	phx_buf_add(o, line, cut);
	phx_buf_add(o, line + to, len - to);
}

/* Built member by member: json_pack reads its format string every time,
 * and this runs once per record. */
static json_t *indexed_members(const char *id, const json_t *obs, const char *src,
			       const char *at, const char *hash, json_t *price)
{
	static const char *const shared[] = { "apn", "address_key", "address", "property_type" };
	json_t *d = json_object(), *sources = json_array(), *e = json_object(), *v;
	size_t i;

	json_object_set_new_nocheck(d, "property_id", json_string(id));
	for (i = 0; i < sizeof shared / sizeof shared[0]; i++) {
		v = json_object_get(obs, shared[i]);
		json_object_set_nocheck(d, shared[i], v ? v : json_null());
	}
	json_object_set_nocheck(d, "price", price ? price : json_null());
	json_object_set_new_nocheck(d, "last_seen", json_string(at));
	json_object_set_new_nocheck(e, "source", json_string(src));
	json_object_set_new_nocheck(e, "hash", json_string(hash));
	json_object_set_new_nocheck(e, "first_seen", json_string(at));
	json_object_set_new_nocheck(e, "last_seen", json_string(at));
	json_array_append_new(sources, e);
	json_object_set_new_nocheck(d, "sources", sources);
	return d;
}

json_t *phx_merge_new_text(phx_buf *o, const char *id, const json_t *obs,
			   const char *line, size_t len, const phx_json_span *sp,
			   const char *hash, const char *at)
{
	const char *src = json_string_value(json_object_get(obs, "source"));
	const phx_json_span *f = &sp[PHX_SPAN_FEATURES];
	json_t *hist, *price = phx_merge_first_price(obs);

	phx_buf_add(o, "{\"property_id\":", 15);
	phx_buf_add_json_string(o, id, strlen(id));
	member(o, "apn", line, &sp[PHX_SPAN_APN]);
	member(o, "address_key", line, &sp[PHX_SPAN_ADDRESS_KEY]);
	member(o, "address", line, &sp[PHX_SPAN_ADDRESS]);
	member(o, "location", line, &sp[PHX_SPAN_LOCATION]);
	member(o, "property_type", line, &sp[PHX_SPAN_PROPERTY_TYPE]);
	if (f->found && line[f->start] == '{')
		member(o, "features", line, f);
	else
		phx_buf_add(o, ",\"features\":{}", 14);
	member(o, "parcel", line, &sp[PHX_SPAN_PARCEL]);
	member(o, "listing", line, &sp[PHX_SPAN_LISTING]);
	member_value(o, "price", price);
	member_value(o, "value", phx_merge_first_value(obs));
	phx_buf_addc(o, ',');
	member_time(o, "first_seen", at, 1);
	member_time(o, "last_seen", at, 0);
	member_time(o, "last_changed", at, 0);
	hist = phx_merge_first_histories(obs, at);
	member_value(o, "price_history", json_object_get(hist, "price_history"));
	member_value(o, "valuation_history", json_object_get(hist, "valuation_history"));
	json_decref(hist);
	phx_buf_add(o, ",\"sources\":[{\"source\":", 22);
	phx_buf_add_json_string(o, src, strlen(src));
	member_time(o, "first_seen", at, 0);
	member_time(o, "last_seen", at, 0);
	member_time(o, "last_changed", at, 0);
	member_time(o, "hash", hash, 0);
	phx_buf_add(o, ",\"trace\":", 9);
	trace(o, line, &sp[PHX_SPAN_PHX]);
	phx_buf_add(o, ",\"record\":", 10);
	record_text(o, line, len, &sp[PHX_SPAN_PHX]);
	phx_buf_add(o, "}]}", 3);
	return indexed_members(id, obs, src, at, hash, price);
}
