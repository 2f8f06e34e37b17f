/* test_schema.c - the JSON Schema subset: every keyword passing and failing,
 * every failure reported, load-time refusals with their JSON Pointer. */
#include <stdlib.h>
#include <string.h>
#include "schema.h"
#include "unit.h"

static char *load_err;
static phx_issues *found;

/* Compile a schema written as JSON text; NULL on failure (load_err set). */
static phx_schema *S(const char *text)
{
	json_error_t je;
	json_t *root = json_loads(text, JSON_DECODE_ANY, &je);
	phx_schema *s;

	free(load_err);
	load_err = NULL;
	if (!root) {
		printf("# bad test schema: %s\n", je.text);
		return NULL;
	}
	s = phx_schema_compile(root, "t", &load_err);
	json_decref(root);
	return s;
}

/* Number of findings of doc (JSON text) against s; -1 when the test is broken. */
static long R(const phx_schema *s, const char *doc)
{
	json_error_t je;
	json_t *d = json_loads(doc, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	size_t n;

	if (!s || !d) {
		json_decref(d);
		return -1;
	}
	phx_issues_clear(found);
	n = phx_schema_check(s, d, found);
	json_decref(d);
	return (long)n;
}

static const char *code(size_t i)
{
	const phx_finding *f = phx_issues_get(found, i);
	return f ? f->code : "(none)";
}

static const char *path(size_t i)
{
	const phx_finding *f = phx_issues_get(found, i);
	return f ? f->path : "(none)";
}

static const char *msg(size_t i)
{
	const phx_finding *f = phx_issues_get(found, i);
	return f ? f->message : "(none)";
}

static int err_has(const char *needle)
{
	return load_err && strstr(load_err, needle) != NULL;
}

static void test_type(void)
{
	phx_schema *s = S("{\"type\":\"string\"}");
	CHECK_INT(R(s, "\"a\""), 0);
	CHECK_INT(R(s, "1"), 1);
	CHECK_STR(code(0), "schema.type");
	CHECK_STR(msg(0), "expected string, got integer 1");
	phx_schema_free(s);

	s = S("{\"type\":\"integer\"}");
	CHECK_INT(R(s, "7"), 0);
	CHECK_INT(R(s, "-9223372036854775807"), 0);
	CHECK_INT(R(s, "1.0"), 1);	/* a number as written, not an integer */
	CHECK_INT(R(s, "1.5"), 1);
	CHECK_INT(R(s, "\"7\""), 1);
	phx_schema_free(s);

	s = S("{\"type\":\"number\"}");
	CHECK_INT(R(s, "7"), 0);	/* every integer is a number */
	CHECK_INT(R(s, "7.25"), 0);
	CHECK_INT(R(s, "null"), 1);
	phx_schema_free(s);

	s = S("{\"type\":[\"string\",\"null\"]}");
	CHECK_INT(R(s, "null"), 0);
	CHECK_INT(R(s, "\"x\""), 0);
	CHECK_INT(R(s, "false"), 1);
	CHECK_STR(msg(0), "expected string or null, got boolean false");
	phx_schema_free(s);

	s = S("{\"type\":[\"boolean\",\"object\",\"array\"]}");
	CHECK_INT(R(s, "true"), 0);
	CHECK_INT(R(s, "{}"), 0);
	CHECK_INT(R(s, "[]"), 0);
	CHECK_INT(R(s, "0"), 1);
	phx_schema_free(s);

	CHECK(S("{\"type\":\"date\"}") == NULL);
	CHECK(err_has("t: /type: \"type\" must name JSON types"));
	CHECK(S("{\"type\":[]}") == NULL);
	CHECK(S("{\"type\":[\"null\",\"null\"]}") == NULL);
}

static void test_required_and_properties(void)
{
	phx_schema *s = S("{\"required\":[\"a\",\"b\",\"c\"],\"properties\":{"
			  "\"a\":{\"type\":\"integer\"},\"o\":{\"properties\":{"
			  "\"x/y~z\":{\"type\":\"string\"}}}}}");

	CHECK_INT(R(s, "{\"a\":1,\"b\":2,\"c\":3}"), 0);
	CHECK_INT(R(s, "{\"a\":1}"), 2);	/* both missing members, not only the first */
	CHECK_STR(code(0), "schema.required");
	CHECK_STR(path(0), "/b");
	CHECK_STR(path(1), "/c");
	CHECK_INT(R(s, "{\"a\":\"1\",\"b\":2,\"c\":3}"), 1);
	CHECK_STR(path(0), "/a");
	/* keys with / and ~ are escaped in the pointer (RFC 6901) */
	CHECK_INT(R(s, "{\"a\":1,\"b\":2,\"c\":3,\"o\":{\"x/y~z\":5}}"), 1);
	CHECK_STR(path(0), "/o/x~1y~0z");
	/* properties and required apply to objects only */
	CHECK_INT(R(s, "[1]"), 0);
	phx_schema_free(s);
	CHECK(S("{\"required\":[\"a\",\"a\"]}") == NULL);
	CHECK(S("{\"required\":\"a\"}") == NULL);
	CHECK(S("{\"properties\":[]}") == NULL);
}

static void test_additional(void)
{
	phx_schema *s = S("{\"properties\":{\"a\":true},\"additionalProperties\":false}");

	CHECK_INT(R(s, "{\"a\":1}"), 0);
	CHECK_INT(R(s, "{\"a\":1,\"b\":2,\"c\":3}"), 2);
	CHECK_STR(code(0), "schema.additional");
	CHECK_STR(path(1), "/c");
	phx_schema_free(s);

	s = S("{\"properties\":{\"a\":true},\"additionalProperties\":{\"type\":\"string\"}}");
	CHECK_INT(R(s, "{\"a\":1,\"b\":\"x\"}"), 0);
	CHECK_INT(R(s, "{\"a\":1,\"b\":2}"), 1);
	CHECK_STR(code(0), "schema.type");
	CHECK_STR(path(0), "/b");
	phx_schema_free(s);

	s = S("{\"additionalProperties\":true}");
	CHECK_INT(R(s, "{\"zz\":1}"), 0);
	phx_schema_free(s);
}

static void test_enum_const(void)
{
	phx_schema *s = S("{\"enum\":[\"a\",1,null,{\"k\":[1]}]}");

	CHECK_INT(R(s, "\"a\""), 0);
	CHECK_INT(R(s, "null"), 0);
	CHECK_INT(R(s, "{\"k\":[1]}"), 0);
	CHECK_INT(R(s, "\"b\""), 1);
	CHECK_STR(code(0), "schema.enum");
	CHECK_INT(R(s, "1.0"), 1);	/* integers and reals differ, as with "type" */
	phx_schema_free(s);
	CHECK(S("{\"enum\":[]}") == NULL);

	s = S("{\"const\":\"AZ\"}");
	CHECK_INT(R(s, "\"AZ\""), 0);
	CHECK_INT(R(s, "\"az\""), 1);
	CHECK_STR(code(0), "schema.const");
	CHECK_STR(msg(0), "\"az\" is not \"AZ\"");
	phx_schema_free(s);
}

static void test_ranges(void)
{
	phx_schema *s = S("{\"minimum\":1,\"maximum\":10}");

	CHECK_INT(R(s, "1"), 0);
	CHECK_INT(R(s, "10"), 0);
	CHECK_INT(R(s, "0"), 1);
	CHECK_STR(code(0), "schema.range");
	CHECK_STR(msg(0), "0 is below the minimum 1");
	CHECK_INT(R(s, "10.5"), 1);
	CHECK_STR(msg(0), "10.5 is above the maximum 10");
	CHECK_INT(R(s, "\"100\""), 0);	/* numeric keywords ignore strings */
	phx_schema_free(s);

	s = S("{\"exclusiveMinimum\":0,\"exclusiveMaximum\":1.5}");
	CHECK_INT(R(s, "0.0001"), 0);
	CHECK_INT(R(s, "1"), 0);
	CHECK_INT(R(s, "0"), 1);
	CHECK_INT(R(s, "1.5"), 1);
	phx_schema_free(s);

	/* Integers beyond 2^53 compare exactly: a double would call them equal. */
	s = S("{\"maximum\":9007199254740992}");
	CHECK_INT(R(s, "9007199254740992"), 0);
	CHECK_INT(R(s, "9007199254740993"), 1);
	phx_schema_free(s);
	s = S("{\"minimum\":9223372036854775807}");
	CHECK_INT(R(s, "9223372036854775807"), 0);
	CHECK_INT(R(s, "9223372036854775806"), 1);
	phx_schema_free(s);
	s = S("{\"minimum\":0.5,\"maximum\":1e300}");
	CHECK_INT(R(s, "0"), 1);
	CHECK_INT(R(s, "1"), 0);
	CHECK_INT(R(s, "9223372036854775807"), 0);
	phx_schema_free(s);
	s = S("{\"exclusiveMaximum\":9007199254740993}");
	CHECK_INT(R(s, "9007199254740992.0"), 0);	/* the real is 2^53, below the limit */
	CHECK_INT(R(s, "9007199254740993"), 1);
	phx_schema_free(s);
	CHECK(S("{\"minimum\":\"1\"}") == NULL);
	CHECK(err_has("/minimum: must be a number"));
}

static void test_lengths(void)
{
	/* "\u00e9" is 2 bytes, 1 code point */
	phx_schema *s = S("{\"maxLength\":2}");

	CHECK_INT(R(s, "\"\\u00e9\\u00e9\""), 0);
	CHECK_INT(R(s, "\"\\u00e9\\u00e9\\u00e9\""), 1);
	CHECK_STR(code(0), "schema.length");
	CHECK_STR(msg(0), "is 3 characters long, more than the maximum 2");
	CHECK_INT(R(s, "\"\\ud83c\\udfe0x\""), 0);	/* a 4-byte emoji counts once */
	phx_schema_free(s);

	s = S("{\"minLength\":3}");
	CHECK_INT(R(s, "\"abc\""), 0);
	CHECK_INT(R(s, "\"\\u00e9\\u00e9\""), 1);	/* 4 bytes, 2 code points */
	CHECK_INT(R(s, "7"), 0);
	phx_schema_free(s);
	CHECK(S("{\"maxLength\":-1}") == NULL);
	CHECK(S("{\"maxLength\":2.0}") == NULL);
}

static void test_pattern(void)
{
	phx_schema *s = S("{\"pattern\":\"^[0-9]{5}$\"}");

	CHECK_INT(R(s, "\"85031\""), 0);
	CHECK_INT(R(s, "\"8503\""), 1);
	CHECK_STR(code(0), "schema.pattern");
	CHECK_INT(R(s, "\"85031\\u0000\""), 1);	/* an embedded NUL is not the end */
	CHECK_INT(R(s, "85031"), 0);	/* pattern ignores non-strings */
	phx_schema_free(s);

	s = S("{\"pattern\":\"b+\"}");	/* unanchored, as in ECMA-262 */
	CHECK_INT(R(s, "\"abbc\""), 0);
	CHECK_INT(R(s, "\"ac\""), 1);
	phx_schema_free(s);

	CHECK(S("{\"properties\":{\"z\":{\"pattern\":\"^\\\\d{5}$\"}}}") == NULL);
	CHECK(err_has("t: /properties/z/pattern: pattern uses a backslash escape"));
	CHECK(S("{\"pattern\":\"a+?\"}") == NULL);
	CHECK(err_has("lazy quantifier"));
	CHECK(S("{\"pattern\":\"(?:ab)\"}") == NULL);
	CHECK(S("{\"pattern\":\"[\\\\.]\"}") == NULL);
	CHECK(S("{\"pattern\":\"[[:alpha:]]\"}") == NULL);
	CHECK(S("{\"pattern\":\"a++\"}") == NULL);
	CHECK(err_has("a quantifier on a quantifier"));
	CHECK(S("{\"pattern\":\"a{2,256}\"}") == NULL);
	CHECK(err_has("repetition count above 255"));
	CHECK(S("{\"pattern\":\"(ab\"}") == NULL);
	CHECK(err_has("pattern does not compile"));
	s = S("{\"pattern\":\"^a\\\\.b\\\\/c$\"}");	/* escaped metacharacters are fine */
	CHECK(s != NULL);
	CHECK_INT(R(s, "\"a.b/c\""), 0);
	CHECK_INT(R(s, "\"axb/c\""), 1);
	phx_schema_free(s);
}

static void test_items(void)
{
	phx_schema *s = S("{\"items\":{\"type\":\"integer\"},\"minItems\":1,\"maxItems\":3}");

	CHECK_INT(R(s, "[1,2,3]"), 0);
	CHECK_INT(R(s, "[1,\"2\",3,\"4\"]"), 3);	/* the count and two bad items */
	CHECK_STR(code(0), "schema.count");
	CHECK_STR(path(1), "/1");
	CHECK_STR(path(2), "/3");
	CHECK_INT(R(s, "[]"), 1);
	CHECK_STR(code(0), "schema.count");
	CHECK_INT(R(s, "{}"), 0);
	phx_schema_free(s);

	s = S("{\"items\":false}");
	CHECK_INT(R(s, "[]"), 0);
	CHECK_INT(R(s, "[1]"), 1);
	CHECK_STR(code(0), "schema.false");
	phx_schema_free(s);
	CHECK(S("{\"items\":[{\"type\":\"string\"}]}") == NULL);
	CHECK(S("{\"minItems\":\"1\"}") == NULL);
}

static void test_refs(void)
{
	phx_schema *s = S("{\"$defs\":{\"zip\":{\"type\":\"string\",\"pattern\":\"^[0-9]{5}$\"},"
			  "\"a~b\":{\"type\":\"null\"}},\"properties\":{"
			  "\"zip\":{\"$ref\":\"#/$defs/zip\"},\"n\":{\"$ref\":\"#/$defs/a~0b\"},"
			  "\"big\":{\"$ref\":\"#/$defs/zip\",\"maxLength\":3},"
			  "\"self\":{\"$ref\":\"#\"}}}");

	CHECK(s != NULL);
	CHECK_INT(R(s, "{\"zip\":\"85031\",\"n\":null}"), 0);
	CHECK_INT(R(s, "{\"zip\":\"8503x\"}"), 1);
	CHECK_STR(path(0), "/zip");
	CHECK_STR(code(0), "schema.pattern");
	CHECK_INT(R(s, "{\"n\":1}"), 1);
	CHECK_INT(R(s, "{\"big\":\"85031\"}"), 1);	/* $ref and its siblings both apply */
	CHECK_STR(code(0), "schema.length");
	CHECK_INT(R(s, "{\"self\":{\"self\":{\"zip\":1}}}"), 1);	/* recursion through "#" */
	CHECK_STR(path(0), "/self/self/zip");
	phx_schema_free(s);

	CHECK(S("{\"$ref\":\"#/$defs/nope\"}") == NULL);
	CHECK(err_has("t: (root): \"$ref\": \"#/$defs/nope\" does not resolve"));
	CHECK(S("{\"$ref\":\"#/definitions/x\",\"definitions\":{\"x\":true}}") == NULL);
	CHECK(S("{\"$ref\":\"other.json#/$defs/x\"}") == NULL);
	CHECK(S("{\"$ref\":1}") == NULL);
	CHECK(S("{\"$defs\":{\"a\":{\"$ref\":\"#/$defs/b\"},\"b\":{\"$ref\":\"#/$defs/a\"}}}")
	      == NULL);
	CHECK(err_has("loops back"));
	CHECK(S("{\"properties\":{\"x\":{\"$defs\":{}}}}") == NULL);
	CHECK(err_has("/properties/x/$defs"));
}

static void test_unsupported(void)
{
	CHECK(S("{\"properties\":{\"a\":{\"oneOf\":[true]}}}") == NULL);
	CHECK(err_has("t: /properties/a/oneOf: unsupported keyword \"oneOf\""));
	/* every unsupported keyword is named, not only the first */
	CHECK(S("{\"nullable\":true,\"items\":{\"uniqueItems\":true}}") == NULL);
	CHECK(err_has("/nullable: unsupported keyword"));
	CHECK(err_has("/items/uniqueItems: unsupported keyword"));
	CHECK(S("{\"format\":\"email\"}") == NULL);
	CHECK(err_has("unsupported format \"email\""));
	CHECK(S("7") == NULL);
	CHECK(err_has("a schema must be an object or a boolean"));
	phx_schema *s = S("{\"$schema\":\"x\",\"$id\":\"y\",\"title\":\"t\",\"description\":\"d\","
			  "\"$comment\":\"c\",\"default\":1,\"examples\":[1]}");
	CHECK(s != NULL);	/* annotations are accepted and ignored */
	CHECK_INT(R(s, "\"anything\""), 0);
	phx_schema_free(s);
}

static void test_formats(void)
{
	phx_schema *d = S("{\"format\":\"date\"}");
	phx_schema *t = S("{\"format\":\"date-time\"}");

	CHECK_INT(R(d, "\"2024-02-29\""), 0);
	CHECK_INT(R(d, "\"2026-02-29\""), 1);
	CHECK_STR(code(0), "schema.format");
	CHECK_INT(R(d, "\"2000-02-29\""), 0);	/* divisible by 400 */
	CHECK_INT(R(d, "\"1900-02-29\""), 1);	/* by 100 only */
	CHECK_INT(R(d, "\"2026-04-31\""), 1);
	CHECK_INT(R(d, "\"2026-13-01\""), 1);
	CHECK_INT(R(d, "\"2026-00-10\""), 1);
	CHECK_INT(R(d, "\"2026-1-01\""), 1);
	CHECK_INT(R(d, "\"2026-01-01T00:00:00Z\""), 1);
	CHECK_INT(R(d, "20260101"), 0);	/* formats apply to strings only */

	CHECK_INT(R(t, "\"2026-11-28T10:00:03Z\""), 0);
	CHECK_INT(R(t, "\"2026-11-28t10:00:03z\""), 0);
	CHECK_INT(R(t, "\"2026-11-28T10:00:03.123456+07:00\""), 0);
	CHECK_INT(R(t, "\"2026-11-28T10:00:03-00:00\""), 0);
	CHECK_INT(R(t, "\"2026-02-29T10:00:03Z\""), 1);
	CHECK_INT(R(t, "\"2026-11-28T24:00:00Z\""), 1);
	CHECK_INT(R(t, "\"2026-11-28T10:60:00Z\""), 1);
	CHECK_INT(R(t, "\"2026-11-28T10:00:03\""), 1);	/* the offset is required */
	CHECK_INT(R(t, "\"2026-11-28 10:00:03Z\""), 1);
	CHECK_INT(R(t, "\"2026-11-28T10:00:03.Z\""), 1);
	CHECK_INT(R(t, "\"2026-11-28T10:00:03+24:00\""), 1);
	/* leap seconds: second 60 only at 23:59 UTC */
	CHECK_INT(R(t, "\"2016-12-31T23:59:60Z\""), 0);
	CHECK_INT(R(t, "\"2016-12-31T15:59:60-08:00\""), 0);
	CHECK_INT(R(t, "\"2016-12-31T22:59:60Z\""), 1);
	CHECK_INT(R(t, "\"2016-12-31T23:59:61Z\""), 1);
	phx_schema_free(d);
	phx_schema_free(t);
}

static void test_every_failure(void)
{
	phx_schema *s = S("{\"type\":\"object\",\"required\":[\"id\"],\"properties\":{"
			  "\"a\":{\"type\":\"integer\",\"maximum\":3},"
			  "\"b\":{\"enum\":[\"x\"]},\"c\":{\"format\":\"date\"},"
			  "\"d\":{\"items\":{\"minLength\":2}}}}");

	CHECK_INT(R(s, "{\"a\":4,\"b\":\"y\",\"c\":\"2026-02-30\",\"d\":[\"ok\",\"n\"]}"), 5);
	CHECK_STR(code(0), "schema.range");
	CHECK_STR(code(1), "schema.enum");
	CHECK_STR(code(2), "schema.format");
	CHECK_STR(path(3), "/d/1");
	CHECK_STR(code(4), "schema.required");
	/* a value failing two keywords gets two findings */
	CHECK_INT(R(s, "{\"id\":1,\"a\":4.5}"), 2);
	phx_schema_free(s);
}

static void test_boolean_schemas(void)
{
	phx_schema *t = S("true"), *f = S("false");

	CHECK_INT(R(t, "{\"x\":[1]}"), 0);
	CHECK_INT(R(f, "null"), 1);
	CHECK_STR(code(0), "schema.false");
	phx_schema_free(t);
	phx_schema_free(f);
}

static void test_shipped_schema(void)
{
	const char *top = getenv("PHX_TOP") ? getenv("PHX_TOP") : ".";
	char sp[4096], gp[4096];
	char *err = NULL;
	phx_schema *s;
	json_t *good;

	snprintf(sp, sizeof sp, "%s/etc/property.schema.json", top);
	snprintf(gp, sizeof gp, "%s/tests/fixtures/validate/good.json", top);
	s = phx_schema_load(sp, &err);
	CHECK(s != NULL);
	if (!s) {
		printf("# %s\n", err);
		free(err);
		return;
	}
	good = json_load_file(gp, 0, NULL);
	CHECK(good != NULL);
	phx_issues_clear(found);
	CHECK_INT(phx_schema_check(s, good, found), 0);
	/* unknown is null, never 0 */
	json_object_set_new(json_object_get(good, "features"), "square_feet", json_integer(0));
	json_object_set_new(json_object_get(good, "address"), "zip", json_integer(85031));
	phx_issues_clear(found);
	CHECK_INT(phx_schema_check(s, good, found), 2);
	CHECK_STR(path(0), "/address/zip");
	CHECK_STR(path(1), "/features/square_feet");
	json_decref(good);
	phx_schema_free(s);
	CHECK(phx_schema_load("/nonexistent/schema.json", &err) == NULL);
	CHECK(err && strstr(err, "/nonexistent/schema.json") != NULL);
	free(err);
}

static void test_codes_listed(void)
{
	size_t n = 0;

	for (const char *const *c = phx_schema_codes; *c; c++)
		n++;
	CHECK_INT(n, 11);
	CHECK_STR(phx_schema_codes[0], "schema.type");
}

int main(void)
{
	found = phx_issues_new();
	test_type();
	test_required_and_properties();
	test_additional();
	test_enum_const();
	test_ranges();
	test_lengths();
	test_pattern();
	test_items();
	test_refs();
	test_unsupported();
	test_formats();
	test_every_failure();
	test_boolean_schemas();
	test_shipped_schema();
	test_codes_listed();
	phx_issues_free(found);
	free(load_err);
	return unit_done();
}
