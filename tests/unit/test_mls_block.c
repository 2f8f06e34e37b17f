/* test_mls_block.c - block page classification: headers first, then the
 * status, then vendor markers; ordinary pages that say "captcha" or
 * "verification" are no block. */
#include <time.h>
#include "mls_block.h"
#include "unit.h"

static phx_block classify(long status, const char *headers, const char *body)
{
	phx_block b;
	phx_mls_block_classify(status, headers, headers ? strlen(headers) : 0, body,
			       body ? strlen(body) : 0, 1796600000L, &b);
	return b;
}

static void vendors(void)
{
	phx_block b = classify(403, "HTTP/1.1 403 Forbidden\r\nServer: cloudflare\r\n"
			       "cf-mitigated: challenge\r\nCF-RAY: 1\r\n\r\n",
			       "<title>Just a moment...</title>");
	CHECK_INT(b.kind, PHX_BLOCK_CHALLENGE);
	CHECK_STR(b.vendor, "cloudflare");
	CHECK_STR(b.seen, "cf-mitigated: challenge");
	/* the same header on a 429 (Super Bot Fight Mode) is still a challenge */
	b = classify(429, "HTTP/1.1 429 Too Many Requests\r\nCF-Mitigated: Challenge\r\n"
		     "Retry-After: 30\r\n\r\n", "");
	CHECK_INT(b.kind, PHX_BLOCK_CHALLENGE);
	CHECK_INT(b.retry_after_ms, 30000);
	b = classify(200, "HTTP/1.1 200 OK\r\nServer: nginx\r\n\r\n",
		     "<script>window._cf_chl_opt={};</script>");
	CHECK_INT(b.kind, PHX_BLOCK_CHALLENGE);
	b = classify(403, "HTTP/1.1 403 Forbidden\r\nx-datadome: protected\r\n\r\n",
		     "<iframe src='https://geo.captcha-delivery.com/captcha/?initialCid=A&t=fe'>");
	CHECK_INT(b.kind, PHX_BLOCK_CHALLENGE);
	CHECK_STR(b.vendor, "datadome");
	b = classify(403, "HTTP/1.1 403 Forbidden\r\nx-datadome: protected\r\n\r\n",
		     "<iframe src='https://geo.captcha-delivery.com/captcha/?initialCid=A&t=bv'>");
	CHECK_INT(b.kind, PHX_BLOCK_FORBIDDEN);
	b = classify(403, "HTTP/1.1 403 Forbidden\r\nServer: nginx\r\n\r\n",
		     "<html><head><title>403 Forbidden</title></head><body><center><h1>403 "
		     "Forbidden</h1></center><hr><center>nginx</center></body></html>");
	CHECK_INT(b.kind, PHX_BLOCK_FORBIDDEN);
	CHECK_STR(b.vendor, "7g");
	b = classify(403, "HTTP/1.1 403 Forbidden\r\nServer: AkamaiGHost\r\n\r\n",
		     "<TITLE>Access Denied</TITLE>");
	CHECK_STR(b.vendor, "akamai");
	b = classify(403, NULL, "<div id=\"px-captcha\"></div>");
	CHECK_INT(b.kind, PHX_BLOCK_FORBIDDEN);
	CHECK_STR(b.vendor, "perimeterx");
	b = classify(403, "HTTP/1.1 403 Forbidden\r\nServer: cloudflare\r\n\r\n",
		     "error code: 1015");
	CHECK_INT(b.kind, PHX_BLOCK_RATE);
}

static void statuses(void)
{
	phx_block b = classify(429, "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 2\r\n\r\n", "");
	CHECK_INT(b.kind, PHX_BLOCK_RATE);
	CHECK_INT(b.retry_after_ms, 2000);
	/* an HTTP date, 60 s after "now" */
	b = classify(429, "HTTP/1.1 429 Too Many Requests\r\n"
		     "Retry-After: Sun, 06 Dec 2026 23:34:20 GMT\r\n\r\n", "");
	CHECK_INT(b.kind, PHX_BLOCK_RATE);
	CHECK_INT(b.retry_after_ms, 60000);
	b = classify(503, "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 120\r\n\r\n", "");
	CHECK_INT(b.kind, PHX_BLOCK_UNAVAILABLE);
	CHECK_INT(b.retry_after_ms, 120000);
	b = classify(403, NULL, "no");
	CHECK_INT(b.kind, PHX_BLOCK_FORBIDDEN);
	CHECK_STR(b.vendor, "site");
}

static void ordinary_pages(void)
{
	/* words the previous system matched on, in a listing's remarks */
	phx_block b = classify(200, "HTTP/1.1 200 OK\r\nServer: nginx\r\nX-Flexmls-IDX: idx\r\n\r\n",
			       "<div>Income verification required; no captcha here. Access "
			       "denied to the attic. Just a moment from the park.</div>");
	CHECK_INT(b.kind, PHX_BLOCK_NONE);
	CHECK_INT(b.retry_after_ms, -1);
	b = classify(404, NULL, "");
	CHECK_INT(b.kind, PHX_BLOCK_NONE);
	b = classify(200, NULL, NULL);
	CHECK_INT(b.kind, PHX_BLOCK_NONE);
	CHECK_STR(phx_mls_block_name(PHX_BLOCK_RATE), "rate_limited");
	char v[16];
	CHECK(phx_header_value("A: 1\r\nLocation: /x/\r\n", 20, "location", v, sizeof v) == 0);
	CHECK_STR(v, "/x/");
	CHECK(phx_header_value("A: 1\r\n", 6, "Location", v, sizeof v) == -1);
}

int main(void)
{
	vendors();
	statuses();
	ordinary_pages();
	return unit_done();
}
