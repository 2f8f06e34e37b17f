/* mls_block.h - is this answer a block page, and whose? Headers first
 * (cf-mitigated, x-datadome, Server), then the status, then vendor markers
 * in the first 16 KiB of the body (a 200 can be a challenge too). Generic
 * words ("captcha", "verification") are never markers: ordinary listing
 * pages contain them. */
#ifndef PHX_MLS_BLOCK_H
#define PHX_MLS_BLOCK_H
#include <stddef.h>

typedef enum {
	PHX_BLOCK_NONE = 0,
	PHX_BLOCK_CHALLENGE,	/* a challenge to solve: slow down, retry later */
	PHX_BLOCK_RATE,		/* rate limited (429, Cloudflare 1015): slow down */
	PHX_BLOCK_UNAVAILABLE,	/* 503 and the like: retry later */
	PHX_BLOCK_FORBIDDEN	/* this client or address is refused: stop */
} phx_block_kind;

typedef struct phx_block {
	phx_block_kind kind;
	const char *vendor;	/* "cloudflare", "7g", "datadome", "perimeterx",
				 * "akamai", "site" (static) */
	const char *seen;	/* what decided it: "cf-mitigated: challenge"... */
	long retry_after_ms;	/* from Retry-After, -1 when none */
} phx_block;

/* headers: the raw header block of the answer (may be NULL). now: wall
 * clock, for a Retry-After date. */
void phx_mls_block_classify(long status, const char *headers, size_t hlen,
			    const char *body, size_t blen, long now, phx_block *out);
/* "challenge", "rate_limited", "unavailable", "forbidden", "none". */
const char *phx_mls_block_name(phx_block_kind k);
/* The value of header name (case-insensitive) of a raw block, trimmed, into
 * out; 0, or -1 when absent. */
int phx_header_value(const char *headers, size_t hlen, const char *name, char *out,
		     size_t n);

#endif
