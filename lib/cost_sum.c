/* cost_sum.c - adding up the ledger for a month (see cost_sum.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cost_sum.h"
#include "timeutil.h"
#include "xalloc.h"

void phx_cost_groups_add(phx_cost_groups *g, const char *key, long long usd, long long qty,
			 long long lines, long long bytes)
{
	phx_cost_group *e = NULL;
	for (size_t i = 0; i < g->n && !e; i++)
		if (strcmp(g->v[i].key, key) == 0)
			e = &g->v[i];
	if (!e) {
		if (g->n == g->cap) {
			g->cap = g->cap ? g->cap * 2 : 16;
			g->v = phx_xrealloc(g->v, g->cap * sizeof *g->v);
		}
		e = &g->v[g->n++];
		memset(e, 0, sizeof *e);
		snprintf(e->key, sizeof e->key, "%s", key);
	}
	e->usd_micros = phx_cost_add(e->usd_micros, usd);
	e->qty = phx_cost_add(e->qty, qty);
	e->lines = phx_cost_add(e->lines, lines);
	e->bytes = phx_cost_add(e->bytes, bytes);
}

static int by_cost(const void *a, const void *b)
{
	const phx_cost_group *x = a, *y = b;
	if (x->usd_micros != y->usd_micros)
		return x->usd_micros < y->usd_micros ? 1 : -1;
	return strcmp(x->key, y->key);
}

void phx_cost_groups_sort(phx_cost_groups *g)
{
	if (g->n)
		qsort(g->v, g->n, sizeof *g->v, by_cost);
}

void phx_cost_groups_free(phx_cost_groups *g)
{
	free(g->v);
	memset(g, 0, sizeof *g);
}

int phx_cost_in_month(const phx_cost_summary *s, const phx_cost_bucket *b)
{
	return memcmp(b->k.day, s->month, 7) == 0 && b->k.day[7] == '-' &&
	       strcmp(b->k.day, s->today) <= 0;
}

struct fixed_ctx {
	phx_cost_summary *s;
	int count;	/* add to the groups (days up to today) */
};

static void fixed_each(const phx_price *pr, long long share, void *ctx)
{
	struct fixed_ctx *c = ctx;
	if (!c->count)
		return;
	phx_cost_groups_add(&c->s->by_service, pr->service, share, 0, 0, 0);
	phx_cost_groups_add(&c->s->by_category, pr->category, share, 0, 0, 0);
}

static void add_fixed(phx_cost_summary *s, const phx_prices *p)
{
	struct fixed_ctx c = { s, 0 };
	for (int d = 1; d <= s->ndays; d++) {
		c.count = d <= s->d;
		long long f = phx_prices_fixed_day(p, s->y, s->m, d, fixed_each, &c);
		s->fixed_month = phx_cost_add(s->fixed_month, f);
		if (d <= s->d)
			s->fixed = phx_cost_add(s->fixed, f);
		if (d == s->d)
			s->today_fixed = f;
	}
}

void phx_cost_summarize(const phx_cost_ledger *l, const phx_prices *p, time_t at,
			phx_cost_summary *s)
{
	time_t start, next;
	char date[16];
	memset(s, 0, sizeof *s);
	phx_phoenix_month(at, &start, &next);
	phx_phoenix_date(at, date);
	memcpy(s->today, date, 10);
	memcpy(s->month, date, 7);
	s->y = (int)strtol(date, NULL, 10);
	s->m = (int)strtol(date + 5, NULL, 10);
	s->d = (int)strtol(date + 8, NULL, 10);
	s->ndays = phx_month_days(s->y, s->m);
	s->month_s = (long long)(next - start);
	s->elapsed_s = (long long)(at - start) + 1;
	s->complete = s->elapsed_s >= s->month_s;
	for (size_t i = 0; i < l->n; i++) {
		const phx_cost_bucket *b = &l->b[i];
		if (!phx_cost_in_month(s, b))
			continue;
		s->usage = phx_cost_add(s->usage, b->usd_micros);
		s->lines = phx_cost_add(s->lines, b->lines);
		if (!b->priced)
			s->unpriced_lines = phx_cost_add(s->unpriced_lines, b->lines);
		if (strcmp(b->k.day, s->today) == 0)
			s->today_usage = phx_cost_add(s->today_usage, b->usd_micros);
		phx_cost_groups_add(&s->by_service, b->k.service, b->usd_micros, 0, b->lines, 0);
		phx_cost_groups_add(&s->by_category, b->category, b->usd_micros, 0, b->lines, 0);
	}
	add_fixed(s, p);
	s->total = phx_cost_add(s->usage, s->fixed);
	s->today_total = phx_cost_add(s->today_usage, s->today_fixed);
	long long span = s->elapsed_s < 86400 ? 86400 : s->elapsed_s;
	long long left = s->month_s - s->elapsed_s;
	if (left < 0 || s->complete)
		left = 0;
	__int128 trend = (__int128)s->usage * left / span;
	s->forecast = phx_cost_add(phx_cost_add(s->fixed_month, s->usage),
				   trend > PHX_COST_MAX ? PHX_COST_MAX : (long long)trend);
	phx_cost_groups_sort(&s->by_service);
	phx_cost_groups_sort(&s->by_category);
}

void phx_cost_summary_free(phx_cost_summary *s)
{
	phx_cost_groups_free(&s->by_service);
	phx_cost_groups_free(&s->by_category);
}
