/* test_mls_values.c - the value parsers of the MLS extractor. */
#include <math.h>
#include "mls_values.h"
#include "unit.h"

static void nulls(void)
{
	CHECK(phx_mls_is_null("********"));
	CHECK(phx_mls_is_null(" *** "));
	CHECK(phx_mls_is_null("N/A"));
	CHECK(phx_mls_is_null("n/a"));
	CHECK(phx_mls_is_null(""));
	CHECK(phx_mls_is_null(NULL));
	CHECK(!phx_mls_is_null("0"));
	CHECK(!phx_mls_is_null("No"));
	long long v = 7;
	CHECK(phx_mls_int("********", &v) == -1);
	CHECK_INT(v, 7);
}

static void money(void)
{
	long long d = 0;
	int range = -1;
	CHECK(phx_mls_money("$450,000", &d, &range) == 0);
	CHECK_INT(d, 450000);
	CHECK_INT(range, 0);
	CHECK(phx_mls_money("$500,000 - $450,000", &d, &range) == 0);
	CHECK_INT(d, 450000);
	CHECK_INT(range, 1);
	CHECK(phx_mls_money("$289,999.50", &d, &range) == 0);
	CHECK_INT(d, 290000);
	CHECK(phx_mls_money("$289,999.49", &d, &range) == 0);
	CHECK_INT(d, 289999);
	CHECK(phx_mls_money("Call for price", &d, &range) == -1);
	CHECK(phx_mls_money("N/A", &d, &range) == -1);
}

static void numbers(void)
{
	long long v = 0;
	double d = 0;
	CHECK(phx_mls_int("1,850 sqft", &v) == 0);
	CHECK_INT(v, 1850);
	CHECK(phx_mls_int("3BD", &v) == 0);
	CHECK_INT(v, 3);
	CHECK(phx_mls_int("-3", &v) == -1);
	CHECK(phx_mls_baths("2 Full, 1 Half", &d) == 0);
	CHECK(fabs(d - 2.5) < 1e-9);
	CHECK(phx_mls_baths("3 Full", &d) == 0);
	CHECK(fabs(d - 3) < 1e-9);
	CHECK(phx_mls_baths("2.5", &d) == 0);
	CHECK(fabs(d - 2.5) < 1e-9);
	CHECK(phx_mls_baths("2BA", &d) == 0);
	CHECK(fabs(d - 2) < 1e-9);
	CHECK_INT(phx_mls_acres_to_sqft(0.25), 10890);
	CHECK_INT(phx_mls_acres_to_sqft(1.25), 54450);
	CHECK_INT(phx_mls_acres_to_sqft(0.17), 7405);	/* 7405.2 rounded */
	int acres = -1;
	CHECK(phx_mls_lot("0.25 Acres", &v, &acres) == 0);
	CHECK_INT(v, 10890);
	CHECK_INT(acres, 1);
	CHECK(phx_mls_lot("7,205", &v, &acres) == 0);
	CHECK_INT(v, 7205);
	CHECK_INT(acres, 0);
}

static void words(void)
{
	const char *detail = "x";
	CHECK_STR(phx_mls_status("Closed", &detail), "sold");
	CHECK(detail == NULL);
	CHECK_STR(phx_mls_status("Coming Soon", &detail), "coming_soon");
	CHECK_STR(phx_mls_status("UCB (Under Contract-Backups)", &detail), "active");
	CHECK_STR(detail, "UCB");
	CHECK_STR(phx_mls_status("Active CCBS", &detail), "active");
	CHECK_STR(detail, "CCBS");
	CHECK_STR(phx_mls_status("Temp Off Market", &detail), "off_market");
	CHECK_STR(phx_mls_status("Cancelled", &detail), "withdrawn");
	CHECK_STR(phx_mls_status("Expired", &detail), "expired");
	CHECK_STR(phx_mls_status("Pending", &detail), "pending");
	CHECK_STR(phx_mls_status("Activated", &detail), "unknown");
	CHECK_STR(phx_mls_dwelling_type("Single Family - Detached"), "single_family");
	CHECK_STR(phx_mls_dwelling_type("Patio Home"), "townhouse");
	CHECK_STR(phx_mls_dwelling_type("Gemini/Twin Home"), "townhouse");
	CHECK_STR(phx_mls_dwelling_type("Apartment Style/Flat"), "condo");
	CHECK_STR(phx_mls_dwelling_type("Loft Style"), "condo");
	CHECK_STR(phx_mls_dwelling_type("Mfg/Mobile Housing"), "manufactured");
	CHECK_STR(phx_mls_dwelling_type("Modular/Pre-Fab"), "manufactured");
	CHECK(phx_mls_dwelling_type("Castle") == NULL);
	CHECK_INT(phx_mls_yes_no("Yes"), 1);
	CHECK_INT(phx_mls_yes_no("N"), 0);
	CHECK_INT(phx_mls_yes_no("********"), -1);
	CHECK_STR(phx_mls_frequency("Quarterly"), "quarterly");
	CHECK_STR(phx_mls_frequency("Semi-Annually"), "semi_annually");
	char date[11] = "";
	CHECK(phx_mls_date("12/5/2025", date) == 0);
	CHECK_STR(date, "2025-12-05");
	CHECK(phx_mls_date("2/30/2025", date) == -1);
}

static void urls(void)
{
	char id[40] = "";
	CHECK(phx_mls_id_from_url("https://www.phoenixmlssearch.com/mls/5219-W-Glenn-Dr-"
				  "Glendale-AZ-85302-mls_6937912/?p=y&n=y", id, sizeof id) == 0);
	CHECK_STR(id, "6937912");
	CHECK(phx_mls_id_from_url("https://x/mls/a-mls_6937912", id, sizeof id) == 0);
	CHECK(phx_mls_id_from_url("https://x/mls/search/?q=mls_1", id, sizeof id) == -1);
	CHECK(phx_mls_id_from_url("https://x/mls/a-mls_69-37/", id, sizeof id) == -1);
	char *c = phx_mls_canonical_url("https://x/mls/a-mls_1/?p=y#top");
	CHECK_STR(c, "https://x/mls/a-mls_1/");
	free(c);
}

int main(void)
{
	nulls();
	money();
	numbers();
	words();
	urls();
	return unit_done();
}
