/* test_jsonwrite.c - the compact writer reads back equal and keeps order. */
#include <stdlib.h>
#include "unit.h"
#include "jsonwrite.h"

static void roundtrip(const char *text, const char *want)
{
	json_error_t err;
	json_t *j = json_loads(text, JSON_DECODE_ANY, &err);
	phx_buf b = PHX_BUF_INIT;
	phx_json_write(&b, j);
	CHECK_STR(b.data, want);
	json_t *back = json_loads(b.data, JSON_DECODE_ANY, &err);
	CHECK(back && json_equal(j, back));
	json_decref(back);
	json_decref(j);
	phx_buf_free(&b);
}

int main(void)
{
	roundtrip("{\"z\":1,\"a\":[true,false,null],\"m\":{\"k\":\"v\\\"\\n\"}}",
		  "{\"z\":1,\"a\":[true,false,null],\"m\":{\"k\":\"v\\\"\\n\"}}");
	roundtrip("0.875", "0.875");
	roundtrip("1.0", "1.0");
	roundtrip("-0.25", "-0.25");
	roundtrip("0.1", "0.1");
	roundtrip("0.30000000000000004", "0.30000000000000004");
	roundtrip("1e300", "1e+300");
	roundtrip("-12.5e-7", "-1.25e-06");
	roundtrip("-9223372036854775808", "-9223372036854775808");
	roundtrip("9223372036854775807", "9223372036854775807");
	roundtrip("123456.789", "123456.789");
	roundtrip("\"caf\\u00e9 \\u0001\"", "\"caf\xc3\xa9 \\u0001\"");
	roundtrip("[]", "[]");
	roundtrip("{}", "{}");
	return unit_done();
}
