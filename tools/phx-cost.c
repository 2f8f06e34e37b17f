/* phx-cost - what the collection spends, held against the budget: prices
 * the usage journal (usage.ndjson) into the persisted ledger and answers
 * from it. The ledger, prices and sums live in lib/cost_*.c; this file reads
 * options, brings the ledger up to date, and picks the answer. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cost_alerts.h"
#include "cost_check.h"
#include "cost_ledger.h"
#include "cost_recommend.h"
#include "cost_report.h"
#include "cost_view.h"
#include "exitcode.h"
#include "log.h"
#include "run.h"
#include "timeutil.h"
#include "xalloc.h"

static const char usage_line[] =
	"phx-cost [--json] [--gate | --check [-w RANGE] [-c RANGE] | --remaining |\n"
	"                --detailed | --monthly-report[=YYYY-MM] | --recommend]\n"
	"                [--prices FILE] [--at TIME] [--properties N] [FILE|-]...";

static const char help_text[] =
	"usage: phx-cost [options] [FILE|-]...\n"
	"Price what the collection spent (the usage journal usage.ndjson in the state\n"
	"directory, or usage lines from FILE or stdin '-') and hold it against the\n"
	"budget. By default: month to date (spend, budget, % used, remaining), today\n"
	"against the daily limits, cost per stored property, the forecast month-end\n"
	"spend, by service and by category, each flagged OK, WARNING or CRITICAL.\n"
	"Months and days are Phoenix time (UTC-7).\n"
	"\n"
	"Answers (one at a time):\n"
	"  --gate              exit 75 when the month, today or the forecast is past\n"
	"                      its critical limit (one line on stderr says why), else 0\n"
	"  --check             Monitoring Plugins status line with perfdata; exit 0 OK,\n"
	"                      1 WARNING, 2 CRITICAL, 3 UNKNOWN\n"
	"  -w, --warning [LABEL=]RANGE[,...]   with --check: warning range; LABEL is\n"
	"                      month, today, forecast or property (no LABEL: month and\n"
	"                      forecast); ranges: 10, 10:, ~:10, 10:20, @10:20 (dollars)\n"
	"  -c, --critical [LABEL=]RANGE[,...]  with --check: critical range\n"
	"  --remaining         what is left today and this month, in dollars and in\n"
	"                      units at the prices in effect today\n"
	"  --detailed          by tool, source, ZIP and day\n"
	"  --monthly-report[=YYYY-MM]  the report of a month (default: the last one)\n"
	"  --recommend         savings found in the ledger, each with dollars a month\n"
	"Options:\n"
	"  --json              NDJSON instead of text\n"
	"  --prices FILE       the price file (default: $PHX_PRICES, config cost.prices,\n"
	"                      ~/.config/phx/prices.conf, else the shipped one)\n"
	"  --at TIME           answer as of TIME (RFC 3339) instead of now\n"
	"  --properties N      the stored properties (default: count the store)\n"
	"  --no-alerts         do not append threshold alerts to $STATE/alerts.ndjson\n"
	"  -q, -v, --config FILE, --help, --version\n"
	"\n"
	"Environment: PHX_STATE_DIR, PHX_PRICES, PHX_DB / MONGODB_URI (the store).\n";

enum {
	OPT_JSON = 0x2000, OPT_GATE, OPT_CHECK, OPT_REMAINING, OPT_DETAILED, OPT_MONTHLY,
	OPT_RECOMMEND, OPT_PRICES, OPT_AT, OPT_PROPERTIES, OPT_NO_ALERTS
};

static const struct option long_opts[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ "gate", no_argument, NULL, OPT_GATE },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "warning", required_argument, NULL, 'w' },
	{ "critical", required_argument, NULL, 'c' },
	{ "remaining", no_argument, NULL, OPT_REMAINING },
	{ "detailed", no_argument, NULL, OPT_DETAILED },
	{ "monthly-report", optional_argument, NULL, OPT_MONTHLY },
	{ "recommend", no_argument, NULL, OPT_RECOMMEND },
	{ "prices", required_argument, NULL, OPT_PRICES },
	{ "at", required_argument, NULL, OPT_AT },
	{ "properties", required_argument, NULL, OPT_PROPERTIES },
	{ "no-alerts", no_argument, NULL, OPT_NO_ALERTS },
	PHX_COMMON_OPTIONS,
	{ NULL, 0, NULL, 0 }
};

enum mode { M_REPORT, M_GATE, M_CHECK, M_REMAINING, M_DETAILED, M_MONTHLY, M_RECOMMEND };

struct options {
	enum mode mode;
	int json, no_alerts, have_at;
	const char *prices, *month, *warn[16], *crit[16];
	int nwarn, ncrit;
	time_t at;
	long long properties;	/* -1: ask the store */
};

static phx_cli cli;

static void set_mode(struct options *o, enum mode m, const char *flag)
{
	if (o->mode != M_REPORT && o->mode != m)
		phx_usage_error(&cli, "%s: only one of --gate, --check, --remaining, --detailed, "
			       "--monthly-report, --recommend", flag);
	o->mode = m;
}

static int is_month(const char *s)
{
	int y, m, d;
	char day[16];
	if (strlen(s) != 7)
		return 0;
	snprintf(day, sizeof day, "%s-01", s);
	return phx_date_parse(day, &y, &m, &d) == 0;
}

static void add_range(struct options *o, const char *arg, int crit)
{
	const char **set = crit ? o->crit : o->warn;
	int *n = crit ? &o->ncrit : &o->nwarn;
	if (*n == 16)
		phx_usage_error(&cli, "too many %s options", crit ? "-c" : "-w");
	set[(*n)++] = arg;
}

static void parse_args(int argc, char **argv, struct options *o)
{
	int c;
	char *end;
	while ((c = getopt_long(argc, argv, "w:c:" PHX_COMMON_SHORT, long_opts, NULL)) != -1) {
		if (phx_cli_common(&cli, c, optarg))
			continue;
		switch (c) {
		case OPT_JSON: o->json = 1; break;
		case OPT_GATE: set_mode(o, M_GATE, "--gate"); break;
		case OPT_CHECK: set_mode(o, M_CHECK, "--check"); break;
		case 'w': add_range(o, optarg, 0); break;
		case 'c': add_range(o, optarg, 1); break;
		case OPT_REMAINING: set_mode(o, M_REMAINING, "--remaining"); break;
		case OPT_DETAILED: set_mode(o, M_DETAILED, "--detailed"); break;
		case OPT_MONTHLY:
			set_mode(o, M_MONTHLY, "--monthly-report");
			if (optarg && !is_month(optarg))
				phx_usage_error(&cli, "--monthly-report: not a month YYYY-MM: %s", optarg);
			o->month = optarg;
			break;
		case OPT_RECOMMEND: set_mode(o, M_RECOMMEND, "--recommend"); break;
		case OPT_PRICES: o->prices = optarg; break;
		case OPT_AT:
			if (phx_time_parse(optarg, &o->at) != 0)
				phx_usage_error(&cli, "--at: not an RFC 3339 time: %s", optarg);
			o->have_at = 1;
			break;
		case OPT_PROPERTIES:
			errno = 0;
			o->properties = strtoll(optarg, &end, 10);
			if (errno || end == optarg || *end || o->properties < 0)
				phx_usage_error(&cli, "--properties: not a count: %s", optarg);
			break;
		case OPT_NO_ALERTS: o->no_alerts = 1; break;
		default: phx_usage_error(&cli, NULL);
		}
	}
	/* --monthly-report 2026-11 (a separate word) as well as =2026-11 */
	if (o->mode == M_MONTHLY && !o->month && optind < argc && is_month(argv[optind]))
		o->month = argv[optind++];
	if ((o->nwarn || o->ncrit) && o->mode != M_CHECK)
		phx_usage_error(&cli, "-w and -c go with --check");
}

/* Usage lines from file operands ('-' = stdin) into a ledger of this run
 * only: nothing is remembered. */
static int read_operands(phx_cost_ledger *l, const phx_prices *p, char **files, int n)
{
	int rc = 0;
	phx_cost_ledger_init(l);
	for (int i = 0; i < n; i++) {
		int std = strcmp(files[i], "-") == 0;
		int fd = std ? 0 : open(files[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			phx_err("%s: %s", files[i], strerror(errno));
			rc = -1;
			continue;
		}
		/* warnings number the lines of each file from 1 */
		unsigned long long before = l->lines;
		l->lines = 0;
		if (phx_cost_ledger_read(l, fd, std ? "-" : files[i], 1) < 0)
			rc = -1;
		l->lines += before;
		if (!std)
			close(fd);
	}
	phx_cost_ledger_price(l, p, "");
	return rc;
}

/* The instant the monthly report is summarized at: the last second of the
 * month asked for (the previous one by default), or now for this month. */
static time_t month_end(const struct options *o, time_t now)
{
	time_t start, next;
	phx_phoenix_month(now, &start, &next);
	if (!o->month)
		return start - 1;
	int y = (int)strtol(o->month, NULL, 10), m = (int)strtol(o->month + 5, NULL, 10);
	if (phx_phoenix_midnight(y, m, 1) > now)
		phx_usage_error(&cli, "--monthly-report: %s has not begun", o->month);
	time_t end = phx_phoenix_midnight(y, m + 1, 1) - 1;
	return end > now ? now : end;
}

static int write_out(phx_buf *out)
{
	if (out->len && fwrite(out->data, 1, out->len, stdout) != out->len)
		return -1;
	return fflush(stdout) != 0 || ferror(stdout) ? -1 : 0;
}

/* Exit status when the answer could not be given at all. */
static int failed(const struct options *o, int code)
{
	if (o->mode == M_CHECK) {
		printf("COST UNKNOWN - %s\n", code == PHX_EX_CONFIG ? "the price file is unusable"
			: "the cost ledger cannot be read or updated");
		return PHX_MP_UNKNOWN;
	}
	if (o->mode == M_GATE)
		phx_err("gate closed: no spending figures (exit %d): no collection without a gate",
			code);
	return code;
}

/* The run summary (conventions 4). A check's state and the gate's verdict
 * are the answer asked for, not the run's fate; a check exits with its state
 * even when the summary cannot be written. */
static int finish(const struct options *o, int status)
{
	static const char *const names[] = { "report", "gate", "check", "remaining",
					     "detailed", "monthly-report", "recommend" };
	if (o->mode == M_CHECK ||
	    (o->mode == M_GATE && (status == 0 || status == PHX_EX_TEMPFAIL)))
		phx_run_answer(status);
	else
		phx_run_fail(status);
	json_object_set_new(phx_run_current()->metrics, "mode", json_string(names[o->mode]));
	int rc = phx_run_end();
	return o->mode == M_CHECK ? status : rc;
}

/* The answer asked for, on stdout; returns the exit status. */
static int cost(struct options *o, int argc, char **argv)
{
	phx_prices p;
	phx_cost_ledger l;
	phx_cost_view v;
	char err[256];

	time_t now = o->have_at ? o->at : time(NULL);
	if (phx_prices_load(o->prices, &p) != 0)
		return failed(o, PHX_EX_CONFIG);
	memset(&v, 0, sizeof v);
	phx_cost_view_ranges(&v, &p);
	for (int i = 0; i < o->nwarn + o->ncrit; i++) {
		int crit = i >= o->nwarn;
		const char *spec = crit ? o->crit[i - o->nwarn] : o->warn[i];
		char *copy = phx_xstrdup(spec), *save = NULL;
		for (char *one = strtok_r(copy, ",", &save); one; one = strtok_r(NULL, ",", &save))
			if (phx_cost_view_override(&v, one, crit, err, sizeof err) != 0) {
				free(copy);
				phx_usage_error(&cli, "%s %s: %s", crit ? "-c" : "-w", spec, err);
			}
		free(copy);
	}
	/* usage errors above, before anything is read or written */
	time_t at = o->mode == M_MONTHLY ? month_end(o, now) : now;
	int from_files = optind < argc;
	if (from_files ? read_operands(&l, &p, argv + optind, argc - optind) != 0
		       : phx_cost_ledger_update(&p, now, &l) != 0) {
		phx_cost_ledger_free(&l);
		phx_prices_free(&p);
		return failed(o, PHX_EX_IOERR);
	}
	long long props = o->properties;
	if (props < 0 && o->mode != M_GATE && o->mode != M_REMAINING && o->mode != M_DETAILED)
		props = phx_cost_store_count(v.store_note, sizeof v.store_note);
	else if (props < 0)
		snprintf(v.store_note, sizeof v.store_note, "not asked");
	else
		snprintf(v.store_note, sizeof v.store_note, "--properties");
	phx_cost_view_compute(&v, &l, &p, at, props);

	phx_buf out = PHX_BUF_INIT;
	int status = 0;
	switch (o->mode) {
	case M_REPORT: phx_cost_report(&v, o->json, &out); break;
	case M_GATE: status = phx_cost_gate(&v); break;
	case M_CHECK: status = phx_cost_check(&v, &out); break;
	case M_REMAINING: phx_cost_remaining(&v, o->json, &out); break;
	case M_DETAILED: phx_cost_detailed(&v, &l, o->json, &out); break;
	case M_MONTHLY: phx_cost_monthly(&v, &l, o->json, &out); break;
	case M_RECOMMEND: phx_cost_recommend(&v, &l, o->json, &out); break;
	}
	/* alerts belong to the journal of the state directory and to the month
	 * as it stands now (not a past month's report, not a file operand) */
	if (!from_files && !o->no_alerts && o->mode != M_MONTHLY)
		phx_cost_alerts(&v);
	if (write_out(&out) != 0 && errno != EPIPE) {	/* a reader gone away is no error */
		phx_err("stdout: %s", strerror(errno));
		status = o->mode == M_CHECK ? PHX_MP_UNKNOWN : PHX_EX_IOERR;
	}
	phx_buf_free(&out);
	phx_cost_view_free(&v);
	phx_cost_ledger_free(&l);
	phx_prices_free(&p);
	return status;
}

int main(int argc, char **argv)
{
	struct options o = { .mode = M_REPORT, .properties = -1 };

	phx_cli_begin(&cli, "phx-cost", help_text, usage_line);
	parse_args(argc, argv, &o);
	int rc = phx_cli_finish(&cli);
	if (rc != 0)
		return o.mode == M_CHECK ? PHX_MP_UNKNOWN : rc;
	return finish(&o, cost(&o, argc, argv));
}
