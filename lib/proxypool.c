/* proxypool.c - the persisted proxy scoreboard (see proxypool.h). */
#include "proxypool.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "exitcode.h"
#include "jsonpool.h"
#include "log.h"
#include "redact.h"
#include "state.h"
#include "timeutil.h"
#include "xalloc.h"

#define POOL_FORMAT 1

/* --- parsing and printing one proxy --- */

static const char *const known_schemes[] = {
	"http", "https", "socks4", "socks4a", "socks5", "socks5h", NULL
};

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Percent-decode s[0..n) into a new string; NULL on a bad escape or NUL. */
static char *pct_decode(const char *s, size_t n)
{
	phx_buf b = PHX_BUF_INIT;
	phx_buf_add(&b, "", 0);
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		if (c == '%') {
			int h = i + 2 < n ? hexval((unsigned char)s[i + 1]) : -1;
			int l = i + 2 < n ? hexval((unsigned char)s[i + 2]) : -1;
			if (h < 0 || l < 0 || (h == 0 && l == 0)) {
				phx_buf_free(&b);
				return NULL;
			}
			c = h * 16 + l;
			i += 2;
		}
		phx_buf_addc(&b, (char)c);
	}
	return phx_buf_steal(&b);
}

static void pct_encode(phx_buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
			phx_buf_addc(out, (char)c);
		} else {
			phx_buf_addc(out, '%');
			phx_buf_addc(out, hex[c >> 4]);
			phx_buf_addc(out, hex[c & 15]);
		}
	}
}

static int parse_port(const char *s, size_t n, int *out)
{
	long v = 0;
	if (n == 0 || n > 5)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v < 1 || v > 65535)
		return -1;
	*out = (int)v;
	return 0;
}

static int valid_host(const char *s, size_t n)
{
	if (n == 0 || n > 253)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!isalnum(c) && c != '-' && c != '.' && c != '_')
			return 0;
	}
	return 1;
}

/* host:port (host may be a [v6] literal) into p. */
static int parse_hostport(const char *s, size_t n, phx_proxy *p, char *err, size_t errn)
{
	const char *colon;
	size_t hn;
	if (n > 0 && s[0] == '[') {
		const char *close = memchr(s, ']', n);
		if (!close || (size_t)(close - s) + 1 >= n || close[1] != ':') {
			snprintf(err, errn, "bad IPv6 address");
			return -1;
		}
		p->host = phx_xstrndup(s, (size_t)(close - s) + 1);
		colon = close + 1;
	} else {
		colon = memrchr(s, ':', n);
		if (!colon) {
			snprintf(err, errn, "no port");
			return -1;
		}
		hn = (size_t)(colon - s);
		if (!valid_host(s, hn)) {
			snprintf(err, errn, "bad host name");
			return -1;
		}
		p->host = phx_xstrndup(s, hn);
	}
	if (parse_port(colon + 1, n - (size_t)(colon + 1 - s), &p->port) != 0) {
		snprintf(err, errn, "bad port");
		return -1;
	}
	return 0;
}

static void proxy_init(phx_proxy *p)
{
	memset(p, 0, sizeof *p);
	p->latency_ms = -1;
	p->state = PHX_PROXY_UNCHECKED;
}

int phx_proxy_parse_url(const char *url, phx_proxy *out, char *err, size_t errn)
{
	const char *rest = url, *sep = strstr(url, "://"), *at, *end;
	proxy_init(out);
	if (sep) {
		size_t sn = (size_t)(sep - url);
		for (int i = 0; known_schemes[i]; i++)
			if (strlen(known_schemes[i]) == sn && strncasecmp(url, known_schemes[i], sn) == 0)
				out->scheme = phx_xstrdup(known_schemes[i]);
		if (!out->scheme) {
			snprintf(err, errn, "unknown proxy scheme");
			return -1;
		}
		rest = sep + 3;
	} else {
		out->scheme = phx_xstrdup("http");
	}
	end = rest + strcspn(rest, "/?#");
	if (*end && strcmp(end, "/") != 0) {
		snprintf(err, errn, "a proxy URL has no path");
		goto fail;
	}
	at = memrchr(rest, '@', (size_t)(end - rest));
	if (at) {
		const char *colon = memchr(rest, ':', (size_t)(at - rest));
		const char *uend = colon ? colon : at;
		out->user = pct_decode(rest, (size_t)(uend - rest));
		if (colon)
			out->password = pct_decode(colon + 1, (size_t)(at - colon - 1));
		if (!out->user || (colon && !out->password) || !*out->user) {
			snprintf(err, errn, "bad user or password in proxy URL");
			goto fail;
		}
		rest = at + 1;
	}
	if (parse_hostport(rest, (size_t)(end - rest), out, err, errn) != 0)
		goto fail;
	return 0;
fail:
	phx_proxy_free(out);
	return -1;
}

int phx_proxy_parse_colon(const char *line, phx_proxy *out, char *err, size_t errn)
{
	const char *f[4];
	size_t len[4], nf = 0;
	const char *s = line;
	proxy_init(out);
	while (nf < 4) {
		const char *c = strchr(s, ':');
		f[nf] = s;
		len[nf] = c ? (size_t)(c - s) : strlen(s);
		nf++;
		if (!c)
			break;
		s = c + 1;
		if (nf == 3) {	/* the password may itself hold ':' */
			f[nf] = s;
			len[nf] = strlen(s);
			nf++;
			break;
		}
	}
	if (nf != 2 && nf != 4) {
		snprintf(err, errn, "expected ip:port or ip:port:username:password");
		return -1;
	}
	out->scheme = phx_xstrdup("http");
	if (!valid_host(f[0], len[0])) {
		snprintf(err, errn, "bad host name");
		goto fail;
	}
	out->host = phx_xstrndup(f[0], len[0]);
	if (parse_port(f[1], len[1], &out->port) != 0) {
		snprintf(err, errn, "bad port");
		goto fail;
	}
	if (nf == 4) {
		if (len[2] == 0) {
			snprintf(err, errn, "empty username");
			goto fail;
		}
		out->user = phx_xstrndup(f[2], len[2]);
		out->password = phx_xstrndup(f[3], len[3]);
	}
	return 0;
fail:
	phx_proxy_free(out);
	return -1;
}

void phx_proxy_key(const phx_proxy *p, phx_buf *out)
{
	phx_buf_printf(out, "%s://", p->scheme);
	if (p->user) {
		pct_encode(out, p->user);
		phx_buf_addc(out, '@');
	}
	phx_buf_printf(out, "%s:%d", p->host, p->port);
}

void phx_proxy_url(const phx_proxy *p, int show_secret, phx_buf *out)
{
	phx_buf_printf(out, "%s://", p->scheme);
	if (p->user) {
		pct_encode(out, p->user);
		if (p->password) {
			phx_buf_addc(out, ':');
			if (show_secret)
				pct_encode(out, p->password);
			else
				phx_buf_adds(out, "***");
		}
		phx_buf_addc(out, '@');
	}
	phx_buf_printf(out, "%s:%d", p->host, p->port);
}

void phx_proxy_free(phx_proxy *p)
{
	free(p->scheme);
	free(p->user);
	if (p->password) {
		explicit_bzero(p->password, strlen(p->password));
		free(p->password);
	}
	free(p->host);
	free(p->source);
	free(p->country);
	free(p->city);
	json_decref(p->history);
	proxy_init(p);
}

static const char *const state_names[] = { "unchecked", "good", "dead" };

const char *phx_proxy_state_name(phx_proxy_state s)
{
	return (unsigned)s < 3 ? state_names[s] : "unknown";
}

int phx_proxy_state_parse(const char *s, phx_proxy_state *out)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(s, state_names[i]) == 0) {
			*out = (phx_proxy_state)i;
			return 0;
		}
	return -1;
}

int phx_proxy_usable(const phx_proxy *p)
{
	return !p->retired && p->state != PHX_PROXY_DEAD;
}

long long phx_backoff_delay(const phx_backoff *b, int failures, double u)
{
	long long window = b->base_s > 0 ? b->base_s : 0;
	for (int i = 1; i < failures && window < b->cap_s; i++)
		window *= 2;
	if (window > b->cap_s)
		window = b->cap_s;
	if (u < 0)
		u = 0;
	if (u > 1)
		u = 1;
	return (long long)((double)window * u + 0.5);
}

/* --- settings --- */

char *phx_pool_default_path(void)
{
	static const char *const envs[] = { "PHX_PROXY_POOL", NULL };
	const char *v = phx_setting(NULL, envs, "proxy.pool", NULL);
	char path[PATH_MAX];
	if (v && *v)
		return phx_xstrdup(v);
	if (phx_state_path(path, sizeof path, "proxies.json") != 0)
		return NULL;
	return phx_xstrdup(path);
}

static int duration_setting(const char *env, const char *key, long long def, long long *out)
{
	const char *envs[] = { env, NULL };
	const char *v = phx_setting(NULL, envs, key, NULL);
	int64_t secs;
	if (!v) {
		*out = def;
		return 0;
	}
	if (phx_duration_parse(v, &secs) != 0 || secs < 0) {
		phx_err("%s: not a duration: %s", key, v);
		return -1;
	}
	*out = secs;
	return 0;
}

int phx_pool_backoff_settings(phx_backoff *out)
{
	if (duration_setting("PHX_PROXY_BACKOFF_BASE", "proxy.backoff_base",
			     PHX_BACKOFF_BASE_DEFAULT, &out->base_s) != 0 ||
	    duration_setting("PHX_PROXY_BACKOFF_CAP", "proxy.backoff_cap",
			     PHX_BACKOFF_CAP_DEFAULT, &out->cap_s) != 0)
		return -1;
	if (out->cap_s < out->base_s) {
		phx_err("proxy.backoff_cap (%lld s) is below proxy.backoff_base (%lld s)",
			out->cap_s, out->base_s);
		return -1;
	}
	return 0;
}

/* --- history and state changes --- */

static json_t *time_json(time_t t)
{
	char s[PHX_TIME_LEN];
	if (t <= 0)
		return json_null();
	phx_time_format(t, s);
	return json_string(s);
}

static void set_redacted(json_t *o, const char *k, const char *v)
{
	char *r;
	if (!v || !*v)
		return;
	r = phx_redact_dup(v);
	json_object_set_new(o, k, json_string(r));
	free(r);
}

static void history_add(phx_pool *pool, phx_proxy *p, phx_proxy_state from,
			phx_proxy_state to, const phx_proxy_why *why, time_t now)
{
	json_t *e = json_object();
	json_object_set_new(e, "at", time_json(now));
	json_object_set_new(e, "from", json_string(phx_proxy_state_name(from)));
	json_object_set_new(e, "to", json_string(phx_proxy_state_name(to)));
	if (why && why->status > 0)
		json_object_set_new(e, "status", json_integer(why->status));
	if (why) {
		set_redacted(e, "error", why->error);
		set_redacted(e, "target", why->target);
		set_redacted(e, "reason", why->reason);
	}
	if (pool->by)
		json_object_set_new(e, "by", json_string(pool->by));
	if (!p->history)
		p->history = json_array();
	json_array_append_new(p->history, e);
	while (json_array_size(p->history) > PHX_PROXY_HISTORY_MAX)
		json_array_remove(p->history, 0);
}

void phx_pool_set_state(phx_pool *pool, phx_proxy *p, phx_proxy_state to,
			const phx_proxy_why *why, time_t now)
{
	if (p->state == to)
		return;
	history_add(pool, p, p->state, to, why, now);
	p->state = to;
	if (to != PHX_PROXY_DEAD)
		p->dead_until = 0;
}

void phx_pool_success(phx_pool *pool, phx_proxy *p, const phx_proxy_why *why,
		      long long latency_ms, time_t now)
{
	phx_pool_set_state(pool, p, PHX_PROXY_GOOD, why, now);
	p->failures = 0;
	p->ok_total++;
	p->last_used = now;
	if (latency_ms >= 0)
		p->latency_ms = latency_ms;
}

void phx_pool_failure(phx_pool *pool, phx_proxy *p, const phx_proxy_why *why, time_t now)
{
	double u = (double)arc4random_uniform(1000001) / 1000000.0;
	p->failures++;
	p->fail_total++;
	p->last_used = now;
	/* Recorded even when it was dead already: the new reason is worth keeping. */
	history_add(pool, p, p->state, PHX_PROXY_DEAD, why, now);
	p->state = PHX_PROXY_DEAD;
	p->dead_until = now + phx_backoff_delay(&pool->backoff, p->failures, u);
	/* A zero draw would revive it at once; one second keeps "dead" visible. */
	if (p->dead_until <= now)
		p->dead_until = now + 1;
}

size_t phx_pool_revive(phx_pool *pool, time_t now)
{
	static const phx_proxy_why why = { 0, NULL, NULL, "backoff over" };
	size_t n = 0;
	for (size_t i = 0; i < pool->n; i++) {
		phx_proxy *p = &pool->v[i];
		if (p->state == PHX_PROXY_DEAD && p->dead_until > 0 && p->dead_until <= now) {
			phx_pool_set_state(pool, p, PHX_PROXY_UNCHECKED, &why, now);
			n++;
		}
	}
	return n;
}

/* --- loading and saving --- */

static char *json_strdup_or_null(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? phx_xstrdup(s) : NULL;
}

static time_t json_time(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	time_t t;
	if (!s || phx_time_parse(s, &t) != 0)
		return 0;
	return t;
}

static long long json_int(const json_t *o, const char *k, long long def)
{
	const json_t *v = json_object_get(o, k);
	return json_is_integer(v) ? (long long)json_integer_value(v) : def;
}

static int proxy_from_json(const json_t *o, phx_proxy *p, char *err, size_t errn)
{
	const char *st = json_string_value(json_object_get(o, "state"));
	long long port = json_int(o, "port", 0);
	proxy_init(p);
	p->scheme = json_strdup_or_null(o, "scheme");
	p->host = json_strdup_or_null(o, "host");
	if (!p->scheme || !p->host || port < 1 || port > 65535 || !st ||
	    phx_proxy_state_parse(st, &p->state) != 0) {
		snprintf(err, errn, "entry without scheme, host, port or state");
		phx_proxy_free(p);
		return -1;
	}
	p->port = (int)port;
	p->user = json_strdup_or_null(o, "user");
	p->password = json_strdup_or_null(o, "password");
	p->source = json_strdup_or_null(o, "source");
	p->country = json_strdup_or_null(o, "country");
	p->city = json_strdup_or_null(o, "city");
	p->retired = json_is_true(json_object_get(o, "retired"));
	p->failures = (int)json_int(o, "failures", 0);
	p->ok_total = json_int(o, "ok_total", 0);
	p->fail_total = json_int(o, "fail_total", 0);
	p->bytes_up = json_int(o, "bytes_up", 0);
	p->bytes_down = json_int(o, "bytes_down", 0);
	p->latency_ms = json_int(o, "latency_ms", -1);
	p->added = json_time(o, "added");
	p->last_used = json_time(o, "last_used");
	p->last_checked = json_time(o, "last_checked");
	p->dead_until = json_time(o, "dead_until");
	p->history = json_incref(json_object_get(o, "history"));
	if (!json_is_array(p->history)) {
		json_decref(p->history);
		p->history = json_array();
	}
	return 0;
}

static void set_str(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, v ? json_string(v) : json_null());
}

static json_t *proxy_to_json(const phx_proxy *p)
{
	json_t *o = json_object();
	phx_buf key = PHX_BUF_INIT;
	phx_proxy_key(p, &key);
	json_object_set_new(o, "key", json_string(key.data));
	phx_buf_free(&key);
	set_str(o, "scheme", p->scheme);
	set_str(o, "host", p->host);
	json_object_set_new(o, "port", json_integer(p->port));
	set_str(o, "user", p->user);
	set_str(o, "password", p->password);
	set_str(o, "source", p->source);
	set_str(o, "country", p->country);
	set_str(o, "city", p->city);
	json_object_set_new(o, "state", json_string(phx_proxy_state_name(p->state)));
	json_object_set_new(o, "retired", json_boolean(p->retired));
	json_object_set_new(o, "failures", json_integer(p->failures));
	json_object_set_new(o, "ok_total", json_integer(p->ok_total));
	json_object_set_new(o, "fail_total", json_integer(p->fail_total));
	json_object_set_new(o, "bytes_up", json_integer(p->bytes_up));
	json_object_set_new(o, "bytes_down", json_integer(p->bytes_down));
	json_object_set_new(o, "latency_ms", json_integer(p->latency_ms));
	json_object_set_new(o, "added", time_json(p->added));
	json_object_set_new(o, "last_used", time_json(p->last_used));
	json_object_set_new(o, "last_checked", time_json(p->last_checked));
	json_object_set_new(o, "dead_until", time_json(p->dead_until));
	if (p->history)
		json_object_set(o, "history", p->history);
	else
		json_object_set_new(o, "history", json_array());
	return o;
}

static int pool_parse(phx_pool *pool, const char *text, size_t len)
{
	json_error_t je;
	json_t *root = json_loadb(text, len, 0, &je), *list;
	char err[160];
	size_t i;
	if (!root || !json_is_object(root)) {
		phx_err("%s: not a proxy pool: line %d: %s (fix or move it aside)",
			pool->path, je.line, root ? "not an object" : je.text);
		json_decref(root);
		return PHX_EX_IOERR;
	}
	list = json_object_get(root, "proxies");
	if (!json_is_array(list)) {
		phx_err("%s: not a proxy pool: no \"proxies\" array", pool->path);
		json_decref(root);
		return PHX_EX_IOERR;
	}
	free(pool->cursor);
	pool->cursor = json_strdup_or_null(root, "cursor");
	for (i = 0; i < json_array_size(list); i++) {
		phx_proxy p;
		if (proxy_from_json(json_array_get(list, i), &p, err, sizeof err) != 0) {
			phx_err("%s: proxy %zu: %s (fix or move it aside)", pool->path, i + 1, err);
			json_decref(root);
			return PHX_EX_IOERR;
		}
		phx_pool_add(pool, &p, p.added);
	}
	json_decref(root);
	return 0;
}

int phx_pool_open(phx_pool *pool, const char *path, int lock)
{
	char lockpath[PATH_MAX];
	char *text;
	size_t len;
	int rc;
	memset(pool, 0, sizeof *pool);
	pool->lock_fd = -1;
	pool->path = phx_xstrdup(path);
	pool->by = phx_log_tool();
	if (phx_pool_backoff_settings(&pool->backoff) != 0)
		return PHX_EX_CONFIG;
	if (lock) {
		if (snprintf(lockpath, sizeof lockpath, "%s.lock", path) >= (int)sizeof lockpath) {
			phx_err("%s: path too long", path);
			return PHX_EX_CONFIG;
		}
		pool->lock_fd = phx_lock(lockpath);
		if (pool->lock_fd < 0)
			return PHX_EX_IOERR;
	}
	text = phx_read_file(path, &len);
	if (!text) {
		if (errno == ENOENT)
			return 0;
		phx_err("%s: %s", path, strerror(errno));
		return PHX_EX_IOERR;
	}
	rc = pool_parse(pool, text, len);
	free(text);
	if (rc == 0)
		pool->revived = phx_pool_revive(pool, time(NULL));
	return rc;
}

int phx_pool_save(phx_pool *pool)
{
	json_t *root = json_object(), *list = json_array();
	char *text;
	int rc;
	json_object_set_new(root, "phx", json_string("proxy-pool"));
	json_object_set_new(root, "format", json_integer(POOL_FORMAT));
	set_str(root, "cursor", pool->cursor);
	for (size_t i = 0; i < pool->n; i++)
		json_array_append_new(list, proxy_to_json(&pool->v[i]));
	json_object_set_new(root, "proxies", list);
	text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!text)
		return PHX_EX_SOFTWARE;
	rc = phx_write_atomic(pool->path, text, strlen(text), 0600);
	explicit_bzero(text, strlen(text));
	phx_json_free(text);
	return rc == 0 ? 0 : PHX_EX_IOERR;
}

void phx_pool_unlock(phx_pool *pool)
{
	if (pool->lock_fd >= 0)
		phx_unlock(pool->lock_fd);
	pool->lock_fd = -1;
}

void phx_pool_close(phx_pool *pool)
{
	if (pool->lock_fd >= 0)
		phx_unlock(pool->lock_fd);
	for (size_t i = 0; i < pool->n; i++)
		phx_proxy_free(&pool->v[i]);
	free(pool->v);
	free(pool->cursor);
	free(pool->path);
	memset(pool, 0, sizeof *pool);
	pool->lock_fd = -1;
}

/* --- finding, adding, merging --- */

static int same_identity(const phx_proxy *a, const phx_proxy *b)
{
	return strcmp(a->scheme, b->scheme) == 0 && strcasecmp(a->host, b->host) == 0 &&
	       a->port == b->port &&
	       ((!a->user && !b->user) || (a->user && b->user && strcmp(a->user, b->user) == 0));
}

static phx_proxy *find_same(phx_pool *pool, const phx_proxy *q)
{
	for (size_t i = 0; i < pool->n; i++)
		if (same_identity(&pool->v[i], q))
			return &pool->v[i];
	return NULL;
}

phx_proxy *phx_pool_find(phx_pool *pool, const char *key_or_url)
{
	phx_proxy q, *p;
	char err[96];
	phx_buf tmp = PHX_BUF_INIT;
	const char *s = key_or_url;
	/* A redacted URL ("user:***@") is accepted: only the identity counts. */
	const char *mask = strstr(s, ":***@");
	if (mask) {
		phx_buf_add(&tmp, s, (size_t)(mask - s));
		phx_buf_adds(&tmp, mask + 4);
		s = tmp.data;
	}
	if (phx_proxy_parse_url(s, &q, err, sizeof err) != 0 &&
	    phx_proxy_parse_colon(s, &q, err, sizeof err) != 0) {
		phx_buf_free(&tmp);
		return NULL;
	}
	phx_buf_free(&tmp);
	p = find_same(pool, &q);
	phx_proxy_free(&q);
	return p;
}

phx_proxy *phx_pool_add(phx_pool *pool, phx_proxy *p, time_t now)
{
	if (pool->n == pool->cap) {
		pool->cap = pool->cap ? pool->cap * 2 : 16;
		pool->v = phx_xrealloc(pool->v, pool->cap * sizeof *pool->v);
	}
	pool->v[pool->n] = *p;
	proxy_init(p);
	p = &pool->v[pool->n++];
	if (!p->added)
		p->added = now;
	if (!p->history)
		p->history = json_array();
	if (p->password)
		phx_redact_add(p->password);
	return p;
}

static void replace_str(char **dst, char *src)
{
	if (!src)
		return;
	if (*dst && strcmp(*dst, src) == 0) {
		free(src);
		return;
	}
	free(*dst);
	*dst = src;
}

/* Fresh credentials and metadata from the source; history stays. */
static int refresh_known(phx_pool *pool, phx_proxy *old, phx_proxy *fresh, time_t now)
{
	int changed = 0;
	if (fresh->password && (!old->password || strcmp(old->password, fresh->password) != 0)) {
		if (old->password)
			explicit_bzero(old->password, strlen(old->password));
		free(old->password);
		old->password = fresh->password;
		fresh->password = NULL;
		phx_redact_add(old->password);
		changed = 1;
	}
	replace_str(&old->country, fresh->country);
	replace_str(&old->city, fresh->city);
	replace_str(&old->source, fresh->source);
	fresh->country = fresh->city = fresh->source = NULL;
	if (old->retired) {
		static const phx_proxy_why why = { 0, NULL, NULL, "back in its source" };
		old->retired = 0;
		history_add(pool, old, old->state, PHX_PROXY_UNCHECKED, &why, now);
		old->state = PHX_PROXY_UNCHECKED;
		old->failures = 0;
		old->dead_until = 0;
		changed = 1;
	}
	phx_proxy_free(fresh);
	return changed;
}

void phx_pool_merge(phx_pool *pool, phx_proxy *list, size_t n, const char *source,
		    time_t now, size_t *added, size_t *updated, size_t *retired)
{
	static const phx_proxy_why gone = { 0, NULL, NULL, "no longer in its source" };
	char *seen = phx_xcalloc(pool->n + n + 1, 1);
	size_t na = 0, nu = 0, nr = 0;
	for (size_t i = 0; i < n; i++) {
		phx_proxy *old = find_same(pool, &list[i]);
		if (!list[i].source)
			list[i].source = phx_xstrdup(source);
		if (old) {
			seen[old - pool->v] = 1;
			nu += (size_t)refresh_known(pool, old, &list[i], now);
		} else {
			phx_proxy *p = phx_pool_add(pool, &list[i], now);
			static const phx_proxy_why imported = { 0, NULL, NULL, "imported" };
			history_add(pool, p, PHX_PROXY_UNCHECKED, PHX_PROXY_UNCHECKED, &imported, now);
			seen[p - pool->v] = 1;
			na++;
		}
	}
	for (size_t i = 0; i < pool->n; i++) {
		phx_proxy *p = &pool->v[i];
		if (seen[i] || p->retired || !p->source || strcmp(p->source, source) != 0)
			continue;
		history_add(pool, p, p->state, p->state, &gone, now);
		p->retired = 1;
		nr++;
	}
	free(seen);
	if (added)
		*added = na;
	if (updated)
		*updated = nu;
	if (retired)
		*retired = nr;
}

phx_proxy *phx_pool_next(phx_pool *pool, int (*skip)(const phx_proxy *, void *), void *arg)
{
	size_t start = 0, i;
	phx_buf key = PHX_BUF_INIT;
	if (pool->n == 0)
		return NULL;
	if (pool->cursor) {
		for (i = 0; i < pool->n; i++) {
			phx_buf_clear(&key);
			phx_proxy_key(&pool->v[i], &key);
			if (strcmp(key.data, pool->cursor) == 0) {
				start = i + 1;
				break;
			}
		}
	}
	for (i = 0; i < pool->n; i++) {
		phx_proxy *p = &pool->v[(start + i) % pool->n];
		if (!phx_proxy_usable(p) || (skip && skip(p, arg)))
			continue;
		phx_buf_clear(&key);
		phx_proxy_key(p, &key);
		free(pool->cursor);
		pool->cursor = phx_buf_steal(&key);
		return p;
	}
	phx_buf_free(&key);
	return NULL;
}

json_t *phx_proxy_summary(const phx_proxy *p, int show_secret)
{
	json_t *o = json_object();
	phx_buf url = PHX_BUF_INIT;
	phx_proxy_url(p, show_secret, &url);
	json_object_set_new(o, "proxy", json_string(url.data));
	phx_buf_free(&url);
	json_object_set_new(o, "state", json_string(phx_proxy_state_name(p->state)));
	json_object_set_new(o, "retired", json_boolean(p->retired));
	set_str(o, "source", p->source);
	if (p->country)
		set_str(o, "country", p->country);
	if (p->city)
		set_str(o, "city", p->city);
	json_object_set_new(o, "failures", json_integer(p->failures));
	json_object_set_new(o, "ok_total", json_integer(p->ok_total));
	json_object_set_new(o, "fail_total", json_integer(p->fail_total));
	json_object_set_new(o, "latency_ms",
			    p->latency_ms >= 0 ? json_integer(p->latency_ms) : json_null());
	json_object_set_new(o, "bytes_up", json_integer(p->bytes_up));
	json_object_set_new(o, "bytes_down", json_integer(p->bytes_down));
	json_object_set_new(o, "last_used", time_json(p->last_used));
	json_object_set_new(o, "last_checked", time_json(p->last_checked));
	json_object_set_new(o, "dead_until", time_json(p->dead_until));
	return o;
}
