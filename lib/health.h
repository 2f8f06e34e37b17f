/* health.h - the checks of phx-health and how they run.
 *
 * A check is a name, a table of the metrics it may report (each with its
 * default -w/-c ranges from the runbook), a setup step and a run step.
 * setup() runs in the main thread: it resolves settings and secrets (the
 * redactor and the config are not thread-safe) and may mark the check
 * skipped when its service is not configured. run() runs in a thread of
 * its own and must end by its deadline: every network call inside it is
 * bounded by the check's timeout. It never logs; it writes its state,
 * message, metrics and detail lines into its result, which the outputs
 * (health_output.c) print redacted once every check is done. */
#ifndef PHX_HEALTH_H
#define PHX_HEALTH_H
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "buf.h"
#include "threshold.h"

#define PHX_HEALTH_TIMEOUT_MS 5000
#define PHX_HEALTH_METRICS 16

/* A metric a check may report; "label" is "CHECK.NAME" as -w/-c use it. */
typedef struct phx_health_metric_def {
	const char *label;
	const char *uom;	/* perfdata unit: "%", "ms", "c", "" */
	const char *warn, *crit;	/* default ranges, NULL = none */
	const char *what;	/* for --help and the man page */
} phx_health_metric_def;

typedef struct phx_health_value {
	const phx_health_metric_def *def;
	double value;
	int has_min, has_max;
	double min, max;
	int state;
} phx_health_value;

typedef struct phx_health_result {
	int state;		/* PHX_MP_* */
	int skipped;		/* not configured: state is UNKNOWN */
	int timed_out;		/* ran past its deadline */
	int done;
	phx_buf message;	/* one line */
	phx_buf detail;		/* more lines, for -v and --emergency */
	phx_health_value values[PHX_HEALTH_METRICS];
	size_t nvalues;
	const char *next_step;	/* the runbook's next step when failing */
	int64_t ms;		/* how long it took */
} phx_health_result;

typedef struct phx_health_ctx phx_health_ctx;
typedef struct phx_health_check phx_health_check;

struct phx_health_check {
	const char *name;
	const char *what;	/* one line for --help */
	const phx_health_metric_def *metrics;	/* NULL-label terminated */
	/* main thread; 0, or non-zero to skip run() (result already set) */
	int (*setup)(phx_health_check *c, phx_health_ctx *ctx);
	void (*run)(phx_health_check *c, phx_health_ctx *ctx);
	void (*cleanup)(phx_health_check *c);
	void *data;		/* the check's own settings, from setup() */
	int selected;
	int64_t deadline_ms;	/* phx_mono_ms() by which run() must end */
	phx_health_result r;
};

/* One -w or -c given on the command line. */
typedef struct phx_health_override {
	char label[48];
	phx_range range;
	int crit;		/* 0: -w, 1: -c */
} phx_health_override;

struct phx_health_ctx {
	long timeout_ms;	/* per check */
	time_t now;
	int verbose;
	const char *state_dir;
	long long window_s;	/* runs: the SLA window, default 24 h */
	phx_health_override *ov;
	size_t nov;
};

/* The checks, in output order (health_checks.c). */
phx_health_check *phx_health_checks(size_t *n);
phx_health_check *phx_health_find(const char *name);

/* Parse "LABEL=RANGE[,LABEL=RANGE...]" of a -w (crit 0) or -c (crit 1) into
 * ctx->ov. Each LABEL must be one a check declares. 0, or -1 with words in
 * err. */
int phx_health_parse_spec(phx_health_ctx *ctx, const char *spec, int crit,
			  char *err, size_t errn);
/* The warning and critical ranges for def: -w/-c, else the defaults. */
void phx_health_ranges(const phx_health_ctx *ctx, const phx_health_metric_def *def,
		       phx_range *warn, phx_range *crit);

/* --- for the checks --- */
/* Set the state (worst of the current and st) and the message (printf). */
void phx_health_set(phx_health_result *r, int st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Mark skipped: UNKNOWN, "not configured: why". */
void phx_health_skip(phx_health_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Add a detail line. */
void phx_health_detail(phx_health_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Report a value of the metric named label (declared by c) judged against its
 * ranges; raises the result's state. Returns the value's state. */
int phx_health_value_add(phx_health_check *c, const phx_health_ctx *ctx, const char *label,
			 double v);
/* The same with min and max for perfdata (has_max 0 for none). */
int phx_health_value_add_mm(phx_health_check *c, const phx_health_ctx *ctx,
			    const char *label, double v, double min, int has_max, double max);
/* Milliseconds left before the check's deadline (at least 1). */
long phx_health_left_ms(const phx_health_check *c);

/* Run the selected checks in parallel, each with ctx->timeout_ms; returns
 * the worst state. A check that does not end by its deadline plus a grace
 * is reported CRITICAL "timeout" and abandoned; *abandoned says whether
 * any thread is still running (then the process must leave with _exit). */
int phx_health_run(phx_health_check *checks, size_t n, phx_health_ctx *ctx, int *abandoned);
void phx_health_free(phx_health_check *checks, size_t n);

#endif
