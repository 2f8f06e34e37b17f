/* report_journals.c - what the state directory's journals say about a
 * window: the rejects of every tool (rejects/TOOL-YYYY-MM-DD.ndjson, named
 * by the UTC day they were written), the SLA figures and the daily reject
 * rate (runs.ndjson), the alerts (alerts.ndjson) and the last health check. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report_int.h"
#include "exitcode.h"
#include "log.h"
#include "redact.h"
#include "sla.h"
#include "state.h"
#include "timeutil.h"

/* The runbook's service level targets (PRODUCTION_RUNBOOK.md). */
#define TARGET_SUCCESS_PCT 95.0
#define TARGET_ERROR_PCT 5.0
#define TARGET_PER_HOUR 1000.0
#define TARGET_LATENCY_MS 2000.0

static void journal_failed(phx_report_ctx *c, const char *path)
{
	phx_err("cannot read %s: %s", path, strerror(errno));
	c->worst = phx_exit_worst(c->worst, PHX_EX_IOERR);
}

static int in_window(const json_t *o, const char *key, time_t from, time_t to, time_t *t)
{
	const char *at = phx_jstr(o, key);
	return at && phx_time_parse(at, t) == 0 && *t >= from && *t < to;
}

/* Each line of path as a JSON object, to fn; a line that is not one is skipped. */
typedef void (*line_fn)(json_t *o, void *arg);
static int each_line(const char *path, line_fn fn, void *arg)
{
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f)
		return errno == ENOENT ? 0 : -1;
	while ((n = getline(&line, &cap, f)) > 0) {
		json_t *o = json_loadb(line, (size_t)n, JSON_DECODE_ANY, NULL);
		if (json_is_object(o))
			fn(o, arg);
		json_decref(o);
	}
	free(line);
	int bad = ferror(f);
	fclose(f);
	return bad ? -1 : 0;
}

struct rejects_acc {
	time_t from, to;
	json_t *codes;		/* code -> {"code","count","tool","reason"} */
	long long total;
};

static void reject_line(json_t *o, void *arg)
{
	struct rejects_acc *a = arg;
	const char *code = phx_jstr(o, "code");
	time_t t;

	if (!code || !in_window(o, "at", a->from, a->to, &t))
		return;
	a->total++;
	json_t *e = json_object_get(a->codes, code);
	if (e) {
		json_object_set_new(e, "count", json_integer(phx_jint(e, "count", 0) + 1));
		return;
	}
	const char *tool = phx_jstr(o, "tool"), *reason = phx_jstr(o, "reason");
	char *shown = phx_redact_dup(reason ? reason : "");
	e = json_pack("{s:s, s:I, s:s, s:s}", "code", code, "count", (json_int_t)1, "tool",
		      tool ? tool : "", "reason", shown);
	free(shown);
	/* where the example came from, to find its record: "file:line" */
	const json_t *in = json_object_get(o, "input");
	const char *file = phx_jstr(in, "file");
	if (e && file) {
		char where[512];
		snprintf(where, sizeof where, "%s:%lld", file, phx_jint(in, "line", 0));
		json_object_set_new(e, "input", json_string(where));
	}
	if (e)
		json_object_set_new(a->codes, code, e);
}

/* A dead-letter file "TOOL-YYYY-MM-DD.ndjson" of a UTC day the window touches. */
static int wanted_file(const char *name, time_t from, time_t to)
{
	size_t n = strlen(name);
	char day[PHX_TIME_LEN], first[PHX_TIME_LEN], last[PHX_TIME_LEN];

	if (n < 18 || strcmp(name + n - 7, ".ndjson") != 0 || name[n - 18] != '-')
		return 0;
	snprintf(day, sizeof day, "%.10s", name + n - 17);
	phx_time_format(from, first);
	phx_time_format(to - 1, last);
	return strncmp(day, first, 10) >= 0 && strncmp(day, last, 10) <= 0;
}

static int by_count(const void *pa, const void *pb)
{
	const json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
	long long ca = phx_jint(a, "count", 0), cb = phx_jint(b, "count", 0);
	if (ca != cb)
		return ca < cb ? 1 : -1;
	return strcmp(phx_jstr(a, "code"), phx_jstr(b, "code"));
}

json_t *phx_report_rejects(phx_report_ctx *c, time_t from, time_t to)
{
	struct rejects_acc a = { from, to, json_object(), 0 };
	char dir[4096], path[8192];
	long long files = 0;

	if (phx_state_path(dir, sizeof dir, "rejects/x") == 0) {
		dir[strlen(dir) - 2] = '\0';
		DIR *d = opendir(dir);
		struct dirent *de;
		while (d && (de = readdir(d)) != NULL) {
			if (!wanted_file(de->d_name, from, to))
				continue;
			snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
			files++;
			if (each_line(path, reject_line, &a) != 0)
				journal_failed(c, path);
		}
		if (d)
			closedir(d);
	}
	size_t n = json_object_size(a.codes), i = 0;
	json_t **v = calloc(n ? n : 1, sizeof *v), *top = json_array(), *e;
	const char *k;
	json_object_foreach(a.codes, k, e)
		v[i++] = e;
	qsort(v, n, sizeof *v, by_count);
	for (i = 0; i < n && i < PHX_REPORT_TOP_CODES; i++)
		json_array_append(top, v[i]);
	free(v);
	json_t *out = json_pack("{s:I, s:I, s:I, s:o}", "total", (json_int_t)a.total, "codes",
				(json_int_t)n, "files", (json_int_t)files, "top", top);
	json_decref(a.codes);
	return out;
}

static json_t *figure(double x)
{
	return x < 0 ? json_null() : json_real((double)(long long)(x * 10 + 0.5) / 10);
}

json_t *phx_report_sla(phx_report_ctx *c, time_t from, time_t to)
{
	char path[4096];
	phx_sla s;
	unsigned long long runs = 0, failed = 0;
	json_t *bad = json_array();

	if (phx_state_path(path, sizeof path, "runs.ndjson") != 0 ||
	    phx_sla_read(path, from, to, &s) != 0) {
		journal_failed(c, path);
		memset(&s, 0, sizeof s);
		s.success_pct = s.error_pct = s.per_hour = -1;
		s.latency_avg_ms = s.latency_p95_ms = -1;
	}
	for (size_t i = 0; i < s.ntools; i++) {
		runs += s.tools[i].runs;
		failed += s.tools[i].failed;
		if (s.tools[i].failed)
			json_array_append_new(bad, json_pack("{s:s, s:I, s:I}", "tool",
							     s.tools[i].tool, "failed",
							     (json_int_t)s.tools[i].failed, "runs",
							     (json_int_t)s.tools[i].runs));
	}
	return json_pack("{s:I, s:I, s:o, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o,"
			 " s:I, s:I, s:I, s:{s:f, s:f, s:f, s:f}}",
			 "runs", (json_int_t)runs, "failed_runs", (json_int_t)failed,
			 "failed", bad, "fetch_runs", (json_int_t)s.fetch_runs,
			 "fetched", (json_int_t)s.fetched, "fetch_rejected",
			 (json_int_t)s.fetch_rejected, "requests", (json_int_t)s.requests,
			 "success_pct", figure(s.success_pct), "error_pct", figure(s.error_pct),
			 "per_hour", figure(s.per_hour), "latency_avg_ms",
			 figure(s.latency_avg_ms), "latency_p95_ms", figure(s.latency_p95_ms),
			 "stored_new", (json_int_t)s.stored_new, "stored_updated",
			 (json_int_t)s.stored_updated, "stored_unchanged",
			 (json_int_t)s.stored_unchanged, "targets", "success_pct",
			 TARGET_SUCCESS_PCT, "error_pct", TARGET_ERROR_PCT, "per_hour",
			 TARGET_PER_HOUR, "latency_avg_ms", TARGET_LATENCY_MS);
}

json_t *phx_report_health(phx_report_ctx *c)
{
	static const char *const names[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };
	char path[4096], at[PHX_TIME_LEN];
	phx_sla s;

	if (phx_state_path(path, sizeof path, "runs.ndjson") != 0 ||
	    phx_sla_read(path, 0, c->now + 1, &s) != 0)
		return json_pack("{s:s}", "state", "unknown");
	const phx_sla_tool *t = phx_sla_tool_get(&s, "phx-health");
	if (!t || !t->last_run)
		return json_pack("{s:s}", "state", "not run");
	phx_time_format(t->last_run, at);
	return json_pack("{s:s, s:s}", "state",
			 t->last_exit >= 0 && t->last_exit <= 3 ? names[t->last_exit] : "UNKNOWN",
			 "at", at);
}

struct alerts_acc {
	time_t from, to;
	json_t *list;
};

static void alert_line(json_t *o, void *arg)
{
	struct alerts_acc *a = arg;
	time_t t;

	if (!in_window(o, "at", a->from, a->to, &t))
		return;
	const char *msg = phx_jstr(o, "message");
	char *shown = phx_redact_dup(msg ? msg : "");
	const char *tool = phx_jstr(o, "tool"), *key = phx_jstr(o, "key");
	const char *state = phx_jstr(o, "state");
	json_array_append_new(a->list, json_pack("{s:s, s:s, s:s, s:s, s:s}", "at",
						 phx_jstr(o, "at"), "tool", tool ? tool : "",
						 "key", key ? key : "", "state",
						 state ? state : "", "message", shown));
	free(shown);
	if (json_array_size(a->list) > 50)
		json_array_remove(a->list, 0);
}

json_t *phx_report_alerts(phx_report_ctx *c, time_t from, time_t to)
{
	struct alerts_acc a = { from, to, json_array() };
	char path[4096];

	if (phx_state_path(path, sizeof path, "alerts.ndjson") == 0 &&
	    each_line(path, alert_line, &a) != 0)
		journal_failed(c, path);
	return a.list;
}

struct rate_acc {
	time_t first;
	int n;
	long long out[PHX_REPORT_HISTORY_DAYS * 2], rej[PHX_REPORT_HISTORY_DAYS * 2];
};

static void run_line(json_t *o, void *arg)
{
	struct rate_acc *a = arg;
	time_t t;

	if (!phx_jstr(o, "phx") || strcmp(phx_jstr(o, "phx"), "run") != 0 ||
	    !in_window(o, "ended", a->first, a->first + (time_t)a->n * 86400, &t))
		return;
	int i = (int)((t - a->first) / 86400);
	a->out[i] += phx_jint(o, "out", 0);
	a->rej[i] += phx_jint(o, "rejected", 0);
}

void phx_report_reject_history(phx_report_ctx *c, json_t *history)
{
	struct rate_acc a;
	char path[4096];
	time_t first;

	memset(&a, 0, sizeof a);
	a.n = (int)json_array_size(history);
	if (a.n == 0 || a.n > PHX_REPORT_HISTORY_DAYS * 2)
		return;
	int y, m, d;
	if (phx_date_parse(phx_jstr(json_array_get(history, 0), "date"), &y, &m, &d) != 0)
		return;
	first = phx_phoenix_midnight(y, m, d);
	a.first = first;
	if (phx_state_path(path, sizeof path, "runs.ndjson") == 0 &&
	    each_line(path, run_line, &a) != 0)
		journal_failed(c, path);
	for (int i = 0; i < a.n; i++) {
		long long all = a.out[i] + a.rej[i];
		json_object_set_new(json_array_get(history, (size_t)i), "reject_pct",
				    all ? figure(100.0 * (double)a.rej[i] / (double)all)
					: json_null());
	}
}
