/* proxysource.h - where proxies come from: the WebShare API v2, WebShare's
 * download list (ip:port:username:password) and plain files of proxy URLs.
 *
 * Each source yields a list of phx_proxy (state unchecked) for
 * phx_pool_merge(). Bad lines and entries are rejected (reject codes
 * proxy.bad_line, proxy.bad_entry, and input.too_long, input.bad_utf8,
 * input.nul_byte from the reader) without their text, which may hold a
 * password; proxies the source itself calls invalid are left out and counted. */
#ifndef PHX_PROXYSOURCE_H
#define PHX_PROXYSOURCE_H
#include <stddef.h>
#include "proxypool.h"

typedef struct phx_proxy_list {
	phx_proxy *v;
	size_t n, cap;
	size_t invalid;		/* left out because the source says valid: false */
	size_t bad;		/* rejected lines or entries */
} phx_proxy_list;

void phx_proxy_list_push(phx_proxy_list *l, phx_proxy *p);	/* takes over p */
void phx_proxy_list_free(phx_proxy_list *l);

/* A file ("-" = stdin) with one proxy per line: a URL (scheme://...), or
 * ip:port:username:password, or ip:port. Blank lines and '#' comments are
 * skipped. Returns 0, or an exit code (logged) when the file is unreadable. */
int phx_source_read_file(const char *path, phx_proxy_list *out);

typedef struct phx_webshare_opts {
	const char *base_url;	/* "https://proxy.webshare.io" */
	const char *api_key;	/* the token (a secret) */
	const char *mode;	/* "direct" */
	long connect_timeout_ms, timeout_ms;
	int retries;		/* extra tries per page on 5xx / network errors */
	int max_pages;		/* safety stop */
	const char *ca_file;	/* NULL: system store */
} phx_webshare_opts;

/* Base URL: PHX_WEBSHARE_URL, config "proxy.webshare_url", else the real
 * service. Timeouts default to 10 s / 60 s, 3 retries, 1000 pages. */
void phx_webshare_opts_default(phx_webshare_opts *o);
/* Page through GET /api/v2/proxy/list/ until "next" is null. Returns 0, or
 * PHX_EX_CONFIG (401/403: the key was refused), PHX_EX_UNAVAILABLE (service
 * down after retries), PHX_EX_DATAERR (answers that are not the API's). */
int phx_source_webshare(const phx_webshare_opts *o, phx_proxy_list *out);

#endif
