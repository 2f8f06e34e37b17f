/* fuzz_schema.c - libFuzzer target for the validator: the input is parsed as
 * JSON and checked against the shipped property schema (compiled once, from
 * the copy built into every binary), the shipped rules and the quality score.
 * The same input is also compiled as a schema and, when it compiles, the
 * input is checked against itself, so the schema compiler sees hostile text.
 *
 * Besides "no crash", it checks what callers rely on: every finding has a
 * code, a path that is "" or starts with "/", a message, and the findings
 * serialize to JSON; the score is within [0, 1]. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "defaults.h"
#include "issues.h"
#include "quality.h"
#include "rules.h"
#include "schema.h"

static phx_schema *schema;
static phx_rules *rules;
static phx_issues *found;

static void setup(void)
{
	char *err = NULL;
	json_t *root = json_loads(phx_default_schema, 0, NULL);

	schema = root ? phx_schema_compile(root, "property.schema.json", &err) : NULL;
	json_decref(root);
	rules = phx_rules_parse(phx_default_rules, "rules.conf", &err);
	if (!schema || !rules || phx_rules_set_target_zips(rules, "85031 85033", &err))
		abort();	/* the shipped files must load */
	phx_rules_set_now(rules, 1795867200);	/* a fixed clock: reproducible runs */
	found = phx_issues_new();
}

static int finding_ok(const phx_finding *f, void *ctx)
{
	(void)ctx;
	if (!f->code || strncmp(f->code, "schema.", 7) != 0) {
		if (!f->code || strncmp(f->code, "rule.", 5) != 0)
			abort();
	}
	if (!f->path || (f->path[0] != '\0' && f->path[0] != '/') || !f->message)
		abort();
	return 0;
}

static void check_findings(void)
{
	json_t *arr = phx_issues_to_json(found, -1);

	phx_issues_each(found, finding_ok, NULL);
	if (json_array_size(arr) != phx_issues_count(found))
		abort();	/* a finding that does not serialize would be lost */
	json_decref(arr);
}

/* Compiling "{n}" patterns from fuzz input can make glibc build huge automata
 * within the 255 bound; keep those inputs to the record path only. */
static int has_interval(const uint8_t *data, size_t size)
{
	for (size_t i = 0; i + 1 < size; i++)
		if (data[i] == '{' && data[i + 1] >= '0' && data[i + 1] <= '9')
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *doc;
	double q;

	if (!schema)
		setup();
	doc = json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	if (!doc)
		return 0;
	phx_issues_clear(found);
	phx_schema_check(schema, doc, found);
	phx_rules_check(rules, doc, found);
	check_findings();
	q = phx_quality_score(doc, found, phx_rules_quality(rules));
	if (!(q >= 0 && q <= 1))
		abort();
	if (!has_interval(data, size)) {
		char *err = NULL;
		phx_schema *self = phx_schema_compile(doc, "input", &err);

		if (self) {
			phx_issues_clear(found);
			phx_schema_check(self, doc, found);
			check_findings();
			phx_schema_free(self);
		} else if (!err || !*err) {
			abort();	/* a refusal always says why */
		}
		free(err);
	}
	json_decref(doc);
	return 0;
}
