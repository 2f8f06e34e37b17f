/* cost.h - the budget status that phx-health and phx-report read.
 *
 * Money is kept in integer micro-dollars (1 USD = 1000000) so that sums over
 * millions of journal lines are exact. Months and days are Phoenix time
 * (America/Phoenix, UTC-7, see timeutil.h). */
#ifndef PHX_COST_H
#define PHX_COST_H
#include <time.h>

#define PHX_COST_BUDGET_MICROS 25000000LL     /* 25.00 USD a month */
#define PHX_COST_MONTH_WARN_MICROS 20000000LL /* 80 % of the budget */
#define PHX_COST_MONTH_CRIT_MICROS 23750000LL /* 95 % of the budget */
#define PHX_COST_DAY_WARN_MICROS 800000LL     /* 0.80 USD a day */
#define PHX_COST_DAY_CRIT_MICROS 1000000LL    /* 1.00 USD a day */

typedef struct phx_cost_status {
	long long month_usd_micros, today_usd_micros, forecast_usd_micros;
	long long budget_usd_micros;			 /* 25000000 by default */
	long long month_warn_usd_micros, month_crit_usd_micros; /* 20.00 / 23.75 */
	long long day_warn_usd_micros, day_crit_usd_micros;	 /* 0.80 / 1.00 */
	int state;	     /* PHX_MP_* worst of actual and forecast */
	char month[8];	     /* "2026-12", Phoenix month */
	char message[256];   /* one line for people */
} phx_cost_status;

/* The status before any spending is known: zero spend, the default budget and
 * limits, the Phoenix month of now, state PHX_MP_UNKNOWN. */
void phx_cost_status_init(time_t now, phx_cost_status *out);

/* Update the ledger from the usage journal, then the status at now.
   0, or -1 with the error logged. prices NULL = the configured price file. */
int phx_cost_status_get(const char *prices, time_t now, phx_cost_status *out);

struct phx_cost_ledger;
struct phx_prices;
/* The status at now from a ledger already up to date (phx-cost's own path). */
int phx_cost_status_from(const struct phx_cost_ledger *l, const struct phx_prices *p,
			 time_t now, phx_cost_status *out);

#endif
