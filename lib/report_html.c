/* report_html.c - the HTML form of a report: one self-contained page, every
 * value escaped, inline CSS and SVG, no script, links only to http(s). */
#include <stdio.h>
#include <string.h>
#include "report_html.h"
#include "report_fmt.h"
#include "report_int.h"

void phx_html_escape(phx_buf *o, const char *s)
{
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;
		switch (ch) {
		case '&': phx_buf_adds(o, "&amp;"); break;
		case '<': phx_buf_adds(o, "&lt;"); break;
		case '>': phx_buf_adds(o, "&gt;"); break;
		case '"': phx_buf_adds(o, "&quot;"); break;
		case '\'': phx_buf_adds(o, "&#39;"); break;
		default:
			if (ch >= 0x20 || ch == '\n' || ch == '\t')
				phx_buf_addc(o, (char)ch);
		}
	}
}

static void cell(phx_buf *o, const char *s, int num)
{
	phx_buf_adds(o, num ? "<td class=\"n\">" : "<td>");
	phx_html_escape(o, s);
	phx_buf_adds(o, "</td>");
}

static void cell_int(phx_buf *o, long long v)
{
	phx_buf_printf(o, "<td class=\"n\">%lld</td>", v);
}

static void heading(phx_buf *o, const char *title)
{
	phx_buf_adds(o, "<h2>");
	phx_html_escape(o, title);
	phx_buf_adds(o, "</h2>\n");
}

static void para(phx_buf *o, const char *label, const char *text)
{
	phx_buf_adds(o, "<p><b>");
	phx_html_escape(o, label);
	phx_buf_adds(o, "</b> ");
	phx_html_escape(o, text);
	phx_buf_adds(o, "</p>\n");
}

static void counts_row(phx_buf *o, const char *name, const json_t *c)
{
	phx_buf_adds(o, "<tr>");
	cell(o, name, 0);
	cell_int(o, phx_jint(c, "new", 0));
	cell_int(o, phx_jint(c, "updated", 0));
	cell_int(o, phx_jint(c, "unchanged", 0));
	cell_int(o, phx_jint(c, "rejected", 0));
	phx_buf_adds(o, "</tr>\n");
}

static void collection(phx_buf *o, const json_t *m)
{
	const json_t *col = json_object_get(m, "collection"), *v;
	const char *k;

	heading(o, "Collection");
	phx_buf_adds(o, "<table><tr><th></th><th>new</th><th>updated</th><th>unchanged</th>"
		     "<th>rejected</th></tr>\n");
	counts_row(o, "total", json_object_get(col, "totals"));
	phx_buf_adds(o, "<tr><th colspan=\"5\">by source</th></tr>\n");
	json_object_foreach((json_t *)json_object_get(col, "by_source"), k, v)
		counts_row(o, k, v);
	phx_buf_adds(o, "<tr><th colspan=\"5\">by ZIP</th></tr>\n");
	json_object_foreach((json_t *)json_object_get(col, "by_zip"), k, v)
		counts_row(o, k, v);
	phx_buf_adds(o, "</table>\n");
}

static void rejects(phx_buf *o, const json_t *m)
{
	const json_t *r = json_object_get(m, "rejects"), *e;
	char title[96];
	size_t i;

	snprintf(title, sizeof title, "Rejects: %lld (%lld codes)", phx_jint(r, "total", 0),
		 phx_jint(r, "codes", 0));
	heading(o, title);
	if (!json_array_size(json_object_get(r, "top")))
		return;
	phx_buf_adds(o, "<table><tr><th>code</th><th>count</th><th>tool</th><th>input</th>"
		     "<th>example</th></tr>\n");
	json_array_foreach(json_object_get(r, "top"), i, e) {
		const char *in = phx_jstr(e, "input");
		phx_buf_adds(o, "<tr>");
		cell(o, phx_jstr(e, "code"), 0);
		cell_int(o, phx_jint(e, "count", 0));
		cell(o, phx_jstr(e, "tool"), 0);
		cell(o, in ? in : "", 0);
		cell(o, phx_jstr(e, "reason"), 0);
		phx_buf_adds(o, "</tr>\n");
	}
	phx_buf_adds(o, "</table>\n");
}

static int web_link(const char *url)
{
	return url && (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0);
}

static void listings(phx_buf *o, const json_t *m, const char *key, const char *title)
{
	const json_t *arr = json_object_get(m, key), *e;
	size_t i, n = json_array_size(arr);
	char t[96], change[96], rooms[48];

	snprintf(t, sizeof t, "%s (%zu)", title, n);
	heading(o, t);
	if (!n)
		return;
	phx_buf_adds(o, "<table><tr><th>ZIP</th><th>address</th><th>price</th>"
		     "<th>beds / baths</th><th>link</th></tr>\n");
	json_array_foreach(arr, i, e) {
		if (i == PHX_REPORT_SHOWN)
			break;
		const char *url = phx_jstr(e, "url"), *zip = phx_jstr(e, "zip");
		phx_report_fmt_change(e, change, sizeof change);
		phx_report_fmt_rooms(e, rooms, sizeof rooms);
		phx_buf_adds(o, "<tr>");
		cell(o, zip ? zip : "-", 0);
		cell(o, phx_jstr(e, "address"), 0);
		cell(o, change, 1);
		cell(o, rooms, 1);
		phx_buf_adds(o, "<td>");
		if (web_link(url)) {
			phx_buf_adds(o, "<a href=\"");
			phx_html_escape(o, url);
			phx_buf_adds(o, "\">listing</a>");
		} else if (url) {
			phx_html_escape(o, url);
		}
		phx_buf_adds(o, "</td></tr>\n");
	}
	phx_buf_adds(o, "</table>\n");
	if (n > PHX_REPORT_SHOWN)
		phx_buf_printf(o, "<p>... and %zu more (phx-report --csv lists all)</p>\n",
			       n - PHX_REPORT_SHOWN);
}

static void zip_stats(phx_buf *o, const json_t *m)
{
	const json_t *v;
	const char *k;
	char t[96], p[64], val[64];

	snprintf(t, sizeof t, "Stored properties per ZIP (%lld)", phx_jint(m, "stored", 0));
	heading(o, t);
	phx_buf_adds(o, "<table><tr><th>ZIP</th><th>properties</th>"
		     "<th>price median (min - max)</th><th>value median (min - max)</th></tr>\n");
	json_object_foreach((json_t *)json_object_get(m, "zip_stats"), k, v) {
		phx_report_fmt_range(json_object_get(v, "price"), p, sizeof p);
		phx_report_fmt_range(json_object_get(v, "value"), val, sizeof val);
		phx_buf_adds(o, "<tr>");
		cell(o, k, 0);
		cell_int(o, phx_jint(v, "properties", 0));
		cell(o, p, 1);
		cell(o, val, 1);
		phx_buf_adds(o, "</tr>\n");
	}
	phx_buf_adds(o, "</table>\n");
}

static void sla(phx_buf *o, const json_t *s, const char *title)
{
	char line[512];
	heading(o, title);
	phx_report_fmt_sla(s, line, sizeof line);
	para(o, "", line);
	phx_report_fmt_sla_runs(s, line, sizeof line);
	para(o, "", line);
}

static void alerts(phx_buf *o, const json_t *a)
{
	const json_t *e;
	char line[64];
	size_t i;

	if (!json_array_size(a))
		return;
	snprintf(line, sizeof line, "Alerts (%zu)", json_array_size(a));
	heading(o, line);
	phx_buf_adds(o, "<table><tr><th>at</th><th>state</th><th>tool</th><th>key</th>"
		     "<th>message</th></tr>\n");
	json_array_foreach(a, i, e) {
		phx_buf_adds(o, "<tr>");
		cell(o, phx_jstr(e, "at"), 0);
		cell(o, phx_jstr(e, "state"), 0);
		cell(o, phx_jstr(e, "tool"), 0);
		cell(o, phx_jstr(e, "key"), 0);
		cell(o, phx_jstr(e, "message"), 0);
		phx_buf_adds(o, "</tr>\n");
	}
	phx_buf_adds(o, "</table>\n");
}

static void tail(phx_buf *o, const json_t *m)
{
	char line[512];

	heading(o, "Spend and health");
	phx_report_fmt_spend(json_object_get(m, "spend"), line, sizeof line);
	para(o, "Spend:", line);
	phx_report_fmt_health(json_object_get(m, "health"), line, sizeof line);
	para(o, "Health:", line);
	alerts(o, json_object_get(m, "alerts"));
}

static void charts(phx_buf *o, const json_t *m, const char *span)
{
	const json_t *h = json_object_get(m, "history");
	char t[96];

	snprintf(t, sizeof t, "Properties collected per day, %s", span);
	phx_report_svg_bars(o, t, h, "properties", "", 0);
	snprintf(t, sizeof t, "Spend per day, %s", span);
	phx_report_svg_bars(o, t, h, "spend_usd_micros", "", 1);
	snprintf(t, sizeof t, "Reject rate per day (%%), %s", span);
	phx_report_svg_bars(o, t, h, "reject_pct", "%", 0);
}

static void weekly(phx_buf *o, const json_t *m)
{
	const json_t *h = json_object_get(m, "history"), *e, *tr = json_object_get(m, "trend");
	char a[32], b[32], money[32], line[256];
	size_t i;

	heading(o, "Days");
	phx_buf_adds(o, "<table><tr><th>day</th><th>collected</th><th>new</th><th>rejected</th>"
		     "<th>success</th><th>per hour</th><th>spend</th></tr>\n");
	json_array_foreach(h, i, e) {
		phx_report_fmt_num(json_object_get(e, "success_pct"), "%", a, sizeof a);
		phx_report_fmt_num(json_object_get(e, "per_hour"), "", b, sizeof b);
		phx_report_micros(phx_jint(e, "spend_usd_micros", 0), money, sizeof money);
		phx_buf_adds(o, "<tr>");
		cell(o, phx_jstr(e, "date"), 0);
		cell_int(o, phx_jint(e, "properties", 0));
		cell_int(o, phx_jint(e, "new", 0));
		cell_int(o, phx_jint(e, "rejected", 0));
		cell(o, a, 1);
		cell(o, b, 1);
		cell(o, money, 1);
		phx_buf_adds(o, "</tr>\n");
	}
	phx_buf_adds(o, "</table>\n");
	sla(o, json_object_get(m, "sla"), "This week against the runbook's SLA targets");
	sla(o, json_object_get(m, "previous"), "The week before");
	snprintf(line, sizeof line, "success %s, errors %s, throughput %s, latency %s",
		 phx_jstr(tr, "success_pct"), phx_jstr(tr, "error_pct"), phx_jstr(tr, "per_hour"),
		 phx_jstr(tr, "latency_avg_ms"));
	para(o, "Trend:", line);
	phx_report_micros(phx_jint(m, "spend_usd_micros", 0), money, sizeof money);
	snprintf(line, sizeof line, "%s for %lld properties", money, phx_jint(m, "properties", 0));
	para(o, "Spend this week:", line);
	charts(o, m, "this week");
	rejects(o, m);
}

void phx_report_html(const json_t *m, phx_buf *o)
{
	const char *kind = phx_jstr(m, "kind");
	const json_t *st = json_object_get(m, "store");
	phx_buf subj = PHX_BUF_INIT;

	phx_report_subject(m, &subj);
	phx_buf_adds(o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		     "<meta name=\"viewport\" content=\"width=device-width\"><title>");
	phx_html_escape(o, subj.data);
	phx_buf_adds(o, "</title><style>body{font-family:sans-serif;max-width:60em;margin:1em auto;"
		     "padding:0 1em;color:#222}table{border-collapse:collapse;margin:.5em 0}"
		     "td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;"
		     "vertical-align:top;overflow-wrap:anywhere}td.n{text-align:right;white-space:nowrap}"
		     "h2{font-size:1.1em;margin-top:1.4em}.warn{color:#a00;font-weight:bold}"
		     "figure{margin:.5em 0}figcaption{font-size:.85em;color:#555}</style>"
		     "</head><body>\n<h1>");
	phx_html_escape(o, subj.data);
	phx_buf_free(&subj);
	char when[96];
	phx_report_fmt_local(phx_jstr(m, "generated"), when, sizeof when);
	phx_buf_adds(o, "</h1>\n<p>generated ");
	phx_html_escape(o, when);
	if (phx_jstr(st, "display")) {
		phx_buf_adds(o, ", store ");
		phx_html_escape(o, phx_jstr(st, "display"));
	}
	phx_buf_adds(o, "</p>\n");
	if (phx_jstr(st, "error")) {
		phx_buf_adds(o, "<p class=\"warn\">Store unavailable: ");
		phx_html_escape(o, phx_jstr(st, "error"));
		phx_buf_adds(o, "</p>\n");
	}
	if (strcmp(kind, "weekly") == 0) {
		weekly(o, m);
	} else if (strcmp(kind, "alerts") == 0) {
		alerts(o, json_object_get(m, "alerts"));
	} else if (strcmp(kind, "overnight") == 0) {
		char w[96];
		snprintf(w, sizeof w, "%s to %s", phx_jstr(m, "from"), phx_jstr(m, "to"));
		para(o, "Window:", w);
		sla(o, json_object_get(m, "sla"), "Runs");
		rejects(o, m);
		tail(o, m);
	} else {
		collection(o, m);
		rejects(o, m);
		listings(o, m, "new_listings", "New listings");
		listings(o, m, "price_changes", "Price changes");
		zip_stats(o, m);
		sla(o, json_object_get(m, "sla"), "SLA (runbook targets in brackets)");
		tail(o, m);
		heading(o, "The last 30 days");
		charts(o, m, "last 30 days");
	}
	phx_buf_adds(o, "</body></html>\n");
}
