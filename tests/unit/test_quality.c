/* test_quality.c - the quality score: completeness, consistency, validity. */
#include <stdlib.h>
#include <string.h>
#include "quality.h"
#include "unit.h"

static double score(const phx_quality_cfg *cfg, const char *doc, int errors, int warnings)
{
	json_t *d = json_loads(doc, 0, NULL);
	phx_issues *f = phx_issues_new();
	double s;

	for (int i = 0; i < errors; i++)
		phx_issues_add(f, PHX_SEV_ERROR, "schema.type", "/x", "e");
	for (int i = 0; i < warnings; i++)
		phx_issues_add(f, PHX_SEV_WARNING, "rule.w", "/x", "w");
	s = phx_quality_score(d, f, cfg);
	phx_issues_free(f);
	json_decref(d);
	return s;
}

/* Scores are rounded to 3 decimals: compare in thousandths. */
#define CHECK_SCORE(got, want) CHECK_INT((long long)((got) * 1000 + 0.5), (want))

static void test_defaults(void)
{
	phx_quality_cfg *cfg = phx_quality_cfg_new();

	CHECK_SCORE(score(cfg, "{}", 0, 0), 1000);	/* nothing weighted: complete */
	/* (0.5 * 1 + 0.25 * (1 - 0.25) + 0.25 * 1) / 1 */
	CHECK_SCORE(score(cfg, "{}", 0, 1), 938);
	CHECK_SCORE(score(cfg, "{}", 0, 4), 750);	/* consistency floors at 0 */
	CHECK_SCORE(score(cfg, "{}", 0, 9), 750);
	CHECK_SCORE(score(cfg, "{}", 1, 0), 875);
	CHECK_SCORE(score(cfg, "{}", 2, 4), 500);
	CHECK(phx_quality_score(NULL, NULL, cfg) >= 0);
	phx_quality_cfg_free(cfg);
}

static void test_completeness(void)
{
	phx_quality_cfg *cfg = phx_quality_cfg_new();

	CHECK_INT(phx_quality_cfg_weight(cfg, "/features/bedrooms", 3, NULL), 0);
	CHECK_INT(phx_quality_cfg_weight(cfg, "/address/zip", 1, NULL), 0);
	/* only completeness counts from here */
	CHECK_INT(phx_quality_cfg_set(cfg, "consistency", 0, NULL), 0);
	CHECK_INT(phx_quality_cfg_set(cfg, "validity", 0, NULL), 0);
	CHECK_SCORE(score(cfg, "{\"features\":{\"bedrooms\":3},\"address\":{\"zip\":\"85031\"}}",
			  0, 0), 1000);
	CHECK_SCORE(score(cfg, "{\"features\":{\"bedrooms\":3},\"address\":{\"zip\":null}}", 0, 0),
		    750);
	CHECK_SCORE(score(cfg, "{\"features\":{\"bedrooms\":null},\"address\":{\"zip\":\"1\"}}",
			  0, 0), 250);
	CHECK_SCORE(score(cfg, "{\"features\":{\"bedrooms\":0},\"address\":{\"zip\":\"\"}}", 0, 0),
		    750);	/* 0 is a value; an empty string is not */
	CHECK_SCORE(score(cfg, "{}", 0, 0), 0);
	phx_quality_cfg_free(cfg);
}

static void test_rounding_and_mix(void)
{
	phx_quality_cfg *cfg = phx_quality_cfg_new();

	CHECK_INT(phx_quality_cfg_weight(cfg, "/a", 1, NULL), 0);
	CHECK_INT(phx_quality_cfg_weight(cfg, "/b", 1, NULL), 0);
	CHECK_INT(phx_quality_cfg_weight(cfg, "/c", 1, NULL), 0);
	/* (0.5 * 2/3 + 0.25 * 0.75 + 0.25 * 1) = 0.7708.. -> 0.771 */
	double s = score(cfg, "{\"a\":1,\"b\":[1]}", 0, 1);
	CHECK_SCORE(s, 771);
	CHECK_SCORE(score(cfg, "{\"a\":1,\"b\":[],\"c\":{}}", 0, 0), 833);	/* [] is unknown */
	phx_quality_cfg_free(cfg);
}

static void test_cfg_errors(void)
{
	phx_quality_cfg *cfg = phx_quality_cfg_new();
	char *err = NULL;

	CHECK_INT(phx_quality_cfg_weight(cfg, "features/x", 1, &err), -1);
	CHECK(err && strstr(err, "not a JSON Pointer") != NULL);
	free(err);
	err = NULL;
	CHECK_INT(phx_quality_cfg_weight(cfg, "/x", 0, &err), -1);
	free(err);
	err = NULL;
	CHECK_INT(phx_quality_cfg_weight(cfg, "", 1, NULL), -1);
	CHECK_INT(phx_quality_cfg_set(cfg, "warning_penalty", 1.5, &err), -1);
	free(err);
	err = NULL;
	CHECK_INT(phx_quality_cfg_set(cfg, "shininess", 1, &err), -1);
	CHECK(err && strstr(err, "unknown quality setting") != NULL);
	free(err);
	CHECK_INT(phx_quality_cfg_set(cfg, "completeness", 0, NULL), 0);
	CHECK_INT(phx_quality_cfg_set(cfg, "consistency", 0, NULL), 0);
	CHECK_INT(phx_quality_cfg_set(cfg, "validity", 0, NULL), -1);
	CHECK_SCORE(phx_quality_score(NULL, NULL, cfg), 1000);	/* validity kept its weight */
	phx_quality_cfg_free(cfg);
}

int main(void)
{
	test_defaults();
	test_completeness();
	test_rounding_and_mix();
	test_cfg_errors();
	return unit_done();
}
