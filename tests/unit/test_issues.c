/* test_issues.c - the findings list and JSON Pointers. */
#include <stdlib.h>
#include <string.h>
#include "issues.h"
#include "jptr.h"
#include "unit.h"

static int count_warnings(const phx_finding *f, void *ctx)
{
	if (f->severity == PHX_SEV_WARNING)
		(*(int *)ctx)++;
	return 0;
}

static int stop_at_second(const phx_finding *f, void *ctx)
{
	(void)f;
	return ++(*(int *)ctx) == 2 ? 42 : 0;
}

static void test_list(void)
{
	phx_issues *l = phx_issues_new();
	int n = 0;

	phx_issues_add(l, PHX_SEV_ERROR, "schema.range", "/features/year_built",
		       "%d is above the maximum %d", 2091, 2027);
	phx_issues_add(l, PHX_SEV_WARNING, "rule.w", "/a", "w1");
	phx_issues_add(l, PHX_SEV_WARNING, "rule.w", NULL, "w2");
	CHECK_INT(phx_issues_count(l), 3);
	CHECK_INT(phx_issues_errors(l), 1);
	CHECK_INT(phx_issues_warnings(l), 2);
	CHECK_STR(phx_issues_get(l, 0)->message, "2091 is above the maximum 2027");
	CHECK_STR(phx_issues_get(l, 2)->path, "");
	CHECK(phx_issues_get(l, 3) == NULL);
	CHECK_INT(phx_issues_each(l, count_warnings, &n), 0);
	CHECK_INT(n, 2);
	n = 0;
	CHECK_INT(phx_issues_each(l, stop_at_second, &n), 42);
	CHECK_STR(phx_severity_name(PHX_SEV_ERROR), "error");
	CHECK_STR(phx_severity_name(PHX_SEV_WARNING), "warning");

	json_t *all = phx_issues_to_json(l, -1), *warn = phx_issues_to_json(l, PHX_SEV_WARNING);
	char *text = json_dumps(json_array_get(all, 0), JSON_COMPACT);
	CHECK_INT(json_array_size(all), 3);
	CHECK_INT(json_array_size(warn), 2);
	CHECK_STR(text, "{\"severity\":\"error\",\"code\":\"schema.range\","
		  "\"path\":\"/features/year_built\",\"message\":\"2091 is above the maximum 2027\"}");
	free(text);
	json_decref(all);
	json_decref(warn);

	phx_buf b = PHX_BUF_INIT;
	phx_issues_summary(l, -1, 2, &b);
	CHECK_STR(b.data, "/features/year_built: 2091 is above the maximum 2027; /a: w1; and 1 more");
	phx_buf_clear(&b);
	phx_issues_summary(l, PHX_SEV_WARNING, 5, &b);
	CHECK_STR(b.data, "/a: w1; /: w2");
	phx_buf_free(&b);

	phx_issues_clear(l);
	CHECK_INT(phx_issues_count(l), 0);
	CHECK_INT(phx_issues_errors(l), 0);
	CHECK_INT(phx_issues_warnings(l), 0);
	for (int i = 0; i < 100; i++)	/* grows past its first allocation */
		phx_issues_add(l, PHX_SEV_ERROR, "x", "/x", "%d", i);
	CHECK_STR(phx_issues_get(l, 99)->message, "99");
	phx_issues_free(l);
	phx_issues_free(NULL);
}

static void test_jptr(void)
{
	phx_jptr p;
	json_t *doc = json_loads("{\"a\":{\"b/c\":[10,{\"~k\":7}]},\"\":1}", 0, NULL);

	CHECK_INT(phx_jptr_compile(&p, "/a/b~1c/1/~0k"), 0);
	CHECK_INT(p.ntok, 4);
	CHECK_INT(json_integer_value(phx_jptr_get(&p, doc)), 7);
	phx_jptr_free(&p);
	CHECK_INT(phx_jptr_compile(&p, "/a/b~1c/0"), 0);
	CHECK_INT(json_integer_value(phx_jptr_get(&p, doc)), 10);
	phx_jptr_free(&p);
	CHECK_INT(phx_jptr_compile(&p, "/a/b~1c/01"), 0);	/* leading zero: no index */
	CHECK(phx_jptr_get(&p, doc) == NULL);
	phx_jptr_free(&p);
	CHECK_INT(phx_jptr_compile(&p, "/a/b~1c/5"), 0);
	CHECK(phx_jptr_get(&p, doc) == NULL);
	phx_jptr_free(&p);
	CHECK_INT(phx_jptr_compile(&p, "/"), 0);	/* the member named "" */
	CHECK_INT(json_integer_value(phx_jptr_get(&p, doc)), 1);
	phx_jptr_free(&p);
	CHECK_INT(phx_jptr_compile(&p, ""), 0);
	CHECK(phx_jptr_get(&p, doc) == doc);
	phx_jptr_free(&p);
	CHECK_INT(phx_jptr_compile(&p, "a/b"), -1);
	CHECK_INT(phx_jptr_compile(&p, "/a~2"), -1);
	CHECK_INT(phx_jptr_compile(&p, "/a~"), -1);

	phx_buf b = PHX_BUF_INIT;
	phx_jptr_add_token(&b, "x/y~z", 5);
	CHECK_STR(b.data, "/x~1y~0z");
	phx_buf_free(&b);
	json_decref(doc);
}

int main(void)
{
	test_list();
	test_jptr();
	return unit_done();
}
