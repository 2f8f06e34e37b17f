/* proxycheck.h - probe many proxies at once through one URL (phx-proxy check).
 *
 * Each proxy gets one GET of the probe URL through it, concurrently (libcurl
 * multi), with a connect and a total timeout; the answer is judged by
 * phx_proxy_judge() so a check and a fetch agree on what a failure is. */
#ifndef PHX_PROXYCHECK_H
#define PHX_PROXYCHECK_H
#include <stddef.h>
#include "fetch_proxy.h"

typedef struct phx_probe_opts {
	const char *probe_url;
	int parallel;			/* probes at once; default 16 */
	long connect_timeout_ms;	/* default 5000 */
	long timeout_ms;		/* default 15000 */
	const char *ca_file;		/* NULL: the system store */
	const phx_ban_rules *rules;
} phx_probe_opts;

typedef struct phx_probe_result {
	int done;			/* 0: not run (stopped by a signal) */
	long status;			/* 0: no answer */
	int curl_code;
	long long latency_ms;
	long long bytes_up, bytes_down;
	phx_proxy_verdict verdict;
	char why[160];
} phx_probe_result;

/* Probe proxy_urls[0..n) (URLs with credentials); results in out[0..n).
 * Returns 0, or -1 when libcurl could not be set up (logged). */
int phx_proxy_probe_all(const phx_probe_opts *o, char *const *proxy_urls, size_t n,
			phx_probe_result *out);

#endif
