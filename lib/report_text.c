/* report_text.c - the plain text form of a report: what the mail's text
 * part and the pipelines' .txt files hold. Fixed-width columns, ASCII. */
#include <stdio.h>
#include <string.h>
#include "report_int.h"
#include "report_fmt.h"

static void counts_line(phx_buf *o, const char *name, const json_t *c)
{
	phx_buf_printf(o, "  %-14s new %6lld  updated %6lld  unchanged %6lld  rejected %6lld\n",
		       name, phx_jint(c, "new", 0), phx_jint(c, "updated", 0),
		       phx_jint(c, "unchanged", 0), phx_jint(c, "rejected", 0));
}

static void collection(phx_buf *o, const json_t *m)
{
	const json_t *col = json_object_get(m, "collection"), *v;
	const char *k;

	phx_buf_adds(o, "\nCollection\n");
	counts_line(o, "total", json_object_get(col, "totals"));
	phx_buf_adds(o, "  by source\n");
	json_object_foreach((json_t *)json_object_get(col, "by_source"), k, v)
		counts_line(o, k, v);
	phx_buf_adds(o, "  by ZIP\n");
	json_object_foreach((json_t *)json_object_get(col, "by_zip"), k, v)
		counts_line(o, k, v);
}

static void rejects(phx_buf *o, const json_t *m)
{
	const json_t *r = json_object_get(m, "rejects"), *e;
	size_t i;

	phx_buf_printf(o, "\nRejects: %lld (%lld codes)\n", phx_jint(r, "total", 0),
		       phx_jint(r, "codes", 0));
	json_array_foreach(json_object_get(r, "top"), i, e) {
		const char *in = phx_jstr(e, "input");
		phx_buf_printf(o, "  %-24s %6lld  e.g. %s%s%.120s%s: %.160s\n", phx_jstr(e, "code"),
			       phx_jint(e, "count", 0), phx_jstr(e, "tool"), in ? " (" : "",
			       in ? in : "", in ? ")" : "", phx_jstr(e, "reason"));
	}
}

static void listings(phx_buf *o, const json_t *m, const char *key, const char *title)
{
	const json_t *arr = json_object_get(m, key), *e;
	size_t i, n = json_array_size(arr);

	phx_buf_printf(o, "\n%s (%zu)\n", title, n);
	json_array_foreach(arr, i, e) {
		char line[1024];
		if (i == PHX_REPORT_SHOWN) {
			phx_buf_printf(o, "  ... and %zu more (phx-report --csv lists all)\n", n - i);
			break;
		}
		phx_report_fmt_listing(e, line, sizeof line);
		phx_buf_printf(o, "  %s\n", line);
	}
}

static void zip_stats(phx_buf *o, const json_t *m)
{
	const json_t *z = json_object_get(m, "zip_stats"), *v;
	const char *k;

	phx_buf_printf(o, "\nStored properties per ZIP (%lld)\n", phx_jint(m, "stored", 0));
	phx_buf_printf(o, "  %-6s %7s  %-34s %s\n", "ZIP", "props", "price median (min - max)",
		       "value median (min - max)");
	json_object_foreach((json_t *)z, k, v) {
		char p[64], val[64];
		phx_report_fmt_range(json_object_get(v, "price"), p, sizeof p);
		phx_report_fmt_range(json_object_get(v, "value"), val, sizeof val);
		phx_buf_printf(o, "  %-6s %7lld  %-34s %s\n", k, phx_jint(v, "properties", 0), p,
			       val);
	}
}

static void sla(phx_buf *o, const json_t *s, const char *title)
{
	char line[512];
	phx_buf_printf(o, "\n%s\n", title);
	phx_report_fmt_sla(s, line, sizeof line);
	phx_buf_printf(o, "  %s\n", line);
	phx_report_fmt_sla_runs(s, line, sizeof line);
	phx_buf_printf(o, "  %s\n", line);
}

static void alerts(phx_buf *o, const json_t *a)
{
	const json_t *e;
	size_t i;

	if (!json_array_size(a))
		return;
	phx_buf_printf(o, "\nAlerts (%zu)\n", json_array_size(a));
	json_array_foreach(a, i, e)
		phx_buf_printf(o, "  %s %-8s %s %s: %.200s\n", phx_jstr(e, "at"),
			       phx_jstr(e, "state"), phx_jstr(e, "tool"), phx_jstr(e, "key"),
			       phx_jstr(e, "message"));
}

static void tail(phx_buf *o, const json_t *m)
{
	char line[512];

	phx_report_fmt_spend(json_object_get(m, "spend"), line, sizeof line);
	phx_buf_printf(o, "\nSpend: %s\n", line);
	phx_report_fmt_health(json_object_get(m, "health"), line, sizeof line);
	phx_buf_printf(o, "Health: %s\n", line);
	alerts(o, json_object_get(m, "alerts"));
}

static void weekly(phx_buf *o, const json_t *m)
{
	const json_t *h = json_object_get(m, "history"), *e, *tr = json_object_get(m, "trend");
	char money[32], per[32];
	size_t i;

	phx_buf_printf(o, "\n  %-10s %8s %6s %8s %9s %9s %10s\n", "day", "collected", "new",
		       "rejects", "success", "per hour", "spend");
	json_array_foreach(h, i, e) {
		char sp[16], ph[16];
		phx_report_fmt_num(json_object_get(e, "success_pct"), "%", sp, sizeof sp);
		phx_report_fmt_num(json_object_get(e, "per_hour"), "", ph, sizeof ph);
		phx_report_micros(phx_jint(e, "spend_usd_micros", 0), money, sizeof money);
		phx_buf_printf(o, "  %-10s %8lld %6lld %8lld %9s %9s %10s\n", phx_jstr(e, "date"),
			       phx_jint(e, "properties", 0), phx_jint(e, "new", 0),
			       phx_jint(e, "rejected", 0), sp, ph, money);
	}
	sla(o, json_object_get(m, "sla"), "This week against the runbook's SLA targets");
	sla(o, json_object_get(m, "previous"), "The week before");
	phx_buf_printf(o, "  trend: success %s, errors %s, throughput %s, latency %s\n",
		       phx_jstr(tr, "success_pct"), phx_jstr(tr, "error_pct"),
		       phx_jstr(tr, "per_hour"), phx_jstr(tr, "latency_avg_ms"));
	phx_report_micros(phx_jint(m, "spend_usd_micros", 0), money, sizeof money);
	if (json_is_integer(json_object_get(m, "usd_micros_per_property")))
		phx_report_micros(phx_jint(m, "usd_micros_per_property", 0), per, sizeof per);
	else
		snprintf(per, sizeof per, "n/a");
	phx_buf_printf(o, "\nSpend this week: %s for %lld properties, %s a property "
		       "(target < $0.0050)\n", money, phx_jint(m, "properties", 0), per);
	rejects(o, m);
}

void phx_report_text(const json_t *m, phx_buf *o)
{
	const char *kind = phx_jstr(m, "kind");
	const json_t *st = json_object_get(m, "store");
	phx_buf subj = PHX_BUF_INIT;

	phx_report_subject(m, &subj);
	phx_buf_printf(o, "%s\n", subj.data);
	phx_buf_free(&subj);
	char when[96];
	phx_report_fmt_local(phx_jstr(m, "generated"), when, sizeof when);
	phx_buf_printf(o, "generated %s", when);
	if (phx_jstr(st, "display"))
		phx_buf_printf(o, ", store %s", phx_jstr(st, "display"));
	phx_buf_addc(o, '\n');
	if (phx_jstr(st, "error"))
		phx_buf_printf(o, "STORE UNAVAILABLE: %s\n", phx_jstr(st, "error"));
	if (strcmp(kind, "weekly") == 0) {
		weekly(o, m);
		return;
	}
	if (strcmp(kind, "alerts") == 0) {
		alerts(o, json_object_get(m, "alerts"));
		if (phx_jint(m, "total", 0) > (long long)json_array_size(json_object_get(m, "alerts")))
			phx_buf_printf(o, "  ... and %lld more in alerts.ndjson\n",
				       phx_jint(m, "total", 0) -
				       (long long)json_array_size(json_object_get(m, "alerts")));
		return;
	}
	if (strcmp(kind, "overnight") == 0) {
		phx_buf_printf(o, "window %s to %s\n", phx_jstr(m, "from"), phx_jstr(m, "to"));
		sla(o, json_object_get(m, "sla"), "Runs");
		rejects(o, m);
		tail(o, m);
		return;
	}
	collection(o, m);
	rejects(o, m);
	listings(o, m, "new_listings", "New listings");
	listings(o, m, "price_changes", "Price changes");
	zip_stats(o, m);
	sla(o, json_object_get(m, "sla"), "SLA (runbook targets in brackets)");
	tail(o, m);
}

void phx_report_subject(const json_t *m, phx_buf *o)
{
	const char *kind = phx_jstr(m, "kind");
	const json_t *t = json_object_get(json_object_get(m, "collection"), "totals");
	const json_t *s = json_object_get(m, "sla");

	if (phx_jstr(json_object_get(m, "store"), "error"))
		phx_buf_adds(o, "[store unavailable] ");
	if (strcmp(kind, "alerts") == 0)
		phx_buf_printf(o, "phx alerts %s \xe2\x80\x94 %lld new, worst %s", phx_jstr(m, "date"),
			       phx_jint(m, "total", 0), phx_jstr(m, "worst"));
	else if (strcmp(kind, "weekly") == 0)
		phx_buf_printf(o, "phx weekly report %s to %s \xe2\x80\x94 %lld properties",
			       phx_jstr(m, "from"), phx_jstr(m, "date"),
			       phx_jint(m, "properties", 0));
	else if (strcmp(kind, "overnight") == 0)
		phx_buf_printf(o, "phx overnight %s \xe2\x80\x94 %lld fetched, %lld failed runs, "
			       "%zu alerts", phx_jstr(m, "date"), phx_jint(s, "fetched", 0),
			       phx_jint(s, "failed_runs", 0),
			       json_array_size(json_object_get(m, "alerts")));
	else
		phx_buf_printf(o, "phx daily report %s \xe2\x80\x94 %lld new, %lld updated, "
			       "%lld rejected", phx_jstr(m, "date"), phx_jint(t, "new", 0),
			       phx_jint(t, "updated", 0), phx_jint(t, "rejected", 0));
}
