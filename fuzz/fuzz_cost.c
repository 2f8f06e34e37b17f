/* fuzz_cost.c - libFuzzer target for what phx-cost reads that a person or a
 * damaged disk can write: usage journal lines and the price file.
 *
 * Input: the first line is one usage line, read by both readers; the rest is
 * a price file.
 *
 * Besides "no crash" and "no leak": whenever the fast reader of the tools'
 * compact lines (cost_fastline.c) takes a line, the full parser takes it too
 * and reads the same values, so the shortcut never counts what the parser
 * would refuse; a price file that parses prices every unit at no less than
 * nothing for a quantity of zero and gives every known day a fee >= 0. */
#define FUZZ_QUIET_LOG
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cost_ledger.h"
#include "cost_prices.h"
#include "fuzz_input.h"

#define FAIL(...) do { fprintf(stderr, "fuzz_cost: " __VA_ARGS__); abort(); } while (0)

static void check_line(const char *line, size_t n)
{
	phx_cost_usage fast, slow;
	char why[256];

	memset(&fast, 0, sizeof fast);
	memset(&slow, 0, sizeof slow);
	if (phx_cost_fastline(line, n, NULL, &fast) != 1)
		return;
	if (phx_cost_usage_parse(line, n, NULL, &slow, why, sizeof why) != 0)
		FAIL("fast reader took a line the parser refuses (%s)\n", why);
	if (memcmp(&fast, &slow, sizeof fast) != 0)
		FAIL("fast reader and parser read different values\n");
}

static void check_prices(const char *text, size_t n)
{
	phx_prices p;
	char err[512];

	memset(&p, 0, sizeof p);
	if (phx_prices_parse(text, n, "fuzz", &p, err, sizeof err) != 0) {
		phx_prices_free(&p);
		return;
	}
	const phx_price *u = phx_price_unit(&p, "llm", "tokens_in", "2026-12-06");
	if (u && phx_price_cost(u, 0) < 0)
		FAIL("a quantity of 0 costs less than nothing\n");
	if (phx_prices_fixed_day(&p, 2026, 12, 6, NULL, NULL) < 0)
		FAIL("a negative fixed fee for a day\n");
	phx_prices_free(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t n = nl ? (size_t)(nl - data) : size;
	char *line = fuzz_rest(data, n, 0);	/* exactly sized: ASan sees overreads */

	check_line(line, n);
	free(line);
	data += n + (nl ? 1 : 0);
	size -= n + (nl ? 1 : 0);
	char *text = fuzz_rest(data, size, 0);
	check_prices(text, size);
	free(text);
	return 0;
}
