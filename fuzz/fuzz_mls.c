/* fuzz_mls.c - libFuzzer target for the MLS detail extractor: any bytes as
 * a detail page, through the built-in selectors (and, for one input in
 * eight, the --check-selectors report).
 *
 * Input: one selector byte, then the page. The selector picks the URL (with
 * an MLS number, without, or none) and whether the report runs too.
 *
 * Besides "no crash, no leak", it checks what callers rely on: a refusal has
 * one of the three codes and a reason; a record serializes, has source
 * "phoenix_mls", a listing with a non-empty mls_id and a known status, an
 * apn that is null or canonical, and a property_id naming it; and the
 * one-walk selector path (mls_xpath.c) reads the same record as plain
 * XPath. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "apn.h"
#include "mls_detail.h"
#include "mls_selectors.h"
#include "fuzz_input.h"

#define FAIL(...) do { fprintf(stderr, "fuzz_mls: " __VA_ARGS__); abort(); } while (0)

static phx_mls_selectors *sel, *plain;

static const char *const urls[] = {
	"https://www.phoenixmlssearch.com/mls/5219-W-Glenn-Dr-Glendale-AZ-85302-mls_6937912/",
	"https://www.phoenixmlssearch.com/mls/search/?PostalCode=85031&pg=2",
	NULL,
	"https://www.phoenixmlssearch.com/mls/x-mls_1/?p=y&n=y&m=az",
};

static const char *str_at(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* No member name a store refuses: a '.' anywhere, a leading '$'. */
static int store_safe(const json_t *v)
{
	const char *k;
	json_t *m;
	size_t i;
	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, k, m)
			if (strchr(k, '.') || k[0] == '$' || !store_safe(m))
				return 0;
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, m)
			if (!store_safe(m))
				return 0;
	}
	return 1;
}

static void check_record(const json_t *rec)
{
	static const char *const statuses[] = { "active", "coming_soon", "pending", "sold",
						"off_market", "withdrawn", "expired", "unknown" };
	const json_t *l = json_object_get(rec, "listing");
	if (!json_is_object(rec) || !json_is_object(l))
		FAIL("record without a listing\n");
	if (strcmp(str_at(rec, "source"), "phoenix_mls") != 0)
		FAIL("source is not phoenix_mls\n");
	if (!str_at(l, "mls_id")[0])
		FAIL("listing without an mls_id\n");
	int known = 0;
	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
		known |= strcmp(str_at(l, "status"), statuses[i]) == 0;
	if (!known)
		FAIL("status \"%s\" is not in the record's vocabulary\n", str_at(l, "status"));
	const json_t *apn = json_object_get(rec, "apn");
	const char *id = str_at(rec, "property_id");
	if (!json_is_null(apn)) {
		char again[PHX_APN_MAX];
		const char *a = json_string_value(apn);
		if (!a || phx_apn_normalize(a, again) != 0 || strcmp(a, again) != 0)
			FAIL("apn is not canonical\n");
		if (strncmp(id, "apn:", 4) != 0 || strcmp(id + 4, a) != 0)
			FAIL("property_id does not name the apn\n");
	} else if (strncmp(id, "addr:", 5) != 0) {
		FAIL("property_id \"%s\" without an apn is not addr:\n", id);
	}
	if (!store_safe(rec))
		FAIL("a member name phx-store refuses ('.' or a leading '$')\n");
	char *text = json_dumps(rec, JSON_COMPACT);
	if (!text)
		FAIL("record does not serialize\n");
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!sel) {
		char err[256];
		sel = phx_mls_selectors_load(NULL, err, sizeof err);
		plain = phx_mls_selectors_load(NULL, err, sizeof err);
		if (!sel || !plain)
			FAIL("built-in selectors: %s\n", err);
		plain->plain = 1;
	}
	if (size < 1)
		return 0;
	unsigned pick = data[0];
	char *page = fuzz_rest(data + 1, size - 1, 0);	/* exactly sized: no NUL after it */
	const char *url = urls[pick % 4];
	json_t *rec = NULL;
	const char *code = NULL;
	char reason[512] = "";
	if (phx_mls_extract_detail(sel, page, size - 1, url, &rec, &code, reason,
				   sizeof reason) == 0) {
		if (!rec)
			FAIL("success without a record\n");
		check_record(rec);
		/* the one-walk answers must equal plain XPath (mls_xpath.c) */
		json_t *other = NULL;
		const char *c2 = NULL;
		if (phx_mls_extract_detail(plain, page, size - 1, url, &other, &c2, reason,
					   sizeof reason) != 0)
			FAIL("plain XPath refused what the one-walk path read\n");
		json_object_del(rec, "observed_at");
		json_object_del(other, "observed_at");
		json_object_del(json_object_get(rec, "listing"), "days_on_market");
		json_object_del(json_object_get(other, "listing"), "days_on_market");
		if (!json_equal(rec, other))
			FAIL("plain XPath and the one-walk path read different records\n");
		json_decref(other);
	} else {
		if (rec || !code || !reason[0])
			FAIL("refusal without a code and a reason\n");
		if (strcmp(code, "mls.layout_changed") != 0 && strcmp(code, "mls.not_found") != 0 &&
		    strcmp(code, "mls.bad_page") != 0)
			FAIL("unknown refusal code %s\n", code);
	}
	json_decref(rec);
	if ((pick & 0x70) == 0x70) {
		json_t *rep = phx_mls_selectors_report(sel, page, size - 1, url);
		if (!json_is_array(rep) || json_array_size(rep) == 0)
			FAIL("report is not a non-empty array\n");
		char *text = json_dumps(rep, JSON_COMPACT);
		if (!text)
			FAIL("report does not serialize\n");
		free(text);
		json_decref(rep);
	}
	free(page);
	return 0;
}
