/* fuzz_config.c - libFuzzer target for the settings people write: the config
 * file, the rules file, and the values read from them or from the network:
 * rate specs ("1000/h:5"), target ZIP lists and Retry-After headers.
 *
 * The config file is kept in file-local state of lib/config.c with no way to
 * empty it, so that file is compiled into this target (its object from the
 * library is then not linked) and the entries are freed after every run;
 * otherwise they would pile up from run to run.
 *
 * Input: the whole input is the config file (through one memfd) and the rules
 * text; each of its first lines is also tried as a rate spec, a ZIP list and
 * a Retry-After value.
 *
 * Besides "no crash" and "no leak", it checks what callers rely on: a loaded
 * config has trimmed non-empty lower-case keys naming no secret, a value stays
 * on its line and the last assignment of a key wins; a rules file either
 * loads (codes "rule.NAME", a score in [0, 1] for a sample record) or says
 * why; a rate is
 * positive with a burst in [1, 1e6] and a fresh bucket gives its first token;
 * a Retry-After is -1 or a wait that is not negative. */
#define FUZZ_QUIET_LOG
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "../lib/config.c"
#include "fuzz_input.h"
#include "http.h"
#include "issues.h"
#include "quality.h"
#include "ratelimit.h"
#include "rules.h"

#define FAIL(...) do { fprintf(stderr, "fuzz_config: " __VA_ARGS__); abort(); } while (0)

#define MAX_VALUE_LINES 16
#define NOW ((time_t)1795867200)	/* a fixed clock: reproducible runs */

static const char SAMPLE[] =
	"{\"property_id\":\"apn:10306005\",\"apn\":\"10306005\","
	"\"address_key\":\"85031|4027|n 55th ave|\",\"address\":{\"street\":\"4027 N 55TH AVE\","
	"\"zip\":\"85031\"},\"property_type\":\"single_family\",\"observed_at\":"
	"\"2026-11-28T12:00:00Z\",\"features\":{\"bedrooms\":3,\"square_feet\":1152,"
	"\"lot_size_sqft\":6011,\"year_built\":1955},\"listing\":{\"list_price\":329000},"
	"\"parcel\":{\"valuations\":[{\"tax_year\":2026,\"full_cash_value\":289100}]}}";

static char path[64];
static int fd = -1;
static json_t *sample;
static phx_issues *found;

static void setup_once(void)
{
	if (fd >= 0)
		return;
	fd = memfd_create("fuzz_config", MFD_CLOEXEC);
	sample = json_loads(SAMPLE, 0, NULL);
	found = phx_issues_new();
	if (fd < 0 || !sample)
		abort();
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	phx_log_set_tool("fuzz_config");
}

static void forget_config(void)
{
	for (size_t i = 0; i < nentries; i++) {
		free(entries[i].key);
		free(entries[i].value);
	}
	free(entries);
	entries = NULL;
	nentries = 0;
}

static void check_config(const uint8_t *data, size_t size)
{
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		FAIL("cannot write %s\n", path);
	if (phx_config_load(path) != 0)
		return;
	for (size_t i = 0; i < nentries; i++) {
		const char *k = entries[i].key, *v = entries[i].value;
		size_t kl = strlen(k), vl = strlen(v);
		if (!kl || names_secret(k) || isspace((unsigned char)k[0]) ||
		    isspace((unsigned char)k[kl - 1]))
			FAIL("key \"%s\" is empty, untrimmed or names a secret\n", k);
		for (const char *c = k; *c; c++)
			if (isupper((unsigned char)*c))
				FAIL("key \"%s\" is not lower case\n", k);
		if (memchr(v, '\n', vl))
			FAIL("value of %s runs over a line\n", k);
		const char *last = phx_config_file_value(k);
		for (size_t j = i + 1; j < nentries; j++)
			if (strcmp(entries[j].key, k) == 0)
				v = entries[j].value;
		if (last != v)
			FAIL("%s: not the last assignment\n", k);
	}
}

static void check_rules(const char *text)
{
	char *err = NULL;
	phx_rules *rules = phx_rules_parse(text, "rules.conf", &err);
	if (!rules) {
		if (!err || !*err)
			FAIL("rules refused without a message\n");
		free(err);
		return;
	}
	for (size_t i = 0; i < phx_rules_count(rules); i++)
		if (strncmp(phx_rules_code(rules, i), "rule.", 5) != 0)
			FAIL("rule code \"%s\"\n", phx_rules_code(rules, i));
	if (phx_rules_set_target_zips(rules, "85031 85033", &err) != 0)
		FAIL("a good ZIP list refused: %s\n", err);
	phx_rules_set_now(rules, NOW);
	phx_issues_clear(found);
	phx_rules_check(rules, sample, found);
	double q = phx_quality_score(sample, found, phx_rules_quality(rules));
	if (!(q >= 0 && q <= 1))
		FAIL("quality score %g outside [0, 1]\n", q);
	phx_rules_free(rules);
}

static void check_value(const char *s, phx_rules *zips_holder)
{
	double per_sec = 0, burst = 0;
	if (phx_rate_parse(s, &per_sec, &burst) == 0) {
		if (!(per_sec > 0) || !isfinite(per_sec) || !(burst >= 1 && burst <= 1e6))
			FAIL("rate \"%s\" gave %g/s burst %g\n", s, per_sec, burst);
		phx_bucket_state b = { 0 };
		if (phx_bucket_take(&b, 1700000000000LL, per_sec, burst) != 0)
			FAIL("a fresh bucket for \"%s\" had no token\n", s);
		if (phx_bucket_take(&b, 1700000000000LL, per_sec, burst) < 0)
			FAIL("negative wait for \"%s\"\n", s);
	}
	long ms = phx_http_retry_after_ms(s, NOW);
	if (ms < -1)
		FAIL("Retry-After \"%s\" gave %ld ms\n", s, ms);
	char *err = NULL;
	if (phx_rules_set_target_zips(zips_holder, s, &err) != 0) {
		if (!err || !*err)
			FAIL("ZIP list refused without a message\n");
		free(err);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup_once();
	check_config(data, size);
	forget_config();

	char *text = fuzz_rest(data, size, 1);
	check_rules(text);
	free(text);

	char *err = NULL;
	phx_rules *empty = phx_rules_parse("", "empty", &err);
	if (!empty)
		FAIL("an empty rules file is refused: %s\n", err ? err : "");
	for (int i = 0; i < MAX_VALUE_LINES && size > 0; i++) {
		char *line = fuzz_field(&data, &size, '\n');
		check_value(line, empty);
		free(line);
	}
	phx_rules_free(empty);
	return 0;
}
