/* mail_smtp.c - one message over SMTP with libcurl: see mail_smtp.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>
#include "mail_smtp.h"
#include "redact.h"

struct reader {
	const char *p;
	size_t left;
};

static size_t read_cb(char *dst, size_t size, size_t n, void *arg)
{
	struct reader *r = arg;
	size_t want = size * n, take = r->left < want ? r->left : want;
	memcpy(dst, r->p, take);
	r->p += take;
	r->left -= take;
	return take;
}

static void explain(char *why, size_t n, CURLcode rc, const char *err, long code)
{
	char *shown = phx_redact_dup(err && *err ? err : curl_easy_strerror(rc));
	if (code)
		snprintf(why, n, "%s (SMTP %ld)", shown, code);
	else
		snprintf(why, n, "%s", shown);
	free(shown);
}

static int classify(CURLcode rc, long code)
{
	if (rc == CURLE_LOGIN_DENIED || code == 535 || code == 534 || code == 530)
		return PHX_SMTP_AUTH;
	if (code >= 500 && code < 600)
		return PHX_SMTP_REFUSED;
	return PHX_SMTP_TEMP;	/* unreachable, TLS, timeouts, 4xx */
}

int phx_smtp_send(const phx_smtp *s, const char *msg, size_t len, char *why, size_t whylen)
{
	CURL *e = curl_easy_init();
	struct curl_slist *rcpt = NULL;
	struct reader r = { msg, len };
	char url[1024], from[300], err[CURL_ERROR_SIZE] = "";
	int implicit = strcmp(s->tls, "implicit") == 0, plain = strcmp(s->tls, "none") == 0;
	long code = 0;

	if (!e) {
		snprintf(why, whylen, "curl_easy_init failed");
		return PHX_SMTP_TEMP;
	}
	snprintf(url, sizeof url, "%s://%s:%s", implicit ? "smtps" : "smtp", s->host, s->port);
	snprintf(from, sizeof from, "<%s>", s->from);
	for (size_t i = 0; s->to[i]; i++) {
		char to[300];
		snprintf(to, sizeof to, "<%s>", s->to[i]);
		rcpt = curl_slist_append(rcpt, to);
	}
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(e, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(e, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(e, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(e, CURLOPT_READDATA, &r);
	curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, s->connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, s->timeout_ms);
	if (!implicit && !plain)	/* a password never goes in the clear */
		curl_easy_setopt(e, CURLOPT_USE_SSL,
				 s->password ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
	if (s->ca_file)
		curl_easy_setopt(e, CURLOPT_CAINFO, s->ca_file);
	if (s->username)
		curl_easy_setopt(e, CURLOPT_USERNAME, s->username);
	if (s->password)
		curl_easy_setopt(e, CURLOPT_PASSWORD, s->password);
	CURLcode rc = curl_easy_perform(e);
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(e);
	if (rc == CURLE_OK)
		return PHX_SMTP_OK;
	explain(why, whylen, rc, err, code);
	return classify(rc, code);
}
