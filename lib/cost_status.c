/* cost_status.c - the budget status for phx-health and phx-report.
 *
 * Why a file of its own: the status is the one part of the cost code that
 * other tools call, so its defaults live here, next to the contract in
 * cost.h. phx_cost_status_get brings the ledger up to date from the usage
 * journal (as phx-cost does) and holds month to date, today and the
 * forecast against the limits of the price file. */
#include <stdio.h>
#include <string.h>
#include "cost.h"
#include "cost_ledger.h"
#include "cost_prices.h"
#include "cost_sum.h"
#include "exitcode.h"
#include "log.h"
#include "threshold.h"
#include "timeutil.h"

void phx_cost_status_init(time_t now, phx_cost_status *out)
{
	char date[16];

	memset(out, 0, sizeof *out);
	out->budget_usd_micros = PHX_COST_BUDGET_MICROS;
	out->month_warn_usd_micros = PHX_COST_MONTH_WARN_MICROS;
	out->month_crit_usd_micros = PHX_COST_MONTH_CRIT_MICROS;
	out->day_warn_usd_micros = PHX_COST_DAY_WARN_MICROS;
	out->day_crit_usd_micros = PHX_COST_DAY_CRIT_MICROS;
	out->state = PHX_MP_UNKNOWN;
	phx_phoenix_date(now, date);
	memcpy(out->month, date, 7);
	out->month[7] = '\0';
	snprintf(out->message, sizeof out->message, "cost %s: no spending known", out->month);
}

/* OK, WARNING past warn, CRITICAL past crit ("~:LIMIT" ranges: above alerts). */
static int level(long long v, long long warn, long long crit)
{
	return v > crit ? PHX_MP_CRITICAL : v > warn ? PHX_MP_WARNING : PHX_MP_OK;
}

static void fill(const phx_cost_summary *s, const phx_prices *p, phx_cost_status *out)
{
	char m[32], t[32], f[32], b[32];
	out->month_usd_micros = s->total;
	out->today_usd_micros = s->today_total;
	out->forecast_usd_micros = s->forecast;
	out->budget_usd_micros = p->budget;
	out->month_warn_usd_micros = p->month_warn;
	out->month_crit_usd_micros = p->month_crit;
	out->day_warn_usd_micros = p->day_warn;
	out->day_crit_usd_micros = p->day_crit;
	out->state = phx_mp_worst(level(s->total, p->month_warn, p->month_crit),
				  level(s->forecast, p->month_warn, p->month_crit));
	out->state = phx_mp_worst(out->state, level(s->today_total, p->day_warn, p->day_crit));
	phx_money_format(s->total, m);
	phx_money_format(s->today_total, t);
	phx_money_format(s->forecast, f);
	phx_money_format(p->budget, b);
	snprintf(out->message, sizeof out->message,
		 "cost %s %s: %s of %s, today %s, forecast %s", out->month,
		 phx_mp_state_name(out->state), m, b, t, f);
}

int phx_cost_status_from(const phx_cost_ledger *l, const phx_prices *p, time_t now,
			 phx_cost_status *out)
{
	phx_cost_summary s;
	phx_cost_status_init(now, out);
	phx_cost_summarize(l, p, now, &s);
	fill(&s, p, out);
	phx_cost_summary_free(&s);
	return 0;
}

int phx_cost_status_get(const char *prices, time_t now, phx_cost_status *out)
{
	phx_prices p;
	phx_cost_ledger l;
	phx_cost_status_init(now, out);
	if (phx_prices_load(prices, &p) != 0) {
		snprintf(out->message, sizeof out->message,
			 "cost %s: UNKNOWN, the price file is unusable", out->month);
		return -1;
	}
	if (phx_cost_ledger_update(&p, now, &l) != 0) {
		snprintf(out->message, sizeof out->message,
			 "cost %s: UNKNOWN, the cost ledger cannot be updated", out->month);
		phx_cost_ledger_free(&l);
		phx_prices_free(&p);
		return -1;
	}
	phx_cost_status_from(&l, &p, now, out);
	phx_cost_ledger_free(&l);
	phx_prices_free(&p);
	return 0;
}
