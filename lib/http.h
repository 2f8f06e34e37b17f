/* http.h - the HTTP engine every networked phx tool uses (libcurl multi).
 *
 * Requests are queued with phx_http_submit() and driven by phx_http_perform();
 * each ends in exactly one call of its done callback, with a response (any
 * status), an error (a reject code such as "fetch.timeout"), or cancelled.
 *
 * The engine keeps: bounded concurrency, reused connections (keep-alive),
 * gzip, connect and total timeouts, TLS verification always on (a CA file may
 * be given), a per-host rate limit shared across processes (ratelimit.h),
 * retries with exponential backoff and full jitter for connection errors,
 * timeouts, 429, 502, 503 and 504 (Retry-After honoured in both forms), a
 * retry budget per request and per run, and a usage line per attempt.
 * Redirects are not followed: a credential never leaves the host it was
 * meant for. */
#ifndef PHX_HTTP_H
#define PHX_HTTP_H
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <curl/curl.h>

typedef struct phx_http phx_http;

/* ---- The proxy hook (stable: the proxy pool builds on it) ----
 *
 * pick() is called before EACH attempt of a request. It answers:
 *   PHX_PICK_DIRECT  no proxy for this attempt;
 *   PHX_PICK_PROXY   *proxy_url set to a proxy URL (may hold credentials; the
 *                    string must stay valid until the matching report());
 *   PHX_PICK_NONE    no proxy usable now: the request fails with
 *                    "fetch.no_proxies" (tools exit 75).
 * tried[0..ntried-1] are the proxies that already failed this request, so the
 * pool can choose another.
 *
 * report() is called after each attempt that went through pick() with how it
 * went. It returns PHX_REPORT_OK, or PHX_REPORT_BANNED: "this proxy is banned
 * for this request: retry it through another one" (no backoff; not counted
 * against the retry budget). A request is given up with "fetch.proxy_failed"
 * once max_proxy_failures different proxies failed on it. */
enum { PHX_PICK_DIRECT = 0, PHX_PICK_PROXY = 1, PHX_PICK_NONE = 2 };
enum { PHX_REPORT_OK = 0, PHX_REPORT_BANNED = 1 };

typedef struct phx_http_attempt {
	const char *url;
	const char *host;		/* "host:port" */
	const char *proxy;		/* the proxy URL used, NULL when direct */
	int attempt;			/* 1-based */
	long status;			/* HTTP status, 0 when no response came */
	int curl_code;			/* CURLcode, CURLE_OK when a response came */
	long long bytes_up, bytes_down;
	const char *body;		/* response body (may be NULL when empty) */
	size_t body_len;
	long elapsed_ms;
} phx_http_attempt;

typedef int (*phx_http_pick_fn)(void *ctx, const char *url, const char *host,
				const char *const *tried, int ntried,
				const char **proxy_url);
typedef int (*phx_http_report_fn)(void *ctx, const phx_http_attempt *a);

/* ---- Engine options ---- */
typedef struct phx_http_opts {
	int concurrency;		/* transfers at once; default 8 */
	long connect_timeout_ms;	/* default 10000 */
	long timeout_ms;		/* total per attempt; default 60000 */
	int retries;			/* extra attempts per request; default 4 */
	long run_retries;		/* retry budget of the whole run; default 1000 */
	long backoff_base_ms;		/* first backoff ceiling; default 500 */
	long backoff_max_ms;		/* default 60000 */
	long retry_after_max_ms;	/* longer Retry-After: give up; default 3600000 */
	const char *ca_file;		/* NULL: the system's CA store */
	const char *user_agent;		/* NULL: no User-Agent header */
	size_t max_body;		/* bytes; larger bodies fail; default 64 MiB */
	int first_alone;		/* hold all but the first request until it got
					 * an answer (so a bad credential costs one) */
	const char *usage_service;	/* "service" of usage lines; NULL = host */
	int no_usage;			/* 1: write no usage lines (tests) */
	/* the proxy hook; all NULL = direct */
	phx_http_pick_fn pick;
	phx_http_report_fn report;
	void *proxy_ctx;
	int max_proxy_failures;		/* K; default 3 */
} phx_http_opts;

/* ---- A request and its result ---- */
typedef struct phx_http_result phx_http_result;
typedef void (*phx_http_done_fn)(void *user, const phx_http_result *r);

typedef struct phx_http_request {
	const char *url;		/* copied */
	const char *method;		/* NULL = GET; copied */
	const char *body;		/* request body, copied; NULL = none */
	size_t body_len;
	/* extra request headers, owned by the caller, must outlive the request
	 * (build them once and share them); NULL = none */
	const struct curl_slist *headers;
	int want_headers;		/* keep the response header block */
	phx_http_done_fn done;
	void *user;
	/* for the usage line, so phx-cost can price by source and ZIP: the
	 * data source ("maricopa") and the ZIP the request serves; copied,
	 * NULL or "" = not said */
	const char *usage_source, *usage_zip;
} phx_http_request;

struct phx_http_result {
	const char *url;
	void *user;
	int cancelled;			/* stopped by phx_http_halt(): no outcome */
	/* error: NULL when a response was received (any status), else a reject
	 * code: fetch.timeout, fetch.connect, fetch.tls, fetch.too_large,
	 * fetch.http_429 / fetch.http_503 ... (retryable status after the budget
	 * was spent), fetch.no_proxies, fetch.proxy_failed, fetch.bad_url,
	 * fetch.network */
	const char *error;
	const char *error_detail;	/* human words for the error */
	long status;
	const char *reason;		/* reason phrase of the status line ("" if none) */
	const char *content_type;	/* "" when absent */
	const char *body;		/* NUL-terminated; "" when empty */
	size_t body_len;
	const char *headers;		/* raw header block when want_headers, else NULL */
	size_t headers_len;
	const char *proxy;		/* proxy of the final attempt, NULL = direct */
	int tries;			/* attempts made */
	/* retryable statuses met on the way, the final one included: 429, and
	 * 502/503/504 (a site's rate limit and its unavailability, for the
	 * caller's own counts even when a retry then succeeded) */
	int rate_limited, unavailable;
	long elapsed_ms;		/* from first attempt to end */
};

typedef struct phx_http_stats {
	unsigned long long requests;	/* attempts sent */
	unsigned long long retries;
	unsigned long long bytes;	/* down + up */
	long latency_p50_ms, latency_p95_ms;	/* of attempts that got an answer */
	long latency_avg_ms;		/* mean of the same, rounded */
} phx_http_stats;

/* Defaults filled in for every zero member. */
void phx_http_opts_default(phx_http_opts *o);
/* NULL with an error logged when libcurl cannot be set up. */
phx_http *phx_http_new(const phx_http_opts *o);
void phx_http_free(phx_http *h);

/* Rate limit for a host ("host:port"), shared through the state dir. per_sec
 * <= 0 removes it. Returns 0, or -1 when the state dir is unusable. */
int phx_http_set_rate(phx_http *h, const char *hostport, double per_sec, double burst);
/* Apply one rate to every host without its own (0 = none). */
void phx_http_set_default_rate(phx_http *h, double per_sec, double burst);

void phx_http_submit(phx_http *h, const phx_http_request *rq);
/* Do work for at most max_wait_ms; calls done callbacks. Returns the number of
 * requests not finished yet (queued, waiting, running). */
size_t phx_http_perform(phx_http *h, long max_wait_ms);
/* Stop: no new attempts; queued and waiting requests and, when abandon is
 * set, running ones end with cancelled = 1. Without abandon, running ones
 * finish (no retries). */
void phx_http_halt(phx_http *h, int abandon);
int phx_http_halted(const phx_http *h);
/* Requests not finished yet (queued, waiting, running, to deliver). */
size_t phx_http_pending(const phx_http *h);
void phx_http_stats_get(phx_http *h, phx_http_stats *out);

/* Helpers, exposed for tests and callers. */
/* "host:port" of a URL into out; 0, or -1 when the URL has no host. */
int phx_http_hostport(const char *url, char *out, size_t n);
/* Retry-After value (delta seconds or HTTP date) in ms from now; -1 when
 * unparsable. now is the current wall-clock time. */
long phx_http_retry_after_ms(const char *value, time_t now);
/* Full-jitter backoff: uniform in [0, min(max, base * 2^(attempt-1))]. */
long phx_http_backoff_ms(long base_ms, long max_ms, int attempt, uint64_t *rng);
/* Whether an HTTP status is worth retrying (429, 502, 503, 504). */
int phx_http_status_retryable(long status);

#endif
