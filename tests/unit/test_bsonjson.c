/* test_bsonjson.c - JSON to BSON and back: types, key order, unsafe keys. */
#include <stdlib.h>
#include <string.h>
#include "bsonjson.h"
#include "unit.h"

static json_t *parse(const char *text)
{
	json_error_t e;
	json_t *v = json_loads(text, 0, &e);

	if (!v)
		printf("# bad test JSON: %s\n", e.text);
	return v;
}

/* Convert, convert back, compare the dumps (jansson keeps insertion order). */
static void round_trip(const char *text)
{
	json_t *in = parse(text), *out;
	bson_t b = BSON_INITIALIZER;
	char why[128] = "", *dump;

	CHECK_INT(phx_json_to_bson(in, NULL, &b, why, sizeof why), 0);
	out = phx_bson_to_json(&b, NULL);
	dump = out ? json_dumps(out, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	CHECK_STR(dump, text);
	free(dump);
	json_decref(out);
	json_decref(in);
	bson_destroy(&b);
}

static void check_types(void)
{
	json_t *in = parse("{\"small\":5,\"big\":1099511627776,\"neg\":-9007199254740993,"
			   "\"r\":2.5,\"s\":\"x\",\"t\":true,\"n\":null}");
	bson_t b = BSON_INITIALIZER;
	bson_iter_t it;
	char why[128];

	CHECK_INT(phx_json_to_bson(in, NULL, &b, why, sizeof why), 0);
	/* Every integer goes out as int64, whatever its size. */
	CHECK(bson_iter_init_find(&it, &b, "small") && BSON_ITER_HOLDS_INT64(&it));
	CHECK(bson_iter_init_find(&it, &b, "big") && bson_iter_int64(&it) == 1099511627776LL);
	CHECK(bson_iter_init_find(&it, &b, "neg") &&
	      bson_iter_int64(&it) == -9007199254740993LL);
	CHECK(bson_iter_init_find(&it, &b, "r") && BSON_ITER_HOLDS_DOUBLE(&it));
	CHECK(bson_iter_init_find(&it, &b, "t") && BSON_ITER_HOLDS_BOOL(&it));
	CHECK(bson_iter_init_find(&it, &b, "n") && BSON_ITER_HOLDS_NULL(&it));
	json_decref(in);
	bson_destroy(&b);
}

static void check_unsafe(const char *text, const char *needle)
{
	json_t *in = parse(text);
	bson_t b = BSON_INITIALIZER;
	char why[128] = "";

	CHECK_INT(phx_json_to_bson(in, NULL, &b, why, sizeof why), -1);
	CHECK(strstr(why, needle) != NULL);
	json_decref(in);
	bson_destroy(&b);
}

static void check_skip_and_exotic(void)
{
	const char *const skip[] = {"_id", "_rev", NULL};
	bson_t b = BSON_INITIALIZER;
	bson_oid_t oid;
	json_t *out;
	char *dump;

	bson_oid_init_from_string(&oid, "0123456789abcdef01234567");
	BSON_APPEND_OID(&b, "_id", &oid);
	BSON_APPEND_UTF8(&b, "property_id", "apn:1");
	BSON_APPEND_DATE_TIME(&b, "when", 0);
	BSON_APPEND_INT32(&b, "_rev", 3);
	BSON_APPEND_INT32(&b, "n32", 7);
	out = phx_bson_to_json(&b, skip);
	dump = json_dumps(out, JSON_COMPACT);
	/* _id and _rev left out; a date has no JSON word: relaxed Extended JSON. */
	CHECK_STR(dump, "{\"property_id\":\"apn:1\","
		  "\"when\":{\"$date\":\"1970-01-01T00:00:00Z\"},\"n32\":7}");
	free(dump);
	json_decref(out);
	bson_destroy(&b);
}

static void check_nul_key(void)
{
	json_t *o = json_object();
	bson_t b = BSON_INITIALIZER;
	char why[128] = "";

	json_object_setn_new(o, "a\0b", 3, json_integer(1));
	CHECK_INT(phx_json_to_bson(o, NULL, &b, why, sizeof why), -1);
	CHECK(phx_bson_key_safe("a$b", 3));
	CHECK(!phx_bson_key_safe("$a", 2));
	CHECK(!phx_bson_key_safe("a.b", 3));
	json_decref(o);
	bson_destroy(&b);
}

int main(void)
{
	round_trip("{\"z\":1,\"a\":{\"y\":[1,\"two\",null,{\"x\":false}],\"b\":-3},"
		   "\"m\":\"\\u00E9t\\u00E9\",\"big\":1099511627776,\"r\":0.5}");
	check_types();
	check_unsafe("{\"ok\":1,\"$where\":\"1\"}", "$where");
	check_unsafe("{\"a\":{\"b\":[{\"$gt\":1}]}}", "$gt");
	check_unsafe("{\"a\":{\"x.y\":1}}", "x.y");
	check_skip_and_exotic();
	check_nul_key();
	return unit_done();
}
