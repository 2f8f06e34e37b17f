/* test_http.c - the HTTP engine: pure helpers, then real transfers against a
 * tiny loopback server forked by the test (retries, Retry-After, budgets,
 * 4xx, refused connections, the proxy hook, halting, body limits). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "unit.h"
#include "http.h"
#include "timeutil.h"

static void helpers(void)
{
	char hp[128];
	CHECK_INT(phx_http_hostport("https://mcassessor.maricopa.gov/parcel/1", hp, sizeof hp), 0);
	CHECK_STR(hp, "mcassessor.maricopa.gov:443");
	CHECK_INT(phx_http_hostport("http://127.0.0.1:8080/x?y", hp, sizeof hp), 0);
	CHECK_STR(hp, "127.0.0.1:8080");
	CHECK_INT(phx_http_hostport("http://user:pw@Example.ORG?q", hp, sizeof hp), 0);
	CHECK_STR(hp, "example.org:80");
	CHECK_INT(phx_http_hostport("http://[::1]:81/", hp, sizeof hp), 0);
	CHECK_STR(hp, "[::1]:81");
	CHECK_INT(phx_http_hostport("not a url", hp, sizeof hp), -1);
	CHECK_INT(phx_http_hostport("http:///path", hp, sizeof hp), -1);

	time_t now = 784111777;	/* Sun, 06 Nov 1994 08:49:37 GMT */
	CHECK_INT(phx_http_retry_after_ms("120", now), 120000);
	CHECK_INT(phx_http_retry_after_ms(" 0 ", now), 0);
	CHECK_INT(phx_http_retry_after_ms("Sun, 06 Nov 1994 08:49:40 GMT", now), 3000);
	/* found by fuzz_config: a year that would overflow the milliseconds */
	CHECK_INT(phx_http_retry_after_ms("Sun, 06 Nov 999999999 08:49:37 GMT", now), -1);
	CHECK_INT(phx_http_retry_after_ms("Sun, 06 Nov 1994 08:49:00 GMT", now), 0);
	CHECK_INT(phx_http_retry_after_ms("Mon, 07 Nov 1994 08:49:37 GMT", now), 86400000);
	CHECK_INT(phx_http_retry_after_ms("soon", now), -1);
	CHECK_INT(phx_http_retry_after_ms("-5", now), -1);
	CHECK_INT(phx_http_retry_after_ms("12abc", now), -1);
	CHECK_INT(phx_http_retry_after_ms("Sun, 06 Foo 1994 08:49:40 GMT", now), -1);

	uint64_t rng = 42;
	long max1 = 0, max4 = 0;
	int in_range = 1;
	for (int i = 0; i < 2000; i++) {
		long a = phx_http_backoff_ms(100, 1000, 1, &rng);
		long d = phx_http_backoff_ms(100, 1000, 4, &rng);
		long e = phx_http_backoff_ms(100, 1000, 30, &rng);
		if (a < 0 || a > 100 || d < 0 || d > 800 || e < 0 || e > 1000)
			in_range = 0;
		max1 = a > max1 ? a : max1;
		max4 = d > max4 ? d : max4;
	}
	CHECK(in_range);	/* [0, min(max, base * 2^(try-1))] */
	CHECK(max1 > 80);	/* full jitter covers the range */
	CHECK(max4 > 600);
	CHECK(phx_http_status_retryable(429) && phx_http_status_retryable(503));
	CHECK(phx_http_status_retryable(502) && phx_http_status_retryable(504));
	CHECK(!phx_http_status_retryable(500) && !phx_http_status_retryable(404));
	CHECK(!phx_http_status_retryable(400) && !phx_http_status_retryable(200));
}

/* ---- a loopback server: one connection at a time, one answer each ---- */

static int hits_retry;

static void answer(int c, const char *method, const char *path)
{
	char out[4096];
	const char *status = "200 OK", *extra = "", *body = "{\"ok\":true}";
	char big[3000];
	if (strcmp(path, "/retry") == 0 && hits_retry++ == 0) {
		status = "503 Service Unavailable";
		extra = "Retry-After: 1\r\n";
		body = "";
	} else if (strcmp(path, "/always503") == 0) {
		status = "503 Service Unavailable";
		body = "";
	} else if (strcmp(path, "/404") == 0) {
		status = "404 Not Found";
		body = "";
	} else if (strcmp(path, "/auth") == 0) {
		status = "500 [search]:Unauthorized access! Please contact support.";
		extra = "Content-Type: text/html\r\n";
		body = "";
	} else if (strcmp(path, "/method") == 0) {
		body = method;	/* echo it: a reused handle must not keep the last one */
	} else if (strcmp(path, "/big") == 0) {
		memset(big, 'x', sizeof big - 1);
		big[sizeof big - 1] = '\0';
		body = big;
	}
	int n = snprintf(out, sizeof out, "HTTP/1.1 %s\r\n%sContent-Length: %zu\r\n"
			 "Connection: close\r\n\r\n%s", status,
			 *extra ? extra : "Content-Type: application/json\r\n",
			 strlen(body), body);
	if (write(c, out, (size_t)n) < 0)
		_exit(1);
}

static void serve(int s)
{
	for (;;) {
		int c = accept(s, NULL, NULL);
		if (c < 0)
			continue;
		char req[4096] = "";
		size_t got = 0;
		while (got < sizeof req - 1 && !strstr(req, "\r\n\r\n")) {
			ssize_t r = read(c, req + got, sizeof req - 1 - got);
			if (r <= 0)
				break;
			got += (size_t)r;
			req[got] = '\0';
		}
		req[got] = '\0';
		/* "GET /path HTTP/1.1", or a proxy's "GET http://host:port/path" */
		char path[512] = "/";
		char *sp = strchr(req, ' ');
		if (sp) {
			char *p = sp + 1, *e = strchr(p, ' ');
			if (strncmp(p, "http://", 7) == 0 && strchr(p + 7, '/'))
				p = strchr(p + 7, '/');
			if (e && (size_t)(e - p) < sizeof path) {
				memcpy(path, p, (size_t)(e - p));
				path[e - p] = '\0';
			}
		}
		char method[16] = "";
		if (sp && (size_t)(sp - req) < sizeof method) {
			memcpy(method, req, (size_t)(sp - req));
			method[sp - req] = '\0';
		}
		answer(c, method, path);
		close(c);
	}
}

static int port;
static pid_t server;

static void start_server(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int one = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 16) != 0) {
		perror("bind");
		exit(1);
	}
	socklen_t len = sizeof a;
	getsockname(s, (struct sockaddr *)&a, &len);
	port = ntohs(a.sin_port);
	server = fork();
	if (server == 0)
		serve(s);
	close(s);
}

/* ---- running requests ---- */

typedef struct outcome {
	int done, cancelled, tries;
	long status, elapsed;
	char error[64], reason[128], body[64], ctype[64];
} outcome;

static void on_done(void *user, const phx_http_result *r)
{
	outcome *o = user;
	o->done++;
	o->cancelled = r->cancelled;
	o->tries = r->tries;
	o->status = r->status;
	o->elapsed = r->elapsed_ms;
	snprintf(o->error, sizeof o->error, "%s", r->error ? r->error : "none");
	snprintf(o->reason, sizeof o->reason, "%s", r->reason ? r->reason : "");
	snprintf(o->body, sizeof o->body, "%.*s", (int)(r->body_len < 60 ? r->body_len : 60),
		 r->body);
	snprintf(o->ctype, sizeof o->ctype, "%s", r->content_type);
}

static phx_http *engine(phx_http_opts *o)
{
	o->no_usage = 1;
	o->backoff_base_ms = o->backoff_base_ms ? o->backoff_base_ms : 20;
	return phx_http_new(o);
}

static void fetch(phx_http *h, const char *path, outcome *o)
{
	char url[256];
	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
	memset(o, 0, sizeof *o);
	phx_http_request rq = { url, NULL, NULL, 0, NULL, 0, on_done, o, NULL, NULL };
	phx_http_submit(h, &rq);
}

static void drain(phx_http *h)
{
	int64_t end = phx_mono_ms() + 20000;
	while (phx_http_perform(h, 100) > 0 && phx_mono_ms() < end)
		;
}

static void transfers(void)
{
	phx_http_opts o = { 0 };
	o.retries = 2;
	o.concurrency = 2;
	phx_http *h = engine(&o);
	outcome a, b, c, d, e;
	fetch(h, "/ok", &a);
	fetch(h, "/retry", &b);
	fetch(h, "/always503", &c);
	fetch(h, "/404", &d);
	fetch(h, "/auth", &e);
	drain(h);
	CHECK_INT(a.done, 1);
	CHECK_INT(a.status, 200);
	CHECK_STR(a.error, "none");
	CHECK_STR(a.body, "{\"ok\":true}");
	CHECK_STR(a.ctype, "application/json");
	CHECK_STR(a.reason, "OK");
	CHECK_INT(a.tries, 1);
	/* 503 with Retry-After: 1, then 200: the second try waited a second */
	CHECK_INT(b.status, 200);
	CHECK_INT(b.tries, 2);
	CHECK(b.elapsed >= 1000);
	/* always 503: 1 try + 2 retries, then the reject code */
	CHECK_STR(c.error, "fetch.http_503");
	CHECK_INT(c.tries, 3);
	/* other 4xx and a 500 are answers, never retried */
	CHECK_INT(d.status, 404);
	CHECK_INT(d.tries, 1);
	CHECK_STR(d.error, "none");
	CHECK_INT(e.status, 500);
	CHECK_INT(e.tries, 1);
	CHECK_STR(e.reason, "[search]:Unauthorized access! Please contact support.");
	phx_http_stats st;
	phx_http_stats_get(h, &st);
	CHECK_INT(st.requests, 8);
	CHECK_INT(st.retries, 3);
	CHECK(st.bytes > 0);
	phx_http_free(h);
}

static void failures(void)
{
	/* a port nobody listens on: connection errors, retried, then fetch.connect */
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(s, (struct sockaddr *)&a, sizeof a);
	socklen_t len = sizeof a;
	getsockname(s, (struct sockaddr *)&a, &len);
	close(s);
	char url[128];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/", ntohs(a.sin_port));
	phx_http_opts o = { 0 };
	o.retries = 1;
	o.first_alone = 1;	/* no answer yet: the retry must still go */
	phx_http *h = engine(&o);
	outcome r, big, budget;
	phx_http_request rq = { url, NULL, NULL, 0, NULL, 0, on_done, &r, NULL, NULL };
	memset(&r, 0, sizeof r);
	phx_http_submit(h, &rq);
	drain(h);
	CHECK_STR(r.error, "fetch.connect");
	CHECK_INT(r.tries, 2);
	phx_http_free(h);

	/* a body over max_body */
	memset(&o, 0, sizeof o);
	o.max_body = 1000;
	h = engine(&o);
	fetch(h, "/big", &big);
	drain(h);
	CHECK_STR(big.error, "fetch.too_large");
	CHECK_INT(big.tries, 1);
	phx_http_free(h);

	/* the run's retry budget caps retries across requests */
	memset(&o, 0, sizeof o);
	o.retries = 5;
	o.run_retries = 1;
	o.concurrency = 1;
	h = engine(&o);
	fetch(h, "/always503", &budget);
	drain(h);
	CHECK_STR(budget.error, "fetch.http_503");
	CHECK_INT(budget.tries, 2);
	phx_http_free(h);
	/* a bad URL fails at once */
	memset(&o, 0, sizeof o);
	h = engine(&o);
	phx_http_request bad = { "ftp://example.org/x", NULL, NULL, 0, NULL, 0, on_done, &r,
				 NULL, NULL };
	memset(&r, 0, sizeof r);
	phx_http_submit(h, &bad);
	drain(h);
	CHECK_STR(r.error, "fetch.bad_url");
	CHECK_INT(r.tries, 0);
	phx_http_free(h);
}

/* ---- the proxy hook ---- */

typedef struct pool {
	int mode;		/* 0 none, 1 banned always, 2 ok */
	int picks, reports, max_tried;
	char urls[2][64];
	long last_status;
} pool;

static int pick(void *ctx, const char *url, const char *host, const char *const *tried,
		int ntried, const char **proxy)
{
	pool *p = ctx;
	(void)url;
	(void)host;
	p->picks++;
	if (ntried > p->max_tried)
		p->max_tried = ntried;
	if (p->mode == 0)
		return PHX_PICK_NONE;
	for (int i = 0; i < ntried; i++)
		if (strcmp(tried[i], p->urls[0]) == 0) {
			*proxy = p->urls[1];
			return PHX_PICK_PROXY;
		}
	*proxy = p->urls[0];
	return PHX_PICK_PROXY;
}

static int report(void *ctx, const phx_http_attempt *a)
{
	pool *p = ctx;
	p->reports++;
	p->last_status = a->status;
	return p->mode == 1 ? PHX_REPORT_BANNED : PHX_REPORT_OK;
}

static void proxies(void)
{
	pool p;
	memset(&p, 0, sizeof p);
	snprintf(p.urls[0], sizeof p.urls[0], "http://127.0.0.1:%d", port);
	snprintf(p.urls[1], sizeof p.urls[1], "http://localhost:%d", port);
	phx_http_opts o = { 0 };
	o.pick = pick;
	o.report = report;
	o.proxy_ctx = &p;
	o.max_proxy_failures = 2;
	phx_http *h = engine(&o);
	outcome r;
	/* no proxy available */
	fetch(h, "/ok", &r);
	drain(h);
	CHECK_STR(r.error, "fetch.no_proxies");
	CHECK_INT(r.tries, 0);
	CHECK_INT(p.reports, 0);
	/* banned through every proxy: given up after K = 2 different ones */
	p.mode = 1;
	p.picks = 0;
	fetch(h, "/ok", &r);
	drain(h);
	CHECK_STR(r.error, "fetch.proxy_failed");
	CHECK_INT(r.tries, 2);
	CHECK_INT(p.picks, 2);
	CHECK_INT(p.max_tried, 1);
	CHECK_INT(p.reports, 2);
	CHECK_INT(p.last_status, 200);
	/* through a proxy that works: the answer, reported once */
	p.mode = 2;
	p.reports = 0;
	fetch(h, "/ok", &r);
	drain(h);
	CHECK_STR(r.error, "none");
	CHECK_INT(r.status, 200);
	CHECK_INT(p.reports, 1);
	phx_http_free(h);
}

static void halting(void)
{
	phx_http_opts o = { 0 };
	phx_http *h = engine(&o);
	outcome a, b;
	fetch(h, "/ok", &a);
	fetch(h, "/ok", &b);
	phx_http_halt(h, 0);
	CHECK(phx_http_halted(h));
	drain(h);
	CHECK_INT(a.done, 1);
	CHECK_INT(a.cancelled, 1);
	CHECK_INT(b.cancelled, 1);
	CHECK_INT(a.tries, 0);
	/* submitted after the halt: cancelled too */
	fetch(h, "/ok", &a);
	drain(h);
	CHECK_INT(a.cancelled, 1);
	phx_http_free(h);
}

static void methods(void)
{
	phx_http_opts o = { 0 };
	o.concurrency = 1;	/* one handle, reused for both */
	phx_http *h = engine(&o);
	outcome a, b, c;
	char url[128];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/method", port);
	phx_http_request post = { url, "POST", "{}", 2, NULL, 0, on_done, &a, NULL, NULL };
	memset(&a, 0, sizeof a);
	phx_http_submit(h, &post);
	drain(h);
	fetch(h, "/method", &b);
	drain(h);
	fetch(h, "/method", &c);
	drain(h);
	CHECK_STR(a.body, "POST");
	CHECK_STR(b.body, "GET");
	CHECK_STR(c.body, "GET");
	phx_http_free(h);
}

int main(void)
{
	helpers();
	start_server();
	transfers();
	failures();
	proxies();
	methods();
	halting();
	kill(server, SIGTERM);
	waitpid(server, NULL, 0);
	return unit_done();
}
