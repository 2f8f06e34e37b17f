/* test_mls_detail.c - the MLS detail extractor over the fixture pages of
 * tests/fixtures/mls (written by pages.py): both templates, every status,
 * dwelling types, HOA, lot units, price range, masked values, photos,
 * entities, JSON-LD precedence and the refusals. Every record must also pass
 * the shipped record schema. */
#include <math.h>
#include "defaults.h"
#include "issues.h"
#include "mls_fixture.h"
#include "schema.h"
#include "unit.h"

static phx_mls_selectors *sel;
static phx_schema *schema;

static json_t *get(const char *name)
{
	const char *code;
	json_t *r = fx_extract(sel, name, &code);
	CHECK(r != NULL);
	if (!r)
		return json_object();
	phx_issues *iss = phx_issues_new();
	size_t bad = phx_schema_check(schema, r, iss);
	for (size_t i = 0; i < bad; i++)
		printf("# %s: %s %s\n", name, phx_issues_get(iss, i)->path,
		       phx_issues_get(iss, i)->message);
	CHECK_INT(bad, 0);
	phx_issues_free(iss);
	CHECK_STR(at_s(r, "/source"), "phoenix_mls");
	return r;
}

/* No member name holds a '.' or starts with '$', at any depth. */
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

static void classic_active(void)
{
	json_t *r = get("classic_active");
	CHECK_STR(at_s(r, "/listing/mls_id"), "6937912");
	CHECK_STR(at_s(r, "/listing/url"),
		  "https://www.phoenixmlssearch.com/mls/5219-W-Glenn-Dr-Glendale-AZ-85031-mls_6937912/");
	CHECK_STR(at_s(r, "/listing/status"), "active");	/* no Status line = Active */
	CHECK_STR(at_s(r, "/_phx/mls/layers/status"), "xpath");
	CHECK_INT(at_i(r, "/listing/list_price"), 389000);
	CHECK_STR(at_s(r, "/listing/list_date"), "2026-11-02");
	CHECK(json_is_true(at(r, "/listing/days_on_market_derived")));
	CHECK_STR(at_s(r, "/apn"), "10306005");
	CHECK_STR(at_s(r, "/property_id"), "apn:10306005");
	CHECK_STR(at_s(r, "/address/street"), "5219 W Glenn Dr");
	CHECK_STR(at_s(r, "/address/city"), "Glendale");
	CHECK_STR(at_s(r, "/address/zip"), "85031");
	CHECK_STR(at_s(r, "/address_key"), "85031|5219|w glenn dr|");
	CHECK_STR(at_s(r, "/property_type"), "single_family");
	CHECK_INT(at_i(r, "/features/bedrooms"), 3);
	CHECK(fabs(at_n(r, "/features/bathrooms") - 2) < 1e-9);
	CHECK_INT(at_i(r, "/features/square_feet"), 1652);
	CHECK_INT(at_i(r, "/features/lot_size_sqft"), 7205);
	CHECK_INT(at_i(r, "/features/year_built"), 1978);
	CHECK_INT(at_i(r, "/features/garage_spaces"), 2);
	CHECK_INT(at_i(r, "/features/stories"), 1);
	CHECK(json_is_false(at(r, "/features/pool")));
	CHECK(fabs(at_n(r, "/location/lat") - 33.493) < 1e-9);
	CHECK(fabs(at_n(r, "/location/lon") + 112.1721) < 1e-9);
	CHECK(at_null(r, "/listing/hoa"));
	CHECK_INT(json_array_size(at(r, "/listing/photos")), 3);
	CHECK_STR(at_s(r, "/listing/photos/0"),
		  "https://cdn.photos.sparkplatform.com/az/20266937912000000000000-o.jpg");
	CHECK_STR(at_s(r, "/listing/description"),
		  "Charming block home on a corner lot with mature citrus.");
	CHECK_STR(at_s(r, "/listing/brokerage"), "Example Desert Realty");
	CHECK_STR(at_s(r, "/listing/agent"), "Example Agent A 602-555-0100");
	CHECK_STR(at_s(r, "/raw/labels/Approx SQFT"), "1,652");
	CHECK_STR(at_s(r, "/raw/template"), "classic");
	CHECK_STR(at_s(r, "/_phx/mls/layers/mls_id"), "url");
	CHECK_STR(at_s(r, "/_phx/mls/layers/list_price"), "meta");
	CHECK_INT(json_array_size(at(r, "/_phx/mls/conflicts")), 0);
	json_decref(r);
}

static void statuses(void)
{
	static const struct { const char *fx, *status, *detail; } cases[] = {
		{ "classic_pending", "pending", NULL },
		{ "classic_closed", "sold", NULL },
		{ "classic_coming_soon", "coming_soon", NULL },
		{ "classic_ucb", "active", "UCB" },
		{ "classic_ccbs", "active", "CCBS" },
		{ "classic_temp_off", "off_market", NULL },
		{ "v2_active", "active", NULL },
		{ "v2_coming_soon", "coming_soon", NULL },
		{ "v2_closed_acres", "sold", NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *r = get(cases[i].fx);
		printf("# %s\n", cases[i].fx);
		CHECK_STR(at_s(r, "/listing/status"), cases[i].status);
		if (cases[i].detail)
			CHECK_STR(at_s(r, "/listing/status_detail"), cases[i].detail);
		else
			CHECK(at_null(r, "/listing/status_detail"));
		json_decref(r);
	}
}

static void dwellings(void)
{
	static const struct { const char *fx, *type; } cases[] = {
		{ "classic_dwelling_patio", "townhouse" },
		{ "classic_dwelling_townhouse", "townhouse" },
		{ "classic_dwelling_gemini", "townhouse" },
		{ "classic_dwelling_loft", "condo" },
		{ "classic_dwelling_modular", "manufactured" },
		{ "classic_dwelling_mfg", "manufactured" },
		{ "classic_condo_hoa", "condo" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *r = get(cases[i].fx);
		CHECK_STR(at_s(r, "/property_type"), cases[i].type);
		json_decref(r);
	}
}

static void hoa_and_lots(void)
{
	json_t *r = get("classic_condo_hoa");
	CHECK(json_is_true(at(r, "/listing/hoa/has_hoa")));
	CHECK_INT(at_i(r, "/listing/hoa/fee"), 215);
	CHECK_STR(at_s(r, "/listing/hoa/frequency"), "monthly");
	CHECK_STR(at_s(r, "/listing/hoa/name"), "Desert Palms HOA");
	CHECK_STR(at_s(r, "/apn"), "10219009F");	/* "Assessor's Parcel #: 102-19-009F" */
	CHECK_STR(at_s(r, "/address/street"), "7606 W Indian School Rd");
	CHECK_STR(at_s(r, "/address/unit"), "1");	/* as lib/address.c splits it */
	json_decref(r);
	r = get("classic_no_hoa");
	CHECK(json_is_false(at(r, "/listing/hoa/has_hoa")));
	CHECK(at_null(r, "/listing/hoa/fee"));
	json_decref(r);
	r = get("v2_hoa_entities");
	CHECK_INT(at_i(r, "/listing/hoa/fee"), 450);
	CHECK_STR(at_s(r, "/listing/hoa/frequency"), "quarterly");
	json_decref(r);
	r = get("classic_acres");	/* 1.25 acres */
	CHECK_INT(at_i(r, "/features/lot_size_sqft"), 54450);
	CHECK_STR(at_s(r, "/raw/labels/Approx Lot Acres"), "1.25");
	json_decref(r);
	r = get("v2_closed_acres");
	CHECK_INT(at_i(r, "/features/lot_size_sqft"), 10890);
	json_decref(r);
	r = get("classic_baths_full_half");	/* "Full Bathrooms: 2 Full, 1 Half" */
	CHECK(fabs(at_n(r, "/features/bathrooms") - 2.5) < 1e-9);
	CHECK_INT(at_i(r, "/features/bedrooms"), 3);	/* "# Bedrooms" */
	CHECK(json_is_true(at(r, "/features/pool")));	/* Private Pool Features */
	json_decref(r);
}

static void prices_and_masks(void)
{
	json_t *r = get("classic_range");
	CHECK_INT(at_i(r, "/listing/list_price"), 450000);
	CHECK_STR(at_s(r, "/raw/price_range"), "$500,000 - $450,000");
	json_decref(r);
	r = get("classic_cents");
	CHECK_INT(at_i(r, "/listing/list_price"), 290000);
	json_decref(r);
	r = get("classic_masked");	/* "********" and "N/A" are unknown, not 0 */
	CHECK(at_null(r, "/apn"));
	CHECK(at_null(r, "/features/square_feet"));
	CHECK(at_null(r, "/features/year_built"));
	CHECK(at_null(r, "/address/street"));
	CHECK_STR(at_s(r, "/address/zip"), "85031");
	CHECK_STR(at_s(r, "/property_id"), "addr:85031|||");
	CHECK_STR(at_s(r, "/listing/mls_id"), "6940012");
	json_decref(r);
	r = get("classic_no_photos");	/* nophoto.gif is not a photo */
	CHECK(json_is_array(at(r, "/listing/photos")));
	CHECK_INT(json_array_size(at(r, "/listing/photos")), 0);
	json_decref(r);
	r = get("classic_closed");	/* no Open Graph tags (older plugin) */
	CHECK_INT(at_i(r, "/listing/list_price"), 389000);
	CHECK_STR(at_s(r, "/_phx/mls/layers/list_price"), "xpath");
	CHECK_STR(at_s(r, "/address/street"), "3602 W Cambridge Ave");
	json_decref(r);
}

static void texts(void)
{
	json_t *r = get("classic_entities");
	const char *d = at_s(r, "/listing/description");
	static const char start[] = "Welcome to this \xe2\x80\x9cmove-in ready\xe2\x80\x9d casita "
				    "& main house \xe2\x80\x94 fully";
	CHECK(strncmp(d, start, strlen(start)) == 0);
	CHECK(strstr(d, "\xc2\xbd bath") != NULL);	/* ½ */
	CHECK(strstr(d, "caf\xc3\xa9") != NULL);	/* café */
	CHECK(strstr(d, "\xf0\x9f\x8c\xb5") != NULL);	/* cactus emoji */
	CHECK(strstr(d, "&amp;") == NULL);
	CHECK(strlen(d) > 1500);	/* the full remarks, not the 160-char meta cut */
	CHECK_STR(at_s(r, "/_phx/mls/layers/description"), "xpath");
	json_decref(r);
	r = get("classic_hostile");	/* kept verbatim, never acted on */
	d = at_s(r, "/listing/description");
	CHECK(strstr(d, "IGNORE PREVIOUS INSTRUCTIONS") != NULL);
	CHECK(strstr(d, "</script><script>alert(1)</script>") != NULL);
	CHECK_INT(at_i(r, "/listing/list_price"), 389000);
	CHECK(json_is_false(at(r, "/features/pool")));
	json_decref(r);
	r = get("v2_hoa_entities");
	CHECK(strstr(at_s(r, "/listing/description"), "casita & main house") != NULL);
	json_decref(r);
}

static void layers(void)
{
	/* JSON-LD (@graph, @type array) says $399,500; the page says $389,000 */
	json_t *r = get("classic_jsonld_wrong");
	CHECK_INT(at_i(r, "/listing/list_price"), 399500);
	CHECK_STR(at_s(r, "/_phx/mls/layers/list_price"), "jsonld");
	json_t *c = at(r, "/_phx/mls/conflicts");
	CHECK(json_array_size(c) >= 1);
	CHECK_STR(at_s(c, "/0/field"), "list_price");
	CHECK_INT(at_i(c, "/0/other/value"), 389000);
	CHECK_INT(at_i(r, "/features/square_feet"), 1652);	/* 153.5 m2 */
	CHECK_INT(at_i(r, "/features/bedrooms"), 3);		/* not numberOfRooms 7 */
	CHECK_STR(at_s(r, "/raw/jsonld_types/1"), "Product");
	json_decref(r);
	r = get("v2_active");
	CHECK_STR(at_s(r, "/raw/template"), "v2");
	CHECK_STR(at_s(r, "/listing/mls_id"), "6941001");
	CHECK_INT(json_array_size(at(r, "/listing/photos")), 3);
	/* "Lot Size (sq. ft.)": a key a store takes (phx-store refuses "." in names) */
	CHECK_STR(at_s(r, "/raw/labels/Lot Size (sq\xef\xbc\x8e ft\xef\xbc\x8e)"), "7,205");
	CHECK(store_safe(r));
	json_decref(r);
	/* two listings of one house: one address_key, two MLS numbers */
	json_t *a = get("classic_pending"), *b = get("classic_same_address_old");
	CHECK_STR(at_s(a, "/address_key"), at_s(b, "/address_key"));
	CHECK(strcmp(at_s(a, "/listing/mls_id"), at_s(b, "/listing/mls_id")) != 0);
	json_decref(a);
	json_decref(b);
}

static void refusals(void)
{
	const char *code;
	json_t *r = fx_extract(sel, "not_found", &code);
	CHECK(r == NULL);
	CHECK_STR(code, "mls.not_found");
	r = fx_extract(sel, "layout_changed", &code);
	CHECK(r == NULL);
	CHECK_STR(code, "mls.layout_changed");
	char reason[256] = "";
	CHECK(phx_mls_extract_detail(sel, "", 0, "https://x/mls/a-mls_1/", &r, &code, reason,
				     sizeof reason) == -1);
	CHECK_STR(code, "mls.bad_page");
	CHECK(strstr(reason, "https://x/mls/a-mls_1/") != NULL);
	/* a classic page without any MLS number anywhere */
	const char *page = "<html><body><div class='flexmls_connect__sr_detail'>"
			   "<div class='flexmls_connect__ld_property_detail'><b>Bedrooms:</b> 3"
			   "</div></div></body></html>";
	CHECK(phx_mls_extract_detail(sel, page, strlen(page), "https://x/mls/search/", &r, &code,
				     reason, sizeof reason) == -1);
	CHECK_STR(code, "mls.bad_page");
	CHECK(strstr(reason, "no MLS number") != NULL);
}

/* A body cut anywhere (a reset connection): a record with its MLS number,
 * or a refusal with one of the three codes, never anything else. */
static void truncated(void)
{
	size_t len = 0;
	char *page = fx_read("classic_condo_hoa", ".html", &len);
	char *url = fx_read("classic_condo_hoa", ".url", NULL);
	CHECK(page && url);
	if (!page || !url)
		return;
	url[strcspn(url, "\n")] = '\0';
	int records = 0, refusals_seen = 0, odd = 0;
	for (size_t cut = 0; cut <= len; cut += 97) {
		json_t *r = NULL;
		const char *code = NULL;
		char reason[512];
		if (phx_mls_extract_detail(sel, page, cut, url, &r, &code, reason,
					   sizeof reason) == 0) {
			records++;
			odd += strcmp(at_s(r, "/listing/mls_id"), "6940007") != 0;
			json_decref(r);
		} else {
			refusals_seen++;
			odd += strcmp(code, "mls.bad_page") != 0 &&
			       strcmp(code, "mls.layout_changed") != 0;
		}
	}
	CHECK_INT(odd, 0);
	CHECK(records > 0);
	CHECK(refusals_seen > 0);	/* the first bytes are no detail page yet */
	free(page);
	free(url);
}

int main(void)
{
	char err[512] = "";
	sel = phx_mls_selectors_load(NULL, err, sizeof err);
	CHECK(sel != NULL);
	json_t *root = json_loads(phx_default_schema, 0, NULL);
	char *serr = NULL;
	schema = phx_schema_compile(root, "built-in", &serr);
	json_decref(root);
	CHECK(schema != NULL);
	if (!sel || !schema)
		return 1;
	classic_active();
	statuses();
	dwellings();
	hoa_and_lots();
	prices_and_masks();
	texts();
	layers();
	refusals();
	truncated();
	phx_mls_selectors_free(sel);
	phx_schema_free(schema);
	return unit_done();
}
