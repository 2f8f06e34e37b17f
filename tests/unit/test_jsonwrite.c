/* test_jsonwrite.c - the compact writer reads back equal and keeps order. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* Every real written reads back as the same double, with a '.' or an
 * exponent; coordinates, money-like and random bit patterns. */
static void reals_read_back(void)
{
	phx_buf b = PHX_BUF_INIT;
	int bad = 0, i;
	unsigned long long x = 88172645463325252ULL;

	for (i = 0; i < 200000; i++) {
		double v;
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		switch (i % 4) {
		case 0: v = (double)(long long)(x % 2000000000) / 1e6 - 1000; break;
		case 1: v = (double)(long long)(x % 100000000) / 1e3; break;
		case 2: v = (double)(x >> 11) / 9007199254740992.0 * 1e6; break;
		default: memcpy(&v, &x, sizeof v); if (!isfinite(v)) v = 1.5; break;
		}
		json_t *j = json_real(v);
		phx_buf_clear(&b);
		phx_json_write(&b, j);
		if (strtod(b.data, NULL) != v || !strpbrk(b.data, ".e")) {
			if (bad++ < 5)
				printf("# %.17g written as %s\n", v, b.data);
		}
		json_decref(j);
	}
	CHECK_INT(bad, 0);
	phx_buf_free(&b);
}

/* Strings across the 16-byte fast path: escapes and UTF-8 at every offset. */
static void strings_at_every_offset(void)
{
	static const char *const specials[] = { "\"", "\\", "\n", "\x01", "\xc3\xa9", "\xff" };
	static const char *const escaped[] = { "\\\"", "\\\\", "\\n", "\\u0001", "\xc3\xa9",
					       "\\ufffd" };
	phx_buf b = PHX_BUF_INIT, want = PHX_BUF_INIT;
	char in[64];
	int bad = 0;
	size_t k, at, j;

	for (k = 0; k < sizeof specials / sizeof specials[0]; k++)
		for (at = 0; at < 40; at++) {
			size_t sl = strlen(specials[k]);
			memset(in, 'a', at);
			memcpy(in + at, specials[k], sl);
			memset(in + at + sl, 'b', 20);
			phx_buf_clear(&b);
			phx_buf_add_json_string(&b, in, at + sl + 20);
			phx_buf_clear(&want);
			phx_buf_addc(&want, '"');
			for (j = 0; j < at; j++)
				phx_buf_addc(&want, 'a');
			phx_buf_adds(&want, escaped[k]);
			for (j = 0; j < 20; j++)
				phx_buf_addc(&want, 'b');
			phx_buf_addc(&want, '"');
			if (strcmp(b.data, want.data) != 0 && bad++ < 3)
				printf("# %s\n# want %s\n", b.data, want.data);
		}
	CHECK_INT(bad, 0);
	phx_buf_free(&b);
	phx_buf_free(&want);
}

int main(void)
{
	reals_read_back();
	strings_at_every_offset();
	roundtrip("33.741659", "33.741659");
	roundtrip("-112.876963", "-112.876963");
	roundtrip("-0.0", "-0.0");
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
