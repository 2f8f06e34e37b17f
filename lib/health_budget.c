/* health_budget.c - the budget check: month-to-date, today's and the
 * forecast spend from the cost ledger (cost.h, the code phx-cost uses),
 * against the runbook's limits (month 20.00 / 23.75 USD, day 0.80 / 1.00).
 *
 * phx_cost_status_get() reads the price file and updates the ledger from
 * the usage journal; it logs and reads the config, which are not
 * thread-safe, so it runs in setup() (local files only, no network). The
 * cost code's own state is a floor: limits changed in the price file still
 * count, and -w/-c on budget.* can only make the check stricter. */
#include "health_checks.h"
#include "cost.h"
#include "exitcode.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

const phx_health_metric_def phx_health_budget_metrics[] = {
	{ "budget.month", "", "~:20", "~:23.75", "USD spent this Phoenix month" },
	{ "budget.today", "", "~:0.8", "~:1", "USD spent this Phoenix day" },
	{ "budget.forecast", "", "~:25", NULL, "USD the month will cost at this pace" },
	{ NULL, NULL, NULL, NULL, NULL }
};

int phx_health_budget_setup(phx_health_check *c, phx_health_ctx *ctx)
{
	phx_cost_status *s = phx_xcalloc(1, sizeof *s);

	c->data = s;
	c->r.next_step = "runbook 'Budget': phx-cost --json for where the money goes; stop "
			 "or slow the collection (touch $PHX_STATE_DIR/STOP), check the proxy "
			 "plan and the LLM token use";
	if (phx_cost_status_get(NULL, ctx->now, s) != 0) {
		phx_health_set(&c->r, PHX_MP_UNKNOWN, "%s", s->message);
		return 1;
	}
	return 0;
}

static double usd(long long micros)
{
	return (double)micros / 1e6;
}

void phx_health_budget_run(phx_health_check *c, phx_health_ctx *ctx)
{
	const phx_cost_status *s = c->data;
	double budget = usd(s->budget_usd_micros);

	phx_health_value_add_mm(c, ctx, "budget.month", usd(s->month_usd_micros), 0, 1, budget);
	phx_health_value_add(c, ctx, "budget.today", usd(s->today_usd_micros));
	phx_health_value_add_mm(c, ctx, "budget.forecast", usd(s->forecast_usd_micros), 0, 1,
				budget);
	phx_health_set(&c->r, s->state == PHX_MP_UNKNOWN ? PHX_MP_OK : s->state, "%s",
		       s->message);
}

void phx_health_budget_cleanup(phx_health_check *c)
{
	free(c->data);
	c->data = NULL;
}
