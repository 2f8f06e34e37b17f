/* llm_reply.c - parse chat answers of both APIs, streamed or not, and turn
 * every way a server fails into one reject code (see llm_reply.h). The body
 * is outside input: any bytes must end in an answer or a code, never a
 * crash (fuzz/fuzz_llm_reply.c). */
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "llm_reply.h"
#include "llm_request.h"

void phx_llm_reply_init(phx_llm_reply *r)
{
	memset(r, 0, sizeof *r);
}

void phx_llm_reply_free(phx_llm_reply *r)
{
	phx_buf_free(&r->content);
}

static int fail(phx_llm_reply *r, const char *code, const char *msg)
{
	snprintf(r->code, sizeof r->code, "%s", code);
	size_t l = strlen(msg);
	if (l >= sizeof r->error)
		l = sizeof r->error - 1;	/* the server's words, cut */
	memcpy(r->error, msg, l);
	r->error[l] = '\0';
	return -1;
}

static long long num(const json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_integer(v) ? (long long)json_integer_value(v) : 0;
}

static void set_reason(phx_llm_reply *r, const char *s)
{
	snprintf(r->done_reason, sizeof r->done_reason, "%s", s);
}

/* The error text of {"error":"..."} or {"error":{"message":...}}; NULL if none. */
static const char *error_text(const json_t *o)
{
	json_t *e = json_object_get(o, "error");
	if (!e)
		return NULL;
	if (json_is_string(e))
		return json_string_value(e);
	const char *m = json_string_value(json_object_get(e, "message"));
	return m ? m : "error without a message";
}

static void add_text(phx_llm_reply *r, const json_t *s)
{
	if (json_is_string(s))
		phx_buf_add(&r->content, json_string_value(s), json_string_length(s));
}

/* ---- Ollama: one object, or NDJSON lines of chunks ---- */
static int ollama_chunk(phx_llm_reply *r, const json_t *o)
{
	const char *err = error_text(o);
	if (err)
		return fail(r, "llm.error", err);
	json_t *msg = json_object_get(o, "message");
	add_text(r, json_is_object(msg) ? json_object_get(msg, "content")
		 : json_object_get(o, "response"));
	if (json_is_true(json_object_get(o, "done"))) {
		r->done = 1;
		const char *dr = json_string_value(json_object_get(o, "done_reason"));
		set_reason(r, dr ? dr : "");
		r->prompt_tokens = num(o, "prompt_eval_count");
		r->completion_tokens = num(o, "eval_count");
		r->total_ns = num(o, "total_duration");
		r->load_ns = num(o, "load_duration");
		r->prompt_ns = num(o, "prompt_eval_duration");
		r->eval_ns = num(o, "eval_duration");
	}
	return 0;
}

static int parse_ollama(const char *body, size_t len, phx_llm_reply *r)
{
	size_t at = 0;
	int any = 0;
	while (at < len) {
		const char *nl = memchr(body + at, '\n', len - at);
		size_t l = nl ? (size_t)(nl - (body + at)) : len - at;
		size_t s = at;
		at += l + (nl ? 1 : 0);
		while (l && (body[s + l - 1] == '\r' || body[s + l - 1] == ' '))
			l--;
		if (!l)
			continue;
		json_t *o = json_loadb(body + s, l, JSON_REJECT_DUPLICATES, NULL);
		if (!json_is_object(o)) {
			json_decref(o);
			return fail(r, "llm.bad_reply", "a line of the answer is not a JSON object");
		}
		any = 1;
		int rc = r->done ? 0 : ollama_chunk(r, o);
		json_decref(o);
		if (rc)
			return rc;
	}
	return any ? 0 : fail(r, "llm.bad_reply", "empty answer body");
}

/* ---- OpenAI: chat.completion object, or SSE "data:" lines ---- */
static int openai_object(phx_llm_reply *r, const json_t *o, int chunk)
{
	const char *err = error_text(o);
	if (err)
		return fail(r, "llm.error", err);
	json_t *usage = json_object_get(o, "usage");
	if (json_is_object(usage)) {
		r->prompt_tokens = num(usage, "prompt_tokens");
		r->completion_tokens = num(usage, "completion_tokens");
	}
	json_t *ch = json_array_get(json_object_get(o, "choices"), 0);
	if (!ch)
		return (chunk && json_is_array(json_object_get(o, "choices"))) ? 0
			: fail(r, "llm.bad_reply", "no choices in the answer");
	json_t *m = json_object_get(ch, chunk ? "delta" : "message");
	if (json_is_object(m)) {
		json_t *c = json_object_get(m, "content");
		const char *refusal = json_string_value(json_object_get(m, "refusal"));
		if (!chunk && json_is_null(c) && refusal)
			return fail(r, "llm.refusal", refusal);
		add_text(r, c);
	}
	const char *fr = json_string_value(json_object_get(ch, "finish_reason"));
	if (fr) {
		r->done = 1;
		set_reason(r, fr);
	}
	return 0;
}

static int parse_sse(const char *body, size_t len, phx_llm_reply *r)
{
	size_t at = 0;
	int finished = 0, saw_done = 0;
	while (at < len) {
		const char *nl = memchr(body + at, '\n', len - at);
		size_t l = nl ? (size_t)(nl - (body + at)) : len - at;
		const char *s = body + at;
		at += l + (nl ? 1 : 0);
		if (l && s[l - 1] == '\r')
			l--;
		if (l < 5 || memcmp(s, "data:", 5) != 0)
			continue;	/* blank separators, comments, event: lines */
		s += 5, l -= 5;
		while (l && *s == ' ')
			s++, l--;
		if (l == 6 && memcmp(s, "[DONE]", 6) == 0) {
			saw_done = 1;
			break;
		}
		json_t *o = json_loadb(s, l, JSON_REJECT_DUPLICATES, NULL);
		if (!json_is_object(o)) {
			json_decref(o);
			return fail(r, "llm.bad_reply", "an event of the stream is not a JSON object");
		}
		int rc = openai_object(r, o, 1);
		finished |= r->done;
		json_decref(o);
		if (rc)
			return rc;
	}
	if (!saw_done || !finished)
		r->done = 0;	/* a stream cut before [DONE] is not an answer */
	return 0;
}

static int parse_openai(const char *body, size_t len, phx_llm_reply *r)
{
	size_t i = 0;
	while (i < len && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r'))
		i++;
	if (len - i >= 5 && memcmp(body + i, "data:", 5) == 0)
		return parse_sse(body + i, len - i, r);
	json_t *o = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(o)) {
		json_decref(o);
		return fail(r, "llm.bad_reply", "the answer is not a JSON object");
	}
	int rc = openai_object(r, o, 0);
	json_decref(o);
	return rc;
}

/* Status other than 2xx: the server's error text, classified. */
static int http_failure(long status, const char *body, size_t len, phx_llm_reply *r)
{
	char code[32], text[400] = "";
	json_t *o = json_loadb(body, len, 0, NULL);
	const char *err = o ? error_text(o) : NULL;
	if (err)
		snprintf(text, sizeof text, "%s", err);
	else
		snprintf(text, sizeof text, "%.*s", (int)(len > 200 ? 200 : len), body);
	json_decref(o);
	snprintf(code, sizeof code, "llm.http_%ld", status);
	if (status == 404)
		snprintf(code, sizeof code, "llm.model_missing");
	else if (strstr(text, "longer than the context length") ||
		 strstr(text, "exceed_context_size_error") ||
		 strstr(text, "exceeds the available context size"))
		snprintf(code, sizeof code, "llm.too_long");
	char msg[420];
	snprintf(msg, sizeof msg, "HTTP %ld: %s", status, text);
	return fail(r, code, msg);
}

int phx_llm_reply_parse(int api, long status, const char *body, size_t len, phx_llm_reply *r)
{
	if (status < 200 || status > 299)
		return http_failure(status, body ? body : "", body ? len : 0, r);
	if (!body)
		body = "", len = 0;
	int rc = api == PHX_LLM_API_OPENAI ? parse_openai(body, len, r)
					   : parse_ollama(body, len, r);
	if (rc)
		return rc;
	if (!r->done)
		return fail(r, "llm.not_done", "the answer ended without done (cut off)");
	if (strcmp(r->done_reason, "length") == 0)
		return fail(r, "llm.length", "the model hit its token limit (done_reason length)");
	if (r->done_reason[0] && strcmp(r->done_reason, "stop") != 0) {
		char m[80];
		snprintf(m, sizeof m, "done_reason %s", r->done_reason);
		return fail(r, "llm.done_reason", m);
	}
	if (r->content.len == 0)
		return fail(r, "llm.empty", "the answer has no content");
	return 0;
}
