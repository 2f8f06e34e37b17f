/* health_budget.c - the budget check: month-to-date, today's and the
 * forecast month-end spend against the runbook's limits, from the same
 * ledger phx-cost keeps (cost.h), so both tools say the same figures.
 *
 * The whole check runs in setup(): bringing the ledger up to date reads
 * local files only, and it may log, which only the main thread may do. */
#include "health_checks.h"
#include "cost.h"
#include "exitcode.h"

const phx_health_metric_def phx_health_budget_metrics[] = {
	{ "budget.month", "", "~:20", "~:23.75", "month-to-date spend" },
	{ "budget.today", "", "~:0.80", "~:1.00", "today's spend (Phoenix day)" },
	{ "budget.forecast", "", "~:20", "~:23.75", "forecast month-end spend" },
	{ NULL, NULL, NULL, NULL, NULL }
};

static double usd(long long micros)
{
	return (double)micros / 1e6;
}

int phx_health_budget_setup(phx_health_check *c, phx_health_ctx *ctx)
{
	phx_cost_status st;

	c->r.next_step = "runbook 'Budget Exceeded': pause collection (phx-cost --gate in the "
			 "crontab does it), phx-cost --detailed to find the spender, "
			 "phx-cost --recommend for savings";
	if (phx_cost_status_get(NULL, ctx->now, &st) != 0) {
		phx_health_set(&c->r, PHX_MP_UNKNOWN, "the cost ledger cannot be read or updated");
		return 1;
	}
	double budget = usd(st.budget_usd_micros);
	phx_health_value_add_mm(c, ctx, "budget.month", usd(st.month_usd_micros), 0, 1, budget);
	phx_health_value_add_mm(c, ctx, "budget.today", usd(st.today_usd_micros), 0, 0, 0);
	phx_health_value_add_mm(c, ctx, "budget.forecast", usd(st.forecast_usd_micros), 0, 1,
				budget);
	/* the state comes from the ranges above, so -w/-c can move the limits */
	phx_health_set(&c->r, PHX_MP_OK, "%s", st.message);
	phx_health_detail(&c->r, "%s: $%.2f of $%.2f spent, today $%.2f, forecast $%.2f",
			  st.month, usd(st.month_usd_micros), budget, usd(st.today_usd_micros),
			  usd(st.forecast_usd_micros));
	return 1;
}

void phx_health_budget_run(phx_health_check *c, phx_health_ctx *ctx)
{
	(void)c, (void)ctx;	/* all done in setup() */
}

void phx_health_budget_cleanup(phx_health_check *c)
{
	(void)c;
}
