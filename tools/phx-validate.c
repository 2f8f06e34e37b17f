/* phx-validate - check property records against a schema and rules, score
 * them, pass them on or reject them.
 *
 * A record leaves byte for byte as it came, except for its "_phx" member,
 * which gains quality, validation and a trace entry: the text is spliced, not
 * re-serialized, so key order, integers and big numbers are untouched. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "buf.h"
#include "cli.h"
#include "config.h"
#include "defaults.h"
#include "exitcode.h"
#include "issues.h"
#include "jsonspan.h"
#include "jsonwrite.h"
#include "log.h"
#include "ndjson.h"
#include "output.h"
#include "quality.h"
#include "reject.h"
#include "rules.h"
#include "run.h"
#include "schema.h"
#include "signals.h"
#include "trace.h"

static const char usage_line[] =
	"phx-validate [--schema FILE] [--rules FILE | --no-rules] [--target-zips LIST]\n"
	"                    [--min-valid FRACTION] [options] [FILE...]";

static const char help_text[] =
	"Usage: phx-validate [OPTIONS] [FILE...]\n"
	"Check property records (NDJSON) against a JSON Schema and cross-field rules,\n"
	"score their quality, and pass them on (stdout) or reject them.\n"
	"\n"
	"  --schema FILE        JSON Schema to check against (default: the built-in copy\n"
	"                       of etc/property.schema.json; env PHX_SCHEMA)\n"
	"  --rules FILE         cross-field rules and quality weights (default: the\n"
	"                       built-in copy of etc/rules.conf; env PHX_RULES)\n"
	"      --no-rules       check the schema only\n"
	"  --target-zips LIST   ZIP codes of the target area, comma separated\n"
	"                       (env TARGET_ZIP_CODES)\n"
	"  --min-valid FRACTION exit 1 when fewer than FRACTION of the records read\n"
	"                       were valid (0..1)\n"
	"  --max-line BYTES     longest input line (default 16 MiB)\n"
	"  --rejects FILE       rejects here ('-' = stderr) instead of the dead-letter\n"
	"                       file in the state directory\n"
	"  --stats              print the run summary to stderr\n"
	"  --config FILE        config file (default $XDG_CONFIG_HOME/phx/phx.conf)\n"
	"  -q, --quiet          errors only      -v, --verbose  more detail\n"
	"  -h, --help           this help        --version      version\n"
	"\n"
	"Exit: 0 all valid, 1 some rejected or below --min-valid, 64 usage,\n"
	"74 I/O error, 78 bad schema, rules or config. See phx-validate(1).\n";

enum { OPT_SCHEMA = 1, OPT_RULES, OPT_NO_RULES, OPT_TARGET, OPT_MIN_VALID };

static const struct option long_opts[] = {
	{ "schema", required_argument, NULL, OPT_SCHEMA },
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "no-rules", no_argument, NULL, OPT_NO_RULES },
	{ "target-zips", required_argument, NULL, OPT_TARGET },
	{ "min-valid", required_argument, NULL, OPT_MIN_VALID },
	PHX_COMMON_OPTIONS,
	{ NULL, 0, NULL, 0 }
};

struct options {
	const char *schema, *rules, *target, *min_valid;
	int no_rules;
};

#define QUALITY_BUCKETS 10

/* What one run checks with and counts. */
struct validator {
	phx_schema *schema;
	phx_rules *rules;
	phx_issues *issues;
	double min_valid;
	int have_min_valid;
	unsigned long long valid;
	double quality_sum;
	unsigned long long buckets[QUALITY_BUCKETS];
	json_t *finding_counts;	/* {"code": n} over errors and warnings */
	phx_buf out;		/* the output line being spliced */
	phx_buf meta;		/* the serialized _phx */
};

static phx_schema *load_schema(const char *path)
{
	char *err = NULL;
	phx_schema *s;
	if (path) {
		s = phx_schema_load(path, &err);
	} else {
		json_error_t jerr;
		json_t *root = json_loads(phx_default_schema, 0, &jerr);
		if (!root) {
			phx_err("built-in schema: %s", jerr.text);
			return NULL;
		}
		s = phx_schema_compile(root, "built-in property.schema.json", &err);
		json_decref(root);
	}
	if (!s) {
		phx_err("schema refused:\n%s", err ? err : "(no reason)");
		free(err);
	}
	return s;
}

static phx_rules *load_rules(const char *path)
{
	char *err = NULL;
	phx_rules *r = path ? phx_rules_load(path, &err)
			    : phx_rules_parse(phx_default_rules, "built-in rules.conf", &err);
	if (!r) {
		phx_err("rules refused:\n%s", err ? err : "(no reason)");
		free(err);
	}
	return r;
}

static int setup(struct validator *v, const struct options *o, const phx_cli *cli)
{
	static const char *const schema_env[] = { "PHX_SCHEMA", NULL };
	static const char *const rules_env[] = { "PHX_RULES", NULL };
	static const char *const target_env[] = { "PHX_TARGET_ZIPS", "TARGET_ZIP_CODES", NULL };
	static const char *const min_env[] = { "PHX_MIN_VALID", NULL };

	v->schema = load_schema(phx_setting(o->schema, schema_env, "validate.schema", NULL));
	if (!v->schema)
		return PHX_EX_CONFIG;
	if (o->no_rules) {
		v->rules = phx_rules_parse("", "no rules", NULL);
	} else {
		v->rules = load_rules(phx_setting(o->rules, rules_env, "validate.rules", NULL));
	}
	if (!v->rules)
		return PHX_EX_CONFIG;
	const char *target = phx_setting(o->target, target_env, "target_zip_codes", NULL);
	char *err = NULL;
	if (target && phx_rules_set_target_zips(v->rules, target, &err) != 0) {
		phx_err("target ZIP codes: %s", err);
		free(err);
		return o->target ? PHX_EX_USAGE : PHX_EX_CONFIG;
	}
	phx_rules_set_now(v->rules, time(NULL));
	const char *mv = phx_setting(o->min_valid, min_env, "validate.min_valid", NULL);
	if (mv) {
		if (phx_parse_double("--min-valid", mv, 0, 1, &v->min_valid) != 0)
			return o->min_valid ? PHX_EX_USAGE : PHX_EX_CONFIG;
		v->have_min_valid = 1;
	}
	(void)cli;
	v->issues = phx_issues_new();
	v->finding_counts = json_object();
	return 0;
}

static int count_finding(const phx_finding *f, void *ctx)
{
	json_t *counts = ctx;
	json_t *n = json_object_get(counts, f->code);
	if (n)
		json_integer_set(n, json_integer_value(n) + 1);
	else
		json_object_set_new(counts, f->code, json_integer(1));
	return 0;
}

static int first_error(const phx_finding *f, void *ctx)
{
	if (f->severity != PHX_SEV_ERROR)
		return 0;
	*(const char **)ctx = f->code;
	return 1;
}

static void reject_invalid(struct validator *v, const phx_line *line)
{
	const char *code = "schema.invalid";
	phx_buf reason = PHX_BUF_INIT;
	phx_issues_each(v->issues, first_error, &code);
	phx_issues_summary(v->issues, PHX_SEV_ERROR, 5, &reason);
	json_t *extra = json_pack("{s:o}", "errors", phx_issues_to_json(v->issues, -1));
	phx_reject(&line->pos, code, reason.data, line->data, line->len, 1, NULL, 0, extra);
	json_decref(extra);
	phx_buf_free(&reason);
}

/* Write the record's text with its new _phx spliced in. */
static int emit_spliced(struct validator *v, const phx_line *line, const json_t *meta)
{
	size_t vs, ve, close;
	int has_members;
	phx_buf_clear(&v->meta);
	phx_json_write(&v->meta, meta);
	phx_buf_clear(&v->out);
	if (phx_json_member_span(line->data, line->len, "_phx", &vs, &ve) == 0) {
		phx_buf_add(&v->out, line->data, vs);
		phx_buf_add(&v->out, v->meta.data, v->meta.len);
		phx_buf_add(&v->out, line->data + ve, line->len - ve);
	} else if (phx_json_object_close(line->data, line->len, &close, &has_members) == 0) {
		phx_buf_add(&v->out, line->data, close);
		phx_buf_adds(&v->out, has_members ? ",\"_phx\":" : "\"_phx\":");
		phx_buf_add(&v->out, v->meta.data, v->meta.len);
		phx_buf_add(&v->out, line->data + close, line->len - close);
	} else {
		return -1;	/* cannot happen for text the parser accepted */
	}
	return phx_out_line(v->out.data, v->out.len);
}

static void score(struct validator *v, json_t *record, json_t *meta)
{
	double q = phx_quality_score(record, v->issues, phx_rules_quality(v->rules));
	int b = (int)(q * QUALITY_BUCKETS);
	v->buckets[b >= QUALITY_BUCKETS ? QUALITY_BUCKETS - 1 : b < 0 ? 0 : b]++;
	v->quality_sum += q;
	json_object_set_new(meta, "quality", json_real(q));
	json_object_set_new(meta, "validation", phx_issues_to_json(v->issues, PHX_SEV_WARNING));
	json_t *extra = json_pack("{s:f, s:I}", "quality", q, "warnings",
				  (json_int_t)phx_issues_warnings(v->issues));
	phx_trace_append(record, "phx-validate", extra);
	json_decref(extra);
}

static void check_line(struct validator *v, const phx_line *line)
{
	char reason[256];
	const char *code;
	if (line->status != PHX_LINE_OK) {
		snprintf(reason, sizeof reason, "%s at byte %zu of the line",
			 line->status == PHX_LINE_TOO_LONG ? "line longer than --max-line"
			 : line->status == PHX_LINE_NUL ? "NUL byte" : "invalid UTF-8",
			 line->bad_at);
		phx_reject_line(line, phx_line_status_code(line->status), reason);
		return;
	}
	json_t *record = phx_parse_object(line->data, line->len, &code, reason, sizeof reason);
	if (!record) {
		phx_reject_line(line, code, reason);
		return;
	}
	phx_issues_clear(v->issues);
	phx_schema_check(v->schema, record, v->issues);
	phx_rules_check(v->rules, record, v->issues);
	phx_issues_each(v->issues, count_finding, v->finding_counts);
	json_t *meta = phx_record_meta(record);
	if (!meta) {
		phx_reject(&line->pos, "record.bad_phx", "_phx is not an object", line->data,
			   line->len, 1, NULL, 0, NULL);
	} else if (phx_issues_errors(v->issues) > 0) {
		reject_invalid(v, line);
	} else {
		score(v, record, meta);
		if (emit_spliced(v, line, meta) == 0) {
			v->valid++;
			phx_run_current()->out++;
		}
	}
	json_decref(record);
}

static void summarize(struct validator *v, phx_run *run)
{
	json_t *hist = json_object();
	for (int i = 0; i < QUALITY_BUCKETS; i++) {
		char key[16];
		snprintf(key, sizeof key, "%.1f-%.1f", i / 10.0, (i + 1) / 10.0);
		json_object_set_new(hist, key, json_integer((json_int_t)v->buckets[i]));
	}
	double mean = v->valid ? v->quality_sum / (double)v->valid : 0.0;
	json_t *q = json_pack("{s:f, s:o}", "mean", round(mean * 1000.0) / 1000.0,
			      "histogram", hist);
	json_object_set_new(run->metrics, "valid", json_integer((json_int_t)v->valid));
	json_object_set_new(run->metrics, "quality", q);
	json_object_set(run->metrics, "findings", v->finding_counts);
	if (v->have_min_valid) {
		double frac = run->in ? (double)v->valid / (double)run->in : 1.0;
		json_object_set_new(run->metrics, "valid_fraction", json_real(frac));
		json_object_set_new(run->metrics, "min_valid", json_real(v->min_valid));
		if (frac < v->min_valid) {
			phx_warn("%.4f of the records were valid, below --min-valid %.4f", frac,
				 v->min_valid);
			phx_run_fail(PHX_EX_REJECTS);
		}
	}
}

static void release(struct validator *v)
{
	phx_schema_free(v->schema);
	phx_rules_free(v->rules);
	phx_issues_free(v->issues);
	json_decref(v->finding_counts);
	phx_buf_free(&v->out);
	phx_buf_free(&v->meta);
}

int main(int argc, char **argv)
{
	phx_cli cli;
	struct options o = { 0 };
	struct validator v = { 0 };
	int c;
	phx_cli_begin(&cli, "phx-validate", help_text, usage_line);
	while ((c = getopt_long(argc, argv, PHX_COMMON_SHORT, long_opts, NULL)) != -1) {
		if (phx_cli_common(&cli, c, optarg))
			continue;
		switch (c) {
		case OPT_SCHEMA: o.schema = optarg; break;
		case OPT_RULES: o.rules = optarg; break;
		case OPT_NO_RULES: o.no_rules = 1; break;
		case OPT_TARGET: o.target = optarg; break;
		case OPT_MIN_VALID: o.min_valid = optarg; break;
		default: phx_usage_error(&cli, NULL);
		}
	}
	if (o.no_rules && o.rules)
		phx_usage_error(&cli, "--rules and --no-rules exclude each other");
	int rc = phx_cli_finish(&cli);
	if (rc == 0)
		rc = setup(&v, &o, &cli);
	if (rc != 0) {
		release(&v);
		return rc;
	}
	phx_out_init(PHX_FLUSH_BUFFERED);
	phx_run *run = phx_run_current();
	phx_reader *r = phx_reader_open(argv + optind, argc - optind, cli.max_line);
	phx_line line;
	while (!phx_stop_requested() && !phx_out_closed() && !phx_out_failed() &&
	       phx_reader_next(r, &line) == 1) {
		run->in++;
		check_line(&v, &line);
	}
	if (phx_reader_io_errors(r))
		phx_run_fail(PHX_EX_DATAERR);
	phx_reader_close(r);
	summarize(&v, run);
	release(&v);
	return phx_run_end();
}
