/* fuzz_health.c - libFuzzer target for the text phx-health parses besides
 * ranges and run journals (fuzz_runs.c): a -w/-c spec "LABEL=RANGE,..."
 * given on a command line, and /proc/meminfo (PHX_HEALTH_MEMINFO may name
 * any file).
 *
 * Input: the first line is a spec; the rest is a meminfo text. Besides "no
 * crash" and "no leak": a spec that parses adds at least one override, one
 * that does not leaves the error words set; a meminfo that parses has
 * 0 <= available <= total and total > 0. */
#define FUZZ_QUIET_LOG
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz_input.h"
#include "health.h"
#include "health_checks.h"

#define FAIL(...) do { fprintf(stderr, "fuzz_health: " __VA_ARGS__); abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *spec = fuzz_field(&data, &size, '\n');
	char *mem = fuzz_rest(data, size, 0);
	phx_health_ctx ctx;
	char err[256] = "";
	long long t, a;

	memset(&ctx, 0, sizeof ctx);
	if (phx_health_parse_spec(&ctx, spec, (int)(size & 1), err, sizeof err) == 0) {
		if (ctx.nov == 0)
			FAIL("a spec parsed into nothing\n");
	} else if (!err[0]) {
		FAIL("a refused spec without words\n");
	}
	free(ctx.ov);
	if (phx_health_meminfo_parse(mem, size, &t, &a) == 0 && (t <= 0 || a < 0 || a > t))
		FAIL("meminfo out of range: %lld %lld\n", t, a);
	free(spec);
	free(mem);
	return 0;
}
