/* fetch_proxy.c - the proxy pool behind the HTTP engine (see fetch_proxy.h). */
#include "fetch_proxy.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>

#include "config.h"
#include "exitcode.h"
#include "log.h"
#include "proxypool.h"
#include "run.h"
#include "xalloc.h"

#define SCAN_MAX_DEFAULT ((size_t)256 << 10)

/* Words of pages that block robots; configurable, these are a start. */
static const char *const default_markers[] = {
	"access denied", "request blocked", "unusual traffic", "are you a robot",
	"captcha-delivery", "cf-chl-", NULL
};

/* --- ban detection --- */

static void add_marker(phx_ban_rules *r, const char *s, size_t n)
{
	char *m;
	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return;
	m = phx_xstrndup(s, n);
	for (char *c = m; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	r->markers = phx_xrealloc(r->markers, (r->n + 1) * sizeof *r->markers);
	r->markers[r->n++] = m;
}

void phx_ban_rules_load(phx_ban_rules *r)
{
	static const char *const envs[] = { "PHX_PROXY_BLOCK_MARKERS", NULL };
	const char *v = phx_setting(NULL, envs, "proxy.block_markers", NULL);
	memset(r, 0, sizeof *r);
	r->scan_max = SCAN_MAX_DEFAULT;
	if (!v) {
		for (int i = 0; default_markers[i]; i++)
			add_marker(r, default_markers[i], strlen(default_markers[i]));
		return;
	}
	while (*v) {
		size_t n = strcspn(v, ",");
		add_marker(r, v, n);
		v += n;
		if (*v == ',')
			v++;
	}
}

void phx_ban_rules_free(phx_ban_rules *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->markers[i]);
	free(r->markers);
	memset(r, 0, sizeof *r);
}

/* Case-insensitive search of a lower-case needle in a body without NUL. */
static int contains_lower(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	if (k == 0 || k > n)
		return 0;
	for (size_t i = 0; i + k <= n; i++) {
		size_t j = 0;
		while (j < k && tolower((unsigned char)hay[i + j]) == needle[j])
			j++;
		if (j == k)
			return 1;
	}
	return 0;
}

/* Transport errors that are ours, not the proxy's. */
static int our_own_error(int curl_code)
{
	return curl_code == CURLE_WRITE_ERROR || curl_code == CURLE_ABORTED_BY_CALLBACK ||
	       curl_code == CURLE_FILESIZE_EXCEEDED || curl_code == CURLE_OUT_OF_MEMORY;
}

phx_proxy_verdict phx_proxy_judge(const phx_ban_rules *r, long status, int curl_code,
				  const char *body, size_t len, char *why, size_t whyn)
{
	size_t scan = len < r->scan_max ? len : r->scan_max;
	if (status <= 0 || curl_code != CURLE_OK) {
		snprintf(why, whyn, "%s", curl_easy_strerror((CURLcode)curl_code));
		return our_own_error(curl_code) ? PHX_VERDICT_NEUTRAL : PHX_VERDICT_BAN;
	}
	if (status == 403 || status == 407 || status == 429) {
		snprintf(why, whyn, "HTTP %ld%s", status,
			 status == 407 ? " (proxy authentication required)" : "");
		return PHX_VERDICT_BAN;
	}
	if (status == 200 && len == 0) {
		snprintf(why, whyn, "empty 200");
		return PHX_VERDICT_BAN;
	}
	if (status >= 500) {
		snprintf(why, whyn, "HTTP %ld", status);
		return PHX_VERDICT_NEUTRAL;
	}
	for (size_t i = 0; body && i < r->n; i++)
		if (contains_lower(body, scan, r->markers[i])) {
			snprintf(why, whyn, "block page marker \"%s\"", r->markers[i]);
			return PHX_VERDICT_BAN;
		}
	snprintf(why, whyn, "HTTP %ld", status);
	return PHX_VERDICT_OK;
}

/* --- the hook --- */

typedef struct slot {
	char *key;
	char *url;		/* with the password: handed to the engine */
	int inflight;
} slot;

struct phx_fetch_proxy {
	phx_fetch_proxy_opts o;
	char *path;
	phx_pool pool;		/* snapshot, refreshed after every report */
	char *cursor;		/* ours, carried across reloads */
	slot *slots;
	size_t nslots;
	char **old_urls;	/* URLs handed out before a password changed */
	size_t nold;
	phx_ban_rules rules;
	int failed, warned_direct;
};

static slot *slot_for(phx_fetch_proxy *fp, const phx_proxy *p)
{
	phx_buf key = PHX_BUF_INIT, url = PHX_BUF_INIT;
	slot *s = NULL;
	phx_proxy_key(p, &key);
	for (size_t i = 0; i < fp->nslots; i++)
		if (strcmp(fp->slots[i].key, key.data) == 0)
			s = &fp->slots[i];
	if (!s) {
		fp->slots = phx_xrealloc(fp->slots, (fp->nslots + 1) * sizeof *fp->slots);
		s = &fp->slots[fp->nslots++];
		s->key = phx_buf_steal(&key);
		s->url = NULL;
		s->inflight = 0;
	}
	phx_buf_free(&key);
	phx_proxy_url(p, 1, &url);
	if (s->url && strcmp(s->url, url.data) != 0) {
		/* The engine may still hold the old string: keep it until close. */
		fp->old_urls = phx_xrealloc(fp->old_urls, (fp->nold + 1) * sizeof *fp->old_urls);
		fp->old_urls[fp->nold++] = s->url;
		s->url = NULL;
	}
	if (!s->url)
		s->url = phx_buf_steal(&url);
	phx_buf_free(&url);
	return s;
}

static slot *slot_by_url(phx_fetch_proxy *fp, const char *url)
{
	for (size_t i = 0; i < fp->nslots; i++)
		if (fp->slots[i].url == url || strcmp(fp->slots[i].url, url) == 0)
			return &fp->slots[i];
	return NULL;
}

int phx_fetch_proxy_open(phx_fetch_proxy **out, const phx_fetch_proxy_opts *o)
{
	phx_fetch_proxy *fp = phx_xcalloc(1, sizeof *fp);
	int rc;
	fp->o = *o;
	if (fp->o.per_proxy <= 0)
		fp->o.per_proxy = 2;
	if (!fp->o.usage_service)
		fp->o.usage_service = "webshare";
	fp->path = o->pool_path ? phx_xstrdup(o->pool_path) : phx_pool_default_path();
	fp->pool.lock_fd = -1;
	if (!fp->path) {
		free(fp);
		return PHX_EX_IOERR;
	}
	phx_ban_rules_load(&fp->rules);
	rc = phx_pool_open(&fp->pool, fp->path, 1);
	if (rc == 0) {
		/* A revival found on open is worth writing down. */
		rc = phx_pool_save(&fp->pool);
		phx_pool_unlock(&fp->pool);
	}
	if (rc != 0) {
		phx_fetch_proxy_close(fp);
		return rc;
	}
	fp->cursor = fp->pool.cursor ? phx_xstrdup(fp->pool.cursor) : NULL;
	*out = fp;
	return 0;
}

void phx_fetch_proxy_attach(phx_fetch_proxy *fp, phx_http_opts *ho)
{
	ho->pick = phx_fetch_proxy_pick;
	ho->report = phx_fetch_proxy_report;
	ho->proxy_ctx = fp;
}

size_t phx_fetch_proxy_usable(phx_fetch_proxy *fp)
{
	size_t n = 0;
	for (size_t i = 0; i < fp->pool.n; i++)
		n += phx_proxy_usable(&fp->pool.v[i]) ? 1 : 0;
	return n;
}

int phx_fetch_proxy_failed(const phx_fetch_proxy *fp)
{
	return fp->failed;
}

void phx_fetch_proxy_close(phx_fetch_proxy *fp)
{
	if (!fp)
		return;
	phx_pool_close(&fp->pool);
	for (size_t i = 0; i < fp->nslots; i++) {
		free(fp->slots[i].key);
		free(fp->slots[i].url);
	}
	for (size_t i = 0; i < fp->nold; i++)
		free(fp->old_urls[i]);
	free(fp->slots);
	free(fp->old_urls);
	free(fp->cursor);
	free(fp->path);
	phx_ban_rules_free(&fp->rules);
	free(fp);
}

typedef struct pick_filter {
	phx_fetch_proxy *fp;
	const char *const *tried;
	int ntried;
	int limit;		/* 0: ignore the per-proxy limit */
} pick_filter;

static int skip_proxy(const phx_proxy *p, void *arg)
{
	pick_filter *f = arg;
	slot *s = slot_for(f->fp, p);
	for (int i = 0; i < f->ntried; i++)
		if (strcmp(f->tried[i], s->url) == 0)
			return 1;
	return f->limit > 0 && s->inflight >= f->limit;
}

static void use_cursor(phx_fetch_proxy *fp)
{
	free(fp->pool.cursor);
	fp->pool.cursor = fp->cursor ? phx_xstrdup(fp->cursor) : NULL;
}

int phx_fetch_proxy_pick(void *ctx, const char *url, const char *host,
			 const char *const *tried, int ntried, const char **proxy_url)
{
	phx_fetch_proxy *fp = ctx;
	pick_filter f = { fp, tried, ntried, fp->o.per_proxy };
	phx_proxy *p;
	slot *s;
	(void)url;
	(void)host;
	phx_pool_revive(&fp->pool, time(NULL));
	use_cursor(fp);
	p = phx_pool_next(&fp->pool, skip_proxy, &f);
	if (!p) {
		/* Every usable proxy is busy: the limit bends rather than failing
		 * a request that a free proxy would carry in a moment. */
		f.limit = 0;
		p = phx_pool_next(&fp->pool, skip_proxy, &f);
		if (p)
			phx_debug("every proxy is at its limit of %d transfers", fp->o.per_proxy);
	}
	if (!p) {
		if (fp->o.allow_direct) {
			if (!fp->warned_direct)
				phx_warn("no usable proxy left: going direct (--allow-direct)");
			fp->warned_direct = 1;
			return PHX_PICK_DIRECT;
		}
		return PHX_PICK_NONE;
	}
	free(fp->cursor);
	fp->cursor = phx_xstrdup(fp->pool.cursor);
	s = slot_for(fp, p);
	s->inflight++;
	*proxy_url = s->url;
	return PHX_PICK_PROXY;
}

static void note_usage(phx_fetch_proxy *fp, const char *key, long long bytes)
{
	json_t *extra = json_pack("{s:s}", "proxy", key);
	if (bytes > 0 && phx_usage(fp->o.usage_service, "proxy_bytes", bytes, extra) != 0)
		fp->failed = 1;
	json_decref(extra);
}

/* Lock, reload, apply, save: other processes' results are kept. */
static void write_back(phx_fetch_proxy *fp, const char *key, phx_proxy_verdict v,
		       const phx_proxy_why *why, const phx_http_attempt *a)
{
	phx_pool np;
	phx_proxy *p;
	time_t now = time(NULL);
	if (phx_pool_open(&np, fp->path, 1) != 0) {
		fp->failed = 1;
		phx_pool_close(&np);
		return;
	}
	p = phx_pool_find(&np, key);
	if (p) {
		if (v == PHX_VERDICT_OK)
			phx_pool_success(&np, p, why, a->elapsed_ms, now);
		else if (v == PHX_VERDICT_BAN)
			phx_pool_failure(&np, p, why, now);
		else
			p->last_used = now;
		p->bytes_up += a->bytes_up;
		p->bytes_down += a->bytes_down;
	}
	free(np.cursor);
	np.cursor = fp->cursor ? phx_xstrdup(fp->cursor) : NULL;
	if (phx_pool_save(&np) != 0)
		fp->failed = 1;
	phx_pool_unlock(&np);
	phx_pool_close(&fp->pool);
	fp->pool = np;
}

int phx_fetch_proxy_report(void *ctx, const phx_http_attempt *a)
{
	phx_fetch_proxy *fp = ctx;
	char why_text[160];
	slot *s;
	phx_proxy_verdict v;
	char *key;
	if (!a->proxy)
		return PHX_REPORT_OK;
	s = slot_by_url(fp, a->proxy);
	if (!s) {
		phx_err("internal: report for a proxy that was never picked");
		return PHX_REPORT_OK;
	}
	if (s->inflight > 0)
		s->inflight--;
	v = phx_proxy_judge(&fp->rules, a->status, a->curl_code, a->body, a->body_len,
			    why_text, sizeof why_text);
	phx_proxy_why why = { a->status, v == PHX_VERDICT_BAN ? why_text : NULL, a->url, NULL };
	key = phx_xstrdup(s->key);	/* slots may move when the pool reloads */
	write_back(fp, key, v, &why, a);
	note_usage(fp, key, a->bytes_up + a->bytes_down);
	if (v == PHX_VERDICT_BAN)
		phx_warn("proxy %s: %s on %s: marked dead", key, why_text, a->url);
	free(key);
	return v == PHX_VERDICT_BAN ? PHX_REPORT_BANNED : PHX_REPORT_OK;
}
