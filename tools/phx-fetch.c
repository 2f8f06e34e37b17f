/* phx-fetch - fetch property records from the Maricopa County Assessor API,
 * the Phoenix MLS site (lib/source_mls.c), or any URLs, politely:
 * rate-limited, retried, resumable. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "cli.h"
#include "config.h"
#include "exitcode.h"
#include "fetch_proxy.h"
#include "http.h"
#include "jsonpool.h"
#include "log.h"
#include "maricopa.h"
#include "output.h"
#include "ratelimit.h"
#include "reject.h"
#include "run.h"
#include "signals.h"
#include "source.h"
#include "timeutil.h"
#include "xalloc.h"
#include "xmlpool.h"

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

static struct {
	settings s;
	phx_http *http;
	char api_host[300];
	double rate, burst;		/* --rate, or the assessor's default */
	int64_t halt_at, max_age;
	const phx_source *src;		/* --source */
} F;

/* ---- where requests come from ---- */

/* Sources, set up when a request first names one. */
static struct {
	const phx_source *list[8];
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

static void finish_sources(void)
{
	for (size_t i = 0; i < opened.n; i++)
		opened.list[i]->close();
	opened.n = 0;
}

/* A request object to its source: the one it names; a url member (with no
 * source, or the assessor's, or an unknown one) is the generic mode; no
 * source at all is --source. */
static void dispatch(json_t *req, const phx_pos *pos)
{
	const char *name = json_string_value(json_object_get(req, "source"));
	const phx_source *src = name ? phx_source_find(name) : F.src;
	if (src == &phx_source_url)
		src = NULL;	/* not a name a request gives */
	if ((!src || src == &phx_source_maricopa) && json_is_string(json_object_get(req, "url")))
		src = &phx_source_url;
	if (!src) {
		char why[256];
		snprintf(why, sizeof why, "unknown source \"%s\" (known: %s)", name,
			 phx_source_names());
		phx_run_current()->in++;
		if (phx_reject(pos, "request.bad_source", why, NULL, 0, 0, req, 0, NULL) != 0)
			phx_fetch_fatal(PHX_EX_IOERR);
		return;
	}
	if (source_open(src) == 0)
		src->start(req, pos);
	else
		phx_run_current()->in++;	/* the error is said; the run stops */
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
		dispatch(req, &pos);
		json_decref(req);
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
		json_t *req = json_pack("{s:s%}", "url", ln->data, n);
		dispatch(req, &ln->pos);
		json_decref(req);
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
	dispatch(req, &ln->pos);
	json_decref(req);
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
	phx_source_maricopa.metrics(m);	/* its counters are in every summary */
	for (size_t i = 0; i < opened.n; i++)
		if (opened.list[i] != &phx_source_maricopa)
			opened.list[i]->metrics(m);
}

static int check_settings(const phx_cli *cli, settings *s)
{
	F.src = phx_source_find(s->source);
	if (!F.src || F.src == &phx_source_url)
		phx_usage_error(cli, "--source: unknown source \"%s\" (known: %s)", s->source,
				phx_source_names());
	if ((s->check_url || s->selectors) && (!F.src || !F.src->check))
		phx_usage_error(cli, "--check-selectors and --selectors need --source phoenix_mls");
	if (F.src != &phx_source_maricopa && (s->apns || s->query || s->details || s->url_file))
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

int main(int argc, char **argv)
{
	/* before any jansson value or libxml2 call: records and MLS pages are
	 * thousands of small allocations each */
	phx_json_pool_enable();
	phx_xml_pool_enable();
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
	phx_out_init(PHX_FLUSH_EACH);
	phx_http_opts o;
	if (engine_options(s, &o, &cli) != 0)
		return PHX_EX_USAGE;
	o.first_alone = !s->url_file;
	if (F.src->engine)
		F.src->engine(&o, concurrency_flag != NULL);
	if (proxy_setup(&o) != 0)
		return PHX_EX_CONFIG;
	F.http = phx_http_new(&o);
	if (!F.http)
		return PHX_EX_CONFIG;
	phx_fetch_set_http(F.http);
	setup_rates(s);
	phx_source_opts so = { F.http, rate_flag, base_flag, s->selectors, s->refresh,
			       proxy_flags.pool != NULL, s->details, F.max_age,
			       s->details || s->apns || s->max_age };
	opened.opts = so;

	phx_reader *rd = NULL;
	if (source_flag && !s->zips && !s->query && !s->apns && !s->url_file && first == argc) {
		/* the previous system's cron setting: --source NAME alone */
		static const char *const zip_env[] = { "TARGET_ZIP_CODES", NULL };
		s->zips = phx_setting(NULL, zip_env, "fetch.zips", NULL);
	}
	int from_flags = s->zips || s->query || s->apns || s->check_url;
	/* the source of the run is set up first, unless only input names sources */
	if ((from_flags || source_flag || F.src != &phx_source_maricopa) && !s->url_file &&
	    source_open(F.src) != 0) {
		finish_sources();
		phx_http_free(F.http);
		proxy_teardown();
		return phx_run_end();
	}
	if (s->check_url && (rc = F.src->check(s->check_url)) >= 0)
		phx_run_fail(rc);
	if (s->zips)
		jobs_from_list(s->zips, "zip", "--zip");
	if (s->apns)
		jobs_from_list(s->apns, "apn", "--apn");
	if (s->query) {
		phx_pos pos = { "--query", 1, 0 };
		json_t *req = json_pack("{s:s, s:s}", "source", "maricopa", "query", s->query);
		dispatch(req, &pos);
		json_decref(req);
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
	finish_sources();
	phx_http_free(F.http);
	proxy_teardown();
	return phx_run_end();
}
