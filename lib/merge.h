/* merge.h - an observation (one source, one moment) into the stored document
 * of its property (one property, every source, over time).
 *
 * Backend-independent: works on jansson documents only, so the SQLite and
 * MongoDB stores hold exactly the same documents. The stored document:
 *   property_id, apn, address_key, address, location, property_type,
 *   features, parcel, listing, price, value,           (the merged view)
 *   first_seen, last_seen, last_changed,
 *   price_history[]      {at, price, source, mls_id, status}
 *   valuation_history[]  {at, tax_year, full_cash_value, limited_value}
 *   sources[]            {source, first_seen, last_seen, last_changed, hash,
 *                         trace, record}
 * sources[] keeps the last observation of each source side by side; the
 * merged view is derived from them (assessor first, then MLS, then others,
 * first non-null wins), and the histories are only ever appended to. */
#ifndef PHX_MERGE_H
#define PHX_MERGE_H
#include <stddef.h>
#include <jansson.h>
#include "buf.h"
#include "jsonparse.h"

typedef enum {
	PHX_MERGE_INSERTED,	/* no document before */
	PHX_MERGE_UPDATED,	/* this source's content changed */
	PHX_MERGE_UNCHANGED	/* identical to the last from this source (or older) */
} phx_merge_result;

/* Check an observation before anything else looks at it. Returns NULL when
 * it can be stored, else the reject code ("store.unsafe_key": a key that
 * begins with '$' or holds '.', anywhere in the record; "store.bad_record":
 * property_id, source, observed_at or address_key missing or malformed)
 * with a reason in reason[n]. */
const char *phx_observation_check(const json_t *obs, char *reason, size_t n);
/* The same when the parser has already looked for odd keys (odd_keys 0:
 * none anywhere, so the walk through the whole record is skipped). */
const char *phx_observation_check_parsed(const json_t *obs, int odd_keys, char *reason,
					 size_t n);

/* Non-zero when v holds, at any depth, a key that begins with '$' or holds
 * '.', or a string with a NUL; path[n] says which. */
int phx_json_unsafe_key(const json_t *v, char *path, size_t n);

/* The content hash of an observation: SHA-256 of its canonical JSON without
 * observed_at and _phx, so the same facts seen again hash the same. */
void phx_observation_hash(const json_t *obs, char out[65]);

/* The same from the record's text s[0..n) (a valid JSON object): SHA-256
 * of the text without the values of observed_at and _phx. Cheaper than
 * re-serializing: what the loader uses. The two never mix in one store. */
void phx_observation_hash_text(const char *s, size_t n, char out[65]);

/* Merge obs into *doc. *doc NULL: a new document is made with property_id
 * id (the observation's own id, or the parcel it joined). obs is borrowed;
 * its values are shared with the document, so it must not change later.
 * hash: the observation's content hash, or NULL to compute it from obs.
 * *dirty is set when the document must be written (the content changed, or
 * only last_seen/first_seen moved). obs must have passed
 * phx_observation_check. */
phx_merge_result phx_merge(json_t **doc, const char *id, const json_t *obs,
			   const char *hash, int *dirty);

/* Fold the document of a listing that was stored on its own (old, an
 * "addr:..." document) into the parcel it now joins (doc): history entries
 * doc lacks are added in time order, sources doc lacks are added, first_seen
 * and last_seen widen. Nothing of doc is lost. old is borrowed. */
void phx_merge_fold(json_t *doc, const json_t *old);

/* The summary of a stored document's sources, one line per source:
 * "SOURCE HASH FIRST_SEEN LAST_SEEN\n" (malloc'd). Backends may keep it
 * beside the document for phx_store_get_sums. */
char *phx_doc_summary(const json_t *doc);
/* 1 when an observation of src with this hash at time at (canonical
 * RFC 3339) would change nothing at all in the document summarized by
 * sums: same hash, and at within that source's first and last seen. */
int phx_summary_unchanged(const char *sums, const char *src, const char *hash,
			  const char *at);
/* observed_at of obs as stored: "YYYY-MM-DDTHH:MM:SSZ". */
void phx_observation_time(const json_t *obs, char out[32]);

/* Add the integer members of delta into into, recursively (objects are
 * created as needed; other members of delta are ignored). For the day's
 * counters of daily_reports. */
void phx_counts_add(json_t *into, const json_t *delta);

/* "new" "updated" "unchanged" for the output line and the counters. */
const char *phx_merge_result_name(phx_merge_result r);

/* ---- a first document straight from the record's text (merge_text.c) ---- */

/* The top-level members of a record whose spans phx_merge_new_text needs:
 * pass these keys to phx_parse_object_spans, in this order. */
enum {
	PHX_SPAN_APN, PHX_SPAN_ADDRESS_KEY, PHX_SPAN_ADDRESS, PHX_SPAN_LOCATION,
	PHX_SPAN_PROPERTY_TYPE, PHX_SPAN_FEATURES, PHX_SPAN_PARCEL, PHX_SPAN_LISTING,
	PHX_SPAN_OBSERVED_AT, PHX_SPAN_PHX, PHX_SPAN_N
};
extern const char *const phx_record_span_keys[PHX_SPAN_N];

/* phx_observation_hash_text from spans already known: no scan of the text. */
void phx_observation_hash_spans(const char *s, size_t n, const phx_json_span *spans,
				char out[65]);

/* The document phx_merge(&doc = NULL, id, obs, hash) makes, written as JSON
 * text into out (appended) straight from the record's text line[0..len)
 * and its spans (at: phx_observation_time of obs). Parsed, it is json_equal
 * to phx_merge's document (test_merge holds the two together); members
 * keep the record's own spelling of numbers and escapes. Returns the few
 * members backends index, as a small document (property_id, apn,
 * address_key, address, property_type, price, last_seen, sources[] of
 * {source, hash, first_seen, last_seen}), a new reference. */
json_t *phx_merge_new_text(phx_buf *out, const char *id, const json_t *obs,
			   const char *line, size_t len, const phx_json_span *spans,
			   const char *hash, const char *at);

/* For merge_text.c: the history arrays phx_merge gives a new document for
 * obs at time at, as {"price_history":[..], "valuation_history":[..]}, and
 * the merged view's "price" and "value" (NULL for null; borrowed from obs). */
json_t *phx_merge_first_histories(const json_t *obs, const char *at);
json_t *phx_merge_first_price(const json_t *obs);
json_t *phx_merge_first_value(const json_t *obs);

#endif
