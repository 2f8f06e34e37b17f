/* redact.c - mask secrets and URL passwords in anything we print. */
#include <string.h>
#include <stdlib.h>
#include "redact.h"
#include "xalloc.h"

#define MAX_SECRETS 32

static char *secrets[MAX_SECRETS];
static size_t secret_lens[MAX_SECRETS];
static int nsecrets;

void phx_redact_add(const char *secret)
{
	size_t n = secret ? strlen(secret) : 0;
	if (n < 4 || nsecrets == MAX_SECRETS)
		return;
	for (int i = 0; i < nsecrets; i++)
		if (strcmp(secrets[i], secret) == 0)
			return;
	secrets[nsecrets] = phx_xstrdup(secret);
	secret_lens[nsecrets] = n;
	nsecrets++;
}

void phx_redact_reset(void)
{
	for (int i = 0; i < nsecrets; i++) {
		memset(secrets[i], 0, secret_lens[i]);
		free(secrets[i]);
	}
	nsecrets = 0;
}

/* Earliest registered secret in s[from..n): its start, or n. */
static size_t next_secret(const char *s, size_t n, size_t from, size_t *len)
{
	size_t best = n;
	for (int i = 0; i < nsecrets; i++) {
		const char *p = memmem(s + from, n - from, secrets[i], secret_lens[i]);
		if (p && (size_t)(p - s) < best) {
			best = (size_t)(p - s);
			*len = secret_lens[i];
		}
	}
	return best;
}

static int authority_end(char c)
{
	return c == '/' || c == '?' || c == '#' || c == '"' || c == '\'' || c == ' ' ||
	       c == '\t' || c == '\n' || c == '\r' || c == '\\' || c == '<' || c == '>';
}

/* Next URL password in s[from..n): start and length of the text between
 * "user:" and "@" in scheme://user:pass@host. Returns n when none. */
static size_t next_url_password(const char *s, size_t n, size_t from, size_t *len)
{
	while (from < n) {
		const char *p = memmem(s + from, n - from, "://", 3);
		if (!p)
			return n;
		size_t start = (size_t)(p - s) + 3, end = start, at = n;
		while (end < n && !authority_end(s[end])) {
			if (s[end] == '@')
				at = end;
			end++;
		}
		if (at != n) {
			const char *colon = memchr(s + start, ':', at - start);
			if (colon && (size_t)(colon - s) + 1 < at) {
				size_t pw = (size_t)(colon - s) + 1;
				*len = at - pw;
				return pw;
			}
		}
		from = start;
	}
	return n;
}

static void mask_secrets(phx_buf *out, const char *s, size_t n)
{
	size_t i = 0, len = 0;
	while (i < n) {
		size_t at = nsecrets ? next_secret(s, n, i, &len) : n;
		phx_buf_add(out, s + i, at - i);
		if (at == n)
			break;
		phx_buf_add(out, "***", 3);
		i = at + len;
	}
}

static void mask_urls(phx_buf *out, const char *s, size_t n)
{
	size_t i = 0, len = 0;
	while (i < n) {
		size_t at = next_url_password(s, n, i, &len);
		phx_buf_add(out, s + i, at - i);
		if (at == n)
			break;
		phx_buf_add(out, "***", 3);
		i = at + len;
	}
}

void phx_redact_append(phx_buf *out, const char *s, size_t n)
{
	if (!memmem(s, n, "://", 3)) {
		mask_secrets(out, s, n);
		return;
	}
	phx_buf tmp = PHX_BUF_INIT;
	mask_secrets(&tmp, s, n);
	mask_urls(out, tmp.data ? tmp.data : "", tmp.len);
	phx_buf_free(&tmp);
}

char *phx_redact_dup(const char *s)
{
	phx_buf b = PHX_BUF_INIT;
	phx_redact_append(&b, s, strlen(s));
	return phx_buf_steal(&b);
}

int phx_redact_needed(const char *s, size_t n)
{
	size_t len;
	if (nsecrets && next_secret(s, n, 0, &len) < n)
		return 1;
	return next_url_password(s, n, 0, &len) < n;
}
