/* cost_view.c - the month's figures judged against their ranges, and the
 * store's property count (see cost_view.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cost_view.h"
#include "exitcode.h"
#include "store.h"
#include "store_uri.h"

static const char *const names[PHX_CM_N] = { "month", "today", "forecast", "property" };

const char *phx_cost_metric_name(int i)
{
	return i >= 0 && i < PHX_CM_N ? names[i] : "?";
}

void phx_money_plain(long long micros, char out[32])
{
	int neg = micros < 0;
	unsigned long long v = neg ? 0ULL - (unsigned long long)micros : (unsigned long long)micros;
	char frac[8];
	snprintf(frac, sizeof frac, "%06llu", v % 1000000ULL);
	for (int i = 5; i >= 0 && frac[i] == '0'; i--)
		frac[i] = '\0';
	snprintf(out, 32, "%s%llu%s%s", neg ? "-" : "", v / 1000000ULL, frac[0] ? "." : "", frac);
}

void phx_percent(long long used, long long of, char out[32])
{
	if (of <= 0) {
		snprintf(out, 32, "-");
		return;
	}
	__int128 t128 = (__int128)used * 1000 / of;	/* tenths of a percent */
	long long t = t128 > PHX_COST_MAX ? PHX_COST_MAX : t128 < -PHX_COST_MAX ? -PHX_COST_MAX
		    : (long long)t128;
	snprintf(out, 32, "%s%lld.%lld", t < 0 ? "-" : "", llabs(t) / 10, llabs(t) % 10);
}

/* "~:LIMIT": alert above the limit. */
static void above(phx_range *r, long long micros)
{
	char m[32], text[48];
	phx_money_plain(micros, m);
	snprintf(text, sizeof text, "~:%s", m);
	phx_range_parse(text, r);
}

void phx_cost_view_ranges(phx_cost_view *v, const phx_prices *p)
{
	above(&v->warn[PHX_CM_MONTH], p->month_warn);
	above(&v->crit[PHX_CM_MONTH], p->month_crit);
	above(&v->warn[PHX_CM_TODAY], p->day_warn);
	above(&v->crit[PHX_CM_TODAY], p->day_crit);
	above(&v->warn[PHX_CM_FORECAST], p->month_warn);
	above(&v->crit[PHX_CM_FORECAST], p->month_crit);
	above(&v->warn[PHX_CM_PROPERTY], p->prop_warn);
	above(&v->crit[PHX_CM_PROPERTY], p->prop_crit);
}

int phx_cost_view_override(phx_cost_view *v, const char *spec, int crit, char *err,
			   size_t errlen)
{
	const char *eq = strchr(spec, '=');
	phx_range r;
	int which = -1;
	if (phx_range_parse(eq ? eq + 1 : spec, &r) != 0 || !r.set) {
		snprintf(err, errlen, "not a range (10, 10:, ~:10, 10:20, @10:20): %s",
			 eq ? eq + 1 : spec);
		return -1;
	}
	if (eq) {
		for (int i = 0; i < PHX_CM_N; i++)
			if (strlen(names[i]) == (size_t)(eq - spec) &&
			    strncmp(spec, names[i], (size_t)(eq - spec)) == 0)
				which = i;
		if (which < 0) {
			snprintf(err, errlen, "no figure named %.*s (month, today, forecast, property)",
				 (int)(eq - spec), spec);
			return -1;
		}
	}
	phx_range *set = crit ? v->crit : v->warn;
	if (which >= 0) {
		set[which] = r;
	} else {
		set[PHX_CM_MONTH] = r;
		set[PHX_CM_FORECAST] = r;
	}
	return 0;
}

void phx_cost_view_compute(phx_cost_view *v, const phx_cost_ledger *l, const phx_prices *p,
			   time_t at, long long properties)
{
	phx_cost_summarize(l, p, at, &v->s);
	v->p = p;
	v->at = at;
	v->properties = properties;
	v->value[PHX_CM_MONTH] = v->s.total;
	v->value[PHX_CM_TODAY] = v->s.today_total;
	v->value[PHX_CM_FORECAST] = v->s.forecast;
	v->value[PHX_CM_PROPERTY] = properties > 0 ? v->s.total / properties : -1;
	v->worst = PHX_MP_OK;
	for (int i = 0; i < PHX_CM_N; i++) {
		if (v->value[i] < 0) {
			v->state[i] = PHX_MP_UNKNOWN;
			continue;
		}
		v->state[i] = phx_threshold_state((double)v->value[i] / 1e6, &v->warn[i],
						  &v->crit[i]);
		v->worst = phx_mp_worst(v->worst, v->state[i]);
	}
}

void phx_cost_view_free(phx_cost_view *v)
{
	phx_cost_summary_free(&v->s);
}

long long phx_cost_store_count(char *note, size_t notelen)
{
	int is_default = 0, err = 0;
	char *uri = phx_store_uri_resolve(NULL, &is_default, &err);
	struct stat st;
	if (!uri) {
		snprintf(note, notelen, "the store setting is unusable");
		return -1;
	}
	const char *path = uri;
	if (strncmp(uri, "sqlite:", 7) == 0)
		path = uri + 7;
	else if (strncmp(uri, "file:", 5) == 0)
		path = uri + 5;
	int mongo = strncmp(uri, "mongodb", 7) == 0;
	if (!mongo && stat(path, &st) != 0) {
		snprintf(note, notelen, is_default ? "no store configured" : "no store file");
		free(uri);
		return -1;
	}
	phx_store_options o = { 0 };
	phx_store_error e;
	o.read_only = 1;
	o.connect_timeout_ms = 3000;
	o.op_timeout_ms = 10000;
	o.busy_timeout_ms = 3000;
	phx_store_error_clear(&e);
	phx_store *s = phx_store_open(uri, &o, &e);
	free(uri);
	if (!s) {
		snprintf(note, notelen, "the store cannot be opened: %s", e.message);
		return -1;
	}
	long long n = phx_store_count(s, &e);
	if (n < 0)
		snprintf(note, notelen, "%s %s: %s", phx_store_kind(s), phx_store_display(s),
			 e.message);
	else
		snprintf(note, notelen, "%s %s", phx_store_kind(s), phx_store_display(s));
	phx_store_close(s);
	return n;
}
