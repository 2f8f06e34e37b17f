/* source_maricopa.c - the Maricopa County Assessor source of phx-fetch:
 * ZIP and free-text searches paged through /search/property/ (resumable:
 * lib/cursor.h), APN requests and --details from /parcel/<apn>, answers
 * turned into records by lib/maricopa.c. The token goes only to the
 * assessor's own host. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <jansson.h>
#include "apn.h"
#include "buf.h"
#include "config.h"
#include "cursor.h"
#include "exitcode.h"
#include "jsonwrite.h"
#include "log.h"
#include "maricopa.h"
#include "output.h"
#include "ratelimit.h"
#include "reject.h"
#include "run.h"
#include "sha256.h"
#include "signals.h"
#include "source.h"
#include "timeutil.h"
#include "xalloc.h"

enum job_kind { JOB_SEARCH, JOB_APN };

typedef struct job {
	enum job_kind kind;
	char *query;		/* search */
	char apn[PHX_APN_MAX];	/* apn */
	phx_pos pos;
	char *file;		/* pos.file storage */
	json_t *request;	/* for rejects */
	phx_cursor cur;
	int have_cursor;
	int outstanding;	/* pages or requests in flight */
	int failed;
	int warned;		/* about results that moved since the last run */
} job;

typedef struct page {
	job *j;
	long no;
	char *url;
	long status;
	char sha[65];
	char *proxy;
	json_t *items;		/* the Results array (owned) */
	json_t **records;	/* one per item, NULL until built */
	size_t n, pending;
	int dead;		/* a parcel failed for a passing reason */
	int cancelled;		/* stopped: write nothing, the next run redoes it */
} page;

typedef struct item_req {
	page *pg;
	size_t idx;
	char apn[PHX_APN_MAX];
} item_req;

/* ---- the assessor's state ---- */
static struct {
	phx_http *http;
	struct curl_slist *api_headers;	/* token, user-agent: null, Accept */
	char api_host[300];
	char *base;
	int token_read, have_token;
	phx_apn_index *index;
	int64_t max_age;
	long long cursor_ttl;
	double rate, burst;		/* the assessor's limit */
	int details, refresh;
	unsigned long long pages, details_n, details_skipped, skipped;
} MC;

static job *job_new(enum job_kind kind, const char *file, unsigned long long line,
		    unsigned long long offset)
{
	job *j = phx_xcalloc(1, sizeof *j);
	j->kind = kind;
	j->file = phx_xstrdup(file);
	j->pos.file = j->file;
	j->pos.line = line;
	j->pos.offset = offset;
	return j;
}

static int valid_zip(const char *z)
{
	if (strlen(z) != 5)
		return 0;
	for (int i = 0; i < 5; i++)
		if (z[i] < '0' || z[i] > '9')
			return 0;
	return 1;
}

/* The ZIP a job's requests serve, for the usage line: a search for a ZIP
 * (an address search or an APN says none). */
static const char *job_zip(const job *j)
{
	return j->query && valid_zip(j->query) ? j->query : NULL;
}

static void job_free(job *j)
{
	if (j->have_cursor)
		phx_cursor_close(&j->cur);
	free(j->query);
	free(j->file);
	json_decref(j->request);
	free(j);
}

/* A job ends when nothing of it is in flight any more. */
static void job_release(job *j)
{
	if (--j->outstanding > 0)
		return;
	if (j->kind == JOB_SEARCH && !j->failed && !phx_fetch_stopped() && !phx_stop_requested() &&
	    j->cur.pages >= 0 && j->cur.ndone == j->cur.pages && !phx_out_closed())
		phx_cursor_finish(&j->cur);
	job_free(j);
}

static void reject_job(job *j, const char *code, const char *why, int tries, const char *url,
		       long status)
{
	phx_fetch_reject(&j->pos, j->request, code, why, tries, url, status);
}

/* ---- search pages ---- */

static void submit_page(job *j, long no);

static void page_free(page *pg)
{
	for (size_t i = 0; i < pg->n; i++)
		json_decref(pg->records[i]);
	free(pg->records);
	json_decref(pg->items);
	free(pg->url);
	free(pg->proxy);
	free(pg);
}

/* Every record of the page is built: stage the cursor, write the page in one
 * write(), then commit the cursor, so a kill -9 can hardly fall between. */
static void page_complete(page *pg)
{
	job *j = pg->j;
	if (!phx_fetch_stopped() && !pg->cancelled) {
		phx_buf b = PHX_BUF_INIT;
		unsigned long long n = 0;
		for (size_t i = 0; i < pg->n; i++) {
			if (!pg->records[i])
				continue;
			if (n++)
				phx_buf_addc(&b, '\n');
			phx_json_write(&b, pg->records[i]);
		}
		int staged = !pg->dead && phx_cursor_stage(&j->cur, pg->no) == 0;
		if (n > 0 && phx_out_line(b.data, b.len) != 0) {
			if (staged)
				phx_cursor_abort(&j->cur, pg->no);
			staged = 0;
			phx_fetch_output_failed();
		} else {
			phx_run_current()->out += n;
		}
		if (staged) {
			MC.pages++;
			if (phx_cursor_commit(&j->cur) != 0)
				phx_fetch_fatal(PHX_EX_IOERR);
		} else if (!pg->dead && !phx_fetch_stopped()) {
			phx_fetch_fatal(PHX_EX_IOERR);	/* the cursor could not be staged */
		}
		phx_buf_free(&b);
	}
	if (phx_fetch_stopped() || pg->cancelled || pg->dead)
		j->failed = 1;
	page_free(pg);
	job_release(j);
}

static json_t *build_record(page *pg, const json_t *item, const json_t *details,
			    const phx_http_result *dr)
{
	char now[PHX_TIME_LEN], why[256];
	phx_time_now(now);
	json_t *rec = phx_maricopa_record(item, details, NULL, now, why, sizeof why);
	if (!rec) {
		if (phx_reject(&pg->j->pos, "fetch.bad_shape", why, NULL, 0, 0, item, 0, NULL))
			phx_fetch_fatal(PHX_EX_IOERR);
		return NULL;
	}
	json_t *more = NULL;
	if (dr) {
		char sha[65];
		phx_sha256_hex(dr->body, dr->body_len, sha);
		more = json_pack("{s:s, s:i, s:s}", "details_url", dr->url, "details_status",
				 (int)dr->status, "details_sha256", sha);
	}
	phx_fetch_trace(rec, pg->url, pg->status, pg->sha, pg->proxy, more);
	json_decref(more);
	return rec;
}

static void details_done(void *user, const phx_http_result *r)
{
	item_req *ir = user;
	page *pg = ir->pg;
	json_t *item = json_array_get(pg->items, ir->idx);
	if (r->cancelled || phx_fetch_stopped()) {
		pg->cancelled = 1;	/* the page stays undone: the next run fetches it */
	} else {
		json_t *doc = NULL;
		char why[512];
		const char *code = r->error ? r->error
			: phx_maricopa_check(r, 1, &doc, why, sizeof why);
		if (r->error)
			snprintf(why, sizeof why, "%s", r->error_detail);
		if (code) {
			phx_fetch_note_failure(code);
			if (strcmp(code, "fetch.not_found") != 0 && strcmp(code, "fetch.bad_shape") != 0
			    && strcmp(code, "fetch.not_json") != 0)
				pg->dead = 1;	/* passing trouble: the next run tries again */
			if (!phx_fetch_stopped()) {
				json_t *extra = json_pack("{s:s, s:i}", "url", r->url,
							  "status", (int)r->status);
				if (phx_reject(&pg->j->pos, code, why, NULL, 0, 0, item, r->tries,
					       extra))
					phx_fetch_fatal(PHX_EX_IOERR);
				json_decref(extra);
			}
		} else {
			MC.details_n++;
			if (MC.index)
				phx_apn_index_put(MC.index, ir->apn, time(NULL));
			pg->records[ir->idx] = build_record(pg, item, doc, r);
		}
		json_decref(doc);
	}
	free(ir);
	if (--pg->pending == 0)
		page_complete(pg);
}

/* Whether item's details are fresh enough to skip (--max-age). */
static int details_fresh(const char *apn)
{
	if (!MC.index || MC.max_age <= 0)
		return 0;
	time_t t = phx_apn_index_get(MC.index, apn);
	return t > 0 && (int64_t)(time(NULL) - t) < MC.max_age;
}

static void page_items(page *pg)
{
	pg->n = json_array_size(pg->items);
	pg->records = phx_xcalloc(pg->n + 1, sizeof *pg->records);
	pg->pending = 1;	/* held until every item was looked at */
	for (size_t i = 0; i < pg->n && !phx_fetch_stopped(); i++) {
		json_t *item = json_array_get(pg->items, i);
		json_t *apnv = json_object_get(item, "APN");
		char apn[PHX_APN_MAX];
		int have = json_is_string(apnv) &&
			phx_apn_normalize(json_string_value(apnv), apn) == 0;
		if (!MC.details || !have || details_fresh(have ? apn : "")) {
			if (MC.details && have)
				MC.details_skipped++;
			pg->records[i] = build_record(pg, item, NULL, NULL);
			continue;
		}
		item_req *ir = phx_xcalloc(1, sizeof *ir);
		ir->pg = pg;
		ir->idx = i;
		memcpy(ir->apn, apn, sizeof apn);
		char *url = phx_maricopa_parcel_url(MC.base, apn);
		phx_http_request rq = { url, NULL, NULL, 0, MC.api_headers, 0, details_done, ir,
					"maricopa", job_zip(pg->j) };
		pg->pending++;
		phx_http_submit(MC.http, &rq);
		free(url);
	}
	if (--pg->pending == 0)
		page_complete(pg);
}

static void search_done(void *user, const phx_http_result *r)
{
	page *pg = user;
	job *j = pg->j;
	if (r->cancelled || phx_fetch_stopped()) {
		page_free(pg);
		job_release(j);
		return;
	}
	json_t *doc = NULL, *results = NULL;
	char why[512];
	long long total = 0;
	const char *code = r->error ? r->error : phx_maricopa_check(r, 0, &doc, why, sizeof why);
	if (r->error)
		snprintf(why, sizeof why, "%s", r->error_detail);
	if (!code)
		code = phx_maricopa_search_page(doc, &total, &results, why, sizeof why);
	if (code) {
		phx_fetch_note_failure(code);
		if (!phx_fetch_stopped() || strcmp(code, "fetch.auth") == 0)
			reject_job(j, code, why, r->tries, r->url, r->status);
		j->failed = 1;
		json_decref(doc);
		page_free(pg);
		job_release(j);
		return;
	}
	pg->status = r->status;
	phx_sha256_hex(r->body, r->body_len, pg->sha);
	pg->proxy = phx_fetch_public_proxy(r->proxy);
	pg->items = json_incref(results);
	json_decref(doc);
	if (j->cur.pages == 0 && j->cur.ndone == 0) {
		/* page 1 tells how many pages there are */
		phx_cursor_set_pages(&j->cur, (long)total, phx_maricopa_pages(total));
		for (long p = 2; p <= j->cur.pages; p++)
			submit_page(j, p);
	} else if (total != j->cur.total && !j->warned) {
		j->warned = 1;
		phx_warn("%s: %lld results now, %ld when the request started: pages may have "
			 "moved", j->query, total, j->cur.total);
	}
	if (pg->no > j->cur.pages) {
		page_free(pg);	/* results shrank: nothing on this page any more */
		job_release(j);
		return;
	}
	page_items(pg);
}

static void submit_page(job *j, long no)
{
	if (phx_cursor_page_is_done(&j->cur, no))
		return;
	page *pg = phx_xcalloc(1, sizeof *pg);
	pg->j = j;
	pg->no = no;
	pg->url = phx_maricopa_search_url(MC.base, j->query, no);
	j->outstanding++;
	phx_http_request rq = { pg->url, NULL, NULL, 0, MC.api_headers, 0, search_done, pg,
				"maricopa", job_zip(pg->j) };
	phx_http_submit(MC.http, &rq);
}

static void start_search(job *j)
{
	char key[1024];
	snprintf(key, sizeof key, "maricopa %s search %s%s", MC.base, j->query,
		 MC.details ? " details" : "");
	if (phx_cursor_open(&j->cur, key, MC.cursor_ttl) != 0) {
		phx_fetch_fatal(PHX_EX_IOERR);
		job_free(j);
		return;
	}
	j->have_cursor = 1;
	if (MC.refresh)
		phx_cursor_reset(&j->cur);
	if (j->cur.complete) {
		phx_info("%s: completed before, not fetched again (use --refresh)", j->query);
		MC.skipped++;
		phx_run_current()->dropped++;
		job_free(j);
		return;
	}
	j->outstanding = 1;	/* held while pages are submitted */
	if (j->cur.pages == 0) {
		submit_page(j, 1);
	} else {
		phx_info("%s: resuming, %ld of %ld pages done", j->query, j->cur.ndone,
			 j->cur.pages);
		for (long p = 1; p <= j->cur.pages; p++)
			submit_page(j, p);
	}
	job_release(j);
}

/* ---- APN requests ---- */

static void apn_done(void *user, const phx_http_result *r)
{
	job *j = user;
	if (r->cancelled || phx_fetch_stopped()) {
		job_release(j);
		return;
	}
	json_t *doc = NULL;
	char why[512];
	const char *code = r->error ? r->error : phx_maricopa_check(r, 1, &doc, why, sizeof why);
	if (r->error)
		snprintf(why, sizeof why, "%s", r->error_detail);
	json_t *rec = NULL;
	if (!code) {
		char now[PHX_TIME_LEN];
		phx_time_now(now);
		rec = phx_maricopa_record(NULL, doc, j->apn, now, why, sizeof why);
		if (!rec)
			code = "fetch.bad_shape";
	}
	if (code) {
		phx_fetch_note_failure(code);
		reject_job(j, code, why, r->tries, r->url, r->status);
	} else {
		char sha[65];
		phx_sha256_hex(r->body, r->body_len, sha);
		char *proxy = phx_fetch_public_proxy(r->proxy);
		phx_fetch_trace(rec, r->url, r->status, sha, proxy, NULL);
		free(proxy);
		MC.details_n++;
		if (MC.index)
			phx_apn_index_put(MC.index, j->apn, time(NULL));
		phx_fetch_emit(rec);
	}
	json_decref(rec);
	json_decref(doc);
	job_release(j);
}

static void start_apn(job *j)
{
	if (details_fresh(j->apn)) {
		MC.details_skipped++;
		phx_run_current()->dropped++;
		job_free(j);
		return;
	}
	char *url = phx_maricopa_parcel_url(MC.base, j->apn);
	j->outstanding = 1;
	phx_http_request rq = { url, NULL, NULL, 0, MC.api_headers, 0, apn_done, j,
				"maricopa", NULL };
	phx_http_submit(MC.http, &rq);
	free(url);
}
/* ---- the interface ---- */

static struct curl_slist *api_headers(const char *token)
{
	struct curl_slist *h = NULL, *t;
	phx_buf b = PHX_BUF_INIT;
	if (token) {
		phx_buf_printf(&b, "AUTHORIZATION: %s", token);
		h = curl_slist_append(h, b.data);
	}
	t = curl_slist_append(h, "User-Agent: null");
	if (t)
		h = curl_slist_append(t, "Accept: application/json");
	if (b.data)
		memset(b.data, 0, b.len);
	phx_buf_free(&b);
	return h;
}

/* The base URL and the token, read once (a URL request to the assessor's
 * host needs them without the source being set up). */
static int read_token(const char *base_flag, int *err)
{
	*err = 0;
	if (MC.token_read)
		return MC.have_token;
	static const char *const base_env[] = { "MARICOPA_BASE_URL", NULL };
	MC.token_read = 1;
	MC.base = phx_xstrdup(phx_setting(base_flag, base_env, "maricopa.base_url",
					  PHX_MARICOPA_BASE));
	if (phx_http_hostport(MC.base, MC.api_host, sizeof MC.api_host) != 0)
		MC.api_host[0] = '\0';
	char *token = phx_secret("MARICOPA_API_KEY", err);
	MC.have_token = token != NULL;
	MC.api_headers = api_headers(token);
	phx_secret_free(token);
	return MC.have_token;
}

const struct curl_slist *phx_maricopa_headers_for(const char *url, const char *base_flag)
{
	int err;
	read_token(base_flag, &err);
	char hp[300];
	if (!MC.api_host[0] || phx_http_hostport(url, hp, sizeof hp) != 0 ||
	    strcmp(hp, MC.api_host) != 0 || strncasecmp(url, MC.base, strcspn(MC.base, ":")) != 0)
		return NULL;
	return MC.api_headers;
}

static int mc_open(const phx_source_opts *o)
{
	static const char *const rate_env[] = { "PHX_FETCH_RATE", NULL };
	int err;
	MC.http = o->http;
	MC.details = o->details;
	MC.refresh = o->refresh;
	MC.max_age = o->max_age;
	if (!read_token(o->base_url, &err)) {
		if (err)
			return err;
		phx_err("MARICOPA_API_KEY is not set (nor MARICOPA_API_KEY_FILE): the assessor "
			"API needs a token");
		return PHX_EX_CONFIG;
	}
	const char *spec = phx_setting(o->rate, rate_env, "fetch.rate", "1000/h:5");
	if (phx_rate_parse(spec, &MC.rate, &MC.burst) != 0) {
		phx_err("PHX_FETCH_RATE or fetch.rate: \"%s\" is not a rate like 1000/h, 20/s or "
			"60/min:5", spec);
		return PHX_EX_CONFIG;
	}
	const char *ttl_s = phx_setting(NULL, NULL, "fetch.cursor_ttl", "20h");
	int64_t ttl;
	if (phx_duration_parse(ttl_s, &ttl) != 0) {
		phx_err("fetch.cursor_ttl: \"%s\" is not a duration", ttl_s);
		return PHX_EX_CONFIG;
	}
	MC.cursor_ttl = ttl;
	phx_http_set_rate(MC.http, MC.api_host, MC.rate, MC.burst);
	if (MC.details || MC.max_age || o->apn_index)
		MC.index = phx_apn_index_open("maricopa-details.idx");
	return 0;
}

static void mc_start(json_t *req, const phx_pos *pos)
{
	json_t *apn = json_object_get(req, "apn");
	json_t *zip = json_object_get(req, "zip"), *query = json_object_get(req, "query");
	char zbuf[32], why[256];
	const char *code = NULL;
	job *j = NULL;
	if (json_is_integer(zip)) {
		snprintf(zbuf, sizeof zbuf, "%05lld", (long long)json_integer_value(zip));
		zip = json_string(zbuf);
	} else {
		json_incref(zip);
	}
	if (apn) {
		char a[PHX_APN_MAX];
		if (!json_is_string(apn) || phx_apn_normalize(json_string_value(apn), a) != 0) {
			code = "request.bad_apn";
			snprintf(why, sizeof why, "apn is not an APN (like 103-06-005)");
		} else {
			j = job_new(JOB_APN, pos->file, pos->line, pos->offset);
			memcpy(j->apn, a, sizeof a);
		}
	} else if (zip) {
		if (!json_is_string(zip) || !valid_zip(json_string_value(zip))) {
			code = "request.bad_zip";
			snprintf(why, sizeof why, "zip must be 5 digits");
		} else {
			j = job_new(JOB_SEARCH, pos->file, pos->line, pos->offset);
			j->query = phx_xstrdup(json_string_value(zip));
		}
	} else if (json_is_string(query) && json_string_length(query) > 0) {
		j = job_new(JOB_SEARCH, pos->file, pos->line, pos->offset);
		j->query = phx_xstrdup(json_string_value(query));
	} else {
		code = "request.unknown";
		snprintf(why, sizeof why, "a request needs one of url, apn, zip, query");
	}
	json_decref(zip);
	phx_run_current()->in++;
	if (code) {
		if (phx_reject(pos, code, why, NULL, 0, 0, req, 0, NULL) != 0)
			phx_fetch_fatal(PHX_EX_IOERR);
		return;
	}
	j->request = json_incref(req);
	if (j->kind == JOB_SEARCH) {
		start_search(j);
	} else {
		start_apn(j);
	}
}

static void mc_metrics(json_t *m)
{
	json_object_set_new(m, "pages", json_integer((json_int_t)MC.pages));
	json_object_set_new(m, "details", json_integer((json_int_t)MC.details_n));
	json_object_set_new(m, "details_skipped", json_integer((json_int_t)MC.details_skipped));
	json_object_set_new(m, "skipped_complete", json_integer((json_int_t)MC.skipped));
}

static void mc_close(void)
{
	curl_slist_free_all(MC.api_headers);
	phx_apn_index_close(MC.index);
	free(MC.base);
	memset(&MC, 0, sizeof MC);
}

const phx_source phx_source_maricopa = {
	"maricopa",
	"the Maricopa County Assessor API (parcels)",
	NULL, mc_open, mc_start, NULL, mc_metrics, mc_close,
};
