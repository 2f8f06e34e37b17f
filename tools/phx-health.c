/* phx-health - the morning check: asks every service phx needs, in parallel
 * and within a timeout each, and answers as a Monitoring Plugin (status
 * line, perfdata, exit 0-3), as NDJSON, as a Prometheus textfile, and with
 * a heartbeat to an outside dead man's switch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "exitcode.h"
#include "health.h"
#include "health_output.h"
#include "health_ping.h"
#include "log.h"
#include "output.h"
#include "redact.h"
#include "run.h"
#include "signals.h"
#include "state.h"
#include "timeutil.h"
#include "xalloc.h"

static const char usage_line[] =
	"phx-health [-w LABEL=RANGE,...] [-c LABEL=RANGE,...] [--check NAME,...] [--json]\n"
	"                  [--prometheus DIR] [--ping URL] [--emergency] [--alert] [--timeout DUR]";

static const char help_text[] =
	"usage: phx-health [options]\n"
	"Ask every service phx needs whether it works, all at once, each within a\n"
	"timeout, and print the result as a Monitoring Plugin: one status line with\n"
	"perfdata, then one line per check. Exit 0 OK, 1 WARNING, 2 CRITICAL,\n"
	"3 UNKNOWN (the worst check). A check whose service is not configured is\n"
	"skipped and says so; it counts only when asked for with --check.\n"
	"\n"
	"Checks:\n"
	"  store    the SQLite file passes quick_check, or MongoDB answers ping\n"
	"  llm      the LLM server lists the configured model (GET /api/tags)\n"
	"  proxies  good, dead and unchecked proxies of the pool\n"
	"  sources  the assessor accepts the token; the MLS site's robots.txt answers\n"
	"  runs     the run journal: last successful runs and the SLA figures\n"
	"  budget   month-to-date, today's and forecast spend against the limits\n"
	"  host     load per CPU, memory, disk use of the state and database dirs\n"
	"\n"
	"Options:\n"
	"  -w, --warning LABEL=RANGE,...   warning ranges (e.g. runs.success=95:)\n"
	"  -c, --critical LABEL=RANGE,...  critical ranges; RANGE is 10, 10:, ~:10,\n"
	"                       10:20 or @10:20 (Monitoring Plugins); labels below\n"
	"  --check NAME,...     run only these checks\n"
	"  --json               one NDJSON line per check, then a summary line\n"
	"  --prometheus DIR     also write DIR/phx_health.prom (textfile collector)\n"
	"  --ping URL           heartbeat: URL/start before, URL or URL/<exit> after;\n"
	"                       a receiver that is down never fails the check\n"
	"  --emergency          every detail, and the runbook's next step for each\n"
	"                       failing check\n"
	"  --alert              append an alert line per failing check to\n"
	"                       $PHX_STATE_DIR/alerts.ndjson\n"
	"  --timeout DUR        per check (default 5s); all checks run in parallel\n"
	"  --window DUR         runs: the SLA window (default 24h)\n"
	"  -q, -v, --config FILE, --help, --version\n"
	"\n"
	"Labels and default ranges (warning / critical):\n";

enum {
	OPT_CHECK = 0x2000, OPT_JSON, OPT_PROMETHEUS, OPT_PING, OPT_EMERGENCY, OPT_ALERT,
	OPT_TIMEOUT, OPT_WINDOW
};

static const struct option long_opts[] = {
	{ "warning", required_argument, NULL, 'w' },
	{ "critical", required_argument, NULL, 'c' },
	{ "check", required_argument, NULL, OPT_CHECK },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "prometheus", required_argument, NULL, OPT_PROMETHEUS },
	{ "ping", required_argument, NULL, OPT_PING },
	{ "emergency", no_argument, NULL, OPT_EMERGENCY },
	{ "alert", no_argument, NULL, OPT_ALERT },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "window", required_argument, NULL, OPT_WINDOW },
	PHX_COMMON_OPTIONS,
	{ NULL, 0, NULL, 0 }
};

struct options {
	const char *check, *prometheus, *ping, *timeout, *window;
	const char *warn[32], *crit[32];
	size_t nwarn, ncrit;
	int json, emergency, alert;
};

/* --help: the fixed text, then every metric with its default ranges. */
static char *build_help(void)
{
	phx_buf b = PHX_BUF_INIT;
	size_t n;
	phx_health_check *cs = phx_health_checks(&n);
	phx_buf_adds(&b, help_text);
	for (size_t i = 0; i < n; i++)
		for (const phx_health_metric_def *d = cs[i].metrics; d && d->label; d++)
			phx_buf_printf(&b, "  %-22s %-9s %-9s %s\n", d->label,
				       d->warn ? d->warn : "-", d->crit ? d->crit : "-", d->what);
	return phx_buf_steal(&b);
}

/* --check a,b: mark those selected; 0, or -1 naming the unknown one. */
static int select_checks(const char *list, char *err, size_t errn)
{
	size_t n;
	phx_health_check *cs = phx_health_checks(&n);
	const char *p = list;

	for (size_t i = 0; i < n; i++)
		cs[i].selected = list == NULL;
	while (list) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char name[32];
		phx_health_check *c;
		if (len == 0 || len >= sizeof name) {
			snprintf(err, errn, "--check: empty or too long name");
			return -1;
		}
		memcpy(name, p, len);
		name[len] = '\0';
		if (!(c = phx_health_find(name))) {
			snprintf(err, errn, "--check: no check named '%s' (see --help)", name);
			return -1;
		}
		c->selected = 1;
		if (!comma)
			break;
		p = comma + 1;
	}
	return 0;
}

static int seconds_opt(const char *arg, long long dflt, long long *out)
{
	int64_t s;
	if (!arg) {
		*out = dflt;
		return 0;
	}
	if (phx_duration_parse(arg, &s) != 0 || s < 1)
		return -1;
	*out = (long long)s;
	return 0;
}

/* --alert: one line per failing check, the shape phx-cost writes. */
static void write_alerts(phx_health_check *cs, size_t n, int named)
{
	char path[4096], at[PHX_TIME_LEN];
	phx_time_format(time(NULL), at);
	if (phx_state_path(path, sizeof path, "alerts.ndjson") != 0)
		return;
	for (size_t i = 0; i < n; i++) {
		phx_health_check *c = &cs[i];
		phx_buf line = PHX_BUF_INIT, raw = PHX_BUF_INIT;
		if (!phx_health_counts(c, named) || c->r.state == PHX_MP_OK ||
		    (c->r.state != PHX_MP_WARNING && c->r.state != PHX_MP_CRITICAL))
			continue;
		phx_buf_printf(&raw, "{\"phx\":\"alert\",\"tool\":\"phx-health\",\"at\":\"%s\","
			       "\"key\":\"health.%s\",\"state\":\"%s\",\"message\":", at, c->name,
			       phx_mp_state_name(c->r.state));
		phx_buf_add_json_string(&raw, c->r.message.data ? c->r.message.data : "",
					c->r.message.len);
		phx_buf_adds(&raw, "}\n");
		phx_redact_append(&line, raw.data, raw.len);
		if (phx_append_line(path, line.data, line.len, 0600) != 0)
			phx_warn("%s: cannot append the alert", path);
		phx_buf_free(&line);
		phx_buf_free(&raw);
	}
}

static void parse_options(int argc, char **argv, phx_cli *cli, struct options *o)
{
	int c;
	while ((c = getopt_long(argc, argv, PHX_COMMON_SHORT "w:c:", long_opts, NULL)) != -1) {
		if (phx_cli_common(cli, c, optarg))
			continue;
		switch (c) {
		case 'w':
			if (o->nwarn >= 32)
				phx_usage_error(cli, "too many -w");
			o->warn[o->nwarn++] = optarg;
			break;
		case 'c':
			if (o->ncrit >= 32)
				phx_usage_error(cli, "too many -c");
			o->crit[o->ncrit++] = optarg;
			break;
		case OPT_CHECK: o->check = optarg; break;
		case OPT_JSON: o->json = 1; break;
		case OPT_PROMETHEUS: o->prometheus = optarg; break;
		case OPT_PING: o->ping = optarg; break;
		case OPT_EMERGENCY: o->emergency = 1; break;
		case OPT_ALERT: o->alert = 1; break;
		case OPT_TIMEOUT: o->timeout = optarg; break;
		case OPT_WINDOW: o->window = optarg; break;
		default: phx_usage_error(cli, NULL);
		}
	}
	if (optind < argc)
		phx_usage_error(cli, "unexpected argument '%s'", argv[optind]);
}

static void setup_ctx(phx_cli *cli, const struct options *o, phx_health_ctx *ctx)
{
	char err[256];
	long long t;

	memset(ctx, 0, sizeof *ctx);
	if (seconds_opt(o->timeout, PHX_HEALTH_TIMEOUT_MS / 1000, &t) != 0 || t > 60)
		phx_usage_error(cli, "--timeout: a duration from 1s to 60s");
	ctx->timeout_ms = (long)t * 1000;
	if (seconds_opt(o->window, 24 * 3600, &ctx->window_s) != 0)
		phx_usage_error(cli, "--window: a duration such as 24h");
	for (size_t i = 0; i < o->nwarn; i++)
		if (phx_health_parse_spec(ctx, o->warn[i], 0, err, sizeof err) != 0)
			phx_usage_error(cli, "-w %s", err);
	for (size_t i = 0; i < o->ncrit; i++)
		if (phx_health_parse_spec(ctx, o->crit[i], 1, err, sizeof err) != 0)
			phx_usage_error(cli, "-c %s", err);
	if (select_checks(o->check, err, sizeof err) != 0)
		phx_usage_error(cli, "%s", err);
	ctx->now = time(NULL);
	ctx->verbose = cli->verbosity > 1;
	ctx->state_dir = phx_state_dir();
}

int main(int argc, char **argv)
{
	phx_cli cli;
	struct options o;
	phx_health_ctx ctx;
	phx_health_report rp;
	phx_buf out = PHX_BUF_INIT;
	char *help = build_help();
	char sfx[16];
	int abandoned = 0, rc, state = PHX_MP_OK;
	int64_t t0 = phx_mono_ms();
	size_t n;
	phx_health_check *cs = phx_health_checks(&n);

	memset(&o, 0, sizeof o);
	phx_cli_begin(&cli, "phx-health", help, usage_line);
	parse_options(argc, argv, &cli, &o);
	if ((rc = phx_cli_finish(&cli)) != 0)
		return rc;
	setup_ctx(&cli, &o, &ctx);
	if (o.ping)
		phx_health_ping(o.ping, "/start", NULL);
	phx_health_run(cs, n, &ctx, &abandoned);
	for (size_t i = 0; i < n; i++)
		if (phx_health_counts(&cs[i], o.check != NULL))
			state = phx_mp_worst(state, cs[i].r.state);
	memset(&rp, 0, sizeof rp);
	rp.checks = cs;
	rp.n = n;
	rp.ctx = &ctx;
	rp.state = state;
	rp.details = o.emergency || ctx.verbose;
	rp.emergency = o.emergency;
	rp.ms = phx_mono_ms() - t0;
	if (o.json)
		phx_health_json(&rp, &out);
	else
		phx_health_text(&rp, &out);
	fwrite(out.data, 1, out.len, stdout);
	fflush(stdout);
	if (o.prometheus) {
		phx_buf prom = PHX_BUF_INIT;
		phx_health_prometheus(&rp, ctx.now, &prom);
		if (phx_health_prometheus_write(o.prometheus, &prom) != 0)
			phx_warn("%s/phx_health.prom: cannot write it", o.prometheus);
		phx_buf_free(&prom);
	}
	if (o.alert)
		write_alerts(cs, n, o.check != NULL);
	if (o.ping)
		phx_health_ping(o.ping, phx_health_ping_suffix(state, sfx), NULL);
	phx_run_current()->out = n;
	rc = phx_run_end();
	if (abandoned)
		_exit(rc > PHX_MP_UNKNOWN ? rc : state);	/* a hung thread still runs */
	phx_health_free(cs, n);
	phx_buf_free(&out);
	free(ctx.ov);
	free(help);
	return rc > PHX_MP_UNKNOWN ? rc : state;
}
