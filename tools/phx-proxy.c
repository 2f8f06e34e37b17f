/* phx-proxy - keep the proxy pool: import, check, list, hand out, mark, explain. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>

#include "cli.h"
#include "config.h"
#include "exitcode.h"
#include "fetch_proxy.h"
#include "log.h"
#include "output.h"
#include "proxycheck.h"
#include "proxypool.h"
#include "proxysource.h"
#include "run.h"
#include "signals.h"
#include "timeutil.h"
#include "xalloc.h"

static const char usage_line[] =
	"phx-proxy [options] import [--webshare] [--source NAME] [FILE...]\n"
	"       phx-proxy [options] check [--probe URL] [--min-good N] [--parallel N]\n"
	"       phx-proxy [options] list [--all] [--state STATE] [--show-secrets]\n"
	"       phx-proxy [options] next [--show-secrets]\n"
	"       phx-proxy [options] mark URL good|bad --reason TEXT\n"
	"       phx-proxy [options] show URL";

static const char help_text[] =
	"usage: phx-proxy [options] COMMAND [ARGS]\n"
	"Keep the shared proxy pool (scoreboard) that phx-fetch draws from.\n"
	"\n"
	"Commands:\n"
	"  import [FILE...]     merge proxies from files (URLs, or ip:port:user:pass)\n"
	"                       or, with --webshare, from the WebShare API v2\n"
	"  check                probe every proxy through --probe URL, update states,\n"
	"                       one line per proxy; exit 0 OK, 1 WARNING, 2 CRITICAL,\n"
	"                       3 UNKNOWN against --min-good\n"
	"  list                 the pool, one line per proxy (passwords masked)\n"
	"  next                 the next usable proxy URL, round robin\n"
	"  mark URL good|bad    set a proxy's state by hand (needs --reason)\n"
	"  show URL             a proxy's history of state changes\n"
	"\n"
	"Options:\n"
	"  --pool FILE          the scoreboard (default $STATE/proxies.json)\n"
	"  --webshare           import: from the WebShare API (WEBSHARE_API_KEY)\n"
	"  --source NAME        import: name of the source (default file / webshare)\n"
	"  --probe URL          check: URL fetched through each proxy\n"
	"  --min-good N         check: healthy proxies needed for OK (default 1)\n"
	"  --parallel N         check: probes at once (default 16)\n"
	"  --timeout DUR        check: total time per probe (default 15s)\n"
	"  --all                list: include retired proxies\n"
	"  --state STATE        list: only good, dead or unchecked proxies\n"
	"  --show-secrets       list, next: print passwords\n"
	"  --reason TEXT        mark: why (kept in the history)\n"
	"  -q, -v, --config FILE, --rejects FILE, --stats, --help, --version\n";

enum {
	OPT_POOL = 0x2000, OPT_WEBSHARE, OPT_SOURCE, OPT_PROBE, OPT_MIN_GOOD, OPT_PARALLEL,
	OPT_TIMEOUT, OPT_ALL, OPT_STATE, OPT_SHOW_SECRETS, OPT_REASON
};

static const struct option long_opts[] = {
	{ "pool", required_argument, NULL, OPT_POOL },
	{ "webshare", no_argument, NULL, OPT_WEBSHARE },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "probe", required_argument, NULL, OPT_PROBE },
	{ "min-good", required_argument, NULL, OPT_MIN_GOOD },
	{ "parallel", required_argument, NULL, OPT_PARALLEL },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "show-secrets", no_argument, NULL, OPT_SHOW_SECRETS },
	{ "reason", required_argument, NULL, OPT_REASON },
	PHX_COMMON_OPTIONS,
	{ NULL, 0, NULL, 0 }
};

struct options {
	const char *pool, *source, *probe, *min_good, *parallel, *timeout, *state, *reason;
	int webshare, all, show_secrets;
	char **args;
	int nargs;
};

static phx_cli cli;

/* --- small helpers --- */

static int out_json_new(json_t *j)
{
	int rc = phx_out_json(j);
	json_decref(j);
	if (rc == 0)
		phx_run_current()->out++;
	return rc;
}

static int open_pool(phx_pool *pool, const struct options *o, int lock)
{
	char *path = o->pool ? phx_xstrdup(o->pool) : phx_pool_default_path();
	int rc;
	if (!path)
		return PHX_EX_IOERR;
	rc = phx_pool_open(pool, path, lock);
	free(path);
	return rc;
}

static phx_proxy *find_or_complain(phx_pool *pool, const char *url)
{
	phx_proxy *p = phx_pool_find(pool, url);
	if (!p)
		phx_err("%s: no such proxy in %s", url, pool->path);
	return p;
}

/* --- import --- */

static int read_sources(const struct options *o, phx_proxy_list *list)
{
	int rc = 0, err = 0;
	if (o->webshare) {
		phx_webshare_opts wo;
		char *key = phx_secret("WEBSHARE_API_KEY", &err);
		if (!key) {
			if (!err)
				phx_err("--webshare needs WEBSHARE_API_KEY or WEBSHARE_API_KEY_FILE");
			return PHX_EX_CONFIG;
		}
		phx_webshare_opts_default(&wo);
		wo.api_key = key;
		rc = phx_source_webshare(&wo, list);
		phx_secret_free(key);
		return rc;
	}
	if (o->nargs == 0)
		return phx_source_read_file("-", list);
	for (int i = 0; i < o->nargs && rc == 0; i++)
		rc = phx_source_read_file(o->args[i], list);
	return rc;
}

static int cmd_import(const struct options *o)
{
	phx_proxy_list list = { 0 };
	phx_pool pool;
	phx_run *run = phx_run_current();
	const char *source = o->source ? o->source : o->webshare ? "webshare" : "file";
	size_t added = 0, updated = 0, retired = 0, nread;
	int rc = read_sources(o, &list);
	nread = list.n;
	run->in += list.n + list.bad + list.invalid;
	run->dropped += list.invalid;
	if (rc != 0) {
		/* A partial list would retire good proxies: merge nothing. */
		phx_proxy_list_free(&list);
		return rc;
	}
	rc = open_pool(&pool, o, 1);
	if (rc == 0) {
		phx_pool_merge(&pool, list.v, list.n, source, time(NULL), &added, &updated,
			       &retired);
		list.n = 0;	/* taken over by the pool */
		rc = phx_pool_save(&pool);
	}
	if (rc == 0) {
		json_t *j = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "source", source,
				      "read", (json_int_t)nread, "added", (json_int_t)added,
				      "updated", (json_int_t)updated, "retired", (json_int_t)retired,
				      "invalid", (json_int_t)list.invalid,
				      "rejected", (json_int_t)list.bad, "pool", (json_int_t)pool.n);
		phx_out_json(j);
		json_decref(j);
		run->out += nread;
	}
	phx_pool_close(&pool);
	phx_proxy_list_free(&list);
	return rc;
}

/* --- check --- */

static void apply_probe(phx_pool *pool, const char *key, const phx_probe_result *r,
			const char *probe, time_t now)
{
	phx_proxy *p = phx_pool_find(pool, key);
	phx_proxy_why why = { r->status, r->verdict == PHX_VERDICT_BAN ? r->why : NULL, probe,
			      "check" };
	if (!p || !r->done)
		return;
	if (r->verdict == PHX_VERDICT_OK)
		phx_pool_success(pool, p, &why, r->latency_ms, now);
	else if (r->verdict == PHX_VERDICT_BAN)
		phx_pool_failure(pool, p, &why, now);
	p->last_checked = now;
	p->bytes_up += r->bytes_up;
	p->bytes_down += r->bytes_down;
}

static json_t *probe_line(const phx_proxy *p, const char *was, const phx_probe_result *r)
{
	json_t *j = json_object();
	phx_buf url = PHX_BUF_INIT;
	static const char *const verdicts[] = { "ok", "ban", "neutral" };
	phx_proxy_url(p, 0, &url);
	json_object_set_new(j, "proxy", json_string(url.data));
	phx_buf_free(&url);
	json_object_set_new(j, "state", json_string(phx_proxy_state_name(p->state)));
	json_object_set_new(j, "was", json_string(was));
	json_object_set_new(j, "verdict", json_string(r->done ? verdicts[r->verdict] : "not run"));
	json_object_set_new(j, "status", r->status > 0 ? json_integer(r->status) : json_null());
	json_object_set_new(j, "latency_ms", r->done ? json_integer(r->latency_ms) : json_null());
	json_object_set_new(j, "detail", json_string(r->why));
	return j;
}

static int check_settings(const struct options *o, phx_probe_opts *po, long long *min_good)
{
	static const char *const penv[] = { "PHX_PROXY_PROBE_URL", NULL };
	long long par = 16;
	int64_t tmo = 15;
	const char *t;
	memset(po, 0, sizeof *po);
	po->probe_url = phx_setting(o->probe, penv, "proxy.probe_url", "https://ipv4.webshare.io/");
	*min_good = 1;
	if (o->min_good && phx_parse_int("--min-good", o->min_good, 0, 1000000, min_good) != 0)
		return PHX_EX_USAGE;
	if (o->parallel && phx_parse_int("--parallel", o->parallel, 1, 1000, &par) != 0)
		return PHX_EX_USAGE;
	t = phx_setting(o->timeout, NULL, "proxy.check_timeout", NULL);
	if (t && (phx_duration_parse(t, &tmo) != 0 || tmo < 1 || tmo > 3600)) {
		phx_err("--timeout: not a duration between 1s and 1h: %s", t);
		return PHX_EX_USAGE;
	}
	po->parallel = (int)par;
	po->timeout_ms = (long)tmo * 1000;
	po->connect_timeout_ms = po->timeout_ms < 5000 ? po->timeout_ms : 5000;
	return 0;
}

static void note_bytes(const char *key, long long bytes)
{
	json_t *extra = json_pack("{s:s}", "proxy", key);
	if (bytes > 0 && phx_usage("webshare", "proxy_bytes", bytes, extra) != 0)
		phx_run_fail(PHX_EX_IOERR);
	json_decref(extra);
}

/* Probe without holding the lock (it takes seconds), then write the
 * results into a fresh read of the pool. */
static int cmd_check(const struct options *o)
{
	phx_probe_opts po;
	phx_ban_rules rules;
	phx_pool pool;
	long long min_good, good = 0;
	size_t n = 0;
	char **urls, **keys;
	phx_probe_result *res;
	int rc = check_settings(o, &po, &min_good);
	if (rc != 0)
		return PHX_MP_UNKNOWN;
	if (open_pool(&pool, o, 0) != 0)
		return PHX_MP_UNKNOWN;
	urls = phx_xcalloc(pool.n + 1, sizeof *urls);
	keys = phx_xcalloc(pool.n + 1, sizeof *keys);
	for (size_t i = 0; i < pool.n; i++) {
		phx_buf u = PHX_BUF_INIT, k = PHX_BUF_INIT;
		if (pool.v[i].retired)
			continue;
		phx_proxy_url(&pool.v[i], 1, &u);
		phx_proxy_key(&pool.v[i], &k);
		urls[n] = phx_buf_steal(&u);
		keys[n++] = phx_buf_steal(&k);
	}
	phx_pool_close(&pool);
	phx_ban_rules_load(&rules);
	po.rules = &rules;
	res = phx_xcalloc(n + 1, sizeof *res);
	rc = phx_proxy_probe_all(&po, urls, n, res) == 0 ? 0 : PHX_MP_UNKNOWN;
	if (rc == 0 && open_pool(&pool, o, 1) == 0) {
		time_t now = time(NULL);
		const char **was = phx_xcalloc(n + 1, sizeof *was);
		for (size_t i = 0; i < n; i++) {
			phx_proxy *p = phx_pool_find(&pool, keys[i]);
			was[i] = p ? phx_proxy_state_name(p->state) : "gone";
			apply_probe(&pool, keys[i], &res[i], po.probe_url, now);
		}
		if (phx_pool_save(&pool) != 0)
			rc = PHX_MP_UNKNOWN;
		phx_pool_unlock(&pool);
		for (size_t i = 0; i < n; i++) {
			phx_proxy *p = phx_pool_find(&pool, keys[i]);
			phx_run_current()->in++;
			if (p)
				out_json_new(probe_line(p, was[i], &res[i]));
			if (p && res[i].done)
				note_bytes(keys[i], res[i].bytes_up + res[i].bytes_down);
		}
		for (size_t i = 0; i < pool.n; i++)
			good += !pool.v[i].retired && pool.v[i].state == PHX_PROXY_GOOD;
		free(was);
		phx_pool_close(&pool);
	} else if (rc == 0) {
		rc = PHX_MP_UNKNOWN;
	}
	for (size_t i = 0; i < n; i++) {
		explicit_bzero(urls[i], strlen(urls[i]));
		free(urls[i]);
		free(keys[i]);
	}
	free(urls);
	free(keys);
	free(res);
	phx_ban_rules_free(&rules);
	if (rc != 0)
		return rc;
	json_object_set_new(phx_run_current()->metrics, "good", json_integer(good));
	if (good >= min_good) {
		phx_info("OK: %lld of %zu proxies good (minimum %lld)", good, n, min_good);
		return PHX_MP_OK;
	}
	phx_warn("%s: %lld of %zu proxies good (minimum %lld)", good > 0 ? "WARNING" : "CRITICAL",
		 good, n, min_good);
	return good > 0 ? PHX_MP_WARNING : PHX_MP_CRITICAL;
}

/* --- list, next, mark, show --- */

static int cmd_list(const struct options *o)
{
	phx_pool pool;
	phx_proxy_state want = PHX_PROXY_GOOD;
	int rc;
	if (o->state && phx_proxy_state_parse(o->state, &want) != 0)
		phx_usage_error(&cli, "--state: one of good, dead, unchecked");
	rc = open_pool(&pool, o, 0);
	for (size_t i = 0; rc == 0 && i < pool.n; i++) {
		const phx_proxy *p = &pool.v[i];
		if ((p->retired && !o->all) || (o->state && p->state != want))
			continue;
		if (out_json_new(phx_proxy_summary(p, o->show_secrets)) != 0)
			break;
	}
	phx_pool_close(&pool);
	return rc;
}

static int cmd_next(const struct options *o)
{
	phx_pool pool;
	phx_proxy *p;
	int rc = open_pool(&pool, o, 1);
	if (rc == 0) {
		p = phx_pool_next(&pool, NULL, NULL);
		if (!p) {
			phx_err("no usable proxy in %s", pool.path);
			rc = PHX_EX_TEMPFAIL;
		} else {
			phx_buf url = PHX_BUF_INIT;
			phx_proxy_url(p, o->show_secrets, &url);
			rc = phx_pool_save(&pool);	/* the cursor moved */
			if (rc == 0 && phx_out_line(url.data, url.len) == 0)
				phx_run_current()->out++;
			explicit_bzero(url.data, url.len);
			phx_buf_free(&url);
		}
	}
	phx_pool_close(&pool);
	return rc;
}

static int cmd_mark(const struct options *o)
{
	phx_pool pool;
	phx_proxy *p;
	phx_proxy_state to;
	int rc;
	if (o->nargs != 2 || (strcmp(o->args[1], "good") != 0 && strcmp(o->args[1], "bad") != 0))
		phx_usage_error(&cli, "mark needs a proxy URL and good or bad");
	if (!o->reason || !*o->reason)
		phx_usage_error(&cli, "mark needs --reason TEXT");
	to = strcmp(o->args[1], "good") == 0 ? PHX_PROXY_GOOD : PHX_PROXY_DEAD;
	rc = open_pool(&pool, o, 1);
	if (rc == 0 && !(p = find_or_complain(&pool, o->args[0]))) {
		rc = PHX_EX_DATAERR;
	} else if (rc == 0) {
		phx_proxy_why why = { 0, NULL, NULL, o->reason };
		time_t now = time(NULL);
		if (to == PHX_PROXY_GOOD) {
			phx_pool_set_state(&pool, p, PHX_PROXY_GOOD, &why, now);
			p->failures = 0;
		} else {
			phx_pool_failure(&pool, p, &why, now);
		}
		rc = phx_pool_save(&pool);
		if (rc == 0)
			out_json_new(phx_proxy_summary(p, 0));
	}
	phx_pool_close(&pool);
	return rc;
}

static int cmd_show(const struct options *o)
{
	phx_pool pool;
	phx_proxy *p;
	int rc;
	if (o->nargs != 1)
		phx_usage_error(&cli, "show needs one proxy URL");
	rc = open_pool(&pool, o, 0);
	if (rc == 0 && !(p = find_or_complain(&pool, o->args[0]))) {
		rc = PHX_EX_DATAERR;
	} else if (rc == 0) {
		phx_buf url = PHX_BUF_INIT;
		size_t i;
		json_t *e;
		phx_proxy_url(p, 0, &url);
		json_array_foreach(p->history, i, e) {
			json_t *line = json_pack("{s:s}", "proxy", url.data);
			json_object_update(line, e);
			if (out_json_new(line) != 0)
				break;
		}
		phx_buf_free(&url);
	}
	phx_pool_close(&pool);
	return rc;
}

/* --- main --- */

static void parse_args(int argc, char **argv, struct options *o)
{
	int c;
	while ((c = getopt_long(argc, argv, PHX_COMMON_SHORT, long_opts, NULL)) != -1) {
		if (phx_cli_common(&cli, c, optarg))
			continue;
		switch (c) {
		case OPT_POOL: o->pool = optarg; break;
		case OPT_WEBSHARE: o->webshare = 1; break;
		case OPT_SOURCE: o->source = optarg; break;
		case OPT_PROBE: o->probe = optarg; break;
		case OPT_MIN_GOOD: o->min_good = optarg; break;
		case OPT_PARALLEL: o->parallel = optarg; break;
		case OPT_TIMEOUT: o->timeout = optarg; break;
		case OPT_ALL: o->all = 1; break;
		case OPT_STATE: o->state = optarg; break;
		case OPT_SHOW_SECRETS: o->show_secrets = 1; break;
		case OPT_REASON: o->reason = optarg; break;
		default: phx_usage_error(&cli, NULL);
		}
	}
	if (optind >= argc)
		phx_usage_error(&cli, "a command is needed");
	o->args = argv + optind + 1;
	o->nargs = argc - optind - 1;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	const char *cmd;
	int rc, mp;
	phx_cli_begin(&cli, "phx-proxy", help_text, usage_line);
	parse_args(argc, argv, &o);
	cmd = argv[optind];
	rc = phx_cli_finish(&cli);
	if (rc != 0) {
		phx_run_fail(rc);
		return phx_run_end();
	}
	phx_out_init(PHX_FLUSH_EACH);
	mp = strcmp(cmd, "check") == 0;
	if (o.nargs > 0 && strcmp(cmd, "import") != 0 && strcmp(cmd, "mark") != 0 &&
	    strcmp(cmd, "show") != 0)
		phx_usage_error(&cli, "%s takes no operands", cmd);
	if (strcmp(cmd, "import") == 0)
		rc = cmd_import(&o);
	else if (mp)
		rc = cmd_check(&o);
	else if (strcmp(cmd, "list") == 0)
		rc = cmd_list(&o);
	else if (strcmp(cmd, "next") == 0)
		rc = cmd_next(&o);
	else if (strcmp(cmd, "mark") == 0)
		rc = cmd_mark(&o);
	else if (strcmp(cmd, "show") == 0)
		rc = cmd_show(&o);
	else
		phx_usage_error(&cli, "unknown command: %s", cmd);
	if (mp) {
		/* Monitoring Plugins codes; the run journal still gets its line. */
		int end = phx_run_end();
		if (phx_stop_requested())
			return phx_stop_exit_code();
		return end == PHX_EX_IOERR ? PHX_MP_UNKNOWN : rc;
	}
	if (rc != 0)
		phx_run_fail(rc);
	return phx_run_end();
}
