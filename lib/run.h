/* run.h - the run summary (runs.ndjson) and the usage journal (usage.ndjson).
 *
 * One run per process. Counters follow conventions 2:
 *   in = out + rejected + dropped.
 * phx_reject() counts "rejected" itself; tools count in, out and dropped.
 * phx_run_end() appends the summary line to $STATE/runs.ndjson, prints it to
 * stderr with --stats, and returns the final exit status. */
#ifndef PHX_RUN_H
#define PHX_RUN_H
#include <jansson.h>

typedef struct phx_run {
	const char *tool;
	char id[40];		/* run id, also written into usage lines */
	char started[32];
	unsigned long long in, out, rejected, dropped;
	json_t *codes;		/* {"code": count} */
	json_t *metrics;	/* tool-specific, free-form; owned by the run */
	int exit;		/* worst exit so far (phx_exit_worst) */
	int stats;		/* --stats: print summary to stderr */
	int answer;		/* exit is the tool's answer (phx_run_answer) */
} phx_run;

/* The process's run (set up by phx_cli_begin). */
phx_run *phx_run_current(void);
void phx_run_begin(const char *tool);
void phx_run_count_code(const char *code);
/* Raise the run's exit status to at least code (worst-of). */
void phx_run_fail(int code);
/* For a tool whose exit status is its answer, not its fate (a Monitoring
 * Plugins state, a closed budget gate): sets the exit to code and marks the
 * summary line "answer": true, so that phx-health and phx-report do not count
 * a CRITICAL check or a closed gate as a failed run. */
void phx_run_answer(int code);
/* Finish: decides 0/1 from rejects, merges signal and output status,
 * appends the summary, returns the exit code to exit with. */
int phx_run_end(void);

/* Append a usage line: {"phx":"usage","tool","at","service","what","qty","run", ...extra}.
 * extra may be NULL; its members are appended (not stolen). */
int phx_usage(const char *service, const char *what, long long qty, const json_t *extra);

#endif
