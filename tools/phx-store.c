/* phx-store - merge property records into the store (SQLite by default,
 * MongoDB at scale), and the store's maintenance: index, prune, export,
 * import, stats, report. Options and orchestration only: the work is in
 * lib/store_load.c (loading), lib/merge.c, lib/store_*.c. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "config.h"
#include "exitcode.h"
#include "jsonpool.h"
#include "log.h"
#include "merge.h"
#include "ndjson.h"
#include "output.h"
#include "redact.h"
#include "reject.h"
#include "run.h"
#include "signals.h"
#include "spool.h"
#include "state.h"
#include "store.h"
#include "store_csv.h"
#include "store_import.h"
#include "store_load.h"
#include "store_stats.h"
#include "store_uri.h"
#include "timeutil.h"
#include "xalloc.h"

static const char usage_line[] =
	"phx-store [load] [--db URI] [--batch N] [options] [FILE...]\n"
	"       phx-store index | prune --older-than AGE [--delete] [--dry-run] |\n"
	"                 export [--zip Z] [--since T] [--format csv] | import [FILE...] | stats | report";
static const char help_text[] =
	"Usage: phx-store [COMMAND] [OPTIONS] [FILE...]\n"
	"Merge property records (NDJSON) into one stored document per property, and\n"
	"look after the store. Commands:\n"
	"  load (default)       store records; one result line per record on stdout\n"
	"  index                ensure the indexes the queries need\n"
	"  prune                archive (or delete) properties not seen for a while\n"
	"  export               stored documents as NDJSON on stdout\n"
	"  import               restore stored documents from an export\n"
	"  stats                counts by ZIP, source, freshness; price and value per ZIP\n"
	"  report               the day's entry of daily_reports\n"
	"\n"
	"  --db URI             database: a path or sqlite:PATH (default\n"
	"                       $XDG_DATA_HOME/phx/phoenix.db), or mongodb://...,\n"
	"                       mongodb+srv://... (env PHX_DB, MONGODB_URI, MONGODB_URL)\n"
	"  --batch N            records per transaction or bulk write\n"
	"                       (default 100 for SQLite, 1000 for MongoDB)\n"
	"  --retries N          tries of a failed batch before spooling (default 5)\n"
	"  --busy-timeout MS    SQLite: wait this long for a lock (default 10000)\n"
	"  --older-than AGE     prune: not seen for AGE (90d, 12h, ...)\n"
	"  --delete             prune: delete instead of archiving\n"
	"  --dry-run            prune: only count\n"
	"  --zip ZIP            export: only this ZIP\n"
	"  --since TIME         export: only documents seen at or after TIME (RFC 3339)\n"
	"  --format ndjson|csv  export: stored documents (default), or one CSV row per\n"
	"                       property with a header line (RFC 4180)\n"
	"  --date YYYY-MM-DD    report: that day (default today, America/Phoenix)\n"
	"  --now TIME           prune, stats: measure ages from TIME (default now)\n"
	"  --max-line BYTES     longest input line (default 16 MiB)\n"
	"  --rejects FILE       rejects here ('-' = stderr) instead of the dead-letter file\n"
	"  --stats              print the run summary to stderr\n"
	"  --config FILE        config file (default $XDG_CONFIG_HOME/phx/phx.conf)\n"
	"  -q, --quiet          errors only      -v, --verbose  more detail\n"
	"  -h, --help           this help        --version      version\n"
	"\n"
	"Exit: 0 all stored, 1 some rejected, 64 usage, 69 database refused the work,\n"
	"74 I/O error, 75 database unreachable (records spooled), 78 configuration.\n"
	"See phx-store(1).\n";

enum {
	OPT_DB = 1, OPT_BATCH, OPT_RETRIES, OPT_BUSY, OPT_OLDER, OPT_DELETE, OPT_DRY,
	OPT_ZIP, OPT_SINCE, OPT_DATE, OPT_NOW, OPT_FORMAT
};

static const struct option long_opts[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "batch", required_argument, NULL, OPT_BATCH },
	{ "retries", required_argument, NULL, OPT_RETRIES },
	{ "busy-timeout", required_argument, NULL, OPT_BUSY },
	{ "older-than", required_argument, NULL, OPT_OLDER },
	{ "delete", no_argument, NULL, OPT_DELETE },
	{ "dry-run", no_argument, NULL, OPT_DRY },
	{ "zip", required_argument, NULL, OPT_ZIP },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "date", required_argument, NULL, OPT_DATE },
	{ "now", required_argument, NULL, OPT_NOW },
	{ "format", required_argument, NULL, OPT_FORMAT },
	PHX_COMMON_OPTIONS,
	{ NULL, 0, NULL, 0 }
};

struct options {
	const char *db, *batch, *retries, *busy, *older, *zip, *since, *date, *now, *format;
	int del, dry;
};

/* Everything a command needs, resolved from flags, env, config. */
struct ctx {
	phx_cli cli;
	struct options o;
	char *uri;
	phx_store_options sopts;
	phx_load_options lopts;
	time_t now;
	char date[16];
};

static long long setting_int(const char *flag, const char *env, const char *key,
			     const char *def, long long min, long long max, int *rc)
{
	const char *const envs[] = { env, NULL };
	const char *v = phx_setting(flag, envs, key, def);
	long long out = 0;

	if (phx_parse_int(key, v, min, max, &out) != 0)
		*rc = flag ? PHX_EX_USAGE : PHX_EX_CONFIG;
	return out;
}

/* flag > PHX_DB > MONGODB_URI(_FILE) > MONGODB_URL(_FILE) > config > default. */
static int resolve_db(struct ctx *c)
{
	int err = 0;

	c->uri = phx_store_uri_resolve(c->o.db, NULL, &err);
	return c->uri ? 0 : PHX_EX_CONFIG;
}

static int resolve(struct ctx *c)
{
	static const char *const db_env[] = { "MONGODB_DATABASE", NULL };
	int rc = 0;

	if (resolve_db(c) != 0)
		return PHX_EX_CONFIG;
	c->sopts.database = phx_setting(NULL, db_env, "store.database",
					PHX_STORE_DATABASE_DEFAULT);
	c->sopts.busy_timeout_ms = setting_int(c->o.busy, "PHX_STORE_BUSY_TIMEOUT",
					       "store.busy_timeout", "10000", 1, 3600000, &rc);
	c->sopts.connect_timeout_ms = setting_int(NULL, "PHX_STORE_CONNECT_TIMEOUT",
						  "store.connect_timeout", "5000", 1, 600000, &rc);
	c->sopts.op_timeout_ms = setting_int(NULL, "PHX_STORE_OP_TIMEOUT", "store.op_timeout",
					     "30000", 1, 3600000, &rc);
	/* SQLite: small transactions keep a batch's documents in the CPU's
	 * cache (1000 took half again the CPU of 100); MongoDB: large bulk
	 * writes save round trips. */
	c->lopts.batch = (size_t)setting_int(c->o.batch, "PHX_STORE_BATCH", "store.batch",
					     strncmp(c->uri, "mongodb", 7) == 0 ? "1000" : "100",
					     1, 100000, &rc);
	c->lopts.retries = (int)setting_int(c->o.retries, "PHX_STORE_RETRIES", "store.retries",
					    "5", 0, 100, &rc);
	c->lopts.backoff_ms = setting_int(NULL, "PHX_STORE_BACKOFF", "store.backoff",
					  "200", 1, 600000, &rc);
	c->lopts.backoff_max_ms = setting_int(NULL, "PHX_STORE_BACKOFF_MAX",
					      "store.backoff_max", "5000", 1, 3600000, &rc);
	c->now = time(NULL);
	if (c->o.now && phx_time_parse(c->o.now, &c->now) != 0) {
		phx_err("--now: not an RFC 3339 time: %s", c->o.now);
		return PHX_EX_USAGE;
	}
	phx_phoenix_date(c->now, c->date);
	if (c->o.date) {
		int y, m, d;
		if (phx_date_parse(c->o.date, &y, &m, &d) != 0) {
			phx_err("--date: not a YYYY-MM-DD date: %s", c->o.date);
			return PHX_EX_USAGE;
		}
		snprintf(c->date, sizeof c->date, "%s", c->o.date);
	}
	c->lopts.date = c->date;
	return rc;
}

static int db_failed(const char *what, const phx_store_error *err)
{
	phx_err("%s: %s (%s %d)", what, err->message, err->domain, err->code);
	if (strcmp(err->domain, "store") == 0 && !err->transient)
		return PHX_EX_CONFIG;
	return err->transient ? PHX_EX_TEMPFAIL : PHX_EX_UNAVAILABLE;
}

/* Open, retrying with backoff while the failure is a passing one. */
static phx_store *open_retrying(struct ctx *c, phx_store_error *err)
{
	long wait = c->lopts.backoff_ms;
	phx_store *s;
	int tries;

	for (tries = 0; ; tries++) {
		s = phx_store_open(c->uri, &c->sopts, err);
		if (s || !err->transient || tries >= c->lopts.retries || phx_stop_requested())
			return s;
		phx_info("%s; retry %d of %d in %ld ms", err->message, tries + 1,
			 c->lopts.retries, wait);
		phx_sleep_ms(wait);
		wait = wait * 2 > c->lopts.backoff_max_ms ? c->lopts.backoff_max_ms : wait * 2;
	}
}

static phx_store *open_store(struct ctx *c, int read_only, int *rc)
{
	phx_store_error err;
	phx_store *s;

	c->sopts.read_only = read_only;
	s = open_retrying(c, &err);
	if (!s) {
		char *shown = phx_redact_dup(c->uri);
		*rc = db_failed(shown, &err);
		free(shown);
	}
	return s;
}

/* The main job: spool first, then the input. */
/* The documents this run wrote, to the usage journal: a hosted database
 * tier may price them (phx-cost's price file, "store documents_written"). */
static void note_usage(const phx_store *s, const json_t *metrics)
{
	long long n = json_integer_value(json_object_get(metrics, "inserted")) +
		      json_integer_value(json_object_get(metrics, "updated"));
	json_t *extra;

	if (n <= 0)
		return;
	extra = json_pack("{s:s}", "backend", s ? phx_store_kind(s) : "none");
	phx_usage("store", "documents_written", n, extra);
	json_decref(extra);
}

static int cmd_load(struct ctx *c, char **files, int nfiles)
{
	phx_store_error err;
	char *shown = phx_redact_dup(c->uri);
	phx_store *s = open_retrying(c, &err);
	phx_spool *spool = phx_spool_new(shown);
	const char *replay = NULL;
	char **all;
	int n = 0, i, rc = 0;
	phx_loader *l;
	phx_reader *r;
	phx_line line;

	if (!s) {
		rc = db_failed(shown, &err);
		if (!err.transient || !spool) {
			free(shown);
			phx_spool_free(spool);
			return rc;
		}
	}
	free(shown);
	if (s && spool)
		replay = phx_spool_claim(spool);
	all = phx_xcalloc((size_t)nfiles + 3, sizeof *all);
	if (replay) {
		phx_info("replaying the spool %s first", replay);
		all[n++] = (char *)replay;
		if (nfiles == 0)
			all[n++] = "-";
	}
	for (i = 0; i < nfiles; i++)
		all[n++] = files[i];
	l = phx_loader_new(s, spool, &c->lopts);
	r = phx_reader_open(all, n, c->cli.max_line);
	while (!phx_stop_requested() && !phx_out_closed() && !phx_out_failed() &&
	       phx_reader_next(r, &line) == 1)
		if (phx_loader_line(l, &line) != 0)
			break;
	rc = phx_exit_worst(rc, phx_loader_finish(l));
	if (phx_reader_io_errors(r))
		rc = phx_exit_worst(rc, PHX_EX_DATAERR);
	phx_reader_close(r);
	if (spool && replay && !phx_stop_requested() && !phx_out_closed())
		phx_spool_done(spool);	/* read to its end: confirmed or spooled again */
	json_object_update(phx_run_current()->metrics, phx_loader_metrics(l));
	note_usage(s, phx_run_current()->metrics);
	phx_loader_free(l);
	phx_spool_free(spool);
	phx_store_close(s);
	free(all);
	return rc;
}

static int cmd_index(struct ctx *c)
{
	phx_store_error err;
	int rc = 0;
	phx_store *s = open_store(c, 0, &rc);
	json_t *out, *e;
	size_t i;

	if (!s)
		return rc;
	out = phx_store_ensure_indexes(s, &err);
	if (!out)
		rc = db_failed(phx_store_display(s), &err);
	json_array_foreach(out, i, e)
		phx_out_json(e);
	json_decref(out);
	phx_store_close(s);
	return rc;
}

static int cmd_prune(struct ctx *c)
{
	phx_store_error err;
	int64_t age;
	char cutoff[PHX_TIME_LEN];
	long long count = 0;
	int rc = 0;
	phx_store *s;
	phx_prune_mode mode = c->o.dry ? PHX_PRUNE_COUNT
				       : c->o.del ? PHX_PRUNE_DELETE : PHX_PRUNE_ARCHIVE;
	json_t *out;

	if (!c->o.older)
		phx_usage_error(&c->cli, "prune needs --older-than AGE");
	if (phx_duration_parse(c->o.older, &age) != 0 || age <= 0)
		phx_usage_error(&c->cli, "--older-than: not a duration: %s", c->o.older);
	phx_time_format(c->now - (time_t)age, cutoff);
	s = open_store(c, 0, &rc);
	if (!s)
		return rc;
	if (phx_store_prune(s, cutoff, mode, &count, &err) != 0) {
		rc = db_failed(phx_store_display(s), &err);
	} else {
		out = json_pack("{s:s, s:s, s:I, s:b}", "cutoff", cutoff,
				"action", c->o.dry ? "none" : c->o.del ? "deleted" : "archived",
				"properties", (json_int_t)count, "dry_run", c->o.dry);
		phx_out_json(out);
		json_decref(out);
	}
	phx_store_close(s);
	return rc;
}

/* Iterate the store; each document to stdout (export, as NDJSON or as a CSV
 * row) or into stats. */
static int walk(struct ctx *c, const char *zip, const char *since, phx_stats *st,
		phx_csv *csv)
{
	phx_store_error err;
	int rc = 0, more;
	phx_store *s = open_store(c, 1, &rc);
	phx_store_iter *it;
	json_t *doc;

	if (!s)
		return rc;
	it = phx_store_iter_open(s, zip, since, &err);
	if (!it) {
		rc = db_failed(phx_store_display(s), &err);
		phx_store_close(s);
		return rc;
	}
	while ((more = phx_store_iter_next(it, &doc, &err)) == 1) {
		if (st) {
			phx_stats_add(st, doc);
		} else if ((csv ? phx_csv_row(csv, doc) : phx_out_json(doc)) == 0) {
			phx_run_current()->out++;
		}
		json_decref(doc);
		if (phx_out_closed() || phx_out_failed() || phx_stop_requested())
			break;
	}
	if (more < 0)
		rc = db_failed(phx_store_display(s), &err);
	phx_store_iter_close(it);
	phx_store_close(s);
	return rc;
}

static int cmd_export(struct ctx *c)
{
	char since[PHX_TIME_LEN];
	time_t t;

	if (c->o.since) {
		if (phx_time_parse(c->o.since, &t) != 0)
			phx_usage_error(&c->cli, "--since: not an RFC 3339 time: %s", c->o.since);
		phx_time_format(t, since);
	}
	if (c->o.format && strcmp(c->o.format, "csv") == 0) {
		phx_csv csv;
		int rc;

		if (phx_csv_init(&csv, phx_store_csv_columns, phx_store_csv_ncolumns) != 0)
			return PHX_EX_SOFTWARE;
		rc = phx_csv_header(&csv) == 0
			? walk(c, c->o.zip, c->o.since ? since : NULL, NULL, &csv) : 0;
		phx_csv_free(&csv);
		return rc;
	}
	if (c->o.format && strcmp(c->o.format, "ndjson") != 0)
		phx_usage_error(&c->cli, "--format: ndjson or csv, not %s", c->o.format);
	return walk(c, c->o.zip, c->o.since ? since : NULL, NULL, NULL);
}

static int cmd_stats(struct ctx *c)
{
	phx_stats *st = phx_stats_new(c->now);
	int rc = walk(c, NULL, NULL, st, NULL);
	json_t *out;

	if (rc == 0) {
		out = phx_stats_result(st);
		phx_out_json(out);
		json_decref(out);
	}
	phx_stats_free(st);
	return rc;
}

static int cmd_report(struct ctx *c)
{
	phx_store_error err;
	int rc = 0;
	phx_store *s = open_store(c, 1, &rc);
	json_t *doc;

	if (!s)
		return rc;
	doc = phx_store_report_get(s, c->date, &err);
	if (doc)
		phx_out_json(doc);
	else if (err.code != 0 || err.domain[0])
		rc = db_failed(phx_store_display(s), &err);
	else
		phx_info("no daily report for %s", c->date);
	json_decref(doc);
	phx_store_close(s);
	return rc;
}

int main(int argc, char **argv)
{
	static const char *const cmds[] = {
		"load", "index", "prune", "export", "import", "stats", "report", NULL };
	struct ctx c;
	const char *cmd = cmds[0];
	int ch, rc, i, have_cmd = 0;

	phx_json_pool_enable();	/* before any jansson value exists */
	memset(&c, 0, sizeof c);
	phx_cli_begin(&c.cli, "phx-store", help_text, usage_line);
	for (i = 0; argc > 1 && cmds[i]; i++)
		if (strcmp(argv[1], cmds[i]) == 0) {
			cmd = cmds[i];
			have_cmd = 1;
			argv++;
			argc--;
			break;
		}
	while ((ch = getopt_long(argc, argv, PHX_COMMON_SHORT, long_opts, NULL)) != -1) {
		if (phx_cli_common(&c.cli, ch, optarg))
			continue;
		switch (ch) {
		case OPT_DB: c.o.db = optarg; break;
		case OPT_BATCH: c.o.batch = optarg; break;
		case OPT_RETRIES: c.o.retries = optarg; break;
		case OPT_BUSY: c.o.busy = optarg; break;
		case OPT_OLDER: c.o.older = optarg; break;
		case OPT_DELETE: c.o.del = 1; break;
		case OPT_DRY: c.o.dry = 1; break;
		case OPT_ZIP: c.o.zip = optarg; break;
		case OPT_SINCE: c.o.since = optarg; break;
		case OPT_FORMAT: c.o.format = optarg; break;
		case OPT_DATE: c.o.date = optarg; break;
		case OPT_NOW: c.o.now = optarg; break;
		default: phx_usage_error(&c.cli, NULL);
		}
	}
	/* The command may also follow the options ("phx-store --db X export");
	 * a file named like a command is then written ./export. */
	for (i = 0; cmds[i] && optind < argc && !have_cmd; i++)
		if (strcmp(argv[optind], cmds[i]) == 0) {
			cmd = cmds[i];
			have_cmd = 1;
			optind++;
		}
	if (strcmp(cmd, "load") != 0 && strcmp(cmd, "import") != 0 && optind < argc)
		phx_usage_error(&c.cli, "%s takes no file operands", cmd);
	rc = phx_cli_finish(&c.cli);
	if (rc == 0)
		rc = resolve(&c);
	if (rc == 0) {
		phx_out_init(PHX_FLUSH_BUFFERED);
		if (strcmp(cmd, "load") == 0) {
			rc = cmd_load(&c, argv + optind, argc - optind);
		} else if (strcmp(cmd, "index") == 0) {
			rc = cmd_index(&c);
		} else if (strcmp(cmd, "prune") == 0) {
			rc = cmd_prune(&c);
		} else if (strcmp(cmd, "export") == 0) {
			rc = cmd_export(&c);
		} else if (strcmp(cmd, "stats") == 0) {
			rc = cmd_stats(&c);
		} else if (strcmp(cmd, "report") == 0) {
			rc = cmd_report(&c);
		} else {
			phx_store *s = open_store(&c, 0, &rc);
			if (s)
				rc = phx_store_import(s, argv + optind, argc - optind,
						      c.cli.max_line, &c.lopts);
			phx_store_close(s);
		}
	}
	phx_run_fail(rc);
	phx_secret_free(c.uri);
	return phx_run_end();
}
