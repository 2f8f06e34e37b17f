/* fetch_proxy.h - the proxy pool behind the HTTP engine's pick/report hook,
 * and the one judgement of "did this proxy fail us" (ban detection).
 *
 * pick: round robin over usable (good and unchecked) proxies, skipping those
 * that already failed the request and those at the per-proxy concurrency
 * limit. report: the verdict is written to the scoreboard at once (lock,
 * reload, change, save), the bytes through the proxy go to the usage journal
 * (service "webshare", what "proxy_bytes"), and a ban makes the engine try
 * the request through another proxy. */
#ifndef PHX_FETCH_PROXY_H
#define PHX_FETCH_PROXY_H
#include <stddef.h>
#include "http.h"

typedef enum {
	PHX_VERDICT_OK = 0,	/* the proxy carried the request */
	PHX_VERDICT_BAN,	/* counts against the proxy */
	PHX_VERDICT_NEUTRAL	/* says nothing about the proxy (a 5xx of the target) */
} phx_proxy_verdict;

typedef struct phx_ban_rules {
	char **markers;		/* block page markers, matched case-insensitively */
	size_t n;
	size_t scan_max;	/* bytes of the body searched; default 256 KiB */
} phx_ban_rules;

/* Markers from PHX_PROXY_BLOCK_MARKERS or config "proxy.block_markers"
 * (comma-separated), else the built-in list. */
void phx_ban_rules_load(phx_ban_rules *r);
void phx_ban_rules_free(phx_ban_rules *r);
/* Judge one attempt through a proxy. why (static or in buf) says what was seen:
 * "HTTP 403", "block page marker \"...\"", "empty 200", a transport error. */
phx_proxy_verdict phx_proxy_judge(const phx_ban_rules *r, long status, int curl_code,
				  const char *body, size_t len, char *why, size_t whyn);

typedef struct phx_fetch_proxy_opts {
	const char *pool_path;	/* NULL: phx_pool_default_path() */
	int per_proxy;		/* transfers at once through one proxy; default 2 */
	int allow_direct;	/* when no proxy is usable, go direct instead of failing */
	const char *usage_service;	/* default "webshare" */
} phx_fetch_proxy_opts;

typedef struct phx_fetch_proxy phx_fetch_proxy;

/* Load the pool. Returns 0, or an exit code (logged): a missing or empty
 * pool is not an error here (pick answers "none"). */
int phx_fetch_proxy_open(phx_fetch_proxy **out, const phx_fetch_proxy_opts *o);
/* Set pick, report and proxy_ctx of engine options. */
void phx_fetch_proxy_attach(phx_fetch_proxy *fp, phx_http_opts *ho);
/* Proxies usable right now (for sizing the engine's concurrency). */
size_t phx_fetch_proxy_usable(phx_fetch_proxy *fp);
/* Non-zero when writing the scoreboard failed at some point (exit 74). */
int phx_fetch_proxy_failed(const phx_fetch_proxy *fp);
void phx_fetch_proxy_close(phx_fetch_proxy *fp);

/* The hook itself (exposed for tests). */
int phx_fetch_proxy_pick(void *ctx, const char *url, const char *host,
			 const char *const *tried, int ntried, const char **proxy_url);
int phx_fetch_proxy_report(void *ctx, const phx_http_attempt *a);

#endif
