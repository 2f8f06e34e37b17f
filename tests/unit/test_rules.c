/* test_rules.c - the rules file format and each rule kind, against a pinned clock. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "rules.h"
#include "unit.h"

static char *err;
static phx_issues *found;
static time_t now;	/* 2026-11-28T12:00:00Z */

static phx_rules *P(const char *text)
{
	phx_rules *r;

	free(err);
	err = NULL;
	r = phx_rules_parse(text, "t.conf", &err);
	if (r)
		phx_rules_set_now(r, now);
	return r;
}

static long R(const phx_rules *r, const char *doc)
{
	json_t *d = json_loads(doc, 0, NULL);
	size_t n;

	if (!r || !d) {
		json_decref(d);
		return -1;
	}
	phx_issues_clear(found);
	n = phx_rules_check(r, d, found);
	json_decref(d);
	return (long)n;
}

static const phx_finding *F(size_t i)
{
	static const phx_finding none = { PHX_SEV_ERROR, "(none)", "(none)", "(none)" };
	const phx_finding *f = phx_issues_get(found, i);
	return f ? f : &none;
}

static int err_has(const char *s)
{
	return err && strstr(err, s) != NULL;
}

static void test_format_errors(void)
{
	CHECK(P("rule a error nosuchkind path=/x") == NULL);
	CHECK(err_has("t.conf:1: unknown rule kind \"nosuchkind\""));
	CHECK(P("\n\nrule a fatal compare left=/a op=< right=/b") == NULL);
	CHECK(err_has("t.conf:3: severity \"fatal\""));
	CHECK(P("rule a error year_not_after path=/x colour=red") == NULL);
	CHECK(err_has("unknown parameter \"colour=red\""));
	CHECK(P("rule a error year_not_after") == NULL);
	CHECK(err_has("missing path=POINTER"));
	CHECK(P("rule a error year_not_after path=features") == NULL);
	CHECK(err_has("not a JSON Pointer"));
	CHECK(P("rule a error in_target path=/z\nrule a warning in_target path=/z") == NULL);
	CHECK(err_has("t.conf:2: rule \"a\" is defined twice"));
	CHECK(P("rule Bad-Name error in_target path=/z") == NULL);
	CHECK(P("rules a error in_target path=/z") == NULL);
	CHECK(err_has("unknown line \"rules\""));
	CHECK(P("rule a error ratio_range num=/a den=/b") == NULL);
	CHECK(err_has("give min=, max= or both"));
	CHECK(P("rule a error ratio_range num=/a den=/b min=5 max=1") == NULL);
	CHECK(P("rule a error compare left=/a op=~ right=/b") == NULL);
	CHECK(P("rule a error time_not_after path=/t tolerance=soon") == NULL);
	CHECK(P("rule a error compare left=/a op=< right=/b when=/t") == NULL);
	CHECK(P("weight /a heavy") == NULL);
	CHECK(P("weight /a -1") == NULL);
	CHECK(P("quality colour=1") == NULL);
	CHECK(P("quality warning_penalty=2") == NULL);
	/* every problem is reported, each with its line */
	CHECK(P("rule a error nosuch\n# fine\nrule b error in_target\n") == NULL);
	CHECK(err_has("t.conf:1:"));
	CHECK(err_has("t.conf:3:"));
	/* comments, blank lines, tabs and CRLF are fine */
	phx_rules *r = P("# c\n\n\trule a  warning in_target path=/z # trailing\r\n");
	CHECK(r != NULL);
	CHECK_INT(phx_rules_count(r), 1);
	CHECK_STR(phx_rules_code(r, 0), "rule.a");
	CHECK_INT(phx_rules_severity(r, 0), PHX_SEV_WARNING);
	CHECK(phx_rules_code(r, 1) == NULL);
	phx_rules_free(r);
}

static void test_year(void)
{
	phx_rules *r = P("rule year_built_future error year_not_after "
			 "path=/features/year_built years_ahead=1");

	CHECK_INT(R(r, "{\"features\":{\"year_built\":2027}}"), 0);
	CHECK_INT(R(r, "{\"features\":{\"year_built\":2028}}"), 1);
	CHECK_STR(F(0)->code, "rule.year_built_future");
	CHECK_STR(F(0)->path, "/features/year_built");
	CHECK_INT(F(0)->severity, PHX_SEV_ERROR);
	CHECK_STR(F(0)->message, "year_built 2028 is after 2027 (this year +1)");
	CHECK_INT(R(r, "{\"features\":{\"year_built\":null}}"), 0);	/* unknown is not wrong */
	CHECK_INT(R(r, "{}"), 0);
	CHECK_INT(R(r, "{\"features\":{\"year_built\":\"2091\"}}"), 0);	/* the schema's job */
	phx_rules_free(r);
	r = P("rule y warning year_not_after path=/y years_ahead=0");
	CHECK_INT(R(r, "{\"y\":2027}"), 1);
	CHECK_INT(F(0)->severity, PHX_SEV_WARNING);
	phx_rules_free(r);
}

static void test_time(void)
{
	phx_rules *r = P("rule future error time_not_after path=/observed_at tolerance=10m");

	CHECK_INT(R(r, "{\"observed_at\":\"2026-11-28T12:09:59Z\"}"), 0);
	CHECK_INT(R(r, "{\"observed_at\":\"2026-11-28T12:10:01Z\"}"), 1);
	CHECK_STR(F(0)->message, "observed_at \"2026-11-28T12:10:01Z\" is in the future"
		  " (now 2026-11-28T12:00:00Z)");
	CHECK_INT(R(r, "{\"observed_at\":\"2026-11-28T12:10:01+07:00\"}"), 0);
	CHECK_INT(R(r, "{\"observed_at\":\"not a time\"}"), 0);
	phx_rules_free(r);
}

static void test_ratio(void)
{
	phx_rules *r = P("rule per_bed warning ratio_range num=/f/sqft den=/f/beds min=150 max=3000");

	CHECK_INT(R(r, "{\"f\":{\"sqft\":1500,\"beds\":3}}"), 0);
	CHECK_INT(R(r, "{\"f\":{\"sqft\":400,\"beds\":4}}"), 1);
	CHECK_STR(F(0)->message, "sqft 400 / beds 4 = 100, below the minimum 150");
	CHECK_STR(F(0)->path, "/f/sqft");
	CHECK_INT(R(r, "{\"f\":{\"sqft\":9000,\"beds\":1}}"), 1);
	CHECK_INT(R(r, "{\"f\":{\"sqft\":400,\"beds\":0}}"), 0);	/* a studio: no ratio */
	CHECK_INT(R(r, "{\"f\":{\"sqft\":400,\"beds\":null}}"), 0);
	phx_rules_free(r);
}

static void test_latest_ratio(void)
{
	phx_rules *r = P("rule pv warning latest_ratio value=/listing/list_price "
			 "series=/parcel/valuations key=tax_year field=full_cash_value "
			 "min=0.33 max=4");

	/* the latest tax year counts, wherever it sits in the array */
	CHECK_INT(R(r, "{\"listing\":{\"list_price\":900000},\"parcel\":{\"valuations\":["
		    "{\"tax_year\":2026,\"full_cash_value\":300000},"
		    "{\"tax_year\":2020,\"full_cash_value\":100000}]}}"), 0);
	CHECK_INT(R(r, "{\"listing\":{\"list_price\":900000},\"parcel\":{\"valuations\":["
		    "{\"tax_year\":2020,\"full_cash_value\":300000},"
		    "{\"tax_year\":2026,\"full_cash_value\":100000}]}}"), 1);
	CHECK_STR(F(0)->message, "list_price 900000 is 9 times the full_cash_value 100000"
		  " of tax_year 2026, above the maximum 4");
	/* a null value in the latest year falls back to the latest known one */
	CHECK_INT(R(r, "{\"listing\":{\"list_price\":90000},\"parcel\":{\"valuations\":["
		    "{\"tax_year\":2025,\"full_cash_value\":300000},"
		    "{\"tax_year\":2026,\"full_cash_value\":null}]}}"), 1);
	CHECK(strstr(F(0)->message, "below the minimum 0.33") != NULL);
	CHECK_INT(R(r, "{\"listing\":null,\"parcel\":{\"valuations\":[]}}"), 0);
	CHECK_INT(R(r, "{\"listing\":{\"list_price\":1},\"parcel\":null}"), 0);
	phx_rules_free(r);
}

static void test_target(void)
{
	phx_rules *r = P("rule zip_outside_target warning in_target path=/address/zip");
	char *e = NULL;

	CHECK_INT(R(r, "{\"address\":{\"zip\":\"99999\"}}"), 0);	/* no list: inactive */
	CHECK_INT(phx_rules_set_target_zips(r, "85031, 85033 85035", &e), 0);
	CHECK_INT(R(r, "{\"address\":{\"zip\":\"85033\"}}"), 0);
	CHECK_INT(R(r, "{\"address\":{\"zip\":\"85001\"}}"), 1);
	CHECK_STR(F(0)->message, "zip \"85001\" is outside the target area");
	CHECK_INT(R(r, "{\"address\":{\"zip\":\"8503\"}}"), 1);
	CHECK_INT(R(r, "{\"address\":{\"zip\":null}}"), 0);
	CHECK_INT(phx_rules_set_target_zips(r, "85031,8503x", &e), -1);
	CHECK(e && strstr(e, "\"8503x\" is not 5 digits") != NULL);
	free(e);
	CHECK_INT(R(r, "{\"address\":{\"zip\":\"85035\"}}"), 0);	/* the old list stays */
	CHECK_INT(phx_rules_set_target_zips(r, "", NULL), 0);
	CHECK_INT(R(r, "{\"address\":{\"zip\":\"99999\"}}"), 0);
	phx_rules_free(r);
}

static void test_compare_when(void)
{
	phx_rules *r = P("rule lot warning compare left=/f/lot op=>= right=/f/sqft "
			 "when=/property_type=single_family|townhouse");

	CHECK_INT(R(r, "{\"property_type\":\"single_family\",\"f\":{\"lot\":6000,\"sqft\":1500}}"),
		  0);
	CHECK_INT(R(r, "{\"property_type\":\"single_family\",\"f\":{\"lot\":900,\"sqft\":1500}}"),
		  1);
	CHECK_STR(F(0)->message, "lot 900 is not >= sqft 1500");
	CHECK_INT(R(r, "{\"property_type\":\"townhouse\",\"f\":{\"lot\":900,\"sqft\":1500}}"), 1);
	CHECK_INT(R(r, "{\"property_type\":\"condo\",\"f\":{\"lot\":900,\"sqft\":1500}}"), 0);
	CHECK_INT(R(r, "{\"f\":{\"lot\":900,\"sqft\":1500}}"), 0);
	phx_rules_free(r);
	r = P("rule eq error compare left=/a op=!= right=/b");
	CHECK_INT(R(r, "{\"a\":1,\"b\":2}"), 0);
	CHECK_INT(R(r, "{\"a\":2,\"b\":2}"), 1);
	phx_rules_free(r);
}

static void test_property_id(void)
{
	phx_rules *r = P("rule id error property_id id=/property_id apn=/apn "
			 "address_key=/address_key");

	CHECK_INT(R(r, "{\"property_id\":\"apn:10219009F\",\"apn\":\"102-19-009f\"}"), 0);
	CHECK_INT(R(r, "{\"property_id\":\"apn:10219009\",\"apn\":\"10219009F\"}"), 1);
	CHECK_STR(F(0)->message, "property_id \"apn:10219009\" should be \"apn:10219009F\""
		  " (from apn)");
	CHECK_INT(R(r, "{\"property_id\":\"addr:85031|1|a st|\",\"apn\":null,"
		    "\"address_key\":\"85031|1|a st|\"}"), 0);
	CHECK_INT(R(r, "{\"property_id\":\"addr:85031|1|a st|\",\"apn\":\"10306005\","
		    "\"address_key\":\"85031|1|a st|\"}"), 1);
	phx_rules_free(r);
}

static void test_every_rule_reported(void)
{
	phx_rules *r = P("rule y error year_not_after path=/y\n"
			 "rule t warning time_not_after path=/t\n"
			 "rule c warning compare left=/a op=< right=/b\n");

	CHECK_INT(R(r, "{\"y\":3000,\"t\":\"2099-01-01T00:00:00Z\",\"a\":2,\"b\":1}"), 3);
	CHECK_STR(F(0)->code, "rule.y");
	CHECK_STR(F(1)->code, "rule.t");
	CHECK_STR(F(2)->code, "rule.c");
	phx_rules_free(r);
}

static void test_shipped_rules(void)
{
	const char *top = getenv("PHX_TOP") ? getenv("PHX_TOP") : ".";
	char rp[4096], gp[4096];
	phx_rules *r;
	json_t *good;

	snprintf(rp, sizeof rp, "%s/etc/rules.conf", top);
	snprintf(gp, sizeof gp, "%s/tests/fixtures/validate/good.json", top);
	free(err);
	err = NULL;
	r = phx_rules_load(rp, &err);
	CHECK(r != NULL);
	if (!r) {
		printf("# %s\n", err);
		return;
	}
	phx_rules_set_now(r, now);
	CHECK_INT(phx_rules_set_target_zips(r, "85031", NULL), 0);
	good = json_load_file(gp, 0, NULL);
	phx_issues_clear(found);
	CHECK_INT(phx_rules_check(r, good, found), 0);
	json_object_set_new(json_object_get(good, "features"), "year_built", json_integer(2091));
	json_object_set_new(json_object_get(good, "address"), "zip", json_string("85001"));
	phx_issues_clear(found);
	CHECK_INT(phx_rules_check(r, good, found), 2);
	CHECK_STR(F(0)->code, "rule.year_built_future");
	CHECK_STR(F(1)->code, "rule.zip_outside_target");
	json_decref(good);
	phx_rules_free(r);
	free(err);
	err = NULL;
	CHECK(phx_rules_load("/nonexistent/rules.conf", &err) == NULL);
	CHECK(err_has("/nonexistent/rules.conf"));
}

int main(void)
{
	struct tm tm = { .tm_year = 126, .tm_mon = 10, .tm_mday = 28, .tm_hour = 12 };

	now = timegm(&tm);
	found = phx_issues_new();
	test_format_errors();
	test_year();
	test_time();
	test_ratio();
	test_latest_ratio();
	test_target();
	test_compare_when();
	test_property_id();
	test_every_rule_reported();
	test_shipped_rules();
	phx_issues_free(found);
	free(err);
	return unit_done();
}
