/* cost_check.c - the budget gate for cron lines and the Monitoring Plugins
 * check (see cost_check.h). */
#include <stdio.h>
#include <string.h>
#include "cost_check.h"
#include "exitcode.h"
#include "log.h"

int phx_cost_gate(const phx_cost_view *v)
{
	const phx_cost_summary *s = &v->s;
	const phx_prices *p = v->p;
	struct {
		const char *what;
		long long value, limit;
	} past[] = {
		{ "month to date", s->total, p->month_crit },
		{ "forecast month-end spend", s->forecast, p->month_crit },
		{ "today", s->today_total, p->day_crit },
	};
	char why[512] = "", a[32], b[32];
	size_t n = 0;
	for (size_t i = 0; i < sizeof past / sizeof *past; i++) {
		if (past[i].value <= past[i].limit)
			continue;
		phx_money_format(past[i].value, a);
		phx_money_format(past[i].limit, b);
		n += (size_t)snprintf(why + n, n < sizeof why ? sizeof why - n : 0, "%s%s %s > %s",
				      n ? ", " : "", past[i].what, a, b);
		if (n >= sizeof why)
			n = sizeof why - 1;
	}
	if (!why[0])
		return 0;
	phx_err("gate closed for %s: %s (critical): collection paused", s->month, why);
	return PHX_EX_TEMPFAIL;
}

int phx_cost_check(const phx_cost_view *v, phx_buf *out)
{
	const phx_cost_summary *s = &v->s;
	phx_buf perf = PHX_BUF_INIT;
	char m[32], b[32], t[32], f[32], pct[32];
	double budget = (double)v->p->budget / 1e6;
	for (int i = 0; i < PHX_CM_N; i++) {
		if (v->value[i] < 0)
			continue;
		int bounded = i == PHX_CM_MONTH || i == PHX_CM_FORECAST;
		phx_perfdata_add(&perf, phx_cost_metric_name(i), (double)v->value[i] / 1e6, NULL,
				 &v->warn[i], &v->crit[i], 1, 0, bounded, budget);
	}
	phx_money_format(s->total, m);
	phx_money_format(v->p->budget, b);
	phx_money_format(s->today_total, t);
	phx_money_format(s->forecast, f);
	phx_percent(s->total, v->p->budget, pct);
	phx_buf_printf(out, "COST %s - %s: %s of %s (%s %%), today %s, forecast %s | %s\n",
		       phx_mp_state_name(v->worst), s->month, m, b, pct, t, f, perf.data);
	for (int i = 0; i < PHX_CM_N; i++) {
		const char *name = phx_cost_metric_name(i);
		if (v->value[i] < 0) {
			phx_buf_printf(out, "%s: unknown (%s)\n", name, v->store_note);
			continue;
		}
		phx_money_format(v->value[i], m);
		phx_buf_printf(out, "%s: %s %s (warning %s, critical %s)\n", name,
			       phx_mp_state_name(v->state[i]), m, v->warn[i].set ? v->warn[i].text : "-",
			       v->crit[i].set ? v->crit[i].text : "-");
	}
	phx_buf_free(&perf);
	return v->worst;
}
