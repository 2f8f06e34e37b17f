/* test_bsonjson.c - JSON to BSON and back: types, key order, unsafe keys. */
#include <stdlib.h>
#include <string.h>
#include "bsonjson.h"
#include "buf.h"
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

/* The reference: the same document through libbson's own append calls. */
static void ref_value(bson_t *b, const char *key, size_t klen, const json_t *v);

static void ref_members(bson_t *b, const json_t *v)
{
	char idx[24];
	const char *key;
	void *it;
	size_t i;

	if (json_is_array(v)) {
		for (i = 0; i < json_array_size(v); i++) {
			size_t klen = bson_uint32_to_string((uint32_t)i, &key, idx, sizeof idx);
			ref_value(b, key, klen, json_array_get(v, i));
		}
		return;
	}
	for (it = json_object_iter((json_t *)v); it; it = json_object_iter_next((json_t *)v, it))
		ref_value(b, json_object_iter_key(it), json_object_iter_key_len(it),
			  json_object_iter_value(it));
}

static void ref_value(bson_t *b, const char *key, size_t klen, const json_t *v)
{
	bson_t child;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		bson_append_document_begin(b, key, (int)klen, &child);
		ref_members(&child, v);
		bson_append_document_end(b, &child);
		break;
	case JSON_ARRAY:
		bson_append_array_begin(b, key, (int)klen, &child);
		ref_members(&child, v);
		bson_append_array_end(b, &child);
		break;
	case JSON_STRING:
		bson_append_utf8(b, key, (int)klen, json_string_value(v),
				 (int)json_string_length(v));
		break;
	case JSON_INTEGER:
		bson_append_int64(b, key, (int)klen, json_integer_value(v));
		break;
	case JSON_REAL:
		bson_append_double(b, key, (int)klen, json_real_value(v));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		bson_append_bool(b, key, (int)klen, json_is_true(v));
		break;
	case JSON_NULL:
		bson_append_null(b, key, (int)klen);
		break;
	}
}

/* Byte for byte what libbson writes, after what b already held. */
static void check_same_bytes(json_t *in)
{
	bson_t got = BSON_INITIALIZER, want = BSON_INITIALIZER;
	char why[128] = "";

	BSON_APPEND_UTF8(&got, "property_id", "apn:1");
	BSON_APPEND_UTF8(&want, "property_id", "apn:1");
	CHECK_INT(phx_json_to_bson(in, NULL, &got, why, sizeof why), 0);
	ref_members(&want, in);
	CHECK_INT(got.len, want.len);
	CHECK(got.len == want.len && memcmp(bson_get_data(&got), bson_get_data(&want),
					    got.len) == 0);
	bson_destroy(&got);
	bson_destroy(&want);
	json_decref(in);
}

static void check_bytes(void)
{
	json_t *big = json_array(), *nul = json_object();
	int i;

	check_same_bytes(parse("{\"z\":1,\"a\":{\"y\":[1,\"two\",null,{\"x\":false}],\"b\":-3},"
			       "\"m\":\"\\u00E9t\\u00E9 \\ud83d\\ude00\",\"big\":1099511627776,"
			       "\"r\":0.5,\"e\":{},\"ea\":[],\"t\":true,\"neg\":-9007199254740993,"
			       "\"tiny\":-1e-300,\"s\":\"\"}"));
	/* Array keys past one, two and three digits. */
	for (i = 0; i < 1200; i++)
		json_array_append_new(big, i % 2 ? json_integer(i) : json_real(i / 7.0));
	check_same_bytes(json_pack("{s:o}", "list", big));
	/* A NUL inside a string value is data (BSON strings carry their length). */
	json_object_set_new(nul, "s", json_stringn("a\0b", 3));
	check_same_bytes(nul);
}

/* Nesting: 180 levels go, 181 are refused (MongoDB stops at 100 anyway). */
static void check_depth(void)
{
	for (int levels = 180; levels <= 181; levels++) {
		json_t *v = json_integer(1);
		bson_t b = BSON_INITIALIZER;
		char why[128] = "";
		for (int i = 0; i < levels; i++)
			v = json_pack("{s:o}", "a", v);
		CHECK_INT(phx_json_to_bson(v, NULL, &b, why, sizeof why), levels <= 180 ? 0 : -1);
		if (levels > 180)
			CHECK(strstr(why, "nested deeper than 180") != NULL);
		json_decref(v);
		bson_destroy(&b);
	}
}

/* Text straight to BSON: the same bytes as parsing the text (jansson, as
 * strict as phx's parser) and converting the tree, after what b held. */
static void text_same(const char *text)
{
	const char *const skip[] = {"_id", "_rev", "property_id", NULL};
	json_error_t e;
	json_t *tree = json_loadb(text, strlen(text), JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &e);
	bson_t got = BSON_INITIALIZER, want = BSON_INITIALIZER;
	char why[128] = "";

	CHECK(tree != NULL);
	BSON_APPEND_INT32(&got, "first", 1);
	BSON_APPEND_INT32(&want, "first", 1);
	CHECK_INT(phx_json_text_to_bson(text, strlen(text), skip, &got), 0);
	CHECK_INT(phx_json_to_bson(tree, skip, &want, why, sizeof why), 0);
	CHECK_INT(got.len, want.len);
	if (got.len != want.len || memcmp(bson_get_data(&got), bson_get_data(&want), got.len))
		printf("# differs: %s\n", text);
	CHECK(got.len == want.len && memcmp(bson_get_data(&got), bson_get_data(&want),
					    got.len) == 0);
	json_decref(tree);
	bson_destroy(&got);
	bson_destroy(&want);
}

/* Texts the direct path leaves to the parser: -1, and b untouched. */
static void text_refused(const char *text, size_t n)
{
	const char *const skip[] = {"_id", "_rev", NULL};
	bson_t b = BSON_INITIALIZER;

	BSON_APPEND_INT32(&b, "first", 1);
	CHECK_INT(phx_json_text_to_bson(text, n, skip, &b), -1);
	CHECK_INT(b.len, 16);	/* {first: 1} only */
	bson_destroy(&b);
}

/* Strings are scanned eight bytes at a time: an escape, a multi-byte
 * character, the closing quote or a raw control byte at every offset of
 * that window is still seen. */
static void check_text_offsets(void)
{
	static const char *const inner[] = {"\\\"", "\\\\", "\\n", "\\u00e9", "\xc3\xa9",
					    "\xf0\x9f\x98\x80", ""};
	phx_buf b = PHX_BUF_INIT;
	size_t i;
	int k;

	for (i = 0; i < sizeof inner / sizeof inner[0]; i++)
		for (k = 0; k < 20; k++) {
			phx_buf_clear(&b);
			phx_buf_adds(&b, "{\"s\":\"");
			for (int j = 0; j < k; j++)
				phx_buf_addc(&b, (char)('a' + j % 26));
			phx_buf_adds(&b, inner[i]);
			phx_buf_adds(&b, "xyz0123456789\"}");
			text_same(b.data);
		}
	for (k = 0; k < 20; k++) {
		phx_buf_clear(&b);
		phx_buf_adds(&b, "{\"s\":\"");
		for (int j = 0; j < k; j++)
			phx_buf_addc(&b, 'a');
		phx_buf_adds(&b, "\x01" "abcdefghijkl\"}");
		text_refused(b.data, b.len);
		b.data[6 + k] = '\x7f';	/* DEL is no control character in JSON */
		text_same(b.data);
		b.data[6 + k] = '\xff';	/* not UTF-8 */
		text_refused(b.data, b.len);
	}
	phx_buf_free(&b);
}

static void check_text(void)
{
	static const char *const same[] = {
		"{}",
		" {\"a\" : 1 ,\"b\":[ ],\"c\":{ } , \"d\":[1, [2, [3]], {\"e\": null}]}\n",
		"{\"s\":\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9 \\u20AC \\ud83d\\ude00 \\u0000 x\"}",
		"{\"raw\":\"\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\",\"k\\u00e9y\":true}",
		"{\"i\":[0,-0,7,-7,9223372036854775807,-9223372036854775808,1099511627776]}",
		"{\"r\":[1.5,-0.0,0.1,1e10,1E-5,2.5e+3,-1.25E-3,1e-400,123456789.123456789,"
		"5e-324,1.7976931348623157e308]}",
		"{\"t\":true,\"f\":false,\"n\":null,\"e\":\"\"}",
		"{\"_id\":{\"x\":1},\"property_id\":\"apn:1\",\"a\":{\"_id\":2,\"property_id\":3},"
		"\"_rev\":[1,2]}",
	};
	static const char *const refused[] = {
		"[1]", "{}x", "{\"a\":1,}", "{\"a\" 1}", "{\"a\":1 \"b\":2}", "{\"a\":1,\"a\":2}",
		"{\"_id\":1,\"_id\":2}", "{\"$a\":1}", "{\"a.b\":1}", "{\"a\\u0000\":1}",
		"{\"a\":{\"$gt\":1}}", "{\"a\":9223372036854775808}", "{\"a\":-9223372036854775809}",
		"{\"a\":1e400}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":-}",
		"{\"a\":+1}", "{\"a\":\"\\x\"}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\"}",
		"{\"a\":\"\\ud800\\u0041\"}", "{\"a\":\"\xff\"}", "{\"a\":\"\xc0\xaf\"}",
		"{\"a\":\"\xed\xa0\x80\"}", "{\"a\":\"x\ny\"}", "{\"a\":tru}", "{\"a\":nul}",
		"{\"a\":\"open", "{\"a\":[1,2", "{\"a\"", "", "   ",
	};
	phx_buf deep = PHX_BUF_INIT, wide = PHX_BUF_INIT;
	size_t i;
	int k;

	for (i = 0; i < sizeof same / sizeof same[0]; i++)
		text_same(same[i]);
	for (i = 0; i < sizeof refused / sizeof refused[0]; i++)
		text_refused(refused[i], strlen(refused[i]));
	text_refused("{\"a\":\"x\0y\"}", 11);	/* a raw NUL byte */
	/* Nesting 180 deep goes; 181 is the parser's to refuse. */
	for (k = 0; k < 180; k++)
		phx_buf_adds(&deep, "{\"a\":");
	phx_buf_adds(&deep, "1");
	for (k = 0; k < 180; k++)
		phx_buf_addc(&deep, '}');
	text_same(deep.data);
	phx_buf_clear(&deep);
	for (k = 0; k < 181; k++)
		phx_buf_adds(&deep, "[");
	for (k = 0; k < 181; k++)
		phx_buf_addc(&deep, ']');
	phx_buf_adds(&wide, "{\"x\":");
	phx_buf_add(&wide, deep.data, deep.len);
	phx_buf_addc(&wide, '}');
	text_refused(wide.data, wide.len);
	/* 64 keys in one object are checked for repeats here; 65 go to the parser. */
	phx_buf_clear(&wide);
	phx_buf_addc(&wide, '{');
	for (k = 0; k < 64; k++)
		phx_buf_printf(&wide, "%s\"k%d\":%d", k ? "," : "", k, k);
	phx_buf_addc(&wide, '}');
	text_same(wide.data);
	wide.data[--wide.len] = '\0';
	phx_buf_adds(&wide, ",\"k64\":64}");
	text_refused(wide.data, wide.len);
	phx_buf_free(&deep);
	phx_buf_free(&wide);
	check_text_offsets();
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
	check_bytes();
	check_depth();
	check_text();
	return unit_done();
}
