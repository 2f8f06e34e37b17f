/* fuzz_runs.c - libFuzzer target for what phx-health and phx-report read that
 * a person or a damaged disk can write: a Monitoring Plugins range (-w/-c) and
 * the run journal (runs.ndjson).
 *
 * Input: the first line is a range; the rest is a run journal, read through a
 * memfd by phx_sla_read over a window of all time.
 *
 * Besides "no crash" and "no leak": a range that parses alerts the same way
 * twice and is printed back as given; one that does not is unset and never
 * alerts; the SLA percentages are -1 (nothing to divide) or within [0, 100],
 * and every line is counted. */
#define FUZZ_QUIET_LOG
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "fuzz_input.h"
#include "sla.h"
#include "threshold.h"

#define FAIL(...) do { fprintf(stderr, "fuzz_runs: " __VA_ARGS__); abort(); } while (0)

static void check_range(const char *text)
{
	phx_range r;
	static const double probes[] = { -1e300, -1, 0, 0.5, 10, 1e300 };
	if (phx_range_parse(text, &r) != 0) {
		if (r.set)
			FAIL("a range that did not parse is set\n");
		for (size_t i = 0; i < sizeof probes / sizeof *probes; i++)
			if (phx_range_alert(&r, probes[i]))
				FAIL("an unset range alerts\n");
		return;
	}
	if (r.set && strcmp(r.text, text) != 0)
		FAIL("range text changed\n");
	for (size_t i = 0; i < sizeof probes / sizeof *probes; i++)
		if (phx_range_alert(&r, probes[i]) != phx_range_alert(&r, probes[i]))
			FAIL("alert not deterministic\n");
}

static void check_pct(double v, const char *what)
{
	if (v != -1 && (v < 0 || v > 100))
		FAIL("%s out of range: %g\n", what, v);
}

static void check_journal(const uint8_t *data, size_t size)
{
	int fd = memfd_create("runs", 0);
	if (fd < 0)
		return;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return;
	}
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	phx_sla s;
	if (phx_sla_read(path, 0, (time_t)1 << 40, &s) == 0) {
		check_pct(s.success_pct, "success");
		check_pct(s.error_pct, "error");
		if (s.bad_lines > s.lines)
			FAIL("more bad lines than lines\n");
	}
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *range = fuzz_field(&data, &size, '\n');
	check_range(range);
	free(range);
	check_journal(data, size);
	return 0;
}
