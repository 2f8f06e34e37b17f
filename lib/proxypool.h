/* proxypool.h - the persisted proxy scoreboard shared by phx-proxy and phx-fetch.
 *
 * The pool lives in one JSON file in the state directory (default
 * $STATE/proxies.json, mode 0600: it holds proxy passwords). Every change is
 * a read-modify-write under an exclusive flock on "<file>.lock", and the file
 * is replaced atomically, so several processes can share it.
 *
 * A proxy is identified by scheme, user, host and port (its key, printed as
 * "scheme://user@host:port"); the password is data, not identity. States:
 * unchecked (never tried, or back from backoff), good, dead. Every change of
 * state is recorded in the proxy's history with when and why. A dead proxy
 * returns as unchecked after an exponential backoff with full jitter. */
#ifndef PHX_PROXYPOOL_H
#define PHX_PROXYPOOL_H
#include <stddef.h>
#include <time.h>
#include <jansson.h>
#include "buf.h"

typedef enum {
	PHX_PROXY_UNCHECKED = 0,
	PHX_PROXY_GOOD,
	PHX_PROXY_DEAD
} phx_proxy_state;

typedef struct phx_proxy {
	char *scheme;		/* http, https, socks4, socks4a, socks5, socks5h */
	char *user;		/* NULL: no credentials */
	char *password;		/* NULL or the password (a secret) */
	char *host;
	int port;
	char *source;		/* which import brought it ("webshare", "file", ...) */
	char *country, *city;	/* from WebShare, may be NULL */
	phx_proxy_state state;
	int retired;		/* vanished from its source: kept, never used */
	int failures;		/* consecutive failures; a success resets */
	long long ok_total, fail_total;
	long long bytes_up, bytes_down;
	long long latency_ms;	/* last measured, -1 unknown */
	time_t added, last_used, last_checked, dead_until;
	json_t *history;	/* array of {"at","from","to","status","error","target","reason","by"} */
} phx_proxy;

/* Why a state changes; every member optional (0 / NULL). */
typedef struct phx_proxy_why {
	long status;		/* HTTP status seen, 0 none */
	const char *error;	/* transport error text */
	const char *target;	/* URL requested through the proxy (stored redacted) */
	const char *reason;	/* free text: "marked by hand", "backoff over" */
} phx_proxy_why;

typedef struct phx_backoff {
	long long base_s;	/* first window, default 300 */
	long long cap_s;	/* largest window, default 3600 */
} phx_backoff;

#define PHX_BACKOFF_BASE_DEFAULT 300
#define PHX_BACKOFF_CAP_DEFAULT 3600
#define PHX_PROXY_HISTORY_MAX 200	/* oldest entries dropped beyond this */

typedef struct phx_pool {
	phx_proxy *v;
	size_t n, cap;
	char *cursor;		/* key of the proxy handed out last (round robin) */
	char *path;
	int lock_fd;		/* -1 when not locked */
	phx_backoff backoff;
	const char *by;		/* tool name written into history entries */
	size_t revived;		/* dead proxies that phx_pool_open() made unchecked */
} phx_pool;

/* --- one proxy --- */

/* Parse "scheme://[user[:password]@]host:port" (user and password may be
 * percent-encoded). A missing scheme means http. Returns 0, or -1 with a
 * reason in err (never containing the password). */
int phx_proxy_parse_url(const char *url, phx_proxy *out, char *err, size_t errn);
/* "ip:port:username:password" (WebShare's download list) or "host:port". */
int phx_proxy_parse_colon(const char *line, phx_proxy *out, char *err, size_t errn);
/* The identity: "scheme://user@host:port" (no password). */
void phx_proxy_key(const phx_proxy *p, phx_buf *out);
/* The URL for libcurl or for shell use. With show_secret 0 the password is
 * "***"; user and password are percent-encoded. */
void phx_proxy_url(const phx_proxy *p, int show_secret, phx_buf *out);
void phx_proxy_free(phx_proxy *p);
const char *phx_proxy_state_name(phx_proxy_state s);
int phx_proxy_state_parse(const char *s, phx_proxy_state *out);
/* Not retired and not dead. */
int phx_proxy_usable(const phx_proxy *p);

/* Seconds to wait after the n-th consecutive failure: a uniform draw from
 * [0, min(cap, base * 2^(n-1))]. u is the draw in [0, 1]. */
long long phx_backoff_delay(const phx_backoff *b, int failures, double u);

/* --- the pool file --- */

/* Scoreboard path: PHX_PROXY_POOL, config "proxy.pool", else
 * $STATE/proxies.json. Returns a malloc'd string, NULL with an error logged. */
char *phx_pool_default_path(void);
/* Backoff from PHX_PROXY_BACKOFF_BASE / _CAP or config "proxy.backoff_base" /
 * "proxy.backoff_cap" (durations: "300", "5m", "1h"). -1 on a bad value. */
int phx_pool_backoff_settings(phx_backoff *out);

/* Lock (when lock is non-zero) and load path into pool; a missing file is an
 * empty pool. Passwords are registered with the redactor. Dead proxies whose
 * backoff is over turn unchecked. Returns 0, or an exit code (logged). */
int phx_pool_open(phx_pool *pool, const char *path, int lock);
/* Write the pool atomically (mode 0600). Returns 0 or PHX_EX_IOERR. */
int phx_pool_save(phx_pool *pool);
/* Give the lock up but keep the data (a snapshot for reading). */
void phx_pool_unlock(phx_pool *pool);
/* Unlock and free (without saving). */
void phx_pool_close(phx_pool *pool);

/* Find by key or by URL (a password in it is ignored). NULL when absent. */
phx_proxy *phx_pool_find(phx_pool *pool, const char *key_or_url);
/* Take over p (moved; p is zeroed). Returns the stored proxy. */
phx_proxy *phx_pool_add(phx_pool *pool, phx_proxy *p, time_t now);

/* Change state and record why (a no-op when the state is the same and
 * nothing else changes). */
void phx_pool_set_state(phx_pool *pool, phx_proxy *p, phx_proxy_state to,
			const phx_proxy_why *why, time_t now);
/* A request through p worked: good, failures reset. */
void phx_pool_success(phx_pool *pool, phx_proxy *p, const phx_proxy_why *why,
		      long long latency_ms, time_t now);
/* A request through p failed in a way that counts against it: dead until a
 * backoff drawn from the pool's settings. */
void phx_pool_failure(phx_pool *pool, phx_proxy *p, const phx_proxy_why *why,
		      time_t now);
/* Dead proxies whose dead_until has passed turn unchecked. Returns how many. */
size_t phx_pool_revive(phx_pool *pool, time_t now);

/* Merge an imported list into the pool: new proxies are added unchecked,
 * known ones get fresh passwords and metadata (history kept), retired ones
 * that are back are un-retired, and proxies of the same source that are not
 * in the list are retired. Takes over the list's proxies. Counts go to the
 * out parameters (any may be NULL). */
void phx_pool_merge(phx_pool *pool, phx_proxy *list, size_t n, const char *source,
		    time_t now, size_t *added, size_t *updated, size_t *retired);

/* Round robin: the next usable proxy after the cursor (good and unchecked
 * alike), skipping those for which skip(p, arg) is non-zero (skip may be
 * NULL). Moves the cursor. NULL when none is usable. */
phx_proxy *phx_pool_next(phx_pool *pool, int (*skip)(const phx_proxy *, void *),
			 void *arg);

/* A summary of p for output: {"proxy","state","retired","source",...},
 * password masked unless show_secret. */
json_t *phx_proxy_summary(const phx_proxy *p, int show_secret);

#endif
