/* source.c - the table of phx-fetch's sources and what they share with
 * the tool (see source.h). */
#include <stdio.h>
#include <string.h>
#include "exitcode.h"
#include "log.h"
#include "output.h"
#include "redact.h"
#include "reject.h"
#include "run.h"
#include "source.h"
#include "trace.h"
#include "buf.h"

static const phx_source *const sources[] = { &phx_source_maricopa, &phx_source_mls,
					     &phx_source_url };

const phx_source *phx_source_find(const char *name)
{
	for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++)
		if (name && strcmp(sources[i]->name, name) == 0)
			return sources[i];
	return NULL;
}

const char *phx_source_names(void)
{
	return "maricopa, phoenix_mls";
}

static struct {
	phx_http *http;
	int stop;
} S;

void phx_fetch_set_http(phx_http *h)
{
	S.http = h;
}

phx_http *phx_fetch_http(void)
{
	return S.http;
}

void phx_fetch_fatal(int code)
{
	phx_run_fail(code);
	if (!S.stop) {
		S.stop = 1;
		if (S.http)
			phx_http_halt(S.http, 1);
	}
}

int phx_fetch_stopped(void)
{
	return S.stop;
}

void phx_fetch_output_failed(void)
{
	if (!phx_out_closed())
		phx_run_fail(PHX_EX_IOERR);
	phx_fetch_fatal(PHX_EX_OK);
}

int phx_fetch_emit(json_t *rec)
{
	if (phx_out_json(rec) != 0) {
		phx_fetch_output_failed();
		return -1;
	}
	phx_run_current()->out++;
	return 0;
}

void phx_fetch_reject(const phx_pos *pos, const json_t *request, const char *code,
		      const char *why, int tries, const char *url, long status)
{
	json_t *extra = json_object();
	if (url)
		json_object_set_new(extra, "url", json_string(url));
	if (status > 0)
		json_object_set_new(extra, "status", json_integer(status));
	if (phx_reject(pos, code, why, NULL, 0, 0, request, tries, extra) != 0)
		phx_fetch_fatal(PHX_EX_IOERR);
	json_decref(extra);
}

void phx_fetch_note_failure(const char *code)
{
	if (strcmp(code, "fetch.auth") == 0) {
		phx_err("the assessor refused the token: check MARICOPA_API_KEY "
			"(or MARICOPA_API_KEY_FILE)");
		phx_fetch_fatal(PHX_EX_CONFIG);
	} else if (strcmp(code, "fetch.no_proxies") == 0) {
		phx_err("no usable proxy left: try again later");
		phx_fetch_fatal(PHX_EX_TEMPFAIL);
	} else if (strcmp(code, "fetch.http_429") == 0 || strcmp(code, "fetch.proxy_failed") == 0) {
		phx_run_fail(PHX_EX_TEMPFAIL);
	} else if (strncmp(code, "fetch.http_5", 12) == 0 || strcmp(code, "fetch.connect") == 0 ||
		   strcmp(code, "fetch.timeout") == 0 || strcmp(code, "fetch.tls") == 0) {
		phx_run_fail(PHX_EX_UNAVAILABLE);
	}
}

void phx_fetch_trace(json_t *rec, const char *url, long status, const char *sha,
		     const char *proxy, const json_t *more)
{
	json_t *extra = json_pack("{s:s, s:i, s:s, s:o}", "url", url, "status", (int)status,
				  "sha256", sha, "proxy",
				  proxy ? json_string(proxy) : json_null());
	if (more)
		json_object_update(extra, (json_t *)more);
	phx_trace_append(rec, "phx-fetch", extra);
	json_decref(extra);
}

char *phx_fetch_public_proxy(const char *proxy)
{
	if (!proxy)
		return NULL;
	const char *sep = strstr(proxy, "://");
	const char *host = sep ? sep + 3 : proxy;
	const char *at = strchr(host, '@');
	const char *slash = strchr(host, '/');
	if (!at || (slash && slash < at))
		return phx_redact_dup(proxy);
	phx_buf b = PHX_BUF_INIT;
	phx_buf_add(&b, proxy, (size_t)(host - proxy));
	phx_buf_adds(&b, at + 1);
	char *out = phx_redact_dup(b.data);
	phx_buf_free(&b);
	return out;
}
