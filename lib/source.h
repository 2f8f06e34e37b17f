/* source.h - the data sources of phx-fetch behind one small interface, and
 * what every source shares with the tool (the engine, stopping, writing
 * records and rejects, the trace).
 *
 * The tool parses options, reads requests and runs the engine's loop; a
 * request object ({"source":NAME,...}) goes to its source's start(), which
 * submits transfers and, from their callbacks, writes records with
 * phx_fetch_emit() and rejects with phx_fetch_reject(). A third source is a
 * new lib/source_NAME.c and an entry in phx_sources (source.c). */
#ifndef PHX_SOURCE_H
#define PHX_SOURCE_H
#include <jansson.h>
#include "http.h"
#include "ndjson.h"

typedef struct phx_source_opts {
	phx_http *http;
	const char *rate;	/* --rate as given, NULL when not */
	const char *base_url;	/* --base-url as given, NULL when not */
	const char *selectors;	/* --selectors FILE, NULL when not */
	int refresh;		/* --refresh */
	int proxies;		/* transfers go through the proxy pool */
	int details;		/* maricopa: --details */
	long long max_age;	/* maricopa: --max-age in seconds, 0 = none */
	int apn_index;		/* maricopa: keep the fetched-APN index (--apn) */
} phx_source_opts;

typedef struct phx_source {
	const char *name;
	const char *what;	/* one line for --help */
	/* Engine settings before the engine exists (concurrency when not
	 * given with --concurrency). May be NULL. */
	void (*engine)(phx_http_opts *o, int concurrency_given);
	/* Settings, rates, files. 0, or an exit status (logged). */
	int (*open)(const phx_source_opts *o);
	/* One request of this source; the source rejects what it cannot do.
	 * req is borrowed (incref to keep it). */
	void (*start)(json_t *req, const phx_pos *pos);
	/* --check-selectors URL: the report on stdout; an exit status. May be NULL. */
	int (*check)(const char *url);
	void (*metrics)(json_t *m);
	void (*close)(void);
} phx_source;

extern const phx_source phx_source_maricopa, phx_source_mls, phx_source_url;

/* The assessor's headers (with its token) for url when it is the assessor's
 * own host, else NULL: a generic URL request to the API carries the token,
 * no other host ever sees it. base_flag: --base-url as given, or NULL. */
const struct curl_slist *phx_maricopa_headers_for(const char *url, const char *base_flag);

/* The source called name, or NULL. "url" is the generic one: a request
 * object with a url member and no source. */
const phx_source *phx_source_find(const char *name);
/* "maricopa, phoenix_mls": the names for messages. */
const char *phx_source_names(void);

/* ---- shared with the tool ---- */

void phx_fetch_set_http(phx_http *h);
phx_http *phx_fetch_http(void);
/* A fatal condition (auth, output closed, blocked): halt the engine, exit code. */
void phx_fetch_fatal(int code);
int phx_fetch_stopped(void);
/* Write one record as one line; -1 when the output failed (then stopped). */
int phx_fetch_emit(json_t *rec);
/* The output failed: stop, exit 74 unless the reader went away. */
void phx_fetch_output_failed(void);
/* A reject naming the request, with url and status when known. */
void phx_fetch_reject(const phx_pos *pos, const json_t *request, const char *code,
		      const char *why, int tries, const char *url, long status);
/* The exit status a failure code implies (auth 78, no proxies 75, 429 75,
 * 5xx and network 69), and a word on stderr for the fatal ones. */
void phx_fetch_note_failure(const char *code);
/* _phx.trace entry of phx-fetch: url, status, sha256, proxy (+ more). */
void phx_fetch_trace(json_t *rec, const char *url, long status, const char *sha,
		     const char *proxy, const json_t *more);
/* The proxy for the trace: scheme://host:port, no user name or password. */
char *phx_fetch_public_proxy(const char *proxy);

#endif
