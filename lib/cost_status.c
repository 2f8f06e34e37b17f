/* cost_status.c - the budget status for phx-health and phx-report.
 *
 * Why a file of its own: the status is the one part of the cost code that
 * other tools call, so its defaults live here, next to the contract in
 * cost.h. The ledger that fills it in (price file, journal reader) is not
 * written yet: phx_cost_status_get says so and fails, so callers report
 * UNKNOWN instead of a made-up figure. */
#include <stdio.h>
#include <string.h>
#include "cost.h"
#include "exitcode.h"
#include "log.h"
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

int phx_cost_status_get(const char *prices, time_t now, phx_cost_status *out)
{
	(void)prices;
	phx_cost_status_init(now, out);
	snprintf(out->message, sizeof out->message,
		 "cost %s: UNKNOWN, the cost ledger is not built yet", out->month);
	phx_err("cost: no ledger: phx-cost is not built yet");
	return -1;
}
