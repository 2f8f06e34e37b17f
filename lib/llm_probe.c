/* llm_probe.c - start-up questions to the model server (llm_probe.h). The
 * same HTTP engine as the chat requests, so timeouts, retries of a 503 at
 * cold start and usage lines are the same. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "buf.h"
#include "llm_probe.h"
#include "llm_request.h"
#include "xalloc.h"

struct wait {
	int done;
	long status;
	char *body;
	const char *err;
	char detail[200];
};

static void on_done(void *user, const phx_http_result *r)
{
	struct wait *w = user;
	w->done = 1;
	w->status = r->error ? 0 : r->status;
	w->err = r->error ? r->error : NULL;
	if (r->error)
		snprintf(w->detail, sizeof w->detail, "%s", r->error_detail ? r->error_detail : "");
	if (!r->error)
		w->body = phx_xstrndup(r->body, r->body_len);
}

long phx_llm_fetch(phx_http *h, const char *url, const char *post, char **body,
		   const char **err)
{
	struct wait w = { 0 };
	phx_http_request rq = { 0 };
	static const char *const ctype = "Content-Type: application/json";
	static struct curl_slist hdr = { (char *)ctype, NULL };
	rq.url = url;
	if (post) {
		rq.method = "POST";
		rq.body = post;
		rq.body_len = strlen(post);
		rq.headers = &hdr;
	}
	rq.done = on_done;
	rq.user = &w;
	phx_http_submit(h, &rq);
	while (!w.done && phx_http_perform(h, 250) > 0)
		;
	*body = w.body;
	*err = w.done ? w.err : "fetch.cancelled";
	return w.status;
}

/* vsnprintf: a long URL may cut the message, and that is fine */
__attribute__((format(printf, 2, 3)))
static void set_error(phx_llm_server *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out->error, sizeof out->error, fmt, ap);
	va_end(ap);
}

static json_t *get_json(phx_http *h, const char *base, const char *path, const char *post,
			long *status, phx_llm_server *out)
{
	char url[2048];
	char *body = NULL;
	const char *err = NULL;
	snprintf(url, sizeof url, "%s%s", base, path);
	*status = phx_llm_fetch(h, url, post, &body, &err);
	if (*status == 0) {
		set_error(out, "%s: %s", url, err ? err : "no answer");
		return NULL;
	}
	json_t *o = json_loads(body ? body : "", 0, NULL);
	if (!json_is_object(o) && out->error[0] == '\0')
		set_error(out, "%s: HTTP %ld, not a JSON object: %.80s",
			 url, *status, body ? body : "");
	free(body);
	if (!json_is_object(o)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static void copy_str(char *dst, size_t n, const json_t *v)
{
	const char *s = json_string_value(v);
	snprintf(dst, n, "%s", s ? s : "");
}

static int same_model(const json_t *m, const char *model)
{
	const char *a = json_string_value(json_object_get(m, "name"));
	const char *b = json_string_value(json_object_get(m, "model"));
	return (a && strcmp(a, model) == 0) || (b && strcmp(b, model) == 0);
}

static void read_show(const json_t *show, phx_llm_server *out)
{
	copy_str(out->format, sizeof out->format,
		 json_object_get(json_object_get(show, "details"), "format"));
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(show, "capabilities"), i, c)
		if (json_is_string(c) && strcmp(json_string_value(c), "thinking") == 0)
			out->thinking = 1;
	json_t *info = json_object_get(show, "model_info");
	const char *arch = json_string_value(json_object_get(info, "general.architecture"));
	if (arch) {
		char key[128];
		snprintf(key, sizeof key, "%s.context_length", arch);
		json_t *v = json_object_get(info, key);
		if (json_is_integer(v))
			out->ctx_trained = (long)json_integer_value(v);
	}
}

/* /api/tags for the digest, /api/ps for the context actually loaded. */
static void read_lists(phx_http *h, const char *base, const char *model, phx_llm_server *out)
{
	long st;
	size_t i;
	json_t *m;
	json_t *tags = get_json(h, base, "/api/tags", NULL, &st, out);
	json_array_foreach(json_object_get(tags, "models"), i, m)
		if (same_model(m, model))
			copy_str(out->digest, sizeof out->digest, json_object_get(m, "digest"));
	json_decref(tags);
	json_t *ps = get_json(h, base, "/api/ps", NULL, &st, out);
	json_array_foreach(json_object_get(ps, "models"), i, m) {
		json_t *cl = json_object_get(m, "context_length");
		if (same_model(m, model) && json_is_integer(cl))
			out->ctx_loaded = (long)json_integer_value(cl);
	}
	json_decref(ps);
	out->error[0] = '\0';	/* the lists are extras: their failure is no error */
}

static int probe_ollama(phx_http *h, const char *base, const char *model, phx_llm_server *out)
{
	long st;
	json_t *v = get_json(h, base, "/api/version", NULL, &st, out);
	if (!v)
		return PHX_LLM_PROBE_DOWN;
	copy_str(out->version, sizeof out->version, json_object_get(v, "version"));
	json_decref(v);
	phx_buf body = PHX_BUF_INIT;
	phx_buf_adds(&body, "{\"model\":");
	phx_buf_add_json_string(&body, model, strlen(model));
	phx_buf_addc(&body, '}');
	json_t *show = get_json(h, base, "/api/show", body.data, &st, out);
	phx_buf_free(&body);
	if (st == 404) {
		json_decref(show);
		set_error(out, "model '%s' not found", model);
		return PHX_LLM_PROBE_NO_MODEL;
	}
	if (!show || st != 200) {
		json_decref(show);
		if (st != 0 && st != 200)
			set_error(out, "/api/show: HTTP %ld", st);
		return st == 0 ? PHX_LLM_PROBE_DOWN : PHX_LLM_PROBE_BAD;
	}
	read_show(show, out);
	json_decref(show);
	read_lists(h, base, model, out);
	return PHX_LLM_PROBE_OK;
}

static int probe_openai(phx_http *h, const char *base, const char *model, phx_llm_server *out)
{
	long st;
	json_t *v = get_json(h, base, "/v1/models", NULL, &st, out);
	if (!v)
		return st == 0 ? PHX_LLM_PROBE_DOWN : PHX_LLM_PROBE_BAD;
	if (st != 200) {
		set_error(out, "/v1/models: HTTP %ld", st);
		json_decref(v);
		return PHX_LLM_PROBE_BAD;
	}
	json_t *data = json_object_get(v, "data"), *m;
	size_t i;
	int found = 0;
	json_array_foreach(data, i, m) {
		const char *id = json_string_value(json_object_get(m, "id"));
		found |= id && strcmp(id, model) == 0;
	}
	/* llama-server in single-model mode lists one model and serves any name */
	int listed = json_is_array(data) ? (int)json_array_size(data) : 0;
	json_decref(v);
	if (!found && listed != 1) {
		set_error(out, "model '%s' not found", model);
		return PHX_LLM_PROBE_NO_MODEL;
	}
	return PHX_LLM_PROBE_OK;
}

int phx_llm_probe(phx_http *h, int api, const char *base, const char *model,
		  phx_llm_server *out)
{
	memset(out, 0, sizeof *out);
	return api == PHX_LLM_API_OPENAI ? probe_openai(h, base, model, out)
					 : probe_ollama(h, base, model, out);
}
