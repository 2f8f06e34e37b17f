/* sla.h - the runbook's SLA figures, computed from the run journal.
 *
 * runs.ndjson holds one summary line per tool run (conventions 4). phx-health
 * judges these figures against the SLA table and phx-report prints them, so
 * both compute them here, the same way:
 *   success rate  fetched records out / (out + rejected), in %
 *   error rate    (failed requests: retries + fetch rejects) / requests, in %
 *   throughput    records fetched per hour of phx-fetch run time
 *   latency       request-weighted mean of each run's latency_ms_avg (its p50
 *                 when a run has no average) and of each run's p95
 * A run belongs to the window when it ended in [from, to). */
#ifndef PHX_SLA_H
#define PHX_SLA_H
#include <stddef.h>
#include <time.h>

#define PHX_SLA_TOOLS 16

typedef struct phx_sla_tool {
	char tool[32];		/* "phx-fetch" */
	time_t last_ok;		/* end of the last ok run (exit 0 or 1, not
				 * stopped; an "answer" not UNKNOWN); 0 none */
	time_t last_run;	/* end of the last run of any outcome; 0 none */
	int last_exit;		/* exit of the last run */
	unsigned long long runs, failed;	/* in the window; failed = not ok */
	unsigned long long in, out, rejected;	/* in the window */
} phx_sla_tool;

typedef struct phx_sla {
	time_t from, to;
	unsigned long long lines, bad_lines;	/* bad: not a run summary */
	phx_sla_tool tools[PHX_SLA_TOOLS];
	size_t ntools;
	/* phx-fetch runs of the window */
	unsigned long long fetch_runs, fetched, fetch_rejected;
	unsigned long long requests, retries, bytes;
	double fetch_seconds;
	double latency_avg_ms, latency_p95_ms;	/* -1 when no request */
	/* phx-store runs of the window */
	unsigned long long stored_new, stored_updated, stored_unchanged;
	/* derived; -1 when there is nothing to divide by */
	double success_pct, error_pct, per_hour;
} phx_sla;

/* Read path over [from, to). A missing file is an empty journal (0).
 * -1 with errno when the file cannot be read. Lines that are not run
 * summaries are counted in bad_lines and skipped. */
int phx_sla_read(const char *path, time_t from, time_t to, phx_sla *out);
/* The tool's entry, or NULL when it never ran. */
const phx_sla_tool *phx_sla_tool_get(const phx_sla *s, const char *tool);

#endif
