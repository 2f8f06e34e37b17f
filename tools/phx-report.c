/* phx-report - the reports a person reads: the day's collection (--daily),
 * the short morning form (--overnight), the week against the SLA targets
 * (--weekly); as text, HTML, NDJSON or CSV, printed or mailed. Gathering is
 * in lib/report_*.c, the mail in lib/mail_*.c; this file reads options,
 * picks the report and where it goes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>

#include "cli.h"
#include "config.h"
#include "exitcode.h"
#include "jsonpool.h"
#include "log.h"
#include "mail.h"
#include "report.h"
#include "run.h"
#include "store_uri.h"
#include "timeutil.h"

static const char usage_line[] =
	"phx-report [--daily | --overnight | --weekly | --alerts] [DATE]\n"
	"                  [--format text|html|ndjson]\n"
	"                  [--csv] [--mail [--dry-run]] [--db URI] [--now TIME]";

static const char help_text[] =
	"usage: phx-report [--daily | --overnight | --weekly | --alerts] [DATE] [options]\n"
	"The reports a person reads over coffee, from the store (daily_reports and the\n"
	"stored properties) and the state directory's journals (runs, rejects, usage,\n"
	"alerts). Days are Phoenix days (America/Phoenix, UTC-7).\n"
	"\n"
	"Reports:\n"
	"  --daily [DATE]      the day's collection (default today): new, updated,\n"
	"                      unchanged and rejected per source and ZIP, top reject\n"
	"                      codes, new listings and price changes, prices and values\n"
	"                      per ZIP, SLA figures, spend, health; charts of 30 days\n"
	"  --overnight         the last 24 hours, short: runs, rejects, spend, alerts\n"
	"  --weekly [DATE]     the 7 days ending DATE against the runbook's SLA targets\n"
	"                      and the week before (the trend)\n"
	"  --alerts            the alerts of phx-cost and phx-health not mailed yet\n"
	"                      (with --mail: nothing is sent when there are none)\n"
	"\n"
	"Output:\n"
	"  --format FMT        text (default), html (one page, inline SVG, no script),\n"
	"                      ndjson (the whole report as one JSON line)\n"
	"  --csv               the day's new listings and price changes as RFC 4180 CSV\n"
	"  --mail              send the report (text and HTML) to RECIPIENT_EMAILS by\n"
	"                      SMTP; first sends what earlier runs could not (the spool)\n"
	"  --dry-run           with --mail: write the message to stdout, send nothing\n"
	"  --db URI            the store, as phx-store (env PHX_DB, MONGODB_URI)\n"
	"  --now TIME          report as if it were TIME (RFC 3339; tests, replays)\n"
	"  -q, -v, --config FILE, --stats, --help, --version\n"
	"\n"
	"Environment: PHX_STATE_DIR, PHX_DB, MONGODB_URI, MONGODB_DATABASE, PHX_PRICES,\n"
	"SMTP_HOST, SMTP_PORT, SMTP_USERNAME, SMTP_PASSWORD (or SMTP_PASSWORD_FILE),\n"
	"SMTP_TLS (starttls, implicit, none), SMTP_CA_FILE, SENDER_EMAIL,\n"
	"RECIPIENT_EMAILS (a comma list).\n";

enum {
	OPT_DAILY = 0x2000, OPT_OVERNIGHT, OPT_WEEKLY, OPT_ALERTS, OPT_FORMAT, OPT_CSV, OPT_MAIL,
	OPT_DRY, OPT_DB, OPT_NOW
};

static const struct option long_opts[] = {
	{ "daily", no_argument, NULL, OPT_DAILY },
	{ "overnight", no_argument, NULL, OPT_OVERNIGHT },
	{ "weekly", no_argument, NULL, OPT_WEEKLY },
	{ "alerts", no_argument, NULL, OPT_ALERTS },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "csv", no_argument, NULL, OPT_CSV },
	{ "mail", no_argument, NULL, OPT_MAIL },
	{ "dry-run", no_argument, NULL, OPT_DRY },
	{ "db", required_argument, NULL, OPT_DB },
	{ "now", required_argument, NULL, OPT_NOW },
	PHX_COMMON_OPTIONS,
	{ NULL, 0, NULL, 0 }
};

struct options {
	const char *kind, *format, *db, *now, *date;
	int csv, mail, dry;
};

static phx_cli cli;

static void set_kind(struct options *o, const char *kind)
{
	if (o->kind && strcmp(o->kind, kind) != 0)
		phx_usage_error(&cli, "--%s and --%s: choose one report", o->kind, kind);
	o->kind = kind;
}

static void parse_args(int argc, char **argv, struct options *o)
{
	int c;
	while ((c = getopt_long(argc, argv, PHX_COMMON_SHORT, long_opts, NULL)) != -1) {
		if (phx_cli_common(&cli, c, optarg))
			continue;
		switch (c) {
		case OPT_DAILY: set_kind(o, "daily"); break;
		case OPT_OVERNIGHT: set_kind(o, "overnight"); break;
		case OPT_WEEKLY: set_kind(o, "weekly"); break;
		case OPT_ALERTS: set_kind(o, "alerts"); break;
		case OPT_FORMAT: o->format = optarg; break;
		case OPT_CSV: o->csv = 1; break;
		case OPT_MAIL: o->mail = 1; break;
		case OPT_DRY: o->dry = 1; break;
		case OPT_DB: o->db = optarg; break;
		case OPT_NOW: o->now = optarg; break;
		default: phx_usage_error(&cli, NULL);
		}
	}
	if (!o->kind)
		o->kind = "daily";
	if (optind < argc)
		o->date = argv[optind++];
	if (optind < argc)
		phx_usage_error(&cli, "one DATE at most: %s", argv[optind]);
	if (!o->format)
		o->format = "text";
	if (strcmp(o->format, "text") && strcmp(o->format, "html") && strcmp(o->format, "ndjson"))
		phx_usage_error(&cli, "--format: text, html or ndjson, not %s", o->format);
	if (o->dry && !o->mail)
		phx_usage_error(&cli, "--dry-run goes with --mail");
	if (o->csv && o->mail)
		phx_usage_error(&cli, "--csv and --mail: one at a time");
	if (o->csv && strcmp(o->kind, "daily") != 0)
		phx_usage_error(&cli, "--csv lists a day: use it with --daily");
	if (o->date && strcmp(o->kind, "overnight") == 0)
		phx_usage_error(&cli, "--overnight takes no DATE (it is the last 24 hours)");
	if (o->date && strcmp(o->kind, "alerts") == 0)
		phx_usage_error(&cli, "--alerts takes no DATE (it is what was not mailed yet)");
}

static int setup(phx_report_ctx *c, const struct options *o)
{
	static const char *const db_env[] = { "MONGODB_DATABASE", NULL };
	int err = 0;

	c->now = time(NULL);
	if (o->now && phx_time_parse(o->now, &c->now) != 0)
		phx_usage_error(&cli, "--now: not an RFC 3339 time: %s", o->now);
	if (phx_report_set_day(c, o->date) != 0)
		phx_usage_error(&cli, "not a YYYY-MM-DD date: %s", o->date);
	c->uri = phx_store_uri_resolve(o->db, NULL, &err);
	if (!c->uri)
		return PHX_EX_CONFIG;
	c->sopts.database = phx_setting(NULL, db_env, "store.database",
					PHX_STORE_DATABASE_DEFAULT);
	c->sopts.busy_timeout_ms = 10000;
	c->sopts.connect_timeout_ms = 5000;
	c->sopts.op_timeout_ms = 30000;
	c->sopts.read_only = 1;
	return 0;
}

static json_t *gather(phx_report_ctx *c, const char *kind)
{
	if (strcmp(kind, "overnight") == 0)
		return phx_report_overnight(c);
	if (strcmp(kind, "weekly") == 0)
		return phx_report_weekly(c);
	if (strcmp(kind, "alerts") == 0)
		return phx_report_alerts_new(c);
	return phx_report_daily(c);
}

/* The whole report in one go; a reader that went away (EPIPE, `| head`)
 * ends the run quietly, any other failure is 74. */
static int write_out(const phx_buf *b)
{
	size_t done = 0;

	while (done < b->len) {
		ssize_t w = write(STDOUT_FILENO, b->data + done, b->len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EPIPE)
			return 0;
		if (w < 0) {
			phx_err("stdout: %s", strerror(errno));
			return PHX_EX_IOERR;
		}
		done += (size_t)w;
	}
	return 0;
}

static int render(const json_t *m, const struct options *o)
{
	phx_buf b = PHX_BUF_INIT;
	int rc = 0;

	if (o->csv) {
		phx_report_csv(m, &b);
	} else if (strcmp(o->format, "html") == 0) {
		phx_report_html(m, &b);
	} else if (strcmp(o->format, "ndjson") == 0) {
		char *line = json_dumps(m, JSON_COMPACT | JSON_PRESERVE_ORDER);
		phx_buf_adds(&b, line ? line : "{}");
		phx_buf_addc(&b, '\n');
		phx_json_free(line);
	} else {
		phx_report_text(m, &b);
	}
	if (rc == 0)
		rc = write_out(&b);
	phx_buf_free(&b);
	return rc;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	phx_report_ctx c;

	memset(&c, 0, sizeof c);
	phx_cli_begin(&cli, "phx-report", help_text, usage_line);
	parse_args(argc, argv, &o);
	int rc = phx_cli_finish(&cli);
	if (rc == 0)
		rc = setup(&c, &o);
	if (rc == 0) {
		json_t *m = gather(&c, o.kind);
		int alerts = strcmp(o.kind, "alerts") == 0, kept = 0;
		if (o.mail && alerts && json_integer_value(json_object_get(m, "total")) == 0) {
			phx_info("no new alerts: nothing to mail");
			if (!o.dry)	/* what earlier runs spooled still goes */
				rc = phx_mail_report(NULL, c.now, 0, NULL);
		} else if (o.mail) {
			rc = phx_mail_report(m, c.now, o.dry, &kept);
			if (alerts && kept && !o.dry)	/* sent or spooled: mailed once */
				rc = phx_exit_worst(rc, phx_report_alerts_done(m));
		} else {
			rc = render(m, &o);
		}
		phx_run_current()->out += rc == 0;
		json_decref(m);
		rc = phx_exit_worst(rc, c.worst);
	}
	phx_run_fail(rc);
	phx_secret_free((char *)c.uri);
	return phx_run_end();
}
