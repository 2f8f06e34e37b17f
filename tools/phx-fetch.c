/* phx-fetch - fetch property records from the Maricopa County Assessor API,
 * the Phoenix MLS site (lib/source_mls.c), or any URLs, politely:
 * rate-limited, retried, resumable. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>
#include "apn.h"
#include "buf.h"
#include "cli.h"
#include "config.h"
#include "cursor.h"
#include "exitcode.h"
#include "fetch_proxy.h"
#include "http.h"
#include "jsonwrite.h"
#include "log.h"
#include "maricopa.h"
#include "ndjson.h"
#include "output.h"
#include "ratelimit.h"
#include "redact.h"
#include "reject.h"
#include "response.h"
#include "run.h"
#include "sha256.h"
#include "signals.h"
#include "source.h"
#include "timeutil.h"
#include "trace.h"
#include "xalloc.h"

static const char help[] =
"usage: phx-fetch [options] [FILE...]\n"
"       phx-fetch --source maricopa --zip 85031[,85033...] [--details]\n"
"       phx-fetch --source phoenix_mls --zip 85031[,85033...]\n"
"       phx-fetch --source phoenix_mls --check-selectors URL\n"
"       phx-fetch --url-file FILE\n"
"Fetch property records (NDJSON) from the Maricopa County Assessor API, the\n"
"Phoenix MLS site (listing pages), or the responses of any URLs. Requests come\n"
"from --zip/--query/--apn/--url-file, else as NDJSON from FILEs or stdin:\n"
"{\"source\":\"maricopa\",\"zip\":\"85031\"}, {\"source\":\"maricopa\",\"query\":\n"
"\"4027 N 55TH AVE\"}, {\"source\":\"maricopa\",\"apn\":\"103-06-005\"},\n"
"{\"source\":\"phoenix_mls\",\"zip\":\"85031\"}, {\"source\":\"phoenix_mls\",\"url\":\n"
"\"https://www.phoenixmlssearch.com/mls/...-mls_6937912/\"}, {\"url\":\"https://...\"}.\n"
"\n"
"  --source NAME          data source: maricopa (the default) or phoenix_mls\n"
"  --zip LIST             ZIP codes, comma-separated\n"
"  --query TEXT           a free search query (an address, a name)\n"
"  --apn LIST             APNs, comma-separated, any spelling\n"
"  --url-file FILE        generic mode: one URL a line; output is each response\n"
"  --details              add each parcel's /parcel/<apn> data (one request each)\n"
"  --max-age DURATION     with --details: skip parcels fetched more recently (90d, 12h)\n"
"  --refresh              fetch requests again that were completed before\n"
"  --concurrency N        transfers at once (default 4)\n"
"  --rate SPEC            requests per host: 1000/h, 20/s, 60/min[:BURST]\n"
"                         (default for the assessor: 1000/h:5; other hosts: none)\n"
"  --base-url URL         the assessor API (default https://mcassessor.maricopa.gov),\n"
"                         or the MLS site (https://www.phoenixmlssearch.com)\n"
"  --selectors FILE       phoenix_mls: the selectors file (phx-mls-selectors(5))\n"
"  --check-selectors URL  phoenix_mls: what each selector reads on a page (or file)\n"
"  --ca-file FILE         trust these CA certificates (verification stays on)\n"
"  --timeout SECONDS      total time for one attempt (default 60)\n"
"  --connect-timeout SECONDS  (default 10)\n"
"  --retries N            extra attempts per request (default 4)\n"
"  --retry-budget N       retries for the whole run (default 1000)\n"
"  --proxies              go through the proxy pool (see phx-proxy(1)); no usable\n"
"                         proxy left: exit 75\n"
"  --allow-direct         with --proxies: go direct when no proxy is usable\n"
"  -q, -v, --config FILE, --rejects FILE, --stats, --max-line N, --help, --version\n"
"\n"
"Environment: MARICOPA_API_KEY or MARICOPA_API_KEY_FILE (the token),\n"
"MARICOPA_BASE_URL, PHX_FETCH_RATE, PHOENIX_MLS_BASE_URL, PHOENIX_MLS_RATE_LIMIT\n"
"(requests per hour, default 60), PHOENIX_MLS_CONCURRENT_LIMIT (default 1),\n"
"PHOENIX_MLS_USER_AGENT, PHOENIX_MLS_SELECTORS, PHX_STATE_DIR, PHX_CONFIG.\n"
"See phx-fetch(1).\n";

enum {
	OPT_SOURCE = 0x2000, OPT_ZIP, OPT_QUERY, OPT_APN, OPT_URL_FILE, OPT_DETAILS,
	OPT_MAX_AGE, OPT_REFRESH, OPT_CONCURRENCY, OPT_RATE, OPT_BASE_URL, OPT_CA_FILE,
	OPT_TIMEOUT, OPT_CONNECT_TIMEOUT, OPT_RETRIES, OPT_RETRY_BUDGET,
	/* PROXY WIRING (options): the proxy pool's options go here */
	OPT_PROXIES, OPT_ALLOW_DIRECT, OPT_SELECTORS, OPT_CHECK_SELECTORS,
};

typedef struct settings {
	const char *source, *zips, *query, *apns, *url_file, *max_age, *rate;
	const char *base_url, *ca_file, *timeout, *connect_timeout, *retries;
	const char *retry_budget, *concurrency, *cursor_ttl, *selectors, *check_url;
	int details, refresh;
} settings;

/* ---- the run ---- */

enum job_kind { JOB_SEARCH, JOB_APN, JOB_URL };

typedef struct job {
	enum job_kind kind;
	char *query;		/* search */
	char apn[PHX_APN_MAX];	/* apn */
	char *url;		/* url */
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

typedef struct fetch {
	settings s;
	phx_http *http;
	struct curl_slist *api_headers;	/* token, user-agent: null, Accept */
	char api_host[300];
	const char *base;
	phx_apn_index *index;
	int64_t max_age;
	long long cursor_ttl;
	double rate, burst;		/* the assessor's limit */
	int64_t halt_at;
	unsigned long long pages, details, details_skipped, skipped;
	const phx_source *src;		/* --source when it is not maricopa */
	int token_missing;		/* no token: refuse the assessor's requests */
} fetch;

static fetch F;

static void job_free(job *j)
{
	if (j->have_cursor)
		phx_cursor_close(&j->cur);
	free(j->query);
	free(j->url);
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
			F.pages++;
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
			F.details++;
			if (F.index)
				phx_apn_index_put(F.index, ir->apn, time(NULL));
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
	if (!F.index || F.max_age <= 0)
		return 0;
	time_t t = phx_apn_index_get(F.index, apn);
	return t > 0 && (int64_t)(time(NULL) - t) < F.max_age;
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
		if (!F.s.details || !have || details_fresh(have ? apn : "")) {
			if (F.s.details && have)
				F.details_skipped++;
			pg->records[i] = build_record(pg, item, NULL, NULL);
			continue;
		}
		item_req *ir = phx_xcalloc(1, sizeof *ir);
		ir->pg = pg;
		ir->idx = i;
		memcpy(ir->apn, apn, sizeof apn);
		char *url = phx_maricopa_parcel_url(F.base, apn);
		phx_http_request rq = { url, NULL, NULL, 0, F.api_headers, 0, details_done, ir };
		pg->pending++;
		phx_http_submit(F.http, &rq);
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
	pg->url = phx_maricopa_search_url(F.base, j->query, no);
	j->outstanding++;
	phx_http_request rq = { pg->url, NULL, NULL, 0, F.api_headers, 0, search_done, pg };
	phx_http_submit(F.http, &rq);
}

static void start_search(job *j)
{
	char key[1024];
	snprintf(key, sizeof key, "maricopa %s search %s%s", F.base, j->query,
		 F.s.details ? " details" : "");
	if (phx_cursor_open(&j->cur, key, F.cursor_ttl) != 0) {
		phx_fetch_fatal(PHX_EX_IOERR);
		job_free(j);
		return;
	}
	j->have_cursor = 1;
	if (F.s.refresh)
		phx_cursor_reset(&j->cur);
	if (j->cur.complete) {
		phx_info("%s: completed before, not fetched again (use --refresh)", j->query);
		F.skipped++;
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

/* ---- APN and URL requests ---- */

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
		F.details++;
		if (F.index)
			phx_apn_index_put(F.index, j->apn, time(NULL));
		phx_fetch_emit(rec);
	}
	json_decref(rec);
	json_decref(doc);
	job_release(j);
}

static void start_apn(job *j)
{
	if (details_fresh(j->apn)) {
		F.details_skipped++;
		phx_run_current()->dropped++;
		job_free(j);
		return;
	}
	char *url = phx_maricopa_parcel_url(F.base, j->apn);
	j->outstanding = 1;
	phx_http_request rq = { url, NULL, NULL, 0, F.api_headers, 0, apn_done, j };
	phx_http_submit(F.http, &rq);
	free(url);
}

static void url_done(void *user, const phx_http_result *r)
{
	job *j = user;
	if (r->cancelled || phx_fetch_stopped()) {
		job_release(j);
		return;
	}
	if (r->error) {
		phx_fetch_note_failure(r->error);
		reject_job(j, r->error, r->error_detail, r->tries, r->url, r->status);
		job_release(j);
		return;
	}
	json_t *out = phx_response_json(r);
	if (!out) {
		reject_job(j, "fetch.bad_response", "response could not be represented as JSON",
			   r->tries, r->url, r->status);
	} else {
		char sha[65];
		phx_sha256_hex(r->body, r->body_len, sha);
		char *proxy = phx_fetch_public_proxy(r->proxy);
		phx_fetch_trace(out, r->url, r->status, sha, proxy, NULL);
		free(proxy);
		phx_fetch_emit(out);
		json_decref(out);
	}
	job_release(j);
}

/* The token goes only to the assessor's own host. */
static int is_api_host(const char *url)
{
	char hp[300];
	return phx_http_hostport(url, hp, sizeof hp) == 0 && strcmp(hp, F.api_host) == 0 &&
	       strncasecmp(url, F.base, strcspn(F.base, ":")) == 0;
}

static void start_url(job *j)
{
	j->outstanding = 1;
	phx_http_request rq = { j->url, NULL, NULL, 0,
				is_api_host(j->url) ? F.api_headers : NULL, 1, url_done, j };
	phx_http_submit(F.http, &rq);
}

static void start_job(job *j)
{
	phx_run_current()->in++;
	if (F.token_missing && j->kind != JOB_URL) {
		phx_err("MARICOPA_API_KEY is not set (nor MARICOPA_API_KEY_FILE): the assessor "
			"API needs a token");
		phx_fetch_fatal(PHX_EX_CONFIG);
		job_free(j);
		return;
	}
	switch (j->kind) {
	case JOB_SEARCH:
		start_search(j);
		break;
	case JOB_APN:
		start_apn(j);
		break;
	case JOB_URL:
		start_url(j);
		break;
	}
}

/* ---- where requests come from ---- */

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

/* Sources other than the assessor, set up when first needed. */
static struct {
	const phx_source *list[4];
	size_t n;
	phx_source_opts opts;
} opened;

static int source_open(const phx_source *src)
{
	for (size_t i = 0; i < opened.n; i++)
		if (opened.list[i] == src)
			return 0;
	if (opened.n == sizeof opened.list / sizeof opened.list[0])
		return -1;
	opened.list[opened.n++] = src;
	int rc = src->open(&opened.opts);
	if (rc != 0)
		phx_fetch_fatal(rc);
	return rc ? -1 : 0;
}

/* A request object to a job; NULL after rejecting it. */
static job *job_from_request(json_t *req, const phx_pos *pos)
{
	const char *source = json_string_value(json_object_get(req, "source"));
	json_t *url = json_object_get(req, "url"), *apn = json_object_get(req, "apn");
	if (!source && !json_is_string(url) && F.src)
		source = F.src->name;	/* {"zip":..} follows --source */
	const phx_source *other = phx_source_find(source);
	if (other) {
		if (source_open(other) == 0) {
			other->start(req, pos);
		} else {
			phx_run_current()->in++;
			phx_fetch_reject(pos, req, "request.bad_source", "the source could not be "
					 "set up (see the error above)", 0, NULL, 0);
		}
		return NULL;
	}
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
	if (json_is_string(url)) {
		j = job_new(JOB_URL, pos->file, pos->line, pos->offset);
		j->url = phx_xstrdup(json_string_value(url));
	} else if (source && strcmp(source, "maricopa") != 0) {
		code = "request.bad_source";
		snprintf(why, sizeof why, "unknown source \"%s\" (known: %s)", source,
			 phx_source_names());
	} else if (apn) {
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
	if (code) {
		phx_run_current()->in++;
		if (phx_reject(pos, code, why, NULL, 0, 0, req, 0, NULL) != 0)
			phx_fetch_fatal(PHX_EX_IOERR);
		return NULL;
	}
	j->request = json_incref(req);
	return j;
}

/* Comma lists from --zip and --apn become request objects. */
static void jobs_from_list(const char *list, const char *member, const char *origin)
{
	char *copy = phx_xstrdup(list), *save = NULL;
	unsigned long long n = 0;
	for (char *tok = strtok_r(copy, ", ", &save); tok && !phx_fetch_stopped();
	     tok = strtok_r(NULL, ", ", &save)) {
		phx_pos pos = { origin, ++n, 0 };
		json_t *req = json_pack("{s:s, s:s}", "source", F.s.source, member, tok);
		job *j = job_from_request(req, &pos);
		json_decref(req);
		if (j)
			start_job(j);
	}
	free(copy);
}

static void job_from_line(const phx_line *ln, int url_lines)
{
	if (ln->status != PHX_LINE_OK) {
		phx_run_current()->in++;
		if (phx_reject_line(ln, phx_line_status_code(ln->status), "unreadable line"))
			phx_fetch_fatal(PHX_EX_IOERR);
		return;
	}
	if (url_lines) {
		size_t n = ln->len;
		while (n && (ln->data[n - 1] == ' ' || ln->data[n - 1] == '\t'))
			n--;
		if (n == 0 || ln->data[0] == '#')
			return;
		job *j = job_new(JOB_URL, ln->pos.file, ln->pos.line, ln->pos.offset);
		j->url = phx_xstrndup(ln->data, n);
		j->request = json_pack("{s:s}", "url", j->url);
		start_job(j);
		return;
	}
	const char *code;
	char why[256];
	json_t *req = phx_parse_object(ln->data, ln->len, &code, why, sizeof why);
	if (!req) {
		phx_run_current()->in++;
		if (phx_reject_line(ln, code, why))
			phx_fetch_fatal(PHX_EX_IOERR);
		return;
	}
	job *j = job_from_request(req, &ln->pos);
	json_decref(req);
	if (j)
		start_job(j);
}

/* ---- the loop ---- */

static void check_signals(void)
{
	if (!phx_stop_requested())
		return;
	if (F.halt_at == 0) {
		phx_info("stopping: no new requests; saving the cursor");
		phx_http_halt(F.http, 0);
		F.halt_at = phx_mono_ms();
	} else if (phx_mono_ms() - F.halt_at > 2000) {
		phx_http_halt(F.http, 1);	/* in-flight answers are too slow: abandon */
	}
}

/* A pipe that is slow to write must not hold up the transfers in flight
 * (tail -f requests | phx-fetch): read what is there, block only when
 * nothing is in flight. */
static int input_ready(int from_stdin)
{
	if (!from_stdin || phx_http_pending(F.http) == 0)
		return 1;
	struct pollfd p = { 0, POLLIN, 0 };
	return poll(&p, 1, 0) > 0;
}

static void run_loop(phx_reader *rd, int url_lines, int from_stdin, size_t window)
{
	int input_done = rd == NULL;
	for (;;) {
		check_signals();
		while (!input_done && !phx_fetch_stopped() && !phx_stop_requested() &&
		       phx_http_pending(F.http) < window && input_ready(from_stdin)) {
			phx_line ln;
			if (phx_reader_next(rd, &ln) != 1) {
				input_done = 1;
				break;
			}
			job_from_line(&ln, url_lines);
		}
		if (phx_http_perform(F.http, 250) == 0 &&
		    (input_done || phx_fetch_stopped() || phx_stop_requested()))
			break;
	}
}

/* ---- setup ---- */

static int seconds_ms(const char *what, const char *v, long *out)
{
	double d;
	if (phx_parse_double(what, v, 0.001, 86400, &d) != 0)
		return -1;
	*out = (long)(d * 1000);
	return 0;
}

static int engine_options(const settings *s, phx_http_opts *o, const phx_cli *cli)
{
	long long n;
	(void)cli;
	memset(o, 0, sizeof *o);
	if (phx_parse_int("--concurrency", s->concurrency, 1, 1000, &n) != 0)
		return -1;
	o->concurrency = (int)n;
	if (phx_parse_int("--retries", s->retries, 0, 100, &n) != 0)
		return -1;
	o->retries = (int)n;
	if (phx_parse_int("--retry-budget", s->retry_budget, 0, 100000000, &n) != 0)
		return -1;
	o->run_retries = n > 0 ? (long)n : 1;
	if (n == 0)
		o->retries = 0;
	if (seconds_ms("--timeout", s->timeout, &o->timeout_ms) != 0 ||
	    seconds_ms("--connect-timeout", s->connect_timeout, &o->connect_timeout_ms) != 0)
		return -1;
	o->ca_file = s->ca_file;
	o->usage_service = NULL;
	return 0;
}

/* PROXY WIRING: the one place where the proxy pool plugs into the engine.
 * Set o->pick, o->report, o->proxy_ctx and o->max_proxy_failures here. */
static struct {
	const char *proxies, *allow_direct;	/* "yes" when the flag was given */
	phx_fetch_proxy *pool;
} proxy_flags;

static int proxy_yes(const char *flag, const char *env, const char *key, int *out)
{
	const char *envs[] = { env, NULL };
	const char *v = phx_setting(flag, envs, key, "no");
	*out = strcmp(v, "yes") == 0 || strcmp(v, "1") == 0 || strcmp(v, "true") == 0;
	if (!*out && strcmp(v, "no") != 0 && strcmp(v, "0") != 0 && strcmp(v, "false") != 0) {
		phx_err("%s: \"%s\" is not yes or no", key, v);
		return -1;
	}
	return 0;
}

static int proxy_setup(phx_http_opts *o)
{
	static const char *const k_env[] = { "PHX_FETCH_MAX_PROXY_FAILURES", NULL };
	static const char *const per_env[] = { "PHX_PROXY_PER_PROXY", NULL };
	phx_fetch_proxy_opts po = { 0 };
	long long k, per;
	int use;
	if (proxy_yes(proxy_flags.proxies, "PHX_FETCH_PROXIES", "fetch.proxies", &use) != 0 ||
	    proxy_yes(proxy_flags.allow_direct, "PHX_FETCH_ALLOW_DIRECT", "fetch.allow_direct",
		      &po.allow_direct) != 0)
		return -1;
	if (!use)
		return 0;
	if (phx_parse_int("fetch.max_proxy_failures",
			  phx_setting(NULL, k_env, "fetch.max_proxy_failures", "3"), 1, 100, &k) ||
	    phx_parse_int("proxy.per_proxy", phx_setting(NULL, per_env, "proxy.per_proxy", "2"),
			  1, 1000, &per))
		return -1;
	po.per_proxy = (int)per;
	if (phx_fetch_proxy_open(&proxy_flags.pool, &po) != 0)
		return -1;
	phx_fetch_proxy_attach(proxy_flags.pool, o);
	o->max_proxy_failures = (int)k;
	return 0;
}

static void proxy_teardown(void)
{
	if (proxy_flags.pool && phx_fetch_proxy_failed(proxy_flags.pool))
		phx_run_fail(PHX_EX_IOERR);	/* the scoreboard or the journal */
	phx_fetch_proxy_close(proxy_flags.pool);
	proxy_flags.pool = NULL;
}

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

static void setup_rates(const settings *s)
{
	phx_http_set_rate(F.http, F.api_host, F.rate, F.burst);
	if (s->url_file && s->rate)
		phx_http_set_default_rate(F.http, F.rate, F.burst);
}

static const char *rate_flag;	/* --rate as given, to tell a usage error */
static int source_flag;		/* --source given */
static const char *base_flag, *concurrency_flag;

static void resolve_settings(settings *s)
{
	rate_flag = s->rate;
	source_flag = s->source != NULL;
	base_flag = s->base_url;
	concurrency_flag = s->concurrency ? s->concurrency
					  : phx_config_file_value("fetch.concurrency");
	static const char *const base_env[] = { "MARICOPA_BASE_URL", NULL };
	static const char *const rate_env[] = { "PHX_FETCH_RATE", NULL };
	s->base_url = phx_setting(s->base_url, base_env, "maricopa.base_url", PHX_MARICOPA_BASE);
	s->rate = phx_setting(s->rate, rate_env, "fetch.rate", NULL);
	s->concurrency = phx_setting(s->concurrency, NULL, "fetch.concurrency", "4");
	s->timeout = phx_setting(s->timeout, NULL, "fetch.timeout", "60");
	s->connect_timeout = phx_setting(s->connect_timeout, NULL, "fetch.connect_timeout", "10");
	s->retries = phx_setting(s->retries, NULL, "fetch.retries", "4");
	s->retry_budget = phx_setting(s->retry_budget, NULL, "fetch.retry_budget", "1000");
	s->ca_file = phx_setting(s->ca_file, NULL, "fetch.ca_file", NULL);
	s->cursor_ttl = phx_setting(NULL, NULL, "fetch.cursor_ttl", "20h");
	s->source = phx_setting(s->source, NULL, "fetch.source", "maricopa");
}

static int parse_options(int argc, char **argv, phx_cli *cli, settings *s)
{
	static const struct option opts[] = {
		{"source", required_argument, NULL, OPT_SOURCE},
		{"zip", required_argument, NULL, OPT_ZIP},
		{"query", required_argument, NULL, OPT_QUERY},
		{"apn", required_argument, NULL, OPT_APN},
		{"url-file", required_argument, NULL, OPT_URL_FILE},
		{"details", no_argument, NULL, OPT_DETAILS},
		{"max-age", required_argument, NULL, OPT_MAX_AGE},
		{"refresh", no_argument, NULL, OPT_REFRESH},
		{"concurrency", required_argument, NULL, OPT_CONCURRENCY},
		{"rate", required_argument, NULL, OPT_RATE},
		{"base-url", required_argument, NULL, OPT_BASE_URL},
		{"ca-file", required_argument, NULL, OPT_CA_FILE},
		{"timeout", required_argument, NULL, OPT_TIMEOUT},
		{"connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT},
		{"retries", required_argument, NULL, OPT_RETRIES},
		{"retry-budget", required_argument, NULL, OPT_RETRY_BUDGET},
		/* PROXY WIRING (options table) */
		{"proxies", no_argument, NULL, OPT_PROXIES},
		{"allow-direct", no_argument, NULL, OPT_ALLOW_DIRECT},
		{"selectors", required_argument, NULL, OPT_SELECTORS},
		{"check-selectors", required_argument, NULL, OPT_CHECK_SELECTORS},
		PHX_COMMON_OPTIONS,
		{NULL, 0, NULL, 0}};
	int c;
	while ((c = getopt_long(argc, argv, PHX_COMMON_SHORT, opts, NULL)) != -1) {
		if (phx_cli_common(cli, c, optarg))
			continue;
		switch (c) {
		case OPT_SOURCE: s->source = optarg; break;
		case OPT_ZIP: s->zips = optarg; break;
		case OPT_QUERY: s->query = optarg; break;
		case OPT_APN: s->apns = optarg; break;
		case OPT_URL_FILE: s->url_file = optarg; break;
		case OPT_DETAILS: s->details = 1; break;
		case OPT_MAX_AGE: s->max_age = optarg; break;
		case OPT_REFRESH: s->refresh = 1; break;
		case OPT_CONCURRENCY: s->concurrency = optarg; break;
		case OPT_RATE: s->rate = optarg; break;
		case OPT_BASE_URL: s->base_url = optarg; break;
		case OPT_CA_FILE: s->ca_file = optarg; break;
		case OPT_TIMEOUT: s->timeout = optarg; break;
		case OPT_CONNECT_TIMEOUT: s->connect_timeout = optarg; break;
		case OPT_RETRIES: s->retries = optarg; break;
		case OPT_RETRY_BUDGET: s->retry_budget = optarg; break;
		case OPT_PROXIES: proxy_flags.proxies = "yes"; break;
		case OPT_ALLOW_DIRECT: proxy_flags.allow_direct = "yes"; break;
		case OPT_SELECTORS: s->selectors = optarg; break;
		case OPT_CHECK_SELECTORS: s->check_url = optarg; break;
		default: phx_usage_error(cli, NULL);
		}
	}
	return optind;
}

static void write_metrics(void)
{
	phx_http_stats st;
	phx_http_stats_get(F.http, &st);
	json_t *m = phx_run_current()->metrics;
	json_object_set_new(m, "requests", json_integer((json_int_t)st.requests));
	json_object_set_new(m, "retries", json_integer((json_int_t)st.retries));
	json_object_set_new(m, "bytes", json_integer((json_int_t)st.bytes));
	json_object_set_new(m, "latency_ms_p50", json_integer(st.latency_p50_ms));
	json_object_set_new(m, "latency_ms_p95", json_integer(st.latency_p95_ms));
	json_object_set_new(m, "latency_ms_avg", json_integer(st.latency_avg_ms));
	json_object_set_new(m, "pages", json_integer((json_int_t)F.pages));
	json_object_set_new(m, "details", json_integer((json_int_t)F.details));
	json_object_set_new(m, "details_skipped", json_integer((json_int_t)F.details_skipped));
	json_object_set_new(m, "skipped_complete", json_integer((json_int_t)F.skipped));
}

static int check_settings(const phx_cli *cli, settings *s)
{
	F.src = phx_source_find(s->source);
	if (strcmp(s->source, "maricopa") != 0 && !F.src)
		phx_usage_error(cli, "--source: unknown source \"%s\" (known: %s)", s->source,
				phx_source_names());
	if ((s->check_url || s->selectors) && (!F.src || !F.src->check))
		phx_usage_error(cli, "--check-selectors and --selectors need --source phoenix_mls");
	if (F.src && (s->apns || s->query || s->details || s->url_file))
		phx_usage_error(cli, "--apn, --query, --details and --url-file are for the "
				"assessor (--source maricopa)");
	if (s->max_age) {
		if (phx_duration_parse(s->max_age, &F.max_age) != 0 || F.max_age < 0)
			phx_usage_error(cli, "--max-age: \"%s\" is not a duration like 90d",
					s->max_age);
		if (!s->details && !s->apns)
			phx_warn("--max-age applies to parcel details (--details or APNs)");
	}
	const char *spec = s->rate ? s->rate : "1000/h:5";
	if (phx_rate_parse(spec, &F.rate, &F.burst) != 0) {
		if (s->rate == rate_flag)
			phx_usage_error(cli, "--rate: \"%s\" is not a rate like 1000/h, 20/s or "
					"60/min:5", spec);
		phx_err("PHX_FETCH_RATE or fetch.rate: \"%s\" is not a rate like 1000/h, 20/s or 60/min:5", spec);
		return PHX_EX_CONFIG;
	}
	int64_t ttl;
	if (phx_duration_parse(s->cursor_ttl, &ttl) != 0) {
		phx_err("fetch.cursor_ttl: \"%s\" is not a duration", s->cursor_ttl);
		return PHX_EX_CONFIG;
	}
	F.cursor_ttl = ttl;
	if (phx_http_hostport(s->base_url, F.api_host, sizeof F.api_host) != 0)
		phx_usage_error(cli, "--base-url: \"%s\" is not an http(s) URL", s->base_url);
	if (s->ca_file && access(s->ca_file, R_OK) != 0) {
		phx_err("%s: %s", s->ca_file, strerror(errno));
		return PHX_EX_CONFIG;
	}
	return 0;
}

static int reads_stdin(int n, char **files)
{
	if (n == 0)
		return 1;
	for (int i = 0; i < n; i++)
		if (strcmp(files[i], "-") == 0)
			return 1;
	return 0;
}

/* The token, unless only URLs of other hosts are fetched. */
static int load_token(const settings *s, char **token)
{
	int err = 0;
	*token = phx_secret("MARICOPA_API_KEY", &err);
	if (err)
		return err;
	int from_flags = s->zips || s->apns || s->query;
	if (!*token && !s->url_file && !F.src && !from_flags && !source_flag) {
		F.token_missing = 1;	/* said at the first assessor request, if any */
		return 0;
	}
	if (!*token && !s->url_file && !F.src) {
		phx_err("MARICOPA_API_KEY is not set (nor MARICOPA_API_KEY_FILE): the assessor "
			"API needs a token");
		return PHX_EX_CONFIG;
	}
	return 0;
}

int main(int argc, char **argv)
{
	phx_cli cli;
	phx_cli_begin(&cli, "phx-fetch", help, "phx-fetch [options] [--zip LIST | FILE...]");
	int first = parse_options(argc, argv, &cli, &F.s);
	int rc = phx_cli_finish(&cli);
	if (rc != 0)
		return rc;
	settings *s = &F.s;
	resolve_settings(s);
	if ((rc = check_settings(&cli, s)) != 0)
		return rc;
	F.base = s->base_url;
	phx_out_init(PHX_FLUSH_EACH);
	char *token = NULL;
	if ((rc = load_token(s, &token)) != 0) {
		phx_run_fail(rc);
		return phx_run_end();
	}
	phx_http_opts o;
	if (engine_options(s, &o, &cli) != 0)
		return PHX_EX_USAGE;
	o.first_alone = !s->url_file;
	if (F.src && F.src->engine)
		F.src->engine(&o, concurrency_flag != NULL);
	if (proxy_setup(&o) != 0)
		return PHX_EX_CONFIG;
	F.http = phx_http_new(&o);
	if (!F.http)
		return PHX_EX_CONFIG;
	phx_fetch_set_http(F.http);
	setup_rates(s);
	phx_source_opts so = { F.http, rate_flag, base_flag, s->selectors, s->refresh,
			       proxy_flags.pool != NULL };
	opened.opts = so;
	if (F.src && source_open(F.src) != 0) {
		F.src->close();
		phx_http_free(F.http);
		return phx_run_end();
	}
	F.api_headers = api_headers(token);
	phx_secret_free(token);
	if (s->details || s->apns || s->max_age)
		F.index = phx_apn_index_open("maricopa-details.idx");

	phx_reader *rd = NULL;
	if (source_flag && !s->zips && !s->query && !s->apns && !s->url_file && first == argc) {
		/* the previous system's cron setting: --source maricopa alone */
		static const char *const zip_env[] = { "TARGET_ZIP_CODES", NULL };
		s->zips = phx_setting(NULL, zip_env, "fetch.zips", NULL);
	}
	int from_flags = s->zips || s->query || s->apns || s->check_url;
	if (s->check_url && (rc = F.src->check(s->check_url)) >= 0)
		phx_run_fail(rc);
	if (s->zips)
		jobs_from_list(s->zips, "zip", "--zip");
	if (s->apns)
		jobs_from_list(s->apns, "apn", "--apn");
	if (s->query) {
		phx_pos pos = { "--query", 1, 0 };
		json_t *req = json_pack("{s:s, s:s}", "source", "maricopa", "query", s->query);
		job *j = job_from_request(req, &pos);
		json_decref(req);
		if (j)
			start_job(j);
	}
	if (s->url_file)
		rd = phx_reader_open((char *const *)&s->url_file, 1, cli.max_line);
	else if (!from_flags)
		rd = phx_reader_open(argv + first, argc - first, cli.max_line);
	int from_stdin = !s->url_file && !from_flags && reads_stdin(argc - first, argv + first);
	run_loop(rd, s->url_file != NULL, from_stdin, (size_t)o.concurrency * 4);
	if (rd) {
		if (phx_reader_io_errors(rd))
			phx_run_fail(PHX_EX_IOERR);
		phx_reader_close(rd);
	}
	write_metrics();
	for (size_t i = 0; i < opened.n; i++) {
		opened.list[i]->metrics(phx_run_current()->metrics);
		opened.list[i]->close();
	}
	phx_http_free(F.http);
	proxy_teardown();
	curl_slist_free_all(F.api_headers);
	phx_apn_index_close(F.index);
	return phx_run_end();
}
