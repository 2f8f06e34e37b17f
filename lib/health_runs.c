/* health_runs.c - the runs check: the run journal ($STATE/runs.ndjson)
 * judged against the runbook's SLA table (sla.h computes the figures).
 *
 * A dead man's switch comes first: no successful phx-fetch run in 26 hours
 * (a daily collection missed, with slack) is CRITICAL whatever the figures
 * say, because a silent cron looks exactly like a quiet, healthy system. */
#include "health_checks.h"
#include "exitcode.h"
#include "sla.h"
#include "state.h"
#include "timeutil.h"
#include "xalloc.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const phx_health_metric_def phx_health_runs_metrics[] = {
	{ "runs.fetch_age", "", NULL, "~:26", "hours since the last successful phx-fetch run" },
	{ "runs.store_age", "", NULL, "~:26", "hours since the last successful phx-store run" },
	{ "runs.success", "%", "90:", "80:", "records fetched / (fetched + rejected)" },
	{ "runs.throughput", "", "800:", "500:", "properties fetched per hour of run time" },
	{ "runs.error", "%", "~:10", "~:20", "failed requests / requests" },
	{ "runs.latency_avg", "ms", "~:5000", "~:10000", "mean response time" },
	{ "runs.latency_p95", "ms", NULL, NULL, "95th percentile response time" },
	{ "runs.failed", "", NULL, NULL, "runs of any tool that failed (exit > 1)" },
	{ NULL, NULL, NULL, NULL, NULL }
};

struct runs_cfg {
	char path[PATH_MAX];
};

int phx_health_runs_setup(phx_health_check *c, phx_health_ctx *ctx)
{
	struct runs_cfg *r = phx_xcalloc(1, sizeof *r);

	(void)ctx;
	c->data = r;
	c->r.next_step = "runbook 'High Error Rate': look at the rejects and the last runs "
			 "(tail $PHX_STATE_DIR/runs.ndjson), the proxies and the rate limits; "
			 "a stale last run: check cron and the collection workflow";
	if (phx_state_path(r->path, sizeof r->path, "runs.ndjson") != 0) {
		phx_health_set(&c->r, PHX_MP_UNKNOWN, "no state directory for runs.ndjson");
		return 1;
	}
	return 0;
}

/* The dead man's switch for one tool; returns its state. */
static int judge_age(phx_health_check *c, phx_health_ctx *ctx, const phx_sla *s,
		     const char *tool, const char *label, int required, phx_buf *msg)
{
	const phx_sla_tool *t = phx_sla_tool_get(s, tool);
	double age;

	if (!t || !t->last_ok) {
		if (!required && !t)
			return PHX_MP_OK;
		phx_buf_printf(msg, "%sno successful %s run recorded", msg->len ? "; " : "", tool);
		c->r.state = PHX_MP_CRITICAL;
		return PHX_MP_CRITICAL;
	}
	age = (double)(ctx->now - t->last_ok) / 3600.0;
	phx_buf_printf(msg, "%slast %s OK %.1f h ago", msg->len ? "; " : "", tool, age);
	return phx_health_value_add(c, ctx, label, age);
}

static void add_figures(phx_health_check *c, phx_health_ctx *ctx, const phx_sla *s,
			phx_buf *msg)
{
	unsigned long long failed = 0;

	for (size_t i = 0; i < s->ntools; i++) {
		const phx_sla_tool *t = &s->tools[i];
		char ok[PHX_TIME_LEN] = "never";
		failed += t->failed;
		if (t->last_ok)
			phx_time_format(t->last_ok, ok);
		phx_health_detail(&c->r, "%s: last OK %s, last exit %d; window: %llu runs, "
				  "%llu failed, in %llu, out %llu, rejected %llu", t->tool, ok,
				  t->last_exit, t->runs, t->failed, t->in, t->out, t->rejected);
	}
	phx_health_value_add(c, ctx, "runs.failed", (double)failed);
	if (s->fetch_runs == 0) {
		phx_buf_printf(msg, "; no phx-fetch run in the last %.3g h",
			       (double)ctx->window_s / 3600.0);
		return;
	}
	phx_buf_printf(msg, "; over %.3g h: %llu fetch runs", (double)ctx->window_s / 3600.0,
		       s->fetch_runs);
	if (s->success_pct >= 0) {
		phx_health_value_add_mm(c, ctx, "runs.success", s->success_pct, 0, 1, 100);
		phx_buf_printf(msg, ", success %.1f %%", s->success_pct);
	}
	if (s->per_hour >= 0) {
		phx_health_value_add(c, ctx, "runs.throughput", s->per_hour);
		phx_buf_printf(msg, ", %.0f properties/h", s->per_hour);
	}
	if (s->error_pct >= 0) {
		phx_health_value_add_mm(c, ctx, "runs.error", s->error_pct, 0, 1, 100);
		phx_buf_printf(msg, ", errors %.1f %%", s->error_pct);
	}
	if (s->latency_avg_ms >= 0) {
		phx_health_value_add(c, ctx, "runs.latency_avg", s->latency_avg_ms);
		phx_health_value_add(c, ctx, "runs.latency_p95", s->latency_p95_ms);
		phx_buf_printf(msg, ", latency %.0f ms avg / %.0f ms p95", s->latency_avg_ms,
			       s->latency_p95_ms);
	}
}

void phx_health_runs_run(phx_health_check *c, phx_health_ctx *ctx)
{
	const struct runs_cfg *r = c->data;
	phx_buf msg = PHX_BUF_INIT;
	struct stat st;
	phx_sla *s = phx_xcalloc(1, sizeof *s);

	if (phx_sla_read(r->path, ctx->now - (time_t)ctx->window_s, ctx->now + 1, s) != 0) {
		phx_health_set(&c->r, PHX_MP_UNKNOWN, "%s: %s", r->path, strerror(errno));
		free(s);
		return;
	}
	if (stat(r->path, &st) != 0)
		phx_health_detail(&c->r, "%s does not exist: no run was ever recorded", r->path);
	if (s->bad_lines)
		phx_health_detail(&c->r, "%s: %llu lines that are not run summaries", r->path,
				  s->bad_lines);
	judge_age(c, ctx, s, "phx-fetch", "runs.fetch_age", 1, &msg);
	judge_age(c, ctx, s, "phx-store", "runs.store_age", 0, &msg);
	add_figures(c, ctx, s, &msg);
	phx_health_set(&c->r, PHX_MP_OK, "%s", msg.data);
	phx_buf_free(&msg);
	free(s);
}

void phx_health_runs_cleanup(phx_health_check *c)
{
	free(c->data);
	c->data = NULL;
}
