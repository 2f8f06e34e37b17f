/* health_ping.c - heartbeats for a dead man's switch outside this machine
 * (healthchecks.io and the like): URL/start before the checks, then URL on
 * success or URL/<exit status> on failure, so the receiver knows both that
 * phx-health ran and how it ended. A receiver that is down must not turn
 * a healthy system into a failing check, so errors are only warnings. */
#include "health_ping.h"
#include "buf.h"
#include "http.h"
#include "log.h"

#include <stdio.h>
#include <string.h>

#define PING_TIMEOUT_MS 3000
#define PING_RETRIES 2

struct ping_result {
	long status;
	char error[128];
};

static void on_done(void *user, const phx_http_result *r)
{
	struct ping_result *p = user;
	p->status = r->status;
	if (r->error)
		snprintf(p->error, sizeof p->error, "%s", r->error_detail ? r->error_detail
										 : r->error);
}

int phx_health_ping(const char *url, const char *suffix, const char *body)
{
	phx_http_opts o;
	phx_http_request rq;
	phx_buf u = PHX_BUF_INIT;
	struct ping_result res = { 0, "" };
	phx_http *h;
	size_t n = strlen(url);

	memset(&o, 0, sizeof o);
	o.concurrency = 1;
	o.connect_timeout_ms = PING_TIMEOUT_MS;
	o.timeout_ms = PING_TIMEOUT_MS;
	o.retries = PING_RETRIES;
	o.backoff_base_ms = 200;
	o.backoff_max_ms = 1000;
	o.retry_after_max_ms = 2000;
	o.no_usage = 1;
	o.user_agent = "phx-health";
	h = phx_http_new(&o);
	if (!h)
		return -1;
	while (n > 0 && url[n - 1] == '/')
		n--;
	phx_buf_add(&u, url, n);
	phx_buf_adds(&u, suffix);
	memset(&rq, 0, sizeof rq);
	rq.url = u.data;
	rq.method = body ? "POST" : NULL;
	rq.body = body;
	rq.body_len = body ? strlen(body) : 0;
	rq.done = on_done;
	rq.user = &res;
	phx_http_submit(h, &rq);
	while (phx_http_perform(h, 1000) > 0)
		;
	phx_http_free(h);
	if (res.error[0] || res.status < 200 || res.status > 299) {
		phx_warn("ping %s: %s", u.data, res.error[0] ? res.error : "not a 2xx answer");
		phx_buf_free(&u);
		return -1;
	}
	phx_info("ping %s: HTTP %ld", u.data, res.status);
	phx_buf_free(&u);
	return 0;
}

const char *phx_health_ping_suffix(int exit_status, char buf[16])
{
	if (exit_status == 0)
		return "";
	snprintf(buf, 16, "/%d", exit_status);
	return buf;
}
