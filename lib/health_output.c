/* health_output.c - Monitoring Plugins text, NDJSON and Prometheus textfile
 * output of phx-health (see health_output.h).
 *
 * Messages can hold a URI or a reason phrase a server chose, so each one is
 * redacted before it is formatted, and the formatted text once more. */
#include "health_output.h"
#include "exitcode.h"
#include "redact.h"
#include "state.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int phx_health_counts(const phx_health_check *c, int named)
{
	return c->selected && (!c->r.skipped || named);
}

void phx_health_perfdata(const phx_health_check *c, const phx_health_ctx *ctx, phx_buf *out)
{
	for (size_t i = 0; i < c->r.nvalues; i++) {
		const phx_health_value *v = &c->r.values[i];
		phx_range w, k;
		phx_health_ranges(ctx, v->def, &w, &k);
		phx_perfdata_add(out, v->def->label, v->value, v->def->uom, &w, &k, v->has_min,
				 v->min, v->has_max, v->max);
	}
}

static void add_redacted(phx_buf *out, const char *s)
{
	phx_redact_append(out, s ? s : "", s ? strlen(s) : 0);
}

static void add_json_redacted(phx_buf *out, const char *s)
{
	char *r = phx_redact_dup(s ? s : "");
	phx_buf_add_json_string(out, r, strlen(r));
	free(r);
}

static int failing(const phx_health_check *c)
{
	return c->r.state != PHX_MP_OK && !c->r.skipped;
}

static void status_line(const phx_health_report *rp, phx_buf *out)
{
	static const int order[] = { PHX_MP_CRITICAL, PHX_MP_WARNING, PHX_MP_UNKNOWN };
	static const char *const words[] = { "critical", "warning", "unknown" };
	size_t ok = 0, skipped = 0, ran = 0;
	int any = 0;

	phx_buf_printf(out, "PHX-HEALTH %s - ", phx_mp_state_name(rp->state));
	for (size_t k = 0; k < 3; k++) {
		size_t cnt = 0;
		for (size_t i = 0; i < rp->n; i++) {
			const phx_health_check *c = &rp->checks[i];
			if (!c->selected || c->r.skipped || c->r.state != order[k])
				continue;
			phx_buf_adds(out, cnt++ ? ", " : any++ ? "; " : "");
			if (cnt == 1)
				phx_buf_printf(out, "%s: ", words[k]);
			phx_buf_adds(out, c->name);
		}
	}
	for (size_t i = 0; i < rp->n; i++) {
		const phx_health_check *c = &rp->checks[i];
		if (!c->selected)
			continue;
		ran++;
		skipped += c->r.skipped;
		ok += !c->r.skipped && c->r.state == PHX_MP_OK;
	}
	phx_buf_printf(out, "%s%zu of %zu checks OK", any ? "; " : "", ok, ran);
	if (skipped)
		phx_buf_printf(out, ", %zu skipped (not configured)", skipped);
	phx_buf_printf(out, ", %.1f s", (double)rp->ms / 1000.0);
}

void phx_health_text(const phx_health_report *rp, phx_buf *out)
{
	phx_buf perf = PHX_BUF_INIT, raw = PHX_BUF_INIT;

	status_line(rp, &raw);
	for (size_t i = 0; i < rp->n; i++)
		if (rp->checks[i].selected)
			phx_health_perfdata(&rp->checks[i], rp->ctx, &perf);
	if (perf.len)
		phx_buf_printf(&raw, " | %s", perf.data);
	phx_buf_addc(&raw, '\n');
	for (size_t i = 0; i < rp->n; i++) {
		const phx_health_check *c = &rp->checks[i];
		if (!c->selected)
			continue;
		phx_buf_printf(&raw, "%s: %s - %s (%lld ms)\n", c->name,
			       phx_mp_state_name(c->r.state),
			       c->r.message.data ? c->r.message.data : "", (long long)c->r.ms);
		if (rp->details && c->r.detail.len) {
			const char *p = c->r.detail.data;
			while (*p) {
				const char *nl = strchr(p, '\n');
				size_t n = nl ? (size_t)(nl - p) : strlen(p);
				phx_buf_printf(&raw, "  %.*s\n", (int)n, p);
				p += n + (nl != NULL);
			}
		}
		if (rp->emergency && failing(c) && c->r.next_step)
			phx_buf_printf(&raw, "  next step: %s\n", c->r.next_step);
	}
	add_redacted(out, raw.data);
	phx_buf_free(&perf);
	phx_buf_free(&raw);
}

static void json_details(const phx_health_check *c, phx_buf *line)
{
	const char *p = c->r.detail.data;
	int first = 1;
	phx_buf_adds(line, ",\"detail\":[");
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		phx_buf one_line = PHX_BUF_INIT;
		phx_buf_add(&one_line, p, n);
		if (!first)
			phx_buf_addc(line, ',');
		first = 0;
		add_json_redacted(line, one_line.data ? one_line.data : "");
		phx_buf_free(&one_line);
		p += n + (nl != NULL);
	}
	phx_buf_addc(line, ']');
}

void phx_health_json(const phx_health_report *rp, phx_buf *out)
{
	size_t ran = 0;
	for (size_t i = 0; i < rp->n; i++) {
		const phx_health_check *c = &rp->checks[i];
		phx_buf perf = PHX_BUF_INIT, line = PHX_BUF_INIT;
		if (!c->selected)
			continue;
		ran++;
		phx_health_perfdata(c, rp->ctx, &perf);
		phx_buf_adds(&line, "{\"phx\":\"health\",\"check\":");
		phx_buf_add_json_string(&line, c->name, strlen(c->name));
		phx_buf_printf(&line, ",\"state\":\"%s\",\"message\":",
			       phx_mp_state_name(c->r.state));
		add_json_redacted(&line, c->r.message.data);
		phx_buf_adds(&line, ",\"perfdata\":");
		add_json_redacted(&line, perf.data);
		if (c->r.skipped)
			phx_buf_adds(&line, ",\"skipped\":true");
		if (c->r.timed_out)
			phx_buf_adds(&line, ",\"timeout\":true");
		phx_buf_printf(&line, ",\"duration_ms\":%lld", (long long)c->r.ms);
		if (rp->details && c->r.detail.len)
			json_details(c, &line);
		if (rp->emergency && failing(c) && c->r.next_step) {
			phx_buf_adds(&line, ",\"next_step\":");
			add_json_redacted(&line, c->r.next_step);
		}
		phx_buf_adds(&line, "}\n");
		add_redacted(out, line.data);
		phx_buf_free(&perf);
		phx_buf_free(&line);
	}
	phx_buf_printf(out, "{\"phx\":\"health\",\"check\":\"summary\",\"state\":\"%s\","
		       "\"exit\":%d,\"checks\":%zu,\"duration_ms\":%lld}\n",
		       phx_mp_state_name(rp->state), rp->state, ran, (long long)rp->ms);
}

/* A Prometheus label value: backslash, quote and newline escaped. */
static void prom_label(phx_buf *out, const char *s)
{
	char *r = phx_redact_dup(s);
	for (const char *p = r; *p; p++) {
		if (*p == '\\' || *p == '"')
			phx_buf_addc(out, '\\');
		if (*p == '\n')
			phx_buf_adds(out, "\\n");
		else
			phx_buf_addc(out, *p);
	}
	free(r);
}

static void prom_head(phx_buf *out, const char *name, const char *help)
{
	phx_buf_printf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

static void prom_per_check(const phx_health_report *rp, phx_buf *out, int what)
{
	for (size_t i = 0; i < rp->n; i++) {
		const phx_health_check *c = &rp->checks[i];
		static const char *const names[] = { "phx_health_state", "phx_health_skipped",
						     "phx_health_duration_seconds" };
		if (!c->selected)
			continue;
		phx_buf_printf(out, "%s{check=\"", names[what]);
		prom_label(out, c->name);
		phx_buf_adds(out, "\"} ");
		if (what == 0)
			phx_buf_printf(out, "%d\n", c->r.state);
		else if (what == 1)
			phx_buf_printf(out, "%d\n", c->r.skipped);
		else
			phx_buf_printf(out, "%.3f\n", (double)c->r.ms / 1000.0);
	}
}

void phx_health_prometheus(const phx_health_report *rp, time_t now, phx_buf *out)
{
	prom_head(out, "phx_health_state",
		  "State of a phx-health check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.");
	prom_per_check(rp, out, 0);
	prom_head(out, "phx_health_skipped", "1 when the check's service is not configured.");
	prom_per_check(rp, out, 1);
	prom_head(out, "phx_health_duration_seconds", "How long the check took.");
	prom_per_check(rp, out, 2);
	prom_head(out, "phx_health_value", "A figure a check measured, in the unit of its label.");
	for (size_t i = 0; i < rp->n; i++) {
		const phx_health_check *c = &rp->checks[i];
		if (!c->selected)
			continue;
		for (size_t k = 0; k < c->r.nvalues; k++) {
			const phx_health_value *v = &c->r.values[k];
			const char *dot = strchr(v->def->label, '.');
			phx_buf_adds(out, "phx_health_value{check=\"");
			prom_label(out, c->name);
			phx_buf_adds(out, "\",metric=\"");
			prom_label(out, dot ? dot + 1 : v->def->label);
			phx_buf_adds(out, "\",unit=\"");
			prom_label(out, v->def->uom);
			phx_buf_printf(out, "\"} %.17g\n", v->value);
		}
	}
	prom_head(out, "phx_health_exit_status", "Exit status of the run (the worst state).");
	phx_buf_printf(out, "phx_health_exit_status %d\n", rp->state);
	prom_head(out, "phx_health_last_run_timestamp_seconds", "When phx-health last ran.");
	phx_buf_printf(out, "phx_health_last_run_timestamp_seconds %lld\n", (long long)now);
}

int phx_health_prometheus_write(const char *dir, const phx_buf *text)
{
	char path[PATH_MAX];
	int n = snprintf(path, sizeof path, "%s/phx_health.prom", dir);
	if (n < 0 || (size_t)n >= sizeof path)
		return -1;
	return phx_write_atomic(path, text->data ? text->data : "", text->len, 0644);
}
