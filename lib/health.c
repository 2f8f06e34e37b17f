/* health.c - what every phx-health check shares: -w/-c overrides, results,
 * and running the checks in parallel, each within its own deadline.
 *
 * The previous system's health script ran its checks one after another
 * without timeouts, so one hung service hid all the others. Here every
 * check gets a thread and a deadline; a check that overruns is reported
 * as a timeout and abandoned, so the whole run ends in about one timeout
 * however many services are down. */
#include "health.h"
#include "exitcode.h"
#include "timeutil.h"
#include "xalloc.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GRACE_MS 500	/* past the deadline before a check is abandoned */

/* --- -w / -c --- */

static const phx_health_metric_def *find_def(const char *label, size_t n)
{
	size_t nc;
	phx_health_check *cs = phx_health_checks(&nc);
	for (size_t i = 0; i < nc; i++)
		for (const phx_health_metric_def *d = cs[i].metrics; d && d->label; d++)
			if (strlen(d->label) == n && strncmp(d->label, label, n) == 0)
				return d;
	return NULL;
}

static int add_override(phx_health_ctx *ctx, const char *item, size_t n, int crit,
			char *err, size_t errn)
{
	const char *eq = memchr(item, '=', n);
	char range[48];
	phx_health_override *o;
	size_t nl = eq ? (size_t)(eq - item) : 0, nr = eq ? n - nl - 1 : 0;

	if (!eq || nl == 0) {
		snprintf(err, errn, "'%.*s': not LABEL=RANGE (e.g. runs.success=90:)", (int)n, item);
		return -1;
	}
	if (!find_def(item, nl)) {
		snprintf(err, errn, "'%.*s': no check reports that metric (see --help)",
			 (int)nl, item);
		return -1;
	}
	if (nr == 0 || nr >= sizeof range) {
		snprintf(err, errn, "%.*s: empty or too long range", (int)nl, item);
		return -1;
	}
	memcpy(range, eq + 1, nr);
	range[nr] = '\0';
	ctx->ov = phx_xrealloc(ctx->ov, (ctx->nov + 1) * sizeof *ctx->ov);
	o = &ctx->ov[ctx->nov];
	memset(o, 0, sizeof *o);
	memcpy(o->label, item, nl);
	o->crit = crit;
	if (phx_range_parse(range, &o->range) != 0 || !o->range.set) {
		snprintf(err, errn, "%.*s: '%s' is not a range (10, 10:, ~:10, 10:20, @10:20)",
			 (int)nl, item, range);
		return -1;
	}
	ctx->nov++;
	return 0;
}

int phx_health_parse_spec(phx_health_ctx *ctx, const char *spec, int crit,
			  char *err, size_t errn)
{
	const char *p = spec;
	if (!spec || !*spec) {
		snprintf(err, errn, "empty threshold");
		return -1;
	}
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		if (add_override(ctx, p, n, crit, err, errn) != 0)
			return -1;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

void phx_health_ranges(const phx_health_ctx *ctx, const phx_health_metric_def *def,
		       phx_range *warn, phx_range *crit)
{
	phx_range_parse(def->warn, warn);
	phx_range_parse(def->crit, crit);
	for (size_t i = 0; i < ctx->nov; i++) {	/* the last one given wins */
		if (strcmp(ctx->ov[i].label, def->label) != 0)
			continue;
		*(ctx->ov[i].crit ? crit : warn) = ctx->ov[i].range;
	}
}

/* --- results --- */

void phx_health_set(phx_health_result *r, int st, const char *fmt, ...)
{
	va_list ap;
	r->state = phx_mp_worst(r->state, st);
	phx_buf_clear(&r->message);
	va_start(ap, fmt);
	phx_buf_vprintf(&r->message, fmt, ap);
	va_end(ap);
}

void phx_health_skip(phx_health_result *r, const char *fmt, ...)
{
	va_list ap;
	r->state = PHX_MP_UNKNOWN;
	r->skipped = 1;
	phx_buf_clear(&r->message);
	phx_buf_adds(&r->message, "skipped, not configured: ");
	va_start(ap, fmt);
	phx_buf_vprintf(&r->message, fmt, ap);
	va_end(ap);
}

void phx_health_detail(phx_health_result *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	phx_buf_vprintf(&r->detail, fmt, ap);
	va_end(ap);
	phx_buf_addc(&r->detail, '\n');
}

int phx_health_value_add_mm(phx_health_check *c, const phx_health_ctx *ctx,
			    const char *label, double v, double min, int has_max, double max)
{
	phx_health_result *r = &c->r;
	const phx_health_metric_def *d = c->metrics;
	phx_range w, k;
	phx_health_value *hv;

	while (d && d->label && strcmp(d->label, label) != 0)
		d++;
	if (!d || !d->label || r->nvalues >= PHX_HEALTH_METRICS)
		return PHX_MP_UNKNOWN;	/* a bug in a check; shows as UNKNOWN */
	hv = &r->values[r->nvalues++];
	hv->def = d;
	hv->value = v;
	hv->has_min = 1;
	hv->min = min;
	hv->has_max = has_max;
	hv->max = max;
	phx_health_ranges(ctx, d, &w, &k);
	hv->state = phx_threshold_state(v, &w, &k);
	r->state = phx_mp_worst(r->state, hv->state);
	return hv->state;
}

int phx_health_value_add(phx_health_check *c, const phx_health_ctx *ctx, const char *label,
			 double v)
{
	return phx_health_value_add_mm(c, ctx, label, v, 0, 0, 0);
}

long phx_health_left_ms(const phx_health_check *c)
{
	int64_t left = c->deadline_ms - phx_mono_ms();
	return left < 1 ? 1 : (long)left;
}

static void result_free(phx_health_result *r)
{
	phx_buf_free(&r->message);
	phx_buf_free(&r->detail);
}

/* --- running them --- */

struct runner {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t running;
	int abandon;
};

struct job {
	struct runner *rn;
	phx_health_check *orig;	/* gets the result unless abandoned */
	phx_health_check work;	/* the thread's own copy */
	phx_health_ctx *ctx;
};

static void *job_main(void *arg)
{
	struct job *j = arg;
	int64_t t0 = phx_mono_ms();
	j->work.run(&j->work, j->ctx);
	j->work.r.ms = phx_mono_ms() - t0;
	pthread_mutex_lock(&j->rn->mu);
	if (!j->rn->abandon) {
		j->orig->r = j->work.r;
		j->orig->r.done = 1;
	} else {
		result_free(&j->work.r);
	}
	j->rn->running--;
	pthread_cond_signal(&j->rn->cv);
	pthread_mutex_unlock(&j->rn->mu);
	free(j);	/* the job is the thread's own */
	return NULL;
}

static int start_job(struct runner *rn, phx_health_check *c, phx_health_ctx *ctx)
{
	pthread_t t;
	pthread_attr_t at;
	struct job *j = phx_xcalloc(1, sizeof *j);
	int rc;

	j->rn = rn;
	j->orig = c;
	j->work = *c;
	j->ctx = ctx;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	rn->running++;
	rc = pthread_create(&t, &at, job_main, j);
	pthread_attr_destroy(&at);
	if (rc != 0) {
		rn->running--;
		free(j);
		phx_health_set(&c->r, PHX_MP_UNKNOWN, "cannot start a thread for it");
		c->r.done = 1;
		return -1;
	}
	return 0;
}

static void wait_all(struct runner *rn, int64_t until_ms)
{
	while (rn->running > 0) {
		int64_t left = until_ms - phx_mono_ms();
		struct timespec ts;
		if (left <= 0)
			break;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += (time_t)(left / 1000);
		ts.tv_nsec += (long)(left % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&rn->cv, &rn->mu, &ts);
	}
}

int phx_health_run(phx_health_check *checks, size_t n, phx_health_ctx *ctx, int *abandoned)
{
	/* static: abandoned threads may still touch it while the process exits */
	static struct runner rn = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0 };
	int64_t deadline = phx_mono_ms() + ctx->timeout_ms;
	int worst = PHX_MP_OK;

	*abandoned = 0;
	for (size_t i = 0; i < n; i++) {
		phx_health_check *c = &checks[i];
		if (!c->selected)
			continue;
		c->deadline_ms = deadline;
		if (c->setup && c->setup(c, ctx) != 0)
			c->r.done = 1;	/* skipped or failed before any I/O */
	}
	pthread_mutex_lock(&rn.mu);
	for (size_t i = 0; i < n; i++)
		if (checks[i].selected && !checks[i].r.done)
			start_job(&rn, &checks[i], ctx);
	wait_all(&rn, deadline + GRACE_MS);
	if (rn.running > 0) {
		rn.abandon = 1;
		*abandoned = 1;
	}
	pthread_mutex_unlock(&rn.mu);
	for (size_t i = 0; i < n; i++) {
		phx_health_check *c = &checks[i];
		if (!c->selected)
			continue;
		if (!c->r.done) {
			c->r.timed_out = 1;
			c->r.ms = ctx->timeout_ms + GRACE_MS;
			phx_health_set(&c->r, PHX_MP_CRITICAL, "timeout: no answer within %ld ms",
				       ctx->timeout_ms);
		}
		worst = phx_mp_worst(worst, c->r.state);
	}
	return worst;
}

void phx_health_free(phx_health_check *checks, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (checks[i].cleanup)
			checks[i].cleanup(&checks[i]);
		result_free(&checks[i].r);
	}
}
