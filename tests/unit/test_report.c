/* test_report.c - the pieces of phx-report that a command-line test cannot
 * pin down exactly: money formats, the new-listing / price-change rule,
 * HTML escaping, CSV quoting, and the mail encodings (quoted-printable,
 * base64, RFC 2047 words cut between characters, the Phoenix Date). */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <jansson.h>
#include "unit.h"
#include "buf.h"
#include "mail_message.h"
#include "report.h"
#include "report_html.h"
#include "report_int.h"
#include "timeutil.h"

static time_t at(const char *s)
{
	time_t t = 0;
	phx_time_parse(s, &t);
	return t;
}

static void money(void)
{
	char b[48];
	phx_report_dollars(1234500, b, sizeof b);
	CHECK_STR(b, "$1,234,500");
	phx_report_dollars(999, b, sizeof b);
	CHECK_STR(b, "$999");
	phx_report_dollars(-1000, b, sizeof b);
	CHECK_STR(b, "-$1,000");
	phx_report_micros(96452, b, sizeof b);
	CHECK_STR(b, "$0.0965");
	phx_report_micros(25000000, b, sizeof b);
	CHECK_STR(b, "$25.0000");
	phx_report_micros(49, b, sizeof b);
	CHECK_STR(b, "$0.0000");
	phx_report_micros(50, b, sizeof b);
	CHECK_STR(b, "$0.0001");
}

static int classify(const char *history, long long *old)
{
	char doc[1024];
	snprintf(doc, sizeof doc, "{\"price_history\":%s}", history);
	json_t *d = json_loads(doc, 0, NULL);
	int k = phx_report_classify(d, at("2026-12-01T07:00:00Z"), at("2026-12-02T07:00:00Z"), old);
	json_decref(d);
	return k;
}

static void listing_rule(void)
{
	long long old = -1;
	CHECK_INT(classify("[]", &old), 0);
	CHECK_INT(classify("[{\"at\":\"2026-12-01T08:00:00Z\",\"price\":5}]", &old), 1);
	/* before the Phoenix day (06:59Z is Nov 30 in Phoenix): not new */
	CHECK_INT(classify("[{\"at\":\"2026-12-01T06:59:59Z\",\"price\":5}]", &old), 0);
	CHECK_INT(classify("[{\"at\":\"2026-11-01T00:00:00Z\",\"price\":5},"
			   "{\"at\":\"2026-12-01T08:00:00Z\",\"price\":4}]", &old), 2);
	CHECK_INT(old, 5);
	/* down and back up within the day: no change at the end of it */
	CHECK_INT(classify("[{\"at\":\"2026-11-01T00:00:00Z\",\"price\":5},"
			   "{\"at\":\"2026-12-01T08:00:00Z\",\"price\":4},"
			   "{\"at\":\"2026-12-01T09:00:00Z\",\"price\":5}]", &old), 0);
	/* a change after the day is not the day's */
	CHECK_INT(classify("[{\"at\":\"2026-11-01T00:00:00Z\",\"price\":5},"
			   "{\"at\":\"2026-12-02T08:00:00Z\",\"price\":4}]", &old), 0);
	/* entries without a time or a price are skipped, never a crash */
	CHECK_INT(classify("[{\"price\":5},{\"at\":\"x\",\"price\":5},"
			   "{\"at\":\"2026-12-01T08:00:00Z\",\"price\":\"5\"}]", &old), 0);
}

static void html(void)
{
	phx_buf b = PHX_BUF_INIT;
	phx_html_escape(&b, "<a href=\"x\">Tom's & co</a>\x01\t\n");
	CHECK_STR(b.data, "&lt;a href=&quot;x&quot;&gt;Tom&#39;s &amp; co&lt;/a&gt;\t\n");
	phx_buf_free(&b);

	json_t *h = json_loads("[{\"date\":\"<d1>\",\"v\":2},{\"date\":\"d2\",\"v\":null},"
			       "{\"date\":\"d3\",\"v\":4}]", 0, NULL);
	phx_report_svg_bars(&b, "t<itle>", h, "v", "%", 0);
	CHECK(strstr(b.data, "<title>t&lt;itle&gt;</title>") != NULL);
	CHECK(strstr(b.data, "&lt;d1&gt;: 2%") != NULL);
	CHECK(strstr(b.data, "<d1>") == NULL);
	const char *p = b.data;
	int rects = 0;
	while ((p = strstr(p, "<rect")) != NULL) {
		rects++;
		p++;
	}
	CHECK_INT(rects, 3);	/* background and two bars: null has none */
	json_decref(h);
	phx_buf_free(&b);
}

static void csv(void)
{
	phx_buf b = PHX_BUF_INIT;
	json_t *m = json_loads("{\"date\":\"2026-12-01\",\"new_listings\":[{\"property_id\":"
			       "\"apn:0012\",\"zip\":\"08501\",\"address\":\"1 \\\"A\\\", B\","
			       "\"price\":100,\"beds\":null,\"baths\":2.5,\"url\":null}],"
			       "\"price_changes\":[]}", 0, NULL);
	phx_report_csv(m, &b);
	CHECK_STR(b.data, "\"date\",\"change\",\"property_id\",\"zip\",\"address\",\"price\","
		  "\"old_price\",\"beds\",\"baths\",\"url\"\r\n"
		  "\"2026-12-01\",\"new\",\"apn:0012\",\"08501\",\"1 \"\"A\"\", B\",\"100\",\"\","
		  "\"\",\"2.5\",\"\"\r\n");
	json_decref(m);
	phx_buf_free(&b);
}

static void mail(void)
{
	phx_buf b = PHX_BUF_INIT;
	char d[40];

	phx_mail_base64("Man", 3, &b);
	CHECK_STR(b.data, "TWFu\r\n");
	phx_buf_clear(&b);
	phx_mail_base64("Ma", 2, &b);
	CHECK_STR(b.data, "TWE=\r\n");
	phx_buf_clear(&b);

	phx_mail_qp("a=b \xc3\xa9 end \nx", &b);
	CHECK_STR(b.data, "a=3Db =C3=A9 end=20\r\nx\r\n");
	phx_buf_clear(&b);
	char longline[200];
	memset(longline, 'x', sizeof longline - 1);
	longline[sizeof longline - 1] = '\0';
	phx_mail_qp(longline, &b);
	CHECK(strstr(b.data, "=\r\n") != NULL);
	size_t col = 0, maxcol = 0;
	for (const char *p = b.data; *p; p++) {
		col = *p == '\n' ? 0 : col + 1;
		if (col > maxcol)
			maxcol = col;
	}
	CHECK(maxcol <= 77);	/* 76 characters and the CR */
	phx_buf_clear(&b);

	phx_mail_encode_subject("plain subject", &b);
	CHECK_STR(b.data, "plain subject");
	phx_buf_clear(&b);
	/* 20 two-byte characters: 19 fit a word of 39 bytes at most, cut
	 * between characters, and the last goes in a second, folded word */
	char sub[64];
	for (int i = 0; i < 20; i++)
		memcpy(sub + 2 * i, "\xc3\xa9", 2);
	sub[40] = '\0';
	phx_mail_encode_subject(sub, &b);
	CHECK_STR(b.data, "=?UTF-8?B?w6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6k=?=\r\n"
		  " =?UTF-8?B?w6k=?=");
	phx_buf_clear(&b);
	phx_mail_encode_subject("bad\r\nBcc: x@y", &b);
	CHECK(strchr(b.data, '\n') == NULL || strstr(b.data, "\r\n =?UTF-8?B?") != NULL);
	CHECK(strstr(b.data, "Bcc") == NULL);
	phx_buf_free(&b);

	phx_mail_date(at("2026-12-06T23:00:00Z"), d);
	CHECK_STR(d, "Sun, 06 Dec 2026 16:00:00 -0700");
	phx_mail_date(at("2026-12-07T03:05:09Z"), d);
	CHECK_STR(d, "Sun, 06 Dec 2026 20:05:09 -0700");

	CHECK(phx_mail_address_ok("ops@example.org"));
	CHECK(!phx_mail_address_ok("ops@example.org\r\nBcc: x@y"));
	CHECK(!phx_mail_address_ok("Ops <ops@example.org>"));
	CHECK(!phx_mail_address_ok("a,b@example.org"));
	CHECK(!phx_mail_address_ok("@example.org"));
	CHECK(!phx_mail_address_ok("ops@"));
	CHECK(!phx_mail_address_ok("a@b@c"));

	const char *to[] = { "a@example.org", NULL }, *bad[] = { "a@b\nX: y", NULL };
	phx_mail_parts p = { "phx@example.org", to, "s", "text\n", "<p>h</p>", 0 };
	CHECK_INT(phx_mail_build(&p, &b), 0);
	CHECK(strstr(b.data, "MIME-Version: 1.0\r\n") != NULL);
	CHECK(strstr(b.data, "Content-Type: multipart/alternative; boundary=") != NULL);
	CHECK(strstr(b.data, "@example.org>\r\n") != NULL);
	phx_buf_clear(&b);
	p.to = bad;
	CHECK_INT(phx_mail_build(&p, &b), -1);
	phx_buf_free(&b);
}

int main(void)
{
	money();
	listing_rule();
	html();
	csv();
	mail();
	return unit_done();
}
