/* fuzz_maricopa.c - libFuzzer target for the assessor's answers: an HTTP
 * result is checked as phx-fetch checks it, then a search page's results and
 * a /parcel/<apn> object become property records.
 *
 * Input: one selector byte, then REASON \n CONTENT-TYPE \n BODY (the body is
 * the rest, NUL bytes allowed). The selector picks the status (mostly 200)
 * and whether an object (details) or a search page is wanted.
 *
 * Besides "no crash", it checks what callers rely on: a check either gives a
 * document or a "fetch." code with words; a record is an object with a
 * property_id "apn:..." or "addr:...", an apn that is null or canonical (and
 * stays so when normalized again), source "maricopa", and it serializes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "apn.h"
#include "maricopa.h"
#include "fuzz_input.h"

#define FAIL(...) do { fprintf(stderr, "fuzz_maricopa: " __VA_ARGS__); abort(); } while (0)

static const long statuses[] = { 200, 200, 200, 200, 200, 201, 404, 500, 401, 503 };
static const char OBSERVED[] = "2026-11-28T12:00:00Z";

static const char *src_of(const json_t *rec)
{
	const char *s = json_string_value(json_object_get(rec, "source"));
	return s ? s : "";
}

static void check_record(const json_t *rec)
{
	const char *id = json_string_value(json_object_get(rec, "property_id"));
	const json_t *apn = json_object_get(rec, "apn");
	char again[PHX_APN_MAX];

	if (!json_is_object(rec) || !id)
		FAIL("record without a property_id\n");
	if (strncmp(id, "apn:", 4) != 0 && strncmp(id, "addr:", 5) != 0)
		FAIL("property_id \"%s\" is neither apn: nor addr:\n", id);
	if (!json_is_null(apn)) {
		const char *a = json_string_value(apn);
		if (!a || phx_apn_normalize(a, again) != 0 || strcmp(a, again) != 0)
			FAIL("apn is not canonical\n");
		if (strcmp(id + 4, a) != 0)
			FAIL("property_id %s does not name apn %s\n", id, a);
	}
	if (!json_is_string(json_object_get(rec, "address_key")))
		FAIL("record without an address_key\n");
	if (strcmp(src_of(rec), "maricopa") != 0)
		FAIL("source is not maricopa\n");
	char *text = json_dumps(rec, JSON_COMPACT);
	if (!text)
		FAIL("record does not serialize\n");
	free(text);
}

static void build(const json_t *item, const json_t *details)
{
	char why[256] = "";
	json_t *rec = phx_maricopa_record(item, details, NULL, OBSERVED, why, sizeof why);
	if (rec)
		check_record(rec);
	else if (!why[0])
		FAIL("no record and no reason\n");
	json_decref(rec);
}

static void search_page(const json_t *doc)
{
	long long total = -1;
	json_t *results = NULL;
	char why[256] = "";
	const char *code = phx_maricopa_search_page(doc, &total, &results, why, sizeof why);
	if (code) {
		if (strcmp(code, "fetch.bad_shape") != 0 || !why[0])
			FAIL("search page refused with %s and no reason\n", code);
		return;
	}
	if (!json_is_array(results) || total < 0 || phx_maricopa_pages(total) < 0)
		FAIL("accepted search page without results or total\n");
	for (size_t i = 0; i < json_array_size(results); i++) {
		const json_t *item = json_array_get(results, i);
		build(item, NULL);
		if (json_is_object(item))
			build(item, item);	/* an item with its own details, as both */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned sel = data[0];
	data++;
	size--;
	char *reason = fuzz_field(&data, &size, '\n');
	char *ctype = fuzz_field(&data, &size, '\n');
	char *body = fuzz_rest(data, size, 1);	/* the engine's bodies end in NUL */
	phx_http_result r = { 0 };
	r.url = "https://mcassessor.maricopa.gov/parcel/10306005";
	r.status = statuses[sel % (sizeof statuses / sizeof statuses[0])];
	r.reason = reason;
	r.content_type = ctype;
	r.body = body;
	r.body_len = size;
	int want_object = (sel >> 4) & 1;

	json_t *doc = NULL;
	char why[256] = "";
	const char *code = phx_maricopa_check(&r, want_object, &doc, why, sizeof why);
	if (code) {
		if (doc || strncmp(code, "fetch.", 6) != 0 || !why[0])
			FAIL("check refused with \"%s\" but a document or no reason\n", code);
	} else if (!doc || (want_object && !json_is_object(doc))) {
		FAIL("check passed without the document wanted\n");
	} else if (want_object) {
		build(NULL, doc);
	} else {
		search_page(doc);
	}
	json_decref(doc);
	free(reason);
	free(ctype);
	free(body);
	return 0;
}
