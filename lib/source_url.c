/* source_url.c - phx-fetch's generic mode: {"url":...} requests and
 * --url-file lines; the output is each response itself as a JSON object
 * (lib/response.h). A URL of the assessor's host carries its token
 * (source_maricopa.c decides), no other host ever sees it. */
#include <stdlib.h>
#include <string.h>
#include "response.h"
#include "run.h"
#include "sha256.h"
#include "source.h"
#include "xalloc.h"

typedef struct ujob {
	phx_pos pos;
	char *file, *url;
	json_t *request;
} ujob;

static const char *base_flag;

static void ujob_free(ujob *j)
{
	free(j->file);
	free(j->url);
	json_decref(j->request);
	free(j);
}

static void url_done(void *user, const phx_http_result *r)
{
	ujob *j = user;
	if (r->cancelled || phx_fetch_stopped()) {
		ujob_free(j);
		return;
	}
	if (r->error) {
		phx_fetch_note_failure(r->error);
		phx_fetch_reject(&j->pos, j->request, r->error, r->error_detail, r->tries, r->url,
				 r->status);
		ujob_free(j);
		return;
	}
	json_t *out = phx_response_json(r);
	if (!out) {
		phx_fetch_reject(&j->pos, j->request, "fetch.bad_response",
				 "response could not be represented as JSON", r->tries, r->url,
				 r->status);
	} else {
		char sha[65];
		phx_sha256_hex(r->body, r->body_len, sha);
		char *proxy = phx_fetch_public_proxy(r->proxy);
		phx_fetch_trace(out, r->url, r->status, sha, proxy, NULL);
		free(proxy);
		phx_fetch_emit(out);
		json_decref(out);
	}
	ujob_free(j);
}

static int url_open(const phx_source_opts *o)
{
	base_flag = o->base_url;
	return 0;
}

static void url_start(json_t *req, const phx_pos *pos)
{
	phx_run_current()->in++;
	ujob *j = phx_xcalloc(1, sizeof *j);
	j->file = phx_xstrdup(pos->file ? pos->file : "-");
	j->pos = *pos;
	j->pos.file = j->file;
	j->url = phx_xstrdup(json_string_value(json_object_get(req, "url")));
	j->request = json_incref(req);
	phx_http_request rq = { j->url, NULL, NULL, 0,
				phx_maricopa_headers_for(j->url, base_flag), 1, url_done, j,
				NULL, NULL };
	phx_http_submit(phx_fetch_http(), &rq);
}

static void url_metrics(json_t *m)
{
	(void)m;
}

static void url_close(void)
{
	base_flag = NULL;
}

const phx_source phx_source_url = {
	"url",
	"any URL: the response itself",
	NULL, url_open, url_start, NULL, url_metrics, url_close,
};
