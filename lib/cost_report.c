/* cost_report.c - the default view and --remaining, as text and NDJSON
 * (see cost_report.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cost_report.h"
#include "exitcode.h"
#include "jsonpool.h"
#include "timeutil.h"

void phx_cost_emit(phx_buf *out, json_t *j)
{
	/* 10 digits: a percent of one decimal prints as 4.4, not 4.4000000000000004 */
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
	if (s) {
		phx_buf_adds(out, s);
		phx_buf_addc(out, '\n');
	}
	phx_json_free(s);
	json_decref(j);
}

void phx_cost_local_time(time_t t, char out[32])
{
	time_t local = t + PHX_PHOENIX_OFFSET;
	struct tm tm;
	gmtime_r(&local, &tm);
	strftime(out, 32, "%Y-%m-%d %H:%M MST", &tm);
}

static const char *st(const phx_cost_view *v, int i)
{
	return phx_mp_state_name(v->state[i]);
}

static double pct_value(long long used, long long of)
{
	return of > 0 ? (double)((__int128)used * 1000 / of) / 10.0 : 0.0;
}

json_t *phx_cost_groups_json(const phx_cost_groups *g)
{
	json_t *a = json_array();
	for (size_t i = 0; i < g->n; i++)
		json_array_append_new(a, json_pack("{s:s, s:I, s:I}", "key", g->v[i].key,
						   "usd_micros", (json_int_t)g->v[i].usd_micros,
						   "lines", (json_int_t)g->v[i].lines));
	return a;
}

static void report_json(const phx_cost_view *v, phx_buf *out)
{
	const phx_cost_summary *s = &v->s;
	char at[PHX_TIME_LEN];
	phx_time_format(v->at, at);
	json_t *j = json_pack(
		"{s:s, s:s, s:s, s:s, s:I, s:I, s:f, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
		"phx", "cost", "at", at, "month", s->month, "today", s->today,
		"usd_micros", (json_int_t)s->total, "budget_usd_micros", (json_int_t)v->p->budget,
		"used_pct", pct_value(s->total, v->p->budget),
		"remaining_usd_micros", (json_int_t)(v->p->budget - s->total),
		"usage_usd_micros", (json_int_t)s->usage, "fixed_usd_micros", (json_int_t)s->fixed,
		"today_usd_micros", (json_int_t)s->today_total,
		"forecast_usd_micros", (json_int_t)s->forecast,
		"lines", (json_int_t)s->lines, "unpriced_lines", (json_int_t)s->unpriced_lines);
	json_object_set_new(j, "properties",
			    v->properties >= 0 ? json_integer(v->properties) : json_null());
	json_object_set_new(j, "per_property_usd_micros",
			    v->value[PHX_CM_PROPERTY] >= 0 ?
			    json_integer(v->value[PHX_CM_PROPERTY]) : json_null());
	if (v->properties < 0)
		json_object_set_new(j, "properties_note", json_string(v->store_note));
	json_t *states = json_object();
	for (int i = 0; i < PHX_CM_N; i++)
		json_object_set_new(states, phx_cost_metric_name(i), json_string(st(v, i)));
	json_object_set_new(j, "states", states);
	json_object_set_new(j, "state", json_string(phx_mp_state_name(v->worst)));
	json_object_set_new(j, "by_service", phx_cost_groups_json(&s->by_service));
	json_object_set_new(j, "by_category", phx_cost_groups_json(&s->by_category));
	phx_cost_emit(out, j);
}

void phx_cost_groups_text(const char *title, const phx_cost_groups *g, phx_buf *out)
{
	char m[32];
	phx_buf_printf(out, "by %s:\n", title);
	if (g->n == 0)
		phx_buf_adds(out, "  (nothing this month)\n");
	for (size_t i = 0; i < g->n; i++) {
		phx_money_format(g->v[i].usd_micros, m);
		phx_buf_printf(out, "  %-28s %12s  %lld lines\n", g->v[i].key, m, g->v[i].lines);
	}
}

void phx_cost_report(const phx_cost_view *v, int json, phx_buf *out)
{
	const phx_cost_summary *s = &v->s;
	const phx_prices *p = v->p;
	char t[32], a[32], b[32], c[32], d[32], pct[32];
	if (json) {
		report_json(v, out);
		return;
	}
	phx_cost_local_time(v->at, t);
	phx_buf_printf(out, "cost %s (Phoenix), as of %s: %s\n", s->month, t,
		       phx_mp_state_name(v->worst));
	phx_money_format(s->total, a);
	phx_money_format(p->budget, b);
	phx_money_format(p->budget - s->total, c);
	phx_percent(s->total, p->budget, pct);
	phx_buf_printf(out, "  month to date  %s of %s (%s %%), remaining %s  [%s]\n", a, b, pct,
		       c, st(v, PHX_CM_MONTH));
	phx_money_format(s->usage, a);
	phx_money_format(s->fixed, b);
	phx_buf_printf(out, "                 usage %s, fixed fees %s\n", a, b);
	phx_money_format(s->today_total, a);
	phx_money_format(p->day_warn, b);
	phx_money_format(p->day_crit, c);
	phx_buf_printf(out, "  today          %s (daily warning %s, critical %s)  [%s]\n", a, b,
		       c, st(v, PHX_CM_TODAY));
	phx_money_format(s->forecast, a);
	phx_money_format(p->month_warn, b);
	phx_money_format(p->month_crit, c);
	phx_buf_printf(out, "  forecast       %s at month end (warning %s, critical %s)  [%s]\n",
		       a, b, c, st(v, PHX_CM_FORECAST));
	if (v->properties > 0) {
		phx_money_format(v->value[PHX_CM_PROPERTY], a);
		phx_money_format(p->prop_target, b);
		phx_money_format(p->prop_warn, c);
		phx_money_format(p->prop_crit, d);
		phx_buf_printf(out, "  per property   %s over %lld stored properties (target %s, "
			       "warning %s, critical %s)  [%s]\n", a, v->properties, b, c, d,
			       st(v, PHX_CM_PROPERTY));
	} else {
		phx_buf_printf(out, "  per property   unknown (%s)\n",
			       v->properties == 0 ? "the store holds no property" : v->store_note);
	}
	phx_buf_printf(out, "  journal        %lld usage lines this month", s->lines);
	if (s->unpriced_lines)
		phx_buf_printf(out, ", %lld without a price (counted as $0)", s->unpriced_lines);
	phx_buf_adds(out, "\n");
	phx_cost_groups_text("service", &s->by_service, out);
	phx_cost_groups_text("category", &s->by_category, out);
}

/* --- --remaining --------------------------------------------------------- */

static long long clamp0(long long v)
{
	return v < 0 ? 0 : v;
}

void phx_cost_remaining(const phx_cost_view *v, int json, phx_buf *out)
{
	const phx_cost_summary *s = &v->s;
	const phx_prices *p = v->p;
	/* today: up to the daily critical limit, and never past the month's budget */
	long long month_left = clamp0(p->budget - s->total);
	long long today_left = clamp0(p->day_crit - s->today_total);
	if (today_left > month_left)
		today_left = month_left;
	char a[32], b[32], c[32], d[32];
	json_t *units = json_array();
	if (!json) {
		phx_money_format(today_left, a);
		phx_money_format(p->day_crit, b);
		phx_money_format(clamp0(p->day_warn - s->today_total), c);
		phx_buf_printf(out, "remaining today (%s)   %s of the daily critical %s "
			       "(%s before the warning)\n", s->today, a, b, c);
		phx_money_format(month_left, a);
		phx_money_format(p->budget, b);
		phx_money_format(clamp0(p->month_crit - s->total), c);
		phx_money_format(clamp0(p->month_crit - s->forecast), d);
		phx_buf_printf(out, "remaining month (%s)     %s of the budget %s "
			       "(%s before the critical; forecast leaves %s)\n", s->month, a, b, c,
			       d);
		phx_buf_adds(out, "at the prices of today:          today        month\n");
	}
	for (size_t i = 0; i < p->n; i++) {
		const phx_price *u = &p->v[i];
		if (u->kind != PHX_PRICE_UNIT || phx_price_unit(p, u->service, u->what, s->today) != u)
			continue;
		int free_unit = u->usd_micros == 0;
		long long tu = phx_price_units(u, today_left), mu = phx_price_units(u, month_left);
		if (json) {
			json_t *o = json_pack("{s:s, s:s, s:s}", "service", u->service, "what", u->what,
					      "category", u->category);
			json_object_set_new(o, "today", free_unit ? json_null() : json_integer(tu));
			json_object_set_new(o, "month", free_unit ? json_null() : json_integer(mu));
			json_object_set_new(o, "free", json_boolean(free_unit));
			json_array_append_new(units, o);
			continue;
		}
		char name[2 * PHX_COST_WORD + 4];
		snprintf(name, sizeof name, "%s %s", u->service, u->what);
		if (free_unit)
			phx_buf_printf(out, "  %-30s %12s %12s\n", name, "free", "free");
		else
			phx_buf_printf(out, "  %-30s %12lld %12lld\n", name, tu, mu);
	}
	if (!json) {
		json_decref(units);
		return;
	}
	json_t *j = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I}", "phx", "cost-remaining",
			      "month", s->month, "today", s->today,
			      "today_usd_micros", (json_int_t)today_left,
			      "month_usd_micros", (json_int_t)month_left,
			      "month_to_critical_usd_micros", (json_int_t)clamp0(p->month_crit - s->total),
			      "today_to_warning_usd_micros",
			      (json_int_t)clamp0(p->day_warn - s->today_total));
	json_object_set_new(j, "units", units);
	phx_cost_emit(out, j);
}
