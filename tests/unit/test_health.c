/* test_health.c - the parts of phx-health that need no service: -w/-c
 * specifications, the ranges a metric ends up with, /proc/meminfo text, the
 * heartbeat suffix, and the worst-of rule over checks. */
#include "unit.h"
#include "exitcode.h"
#include "health.h"
#include "health_checks.h"
#include "health_output.h"
#include "health_ping.h"

static const phx_health_metric_def *def_of(const char *label)
{
	size_t n;
	phx_health_check *c = phx_health_checks(&n);
	for (size_t i = 0; i < n; i++)
		for (const phx_health_metric_def *d = c[i].metrics; d && d->label; d++)
			if (strcmp(d->label, label) == 0)
				return d;
	return NULL;
}

static void test_specs(void)
{
	phx_health_ctx ctx = { 0 };
	char err[256];
	phx_range w, k;
	const phx_health_metric_def *d = def_of("runs.success");
	CHECK(d != NULL);
	phx_health_ranges(&ctx, d, &w, &k);
	CHECK_STR(w.text, "90:");	/* the runbook's defaults */
	CHECK_STR(k.text, "80:");
	CHECK_INT(phx_health_parse_spec(&ctx, "runs.success=95:,runs.error=~:5", 0, err,
					sizeof err), 0);
	CHECK_INT(phx_health_parse_spec(&ctx, "runs.success=85:", 1, err, sizeof err), 0);
	CHECK_INT(phx_health_parse_spec(&ctx, "runs.success=97:", 0, err, sizeof err), 0);
	phx_health_ranges(&ctx, d, &w, &k);
	CHECK_STR(w.text, "97:");	/* the last -w wins */
	CHECK_STR(k.text, "85:");
	CHECK_INT(phx_range_alert(&w, 96), 1);
	CHECK_INT(phx_range_alert(&k, 96), 0);
	CHECK_INT(phx_health_parse_spec(&ctx, "nosuch.metric=1", 0, err, sizeof err), -1);
	CHECK(strstr(err, "nosuch.metric") != NULL);
	CHECK_INT(phx_health_parse_spec(&ctx, "runs.success", 0, err, sizeof err), -1);
	CHECK_INT(phx_health_parse_spec(&ctx, "runs.success=20:10", 0, err, sizeof err), -1);
	CHECK_INT(phx_health_parse_spec(&ctx, "", 0, err, sizeof err), -1);
	free(ctx.ov);
}

static void test_meminfo(void)
{
	long long total = 0, avail = 0;
	const char *t = "MemTotal:       24683420 kB\nMemFree:  100 kB\n"
			"MemAvailable:   20000000 kB\n";
	CHECK_INT(phx_health_meminfo_parse(t, strlen(t), &total, &avail), 0);
	CHECK_INT(total, 24683420);
	CHECK_INT(avail, 20000000);
	const char *old = "MemTotal: 1000 kB\nMemFree: 10 kB\n";	/* no MemAvailable */
	CHECK_INT(phx_health_meminfo_parse(old, strlen(old), &total, &avail), -1);
	CHECK_INT(phx_health_meminfo_parse("", 0, &total, &avail), -1);
}

static void test_ping_suffix(void)
{
	char b[16];
	CHECK_STR(phx_health_ping_suffix(0, b), "");
	CHECK_STR(phx_health_ping_suffix(2, b), "/2");
	CHECK_STR(phx_health_ping_suffix(75, b), "/75");
}

static void test_counts(void)
{
	phx_health_check c = { 0 };
	c.selected = 1;
	c.r.skipped = 1;
	CHECK_INT(phx_health_counts(&c, 0), 0);	/* skipped, not named: ignored */
	CHECK_INT(phx_health_counts(&c, 1), 1);	/* named with --check: counts */
	c.r.skipped = 0;
	CHECK_INT(phx_health_counts(&c, 0), 1);
	c.selected = 0;
	CHECK_INT(phx_health_counts(&c, 1), 0);
}

int main(void)
{
	test_specs();
	test_meminfo();
	test_ping_suffix();
	test_counts();
	return unit_done();
}
