/* report_fmt.c - the phrases of report_fmt.h. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "report_fmt.h"
#include "report_int.h"
#include "timeutil.h"

void phx_report_fmt_local(const char *s, char *out, size_t n)
{
	time_t t;
	struct tm tm;

	if (!s || phx_time_parse(s, &t) != 0) {
		snprintf(out, n, "%s", s ? s : "-");
		return;
	}
	t += PHX_PHOENIX_OFFSET;
	gmtime_r(&t, &tm);
	snprintf(out, n, "%04d-%02d-%02d %02d:%02d Phoenix (%s)", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, s);
}

void phx_report_fmt_num(const json_t *v, const char *unit, char *out, size_t n)
{
	if (!json_is_number(v))
		snprintf(out, n, "-");
	else if (json_is_integer(v))
		snprintf(out, n, "%lld%s", (long long)json_integer_value(v), unit);
	else if (json_number_value(v) >= 100 || json_number_value(v) <= -100)
		snprintf(out, n, "%.0f%s", json_number_value(v), unit);	/* 1150 per hour */
	else
		snprintf(out, n, "%.1f%s", json_number_value(v), unit);
}

void phx_report_fmt_price(const json_t *v, char *out, size_t n)
{
	if (json_is_number(v))
		phx_report_dollars((long long)json_number_value(v), out, n);
	else
		snprintf(out, n, "-");
}

void phx_report_fmt_rooms(const json_t *l, char *out, size_t n)
{
	char bd[16], ba[16];
	phx_report_fmt_num(json_object_get(l, "beds"), "", bd, sizeof bd);
	phx_report_fmt_num(json_object_get(l, "baths"), "", ba, sizeof ba);
	snprintf(out, n, "%s bd / %s ba", bd, ba);
}

void phx_report_fmt_change(const json_t *l, char *out, size_t n)
{
	const json_t *old = json_object_get(l, "old_price"), *now = json_object_get(l, "price");
	char a[32], b[32];

	phx_report_fmt_price(now, b, sizeof b);
	if (!json_is_integer(old)) {
		snprintf(out, n, "%s", b);
		return;
	}
	phx_report_fmt_price(old, a, sizeof a);
	double was = (double)json_integer_value(old);
	if (was > 0 && json_is_number(now))
		snprintf(out, n, "%s -> %s (%+.1f%%)", a, b,
			 100.0 * (json_number_value(now) - was) / was);
	else
		snprintf(out, n, "%s -> %s", a, b);
}

void phx_report_fmt_listing(const json_t *l, char *out, size_t n)
{
	char change[96], rooms[48];
	const char *zip = phx_jstr(l, "zip"), *url = phx_jstr(l, "url");

	phx_report_fmt_change(l, change, sizeof change);
	phx_report_fmt_rooms(l, rooms, sizeof rooms);
	snprintf(out, n, "%-5s  %-40.120s %-32s %-14s %s", zip ? zip : "-",
		 phx_jstr(l, "address"), change, rooms, url ? url : "");
	for (size_t len = strlen(out); len && out[len - 1] == ' '; len--)
		out[len - 1] = '\0';
}

void phx_report_fmt_range(const json_t *st, char *out, size_t n)
{
	char med[32], lo[32], hi[32];
	if (phx_jint(st, "count", 0) <= 0) {
		snprintf(out, n, "-");
		return;
	}
	phx_report_fmt_price(json_object_get(st, "median"), med, sizeof med);
	phx_report_fmt_price(json_object_get(st, "min"), lo, sizeof lo);
	phx_report_fmt_price(json_object_get(st, "max"), hi, sizeof hi);
	snprintf(out, n, "%s (%s - %s)", med, lo, hi);
}

void phx_report_fmt_sla(const json_t *s, char *out, size_t n)
{
	const json_t *t = json_object_get(s, "targets");
	char ok[16], err[16], ph[16], lat[16], p95[16];

	phx_report_fmt_num(json_object_get(s, "success_pct"), "%", ok, sizeof ok);
	phx_report_fmt_num(json_object_get(s, "error_pct"), "%", err, sizeof err);
	phx_report_fmt_num(json_object_get(s, "per_hour"), "", ph, sizeof ph);
	phx_report_fmt_num(json_object_get(s, "latency_avg_ms"), " ms", lat, sizeof lat);
	phx_report_fmt_num(json_object_get(s, "latency_p95_ms"), " ms", p95, sizeof p95);
	snprintf(out, n, "fetch runs %lld, fetched %lld; success %s [> %.0f%%], errors %s "
		 "[< %.0f%%], %s properties/h [%.0f+], latency %s avg [< %.0f ms], %s p95",
		 phx_jint(s, "fetch_runs", 0), phx_jint(s, "fetched", 0), ok,
		 json_number_value(json_object_get(t, "success_pct")), err,
		 json_number_value(json_object_get(t, "error_pct")), ph,
		 json_number_value(json_object_get(t, "per_hour")), lat,
		 json_number_value(json_object_get(t, "latency_avg_ms")), p95);
}

void phx_report_fmt_sla_runs(const json_t *s, char *out, size_t n)
{
	char failed[256] = "";
	size_t used = 0, i;
	const json_t *e;

	json_array_foreach(json_object_get(s, "failed"), i, e) {
		int w = snprintf(failed + used, sizeof failed - used, "%s%s %lld of %lld",
				 used ? ", " : " (", phx_jstr(e, "tool"), phx_jint(e, "failed", 0),
				 phx_jint(e, "runs", 0));
		if (w < 0 || (size_t)w >= sizeof failed - used)
			break;
		used += (size_t)w;
	}
	snprintf(out, n, "runs %lld, failed %lld%s%s; stored new %lld, updated %lld, "
		 "unchanged %lld", phx_jint(s, "runs", 0), phx_jint(s, "failed_runs", 0), failed,
		 used ? ")" : "", phx_jint(s, "stored_new", 0), phx_jint(s, "stored_updated", 0),
		 phx_jint(s, "stored_unchanged", 0));
}

void phx_report_fmt_spend(const json_t *s, char *out, size_t n)
{
	char day[32], month[32], budget[32];

	if (phx_jstr(s, "error")) {
		snprintf(out, n, "UNKNOWN (%s)", phx_jstr(s, "error"));
		return;
	}
	phx_report_micros(phx_jint(s, "day_usd_micros", 0), day, sizeof day);
	phx_report_micros(phx_jint(s, "month_usd_micros", 0), month, sizeof month);
	phx_report_micros(phx_jint(s, "budget_usd_micros", 0), budget, sizeof budget);
	snprintf(out, n, "day %s, month to date %s of %s (budget %s)", day, month, budget,
		 phx_jstr(s, "state") ? phx_jstr(s, "state") : "UNKNOWN");
}

void phx_report_fmt_health(const json_t *h, char *out, size_t n)
{
	const char *at = phx_jstr(h, "at");
	snprintf(out, n, "%s%s%s%s", phx_jstr(h, "state") ? phx_jstr(h, "state") : "unknown",
		 at ? " (last phx-health run ended " : "", at ? at : "", at ? ")" : "");
}
