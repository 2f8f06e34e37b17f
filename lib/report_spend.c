/* report_spend.c - money: the cost ledger (phx-cost's, brought up to date
 * from usage.ndjson first) summed per Phoenix day, so the report's day, its
 * month to date and the chart of the last days come from one reading. */
#include <stdio.h>
#include <string.h>
#include "report_int.h"
#include "cost.h"
#include "cost_ledger.h"
#include "cost_prices.h"
#include "cost_sum.h"
#include "timeutil.h"
#include "exitcode.h"
#include "log.h"
#include "threshold.h"

void phx_report_micros(long long v, char *out, size_t n)
{
	const char *sign = v < 0 ? "-" : "";
	unsigned long long a = v < 0 ? (unsigned long long)-(v + 1) + 1 : (unsigned long long)v;
	/* micro-dollars to four decimals, rounded half up */
	unsigned long long t = (a + 50) / 100;
	snprintf(out, n, "%s$%llu.%04llu", sign, t / 10000, t % 10000);
}

void phx_report_dollars(long long v, char *out, size_t n)
{
	char digits[32], grouped[48];
	unsigned long long a = v < 0 ? (unsigned long long)-(v + 1) + 1 : (unsigned long long)v;
	size_t len, j = 0;

	snprintf(digits, sizeof digits, "%llu", a);
	len = strlen(digits);
	for (size_t i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			grouped[j++] = ',';
		grouped[j++] = digits[i];
	}
	grouped[j] = '\0';
	snprintf(out, n, "%s$%s", v < 0 ? "-" : "", grouped);
}

/* The day's spend (usage and its share of the fixed fees) and the month to
 * date as they stood at the end of the Phoenix day of t, or now if sooner. */
static void day_spend(const phx_cost_ledger *l, const phx_prices *p, time_t t, time_t now,
		      long long *day, long long *month)
{
	phx_cost_summary s;
	time_t end = phx_phoenix_day_start(t) + 86400 - 1;

	phx_cost_summarize(l, p, end < now ? end : now, &s);
	*day = s.today_total;
	if (month)
		*month = s.total;
	phx_cost_summary_free(&s);
}

void phx_report_spend(phx_report_ctx *c, json_t *model, json_t *history)
{
	phx_prices p;
	phx_cost_ledger l;
	phx_cost_status st;
	long long day = 0, month = 0;
	size_t i;
	json_t *e;

	phx_cost_ledger_init(&l);
	phx_cost_status_init(c->now, &st);
	if (phx_prices_load(c->prices, &p) != 0) {
		json_object_set_new(model, "spend", json_pack("{s:s, s:s}", "state", "UNKNOWN",
							      "error", "the price file is unusable"));
		c->worst = phx_exit_worst(c->worst, PHX_EX_CONFIG);
		return;
	}
	if (phx_cost_ledger_update(&p, c->now, &l) != 0) {
		json_object_set_new(model, "spend", json_pack("{s:s, s:s}", "state", "UNKNOWN",
							      "error", "the cost ledger cannot be updated"));
		c->worst = phx_exit_worst(c->worst, PHX_EX_IOERR);
		phx_cost_ledger_free(&l);
		phx_prices_free(&p);
		return;
	}
	phx_cost_status_from(&l, &p, c->now, &st);
	day_spend(&l, &p, c->day_start, c->now, &day, &month);
	json_object_set_new(model, "spend",
			    json_pack("{s:I, s:I, s:I, s:I, s:s, s:s}",
				      "day_usd_micros", (json_int_t)day,
				      "month_usd_micros",
				      (json_int_t)month,
				      "forecast_usd_micros", (json_int_t)st.forecast_usd_micros,
				      "budget_usd_micros", (json_int_t)st.budget_usd_micros,
				      "state", phx_mp_state_name(st.state), "message", st.message));
	json_array_foreach(history, i, e) {
		int y, m, d;
		long long v = 0;
		if (phx_date_parse(phx_jstr(e, "date"), &y, &m, &d) == 0 &&
		    phx_phoenix_midnight(y, m, d) <= c->now)
			day_spend(&l, &p, phx_phoenix_midnight(y, m, d), c->now, &v, NULL);
		json_object_set_new(e, "spend_usd_micros", json_integer(v));
	}
	phx_cost_ledger_free(&l);
	phx_prices_free(&p);
}
