/* report_build.c - the three reports put together from the gatherers:
 * daily (one Phoenix day, in full), overnight (the last 24 hours, short),
 * weekly (seven days against the runbook's SLA targets and the week before). */
#include <stdio.h>
#include <string.h>
#include "report_int.h"
#include "cli.h"
#include "timeutil.h"

int phx_report_set_day(phx_report_ctx *c, const char *date)
{
	char today[16];

	if (!date) {
		phx_phoenix_date(c->now, today);
		date = today;
	}
	if (phx_date_parse(date, &c->y, &c->m, &c->d) != 0)
		return -1;
	snprintf(c->date, sizeof c->date, "%s", date);
	c->day_start = phx_phoenix_midnight(c->y, c->m, c->d);
	c->day_end = phx_phoenix_midnight(c->y, c->m, c->d + 1);
	return 0;
}

static json_t *head(phx_report_ctx *c, const char *kind)
{
	char now[PHX_TIME_LEN];
	phx_time_format(c->now, now);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "phx", "report", "kind", kind,
			 "version", PHX_VERSION, "date", c->date, "generated", now, "timezone",
			 "America/Phoenix");
}

/* {"date"} objects for the n days ending with the report's day. */
static json_t *days(phx_report_ctx *c, int n)
{
	json_t *h = json_array();
	time_t first = phx_phoenix_midnight(c->y, c->m, c->d - (n - 1));
	for (int i = 0; i < n; i++) {
		char day[16];
		phx_report_day_name(first, i, day);
		json_array_append_new(h, json_pack("{s:s}", "date", day));
	}
	return h;
}

json_t *phx_report_daily(phx_report_ctx *c)
{
	json_t *m = head(c, "daily"), *h = days(c, PHX_REPORT_HISTORY_DAYS);

	phx_report_store(c, m, h);
	json_object_set_new(m, "rejects", phx_report_rejects(c, c->day_start, c->day_end));
	json_object_set_new(m, "sla", phx_report_sla(c, c->day_start, c->day_end));
	phx_report_spend(c, m, h);
	json_object_set_new(m, "health", phx_report_health(c));
	json_object_set_new(m, "alerts", phx_report_alerts(c, c->day_start, c->day_end));
	phx_report_reject_history(c, h);
	json_object_set_new(m, "history", h);
	return m;
}

json_t *phx_report_overnight(phx_report_ctx *c)
{
	json_t *m = head(c, "overnight");
	char from[PHX_TIME_LEN], to[PHX_TIME_LEN];
	time_t start = c->now - 24 * 3600;

	phx_time_format(start, from);
	phx_time_format(c->now, to);
	json_object_set_new(m, "from", json_string(from));
	json_object_set_new(m, "to", json_string(to));
	json_object_set_new(m, "sla", phx_report_sla(c, start, c->now + 1));
	json_object_set_new(m, "rejects", phx_report_rejects(c, start, c->now + 1));
	phx_report_spend(c, m, NULL);
	json_object_set_new(m, "health", phx_report_health(c));
	json_object_set_new(m, "alerts", phx_report_alerts(c, start, c->now + 1));
	return m;
}

/* "better", "worse" or "same" for a figure where higher (or lower) is better. */
static const char *trend(const json_t *now, const json_t *before, int higher_is_better)
{
	if (!json_is_number(now) || !json_is_number(before))
		return "n/a";
	double a = json_number_value(now), b = json_number_value(before);
	if (a == b)
		return "same";
	return (a > b) == (higher_is_better != 0) ? "better" : "worse";
}

json_t *phx_report_weekly(phx_report_ctx *c)
{
	static const struct { const char *key; int higher; } figs[] = {
		{ "success_pct", 1 }, { "error_pct", 0 }, { "per_hour", 1 },
		{ "latency_avg_ms", 0 }, { NULL, 0 }
	};
	json_t *m = head(c, "weekly"), *h = days(c, 7), *e;
	time_t from = phx_phoenix_midnight(c->y, c->m, c->d - 6);
	time_t before = phx_phoenix_midnight(c->y, c->m, c->d - 13);
	size_t i;
	long long props = 0, spent = 0;

	json_object_set_new(m, "store", json_object());
	json_object_set_new(m, "from", json_string(phx_jstr(json_array_get(h, 0), "date")));
	phx_report_store_history(c, m, h);
	phx_report_spend(c, m, h);
	phx_report_reject_history(c, h);
	json_array_foreach(h, i, e) {
		int y, mo, d;
		phx_date_parse(phx_jstr(e, "date"), &y, &mo, &d);
		json_t *s = phx_report_sla(c, phx_phoenix_midnight(y, mo, d),
					   phx_phoenix_midnight(y, mo, d + 1));
		json_object_set(e, "success_pct", json_object_get(s, "success_pct"));
		json_object_set(e, "per_hour", json_object_get(s, "per_hour"));
		json_decref(s);
		props += phx_jint(e, "properties", 0);
		spent += phx_jint(e, "spend_usd_micros", 0);
	}
	json_t *week = phx_report_sla(c, from, c->day_end);
	json_t *prev = phx_report_sla(c, before, from), *tr = json_object();
	for (int k = 0; figs[k].key; k++)
		json_object_set_new(tr, figs[k].key,
				    json_string(trend(json_object_get(week, figs[k].key),
						      json_object_get(prev, figs[k].key),
						      figs[k].higher)));
	json_object_set_new(m, "sla", week);
	json_object_set_new(m, "previous", prev);
	json_object_set_new(m, "trend", tr);
	json_object_set_new(m, "properties", json_integer(props));
	json_object_set_new(m, "spend_usd_micros", json_integer(spent));
	json_object_set_new(m, "usd_micros_per_property",
			    props ? json_integer(spent / props) : json_null());
	json_object_set_new(m, "rejects", phx_report_rejects(c, from, c->day_end));
	json_object_set_new(m, "history", h);
	return m;
}
