/* cost_detail.c - --detailed and --monthly-report (see cost_report.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cost_report.h"
#include "exitcode.h"
#include "timeutil.h"

#define FIXED_ROW "(fixed fees)"

enum { BY_TOOL, BY_SOURCE, BY_ZIP, BY_DAY, BY_N };
static const char *const by_names[BY_N] = { "tool", "source", "zip", "day" };

struct detail {
	phx_cost_groups g[BY_N];
};

static const char *or_dash(const char *s)
{
	return s[0] ? s : "-";
}

static void collect(const phx_cost_view *v, const phx_cost_ledger *l, struct detail *d)
{
	const phx_cost_summary *s = &v->s;
	memset(d, 0, sizeof *d);
	for (size_t i = 0; i < l->n; i++) {
		const phx_cost_bucket *b = &l->b[i];
		if (!phx_cost_in_month(s, b))
			continue;
		const char *keys[BY_N] = { or_dash(b->k.tool), or_dash(b->k.source),
					   or_dash(b->k.zip), b->k.day };
		for (int k = 0; k < BY_N; k++)
			phx_cost_groups_add(&d->g[k], keys[k], b->usd_micros, b->qty, b->lines,
					    b->bytes);
	}
	for (int day = 1; day <= s->d; day++) {
		long long f = phx_prices_fixed_day(v->p, s->y, s->m, day, NULL, NULL);
		char key[48];
		snprintf(key, sizeof key, "%04d-%02d-%02d", s->y, s->m, day);
		/* every day of the month so far has a row, spending or not */
		phx_cost_groups_add(&d->g[BY_DAY], key, f, 0, 0, 0);
		for (int k = 0; k < BY_DAY; k++)
			if (f)
				phx_cost_groups_add(&d->g[k], FIXED_ROW, f, 0, 0, 0);
	}
	for (int k = 0; k < BY_DAY; k++)
		phx_cost_groups_sort(&d->g[k]);
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const phx_cost_group *)a)->key, ((const phx_cost_group *)b)->key);
}

static void free_detail(struct detail *d)
{
	for (int k = 0; k < BY_N; k++)
		phx_cost_groups_free(&d->g[k]);
}

void phx_cost_detailed(const phx_cost_view *v, const phx_cost_ledger *l, int json,
		       phx_buf *out)
{
	struct detail d;
	char m[32];
	collect(v, l, &d);
	if (d.g[BY_DAY].n)
		qsort(d.g[BY_DAY].v, d.g[BY_DAY].n, sizeof *d.g[BY_DAY].v, by_key);
	if (!json) {
		phx_money_format(v->s.total, m);
		phx_buf_printf(out, "cost %s (Phoenix) up to %s: %s\n", v->s.month, v->s.today, m);
	}
	for (int k = 0; k < BY_N; k++) {
		if (!json) {
			phx_cost_groups_text(by_names[k], &d.g[k], out);
			continue;
		}
		for (size_t i = 0; i < d.g[k].n; i++) {
			const phx_cost_group *e = &d.g[k].v[i];
			phx_cost_emit(out, json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I}",
						     "phx", "cost-group", "month", v->s.month,
						     "by", by_names[k], "key", e->key,
						     "usd_micros", (json_int_t)e->usd_micros,
						     "lines", (json_int_t)e->lines,
						     "bytes", (json_int_t)e->bytes));
		}
	}
	free_detail(&d);
}

void phx_cost_monthly(const phx_cost_view *v, const phx_cost_ledger *l, int json,
		      phx_buf *out)
{
	const phx_cost_summary *s = &v->s;
	const phx_prices *p = v->p;
	struct detail d;
	collect(v, l, &d);
	phx_cost_groups *days = &d.g[BY_DAY];
	if (days->n)
		qsort(days->v, days->n, sizeof *days->v, by_key);
	long long over_warn = 0, over_crit = 0;
	const phx_cost_group *max = NULL;
	for (size_t i = 0; i < days->n; i++) {
		over_warn += days->v[i].usd_micros > p->day_warn;
		over_crit += days->v[i].usd_micros > p->day_crit;
		if (!max || days->v[i].usd_micros > max->usd_micros)
			max = &days->v[i];
	}
	char a[32], b[32], c[32], pct[32];
	if (json) {
		json_t *j = json_pack("{s:s, s:s, s:b, s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
				      "s:s, s:I, s:I}",
				      "phx", "cost-month", "month", s->month, "complete", s->complete,
				      "days", s->d, "usd_micros", (json_int_t)s->total,
				      "usage_usd_micros", (json_int_t)s->usage,
				      "fixed_usd_micros", (json_int_t)s->fixed,
				      "budget_usd_micros", (json_int_t)p->budget,
				      "remaining_usd_micros", (json_int_t)(p->budget - s->total),
				      "forecast_usd_micros", (json_int_t)s->forecast,
				      "lines", (json_int_t)s->lines,
				      "state", phx_mp_state_name(phx_mp_worst(v->state[PHX_CM_MONTH],
									      v->state[PHX_CM_FORECAST])),
				      "days_over_warning", (json_int_t)over_warn,
				      "days_over_critical", (json_int_t)over_crit);
		json_object_set_new(j, "properties",
				    v->properties >= 0 ? json_integer(v->properties) : json_null());
		json_object_set_new(j, "per_property_usd_micros",
				    v->value[PHX_CM_PROPERTY] >= 0 ?
				    json_integer(v->value[PHX_CM_PROPERTY]) : json_null());
		json_object_set_new(j, "by_service", phx_cost_groups_json(&s->by_service));
		json_object_set_new(j, "by_category", phx_cost_groups_json(&s->by_category));
		for (int k = 0; k < BY_N; k++) {
			char key[16];
			snprintf(key, sizeof key, "by_%s", by_names[k]);
			json_object_set_new(j, key, phx_cost_groups_json(&d.g[k]));
		}
		phx_cost_emit(out, j);
		free_detail(&d);
		return;
	}
	phx_money_format(s->total, a);
	phx_money_format(p->budget, b);
	phx_percent(s->total, p->budget, pct);
	phx_buf_printf(out, "monthly cost report %s (Phoenix)%s\n", s->month,
		       s->complete ? "" : ", month not over yet");
	phx_buf_printf(out, "  spent          %s of %s (%s %%)  [%s]\n", a, b, pct,
		       phx_mp_state_name(v->state[PHX_CM_MONTH]));
	phx_money_format(s->usage, a);
	phx_money_format(s->fixed, b);
	phx_buf_printf(out, "  usage          %s, fixed fees %s, %lld usage lines\n", a, b,
		       s->lines);
	if (!s->complete) {
		phx_money_format(s->forecast, a);
		phx_buf_printf(out, "  forecast       %s at month end  [%s]\n", a,
			       phx_mp_state_name(v->state[PHX_CM_FORECAST]));
	}
	if (v->properties > 0) {
		phx_money_format(v->value[PHX_CM_PROPERTY], a);
		phx_buf_printf(out, "  per property   %s over %lld stored properties  [%s]\n", a,
			       v->properties, phx_mp_state_name(v->state[PHX_CM_PROPERTY]));
	} else {
		phx_buf_printf(out, "  per property   unknown (%s)\n",
			       v->properties == 0 ? "the store holds no property" : v->store_note);
	}
	phx_money_format(p->day_warn, a);
	phx_money_format(p->day_crit, b);
	phx_buf_printf(out, "  days           %d, %lld over the daily warning %s, %lld over the "
		       "critical %s\n", s->d, over_warn, a, over_crit, b);
	if (max) {
		phx_money_format(max->usd_micros, c);
		phx_buf_printf(out, "  dearest day    %s %s\n", max->key, c);
	}
	phx_cost_groups_text("service", &s->by_service, out);
	phx_cost_groups_text("category", &s->by_category, out);
	for (int k = 0; k < BY_N; k++)
		phx_cost_groups_text(by_names[k], &d.g[k], out);
	free_detail(&d);
}
