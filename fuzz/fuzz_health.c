/* fuzz_health.c - libFuzzer target for what phx-health reads from outside:
 * a -w/-c specification ("LABEL=RANGE,...") from the command line and the
 * text of /proc/meminfo (PHX_HEALTH_MEMINFO points anywhere).
 *
 * Input: the first line is a -w spec; the rest is a meminfo text.
 * Besides "no crash" and "no leak": a spec that parses adds one override per
 * LABEL=RANGE item, each naming a metric a check declares; one that does
 * not leaves the overrides as they were. Parsed memory figures are not
 * negative and the available memory is at most the total. */
#define FUZZ_QUIET_LOG
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz_input.h"
#include "health.h"
#include "health_checks.h"

#define FAIL(...) do { fprintf(stderr, "fuzz_health: " __VA_ARGS__); abort(); } while (0)

static int declared(const char *label)
{
	size_t n;
	phx_health_check *c = phx_health_checks(&n);
	for (size_t i = 0; i < n; i++)
		for (const phx_health_metric_def *d = c[i].metrics; d && d->label; d++)
			if (strcmp(d->label, label) == 0)
				return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *spec = fuzz_field(&data, &size, '\n');
	phx_health_ctx ctx = { 0 };
	char err[256];
	if (phx_health_parse_spec(&ctx, spec, 0, err, sizeof err) == 0) {
		if (ctx.nov == 0)
			FAIL("a spec that parsed added nothing\n");
		for (size_t i = 0; i < ctx.nov; i++)
			if (!declared(ctx.ov[i].label) || ctx.ov[i].crit)
				FAIL("override %s is not a declared -w metric\n", ctx.ov[i].label);
	}
	free(ctx.ov);
	free(spec);

	char *text = fuzz_rest(data, size, 0);
	long long total = -1, avail = -1;
	if (phx_health_meminfo_parse(text, size, &total, &avail) == 0 &&
	    (total < 0 || avail < 0 || avail > total))
		FAIL("meminfo: total %lld, available %lld\n", total, avail);
	free(text);
	return 0;
}
