/* run.c - the run summary and the usage journal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "run.h"
#include "buf.h"
#include "jsonwrite.h"
#include "cli.h"
#include "exitcode.h"
#include "log.h"
#include "output.h"
#include "redact.h"
#include "reject.h"
#include "signals.h"
#include "state.h"
#include "timeutil.h"

static phx_run run;

phx_run *phx_run_current(void)
{
	return &run;
}

void phx_run_begin(const char *tool)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	run.tool = tool;
	phx_time_format(ts.tv_sec, run.started);
	snprintf(run.id, sizeof run.id, "%lx-%lx-%lx", (unsigned long)ts.tv_sec,
		 (unsigned long)getpid(), (unsigned long)(ts.tv_nsec & 0xfffff));
	run.codes = json_object();
	run.metrics = json_object();
}

void phx_run_count_code(const char *code)
{
	json_t *n = json_object_get(run.codes, code);
	if (n)
		json_integer_set(n, json_integer_value(n) + 1);
	else
		json_object_set_new(run.codes, code, json_integer(1));
}

void phx_run_fail(int code)
{
	run.exit = phx_exit_worst(run.exit, code);
}

void phx_run_answer(int code)
{
	run.exit = code;
	run.answer = 1;
}

/* Serialize, redact, and append to a journal in the state directory. */
static int journal_append(const char *name, const json_t *j, int also_stderr)
{
	phx_buf raw = PHX_BUF_INIT, line = PHX_BUF_INIT;
	phx_json_write(&raw, j);
	phx_redact_append(&line, raw.data, raw.len);
	phx_buf_addc(&line, '\n');
	if (also_stderr && write(2, line.data, line.len) < 0) {
		/* stderr gone: nothing to report to */
	}
	char path[4096];
	int rc = phx_state_path(path, sizeof path, name);
	if (rc == 0 && (rc = phx_append_line(path, line.data, line.len, 0600)) != 0)
		phx_err("%s: cannot append", path);
	phx_buf_free(&raw);
	phx_buf_free(&line);
	return rc;
}

int phx_run_end(void)
{
	int code = run.exit;
	if (phx_out_finish() != PHX_EX_OK)
		code = phx_exit_worst(code, PHX_EX_IOERR);
	if (phx_rejects_failed())
		code = phx_exit_worst(code, PHX_EX_IOERR);
	if (run.rejected > 0 || phx_rejects_count() > 0)
		code = phx_exit_worst(code, PHX_EX_REJECTS);
	if (phx_stop_requested())
		code = phx_exit_worst(code, phx_stop_exit_code());
	phx_rejects_close();

	char ended[PHX_TIME_LEN];
	phx_time_now(ended);
	json_t *s = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I}",
			      "phx", "run", "tool", run.tool, "version", PHX_VERSION,
			      "run", run.id, "started", run.started, "ended", ended,
			      "in", (json_int_t)run.in, "out", (json_int_t)run.out,
			      "rejected", (json_int_t)run.rejected);
	if (run.dropped)
		json_object_set_new(s, "dropped", json_integer((json_int_t)run.dropped));
	json_object_set_new(s, "exit", json_integer(code));
	if (run.answer && code == run.exit)
		json_object_set_new(s, "answer", json_true());
	if (phx_out_closed())
		json_object_set_new(s, "stopped", json_string("output closed"));
	else if (phx_stop_requested())
		json_object_set_new(s, "stopped",
				    json_string(phx_stop_by_file() ? "STOP file" :
						phx_stop_requested() == 2 ? "SIGINT" : "SIGTERM"));
	json_object_set(s, "codes", run.codes);
	json_object_set(s, "metrics", run.metrics);
	if (journal_append("runs.ndjson", s, run.stats) != 0)
		code = phx_exit_worst(code, PHX_EX_IOERR);
	json_decref(s);
	json_decref(run.codes);
	json_decref(run.metrics);
	run.codes = run.metrics = NULL;
	return code;
}

int phx_usage(const char *service, const char *what, long long qty, const json_t *extra)
{
	char at[PHX_TIME_LEN];
	phx_time_now(at);
	json_t *u = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s}", "phx", "usage",
			      "tool", run.tool ? run.tool : phx_log_tool(), "at", at,
			      "service", service, "what", what, "qty", (json_int_t)qty,
			      "run", run.id);
	if (extra) {
		const char *k;
		json_t *v;
		json_object_foreach((json_t *)extra, k, v)
			json_object_set(u, k, v);
	}
	int rc = journal_append("usage.ndjson", u, 0);
	json_decref(u);
	return rc;
}
