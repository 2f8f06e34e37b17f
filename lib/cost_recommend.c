/* cost_recommend.c - savings computed from the ledger (see cost_recommend.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cost_recommend.h"
#include "cost_report.h"

#define MAX_RECS 16

struct rec {
	char key[32], text[640];
	long long saving;	/* over the whole month */
	long long mtd;		/* month to date */
};

struct tally {
	long long proxy_cost, proxy_qty;		/* proxy_bytes lines */
	long long direct_bytes, failed_bytes, unchanged_bytes;
	long long unchanged_requests, unchanged_cost, requests;
	long long llm_cost, llm_tokens;
	char direct_example[64];
};

static void tally(const phx_cost_view *v, const phx_cost_ledger *l, struct tally *t)
{
	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < l->n; i++) {
		const phx_cost_bucket *b = &l->b[i];
		if (!phx_cost_in_month(&v->s, b))
			continue;
		if (strcmp(b->k.what, "proxy_bytes") == 0) {
			t->proxy_cost = phx_cost_add(t->proxy_cost, b->usd_micros);
			t->proxy_qty = phx_cost_add(t->proxy_qty, b->qty);
		} else if (strcmp(b->k.what, "http_request") == 0) {
			t->requests = phx_cost_add(t->requests, b->qty);
			int direct = phx_prices_is_direct(v->p, b->k.service);
			if (b->k.proxied && direct) {
				t->direct_bytes = phx_cost_add(t->direct_bytes, b->bytes);
				snprintf(t->direct_example, sizeof t->direct_example, "%s", b->k.service);
			} else if (b->k.proxied && b->k.outcome == PHX_OUTCOME_FAILED) {
				t->failed_bytes = phx_cost_add(t->failed_bytes, b->bytes);
			}
			if (!direct && b->k.outcome == PHX_OUTCOME_UNCHANGED) {
				t->unchanged_requests = phx_cost_add(t->unchanged_requests, b->qty);
				t->unchanged_cost = phx_cost_add(t->unchanged_cost, b->usd_micros);
				if (b->k.proxied)
					t->unchanged_bytes = phx_cost_add(t->unchanged_bytes, b->bytes);
			}
		} else if (strcmp(b->k.service, "llm") == 0 && strncmp(b->k.what, "tokens", 6) == 0) {
			t->llm_cost = phx_cost_add(t->llm_cost, b->usd_micros);
			t->llm_tokens = phx_cost_add(t->llm_tokens, b->qty);
		}
	}
}

/* bytes at this month's average price of a proxy byte */
static long long proxy_value(const struct tally *t, long long bytes)
{
	if (t->proxy_qty <= 0 || bytes <= 0)
		return 0;
	__int128 v = (__int128)bytes * t->proxy_cost / t->proxy_qty;
	return v > PHX_COST_MAX ? PHX_COST_MAX : (long long)v;
}

static long long whole_month(const phx_cost_summary *s, long long mtd)
{
	long long span = s->elapsed_s < 86400 ? 86400 : s->elapsed_s;
	if (s->complete || span >= s->month_s)
		return mtd;
	__int128 v = (__int128)mtd * s->month_s / span;
	return v > PHX_COST_MAX ? PHX_COST_MAX : (long long)v;
}

static struct rec *add(struct rec *r, size_t *n, const phx_cost_summary *s, const char *key,
		       long long mtd)
{
	if (mtd <= 0 || *n == MAX_RECS)
		return NULL;
	struct rec *e = &r[(*n)++];
	snprintf(e->key, sizeof e->key, "%s", key);
	e->mtd = mtd;
	e->saving = whole_month(s, mtd);
	return e;
}

static void pct_of(long long part, long long whole, char out[32])
{
	phx_percent(part, whole, out);
}

static int service_used(const phx_cost_view *v, const phx_cost_ledger *l, const char *service)
{
	for (size_t i = 0; i < l->n; i++)
		if (phx_cost_in_month(&v->s, &l->b[i]) && strcmp(l->b[i].k.service, service) == 0)
			return 1;
	return 0;
}

static void fixed_unused(const phx_cost_view *v, const phx_cost_ledger *l, struct rec *r,
			 size_t *n)
{
	const phx_prices *p = v->p;
	for (size_t i = 0; i < p->n; i++) {
		const phx_price *f = &p->v[i];
		int superseded = 0;
		if (f->kind != PHX_PRICE_FIXED || f->usd_micros <= 0 || strcmp(f->from, v->s.today) > 0)
			continue;
		/* only the plan in effect today: the latest "from" of its service and item */
		for (size_t k = 0; k < p->n; k++)
			if (p->v[k].kind == PHX_PRICE_FIXED && strcmp(p->v[k].service, f->service) == 0 &&
			    strcmp(p->v[k].what, f->what) == 0 && strcmp(p->v[k].from, v->s.today) <= 0 &&
			    strcmp(p->v[k].from, f->from) > 0)
				superseded = 1;
		if (superseded || service_used(v, l, f->service))
			continue;
		char fee[32];
		phx_money_format(f->usd_micros, fee);
		struct rec *e = add(r, n, &v->s, "fixed.unused", 1);
		if (!e)
			continue;
		e->saving = f->usd_micros;	/* the whole fee, not a trend */
		/* its days so far: the shares of phx_prices_fixed_day add up to this */
		e->mtd = (long long)((__int128)f->usd_micros * v->s.d / v->s.ndays);
		snprintf(e->text, sizeof e->text,
			 "the %s %s plan (%s a month) had no usage line this month: end it "
			 "(a 'fixed %s %s 0 from DAY' line in the price file once cancelled)",
			 f->service, f->what, fee, f->service, f->what);
	}
}

static int by_saving(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;
	if (x->saving != y->saving)
		return x->saving < y->saving ? 1 : -1;
	return strcmp(x->key, y->key);
}

void phx_cost_recommend(const phx_cost_view *v, const phx_cost_ledger *l, int json,
			phx_buf *out)
{
	const phx_cost_summary *s = &v->s;
	struct tally t;
	struct rec r[MAX_RECS];
	size_t n = 0;
	struct rec *e;
	char a[32], pct[32];
	tally(v, l, &t);
	long long proxied = t.proxy_qty;
	if ((e = add(r, &n, s, "proxy.direct", proxy_value(&t, t.direct_bytes)))) {
		pct_of(t.direct_bytes, proxied, pct);
		snprintf(e->text, sizeof e->text,
			 "%s %% of the proxy bytes (%lld of %lld) went to services that need no "
			 "proxy (direct in the price file, e.g. %s): fetch them directly", pct,
			 t.direct_bytes, proxied, t.direct_example);
	}
	if ((e = add(r, &n, s, "proxy.failed", proxy_value(&t, t.failed_bytes)))) {
		pct_of(t.failed_bytes, proxied, pct);
		snprintf(e->text, sizeof e->text,
			 "%s %% of the proxy bytes (%lld) carried requests that failed: retire the "
			 "proxies or sources that fail (phx-proxy check), lower the retries", pct,
			 t.failed_bytes);
	}
	long long unchanged = proxy_value(&t, t.unchanged_bytes) + t.unchanged_cost;
	if ((e = add(r, &n, s, "fetch.unchanged", unchanged))) {
		pct_of(t.unchanged_requests, t.requests, pct);
		snprintf(e->text, sizeof e->text,
			 "%lld requests (%s %% of all) found nothing changed: fetch those parcels "
			 "less often (a longer --max-age, PHX_DETAILS_MAX_AGE)", t.unchanged_requests,
			 pct);
	}
	if ((e = add(r, &n, s, "llm.tokens", t.llm_cost))) {
		if (v->properties > 0)
			snprintf(e->text, sizeof e->text,
				 "the priced LLM used %lld tokens per stored property (%lld tokens): "
				 "the local model (Ollama, price 0) saves all of it",
				 t.llm_tokens / v->properties, t.llm_tokens);
		else
			snprintf(e->text, sizeof e->text,
				 "the priced LLM used %lld tokens this month: the local model (Ollama, "
				 "price 0) saves all of it", t.llm_tokens);
	}
	fixed_unused(v, l, r, &n);
	qsort(r, n, sizeof *r, by_saving);
	if (!json) {
		phx_buf_printf(out, "recommendations for %s (Phoenix), from the ledger up to %s:\n",
			       s->month, s->today);
		if (n == 0)
			phx_buf_adds(out, "  none: nothing in this month's ledger can be saved\n");
	}
	for (size_t i = 0; i < n; i++) {
		if (json) {
			phx_cost_emit(out, json_pack("{s:s, s:s, s:s, s:I, s:I, s:s}", "phx",
						     "cost-recommendation", "month", s->month, "key",
						     r[i].key, "saving_usd_micros",
						     (json_int_t)r[i].saving,
						     "month_to_date_usd_micros", (json_int_t)r[i].mtd,
						     "message", r[i].text));
			continue;
		}
		phx_money_format(r[i].saving, a);
		phx_buf_printf(out, "  %zu. save %s a month [%s]: %s\n", i + 1, a, r[i].key,
			       r[i].text);
	}
}
