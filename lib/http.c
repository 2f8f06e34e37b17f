/* http.c - the HTTP engine: libcurl multi with queues, retries, rate limits
 * and the proxy hook. Completions are delivered from phx_http_perform() only,
 * never from inside a libcurl callback, so done() may submit or halt. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>
#include "http.h"
#include "buf.h"
#include "log.h"
#include "ratelimit.h"
#include "run.h"
#include "timeutil.h"
#include "xalloc.h"

#define MAX_TRIED 16
#define HOST_MAX 256

typedef struct rate {
	char host[HOST_MAX];
	double per_sec, burst;
	int64_t next_try_ms;	/* monotonic: do not ask the bucket before */
} rate;

typedef struct hreq {
	struct hreq *next;
	char *url, *method, *body;
	size_t body_len;
	const struct curl_slist *headers;
	int want_headers;
	phx_http_done_fn done;
	void *user;
	char host[HOST_MAX];
	char usage_source[32], usage_zip[8];
	int tries, retries;
	int rate_limited, unavailable;	/* 429 and 502-504 answers met */
	int cancelled;
	int64_t not_before_ms, first_ms, attempt_ms;
	char *tried[MAX_TRIED];
	int ntried;
	const char *proxy;	/* owned by the pool, valid until report() */
	char *final_proxy;	/* copy for the result */
	CURL *easy;
	phx_buf resp, hdrs;
	long status;
	char reason[200], ctype[128], retry_after[64];
	int too_large;
	size_t max_body;
	int slot;
	const char *error;
	char detail[256];
} hreq;

typedef struct queue { hreq *head, *tail; size_t n; } queue;

struct phx_http {
	phx_http_opts o;
	CURLM *multi;
	CURL **idle;		/* easy handles kept for reuse */
	unsigned char *idle_dirty;	/* it carried a method or body: reset it */
	size_t nidle;
	queue ready, waiting, finished;
	size_t running;
	hreq **slots;		/* running requests, for halt(abandon) */
	int halted, gate_open, started_any;
	long run_retries_used;
	rate *rates;
	size_t nrates;
	double default_rate, default_burst;
	uint64_t rng;
	phx_http_stats st;
	uint32_t *lat;
	size_t nlat, caplat;
};

static void q_push(queue *q, hreq *r)
{
	r->next = NULL;
	if (q->tail)
		q->tail->next = r;
	else
		q->head = r;
	q->tail = r;
	q->n++;
}

static void q_push_front(queue *q, hreq *r)
{
	r->next = q->head;
	q->head = r;
	if (!q->tail)
		q->tail = r;
	q->n++;
}

static hreq *q_pop(queue *q)
{
	hreq *r = q->head;
	if (!r)
		return NULL;
	q->head = r->next;
	if (!q->head)
		q->tail = NULL;
	q->n--;
	r->next = NULL;
	return r;
}

void phx_http_opts_default(phx_http_opts *o)
{
	if (o->concurrency <= 0)
		o->concurrency = 8;
	if (o->connect_timeout_ms <= 0)
		o->connect_timeout_ms = 10000;
	if (o->timeout_ms <= 0)
		o->timeout_ms = 60000;
	if (o->retries < 0)
		o->retries = 0;
	if (o->run_retries <= 0)
		o->run_retries = 1000;
	if (o->backoff_base_ms <= 0)
		o->backoff_base_ms = 500;
	if (o->backoff_max_ms <= 0)
		o->backoff_max_ms = 60000;
	if (o->retry_after_max_ms <= 0)
		o->retry_after_max_ms = 3600000;
	if (o->max_body == 0)
		o->max_body = (size_t)64 << 20;
	if (o->max_proxy_failures <= 0)
		o->max_proxy_failures = 3;
}

phx_http *phx_http_new(const phx_http_opts *o)
{
	static int global_done;
	if (!global_done) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			phx_err("libcurl: global initialisation failed");
			return NULL;
		}
		global_done = 1;
	}
	phx_http *h = phx_xcalloc(1, sizeof *h);
	h->o = *o;
	phx_http_opts_default(&h->o);
	h->multi = curl_multi_init();
	if (!h->multi) {
		phx_err("libcurl: cannot create a multi handle");
		free(h);
		return NULL;
	}
	curl_multi_setopt(h->multi, CURLMOPT_MAXCONNECTS, (long)h->o.concurrency * 2);
	h->idle = phx_xcalloc((size_t)h->o.concurrency, sizeof *h->idle);
	h->idle_dirty = phx_xcalloc((size_t)h->o.concurrency, 1);
	h->slots = phx_xcalloc((size_t)h->o.concurrency, sizeof *h->slots);
	h->rng = (uint64_t)phx_wall_ms() ^ ((uint64_t)getpid() << 32) ^ 0x9e3779b97f4a7c15ULL;
	h->gate_open = !h->o.first_alone;
	return h;
}

static void req_free(hreq *r)
{
	for (int i = 0; i < r->ntried; i++)
		free(r->tried[i]);
	free(r->url);
	free(r->method);
	free(r->body);
	free(r->final_proxy);
	phx_buf_free(&r->resp);
	phx_buf_free(&r->hdrs);
	free(r);
}

static void free_queue(queue *q)
{
	hreq *r;
	while ((r = q_pop(q)))
		req_free(r);
}

void phx_http_free(phx_http *h)
{
	if (!h)
		return;
	phx_http_halt(h, 1);
	free_queue(&h->finished);
	for (size_t i = 0; i < h->nidle; i++)
		curl_easy_cleanup(h->idle[i]);
	free(h->idle);
	free(h->idle_dirty);
	free(h->slots);
	curl_multi_cleanup(h->multi);
	free(h->rates);
	free(h->lat);
	free(h);
}

/* ---- rates ---- */

static rate *rate_find(phx_http *h, const char *host, int create)
{
	for (size_t i = 0; i < h->nrates; i++)
		if (strcmp(h->rates[i].host, host) == 0)
			return &h->rates[i];
	if (!create)
		return NULL;
	h->rates = phx_xrealloc(h->rates, (h->nrates + 1) * sizeof *h->rates);
	rate *r = &h->rates[h->nrates++];
	memset(r, 0, sizeof *r);
	snprintf(r->host, sizeof r->host, "%s", host);
	return r;
}

int phx_http_set_rate(phx_http *h, const char *hostport, double per_sec, double burst)
{
	rate *r = rate_find(h, hostport, 1);
	r->per_sec = per_sec;
	r->burst = burst < 1 ? 1 : burst;
	return 0;
}

void phx_http_set_default_rate(phx_http *h, double per_sec, double burst)
{
	h->default_rate = per_sec;
	h->default_burst = burst;
}

/* The host's rate entry, NULL when no limit applies (the fast path). */
static rate *rate_for(phx_http *h, const char *host)
{
	rate *r = rate_find(h, host, 0);
	if (r)
		return r->per_sec > 0 ? r : NULL;
	if (h->default_rate <= 0)
		return NULL;
	r = rate_find(h, host, 1);
	r->per_sec = h->default_rate;
	r->burst = h->default_burst < 1 ? 1 : h->default_burst;
	return r;
}

/* ---- pure helpers ---- */

int phx_http_hostport(const char *url, char *out, size_t n)
{
	const char *p = strstr(url, "://");
	if (!p)
		return -1;
	int https = (size_t)(p - url) == 5 && strncasecmp(url, "https", 5) == 0;
	p += 3;
	size_t len = strcspn(p, "/?#");
	const char *at = memchr(p, '@', len);
	if (at) {
		len -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	if (len == 0 || len + 8 > n)
		return -1;
	int has_port = 0;
	if (p[0] == '[') {
		const char *close = memchr(p, ']', len);
		has_port = close && (size_t)(close - p) + 1 < len && close[1] == ':';
	} else {
		has_port = memchr(p, ':', len) != NULL;
	}
	size_t j = 0;
	for (size_t i = 0; i < len; i++)
		out[j++] = (char)tolower((unsigned char)p[i]);
	out[j] = '\0';
	if (!has_port)
		snprintf(out + j, n - j, ":%d", https ? 443 : 80);
	return 0;
}

static int month_index(const char *m)
{
	static const char *const names[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	for (int i = 0; i < 12; i++)
		if (strncasecmp(m, names[i], 3) == 0)
			return i;
	return -1;
}

long phx_http_retry_after_ms(const char *value, time_t now)
{
	while (*value == ' ' || *value == '\t')
		value++;
	if (isdigit((unsigned char)*value)) {
		char *end;
		long long s = strtoll(value, &end, 10);
		while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
			end++;
		if (*end || s < 0 || s > 86400LL * 365)
			return -1;
		return (long)(s * 1000);
	}
	/* IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" */
	int day, year, hh, mm, ss;
	char mon[4], wk[4];
	if (sscanf(value, "%3s, %d %3s %d %d:%d:%d GMT", wk, &day, mon, &year, &hh, &mm,
		   &ss) != 7)
		return -1;
	int mi = month_index(mon);
	/* a year past 9999 is no date a server means (and would overflow) */
	if (mi < 0 || day < 1 || day > 31 || year < 1970 || year > 9999 || hh < 0 || hh > 23 ||
	    mm < 0 || mm > 59 || ss < 0 || ss > 60)
		return -1;
	struct tm tm = { 0 };
	tm.tm_year = year - 1900;
	tm.tm_mon = mi;
	tm.tm_mday = day;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	time_t t = timegm(&tm);
	if (t == (time_t)-1)
		return -1;
	return t <= now ? 0 : (long)(t - now) * 1000;
}

static uint64_t next_rand(uint64_t *s)
{
	/* xorshift64*: jitter only, not for secrets */
	uint64_t x = *s ? *s : 0x2545F4914F6CDD1DULL;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

long phx_http_backoff_ms(long base_ms, long max_ms, int attempt, uint64_t *rng)
{
	long cap = base_ms;
	for (int i = 1; i < attempt && cap < max_ms; i++)
		cap *= 2;
	if (cap > max_ms)
		cap = max_ms;
	if (cap <= 0)
		return 0;
	return (long)(next_rand(rng) % (uint64_t)(cap + 1));
}

int phx_http_status_retryable(long status)
{
	return status == 429 || status == 502 || status == 503 || status == 504;
}

/* ---- libcurl callbacks ---- */

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	hreq *r = ud;
	size_t len = size * n;
	if (r->resp.len + len > r->max_body) {
		r->too_large = 1;
		return 0;	/* aborts the transfer: CURLE_WRITE_ERROR */
	}
	phx_buf_add(&r->resp, p, len);
	return len;
}

static void copy_trimmed(char *out, size_t n, const char *p, size_t len)
{
	while (len && (p[len - 1] == '\r' || p[len - 1] == '\n' || p[len - 1] == ' '))
		len--;
	while (len && (*p == ' ' || *p == '\t')) {
		p++;
		len--;
	}
	if (len >= n)
		len = n - 1;
	memcpy(out, p, len);
	out[len] = '\0';
}

/* Status lines start a new header block (1xx, a proxy's CONNECT answer):
 * keep only the last one's reason, type and Retry-After. */
static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	hreq *r = ud;
	size_t len = size * n;
	if (len > 5 && memcmp(p, "HTTP/", 5) == 0) {
		r->reason[0] = r->ctype[0] = r->retry_after[0] = '\0';
		phx_buf_clear(&r->hdrs);
		const char *sp = memchr(p, ' ', len);
		if (sp) {
			const char *rest = sp + 1;
			size_t left = len - (size_t)(rest - p);
			const char *sp2 = memchr(rest, ' ', left);
			if (sp2)
				copy_trimmed(r->reason, sizeof r->reason, sp2 + 1,
					     left - (size_t)(sp2 + 1 - rest));
		}
	} else if (len > 13 && strncasecmp(p, "content-type:", 13) == 0) {
		copy_trimmed(r->ctype, sizeof r->ctype, p + 13, len - 13);
	} else if (len > 12 && strncasecmp(p, "retry-after:", 12) == 0) {
		copy_trimmed(r->retry_after, sizeof r->retry_after, p + 12, len - 12);
	}
	if (r->want_headers)
		phx_buf_add(&r->hdrs, p, len);
	return len;
}

/* ---- starting attempts ---- */

/* Handles are reused as they are: only one that carried a method or a body
 * is reset (curl_easy_reset and the fixed options cost as much as a small
 * transfer's own work). */
static CURL *easy_get(phx_http *h, int *fresh)
{
	*fresh = 1;
	if (h->nidle > 0) {
		h->nidle--;
		CURL *e = h->idle[h->nidle];
		if (h->idle_dirty[h->nidle])
			curl_easy_reset(e);
		else
			*fresh = 0;
		return e;
	}
	return curl_easy_init();
}

static void easy_put(phx_http *h, CURL *e, const hreq *r)
{
	if (h->nidle < (size_t)h->o.concurrency) {
		h->idle_dirty[h->nidle] = r->method != NULL || r->body != NULL;
		h->idle[h->nidle++] = e;
	} else {
		curl_easy_cleanup(e);
	}
}

static void easy_fixed_options(phx_http *h, CURL *e)
{
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, h->o.connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, h->o.timeout_ms);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (h->o.ca_file)
		curl_easy_setopt(e, CURLOPT_CAINFO, h->o.ca_file);
	if (h->o.user_agent)
		curl_easy_setopt(e, CURLOPT_USERAGENT, h->o.user_agent);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
}

static void easy_setup(phx_http *h, hreq *r, CURL *e, int fresh)
{
	if (fresh)
		easy_fixed_options(h, e);
	curl_easy_setopt(e, CURLOPT_URL, r->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);
	/* "direct" means direct: no proxy from the environment either */
	curl_easy_setopt(e, CURLOPT_PROXY, r->proxy ? r->proxy : "");
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->headers);
	if (r->method)
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r->method);
	if (r->body) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body_len);
	}
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
}

static void finish(phx_http *h, hreq *r, const char *error)
{
	r->error = error;
	q_push(&h->finished, r);
}

static void fail_now(phx_http *h, hreq *r, const char *code, const char *detail)
{
	snprintf(r->detail, sizeof r->detail, "%s", detail);
	finish(h, r, code);
}

/* Ask the host's bucket; 1 when the request may go now. */
static int rate_allows(phx_http *h, hreq *r, int64_t now)
{
	rate *rt = rate_for(h, r->host);
	if (!rt)
		return 1;
	if (now < rt->next_try_ms)
		return 0;
	long wait = phx_ratelimit_take(rt->host, rt->per_sec, rt->burst);
	if (wait == 0)
		return 1;
	rt->next_try_ms = now + (wait > 0 ? wait : 1000);
	return 0;
}

static int pick_proxy(phx_http *h, hreq *r)
{
	r->proxy = NULL;
	if (!h->o.pick)
		return 0;
	const char *url = NULL;
	int rc = h->o.pick(h->o.proxy_ctx, r->url, r->host, (const char *const *)r->tried,
			   r->ntried, &url);
	if (rc == PHX_PICK_NONE) {
		fail_now(h, r, "fetch.no_proxies", "no usable proxy left");
		return -1;
	}
	r->proxy = rc == PHX_PICK_PROXY ? url : NULL;
	return 0;
}

static void start_one(phx_http *h, hreq *r, int64_t now)
{
	int fresh;
	CURL *e = easy_get(h, &fresh);
	if (!e) {
		fail_now(h, r, "fetch.network", "libcurl: cannot create a handle");
		return;
	}
	phx_buf_clear(&r->resp);
	phx_buf_clear(&r->hdrs);
	r->status = 0;
	r->reason[0] = r->ctype[0] = r->retry_after[0] = '\0';
	r->too_large = 0;
	r->tries++;
	r->attempt_ms = now;
	if (r->first_ms == 0)
		r->first_ms = now;
	easy_setup(h, r, e, fresh);
	r->easy = e;
	if (curl_multi_add_handle(h->multi, e) != CURLM_OK) {
		r->easy = NULL;
		easy_put(h, e, r);
		fail_now(h, r, "fetch.network", "libcurl: cannot add a transfer");
		return;
	}
	for (int i = 0; i < h->o.concurrency; i++)
		if (!h->slots[i]) {
			h->slots[i] = r;
			r->slot = i;
			break;
		}
	h->running++;
	h->started_any = 1;
}

static void start_ready(phx_http *h)
{
	int64_t now = phx_mono_ms();
	while (!h->halted && h->ready.head && h->running < (size_t)h->o.concurrency) {
		if (!h->gate_open && h->running > 0)
			break;	/* one at a time until the first answer */
		hreq *r = h->ready.head;
		if (!rate_allows(h, r, now))
			break;	/* head of line waits for its bucket */
		q_pop(&h->ready);
		if (pick_proxy(h, r) != 0)
			continue;
		start_one(h, r, now);
	}
}

static void promote_waiting(phx_http *h, int64_t now)
{
	hreq **pp = &h->waiting.head, *prev = NULL;
	while (*pp) {
		hreq *r = *pp;
		if (r->not_before_ms > now) {
			prev = r;
			pp = &r->next;
			continue;
		}
		*pp = r->next;
		if (h->waiting.tail == r)
			h->waiting.tail = prev;
		h->waiting.n--;
		q_push_front(&h->ready, r);
	}
}

/* ---- finishing attempts ---- */

static void record_latency(phx_http *h, long ms)
{
	if (h->nlat == h->caplat) {
		h->caplat = h->caplat ? h->caplat * 2 : 1024;
		h->lat = phx_xrealloc(h->lat, h->caplat * sizeof *h->lat);
	}
	h->lat[h->nlat++] = ms < 0 ? 0 : (uint32_t)ms;
}

/* The proxy URL without user:password, for journals. */
static void proxy_public(const char *proxy, char *out, size_t n)
{
	const char *p = strstr(proxy, "://");
	const char *host = p ? p + 3 : proxy;
	const char *at = strchr(host, '@');
	if (at && (!strchr(host, '/') || at < strchr(host, '/')))
		snprintf(out, n, "%.*s%s", p ? (int)(p + 3 - proxy) : 0, proxy, at + 1);
	else
		snprintf(out, n, "%s", proxy);
}

static void write_usage(phx_http *h, hreq *r, long long bytes)
{
	if (h->o.no_usage)
		return;
	char proxy[512];
	if (r->proxy)
		proxy_public(r->proxy, proxy, sizeof proxy);
	json_t *extra = json_pack("{s:s, s:I, s:i, s:o}", "host", r->host,
				  "bytes", (json_int_t)bytes, "status", (int)r->status,
				  "proxy", r->proxy ? json_string(proxy) : json_null());
	if (r->usage_source[0])
		json_object_set_new(extra, "source", json_string(r->usage_source));
	if (r->usage_zip[0])
		json_object_set_new(extra, "zip", json_string(r->usage_zip));
	phx_usage(h->o.usage_service ? h->o.usage_service : r->host, "http_request", 1, extra);
	json_decref(extra);
}

static const char *classify_curl(CURLcode rc, int too_large, int *retry)
{
	*retry = 0;
	if (too_large)
		return "fetch.too_large";
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		*retry = 1;
		return "fetch.timeout";
	case CURLE_COULDNT_CONNECT: case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY: case CURLE_GOT_NOTHING: case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR: case CURLE_PARTIAL_FILE: case CURLE_PROXY:
		*retry = 1;
		return "fetch.connect";
	case CURLE_SSL_CONNECT_ERROR:
		*retry = 1;
		return "fetch.tls";
	case CURLE_PEER_FAILED_VERIFICATION: case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
		return "fetch.tls";
	default:
		return "fetch.network";
	}
}

static void remember_failed_proxy(hreq *r)
{
	if (!r->proxy || r->ntried >= MAX_TRIED)
		return;
	for (int i = 0; i < r->ntried; i++)
		if (strcmp(r->tried[i], r->proxy) == 0)
			return;
	r->tried[r->ntried++] = phx_xstrdup(r->proxy);
}

/* Retry r after a backoff (or Retry-After); 0 when queued, -1 when the
 * budget is spent. */
static int schedule_retry(phx_http *h, hreq *r, long retry_after_ms, int64_t now)
{
	if (h->halted)
		return -1;
	if (r->retries >= h->o.retries || h->run_retries_used >= h->o.run_retries) {
		if (h->run_retries_used >= h->o.run_retries)
			snprintf(r->detail + strlen(r->detail), sizeof r->detail - strlen(r->detail),
				 " (retry budget of the run spent)");
		return -1;
	}
	long wait = phx_http_backoff_ms(h->o.backoff_base_ms, h->o.backoff_max_ms,
					r->retries + 1, &h->rng);
	if (retry_after_ms > wait)
		wait = retry_after_ms;
	r->retries++;
	h->run_retries_used++;
	h->st.retries++;
	r->not_before_ms = now + wait;
	q_push(&h->waiting, r);
	return 0;
}

static void keep_final_proxy(hreq *r)
{
	free(r->final_proxy);
	r->final_proxy = r->proxy ? phx_xstrdup(r->proxy) : NULL;
}

static int report_attempt(phx_http *h, hreq *r, CURLcode rc, long long up, long long down,
			  long ms)
{
	if (!h->o.report || !h->o.pick)
		return PHX_REPORT_OK;
	phx_http_attempt a = { r->url, r->host, r->proxy, r->tries, r->status, (int)rc,
			       up, down, r->resp.data, r->resp.len, ms };
	return h->o.report(h->o.proxy_ctx, &a);
}

/* A retryable status: back off, honour Retry-After, slow the shared bucket. */
static void handle_retryable_status(phx_http *h, hreq *r, int64_t now)
{
	long ra = r->retry_after[0] ? phx_http_retry_after_ms(r->retry_after, time(NULL)) : -1;
	const char *stable = r->status == 429 ? "fetch.http_429" : r->status == 502 ?
		"fetch.http_502" : r->status == 503 ? "fetch.http_503" : "fetch.http_504";
	snprintf(r->detail, sizeof r->detail, "HTTP %ld %s", r->status, r->reason);
	if (r->status == 429)
		r->rate_limited++;
	else
		r->unavailable++;
	if (ra > h->o.retry_after_max_ms) {
		snprintf(r->detail, sizeof r->detail, "HTTP %ld: Retry-After %ld s is too long",
			 r->status, ra / 1000);
		finish(h, r, stable);
		return;
	}
	rate *rt = rate_for(h, r->host);
	if (rt && (ra > 0 || r->status == 429)) {
		long pause = ra > 0 ? ra : h->o.backoff_base_ms;
		phx_ratelimit_pause(rt->host, phx_wall_ms() + pause);
		rt->next_try_ms = now + pause;
	}
	if (h->halted)
		r->cancelled = 1;	/* would be retried: leave it to the next run */
	if (schedule_retry(h, r, ra, now) != 0)
		finish(h, r, h->halted ? NULL : stable);
}

static void attempt_done(phx_http *h, hreq *r, CURLcode rc)
{
	int64_t now = phx_mono_ms();
	long ms = (long)(now - r->attempt_ms);
	curl_off_t down = 0, up = 0, hdr = 0;
	long hsize = 0;
	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(r->easy, CURLINFO_SIZE_DOWNLOAD_T, &down);
	curl_easy_getinfo(r->easy, CURLINFO_SIZE_UPLOAD_T, &up);
	curl_easy_getinfo(r->easy, CURLINFO_HEADER_SIZE, &hsize);
	hdr = hsize;
	h->st.requests++;
	h->st.bytes += (unsigned long long)(down + up + hdr);
	int answered = rc == CURLE_OK && r->status > 0;
	if (answered) {
		record_latency(h, ms);
		h->gate_open = 1;
	} else if (rc == CURLE_OK) {
		rc = CURLE_GOT_NOTHING;
	}
	write_usage(h, r, (long long)(down + up + hdr));
	keep_final_proxy(r);
	int verdict = report_attempt(h, r, rc, (long long)up, (long long)(down + hdr), ms);
	if (verdict == PHX_REPORT_BANNED) {
		remember_failed_proxy(r);
		if (r->ntried >= h->o.max_proxy_failures) {
			fail_now(h, r, "fetch.proxy_failed", "every proxy tried was refused");
		} else if (h->halted) {
			finish(h, r, NULL);
		} else {
			q_push_front(&h->ready, r);
		}
		return;
	}
	if (answered && !phx_http_status_retryable(r->status)) {
		finish(h, r, NULL);
		return;
	}
	if (answered) {
		handle_retryable_status(h, r, now);
		return;
	}
	int retry;
	const char *code = classify_curl(rc, r->too_large, &retry);
	snprintf(r->detail, sizeof r->detail, "%s", curl_easy_strerror(rc));
	if (r->proxy && retry) {
		remember_failed_proxy(r);
		if (r->ntried >= h->o.max_proxy_failures) {
			fail_now(h, r, "fetch.proxy_failed", "every proxy tried failed");
			return;
		}
	}
	if (retry && h->halted)
		r->cancelled = 1;
	if (!retry || schedule_retry(h, r, -1, now) != 0)
		finish(h, r, code);
}

static void collect(phx_http *h)
{
	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(h->multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		CURL *e = m->easy_handle;
		CURLcode rc = m->data.result;
		hreq *r = NULL;
		curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&r);
		curl_multi_remove_handle(h->multi, e);
		h->slots[r->slot] = NULL;
		h->running--;
		attempt_done(h, r, rc);
		r->easy = NULL;
		easy_put(h, e, r);
	}
}

/* ---- delivery ---- */

static void deliver(phx_http *h)
{
	hreq *r;
	while ((r = q_pop(&h->finished))) {
		phx_http_result res;
		memset(&res, 0, sizeof res);
		res.url = r->url;
		res.user = r->user;
		res.cancelled = r->cancelled;
		res.error = r->cancelled ? NULL : r->error;
		res.error_detail = r->detail;
		res.status = r->status;
		res.reason = r->reason;
		res.content_type = r->ctype;
		res.body = r->resp.data ? r->resp.data : "";
		res.body_len = r->resp.len;
		res.headers = r->want_headers ? (r->hdrs.data ? r->hdrs.data : "") : NULL;
		res.headers_len = r->hdrs.len;
		res.proxy = r->final_proxy;
		res.tries = r->tries;
		res.rate_limited = r->rate_limited;
		res.unavailable = r->unavailable;
		res.elapsed_ms = r->first_ms ? (long)(phx_mono_ms() - r->first_ms) : 0;
		if (r->done)
			r->done(r->user, &res);
		req_free(r);
	}
}

static long next_wake(phx_http *h, long max_wait_ms, int64_t now)
{
	long wait = max_wait_ms;
	for (hreq *r = h->waiting.head; r; r = r->next)
		if (r->not_before_ms - now < wait)
			wait = (long)(r->not_before_ms - now);
	if (h->ready.head && h->running < (size_t)h->o.concurrency) {
		rate *rt = rate_for(h, h->ready.head->host);
		long w = rt ? (long)(rt->next_try_ms - now) : 0;
		if (w < wait)
			wait = w;
	}
	return wait < 0 ? 0 : wait;
}

static size_t pending(const phx_http *h)
{
	return h->ready.n + h->waiting.n + h->running + h->finished.n;
}

size_t phx_http_perform(phx_http *h, long max_wait_ms)
{
	int still = 0;
	deliver(h);
	promote_waiting(h, phx_mono_ms());
	start_ready(h);
	curl_multi_perform(h->multi, &still);
	collect(h);
	deliver(h);
	start_ready(h);
	if (pending(h) == 0)
		return 0;
	long wait = next_wake(h, max_wait_ms, phx_mono_ms());
	/* at least 1 ms when nothing runs: a blocked queue must never spin */
	if (h->finished.n == 0 && (wait > 0 || h->running > 0 || h->ready.n > 0))
		curl_multi_poll(h->multi, NULL, 0, wait > 0 ? (int)wait : 1, NULL);
	curl_multi_perform(h->multi, &still);
	collect(h);
	deliver(h);
	return pending(h);
}

void phx_http_submit(phx_http *h, const phx_http_request *rq)
{
	hreq *r = phx_xcalloc(1, sizeof *r);
	r->url = phx_xstrdup(rq->url);
	r->method = rq->method ? phx_xstrdup(rq->method) : NULL;
	snprintf(r->usage_source, sizeof r->usage_source, "%s",
		 rq->usage_source ? rq->usage_source : "");
	snprintf(r->usage_zip, sizeof r->usage_zip, "%s", rq->usage_zip ? rq->usage_zip : "");
	if (rq->body) {
		r->body = phx_xmalloc(rq->body_len + 1);
		memcpy(r->body, rq->body, rq->body_len);
		r->body[rq->body_len] = '\0';
		r->body_len = rq->body_len;
	}
	r->headers = rq->headers;
	r->want_headers = rq->want_headers;
	r->done = rq->done;
	r->user = rq->user;
	r->max_body = h->o.max_body;
	if (phx_http_hostport(r->url, r->host, sizeof r->host) != 0) {
		fail_now(h, r, "fetch.bad_url", "not an http(s) URL with a host");
		return;
	}
	if (strncasecmp(r->url, "http://", 7) != 0 && strncasecmp(r->url, "https://", 8) != 0) {
		fail_now(h, r, "fetch.bad_url", "only http and https URLs are fetched");
		return;
	}
	if (h->halted) {
		r->cancelled = 1;
		finish(h, r, NULL);
		return;
	}
	q_push(&h->ready, r);
}

static void cancel_queue(phx_http *h, queue *q)
{
	hreq *r;
	while ((r = q_pop(q))) {
		r->cancelled = 1;
		finish(h, r, NULL);
	}
}

void phx_http_halt(phx_http *h, int abandon)
{
	h->halted = 1;
	cancel_queue(h, &h->ready);
	cancel_queue(h, &h->waiting);
	if (!abandon)
		return;
	for (size_t i = 0; i < (size_t)h->o.concurrency; i++) {
		hreq *r = h->slots[i];
		if (!r)
			continue;
		curl_multi_remove_handle(h->multi, r->easy);
		easy_put(h, r->easy, r);
		r->easy = NULL;
		h->slots[i] = NULL;
		h->running--;
		r->cancelled = 1;
		finish(h, r, NULL);
	}
}

size_t phx_http_pending(const phx_http *h)
{
	return pending(h);
}

int phx_http_halted(const phx_http *h)
{
	return h->halted;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

void phx_http_stats_get(phx_http *h, phx_http_stats *out)
{
	*out = h->st;
	out->latency_p50_ms = out->latency_p95_ms = out->latency_avg_ms = 0;
	if (h->nlat == 0)
		return;
	unsigned long long sum = 0;
	for (size_t i = 0; i < h->nlat; i++)
		sum += h->lat[i];
	out->latency_avg_ms = (long)((sum + h->nlat / 2) / h->nlat);
	qsort(h->lat, h->nlat, sizeof *h->lat, cmp_u32);
	out->latency_p50_ms = h->lat[(h->nlat - 1) * 50 / 100];
	out->latency_p95_ms = h->lat[(h->nlat - 1) * 95 / 100];
}
