/* test_cost.c - the budget status: its defaults and Phoenix month, and
 * phx_cost_status_get over a real state directory with a journal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
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

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void defaults(void)
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
}

int main(void)
{
	char dir[] = "/tmp/phx-test-cost-XXXXXX", path[256], prices[256];
	phx_cost_status s;

	defaults();
	if (!mkdtemp(dir))
		return 1;
	setenv("PHX_STATE_DIR", dir, 1);
	snprintf(prices, sizeof prices, "%s/prices.conf", dir);
	snprintf(path, sizeof path, "%s/usage.ndjson", dir);
	/* a 31.00 plan over 31 days: 1.00 a day; 1 cent per request */
	write_file(prices, "fixed plan base 31.00 from 2026-01-01 category plan\n"
			   "unit api http_request 0.01 per 1 from 2026-01-01\n");
	/* no journal yet: the fixed fee alone, and the state is known */
	CHECK_INT(phx_cost_status_get(prices, at("2026-12-06T11:00:00Z"), &s), 0);
	CHECK_INT(s.month_usd_micros, 6000000LL);
	CHECK_INT(s.today_usd_micros, 1000000LL);
	CHECK_INT(s.forecast_usd_micros, 31000000LL);
	CHECK_INT(s.state, PHX_MP_CRITICAL);	/* the forecast passes 23.75 */
	CHECK(strstr(s.message, "CRITICAL") != NULL);
	write_file(prices, "fixed plan base 3.10 from 2026-01-01 category plan\n"
			   "unit api http_request 0.01 per 1 from 2026-01-01\n");
	write_file(path,
		   "{\"phx\":\"usage\",\"tool\":\"t\",\"at\":\"2026-12-06T10:00:00Z\","
		   "\"service\":\"api\",\"what\":\"http_request\",\"qty\":1}\n"
		   "{\"phx\":\"usage\",\"tool\":\"t\",\"at\":\"2026-12-06T06:59:59Z\","
		   "\"service\":\"api\",\"what\":\"http_request\",\"qty\":2}\n");
	CHECK_INT(phx_cost_status_get(prices, at("2026-12-06T11:00:00Z"), &s), 0);
	/* 6 days of 0.10 plus 3 requests; only the first is today in Phoenix */
	CHECK_INT(s.month_usd_micros, 630000LL);
	CHECK_INT(s.today_usd_micros, 110000LL);
	CHECK_INT(s.state, PHX_MP_OK);
	/* twice: the journal is not counted again */
	CHECK_INT(phx_cost_status_get(prices, at("2026-12-06T11:00:00Z"), &s), 0);
	CHECK_INT(s.month_usd_micros, 630000LL);
	/* a broken price file: an error and UNKNOWN, never a figure */
	write_file(prices, "unit api http_request cheap\n");
	CHECK_INT(phx_cost_status_get(prices, at("2026-12-06T11:00:00Z"), &s), -1);
	CHECK_INT(s.state, PHX_MP_UNKNOWN);
	CHECK(strstr(s.message, "UNKNOWN") != NULL);
	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return unit_done();
}
