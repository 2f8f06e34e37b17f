/* test_basics.c - buf, jsonspan, timeutil, sha256, exit codes, utf8. */
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "buf.h"
#include "exitcode.h"
#include "jsonspan.h"
#include "sha256.h"
#include "timeutil.h"
#include "utf8.h"

static void test_buf(void)
{
	phx_buf b = PHX_BUF_INIT;
	phx_buf_add_json_string(&b, "a\"b\\c\n\x01\xff\xc3\xa9", 10);
	CHECK_STR(b.data, "\"a\\\"b\\\\c\\n\\u0001\\ufffd\xc3\xa9\"");
	phx_buf_clear(&b);
	for (int i = 0; i < 1000; i++)
		phx_buf_printf(&b, "%d,", i);
	CHECK_INT(b.len, 3890);
	phx_buf_free(&b);
}

static void test_span(void)
{
	const char *s = "{\"a\":[1,{\"_phx\":2}],\"s\":\"x\\\"}\",\"_phx\":{\"t\":[1]} , \"z\":0}";
	size_t vs, ve, close;
	int has;
	CHECK_INT(phx_json_member_span(s, strlen(s), "_phx", &vs, &ve), 0);
	CHECK_INT(ve - vs, 9);
	CHECK(strncmp(s + vs, "{\"t\":[1]}", 9) == 0);
	CHECK_INT(phx_json_member_span(s, strlen(s), "nope", &vs, &ve), -1);
	const char *esc = "{\"\\u005fphx\":true}";
	CHECK_INT(phx_json_member_span(esc, strlen(esc), "_phx", &vs, &ve), 0);
	CHECK(strncmp(esc + vs, "true", 4) == 0);
	CHECK_INT(phx_json_object_close("{} ", 3, &close, &has), 0);
	CHECK_INT(close, 1);
	CHECK_INT(has, 0);
	CHECK_INT(phx_json_object_close("{\"a\":1}", 7, &close, &has), 0);
	CHECK_INT(has, 1);
}

static void test_time(void)
{
	time_t t;
	char out[PHX_TIME_LEN];
	CHECK_INT(phx_time_parse("2026-11-28T10:00:03Z", &t), 0);
	phx_time_format(t, out);
	CHECK_STR(out, "2026-11-28T10:00:03Z");
	CHECK_INT(phx_time_parse("2026-11-28T03:00:03-07:00", &t), 0);
	phx_time_format(t, out);
	CHECK_STR(out, "2026-11-28T10:00:03Z");
	CHECK_INT(phx_time_parse("2026-02-29T00:00:00Z", &t), -1);
	CHECK_INT(phx_time_parse("2024-02-29T00:00:00.123Z", &t), 0);
	CHECK_INT(phx_time_parse("2026-11-28", &t), -1);
	int y, m, d;
	CHECK_INT(phx_date_parse("2026-04-31", &y, &m, &d), -1);
	int64_t secs;
	CHECK_INT(phx_duration_parse("90d", &secs), 0);
	CHECK_INT(secs, 90 * 86400);
	CHECK_INT(phx_duration_parse("12h", &secs), 0);
	CHECK_INT(secs, 43200);
	CHECK_INT(phx_duration_parse("5x", &secs), -1);
	CHECK_INT(phx_duration_parse("-5", &secs), -1);
}

/* The FIPS 180-4 examples, with the portable code and with the CPU's SHA
 * instructions when it has them; then both on every length up to 300 bytes
 * (one, two and several blocks, every padding case) must agree. */
static void sha_vectors(void)
{
	char hex[65];
	phx_sha256_hex("abc", 3, hex);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	phx_sha256_hex("", 0, hex);
	CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	phx_sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
	CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	char *m = malloc(1000000);
	memset(m, 'a', 1000000);
	phx_sha256_hex(m, 1000000, hex);
	CHECK_STR(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(m);
}

static void test_sha(void)
{
	unsigned char data[300];
	char a[65], b[65];
	size_t n;
	int have, same = 1;

	phx_sha256_hw(0);
	sha_vectors();
	have = phx_sha256_hw(1);
	printf("# SHA-NI on this CPU: %s\n", have ? "yes, tested" : "no");
	sha_vectors();
	for (n = 0; n < sizeof data; n++)
		data[n] = (unsigned char)(n * 131 + 7);
	for (n = 0; n <= sizeof data; n++) {
		phx_sha256_hw(0);
		phx_sha256_hex(data, n, a);
		phx_sha256_hw(1);
		phx_sha256_hex(data, n, b);
		if (strcmp(a, b) != 0)
			same = 0;
	}
	CHECK(same);
}

static void test_exit(void)
{
	CHECK_INT(phx_exit_worst(0, 1), 1);
	CHECK_INT(phx_exit_worst(1, 0), 1);
	CHECK_INT(phx_exit_worst(1, 75), 75);
	CHECK_INT(phx_exit_worst(74, 75), 74);
	CHECK_INT(phx_exit_worst(78, 1), 78);
	CHECK_INT(phx_exit_worst(70, 143), 143);
}

static void test_utf8(void)
{
	CHECK_INT(phx_utf8_check("plain ascii text here", 21), 21);
	CHECK_INT(phx_utf8_check("caf\xc3\xa9", 5), 5);
	CHECK_INT(phx_utf8_check("abcdefghij\xc0\xaf", 12), 10);	/* overlong */
	CHECK_INT(phx_utf8_check("\xed\xa0\x80", 3), 0);	/* surrogate */
	CHECK_INT(phx_utf8_check("\xf4\x90\x80\x80", 4), 0);	/* > U+10FFFF */
	CHECK_INT(phx_utf8_check("ab\xe2\x82", 4), 2);	/* truncated */
	/* encoding: each length, its boundaries, and what encoding gives checks clean */
	{
		static const struct { unsigned cp; const char *bytes; } enc[] = {
			{ 0x24, "$" }, { 0x7F, "\x7f" }, { 0x80, "\xc2\x80" }, { 0xE9, "\xc3\xa9" },
			{ 0x7FF, "\xdf\xbf" }, { 0x800, "\xe0\xa0\x80" }, { 0x20AC, "\xe2\x82\xac" },
			{ 0xFFFF, "\xef\xbf\xbf" }, { 0x10000, "\xf0\x90\x80\x80" },
			{ 0x1F600, "\xf0\x9f\x98\x80" }, { 0x10FFFF, "\xf4\x8f\xbf\xbf" },
		};
		for (size_t k = 0; k < sizeof enc / sizeof enc[0]; k++) {
			unsigned char out[4];
			size_t n = phx_utf8_encode(enc[k].cp, out);
			CHECK(n == strlen(enc[k].bytes) && memcmp(out, enc[k].bytes, n) == 0);
			CHECK_INT(phx_utf8_check((const char *)out, n), (long long)n);
		}
	}
}

int main(void)
{
	test_buf();
	test_span();
	test_time();
	test_sha();
	test_exit();
	test_utf8();
	return unit_done();
}
