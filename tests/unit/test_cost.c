/* test_cost.c - the budget status: its defaults and Phoenix month, and
 * phx_cost_status_get over a real state directory with a journal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "unit.h"
#include "cost.h"
#include "cost_check.h"
#include "cost_view.h"
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

/* phx-cost's view: money and percent formats, ranges from the limits and
 * -w/-c overrides, the states, the gate. */
static void view(void)
{
	char m[32];
	phx_money_plain(23750000, m);
	CHECK_STR(m, "23.75");
	phx_money_plain(5000, m);
	CHECK_STR(m, "0.005");
	phx_money_plain(20000000, m);
	CHECK_STR(m, "20");
	phx_money_plain(-1, m);
	CHECK_STR(m, "-0.000001");
	phx_percent(3450000, 25000000, m);
	CHECK_STR(m, "13.8");
	phx_percent(1, 0, m);
	CHECK_STR(m, "-");

	phx_prices p;
	phx_cost_ledger l;
	phx_cost_view v;
	phx_cost_usage u;
	char err[256];
	const char *text = "unit api http_request 0.01 per 1 from 2026-01-01\n";
	CHECK_INT(phx_prices_parse(text, strlen(text), "t", &p, err, sizeof err), 0);
	memset(&v, 0, sizeof v);
	phx_cost_view_ranges(&v, &p);
	CHECK_STR(v.warn[PHX_CM_MONTH].text, "~:20");
	CHECK_STR(v.crit[PHX_CM_TODAY].text, "~:1");
	CHECK_STR(v.crit[PHX_CM_PROPERTY].text, "~:0.02");
	CHECK_INT(phx_cost_view_override(&v, "today=0.5", 0, err, sizeof err), 0);
	CHECK_STR(v.warn[PHX_CM_TODAY].text, "0.5");
	CHECK_INT(phx_cost_view_override(&v, "30", 1, err, sizeof err), 0);
	CHECK_STR(v.crit[PHX_CM_MONTH].text, "30");
	CHECK_STR(v.crit[PHX_CM_FORECAST].text, "30");
	CHECK_INT(phx_cost_view_override(&v, "nope=1", 0, err, sizeof err), -1);
	CHECK(strstr(err, "nope") != NULL);
	CHECK_INT(phx_cost_view_override(&v, "month=x", 0, err, sizeof err), -1);

	/* 60 requests today (0.60): above the -w today=0.5 just set */
	phx_cost_ledger_init(&l);
	const char *line = "{\"phx\":\"usage\",\"at\":\"2026-12-06T18:00:00Z\","
			   "\"service\":\"api\",\"what\":\"http_request\",\"qty\":60}";
	CHECK_INT(phx_cost_usage_parse(line, strlen(line), NULL, &u, err, sizeof err), 0);
	phx_cost_ledger_add(&l, &u);
	phx_cost_ledger_price(&l, &p, "");
	phx_cost_view_compute(&v, &l, &p, at("2026-12-06T19:00:00Z"), -1);
	CHECK_INT(v.value[PHX_CM_MONTH], 600000);
	CHECK_INT(v.state[PHX_CM_TODAY], PHX_MP_WARNING);
	CHECK_INT(v.state[PHX_CM_PROPERTY], PHX_MP_UNKNOWN);
	CHECK_INT(v.value[PHX_CM_PROPERTY], -1);
	CHECK_INT(phx_cost_gate(&v), 0);	/* 0.60 today, forecast far below 23.75 */
	phx_cost_view_free(&v);
	/* 100 properties: 0.006 each, below the warning 0.010 */
	phx_cost_view_compute(&v, &l, &p, at("2026-12-06T19:00:00Z"), 100);
	CHECK_INT(v.value[PHX_CM_PROPERTY], 6000);
	CHECK_INT(v.state[PHX_CM_PROPERTY], PHX_MP_OK);
	phx_cost_view_free(&v);
	/* 50 more today: 1.10 is past the daily critical, the gate closes */
	u.qty = 50;
	phx_cost_ledger_add(&l, &u);
	phx_cost_ledger_price(&l, &p, "");
	phx_cost_view_compute(&v, &l, &p, at("2026-12-06T19:00:00Z"), -1);
	CHECK_INT(phx_cost_gate(&v), PHX_EX_TEMPFAIL);
	phx_cost_view_free(&v);
	phx_cost_ledger_free(&l);
	phx_prices_free(&p);
}

/* The fast reader of compact lines never counts a line the full parser
 * would not count, nor counts it differently: every line it takes, the
 * full parser takes with the same result. Checked over typical lines and
 * every one-byte change of them. */
static int same_verdict(const char *line, size_t n, int *fast_taken)
{
	phx_cost_usage a, b;
	char why[256];
	int fast = phx_cost_fastline(line, n, NULL, &a);
	int slow = phx_cost_usage_parse(line, n, NULL, &b, why, sizeof why);
	*fast_taken += fast == 1;
	if (fast != 1)
		return 1;
	if (slow == 0 && memcmp(&a, &b, sizeof a) == 0)
		return 1;
	fprintf(stderr, "# the fast reader differs (%s) on: %.*s\n", slow ? why : "values",
		(int)n, line);
	return 0;
}

static void fastline(void)
{
	static const char *const lines[] = {
		"{\"phx\":\"usage\",\"tool\":\"phx-fetch\",\"at\":\"2026-12-01T03:00:00Z\","
		"\"service\":\"mcassessor.maricopa.gov\",\"what\":\"http_request\",\"qty\":1,"
		"\"run\":\"r1\",\"host\":\"h\",\"bytes\":4096,\"status\":304,\"proxy\":null}",
		"{\"phx\":\"usage\",\"tool\":\"phx-fetch\",\"at\":\"2026-12-05T12:00:00Z\","
		"\"service\":\"webshare\",\"what\":\"proxy_bytes\",\"qty\":48213,\"proxy\":\"p1\"}",
		"{\"phx\":\"usage\",\"at\":\"2026-12-05T12:00:00+05:00\",\"service\":\"a\","
		"\"what\":\"b\",\"qty\":0,\"status\":500,\"changed\":false,\"zip\":\"85031\","
		"\"source\":\"maricopa\",\"tool\":null}",
		"{\"phx\":\"usage\",\"at\":\"2026-12-05T12:00:00Z\",\"service\":\"llm\","
		"\"what\":\"tokens_in\",\"qty\":-0,\"status\":0,\"changed\":true}",
	};
	static const char repl[] = { ' ', '"', '\\', '0', '9', '-', '}', '{', ',', ':', 'x', '.',
				     'e', '\x80', '\0', 'n' };
	int ok = 1, taken = 0, base = 0;
	char buf[512];
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
		size_t n = strlen(lines[i]);
		ok &= same_verdict(lines[i], n, &base);
		for (size_t p = 0; p < n; p++)
			for (size_t r = 0; r < sizeof repl; r++) {
				memcpy(buf, lines[i], n);
				buf[p] = repl[r];
				ok &= same_verdict(buf, n, &taken);
				/* the byte dropped, and doubled */
				memcpy(buf, lines[i], p);
				memcpy(buf + p, lines[i] + p + 1, n - p - 1);
				ok &= same_verdict(buf, n - 1, &taken);
				memcpy(buf, lines[i], p + 1);
				memcpy(buf + p + 1, lines[i] + p, n - p);
				ok &= same_verdict(buf, n + 1, &taken);
			}
	}
	CHECK(ok);
	CHECK_INT(base, 4);		/* each typical line takes the fast way */
	CHECK(taken > 1000);		/* and many of their variants */
}

int main(void)
{
	char dir[] = "/tmp/phx-test-cost-XXXXXX", path[256], prices[256];
	phx_cost_status s;

	defaults();
	view();
	fastline();
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
