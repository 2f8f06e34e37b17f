/* health_net.c - HTTP for the health checks (see health_net.h).
 *
 * A health check asks once: a retry would only push the answer past the
 * deadline, and a service that needs a retry to answer is worth a warning
 * anyway. Each check has its own engine, so checks in different threads
 * share nothing. */
#include "health_net.h"
#include "exitcode.h"
#include "timeutil.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include "buf.h"

#define MAX_BODY ((size_t)4 << 20)

phx_http *phx_health_http(phx_health_check *c, const phx_health_ctx *ctx)
{
	phx_http_opts o;
	phx_http *h;

	memset(&o, 0, sizeof o);
	o.concurrency = 4;
	o.connect_timeout_ms = ctx->timeout_ms;
	o.timeout_ms = ctx->timeout_ms;
	o.retries = 0;
	o.run_retries = 0;
	o.max_body = MAX_BODY;
	o.no_usage = 1;
	o.user_agent = "phx-health";
	h = phx_http_new(&o);
	if (!h)
		phx_health_set(&c->r, PHX_MP_UNKNOWN, "cannot set up libcurl");
	return h;
}

static void on_done(void *user, const phx_http_result *r)
{
	phx_health_get *g = user;
	g->done = !r->cancelled;
	g->ms = r->elapsed_ms;
	if (r->cancelled)
		return;
	if (r->error) {
		g->error = phx_xstrdup(r->error);
		/* curl's own timer and the check's deadline race: say "timeout"
		 * either way, not only when the deadline won */
		if (strcmp(r->error, "fetch.timeout") == 0) {
			phx_buf b = PHX_BUF_INIT;
			phx_buf_printf(&b, "timeout: %s", r->error_detail ? r->error_detail : "no answer");
			g->detail = phx_buf_steal(&b);
		} else {
			g->detail = phx_xstrdup(r->error_detail ? r->error_detail : r->error);
		}
		return;
	}
	g->status = r->status;
	g->reason = phx_xstrdup(r->reason ? r->reason : "");
	g->ctype = phx_xstrdup(r->content_type ? r->content_type : "");
	g->body = phx_xstrndup(r->body ? r->body : "", r->body_len);
	g->body_len = r->body_len;
}

void phx_health_fetch(phx_http *h, phx_health_check *c, phx_health_get *gets, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		phx_http_request rq;
		memset(&rq, 0, sizeof rq);
		rq.url = gets[i].url;
		rq.headers = gets[i].headers;
		rq.done = on_done;
		rq.user = &gets[i];
		phx_http_submit(h, &rq);
	}
	while (phx_http_perform(h, phx_health_left_ms(c) < 100 ? phx_health_left_ms(c) : 100) > 0)
		if (phx_mono_ms() >= c->deadline_ms)
			break;
	if (phx_http_pending(h) > 0) {
		phx_http_halt(h, 1);
		while (phx_http_perform(h, 10) > 0)
			;
	}
	for (size_t i = 0; i < n; i++) {
		if (gets[i].done)
			continue;
		gets[i].error = phx_xstrdup("fetch.timeout");
		gets[i].detail = phx_xstrdup("timeout: no answer before the check's deadline");
	}
}

void phx_health_as_result(const phx_health_get *g, phx_http_result *out)
{
	memset(out, 0, sizeof *out);
	out->url = g->url;
	out->status = g->status;
	out->reason = g->reason ? g->reason : "";
	out->content_type = g->ctype ? g->ctype : "";
	out->body = g->body ? g->body : "";
	out->body_len = g->body_len;
	out->elapsed_ms = g->ms;
}

void phx_health_get_free(phx_health_get *g)
{
	free(g->error);
	free(g->detail);
	free(g->reason);
	free(g->ctype);
	free(g->body);
	g->error = g->detail = g->reason = g->ctype = g->body = NULL;
}
