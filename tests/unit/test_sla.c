/* test_sla.c - SLA figures from a synthetic run journal; Phoenix days and months. */
#include <stdio.h>
#include <time.h>
#include "unit.h"
#include "sla.h"
#include "timeutil.h"

static const char *journal[] = {
	/* before the window: counts for last_ok only */
	"{\"phx\":\"run\",\"tool\":\"phx-fetch\",\"started\":\"2026-11-30T10:00:00Z\","
	"\"ended\":\"2026-11-30T11:00:00Z\",\"in\":0,\"out\":5000,\"rejected\":0,\"exit\":0,"
	"\"metrics\":{\"requests\":100,\"retries\":0,\"latency_ms_p50\":9000,"
	"\"latency_ms_p95\":9000}}",
	/* two fetch runs in the window: 1 h + 0.5 h, 1400 out, 100 rejected */
	"{\"phx\":\"run\",\"tool\":\"phx-fetch\",\"started\":\"2026-12-01T16:00:00Z\","
	"\"ended\":\"2026-12-01T17:00:00Z\",\"in\":0,\"out\":1000,\"rejected\":50,\"exit\":1,"
	"\"metrics\":{\"requests\":300,\"retries\":10,\"bytes\":1000,\"latency_ms_p50\":100,"
	"\"latency_ms_p95\":400,\"latency_ms_avg\":200}}",
	"{\"phx\":\"run\",\"tool\":\"phx-fetch\",\"started\":\"2026-12-01T18:00:00Z\","
	"\"ended\":\"2026-12-01T18:30:00Z\",\"in\":0,\"out\":400,\"rejected\":50,\"exit\":69,"
	"\"metrics\":{\"requests\":100,\"retries\":30,\"bytes\":500,\"latency_ms_p50\":600,"
	"\"latency_ms_p95\":800}}",
	"not json at all",
	"{\"phx\":\"usage\",\"tool\":\"phx-fetch\",\"ended\":\"2026-12-01T18:30:00Z\"}",
	"{\"phx\":\"run\",\"tool\":\"phx-store\",\"started\":\"2026-12-01T18:31:00Z\","
	"\"ended\":\"2026-12-01T18:32:00Z\",\"in\":1400,\"out\":1400,\"rejected\":0,\"exit\":0,"
	"\"metrics\":{\"inserted\":700,\"updated\":200,\"unchanged\":500}}",
	/* stopped by a signal: not a success */
	"{\"phx\":\"run\",\"tool\":\"phx-store\",\"started\":\"2026-12-01T19:00:00Z\","
	"\"ended\":\"2026-12-01T19:01:00Z\",\"in\":1,\"out\":1,\"rejected\":0,\"exit\":143,"
	"\"stopped\":\"SIGTERM\",\"metrics\":{}}",
	/* after the window */
	"{\"phx\":\"run\",\"tool\":\"phx-fetch\",\"started\":\"2026-12-03T10:00:00Z\","
	"\"ended\":\"2026-12-03T10:00:10Z\",\"in\":0,\"out\":1,\"rejected\":0,\"exit\":0,"
	"\"metrics\":{}}",
};

static time_t at(const char *s)
{
	time_t t = 0;
	phx_time_parse(s, &t);
	return t;
}

/* Write the lines as a journal at path and read December 1st (UTC) of it. */
static void read_day1(const char *path, const char *const *lines, size_t n, phx_sla *s)
{
	FILE *f = fopen(path, "w");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s\n", lines[i]);
	fclose(f);
	CHECK_INT(phx_sla_read(path, at("2026-12-01T00:00:00Z"), at("2026-12-02T00:00:00Z"), s),
		  0);
}

static void test_window(void)
{
	phx_sla s;
	read_day1("runs.ndjson", journal, sizeof journal / sizeof *journal, &s);
	CHECK_INT(s.lines, 8);
	CHECK_INT(s.bad_lines, 2);
	CHECK_INT(s.fetch_runs, 2);
	CHECK_INT(s.fetched, 1400);
	CHECK_INT(s.fetch_rejected, 100);
	CHECK_INT(s.requests, 400);
	CHECK_INT(s.bytes, 1500);
	CHECK_INT((long long)(s.success_pct * 1000 + 0.5), 93333);	/* 1400/1500 */
	CHECK_INT((long long)(s.error_pct * 100 + 0.5), 3500);	/* (40+100)/400 */
	CHECK_INT((long long)(s.per_hour + 0.5), 933);	/* 1400 in 1.5 h */
	/* (200*300 + 600*100)/400 = 300; (400*300 + 800*100)/400 = 500 */
	CHECK_INT((long long)(s.latency_avg_ms + 0.5), 300);
	CHECK_INT((long long)(s.latency_p95_ms + 0.5), 500);
	CHECK_INT(s.stored_new, 700);
	CHECK_INT(s.stored_updated, 200);
	const phx_sla_tool *fe = phx_sla_tool_get(&s, "phx-fetch");
	const phx_sla_tool *st = phx_sla_tool_get(&s, "phx-store");
	CHECK(fe && st);
	if (fe && st) {
		CHECK_INT(fe->runs, 2);
		CHECK_INT(fe->failed, 1);
		CHECK_INT(fe->last_ok, at("2026-12-03T10:00:10Z"));
		CHECK_INT(st->last_ok, at("2026-12-01T18:32:00Z"));
		CHECK_INT(st->last_run, at("2026-12-01T19:01:00Z"));
		CHECK_INT(st->last_exit, 143);
	}
	CHECK(phx_sla_tool_get(&s, "phx-llm") == NULL);
}

/* A check's state or a closed gate is the answer asked for: only UNKNOWN (the
 * check could not be made) is a failed run; a plain exit 2 still fails. */
static void test_answers(void)
{
	static const char *lines[] = {
		"{\"phx\":\"run\",\"tool\":\"phx-health\",\"ended\":\"2026-12-01T10:00:00Z\","
		"\"exit\":2,\"answer\":true}",
		"{\"phx\":\"run\",\"tool\":\"phx-health\",\"ended\":\"2026-12-01T11:00:00Z\","
		"\"exit\":3,\"answer\":true}",
		"{\"phx\":\"run\",\"tool\":\"phx-cost\",\"ended\":\"2026-12-01T12:00:00Z\","
		"\"exit\":75,\"answer\":true,\"stopped\":\"SIGTERM\"}",
		"{\"phx\":\"run\",\"tool\":\"phx-cost\",\"ended\":\"2026-12-01T13:00:00Z\","
		"\"exit\":2,\"answer\":false}",
	};
	phx_sla s;
	read_day1("answers.ndjson", lines, sizeof lines / sizeof *lines, &s);
	const phx_sla_tool *h = phx_sla_tool_get(&s, "phx-health");
	const phx_sla_tool *c = phx_sla_tool_get(&s, "phx-cost");
	CHECK(h && c);
	if (h && c) {
		CHECK_INT(h->runs, 2);
		CHECK_INT(h->failed, 1);	/* the UNKNOWN */
		CHECK_INT(h->last_ok, at("2026-12-01T10:00:00Z"));
		CHECK_INT(c->runs, 2);
		CHECK_INT(c->failed, 1);	/* exit 2 without "answer": true */
		CHECK_INT(c->last_ok, at("2026-12-01T12:00:00Z"));
	}
}

static void test_empty(void)
{
	phx_sla s;
	CHECK_INT(phx_sla_read("no-such-file", 0, 1, &s), 0);
	CHECK_INT(s.lines, 0);
	CHECK(s.success_pct < 0 && s.error_pct < 0 && s.per_hour < 0 && s.latency_avg_ms < 0);
}

static void test_phoenix(void)
{
	char d[16];
	/* 06:59Z is still the previous day in Phoenix; 07:00Z is midnight there */
	phx_phoenix_date(at("2026-12-01T06:59:59Z"), d);
	CHECK_STR(d, "2026-11-30");
	phx_phoenix_date(at("2026-12-01T07:00:00Z"), d);
	CHECK_STR(d, "2026-12-01");
	CHECK_INT(phx_phoenix_day_start(at("2026-12-01T06:59:59Z")), at("2026-11-30T07:00:00Z"));
	time_t a, b;
	phx_phoenix_month(at("2026-12-01T03:00:00Z"), &a, &b);	/* Nov 30 in Phoenix */
	CHECK_INT(a, at("2026-11-01T07:00:00Z"));
	CHECK_INT(b, at("2026-12-01T07:00:00Z"));
	phx_phoenix_month(at("2026-12-31T23:00:00Z"), &a, &b);
	CHECK_INT(b, at("2027-01-01T07:00:00Z"));
	/* July: no DST in Phoenix */
	CHECK_INT(phx_phoenix_midnight(2026, 7, 1), at("2026-07-01T07:00:00Z"));
}

int main(void)
{
	test_window();
	test_answers();
	test_empty();
	test_phoenix();
	return unit_done();
}
