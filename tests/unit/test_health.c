/* test_health.c - the phx-health framework without services: -w/-c specs,
 * default and overridden ranges, values judged, the meminfo parser, and the
 * three outputs of made-up results (a secret in a message redacted). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "exitcode.h"
#include "health.h"
#include "health_checks.h"
#include "health_output.h"
#include "redact.h"

static void test_specs(void)
{
	phx_health_ctx ctx;
	char err[256];
	phx_range w, k;
	const phx_health_metric_def *succ = &phx_health_runs_metrics[2];

	memset(&ctx, 0, sizeof ctx);
	CHECK_STR(succ->label, "runs.success");
	phx_health_ranges(&ctx, succ, &w, &k);
	CHECK_STR(w.text, "90:");
	CHECK_STR(k.text, "80:");
	CHECK_INT(phx_health_parse_spec(&ctx, "runs.success=95:,host.load=~:50", 0, err,
					sizeof err), 0);
	CHECK_INT(phx_health_parse_spec(&ctx, "runs.success=@0:85", 1, err, sizeof err), 0);
	CHECK_INT(ctx.nov, 3);
	phx_health_ranges(&ctx, succ, &w, &k);
	CHECK_STR(w.text, "95:");
	CHECK_STR(k.text, "@0:85");
	CHECK_INT(phx_threshold_state(92, &w, &k), PHX_MP_WARNING);
	CHECK_INT(phx_threshold_state(85, &w, &k), PHX_MP_CRITICAL);
	CHECK_INT(phx_threshold_state(96, &w, &k), PHX_MP_OK);
	CHECK_INT(phx_health_parse_spec(&ctx, "runs.success=2,", 0, err, sizeof err), -1);
	CHECK_INT(phx_health_parse_spec(&ctx, "runs.nosuch=2", 0, err, sizeof err), -1);
	CHECK(strstr(err, "no check reports") != NULL);
	CHECK_INT(phx_health_parse_spec(&ctx, "=2", 0, err, sizeof err), -1);
	CHECK_INT(phx_health_parse_spec(&ctx, "runs.success=1:2:3", 0, err, sizeof err), -1);
	CHECK_INT(phx_health_parse_spec(&ctx, "", 0, err, sizeof err), -1);
	CHECK_INT(phx_health_parse_spec(&ctx, "budget.today=0.5", 1, err, sizeof err), 0);
	free(ctx.ov);
}

static void test_meminfo(void)
{
	static const char ok[] = "MemTotal:       16000000 kB\nMemFree:  100 kB\n"
				 "MemAvailable:    4000000 kB\n";
	long long t = 0, a = 0;
	CHECK_INT(phx_health_meminfo_parse(ok, sizeof ok - 1, &t, &a), 0);
	CHECK_INT(t, 16000000);
	CHECK_INT(a, 4000000);
	CHECK_INT(phx_health_meminfo_parse("MemTotal: 10 kB\n", 16, &t, &a), -1);
	CHECK_INT(phx_health_meminfo_parse("MemTotal: 10\nMemAvailable: 20\n", 31, &t, &a), -1);
	CHECK_INT(phx_health_meminfo_parse("MemTotal: x\nMemAvailable: 2\n", 28, &t, &a), -1);
	CHECK_INT(phx_health_meminfo_parse("MemTotal: 99999999999999999999\nMemAvailable: 1\n",
					   47, &t, &a), -1);
	CHECK_INT(phx_health_meminfo_parse("", 0, &t, &a), -1);
}

static void test_outputs(void)
{
	size_t n;
	phx_health_check *cs = phx_health_checks(&n);
	phx_health_check *runs = phx_health_find("runs"), *llm = phx_health_find("llm");
	phx_health_ctx ctx;
	phx_health_report rp;
	phx_buf out = PHX_BUF_INIT;

	memset(&ctx, 0, sizeof ctx);
	for (size_t i = 0; i < n; i++)
		cs[i].selected = 0;
	runs->selected = llm->selected = 1;
	phx_redact_add("Tok-Very-Secret-42");
	phx_health_set(&runs->r, PHX_MP_OK, "fine but the token is Tok-Very-Secret-42");
	CHECK_INT(phx_health_value_add_mm(runs, &ctx, "runs.success", 85, 0, 1, 100),
		  PHX_MP_WARNING);
	CHECK_INT(runs->r.state, PHX_MP_WARNING);
	CHECK_INT(phx_health_value_add(runs, &ctx, "runs.nosuch", 1), PHX_MP_UNKNOWN);
	runs->r.next_step = "look at the journal";
	phx_health_skip(&llm->r, "no %s", "OLLAMA_URL");
	CHECK_INT(llm->r.state, PHX_MP_UNKNOWN);
	CHECK(phx_health_counts(llm, 0) == 0);
	CHECK(phx_health_counts(llm, 1) == 1);

	memset(&rp, 0, sizeof rp);
	rp.checks = cs;
	rp.n = n;
	rp.ctx = &ctx;
	rp.state = PHX_MP_WARNING;
	rp.emergency = 1;
	phx_health_text(&rp, &out);
	CHECK(strncmp(out.data, "PHX-HEALTH WARNING - warning: runs; 0 of 2 checks OK, "
		      "1 skipped (not configured)", 80) == 0);
	CHECK(strstr(out.data, "| 'runs.success'=85%;90:;80:;0;100\n") != NULL);
	CHECK(strstr(out.data, "  next step: look at the journal\n") != NULL);
	CHECK(strstr(out.data, "Tok-Very-Secret-42") == NULL);
	phx_buf_clear(&out);
	phx_health_json(&rp, &out);
	CHECK(strstr(out.data, "{\"phx\":\"health\",\"check\":\"llm\",\"state\":\"UNKNOWN\","
		      "\"message\":\"skipped, not configured: no OLLAMA_URL\",\"perfdata\":\"\","
		      "\"skipped\":true") != NULL);
	CHECK(strstr(out.data, "{\"phx\":\"health\",\"check\":\"summary\",\"state\":\"WARNING\","
		      "\"exit\":1,\"checks\":2") != NULL);
	CHECK(strstr(out.data, "\"next_step\":\"look at the journal\"") != NULL);
	CHECK(strstr(out.data, "Tok-Very-Secret-42") == NULL);
	phx_buf_clear(&out);
	phx_health_prometheus(&rp, 1700000000, &out);
	CHECK(strstr(out.data, "phx_health_state{check=\"runs\"} 1\n") != NULL);
	CHECK(strstr(out.data, "phx_health_skipped{check=\"llm\"} 1\n") != NULL);
	CHECK(strstr(out.data, "phx_health_value{check=\"runs\",metric=\"success\",unit=\"%\"} 85\n")
	      != NULL);
	CHECK(strstr(out.data, "phx_health_last_run_timestamp_seconds 1700000000\n") != NULL);
	phx_buf_free(&out);
	phx_health_free(cs, n);
	memset(&runs->r, 0, sizeof runs->r);
	memset(&llm->r, 0, sizeof llm->r);
}

int main(void)
{
	test_specs();
	test_meminfo();
	test_outputs();
	return unit_done();
}
