/* phx-health - the morning check: every service and the recent runs against
 * the runbook's thresholds, as a Monitoring Plugin, NDJSON, a Prometheus
 * textfile and a heartbeat. The checks live in lib/health_*.c; this file
 * reads options, picks the checks, runs them and prints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>

#include "cli.h"
#include "exitcode.h"
#include "health.h"
#include "health_checks.h"
#include "health_output.h"
#include "health_ping.h"
#include "jsonpool.h"
#include "log.h"
#include "output.h"
#include "redact.h"
#include "run.h"
#include "state.h"
#include "timeutil.h"

static const char usage_line[] =
	"phx-health [-w LABEL=RANGE,...] [-c LABEL=RANGE,...] [--check NAME,...]\n"
	"                  [--json] [--prometheus DIR] [--ping URL] [--emergency] [--alert]";

static const char help_text[] =
	"usage: phx-health [options]\n"
	"Ask every service phx depends on, and read the recent runs, against the\n"
	"runbook's thresholds. One status line with perfdata, then one line per check;\n"
	"exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (the worst check decides).\n"
	"\n"
	"Checks (all by default, in parallel, each within --timeout):\n"
	"  store     the SQLite file passes quick_check, or MongoDB answers ping\n"
	"  llm       the LLM server answers and lists the configured model\n"
	"  proxies   good, dead and unchecked proxies of the pool\n"
	"  sources   the assessor accepts the token; the MLS site's robots.txt answers\n"
	"  runs      last successful runs (26 h dead man's switch) and the SLA figures\n"
	"  budget    month-to-date, today's and forecast spend (phx-cost's ledger)\n"
	"  host      load per CPU, memory, disk use of the state and database dirs\n"
	"A check whose service is not configured is skipped (UNKNOWN, not counted\n"
	"unless named with --check).\n"
	"\n"
	"Options:\n"
	"  -w, --warning LABEL=RANGE[,...]   warning range of a metric (e.g.\n"
	"                      runs.success=90:), Monitoring Plugins syntax:\n"
	"                      10, 10:, ~:10, 10:20, @10:20\n"
	"  -c, --critical LABEL=RANGE[,...]  critical range of a metric\n"
	"  --check NAME,...    run only these checks\n"
	"  --timeout DUR       time per check (default 5s)\n"
	"  --window DUR        the runs check's SLA window (default 24h)\n"
	"  --json              one NDJSON line per check, then a summary line\n"
	"  --prometheus DIR    also write DIR/phx_health.prom (node_exporter textfile)\n"
	"  --ping URL          heartbeat: URL/start before, URL or URL/STATUS after\n"
	"  --emergency         every check, with details and the runbook's next step\n"
	"  --alert             append failing checks to $STATE/alerts.ndjson\n"
	"  --metrics           list every metric with its default ranges\n"
	"  -q, -v, --config FILE, --help, --version\n"
	"\n"
	"Environment: PHX_STATE_DIR, PHX_DB / MONGODB_URI, MARICOPA_API_KEY,\n"
	"MARICOPA_BASE_URL, PHOENIX_MLS_BASE_URL, OLLAMA_URL, LLM_MODEL.\n";

enum {
	OPT_CHECK = 0x2000, OPT_TIMEOUT, OPT_WINDOW, OPT_JSON, OPT_PROMETHEUS, OPT_PING,
	OPT_EMERGENCY, OPT_ALERT, OPT_METRICS
};

static const struct option long_opts[] = {
	{ "warning", required_argument, NULL, 'w' },
	{ "critical", required_argument, NULL, 'c' },
	{ "check", required_argument, NULL, OPT_CHECK },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "prometheus", required_argument, NULL, OPT_PROMETHEUS },
	{ "ping", required_argument, NULL, OPT_PING },
	{ "emergency", no_argument, NULL, OPT_EMERGENCY },
	{ "alert", no_argument, NULL, OPT_ALERT },
	{ "metrics", no_argument, NULL, OPT_METRICS },
	PHX_COMMON_OPTIONS,
	{ NULL, 0, NULL, 0 }
};

struct options {
	const char *only, *prometheus, *ping;
	int json, emergency, alert, metrics;
};

static phx_cli cli;
static phx_health_ctx ctx;

static void add_spec(const char *spec, int crit)
{
	char err[256];
	if (phx_health_parse_spec(&ctx, spec, crit, err, sizeof err) != 0)
		phx_usage_error(&cli, "%s %s: %s", crit ? "-c" : "-w", spec, err);
}

static int64_t duration_ms(const char *what, const char *arg, int64_t max_s)
{
	int64_t s;
	if (phx_duration_parse(arg, &s) != 0 || s <= 0 || s > max_s)
		phx_usage_error(&cli, "%s: not a duration up to %llds: %s", what,
				(long long)max_s, arg);
	return s * 1000;
}

static void parse_args(int argc, char **argv, struct options *o)
{
	int c;
	while ((c = getopt_long(argc, argv, "w:c:" PHX_COMMON_SHORT, long_opts, NULL)) != -1) {
		if (phx_cli_common(&cli, c, optarg))
			continue;
		switch (c) {
		case 'w': add_spec(optarg, 0); break;
		case 'c': add_spec(optarg, 1); break;
		case OPT_CHECK: o->only = optarg; break;
		case OPT_TIMEOUT: ctx.timeout_ms = (long)duration_ms("--timeout", optarg, 60); break;
		case OPT_WINDOW:
			ctx.window_s = duration_ms("--window", optarg, 400LL * 86400) / 1000;
			break;
		case OPT_JSON: o->json = 1; break;
		case OPT_PROMETHEUS: o->prometheus = optarg; break;
		case OPT_PING: o->ping = optarg; break;
		case OPT_EMERGENCY: o->emergency = 1; break;
		case OPT_ALERT: o->alert = 1; break;
		case OPT_METRICS: o->metrics = 1; break;
		default: phx_usage_error(&cli, NULL);
		}
	}
	if (optind < argc)
		phx_usage_error(&cli, "no operands expected: %s", argv[optind]);
}

/* Mark the checks to run: all, or those named (each must exist). */
static int select_checks(phx_health_check *checks, size_t n, const char *only)
{
	if (!only) {
		for (size_t i = 0; i < n; i++)
			checks[i].selected = 1;
		return 0;
	}
	char *list = strdup(only), *save = NULL;
	if (!list)
		return -1;
	for (char *name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		phx_health_check *c = phx_health_find(name);
		if (!c) {	/* the name is printed from only: list is freed first */
			size_t at = (size_t)(name - list), len = strlen(name);
			free(list);
			phx_usage_error(&cli, "--check: no check named %.*s", (int)len, only + at);
		}
		c->selected = 1;
	}
	free(list);
	return 0;
}

static void print_metrics(phx_health_check *checks, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (const phx_health_metric_def *d = checks[i].metrics; d && d->label; d++)
			printf("%-22s %-4s warn %-10s crit %-10s %s\n", d->label, d->uom,
			       d->warn ? d->warn : "-", d->crit ? d->crit : "-", d->what);
}

/* One alert line per failing check (the shape phx-cost writes and
 * phx-report mails). */
static void append_alerts(phx_health_check *checks, size_t n)
{
	char path[4096], at[PHX_TIME_LEN];
	if (phx_state_path(path, sizeof path, "alerts.ndjson") != 0)
		return;
	phx_time_now(at);
	for (size_t i = 0; i < n; i++) {
		const phx_health_check *c = &checks[i];
		if (!c->selected || c->r.skipped || c->r.state == PHX_MP_OK)
			continue;
		char key[64];
		snprintf(key, sizeof key, "health.%s", c->name);
		char *msg = phx_redact_dup(c->r.message.data ? c->r.message.data : "");
		json_t *a = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "phx", "alert",
				      "tool", "phx-health", "at", at, "key", key, "state",
				      phx_mp_state_name(c->r.state), "message", msg);
		free(msg);
		char *line = a ? json_dumps(a, JSON_COMPACT) : NULL;
		if (!line || phx_append_line(path, line, strlen(line), 0644) != 0)
			phx_warn("could not append an alert to %s", path);
		phx_json_free(line);
		json_decref(a);
	}
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	size_t n;
	phx_health_check *checks = phx_health_checks(&n);
	int abandoned = 0;
	char suffix[16];

	phx_cli_begin(&cli, "phx-health", help_text, usage_line);
	ctx.timeout_ms = PHX_HEALTH_TIMEOUT_MS;
	ctx.window_s = 24 * 3600;
	parse_args(argc, argv, &o);
	int rc = phx_cli_finish(&cli);
	if (rc != 0)
		return PHX_MP_UNKNOWN;
	if (o.metrics) {
		print_metrics(checks, n);
		return 0;
	}
	if (o.emergency)
		ctx.verbose = 1;
	else
		ctx.verbose = cli.verbosity > 1;
	ctx.now = time(NULL);
	ctx.state_dir = phx_state_dir();
	select_checks(checks, n, o.only);
	if (o.ping)
		phx_health_ping(o.ping, "/start", NULL);

	int64_t t0 = phx_mono_ms();
	phx_health_report rp = { checks, n, &ctx, PHX_MP_OK, ctx.verbose, o.emergency, 0 };
	phx_health_run(checks, n, &ctx, &abandoned);
	rp.ms = phx_mono_ms() - t0;
	for (size_t i = 0; i < n; i++)
		if (phx_health_counts(&checks[i], o.only != NULL))
			rp.state = phx_mp_worst(rp.state, checks[i].r.state);

	phx_buf out = PHX_BUF_INIT;
	if (o.json)
		phx_health_json(&rp, &out);
	else
		phx_health_text(&rp, &out);
	fwrite(out.data ? out.data : "", 1, out.len, stdout);
	if (fflush(stdout) != 0 || ferror(stdout))
		rp.state = PHX_MP_UNKNOWN;
	phx_buf_free(&out);
	if (o.prometheus) {
		phx_buf prom = PHX_BUF_INIT;
		phx_health_prometheus(&rp, ctx.now, &prom);
		if (phx_health_prometheus_write(o.prometheus, &prom) != 0) {
			phx_err("cannot write %s/phx_health.prom: %m", o.prometheus);
			rp.state = phx_mp_worst(rp.state, PHX_MP_UNKNOWN);
		}
		phx_buf_free(&prom);
	}
	if (o.alert)
		append_alerts(checks, n);
	if (o.ping)
		phx_health_ping(o.ping, phx_health_ping_suffix(rp.state, suffix),
				NULL);
	/* the run summary: the state is the answer, not the run's fate */
	json_object_set_new(phx_run_current()->metrics, "state",
			    json_string(phx_mp_state_name(rp.state)));
	json_object_set_new(phx_run_current()->metrics, "ms", json_integer(rp.ms));
	phx_run_answer(rp.state);
	(void)phx_run_end();
	if (abandoned)
		_exit(rp.state);	/* a check thread may still hold its socket */
	phx_health_free(checks, n);
	free(ctx.ov);
	return rp.state;
}
