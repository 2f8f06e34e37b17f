/* mls_block.c - block page classification (see mls_block.h). Markers are
 * those of the vendors' own pages (../shared/spec/mls-site.md section 5). */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "http.h"
#include "mls_block.h"

#define SCAN_MAX 16384

int phx_header_value(const char *headers, size_t hlen, const char *name, char *out, size_t n)
{
	size_t nl = strlen(name);
	const char *p = headers, *end = headers ? headers + hlen : NULL;
	int found = -1;
	while (p && p < end) {
		const char *le = memchr(p, '\n', (size_t)(end - p));
		const char *e = le ? le : end;
		if ((size_t)(e - p) > nl && p[nl] == ':' && strncasecmp(p, name, nl) == 0) {
			const char *v = p + nl + 1;
			while (v < e && (*v == ' ' || *v == '\t'))
				v++;
			const char *ve = e;
			while (ve > v && isspace((unsigned char)ve[-1]))
				ve--;
			size_t m = (size_t)(ve - v) < n - 1 ? (size_t)(ve - v) : n - 1;
			memcpy(out, v, m);
			out[m] = '\0';
			found = 0;	/* the last one wins (a redirect's block comes first) */
		}
		p = le ? le + 1 : end;
	}
	return found;
}

static int has(const char *body, size_t len, const char *marker)
{
	size_t n = len < SCAN_MAX ? len : SCAN_MAX;
	return body && memmem(body, n, marker, strlen(marker)) != NULL;
}

static void set(phx_block *b, phx_block_kind k, const char *vendor, const char *seen)
{
	b->kind = k;
	b->vendor = vendor;
	b->seen = seen;
}

/* A challenge page's own markers, whatever the status. */
static int body_challenge(phx_block *b, const char *body, size_t len)
{
	if (has(body, len, "/cdn-cgi/challenge-platform/") || has(body, len, "_cf_chl_opt")) {
		set(b, PHX_BLOCK_CHALLENGE, "cloudflare", "Cloudflare challenge script");
		return 1;
	}
	if (has(body, len, "geo.captcha-delivery.com")) {
		if (has(body, len, "t=bv"))
			set(b, PHX_BLOCK_FORBIDDEN, "datadome", "DataDome ban (t=bv)");
		else
			set(b, PHX_BLOCK_CHALLENGE, "datadome", "DataDome captcha");
		return 1;
	}
	if (has(body, len, "px-captcha") || has(body, len, "_pxAppId")) {
		set(b, PHX_BLOCK_FORBIDDEN, "perimeterx", "PerimeterX block page");
		return 1;
	}
	return 0;
}

void phx_mls_block_classify(long status, const char *headers, size_t hlen,
			    const char *body, size_t blen, long now, phx_block *b)
{
	char v[256];
	memset(b, 0, sizeof *b);
	b->vendor = "site";
	b->seen = "";
	b->retry_after_ms = -1;
	if (phx_header_value(headers, hlen, "Retry-After", v, sizeof v) == 0)
		b->retry_after_ms = phx_http_retry_after_ms(v, (time_t)now);
	/* headers */
	if (phx_header_value(headers, hlen, "cf-mitigated", v, sizeof v) == 0 &&
	    strcasecmp(v, "challenge") == 0) {
		set(b, PHX_BLOCK_CHALLENGE, "cloudflare", "cf-mitigated: challenge");
		return;
	}
	if (phx_header_value(headers, hlen, "x-datadome", v, sizeof v) == 0 &&
	    (status == 403 || status == 429 || has(body, blen, "captcha-delivery"))) {
		if (!body_challenge(b, body, blen))
			set(b, PHX_BLOCK_FORBIDDEN, "datadome", "x-datadome header");
		return;
	}
	int server = phx_header_value(headers, hlen, "Server", v, sizeof v) == 0;
	if (server && strcasecmp(v, "cloudflare") == 0 && (status == 403 || status == 429)) {
		if (has(body, blen, "error code: 1015") || has(body, blen, "Error 1015") ||
		    status == 429)
			set(b, PHX_BLOCK_RATE, "cloudflare", "Cloudflare rate limit");
		else if (!body_challenge(b, body, blen))
			set(b, PHX_BLOCK_FORBIDDEN, "cloudflare", "Cloudflare block (Server: cloudflare)");
		return;
	}
	if (server && strncasecmp(v, "AkamaiGHost", 11) == 0 && status == 403) {
		set(b, PHX_BLOCK_FORBIDDEN, "akamai", "Server: AkamaiGHost");
		return;
	}
	/* status */
	if (status == 429) {
		set(b, PHX_BLOCK_RATE, "site", "HTTP 429");
		return;
	}
	if (status == 503 || status == 502 || status == 504) {
		set(b, PHX_BLOCK_UNAVAILABLE, "site", status == 503 ? "HTTP 503" : "HTTP 502/504");
		return;
	}
	/* markers */
	if (body_challenge(b, body, blen))
		return;
	if (status == 403) {
		if (has(body, blen, "<center>nginx</center>") || (server && strncasecmp(v, "nginx", 5) == 0))
			set(b, PHX_BLOCK_FORBIDDEN, "7g", "plain nginx 403 (a 7G-style WAF)");
		else
			set(b, PHX_BLOCK_FORBIDDEN, "site", "HTTP 403");
	}
}

const char *phx_mls_block_name(phx_block_kind k)
{
	static const char *const names[] = { "none", "challenge", "rate_limited", "unavailable",
					     "forbidden" };
	return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "none";
}
