/* test_jsonparse.c - phx_json_parse against jansson's json_loadb, case by
 * case: the same values, the same kind of refusal (fuzz_jsonparse does the
 * same on generated texts). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "jsonparse.h"
#include "buf.h"

static phx_json_status jansson_status(const json_error_t *e)
{
	switch (json_error_code(e)) {
	case json_error_invalid_utf8: return PHX_JSON_BAD_UTF8;
	case json_error_duplicate_key: return PHX_JSON_DUPLICATE;
	case json_error_stack_overflow: return PHX_JSON_TOO_DEEP;
	case json_error_numeric_overflow: return PHX_JSON_RANGE;
	case json_error_null_byte_in_key: return PHX_JSON_NUL_KEY;
	default: return PHX_JSON_SYNTAX;
	}
}

/* Parse with both; 1 when they agree (value, or kind of error). */
static int agrees(const char *text, size_t n, phx_json_status *status)
{
	const size_t flags = JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_ANY;
	json_error_t jerr;
	phx_json_error perr;
	json_t *want = json_loadb(text, n, flags, &jerr);
	json_t *got = phx_json_parse(text, n, &perr);
	int ok;

	*status = got ? PHX_JSON_OK : perr.status;
	if (want && got)
		ok = json_equal(want, got);
	else if (!want && !got)
		ok = jansson_status(&jerr) == perr.status && perr.offset <= n;
	else
		ok = 0;
	if (!ok)
		printf("# %.60s: jansson %s, phx %s\n", text, want ? "ok" : jerr.text,
		       got ? "ok" : perr.text);
	json_decref(want);
	json_decref(got);
	return ok;
}

#define AGREE(text, st) do { \
	phx_json_status got_; \
	CHECK(agrees(text, sizeof(text) - 1, &got_)); \
	CHECK_INT(got_, st); \
} while (0)

static void test_values(void)
{
	AGREE("{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}", PHX_JSON_OK);
	AGREE("  \t\r\n[]  ", PHX_JSON_OK);
	AGREE("\"caf\xc3\xa9 \\u00e9 \\ud83d\\ude00 \\\" \\\\ \\/ \\b\\f\\n\\r\\t\"", PHX_JSON_OK);
	AGREE("\"\\u0000 in a value\"", PHX_JSON_OK);
	AGREE("[0,-0,1,-1,9223372036854775807,-9223372036854775808]", PHX_JSON_OK);
	AGREE("[0.5,-0.0,1e3,1E-7,33.741659,-112.876963,1.5e+10,123456789012345.6]",
	      PHX_JSON_OK);
	AGREE("[1.7976931348623157e308,4.9e-324,1e-400,0.1,0.30000000000000004]", PHX_JSON_OK);
	AGREE("[12345678901234567890.123,0.000000000000000000000000000001]", PHX_JSON_OK);
	AGREE("{\"\":\"empty key\"}", PHX_JSON_OK);
}

static void test_refusals(void)
{
	AGREE("", PHX_JSON_SYNTAX);
	AGREE("not json", PHX_JSON_SYNTAX);
	AGREE("{\"a\":1,}", PHX_JSON_SYNTAX);
	AGREE("[1,]", PHX_JSON_SYNTAX);
	AGREE("[01]", PHX_JSON_SYNTAX);
	AGREE("[1.]", PHX_JSON_SYNTAX);
	AGREE("[.5]", PHX_JSON_SYNTAX);
	AGREE("[1e]", PHX_JSON_SYNTAX);
	AGREE("[-]", PHX_JSON_SYNTAX);
	AGREE("[tru]", PHX_JSON_SYNTAX);
	AGREE("[truex]", PHX_JSON_SYNTAX);
	AGREE("{} {}", PHX_JSON_SYNTAX);
	AGREE("\"unterminated", PHX_JSON_SYNTAX);
	AGREE("\"tab\there\"", PHX_JSON_SYNTAX);
	AGREE("\"\\x\"", PHX_JSON_SYNTAX);
	AGREE("\"\\u12\"", PHX_JSON_SYNTAX);
	AGREE("\"\\ud800\"", PHX_JSON_SYNTAX);
	AGREE("\"\\udc00\"", PHX_JSON_SYNTAX);
	AGREE("\"\\ud800\\u0041\"", PHX_JSON_SYNTAX);
	AGREE("{\"a\":1,\"a\":2}", PHX_JSON_DUPLICATE);
	AGREE("{\"a\":1,\"a\":[[[", PHX_JSON_DUPLICATE);
	AGREE("{\"\\u0000\":1}", PHX_JSON_NUL_KEY);
	AGREE("[99999999999999999999]", PHX_JSON_RANGE);
	AGREE("[-99999999999999999999]", PHX_JSON_RANGE);
	AGREE("[1e400]", PHX_JSON_RANGE);
	AGREE("{\"a\":1,1e400}", PHX_JSON_RANGE);	/* the token's own error first */
	AGREE("[\"\xff\"]", PHX_JSON_BAD_UTF8);
	AGREE("[\"\xed\xa0\x80\"]", PHX_JSON_BAD_UTF8);
	AGREE("[\"\xc0\xaf\"]", PHX_JSON_BAD_UTF8);
	AGREE("[1\xff]", PHX_JSON_BAD_UTF8);
	AGREE("[\xc3\xa9]", PHX_JSON_SYNTAX);
	AGREE("\"\\ud800 \xff\"", PHX_JSON_BAD_UTF8);	/* the whole string is read first */
}

/* n brackets, then tail, then n closers */
static void nested(phx_buf *b, int n, const char *tail, int close)
{
	int i;

	phx_buf_clear(b);
	for (i = 0; i < n; i++)
		phx_buf_addc(b, '[');
	phx_buf_adds(b, tail);
	for (i = 0; close && i < n; i++)
		phx_buf_addc(b, ']');
}

static void test_depth(void)
{
	phx_buf b = PHX_BUF_INIT;
	phx_json_status st;
	struct { int n; const char *tail; int close; phx_json_status want; } c[] = {
		{ PHX_JSON_MAX_DEPTH, "", 1, PHX_JSON_OK },
		{ PHX_JSON_MAX_DEPTH - 1, "1", 1, PHX_JSON_OK },
		{ PHX_JSON_MAX_DEPTH, "1", 1, PHX_JSON_TOO_DEEP },
		{ PHX_JSON_MAX_DEPTH + 1, "", 1, PHX_JSON_TOO_DEEP },
		{ PHX_JSON_MAX_DEPTH, "", 0, PHX_JSON_SYNTAX },
		{ PHX_JSON_MAX_DEPTH, "\"\t\"", 1, PHX_JSON_SYNTAX },
		{ PHX_JSON_MAX_DEPTH, "1e999", 1, PHX_JSON_RANGE },
		{ PHX_JSON_MAX_DEPTH, "01", 1, PHX_JSON_TOO_DEEP },
		{ PHX_JSON_MAX_DEPTH - 1, "{\"a\":", 0, PHX_JSON_TOO_DEEP },
	};
	size_t i;

	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		nested(&b, c[i].n, c[i].tail, c[i].close);
		CHECK(agrees(b.data, b.len, &st));
		CHECK_INT(st, c[i].want);
	}
	phx_buf_free(&b);
}

/* Texts that are not NUL-terminated, and the error's place and words. */
static void test_edges(void)
{
	phx_json_error e;
	json_t *v;
	char *t = malloc(3);

	memcpy(t, "123", 3);	/* exactly three bytes: a read past them is an ASan error */
	v = phx_json_parse(t, 3, &e);
	CHECK(json_is_integer(v) && json_integer_value(v) == 123);
	json_decref(v);
	memcpy(t, "[1,", 3);
	CHECK(phx_json_parse(t, 3, &e) == NULL);
	CHECK_INT(e.status, PHX_JSON_SYNTAX);
	CHECK_INT(e.offset, 3);
	free(t);
	CHECK(phx_json_parse("{\"a\":1,\"a\":2}", 13, &e) == NULL);
	CHECK_INT(e.offset, 7);
	CHECK(strstr(e.text, "duplicate object key") != NULL);
	CHECK(phx_json_parse("[1] x", 5, NULL) == NULL);	/* err may be NULL */
}

static int odd(const char *text)
{
	int flag = -1;
	json_t *v = phx_json_parse_spans(text, strlen(text), NULL, NULL, 0, NULL, &flag);

	json_decref(v);
	return v ? flag : -1;
}

static void test_odd_keys(void)
{
	CHECK_INT(odd("{\"a\":{\"b\":[1,\"$x\",\"a.b\"]}}"), 0);	/* values may */
	CHECK_INT(odd("{\"a\":{\"$set\":1}}"), 1);
	CHECK_INT(odd("[{\"x\":{\"a.b\":1}}]"), 1);
	CHECK_INT(odd("{\"\\u0024x\":1}"), 1);	/* "$x" written with an escape */
	CHECK_INT(odd("{\"a\":\"x\\u0000y\"}"), 1);
	CHECK_INT(odd("{\"a\":\"x\\u0001y\"}"), 0);
}

/* Spans of top-level members, whatever the spacing and escapes. */
static void test_spans(void)
{
	static const char text[] = " { \"a\" : [1, 2] ,\"\\u005fphx\":{\"t\":1}, \"b\":{\"a\":9} } ";
	static const char *const keys[] = { "a", "_phx", "missing" };
	phx_json_span sp[3];
	json_t *v = phx_json_parse_spans(text, sizeof text - 1, NULL, keys, 3, sp, NULL);

	CHECK(v != NULL);
	CHECK(sp[0].found && sp[1].found && !sp[2].found);
	CHECK(strncmp(text + sp[0].start, "[1, 2]", sp[0].end - sp[0].start) == 0);
	CHECK_INT(sp[0].end - sp[0].start, 6);
	CHECK(strncmp(text + sp[1].start, "{\"t\":1}", sp[1].end - sp[1].start) == 0);
	CHECK(strncmp(text + sp[1].member, "\"\\u005fphx\"", 11) == 0);
	json_decref(v);
}

int main(void)
{
	test_odd_keys();
	test_spans();
	test_values();
	test_refusals();
	test_depth();
	test_edges();
	return unit_done();
}
