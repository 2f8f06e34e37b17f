/* test_merge.c - observations into stored documents (lib/merge.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "merge.h"
#include "ndjson.h"
#include "unit.h"

static json_t *obs(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, JSON_ALLOW_NUL, &e);

	if (!j)
		printf("# bad test JSON: %s\n", e.text);
	return j;
}

#define PARCEL(at, fcv) \
	"{\"property_id\":\"apn:10306005\",\"apn\":\"10306005\"," \
	"\"address_key\":\"85031|4027|n 55th ave|\",\"address\":{\"zip\":\"85031\"}," \
	"\"property_type\":\"residential\",\"features\":{\"bedrooms\":null,\"square_feet\":1152}," \
	"\"parcel\":{\"valuations\":[{\"tax_year\":2026,\"full_cash_value\":" #fcv "," \
	"\"limited_value\":201538}]},\"listing\":null,\"source\":\"maricopa\"," \
	"\"observed_at\":\"" at "\",\"_phx\":{\"trace\":[{\"tool\":\"phx-fetch\"}]}}"

#define LISTING(at, price) \
	"{\"property_id\":\"addr:85031|4027|n 55th ave|\",\"apn\":null," \
	"\"address_key\":\"85031|4027|n 55th ave|\",\"address\":{\"zip\":\"85031\"}," \
	"\"property_type\":\"single_family\",\"features\":{\"bedrooms\":3,\"square_feet\":1200}," \
	"\"parcel\":null,\"listing\":{\"mls_id\":\"6712345\",\"status\":\"active\"," \
	"\"list_price\":" #price "},\"source\":\"phoenix_mls\",\"observed_at\":\"" at "\"}"

static const char *s(json_t *d, const char *k)
{
	return json_string_value(json_object_get(d, k));
}

static void test_check(void)
{
	char why[200];
	json_t *o = obs(PARCEL("2026-11-28T10:00:03Z", 289100));

	CHECK(phx_observation_check(o, why, sizeof why) == NULL);
	json_decref(o);
	o = obs("{\"property_id\":\"x\",\"source\":\"maricopa\",\"observed_at\":"
		"\"2026-11-28T10:00:03Z\",\"address_key\":\"k\",\"raw\":{\"a\":[{\"$where\":1}]}}");
	CHECK_STR(phx_observation_check(o, why, sizeof why), "store.unsafe_key");
	CHECK(strstr(why, "$where") != NULL);
	json_decref(o);
	o = obs("{\"property_id\":\"x\",\"source\":\"maricopa\",\"observed_at\":"
		"\"2026-11-28T10:00:03Z\",\"address_key\":\"k\",\"raw\":{\"a.b\":1}}");
	CHECK_STR(phx_observation_check(o, why, sizeof why), "store.unsafe_key");
	json_decref(o);
	o = obs("{\"property_id\":\"x\",\"source\":\"maricopa\",\"observed_at\":"
		"\"2026-11-28T10:00:03Z\",\"address_key\":\"k\",\"raw\":{\"a\":\"x\\u0000y\"}}");
	CHECK_STR(phx_observation_check(o, why, sizeof why), "store.unsafe_key");
	json_decref(o);
	o = obs("{\"property_id\":\"x\",\"source\":\"maricopa\",\"observed_at\":\"yesterday\","
		"\"address_key\":\"k\"}");
	CHECK_STR(phx_observation_check(o, why, sizeof why), "store.bad_record");
	CHECK(strstr(why, "observed_at") != NULL);
	json_decref(o);
	o = obs("{\"source\":\"maricopa\",\"observed_at\":\"2026-11-28T10:00:03Z\"}");
	CHECK_STR(phx_observation_check(o, why, sizeof why), "store.bad_record");
	json_decref(o);
}

static void test_insert_and_unchanged(void)
{
	json_t *doc = NULL, *o = obs(PARCEL("2026-11-28T10:00:03Z", 289100));
	json_t *o2 = obs(PARCEL("2026-11-29T10:00:03Z", 289100));
	int dirty = -1;

	CHECK_INT(phx_merge(&doc, "apn:10306005", o, NULL, &dirty), PHX_MERGE_INSERTED);
	CHECK_INT(dirty, 1);
	CHECK_STR(s(doc, "property_id"), "apn:10306005");
	CHECK_STR(s(doc, "first_seen"), "2026-11-28T10:00:03Z");
	CHECK_INT(json_integer_value(json_object_get(doc, "value")), 289100);
	CHECK_INT(json_array_size(json_object_get(doc, "valuation_history")), 1);
	CHECK_INT(json_array_size(json_object_get(doc, "sources")), 1);
	/* The same observation again: nothing to write at all. */
	CHECK_INT(phx_merge(&doc, "apn:10306005", o, NULL, &dirty), PHX_MERGE_UNCHANGED);
	CHECK_INT(dirty, 0);
	/* Same facts, a day later: only last_seen moves. */
	CHECK_INT(phx_merge(&doc, "apn:10306005", o2, NULL, &dirty), PHX_MERGE_UNCHANGED);
	CHECK_INT(dirty, 1);
	CHECK_STR(s(doc, "last_seen"), "2026-11-29T10:00:03Z");
	CHECK_STR(s(doc, "last_changed"), "2026-11-28T10:00:03Z");
	CHECK_INT(json_array_size(json_object_get(doc, "valuation_history")), 1);
	json_decref(o);
	json_decref(o2);
	json_decref(doc);
}

static void test_history(void)
{
	json_t *doc = NULL, *o;
	int dirty;

	o = obs(PARCEL("2026-11-28T10:00:00Z", 289100));
	phx_merge(&doc, "apn:10306005", o, NULL, &dirty);
	json_decref(o);
	o = obs(PARCEL("2026-12-05T10:00:00Z", 300000));
	CHECK_INT(phx_merge(&doc, "apn:10306005", o, NULL, &dirty), PHX_MERGE_UPDATED);
	json_decref(o);
	o = obs(LISTING("2026-12-06T10:00:00Z", 350000));
	CHECK_INT(phx_merge(&doc, "apn:10306005", o, NULL, &dirty), PHX_MERGE_UPDATED);
	json_decref(o);
	o = obs(LISTING("2026-12-07T10:00:00Z", 340000));
	CHECK_INT(phx_merge(&doc, "apn:10306005", o, NULL, &dirty), PHX_MERGE_UPDATED);
	json_decref(o);
	/* An older valuation seen again counts as no change: it is still the
	 * newest from that source that decides. */
	o = obs(PARCEL("2026-12-01T10:00:00Z", 289100));
	CHECK_INT(phx_merge(&doc, "apn:10306005", o, NULL, &dirty), PHX_MERGE_UNCHANGED);
	json_decref(o);
	CHECK_INT(json_array_size(json_object_get(doc, "valuation_history")), 2);
	CHECK_INT(json_array_size(json_object_get(doc, "price_history")), 2);
	CHECK_INT(json_integer_value(json_object_get(doc, "price")), 340000);
	CHECK_INT(json_integer_value(json_object_get(doc, "value")), 300000);
	CHECK_INT(json_array_size(json_object_get(doc, "sources")), 2);
	/* Parcel and listing side by side; the specific type wins; features merge. */
	CHECK(json_is_object(json_object_get(doc, "parcel")));
	CHECK(json_is_object(json_object_get(doc, "listing")));
	CHECK_STR(s(doc, "apn"), "10306005");
	CHECK_STR(s(doc, "property_type"), "single_family");
	CHECK_INT(json_integer_value(json_object_get(json_object_get(doc, "features"),
						     "square_feet")), 1152);
	CHECK_INT(json_integer_value(json_object_get(json_object_get(doc, "features"),
						     "bedrooms")), 3);
	CHECK_STR(s(doc, "last_changed"), "2026-12-07T10:00:00Z");
	CHECK_STR(s(doc, "first_seen"), "2026-11-28T10:00:00Z");
	/* The same price again does not add an entry. */
	o = obs(LISTING("2026-12-08T10:00:00Z", 340000));
	json_object_set_new(json_object_get(o, "listing"), "status", json_string("pending"));
	CHECK_INT(phx_merge(&doc, "apn:10306005", o, NULL, &dirty), PHX_MERGE_UPDATED);
	CHECK_INT(json_array_size(json_object_get(doc, "price_history")), 2);
	json_decref(o);
	json_decref(doc);
}

static void test_hash(void)
{
	json_t *a = obs(PARCEL("2026-11-28T10:00:03Z", 1)), *b = obs(PARCEL("2027-01-01T00:00:00Z", 1));
	json_t *c = obs(PARCEL("2026-11-28T10:00:03Z", 2));
	char ha[65], hb[65], hc[65];

	phx_observation_hash(a, ha);
	phx_observation_hash(b, hb);
	phx_observation_hash(c, hc);
	CHECK_STR(ha, hb);
	CHECK(strcmp(ha, hc) != 0);
	json_decref(a);
	json_decref(b);
	json_decref(c);
}

static void test_hash_text(void)
{
	const char *a = "{\"a\":1,\"observed_at\":\"2026-01-01T00:00:00Z\",\"_phx\":{\"q\":1}}";
	const char *b = "{\"a\":1,\"observed_at\":\"2027-01-01T00:00:00Z\",\"_phx\":{\"q\":2}}";
	const char *c = "{\"a\":2,\"observed_at\":\"2026-01-01T00:00:00Z\",\"_phx\":{\"q\":1}}";
	const char *d = "{\"_phx\":{},\"a\":1,\"observed_at\":\"x\"}";
	const char *e = "{\"_phx\":{\"t\":[1]},\"a\":1,\"observed_at\":\"y\"}";
	char ha[65], hb[65], hc[65], hd[65], he[65];

	phx_observation_hash_text(a, strlen(a), ha);
	phx_observation_hash_text(b, strlen(b), hb);
	phx_observation_hash_text(c, strlen(c), hc);
	phx_observation_hash_text(d, strlen(d), hd);
	phx_observation_hash_text(e, strlen(e), he);
	CHECK_STR(ha, hb);
	CHECK(strcmp(ha, hc) != 0);
	CHECK_STR(hd, he);
	CHECK_INT(strlen(ha), 64);
}

static void test_summary(void)
{
	json_t *doc = NULL, *o = obs(PARCEL("2026-11-28T10:00:00Z", 1));
	json_t *o2 = obs(PARCEL("2026-11-30T10:00:00Z", 1));
	char h[65], *sums;
	int dirty;

	phx_merge(&doc, "apn:10306005", o, NULL, &dirty);
	phx_merge(&doc, "apn:10306005", o2, NULL, &dirty);
	phx_observation_hash(o, h);
	sums = phx_doc_summary(doc);
	CHECK(strncmp(sums, "maricopa ", 9) == 0);
	CHECK_INT(phx_summary_unchanged(sums, "maricopa", h, "2026-11-29T00:00:00Z"), 1);
	CHECK_INT(phx_summary_unchanged(sums, "maricopa", h, "2026-11-30T10:00:00Z"), 1);
	/* later than last_seen: last_seen would move; earlier: first_seen would */
	CHECK_INT(phx_summary_unchanged(sums, "maricopa", h, "2026-12-01T00:00:00Z"), 0);
	CHECK_INT(phx_summary_unchanged(sums, "maricopa", h, "2026-11-01T00:00:00Z"), 0);
	CHECK_INT(phx_summary_unchanged(sums, "phoenix_mls", h, "2026-11-29T00:00:00Z"), 0);
	h[0] = h[0] == 'a' ? 'b' : 'a';
	CHECK_INT(phx_summary_unchanged(sums, "maricopa", h, "2026-11-29T00:00:00Z"), 0);
	free(sums);
	json_decref(o);
	json_decref(o2);
	json_decref(doc);
}

static void test_counts(void)
{
	json_t *into = obs("{\"date\":\"2026-11-28\",\"totals\":{\"new\":2},\"by_zip\":{}}");
	json_t *d = obs("{\"totals\":{\"new\":3,\"rejected\":1},\"by_zip\":{\"85031\":{\"new\":3}}}");

	phx_counts_add(into, d);
	phx_counts_add(into, d);
	CHECK_INT(json_integer_value(json_object_get(json_object_get(into, "totals"), "new")), 8);
	CHECK_INT(json_integer_value(json_object_get(json_object_get(into, "totals"),
						     "rejected")), 2);
	CHECK_INT(json_integer_value(json_object_get(json_object_get(json_object_get(into,
				"by_zip"), "85031"), "new")), 6);
	CHECK_STR(s(into, "date"), "2026-11-28");
	json_decref(into);
	json_decref(d);
}

/* A first document written from the record's text must be the document
 * phx_merge builds, for records of every shape the fast path may meet. */
static const char *const first_records[] = {
	PARCEL("2026-11-28T10:00:03Z", 289100),
	LISTING("2026-11-28T10:00:03+00:00", 450000),
	/* _phx first, spaces around tokens, a trace that is not an array */
	"{ \"_phx\" : {\"trace\": 5, \"quality\": 0.9} , \"property_id\" : \"addr:x\" ,"
	" \"source\":\"phoenix_mls\", \"observed_at\":\"2026-11-28T10:00:03Z\","
	" \"address_key\":\"x\", \"listing\": {\"list_price\": \"450000\"} }",
	/* _phx in the middle and not an object; features not an object; numbers
	 * and escapes in their own spelling */
	"{\"property_id\":\"apn:1\",\"apn\":\"1\",\"address_key\":\"k\\u00e9\","
	"\"_phx\":[1],\"features\":[1,2],\"location\":{\"lat\":33.50,\"lon\":-1.2e2},"
	"\"source\":\"maricopa\",\"observed_at\":\"2026-11-28T10:00:03Z\","
	"\"parcel\":{\"valuations\":[{\"tax_year\":2025,\"full_cash_value\":1},"
	"{\"tax_year\":2025,\"full_cash_value\":1},{\"tax_year\":2026,\"limited_value\":2},"
	"{\"tax_year\":\"2027\",\"full_cash_value\":3}]}}",
	/* escaped keys, the only other member after _phx, no apn, null members */
	"{\"_\\u0070hx\":{\"trace\":[{\"t\":1}]},\"\\u0061pn\":null,\"property_id\":\"addr:y\","
	"\"source\":\"other\",\"observed_at\":\"2026-11-28T03:00:03-07:00\","
	"\"address_key\":\"y\",\"address\":null,\"property_type\":\"other\","
	"\"features\":null,\"parcel\":{\"valuations\":5},\"listing\":{\"list_price\":7,"
	"\"mls_id\":9,\"status\":\"sold\"}}",
	/* no _phx at all */
	("{\"property_id\":\"apn:2\",\"source\":\"maricopa\","
	 "\"observed_at\":\"2026-11-28T10:00:03Z\",\"address_key\":\"z\"}"),
};

static void test_new_text(void)
{
	size_t i;

	for (i = 0; i < sizeof first_records / sizeof first_records[0]; i++) {
		const char *line = first_records[i], *code;
		size_t len = strlen(line);
		phx_json_span spans[PHX_SPAN_N];
		char why[200], h1[65], h2[65];
		phx_buf text = PHX_BUF_INIT;
		int odd;
		json_t *o = phx_parse_object_spans(line, len, &code, why, sizeof why,
						   phx_record_span_keys, PHX_SPAN_N, spans, &odd);
		json_t *doc = NULL, *back, *idx;
		int dirty;

		CHECK(o != NULL);
		if (!o)
			continue;
		phx_observation_hash_spans(line, len, spans, h1);
		phx_observation_hash_text(line, len, h2);
		CHECK_STR(h1, h2);
		const char *id = s(o, "property_id");
		CHECK_INT(phx_merge(&doc, id, o, h1, &dirty), PHX_MERGE_INSERTED);
		char at[32];
		phx_observation_time(o, at);
		idx = phx_merge_new_text(&text, id, o, line, len, spans, h1, at);
		back = json_loadb(text.data, text.len, 0, NULL);
		CHECK(back && json_equal(back, doc));
		if (!back || !json_equal(back, doc)) {
			char *want = json_dumps(doc, JSON_COMPACT);
			printf("# got  %s\n# want %s\n", text.data, want);
			free(want);
		}
		/* what backends index, from the small document */
		char *sum_idx = phx_doc_summary(idx), *sum_doc = phx_doc_summary(doc);
		CHECK_STR(sum_idx, sum_doc);
		free(sum_idx);
		free(sum_doc);
		static const char *const keys[] = { "property_id", "apn", "address_key", "address",
						    "property_type", "price", "last_seen" };
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
			CHECK(json_equal(json_object_get(idx, keys[k]),
					 json_object_get(doc, keys[k])));
		json_decref(idx);
		json_decref(back);
		json_decref(doc);
		json_decref(o);
		phx_buf_free(&text);
	}
}

int main(void)
{
	test_new_text();
	test_check();
	test_insert_and_unchanged();
	test_history();
	test_hash();
	test_hash_text();
	test_summary();
	test_counts();
	return unit_done();
}
