/* sla.c - SLA figures from runs.ndjson (see sla.h). One pass, constant
 * memory: a journal of years is read line by line. */
#include "sla.h"
#include "exitcode.h"
#include "timeutil.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long uint_member(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) && json_integer_value(v) > 0 ?
		(unsigned long long)json_integer_value(v) : 0;
}

static phx_sla_tool *tool_slot(phx_sla *s, const char *name)
{
	const phx_sla_tool *known = phx_sla_tool_get(s, name);
	if (known)
		return &s->tools[known - s->tools];
	if (s->ntools == PHX_SLA_TOOLS || strlen(name) >= sizeof s->tools[0].tool)
		return NULL;
	phx_sla_tool *t = &s->tools[s->ntools++];
	memcpy(t->tool, name, strlen(name) + 1);
	return t;
}

struct latency_sums { double avg_w, p95_w, weight; };

static void add_fetch(phx_sla *s, json_t *run, time_t started, time_t ended,
		      struct latency_sums *lat)
{
	json_t *m = json_object_get(run, "metrics");
	unsigned long long req = uint_member(m, "requests");
	s->fetch_runs++;
	s->fetched += uint_member(run, "out");
	s->fetch_rejected += uint_member(run, "rejected");
	s->requests += req;
	s->retries += uint_member(m, "retries");
	s->bytes += uint_member(m, "bytes");
	if (started && ended > started)
		s->fetch_seconds += (double)(ended - started);
	if (req == 0)
		return;
	json_t *avg = json_object_get(m, "latency_ms_avg");
	if (!json_is_integer(avg))
		avg = json_object_get(m, "latency_ms_p50");
	json_t *p95 = json_object_get(m, "latency_ms_p95");
	if (!json_is_integer(avg) || !json_is_integer(p95))
		return;
	lat->avg_w += (double)json_integer_value(avg) * (double)req;
	lat->p95_w += (double)json_integer_value(p95) * (double)req;
	lat->weight += (double)req;
}

static void add_store(phx_sla *s, json_t *run)
{
	json_t *m = json_object_get(run, "metrics");
	s->stored_new += uint_member(m, "inserted");
	s->stored_updated += uint_member(m, "updated");
	s->stored_unchanged += uint_member(m, "unchanged");
}

static void add_line(phx_sla *s, const char *line, struct latency_sums *lat)
{
	json_t *run = json_loads(line, JSON_REJECT_DUPLICATES, NULL);
	const char *tool = json_string_value(json_object_get(run, "tool"));
	const char *ended_s = json_string_value(json_object_get(run, "ended"));
	const char *kind = json_string_value(json_object_get(run, "phx"));
	time_t started = 0, ended;
	phx_sla_tool *t;
	if (!json_is_object(run) || !tool || !ended_s || phx_time_parse(ended_s, &ended) != 0 ||
	    !kind || strcmp(kind, "run") != 0 ||
	    !(t = tool_slot(s, tool))) {
		s->bad_lines++;
		json_decref(run);
		return;
	}
	const char *started_s = json_string_value(json_object_get(run, "started"));
	if (started_s && phx_time_parse(started_s, &started) != 0)
		started = 0;
	int code = (int)json_integer_value(json_object_get(run, "exit"));
	/* an answer (a check's state, a closed gate) failed only when the check
	 * could not be made: UNKNOWN */
	int ok = json_is_true(json_object_get(run, "answer")) ? code != PHX_MP_UNKNOWN
		 : code <= 1 && !json_object_get(run, "stopped");
	if (ended >= t->last_run) {
		t->last_run = ended;
		t->last_exit = code;
	}
	if (ok && ended > t->last_ok)
		t->last_ok = ended;
	if (ended >= s->from && ended < s->to) {
		t->runs++;
		t->failed += !ok;
		t->in += uint_member(run, "in");
		t->out += uint_member(run, "out");
		t->rejected += uint_member(run, "rejected");
		if (strcmp(tool, "phx-fetch") == 0)
			add_fetch(s, run, started, ended, lat);
		else if (strcmp(tool, "phx-store") == 0)
			add_store(s, run);
	}
	json_decref(run);
}

static void derive(phx_sla *s, const struct latency_sums *lat)
{
	unsigned long long seen = s->fetched + s->fetch_rejected;
	s->success_pct = seen ? 100.0 * (double)s->fetched / (double)seen : -1;
	s->error_pct = s->requests ?
		100.0 * (double)(s->retries + s->fetch_rejected) / (double)s->requests : -1;
	if (s->error_pct > 100)
		s->error_pct = 100;
	s->per_hour = s->fetch_seconds > 0 ? (double)s->fetched * 3600.0 / s->fetch_seconds : -1;
	s->latency_avg_ms = lat->weight > 0 ? lat->avg_w / lat->weight : -1;
	s->latency_p95_ms = lat->weight > 0 ? lat->p95_w / lat->weight : -1;
}

int phx_sla_read(const char *path, time_t from, time_t to, phx_sla *out)
{
	memset(out, 0, sizeof *out);
	out->from = from;
	out->to = to;
	struct latency_sums lat = { 0, 0, 0 };
	FILE *f = fopen(path, "r");
	if (!f) {
		derive(out, &lat);
		return errno == ENOENT ? 0 : -1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, f)) > 0) {
		out->lines++;
		add_line(out, line, &lat);
	}
	int err = ferror(f);
	free(line);
	fclose(f);
	derive(out, &lat);
	return err ? -1 : 0;
}

const phx_sla_tool *phx_sla_tool_get(const phx_sla *s, const char *tool)
{
	for (size_t i = 0; i < s->ntools; i++)
		if (strcmp(s->tools[i].tool, tool) == 0)
			return &s->tools[i];
	return NULL;
}
