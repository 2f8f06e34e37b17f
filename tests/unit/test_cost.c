/* test_cost.c - the budget status defaults and its Phoenix month. */
#include <string.h>
#include <time.h>
#include "unit.h"
#include "cost.h"
#include "exitcode.h"
#include "timeutil.h"

static time_t at(const char *s)
{
	time_t t = 0;
	phx_time_parse(s, &t);
	return t;
}

int main(void)
{
	phx_cost_status s;

	phx_cost_status_init(at("2026-12-06T11:00:00Z"), &s);
	CHECK_STR(s.month, "2026-12");
	CHECK_INT(s.budget_usd_micros, 25000000LL);
	CHECK_INT(s.month_warn_usd_micros, 20000000LL);
	CHECK_INT(s.month_crit_usd_micros, 23750000LL);
	CHECK_INT(s.day_warn_usd_micros, 800000LL);
	CHECK_INT(s.day_crit_usd_micros, 1000000LL);
	CHECK_INT(s.month_usd_micros, 0);
	CHECK_INT(s.state, PHX_MP_UNKNOWN);
	/* 03:00 UTC on the 1st is still the previous month in Phoenix */
	phx_cost_status_init(at("2027-01-01T03:00:00Z"), &s);
	CHECK_STR(s.month, "2026-12");
	phx_cost_status_init(at("2027-01-01T07:00:00Z"), &s);
	CHECK_STR(s.month, "2027-01");
	/* without a ledger the status is an error and UNKNOWN, never a figure */
	CHECK_INT(phx_cost_status_get(NULL, at("2026-12-06T11:00:00Z"), &s), -1);
	CHECK_INT(s.state, PHX_MP_UNKNOWN);
	CHECK(strstr(s.message, "not built") != NULL);
	return unit_done();
}
