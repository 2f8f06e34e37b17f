/* proxysource.c - proxy lists from files and from the WebShare API v2. */
#include "proxysource.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "config.h"
#include "exitcode.h"
#include "log.h"
#include "ndjson.h"
#include "reject.h"
#include "xalloc.h"

#define WEBSHARE_DEFAULT_URL "https://proxy.webshare.io"
#define WEBSHARE_MAX_BODY ((size_t)32 << 20)

void phx_proxy_list_push(phx_proxy_list *l, phx_proxy *p)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->v = phx_xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = *p;
	memset(p, 0, sizeof *p);
}

void phx_proxy_list_free(phx_proxy_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		phx_proxy_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* --- files --- */

static int blank_or_comment(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i == n || s[i] == '#';
}

/* The line's text is never put into the reject: it may hold a password. */
static void reject_line(const phx_line *ln, const char *code, const char *reason,
			phx_proxy_list *out)
{
	json_t *rec = json_string("(line not shown: it may hold a password)");
	phx_reject(&ln->pos, code, reason, NULL, 0, 0, rec, 0, NULL);
	json_decref(rec);
	out->bad++;
}

static void parse_line(const phx_line *ln, phx_proxy_list *out)
{
	char err[128], *s;
	size_t a = 0, b = ln->len;
	phx_proxy p;
	int rc;
	while (a < b && (ln->data[a] == ' ' || ln->data[a] == '\t'))
		a++;
	while (b > a && (ln->data[b - 1] == ' ' || ln->data[b - 1] == '\t'))
		b--;
	s = phx_xstrndup(ln->data + a, b - a);
	if (strstr(s, "://"))
		rc = phx_proxy_parse_url(s, &p, err, sizeof err);
	else
		rc = phx_proxy_parse_colon(s, &p, err, sizeof err);
	explicit_bzero(s, strlen(s));
	free(s);
	if (rc != 0) {
		reject_line(ln, "proxy.bad_line", err, out);
		return;
	}
	phx_proxy_list_push(out, &p);
}

int phx_source_read_file(const char *path, phx_proxy_list *out)
{
	char *files[1] = { (char *)path };
	int stdin_only = strcmp(path, "-") == 0;
	phx_reader *r = phx_reader_open(files, stdin_only ? 0 : 1, 0);
	phx_line ln;
	int rc;
	while (phx_reader_next(r, &ln) == 1) {
		if (ln.status != PHX_LINE_OK) {
			reject_line(&ln, phx_line_status_code(ln.status), "unreadable line", out);
			continue;
		}
		if (blank_or_comment(ln.data, ln.len))
			continue;
		parse_line(&ln, out);
	}
	rc = phx_reader_io_errors(r) ? PHX_EX_IOERR : 0;
	phx_reader_close(r);
	return rc;
}

/* --- WebShare API v2 --- */

void phx_webshare_opts_default(phx_webshare_opts *o)
{
	static const char *const envs[] = { "PHX_WEBSHARE_URL", NULL };
	memset(o, 0, sizeof *o);
	o->base_url = phx_setting(NULL, envs, "proxy.webshare_url", WEBSHARE_DEFAULT_URL);
	o->mode = "direct";
	o->connect_timeout_ms = 10000;
	o->timeout_ms = 60000;
	o->retries = 3;
	o->max_pages = 1000;
}

static size_t collect(char *p, size_t size, size_t n, void *arg)
{
	phx_buf *b = arg;
	if (b->len + size * n > WEBSHARE_MAX_BODY)
		return 0;
	phx_buf_add(b, p, size * n);
	return size * n;
}

/* One GET. Returns the HTTP status, or 0 with err filled on a transport error. */
static long get_page(const phx_webshare_opts *o, const char *url, const struct curl_slist *hdr,
		     phx_buf *body, char *err, size_t errn)
{
	CURL *c = curl_easy_init();
	char ebuf[CURL_ERROR_SIZE] = "";
	long status = 0;
	CURLcode rc;
	if (!c) {
		snprintf(err, errn, "cannot set up libcurl");
		return 0;
	}
	phx_buf_clear(body);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, o->timeout_ms);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_PROXY, "");	/* never through an environment proxy */
	if (o->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, o->ca_file);
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	else
		snprintf(err, errn, "%s", ebuf[0] ? ebuf : curl_easy_strerror(rc));
	curl_easy_cleanup(c);
	return status;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0)
		;
}

/* The service's "detail" message, safe to show (it never echoes the key). */
static void detail_of(const phx_buf *body, char *out, size_t n)
{
	json_t *j = json_loadb(body->data ? body->data : "", body->len, 0, NULL);
	const char *d = json_string_value(json_object_get(j, "detail"));
	snprintf(out, n, "%s", d ? d : "");
	json_decref(j);
}

/* GET with retries on transport errors, 429 and 5xx. Returns 0 with the
 * body of a 200, or an exit code (logged). */
static int fetch_page(const phx_webshare_opts *o, const char *url, const struct curl_slist *hdr,
		      phx_buf *body)
{
	char err[CURL_ERROR_SIZE + 32] = "", detail[200];
	long status = 0;
	for (int attempt = 0; attempt <= o->retries; attempt++) {
		if (attempt > 0)
			sleep_ms(250L << (attempt - 1 < 6 ? attempt - 1 : 6));
		status = get_page(o, url, hdr, body, err, sizeof err);
		if (status == 200)
			return 0;
		if (status != 0 && status != 429 && status < 500)
			break;
	}
	if (status == 0) {
		phx_err("WebShare %s: %s", o->base_url, err);
		return PHX_EX_UNAVAILABLE;
	}
	detail_of(body, detail, sizeof detail);
	if (status == 401 || status == 403) {
		phx_err("WebShare %s: the API key was refused (HTTP %ld%s%s)", o->base_url, status,
			*detail ? ": " : "", detail);
		return PHX_EX_CONFIG;
	}
	phx_err("WebShare %s: HTTP %ld%s%s", o->base_url, status, *detail ? ": " : "", detail);
	return status >= 500 || status == 429 ? PHX_EX_UNAVAILABLE : PHX_EX_DATAERR;
}

static void reject_entry(const json_t *e, const char *reason, phx_proxy_list *out)
{
	json_t *copy = json_deep_copy(e);
	if (json_object_get(copy, "password"))
		json_object_set_new(copy, "password", json_string("***"));
	phx_reject(NULL, "proxy.bad_entry", reason, NULL, 0, 0, copy, 0, NULL);
	json_decref(copy);
	out->bad++;
}

static void take_entry(const json_t *e, phx_proxy_list *out)
{
	const char *addr = json_string_value(json_object_get(e, "proxy_address"));
	const char *user = json_string_value(json_object_get(e, "username"));
	const char *pass = json_string_value(json_object_get(e, "password"));
	const char *cc = json_string_value(json_object_get(e, "country_code"));
	const char *city = json_string_value(json_object_get(e, "city_name"));
	json_int_t port = json_integer_value(json_object_get(e, "port"));
	phx_buf hp = PHX_BUF_INIT;
	char err[128];
	phx_proxy p;
	if (!json_is_object(e) || !addr || !user || !*user || !pass) {
		reject_entry(e, "entry without proxy_address, username or password", out);
		return;
	}
	if (!json_is_true(json_object_get(e, "valid"))) {
		out->invalid++;
		return;
	}
	if (strchr(addr, ':') || strchr(addr, '@')) {
		/* a host:port (or an IPv6 literal) glued into proxy_address would
		 * be read as a host and user fields by the colon format */
		reject_entry(e, "proxy_address is not a plain host name or IPv4 address", out);
		return;
	}
	phx_buf_printf(&hp, "%s:%lld", addr, (long long)port);
	if (phx_proxy_parse_colon(hp.data, &p, err, sizeof err) != 0) {
		phx_buf_free(&hp);
		reject_entry(e, err, out);
		return;
	}
	phx_buf_free(&hp);
	free(p.user);
	free(p.password);
	p.user = phx_xstrdup(user);
	p.password = phx_xstrdup(pass);
	p.country = cc ? phx_xstrdup(cc) : NULL;
	p.city = city ? phx_xstrdup(city) : NULL;
	phx_proxy_list_push(out, &p);
}

/* The next page's URL: "next" must stay on the base URL's origin, so the
 * token is never sent anywhere else. */
static char *next_url(const char *base, const char *next)
{
	const char *sep = strstr(base, "://");
	size_t origin = sep ? (size_t)(sep + 3 - base) + strcspn(sep + 3, "/") : strlen(base);
	phx_buf b = PHX_BUF_INIT;
	if (next[0] == '/') {
		phx_buf_add(&b, base, origin);
		phx_buf_adds(&b, next);
		return phx_buf_steal(&b);
	}
	if (strncmp(next, base, origin) == 0 && (next[origin] == '/' || next[origin] == '\0'))
		return phx_xstrdup(next);
	return NULL;
}

static int parse_page(const phx_webshare_opts *o, const phx_buf *body, phx_proxy_list *out,
		      char **next)
{
	json_error_t je;
	json_t *j = json_loadb(body->data ? body->data : "", body->len, 0, &je);
	json_t *results = json_object_get(j, "results"), *nx = json_object_get(j, "next");
	size_t i;
	*next = NULL;
	if (!json_is_array(results) || (nx && !json_is_null(nx) && !json_is_string(nx))) {
		phx_err("WebShare %s: answer is not a proxy list page", o->base_url);
		json_decref(j);
		return PHX_EX_DATAERR;
	}
	for (i = 0; i < json_array_size(results); i++)
		take_entry(json_array_get(results, i), out);
	if (json_is_string(nx)) {
		*next = next_url(o->base_url, json_string_value(nx));
		if (!*next) {
			phx_err("WebShare %s: \"next\" points to another host; not followed",
				o->base_url);
			json_decref(j);
			return PHX_EX_DATAERR;
		}
	}
	json_decref(j);
	return 0;
}

int phx_source_webshare(const phx_webshare_opts *o, phx_proxy_list *out)
{
	struct curl_slist *hdr = NULL;
	phx_buf auth = PHX_BUF_INIT, body = PHX_BUF_INIT, url = PHX_BUF_INIT;
	char *cur;
	int rc = 0, pages = 0;
	size_t blen = strlen(o->base_url);
	while (blen > 0 && o->base_url[blen - 1] == '/')
		blen--;
	phx_buf_printf(&auth, "Authorization: Token %s", o->api_key);
	hdr = curl_slist_append(hdr, auth.data);
	hdr = curl_slist_append(hdr, "Accept: application/json");
	explicit_bzero(auth.data, auth.len);
	phx_buf_free(&auth);
	phx_buf_printf(&url, "%.*s/api/v2/proxy/list/?mode=%s&page=1&page_size=100", (int)blen,
		       o->base_url, o->mode);
	cur = phx_buf_steal(&url);
	while (cur && rc == 0) {
		char *nx = NULL;
		if (++pages > o->max_pages) {
			phx_err("WebShare %s: more than %d pages; stopped", o->base_url, o->max_pages);
			rc = PHX_EX_DATAERR;
			break;
		}
		phx_debug("WebShare: %s", cur);
		rc = fetch_page(o, cur, hdr, &body);
		if (rc == 0)
			rc = parse_page(o, &body, out, &nx);
		free(cur);
		cur = nx;
	}
	free(cur);
	for (struct curl_slist *h = hdr; h; h = h->next)
		explicit_bzero(h->data, strlen(h->data));
	curl_slist_free_all(hdr);
	phx_buf_free(&body);
	return rc;
}
