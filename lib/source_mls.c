/* source_mls.c - the Phoenix MLS source of phx-fetch (phoenixmlssearch.com,
 * WordPress with the Flexmls IDX plugin), read politely.
 *
 * A ZIP request walks the search pages (/mls/search/?PostalCode=Z&pg=N&
 * Limit=25) to the end: the count, the Next button, a page repeating the
 * last one's cards. Each card's detail page is fetched once, at its
 * canonical URL, and becomes one record through the layered extractor
 * (mls_detail.h). A card whose id, price, status and modification time
 * were fetched before is not fetched again (the index in the state
 * directory) unless --refresh.
 *
 * robots.txt comes first (cached in the state directory for a day) and is
 * obeyed: Disallow, Allow and Crawl-delay; a disallowed link is counted,
 * never fetched. Block pages (mls_block.h): a challenge or rate limit waits
 * (Retry-After, else a doubling backoff) and tries again; a refusal (a
 * WAF's plain 403) stops the run at once with exit 75, keeping every record
 * already written. Nothing is ever solved or evaded. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <libxml/uri.h>
#include "buf.h"
#include "cli.h"
#include "config.h"
#include "cursor.h"
#include "exitcode.h"
#include "log.h"
#include "mls_block.h"
#include "mls_detail.h"
#include "mls_search.h"
#include "mls_selectors.h"
#include "mls_values.h"
#include "output.h"
#include "ratelimit.h"
#include "robots.h"
#include "run.h"
#include "sha256.h"
#include "source.h"
#include "state.h"
#include "timeutil.h"
#include "xalloc.h"

#define AGENT_TOKEN "phx-fetch"
#define MAX_PAGES 400		/* 10,000 listings a ZIP: far beyond any real one */
#define MAX_HOPS 3

typedef struct mjob {
	phx_pos pos;
	char *file;
	json_t *request;
	char zip[8];		/* a search, or "" */
	json_t *last_ids;	/* MLS numbers of the last search page */
	long cards;		/* cards seen on its pages so far */
	int refs;
} mjob;

enum req_kind { REQ_ROBOTS, REQ_SEARCH, REQ_DETAIL, REQ_CHECK };

typedef struct mreq {
	enum req_kind kind;
	mjob *j;
	char *url;
	long page;
	char sig[16];		/* the card's signature, "" for a URL request */
	int hops, waits;
} mreq;

static struct {
	phx_http *http;
	char *base, *ua;
	char host[300];
	struct curl_slist *headers;
	phx_mls_selectors *sel;
	phx_mls_selectors *builtin;	/* search lines, when the file has none */
	const phx_mls_selectors *search;
	phx_robots *robots;	/* NULL until read */
	int robots_asked;
	mreq **held;		/* waiting for robots.txt */
	size_t nheld;
	json_t *seen;		/* MLS numbers of this run */
	phx_apn_index *index;
	double rate, burst;
	long long robots_ttl;
	long backoff_ms;
	int max_waits, refresh, proxies;
	unsigned long long pages, details, disallowed, unchanged, duplicates;
	unsigned long long blocks[PHX_BLOCK_FORBIDDEN + 1];
} M;

/* ---- jobs and requests ---- */

static mjob *job_new(json_t *req, const phx_pos *pos)
{
	mjob *j = phx_xcalloc(1, sizeof *j);
	j->file = phx_xstrdup(pos->file ? pos->file : "-");
	j->pos = *pos;
	j->pos.file = j->file;
	j->request = json_incref(req);
	j->refs = 1;
	return j;
}

static void job_release(mjob *j)
{
	if (!j || --j->refs > 0)
		return;
	json_decref(j->request);
	json_decref(j->last_ids);
	free(j->file);
	free(j);
}

static mreq *req_new(enum req_kind kind, mjob *j, const char *url)
{
	mreq *q = phx_xcalloc(1, sizeof *q);
	q->kind = kind;
	q->j = j;
	if (j)
		j->refs++;
	q->url = phx_xstrdup(url);
	return q;
}

static void req_free(mreq *q)
{
	job_release(q->j);
	free(q->url);
	free(q);
}

static void reject(mreq *q, const char *code, const char *why, int tries, long status)
{
	if (q->j)
		phx_fetch_reject(&q->j->pos, q->j->request, code, why, tries, q->url, status);
	else
		phx_err("%s: %s", q->url, why);
}

/* ---- robots.txt ---- */

static void done(void *user, const phx_http_result *r);

static void send_now(mreq *q)
{
	phx_http_request rq = { q->url, NULL, NULL, 0, M.headers, 1, done, q,
				"phoenix_mls", q->j ? q->j->zip : NULL };
	phx_http_submit(M.http, &rq);
}

/* The path and query of an URL of the site, or NULL for another host. */
static const char *site_path(const char *url)
{
	char hp[300];
	if (phx_http_hostport(url, hp, sizeof hp) != 0 || strcmp(hp, M.host) != 0)
		return NULL;
	const char *p = strstr(url, "://");
	p = p ? strchr(p + 3, '/') : NULL;
	return p ? p : "/";
}

/* Submit q once robots.txt is known, if it allows; q is consumed. */
static void submit(mreq *q);

static void release_held(void)
{
	mreq **held = M.held;
	size_t n = M.nheld;
	M.held = NULL;
	M.nheld = 0;
	for (size_t i = 0; i < n; i++)
		submit(held[i]);
	free(held);
}

static int robots_cache_path(char *out, size_t n)
{
	char rel[400];
	snprintf(rel, sizeof rel, "fetch/robots/%s.txt", M.host);
	for (char *p = rel + 13; *p; p++)
		if (*p == ':' || *p == '/')
			*p = '_';
	return phx_state_path(out, n, rel);
}

static void robots_ready(phx_robots *r, const char *from)
{
	M.robots = r;
	double delay = phx_robots_crawl_delay(r);
	phx_info("robots.txt (%s): %zu rules for %s%s", from, phx_robots_rules(r), AGENT_TOKEN,
		 delay > 0 ? ", with a Crawl-delay" : "");
	if (delay > 0 && 1.0 / delay < M.rate) {
		phx_info("robots.txt asks for %.0f s between requests: slower than the rate",
			 delay);
		phx_http_set_rate(M.http, M.host, 1.0 / delay, 1);
	}
	release_held();
}

/* A fresh cached copy, else NULL. */
static phx_robots *robots_cached(int fresh_only)
{
	char path[4096];
	struct stat st;
	if (robots_cache_path(path, sizeof path) != 0 || stat(path, &st) != 0)
		return NULL;
	if (fresh_only && (long long)(time(NULL) - st.st_mtime) > M.robots_ttl)
		return NULL;
	size_t len = 0;
	char *text = phx_read_file(path, &len);
	if (!text)
		return NULL;
	phx_robots *r = phx_robots_parse(text, len, AGENT_TOKEN);
	free(text);
	return r;
}

static void robots_store(const char *text, size_t len)
{
	char path[4096];
	if (robots_cache_path(path, sizeof path) == 0 &&
	    phx_write_atomic(path, text, len, 0600) != 0)
		phx_warn("%s: cannot cache robots.txt: %s", path, strerror(errno));
}

static void robots_ask(void)
{
	M.robots_asked = 1;
	phx_robots *c = robots_cached(1);
	if (c) {
		robots_ready(c, "cached");
		return;
	}
	phx_buf b = PHX_BUF_INIT;
	phx_buf_printf(&b, "%s/robots.txt", M.base);
	mreq *q = req_new(REQ_ROBOTS, NULL, b.data);
	phx_buf_free(&b);
	send_now(q);
}

/* The answer to robots.txt: 200 rules, 4xx none (RFC 9309 2.3.1.3),
 * unreachable: the stale copy if any, else nothing may be fetched. */
static void robots_done(const phx_http_result *r, const phx_block *b)
{
	if (!r->error && r->status >= 200 && r->status < 300 && b->kind == PHX_BLOCK_NONE) {
		robots_store(r->body, r->body_len);
		robots_ready(phx_robots_parse(r->body, r->body_len, AGENT_TOKEN), "fetched");
		return;
	}
	if (!r->error && r->status >= 400 && r->status < 500 && b->kind == PHX_BLOCK_NONE) {
		robots_store("", 0);
		robots_ready(phx_robots_new(1), "none on the site");
		return;
	}
	phx_robots *stale = robots_cached(0);
	if (stale) {
		phx_warn("%s/robots.txt: %s: using the copy cached before", M.base,
			 r->error ? r->error_detail : "no answer");
		robots_ready(stale, "cached, stale");
		return;
	}
	char what[300];
	if (r->error)
		snprintf(what, sizeof what, "%s", r->error_detail);
	else
		snprintf(what, sizeof what, "HTTP %ld%s", r->status,
			 b->kind != PHX_BLOCK_NONE ? ", a block page" : "");
	phx_err("%s/robots.txt could not be read (%s): nothing is fetched from the site",
		M.base, what);
	phx_run_fail(b->kind == PHX_BLOCK_NONE ? PHX_EX_UNAVAILABLE : PHX_EX_TEMPFAIL);
	robots_ready(phx_robots_new(0), "unreachable");
}

static void submit(mreq *q)
{
	if (phx_fetch_stopped()) {
		req_free(q);
		return;
	}
	if (!M.robots) {
		M.held = phx_xrealloc(M.held, (M.nheld + 1) * sizeof *M.held);
		M.held[M.nheld++] = q;
		if (!M.robots_asked)
			robots_ask();
		return;
	}
	const char *path = site_path(q->url);
	if (!path) {
		reject(q, "mls.off_site", "not a page of the MLS site (PHOENIX_MLS_BASE_URL)", 0, 0);
		req_free(q);
		return;
	}
	if (!phx_robots_allowed(M.robots, path)) {
		M.disallowed++;
		phx_info("robots.txt disallows %s: not fetched", path);
		if (q->kind != REQ_DETAIL || !q->sig[0])	/* a page asked for, not a card */
			reject(q, "mls.robots_disallowed", "robots.txt disallows this path", 0, 0);
		req_free(q);
		return;
	}
	send_now(q);
}

/* ---- block pages ---- */

static const char *block_code(phx_block_kind k)
{
	switch (k) {
	case PHX_BLOCK_CHALLENGE: return "mls.challenge";
	case PHX_BLOCK_RATE: return "mls.rate_limited";
	case PHX_BLOCK_UNAVAILABLE: return "mls.unavailable";
	default: return "mls.blocked";
	}
}

static void on_block(mreq *q, const phx_http_result *r, const phx_block *b)
{
	char why[512];
	M.blocks[b->kind]++;
	snprintf(why, sizeof why, "%s by %s (%s, HTTP %ld)", phx_mls_block_name(b->kind),
		 b->vendor, b->seen, r->status);
	if (b->kind == PHX_BLOCK_FORBIDDEN) {
		phx_err("%s: %s: stopping the run (no hammering)%s; records already written are "
			"kept", M.host, why, M.proxies ? ", no proxy left to go around it" : "");
		reject(q, "mls.blocked", why, r->tries, r->status);
		phx_fetch_fatal(PHX_EX_TEMPFAIL);
		return;
	}
	if (q->waits >= M.max_waits) {
		phx_warn("%s: %s again after %d waits: giving up on %s", M.host, why, q->waits,
			 q->url);
		reject(q, block_code(b->kind), why, r->tries, r->status);
		phx_run_fail(PHX_EX_TEMPFAIL);
		return;
	}
	long wait = b->retry_after_ms > 0 ? b->retry_after_ms : M.backoff_ms << q->waits;
	if (wait > 3600000)
		wait = 3600000;
	phx_warn("%s: %s: waiting %ld s before trying again", M.host, why, (wait + 999) / 1000);
	phx_ratelimit_pause(M.host, phx_wall_ms() + wait);	/* every request waits */
	mreq *again = req_new(q->kind, q->j, q->url);
	again->page = q->page;
	memcpy(again->sig, q->sig, sizeof q->sig);
	again->hops = q->hops;
	again->waits = q->waits + 1;
	send_now(again);
}

/* ---- pages ---- */

static void submit_search(mjob *j, long page)
{
	char *url = phx_mls_search_url(M.base, j->zip, page, PHX_MLS_LIMIT);
	mreq *q = req_new(REQ_SEARCH, j, url);
	q->page = page;
	free(url);
	submit(q);
}

static void search_page(mreq *q, const phx_http_result *r)
{
	mjob *j = q->j;
	phx_mls_results res;
	int parsed = phx_mls_search_parse(M.search, r->body, r->body_len, q->url, &res) == 0;
	if (!parsed || !res.tmpl || (res.n == 0 && res.count > j->cards)) {
		char why[256];
		snprintf(why, sizeof why, "%s: the site's layout may have changed (page %ld, "
			 "phx-mls-selectors(5))", res.tmpl ? "a results page with a match count "
			 "but no listing card" : "a results page without a match count or a "
			 "listing card", q->page);
		reject(q, "mls.layout_changed", why, r->tries, r->status);
		phx_mls_results_free(&res);
		return;
	}
	M.pages++;
	json_t *ids = json_array();
	for (size_t i = 0; i < res.n; i++)
		json_array_append_new(ids, json_string(res.cards[i].mls_id));
	int repeat = res.n > 0 && j->last_ids && json_equal(ids, j->last_ids);
	json_decref(j->last_ids);
	j->last_ids = ids;
	if (repeat) {
		phx_info("%s: page %ld repeats the page before: the end", j->zip, q->page);
		phx_mls_results_free(&res);
		return;
	}
	for (size_t i = 0; i < res.n && !phx_fetch_stopped(); i++) {
		const phx_mls_card *c = &res.cards[i];
		if (json_object_get(M.seen, c->mls_id)) {
			M.duplicates++;
			continue;
		}
		json_object_set_new(M.seen, c->mls_id, json_true());
		mreq *d = req_new(REQ_DETAIL, j, c->url);
		phx_mls_card_signature(c, d->sig);
		if (!M.refresh && M.index && phx_apn_index_get(M.index, d->sig) > 0) {
			M.unchanged++;	/* fetched before, and its card shows no change */
			phx_run_current()->dropped++;
			req_free(d);
			continue;
		}
		submit(d);
	}
	/* the site may serve fewer than asked (a cookie overrides Limit): count cards */
	j->cards += (long)res.n;
	int more = res.n > 0 && q->page < MAX_PAGES &&
		   (res.count >= 0 ? j->cards < res.count
				   : (res.has_next || res.n >= PHX_MLS_LIMIT));
	if (more)
		submit_search(j, q->page + 1);
	phx_mls_results_free(&res);
}

static void detail_page(mreq *q, const phx_http_result *r)
{
	json_t *rec = NULL;
	const char *code = NULL;
	char why[768];
	if (phx_mls_extract_detail(M.sel, r->body, r->body_len, q->url, &rec, &code, why,
				   sizeof why) != 0) {
		reject(q, code, why, r->tries, r->status);
		return;
	}
	char sha[65];
	phx_sha256_hex(r->body, r->body_len, sha);
	char *proxy = phx_fetch_public_proxy(r->proxy);
	phx_fetch_trace(rec, r->url, r->status, sha, proxy, NULL);
	free(proxy);
	M.details++;
	if (phx_fetch_emit(rec) == 0 && q->sig[0] && M.index)
		phx_apn_index_put(M.index, q->sig, time(NULL));
	json_decref(rec);
}

/* A results page (its URL or file name says "search") gets the search
 * lines' report, any other page the detail selectors'. */
static void check_page(mreq *q, const phx_http_result *r)
{
	json_t *rep = strstr(q->url, "search")
		? phx_mls_search_report(M.search, r->body, r->body_len, q->url)
		: phx_mls_selectors_report(M.sel, r->body, r->body_len, q->url);
	size_t i;
	json_t *line;
	json_array_foreach(rep, i, line)
		if (phx_out_json(line) != 0) {
			phx_fetch_output_failed();
			break;
		}
	json_t *page = json_array_get(rep, 0);
	if (json_integer_value(json_object_get(page, "matched")) == 0) {
		phx_warn("%s: no selector matched (see the report)", q->url);
		phx_run_fail(PHX_EX_REJECTS);
	}
	json_decref(rep);
}

/* WordPress's canonical redirect (no trailing slash): followed on the site. */
static void on_redirect(mreq *q, const phx_http_result *r)
{
	char loc[2048];
	xmlChar *abs = NULL;
	if (phx_header_value(r->headers, r->headers_len, "Location", loc, sizeof loc) == 0)
		abs = xmlBuildURI((const xmlChar *)loc, (const xmlChar *)q->url);
	if (!abs || q->hops >= MAX_HOPS || !site_path((const char *)abs)) {
		char why[256];
		snprintf(why, sizeof why, "HTTP %ld redirect %s", r->status,
			 abs ? (q->hops >= MAX_HOPS ? "loop" : "off the site") : "without a Location");
		reject(q, "fetch.redirect", why, r->tries, r->status);
		xmlFree(abs);
		return;
	}
	char *to = q->kind == REQ_SEARCH ? phx_xstrdup((const char *)abs)
					 : phx_mls_canonical_url((const char *)abs);
	xmlFree(abs);
	mreq *next = req_new(q->kind, q->j, to);
	free(to);
	next->page = q->page;
	memcpy(next->sig, q->sig, sizeof q->sig);
	next->hops = q->hops + 1;
	submit(next);
}

static void done(void *user, const phx_http_result *r)
{
	mreq *q = user;
	if (r->cancelled || (phx_fetch_stopped() && q->kind != REQ_ROBOTS)) {
		req_free(q);
		return;
	}
	phx_block b;
	phx_mls_block_classify(r->error ? 0 : r->status, r->headers, r->headers_len, r->body,
			       r->body_len, (long)time(NULL), &b);
	if (q->kind == REQ_ROBOTS) {
		robots_done(r, &b);
		req_free(q);
		return;
	}
	/* the engine's own retries of 429 and 5xx are block answers too */
	M.blocks[PHX_BLOCK_RATE] += (unsigned long long)r->rate_limited;
	M.blocks[PHX_BLOCK_UNAVAILABLE] += (unsigned long long)r->unavailable;
	if (r->error) {
		phx_fetch_note_failure(r->error);
		reject(q, r->error, r->error_detail, r->tries, r->status);
	} else if (b.kind != PHX_BLOCK_NONE) {
		on_block(q, r, &b);
	} else if (r->status >= 300 && r->status < 400) {
		on_redirect(q, r);
	} else if (r->status == 404 || r->status == 410) {
		reject(q, "mls.not_found", "HTTP 404: no such page", r->tries, r->status);
	} else if (r->status < 200 || r->status > 299) {
		char code[32], why[64];
		snprintf(code, sizeof code, "fetch.http_%ld", r->status);
		snprintf(why, sizeof why, "HTTP %ld %s", r->status, r->reason);
		reject(q, code, why, r->tries, r->status);
	} else if (q->kind == REQ_SEARCH) {
		search_page(q, r);
	} else if (q->kind == REQ_DETAIL) {
		detail_page(q, r);
	} else {
		check_page(q, r);
	}
	req_free(q);
}

/* ---- the interface ---- */

static int valid_zip(const char *z)
{
	if (strlen(z) != 5)
		return 0;
	for (int i = 0; i < 5; i++)
		if (z[i] < '0' || z[i] > '9')
			return 0;
	return 1;
}

static void mls_start(json_t *req, const phx_pos *pos)
{
	json_t *url = json_object_get(req, "url"), *zip = json_object_get(req, "zip");
	char zbuf[16], id[24];
	const char *z = json_string_value(zip);
	if (json_is_integer(zip)) {
		snprintf(zbuf, sizeof zbuf, "%05lld", (long long)json_integer_value(zip));
		z = zbuf;
	}
	phx_run_current()->in++;
	mjob *j = job_new(req, pos);
	if (json_is_string(url)) {
		const char *u = json_string_value(url);
		if (phx_mls_id_from_url(u, id, sizeof id) != 0) {
			phx_fetch_reject(pos, req, "request.bad_url", "not a listing URL of the "
					 "site (.../mls/<address>-mls_<MLS#>/)", 0, u, 0);
		} else {
			char *c = phx_mls_canonical_url(u);
			submit(req_new(REQ_DETAIL, j, c));
			free(c);
		}
	} else if (z && valid_zip(z)) {
		snprintf(j->zip, sizeof j->zip, "%s", z);
		submit_search(j, 1);
	} else {
		phx_fetch_reject(pos, req, zip ? "request.bad_zip" : "request.unknown",
				 zip ? "zip must be 5 digits"
				     : "a phoenix_mls request needs a zip or a url", 0, NULL, 0);
	}
	job_release(j);
}

static int mls_check(const char *url)
{
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
		size_t len = 0;
		char *html = phx_read_file(url, &len);
		if (!html) {
			phx_err("%s: %s", url, strerror(errno));
			return PHX_EX_USAGE;
		}
		phx_http_result r = { 0 };
		r.body = html;
		r.body_len = len;
		mreq q = { REQ_CHECK, NULL, (char *)url, 0, "", 0, 0 };
		check_page(&q, &r);
		free(html);
		return -1;
	}
	submit(req_new(REQ_CHECK, NULL, url));
	return -1;
}

static void mls_engine(phx_http_opts *o, int concurrency_given)
{
	static const char *const env[] = { "PHOENIX_MLS_CONCURRENT_LIMIT", NULL };
	long long n = 1;
	const char *v = phx_setting(NULL, env, "mls.concurrent_limit", "1");
	if (!concurrency_given) {
		if (phx_parse_int("PHOENIX_MLS_CONCURRENT_LIMIT", v, 1, 16, &n) != 0)
			n = 1;
		o->concurrency = (int)n;
	}
}

/* PHOENIX_MLS_RATE_LIMIT is requests per hour (the previous system's); a
 * --rate or mls.rate in the rate syntax (60/h, 1/s) wins. */
static int mls_rate(const char *flag)
{
	static const char *const env[] = { "PHOENIX_MLS_RATE_LIMIT", NULL };
	const char *v = flag ? flag : phx_setting(NULL, env, "mls.rate_limit", "60");
	char *end;
	double per_hour = strtod(v, &end);
	M.burst = 1;
	if (end != v && *end == '\0' && per_hour > 0) {
		M.rate = per_hour / 3600.0;
		return 0;
	}
	if (phx_rate_parse(v, &M.rate, &M.burst) != 0 || M.rate <= 0) {
		phx_err("%s: \"%s\" is not a rate (requests per hour, or like 60/h)",
			flag ? "--rate" : "PHOENIX_MLS_RATE_LIMIT", v);
		return -1;
	}
	return 0;
}

static int mls_open(const phx_source_opts *o)
{
	static const char *const base_env[] = { "PHOENIX_MLS_BASE_URL", NULL };
	static const char *const ua_env[] = { "PHOENIX_MLS_USER_AGENT", NULL };
	static const char *const sel_env[] = { "PHOENIX_MLS_SELECTORS", NULL };
	static const char *const backoff_env[] = { "PHOENIX_MLS_BACKOFF", NULL };
	M.http = o->http;
	M.refresh = o->refresh;
	M.proxies = o->proxies;
	const char *base = phx_setting(o->base_url, base_env, "mls.base_url", PHX_MLS_BASE);
	size_t n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		n--;
	M.base = phx_xstrndup(base, n);
	if (phx_http_hostport(M.base, M.host, sizeof M.host) != 0) {
		phx_err("PHOENIX_MLS_BASE_URL: \"%s\" is not an http(s) URL", M.base);
		return PHX_EX_CONFIG;
	}
	if (mls_rate(o->rate) != 0)
		return PHX_EX_CONFIG;
	double backoff;
	if (phx_parse_double("PHOENIX_MLS_BACKOFF", phx_setting(NULL, backoff_env, "mls.backoff",
								 "60"), 0.001, 86400, &backoff) != 0)
		return PHX_EX_CONFIG;
	M.backoff_ms = (long)(backoff * 1000);
	M.max_waits = 3;
	int64_t ttl;
	if (phx_duration_parse(phx_setting(NULL, NULL, "mls.robots_ttl", "24h"), &ttl) != 0)
		return PHX_EX_CONFIG;
	M.robots_ttl = ttl;
	char err[512];
	const char *sel = phx_setting(o->selectors, sel_env, "mls.selectors", NULL);
	M.sel = phx_mls_selectors_load(sel, err, sizeof err);
	if (!M.sel) {
		phx_err("%s", err);
		return PHX_EX_CONFIG;
	}
	M.search = M.sel;
	if (M.sel->nsearch == 0) {	/* a file of detail lines only: the built-in search */
		M.builtin = phx_mls_selectors_load(NULL, err, sizeof err);
		M.search = M.builtin;
	}
	phx_buf ua = PHX_BUF_INIT;
	phx_buf_printf(&ua, "User-Agent: %s", phx_setting(NULL, ua_env, "mls.user_agent",
		"phx-fetch/" PHX_VERSION " (listing research; obeys robots.txt; 60 requests/h)"));
	M.headers = curl_slist_append(NULL, ua.data);
	M.headers = curl_slist_append(M.headers, "Accept: text/html,application/xhtml+xml");
	phx_buf_free(&ua);
	if (phx_http_set_rate(M.http, M.host, M.rate, M.burst) != 0)
		return PHX_EX_IOERR;
	M.seen = json_object();
	M.index = phx_apn_index_open("mls-details.idx");
	return 0;
}

static void mls_metrics(json_t *m)
{
	json_object_set_new(m, "mls_pages", json_integer((json_int_t)M.pages));
	json_object_set_new(m, "mls_details", json_integer((json_int_t)M.details));
	json_object_set_new(m, "mls_unchanged", json_integer((json_int_t)M.unchanged));
	json_object_set_new(m, "mls_duplicates", json_integer((json_int_t)M.duplicates));
	json_object_set_new(m, "robots_disallowed", json_integer((json_int_t)M.disallowed));
	json_t *b = json_object();
	for (int k = PHX_BLOCK_CHALLENGE; k <= PHX_BLOCK_FORBIDDEN; k++)
		json_object_set_new(b, phx_mls_block_name((phx_block_kind)k),
				    json_integer((json_int_t)M.blocks[k]));
	json_object_set_new(m, "blocks", b);
	if (M.disallowed)
		phx_info("robots.txt: %llu links not fetched", M.disallowed);
}

static void mls_close(void)
{
	for (size_t i = 0; i < M.nheld; i++)
		req_free(M.held[i]);
	free(M.held);
	phx_robots_free(M.robots);
	phx_mls_selectors_free(M.sel);
	phx_mls_selectors_free(M.builtin);
	curl_slist_free_all(M.headers);
	json_decref(M.seen);
	phx_apn_index_close(M.index);
	free(M.base);
	memset(&M, 0, sizeof M);
}

const phx_source phx_source_mls = {
	"phoenix_mls",
	"Phoenix MLS listing pages (phoenixmlssearch.com)",
	mls_engine, mls_open, mls_start, mls_check, mls_metrics, mls_close,
};
