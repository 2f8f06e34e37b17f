/* cost_alerts.c - one alert per limit and period (see cost_alerts.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cost_alerts.h"
#include "buf.h"
#include "exitcode.h"
#include "jsonpool.h"
#include "log.h"
#include "state.h"
#include "timeutil.h"

struct limit {
	const char *key, *what, *level;
	long long value, limit;
	const char *period;
};

/* 1 when "KEY PERIOD" is a line of sent. */
static int was_sent(const char *sent, const char *key, const char *period)
{
	char line[160];
	int n = snprintf(line, sizeof line, "%s %s\n", key, period);
	for (const char *p = sent; p && (p = strstr(p, line)); p += n)
		if (p == sent || p[-1] == '\n')
			return 1;
	return 0;
}

static int send_one(const struct limit *x, const char *at, const char *alerts,
		    const char *memory)
{
	char v[32], l[32], msg[256], line[160];
	phx_money_format(x->value, v);
	phx_money_format(x->limit, l);
	snprintf(msg, sizeof msg, "cost %s: %s %s is past the %s limit %s", x->period, x->what, v,
		 x->level, l);
	json_t *a = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "phx", "alert",
			      "tool", "phx-cost", "at", at, "key", x->key, "period", x->period,
			      "state", strcmp(x->level, "critical") == 0 ? "CRITICAL" : "WARNING",
			      "message", msg, "usd_micros", (json_int_t)x->value,
			      "limit_usd_micros", (json_int_t)x->limit);
	char *s = a ? json_dumps(a, JSON_COMPACT) : NULL;
	json_decref(a);
	int rc = s && phx_append_line(alerts, s, strlen(s), 0644) == 0 ? 0 : -1;
	phx_json_free(s);
	/* remembered only once written: a lost write is retried next run */
	int n = snprintf(line, sizeof line, "%s %s", x->key, x->period);
	if (rc == 0 && phx_append_line(memory, line, (size_t)n, 0600) != 0)
		rc = -1;
	if (rc != 0)
		phx_warn("%s: cannot append the alert %s", alerts, x->key);
	else
		phx_info("alert: %s", msg);
	return rc;
}

int phx_cost_alerts(const phx_cost_view *v)
{
	const phx_cost_summary *s = &v->s;
	const phx_prices *p = v->p;
	long long prop = v->value[PHX_CM_PROPERTY];
	struct limit all[] = {
		{ "cost.month.warning", "month to date", "warning", s->total, p->month_warn, s->month },
		{ "cost.month.critical", "month to date", "critical", s->total, p->month_crit,
		  s->month },
		{ "cost.forecast.warning", "the forecast month-end spend", "warning", s->forecast,
		  p->month_warn, s->month },
		{ "cost.forecast.critical", "the forecast month-end spend", "critical", s->forecast,
		  p->month_crit, s->month },
		{ "cost.day.warning", "today's spend", "warning", s->today_total, p->day_warn,
		  s->today },
		{ "cost.day.critical", "today's spend", "critical", s->today_total, p->day_crit,
		  s->today },
		{ "cost.property.warning", "the cost per stored property", "warning", prop,
		  p->prop_warn, s->month },
		{ "cost.property.critical", "the cost per stored property", "critical", prop,
		  p->prop_crit, s->month },
	};
	char lock[4096], alerts[4096], memory[4096], at[PHX_TIME_LEN];
	size_t n = sizeof all / sizeof *all;
	int due = 0, written = 0;
	for (size_t i = 0; i < n; i++)
		due += all[i].value >= 0 && all[i].value > all[i].limit;
	if (!due)
		return 0;
	if (phx_state_path(lock, sizeof lock, "cost-alerts.lock") ||
	    phx_state_path(alerts, sizeof alerts, "alerts.ndjson") ||
	    phx_state_path(memory, sizeof memory, "cost-alerts.sent"))
		return -1;
	int fd = phx_lock(lock);
	if (fd < 0)
		return -1;
	size_t len;
	char *sent = phx_read_file(memory, &len);
	phx_time_format(v->at, at);
	for (size_t i = 0; i < n; i++) {
		const struct limit *x = &all[i];
		if (x->value < 0 || x->value <= x->limit || was_sent(sent, x->key, x->period))
			continue;
		if (send_one(x, at, alerts, memory) == 0)
			written++;
	}
	free(sent);
	phx_unlock(fd);
	return written;
}
