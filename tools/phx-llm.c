/* phx-llm - fill the fields a listing states only in prose (beds, baths,
 * pool, garage ...) from a local model, checked and never trusted.
 *
 * Records are read in order and written in order. A record with nothing to
 * ask (no description, or no askable field that is null) leaves byte for
 * byte as it came. The others are asked through a bounded window of
 * concurrent requests (one per server slot); every answer is judged by
 * llm_check.c before a null field is filled, and answers already paid for
 * come from the cache in the state directory. When the server is down, the
 * rules of llm_rules.c answer instead and say so. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "cli.h"
#include "config.h"
#include "defaults.h"
#include "exitcode.h"
#include "http.h"
#include "jsonwrite.h"
#include "llm_cache.h"
#include "llm_check.h"
#include "llm_fields.h"
#include "llm_probe.h"
#include "llm_prompt.h"
#include "llm_reply.h"
#include "llm_request.h"
#include "llm_rules.h"
#include "log.h"
#include "ndjson.h"
#include "output.h"
#include "redact.h"
#include "reject.h"
#include "run.h"
#include "sha256.h"
#include "signals.h"
#include "state.h"
#include "trace.h"
#include "xalloc.h"

static const char usage_line[] =
	"phx-llm [--url URL] [--model NAME] [--api ollama|openai] [--parallel N]\n"
	"               [--fields FILE] [--no-cache] [--no-fallback] [options] [FILE...]\n"
	"       phx-llm --check [--url URL] [--model NAME] [--api ollama|openai]";

static const char help_text[] =
	"Usage: phx-llm [OPTIONS] [FILE...]\n"
	"Fill null fields of property records (NDJSON) that a listing states only in its\n"
	"description, by asking a local model (Ollama or an OpenAI-compatible server).\n"
	"Only null fields are filled; every value is checked against its type, range and\n"
	"the description's words. Records with nothing to ask pass through unchanged.\n"
	"\n"
	"  --url URL            server (env OLLAMA_URL, OLLAMA_BASE_URL; config llm.url;\n"
	"                       default http://localhost:11434)\n"
	"  --model NAME         model (env LLM_MODEL; config llm.model; default\n"
	"                       llama3.2:latest)\n"
	"  --api API            ollama (/api/chat, default) or openai (/v1/chat/completions)\n"
	"  --parallel N         requests at once, the server's parallel slots (env\n"
	"                       PHX_LLM_PARALLEL, OLLAMA_NUM_PARALLEL; default 1)\n"
	"  --fields FILE        askable fields per source (default: built-in\n"
	"                       etc/llm-fields.conf; env PHX_LLM_FIELDS)\n"
	"  --num-ctx N          context size to ask for (default: what the server has\n"
	"                       loaded, else 4096, at most the model's trained size)\n"
	"  --num-predict N      most tokens per answer (default 256)\n"
	"  --seed N             sampling seed (default 42; temperature is always 0)\n"
	"  --timeout SECONDS    per request (default 300: a model loads slowly)\n"
	"  --retries N          retries of a request on connection errors and 503 (2)\n"
	"  --stream             ask for streamed answers (default: one object)\n"
	"  --no-cache           neither read nor write the answer cache\n"
	"  --no-fallback        no rules extractor when the server is down: exit 69\n"
	"  --check              probe the server and the model, print one line, exit\n"
	"                       0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN\n"
	"  --rejects FILE       rejects here ('-' = stderr)\n"
	"  --stats              print the run summary to stderr\n"
	"  --config FILE        config file      --max-line BYTES  longest input line\n"
	"  -q, --quiet          errors only      -v, --verbose  more detail\n"
	"  -h, --help           this help        --version      version\n"
	"\n"
	"Exit: 0 all passed, 1 some rejected, 64 usage, 69 server down and no fallback,\n"
	"74 I/O error, 78 model not found or bad config. See phx-llm(1).\n";

enum {
	OPT_URL = 1, OPT_MODEL, OPT_API, OPT_PARALLEL, OPT_FIELDS, OPT_NUM_CTX, OPT_NUM_PREDICT,
	OPT_SEED, OPT_TIMEOUT, OPT_RETRIES, OPT_STREAM, OPT_NO_CACHE, OPT_NO_FALLBACK, OPT_CHECK
};

static const struct option long_opts[] = {
	{ "url", required_argument, NULL, OPT_URL },
	{ "model", required_argument, NULL, OPT_MODEL },
	{ "api", required_argument, NULL, OPT_API },
	{ "parallel", required_argument, NULL, OPT_PARALLEL },
	{ "fields", required_argument, NULL, OPT_FIELDS },
	{ "num-ctx", required_argument, NULL, OPT_NUM_CTX },
	{ "num-predict", required_argument, NULL, OPT_NUM_PREDICT },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "retries", required_argument, NULL, OPT_RETRIES },
	{ "stream", no_argument, NULL, OPT_STREAM },
	{ "no-cache", no_argument, NULL, OPT_NO_CACHE },
	{ "no-fallback", no_argument, NULL, OPT_NO_FALLBACK },
	{ "check", no_argument, NULL, OPT_CHECK },
	PHX_COMMON_OPTIONS,
	{ NULL, 0, NULL, 0 }
};

struct options {
	const char *url, *model, *api, *parallel, *fields, *num_ctx, *num_predict, *seed;
	const char *timeout, *retries;
	int stream, no_cache, no_fallback, check;
};

#define MAX_ASK 64

/* One input line on its way through. */
struct job {
	int used, ready;
	char *line;
	size_t len;
	phx_pos pos;
	json_t *record;		/* NULL for a pass-through */
	int idx[MAX_ASK];
	size_t n;
	const char *desc;	/* borrowed from record */
	size_t desc_len;
	json_t *schema;
	char schema_sha[65];
	char key[65];
	int tries;
	phx_buf body;		/* the request body of the current try */
	phx_buf out;		/* the output line once ready (empty: rejected) */
};

static struct llm {
	phx_llm_fields *fields;
	phx_http *http;
	int api, stream, cache, fallback;
	char base[2048], chat_url[2100];
	const char *model;
	long num_ctx, num_predict, seed, want_ctx;
	int probed, down, stop;
	phx_llm_server server;
	struct job *ring;
	size_t cap, head, count;
	struct curl_slist *headers;
	/* counts for the run summary */
	unsigned long long asked, answered, passed, cached, rules, filled, unsupported, failed;
	unsigned long long dropped, retried;
	long long tokens_in, tokens_out;
} L;

/* ---- output in input order ---- */

static void job_free(struct job *j)
{
	free(j->line);
	json_decref(j->record);
	json_decref(j->schema);
	phx_buf_free(&j->body);
	phx_buf_free(&j->out);
	memset(j, 0, sizeof *j);
}

static void flush_ready(void)
{
	while (L.count && L.ring[L.head].ready) {
		struct job *j = &L.ring[L.head];
		if (j->out.len && phx_out_line(j->out.data, j->out.len) == 0)
			phx_run_current()->out++;
		job_free(j);
		L.head = (L.head + 1) % L.cap;
		L.count--;
	}
}

static void job_reject(struct job *j, const char *code, const char *reason)
{
	phx_reject(&j->pos, code, reason, j->line, j->len, j->record != NULL, NULL, j->tries, NULL);
	j->ready = 1;
}

static void job_pass(struct job *j)
{
	phx_buf_add(&j->out, j->line, j->len);
	L.passed++;
	j->ready = 1;
}

/* ---- filling a record ---- */

static json_t *llm_meta(const struct job *j, const phx_llm_verdict *v, const phx_llm_reply *r,
			const char *method, int cached)
{
	json_t *asked = json_array(), *filled = json_array();
	for (size_t i = 0; i < j->n; i++)
		json_array_append_new(asked,
				      json_string(phx_llm_field_at(L.fields, (size_t)j->idx[i])->name));
	const char *k;
	json_t *val;
	json_object_foreach(v->values, k, val)
		json_array_append_new(filled, json_string(k));
	json_t *m = json_pack("{s:s, s:o, s:o, s:O, s:O, s:O}", "method", method, "asked", asked,
			      "filled", filled, "failed", v->failed, "unsupported", v->unsupported,
			      "dropped_keys", v->dropped);
	json_object_set_new(m, "schema_sha256", json_string(j->schema_sha));
	if (strcmp(method, "rules") == 0)
		return m;
	json_object_set_new(m, "model", json_string(L.model));
	json_object_set_new(m, "api", json_string(L.api == PHX_LLM_API_OPENAI ? "openai" : "ollama"));
	json_object_set_new(m, "digest", L.server.digest[0] ? json_string(L.server.digest)
			    : json_null());
	json_object_set_new(m, "template_sha256", json_string(phx_llm_template_sha()));
	json_object_set_new(m, "cached", json_boolean(cached));
	json_object_set_new(m, "tries", json_integer(j->tries));
	json_t *t = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:s}",
			      "prompt_tokens", (json_int_t)r->prompt_tokens,
			      "completion_tokens", (json_int_t)r->completion_tokens,
			      "total_duration_ns", (json_int_t)r->total_ns,
			      "load_duration_ns", (json_int_t)r->load_ns,
			      "prompt_eval_duration_ns", (json_int_t)r->prompt_ns,
			      "eval_duration_ns", (json_int_t)r->eval_ns,
			      "done_reason", r->done_reason[0] ? r->done_reason : "stop");
	json_object_update(m, t);
	json_decref(t);
	return m;
}

/* Set the taken values into null fields, add _phx.llm and a trace entry. */
static void job_fill(struct job *j, phx_llm_verdict *v, const phx_llm_reply *r,
		     const char *method, int cached)
{
	const char *k;
	json_t *val, *tmp;
	json_object_foreach_safe(v->values, tmp, k, val) {
		const phx_llm_field *fd = phx_llm_field_at(L.fields, (size_t)phx_llm_field_index(L.fields, k));
		json_t *obj = json_object_get(j->record, fd->object);
		if (!json_is_object(obj)) {
			obj = json_object();
			json_object_set_new(j->record, fd->object, obj);
		}
		json_t *cur = json_object_get(obj, fd->member);
		if (cur && !json_is_null(cur)) {	/* a stated value is never replaced */
			json_object_del(v->values, k);
			continue;
		}
		json_object_set(obj, fd->member, val);
	}
	L.filled += json_object_size(v->values);
	L.unsupported += json_array_size(v->unsupported);
	L.failed += json_object_size(v->failed);
	L.dropped += json_array_size(v->dropped);
	json_t *meta = phx_record_meta(j->record);
	json_object_set_new(meta, "llm", llm_meta(j, v, r, method, cached));
	json_t *extra = json_pack("{s:s, s:I}", "method", method,
				  "filled", (json_int_t)json_object_size(v->values));
	phx_trace_append(j->record, "phx-llm", extra);
	json_decref(extra);
	phx_json_write(&j->out, j->record);
	j->ready = 1;
}

static void job_rules(struct job *j, const char *why)
{
	phx_llm_reply r;
	phx_llm_verdict v;
	char err[200];
	phx_llm_reply_init(&r);
	phx_llm_verdict_init(&v);
	char *ans = phx_llm_rules_answer(L.fields, j->idx, j->n, j->desc, j->desc_len);
	if (phx_llm_check(ans, strlen(ans), L.fields, j->idx, j->n, j->desc, j->desc_len, &v, err,
			  sizeof err) == 0) {
		L.rules++;
		job_fill(j, &v, &r, "rules", 0);
		json_object_set_new(json_object_get(json_object_get(j->record, "_phx"), "llm"),
				    "reason", json_string(why));
		phx_buf_clear(&j->out);
		phx_json_write(&j->out, j->record);
	} else {
		job_reject(j, "llm.rules_failed", err);	/* a bug in the rules */
	}
	free(ans);
	phx_llm_verdict_free(&v);
	phx_llm_reply_free(&r);
}

static void job_unavailable(struct job *j, const char *why)
{
	if (L.fallback) {
		job_rules(j, why);
		return;
	}
	char reason[400];
	snprintf(reason, sizeof reason, "no model server: %s", why);
	job_reject(j, "llm.unavailable", reason);
	phx_run_fail(PHX_EX_UNAVAILABLE);
}

/* ---- asking ---- */

static void submit(struct job *j, const char *retry_error);

/* Judge a complete answer; 0 when the record was filled. */
static int take_answer(struct job *j, const phx_llm_reply *r, int cached, char *err, size_t n)
{
	phx_llm_verdict v;
	phx_llm_verdict_init(&v);
	int rc = phx_llm_check(r->content.data, r->content.len, L.fields, j->idx, j->n, j->desc,
			       j->desc_len, &v, err, n);
	if (rc == 0) {
		if (!cached && L.cache)
			phx_llm_cache_put(j->key, r);
		L.cached += cached;
		job_fill(j, &v, r, "llm", cached);
	}
	phx_llm_verdict_free(&v);
	return rc;
}

/* The prompt was cut by the server (silently, on the default path). */
static int truncated(const struct job *j, const phx_llm_reply *r)
{
	long long est = (long long)j->body.len / 4;
	long ctx = L.num_ctx;
	if (r->prompt_tokens <= 0)
		return 0;
	if (r->prompt_tokens * 2 < est)
		return 1;
	long cut = ctx - (ctx - 4) / 2;
	return ctx > 0 && est > ctx / 2 && r->prompt_tokens >= cut - 4 && r->prompt_tokens <= cut + 4;
}

static void count_usage(const phx_llm_reply *r)
{
	json_t *extra = json_pack("{s:s}", "model", L.model);
	if (r->prompt_tokens > 0)
		phx_usage("llm", "tokens_in", r->prompt_tokens, extra);
	if (r->completion_tokens > 0)
		phx_usage("llm", "tokens_out", r->completion_tokens, extra);
	json_decref(extra);
	L.tokens_in += r->prompt_tokens;
	L.tokens_out += r->completion_tokens;
}

static void retry_or_reject(struct job *j, const char *code, const char *why)
{
	if (j->tries < 2 && !L.stop) {
		L.retried++;
		submit(j, why);
		return;
	}
	job_reject(j, code, why);
}

static void on_answer(void *user, const phx_http_result *res)
{
	struct job *j = user;
	if (res->cancelled) {
		job_reject(j, "llm.cancelled", "stopped before the answer came");
	} else if (res->error) {
		char why[300];
		snprintf(why, sizeof why, "%s (%s) after %d tries", res->error,
			 res->error_detail ? res->error_detail : "", res->tries);
		if (!L.down && (strcmp(res->error, "fetch.connect") == 0 ||
				strcmp(res->error, "fetch.network") == 0)) {
			phx_warn("%s: %s; the rest goes to the rules extractor%s", L.base, why,
				 L.fallback ? "" : " (disabled: --no-fallback)");
			L.down = 1;
		}
		job_unavailable(j, why);
	} else {
		phx_llm_reply r;
		char err[300];
		phx_llm_reply_init(&r);
		int rc = phx_llm_reply_parse(L.api, res->status, res->body, res->body_len, &r);
		count_usage(&r);
		L.answered++;
		if (rc != 0 && strcmp(r.code, "llm.model_missing") == 0) {
			phx_err("model '%s' not found on %s: run `ollama pull %s`", L.model, L.base,
				L.model);
			L.stop = 1;
			phx_run_fail(PHX_EX_CONFIG);
			job_reject(j, r.code, r.error);
		} else if (rc != 0 && (strcmp(r.code, "llm.too_long") == 0 ||
				       strncmp(r.code, "llm.http_4", 10) == 0)) {
			job_reject(j, r.code, r.error);
		} else if (rc != 0) {
			retry_or_reject(j, r.code, r.error);
		} else if (truncated(j, &r)) {
			snprintf(err, sizeof err, "the server cut the prompt: %lld tokens counted, "
				 "about %zu sent", r.prompt_tokens, j->body.len / 4);
			job_reject(j, "llm.truncated", err);
		} else if (take_answer(j, &r, 0, err, sizeof err) != 0) {
			retry_or_reject(j, "llm.invalid_answer", err);
		}
		phx_llm_reply_free(&r);
	}
	flush_ready();
}

static void submit(struct job *j, const char *retry_error)
{
	phx_buf sys = PHX_BUF_INIT, usr = PHX_BUF_INIT;
	phx_llm_prompt(j->schema, L.fields, j->idx, j->n, j->desc, j->desc_len, retry_error,
		       &sys, &usr);
	phx_llm_req_opts o = { L.api, L.model, L.num_ctx, L.num_predict, L.seed, L.stream, "30m" };
	phx_buf_clear(&j->body);
	phx_llm_request_body(&j->body, &o, sys.data, usr.data, j->schema);
	phx_buf_free(&sys);
	phx_buf_free(&usr);
	/* bytes/3 over-estimates English text: refuse what cannot fit */
	if (L.num_ctx > 0 && (long)(j->body.len / 3) + L.num_predict > L.num_ctx) {
		char why[200];
		snprintf(why, sizeof why, "prompt of about %zu tokens does not fit the context of %ld",
			 j->body.len / 3, L.num_ctx);
		job_reject(j, "llm.too_long", why);
		return;
	}
	j->tries++;
	phx_http_request rq = { 0 };
	rq.url = L.chat_url;
	rq.method = "POST";
	rq.body = j->body.data;
	rq.body_len = j->body.len;
	rq.headers = L.headers;
	rq.done = on_answer;
	rq.user = j;
	phx_http_submit(L.http, &rq);
}

/* The context size to use for the whole run. */
static void choose_ctx(void)
{
	long ctx = L.server.ctx_loaded ? L.server.ctx_loaded : L.want_ctx ? L.want_ctx : 4096;
	if (L.want_ctx)
		ctx = L.want_ctx;
	if (L.server.ctx_trained && ctx > L.server.ctx_trained)
		ctx = L.server.ctx_trained;
	L.num_ctx = L.api == PHX_LLM_API_OPENAI && !L.want_ctx ? L.server.ctx_loaded : ctx;
}

/* Probe once, before the first question. 0, or -1 when the run must stop. */
static int ensure_probed(void)
{
	if (L.probed)
		return 0;
	L.probed = 1;
	int rc = phx_llm_probe(L.http, L.api, L.base, L.model, &L.server);
	if (rc == PHX_LLM_PROBE_NO_MODEL) {
		phx_err("model '%s' not found on %s: run `ollama pull %s`", L.model, L.base, L.model);
		phx_run_fail(PHX_EX_CONFIG);
		L.stop = 1;
		return -1;
	}
	if (rc != PHX_LLM_PROBE_OK) {
		phx_warn("%s: %s; using the rules extractor%s", L.base, L.server.error,
			 L.fallback ? "" : " (disabled: --no-fallback)");
		L.down = 1;
		return 0;
	}
	if (strcmp(L.server.format, "safetensors") == 0)
		phx_warn("%s is a safetensors (MLX) model: the server will not enforce the schema; "
			 "every answer is still checked here", L.model);
	if (L.server.thinking)
		phx_info("%s can think: sending think:false", L.model);
	choose_ctx();
	phx_info("%s on %s: context %ld, digest %.12s", L.model, L.base, L.num_ctx,
		 L.server.digest);
	return 0;
}

/* ---- reading ---- */

/* The askable fields of rec that are null, into j->idx; the description. */
static void find_askable(struct job *j)
{
	json_t *listing = json_object_get(j->record, "listing");
	json_t *d = json_object_get(listing, "description");
	if (!json_is_string(d) || json_string_length(d) == 0)
		return;
	int all[MAX_ASK];
	size_t n = phx_llm_fields_for(L.fields, json_string_value(json_object_get(j->record, "source")),
				      all, MAX_ASK);
	for (size_t i = 0; i < n; i++) {
		const phx_llm_field *fd = phx_llm_field_at(L.fields, (size_t)all[i]);
		json_t *obj = json_object_get(j->record, fd->object);
		if (obj && !json_is_object(obj) && !json_is_null(obj))
			continue;
		json_t *cur = json_object_get(obj, fd->member);
		if (!cur || json_is_null(cur))
			j->idx[j->n++] = all[i];
	}
	j->desc = json_string_value(d);
	j->desc_len = json_string_length(d);
}

static void ask(struct job *j)
{
	j->schema = phx_llm_schema(L.fields, j->idx, j->n);
	phx_buf s = PHX_BUF_INIT;
	phx_json_write(&s, j->schema);
	phx_sha256_hex(s.data, s.len, j->schema_sha);
	phx_buf_free(&s);
	phx_llm_cache_key(j->key, L.api, L.model, NULL, phx_llm_template_sha(), j->schema_sha,
			  j->desc, j->desc_len);
	L.asked++;
	if (L.cache) {
		phx_llm_reply r;
		char err[300];
		phx_llm_reply_init(&r);
		int hit = phx_llm_cache_get(j->key, &r) && take_answer(j, &r, 1, err, sizeof err) == 0;
		phx_llm_reply_free(&r);
		if (hit)
			return;
	}
	if (!L.down && ensure_probed() != 0) {
		job_reject(j, "llm.model_missing", L.server.error);
		return;
	}
	if (L.down) {
		job_unavailable(j, L.server.error[0] ? L.server.error : "server down");
		return;
	}
	submit(j, NULL);
}

static void take_line(const phx_line *ln)
{
	struct job *j = &L.ring[(L.head + L.count) % L.cap];
	L.count++;
	j->used = 1;
	j->line = phx_xstrndup(ln->data, ln->len);
	j->len = ln->len;
	j->pos = ln->pos;
	phx_run_current()->in++;
	if (ln->status != PHX_LINE_OK) {
		char reason[128];
		snprintf(reason, sizeof reason, "bad line at byte %zu", ln->bad_at);
		phx_reject_line(ln, phx_line_status_code(ln->status), reason);
		j->ready = 1;
		return;
	}
	const char *code;
	char reason[256];
	j->record = phx_parse_object(ln->data, ln->len, &code, reason, sizeof reason);
	if (!j->record) {
		phx_reject_line(ln, code, reason);
		j->ready = 1;
		return;
	}
	if (!phx_record_meta(j->record)) {
		job_reject(j, "record.bad_phx", "_phx is not an object");
		return;
	}
	find_askable(j);
	if (j->n == 0)
		job_pass(j);
	else
		ask(j);
}

static int input_ready(int from_stdin)
{
	if (!from_stdin || phx_http_pending(L.http) == 0)
		return 1;
	struct pollfd p = { 0, POLLIN, 0 };
	return poll(&p, 1, 0) > 0;
}

static void run_loop(phx_reader *rd, int from_stdin)
{
	int input_done = 0;
	for (;;) {
		while (!input_done && !L.stop && !phx_stop_requested() && !phx_out_closed() &&
		       L.count < L.cap && input_ready(from_stdin)) {
			phx_line ln;
			if (phx_reader_next(rd, &ln) != 1) {
				input_done = 1;
				break;
			}
			take_line(&ln);
			flush_ready();
		}
		if (phx_out_closed() || phx_stop_requested())
			phx_http_halt(L.http, phx_out_closed());
		size_t left = phx_http_perform(L.http, 250);
		flush_ready();
		if (left == 0 && L.count == 0 && (input_done || L.stop || phx_stop_requested() ||
						  phx_out_closed()))
			break;
	}
}

/* ---- setup ---- */

static int parse_long(const char *what, const char *v, long min, long max, long *out)
{
	long long x;
	if (phx_parse_int(what, v, min, max, &x) != 0)
		return -1;
	*out = (long)x;
	return 0;
}

static int setup_fields(const struct options *o)
{
	static const char *const env[] = { "PHX_LLM_FIELDS", NULL };
	const char *path = phx_setting(o->fields, env, "llm.fields", NULL);
	char *err = NULL;
	if (path) {
		char *text = phx_read_file(path, NULL);
		if (!text) {
			phx_err("%s: cannot read the fields file", path);
			return PHX_EX_CONFIG;
		}
		L.fields = phx_llm_fields_parse(text, path, &err);
		free(text);
	} else {
		L.fields = phx_llm_fields_parse(phx_default_llm_fields, "built-in llm-fields.conf",
						&err);
	}
	if (!L.fields) {
		phx_err("%s", err ? err : "fields refused");
		free(err);
		return PHX_EX_CONFIG;
	}
	return 0;
}

static int setup(const struct options *o)
{
	static const char *const url_env[] = { "OLLAMA_URL", "OLLAMA_BASE_URL", NULL };
	static const char *const model_env[] = { "LLM_MODEL", NULL };
	static const char *const api_env[] = { "PHX_LLM_API", NULL };
	static const char *const par_env[] = { "PHX_LLM_PARALLEL", "OLLAMA_NUM_PARALLEL", NULL };
	const char *url = phx_setting(o->url, url_env, "llm.url", "http://localhost:11434");
	const char *api = phx_setting(o->api, api_env, "llm.api", "ollama");
	const char *par = phx_setting(o->parallel, par_env, "llm.parallel", "1");
	L.model = phx_setting(o->model, model_env, "llm.model", "llama3.2:latest");
	long parallel, timeout_s = 300, retries = 2;
	L.num_predict = 256;
	L.seed = 42;
	if (strcmp(api, "ollama") == 0)
		L.api = PHX_LLM_API_OLLAMA;
	else if (strcmp(api, "openai") == 0)
		L.api = PHX_LLM_API_OPENAI;
	else {
		phx_err("--api %s: ollama or openai", api);
		return PHX_EX_USAGE;
	}
	if (parse_long("--parallel", par, 1, 256, &parallel) ||
	    (o->num_ctx && parse_long("--num-ctx", o->num_ctx, 256, 10000000, &L.want_ctx)) ||
	    (o->num_predict && parse_long("--num-predict", o->num_predict, 16, 100000,
					  &L.num_predict)) ||
	    (o->seed && parse_long("--seed", o->seed, 0, 2147483647, &L.seed)) ||
	    (o->timeout && parse_long("--timeout", o->timeout, 1, 86400, &timeout_s)) ||
	    (o->retries && parse_long("--retries", o->retries, 0, 20, &retries)))
		return PHX_EX_USAGE;
	size_t ul = strlen(url);
	while (ul && url[ul - 1] == '/')
		ul--;
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
		phx_err("%s: the server URL must start with http:// or https://", url);
		return PHX_EX_USAGE;
	}
	snprintf(L.base, sizeof L.base, "%.*s", (int)ul, url);
	snprintf(L.chat_url, sizeof L.chat_url, "%s%s", L.base, phx_llm_chat_path(L.api));
	L.stream = o->stream;
	L.cache = !o->no_cache;
	L.fallback = !o->no_fallback;
	int rc = setup_fields(o);
	if (rc)
		return rc;
	if (phx_llm_rules_init() != 0) {
		phx_err("rules extractor: a pattern does not compile (a bug)");
		return PHX_EX_SOFTWARE;
	}
	phx_http_opts ho = { 0 };
	ho.concurrency = (int)parallel;
	ho.connect_timeout_ms = 5000;
	ho.timeout_ms = timeout_s * 1000;
	ho.retries = (int)retries;
	ho.backoff_base_ms = 200;
	ho.backoff_max_ms = 5000;
	ho.usage_service = "llm";
	phx_http_opts_default(&ho);
	L.http = phx_http_new(&ho);
	if (!L.http)
		return PHX_EX_SOFTWARE;
	L.headers = curl_slist_append(NULL, "Content-Type: application/json");
	L.cap = (size_t)parallel * 4 + 16;
	L.ring = phx_xcalloc(L.cap, sizeof *L.ring);
	return 0;
}

static void summarize(phx_run *run)
{
	phx_http_stats st;
	phx_http_stats_get(L.http, &st);
	json_t *m = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
			      "requests", (json_int_t)st.requests, "retries", (json_int_t)L.retried,
			      "passed_through", (json_int_t)L.passed, "asked", (json_int_t)L.asked,
			      "answered", (json_int_t)L.answered, "cached", (json_int_t)L.cached,
			      "rules", (json_int_t)L.rules, "fields_filled", (json_int_t)L.filled,
			      "fields_failed", (json_int_t)L.failed,
			      "claims_unsupported", (json_int_t)L.unsupported,
			      "keys_dropped", (json_int_t)L.dropped,
			      "tokens_in", (json_int_t)L.tokens_in,
			      "tokens_out", (json_int_t)L.tokens_out);
	json_object_update(run->metrics, m);
	json_decref(m);
	json_object_set_new(run->metrics, "model", json_string(L.model));
	if (L.rules)
		phx_warn("%llu records went through the rules extractor (server unavailable)",
			 L.rules);
}

/* --check: one line, Monitoring Plugins status. */
static int check_server(void)
{
	phx_llm_server s;
	int rc = phx_llm_probe(L.http, L.api, L.base, L.model, &s);
	int state;
	phx_buf line = PHX_BUF_INIT;
	if (rc == PHX_LLM_PROBE_OK && strcmp(s.format, "safetensors") == 0) {
		state = PHX_MP_WARNING;
		phx_buf_printf(&line, "LLM WARNING - %s on %s is safetensors: format not enforced",
			       L.model, L.base);
	} else if (rc == PHX_LLM_PROBE_OK) {
		state = PHX_MP_OK;
		phx_buf_printf(&line, "LLM OK - %s available on %s", L.model, L.base);
		if (s.version[0])
			phx_buf_printf(&line, " (Ollama %s)", s.version);
	} else if (rc == PHX_LLM_PROBE_NO_MODEL) {
		state = PHX_MP_CRITICAL;
		phx_buf_printf(&line, "LLM CRITICAL - model '%s' not found on %s: run `ollama pull %s`",
			       L.model, L.base, L.model);
	} else if (rc == PHX_LLM_PROBE_DOWN) {
		state = PHX_MP_CRITICAL;
		phx_buf_printf(&line, "LLM CRITICAL - %s", s.error);
	} else {
		state = PHX_MP_UNKNOWN;
		phx_buf_printf(&line, "LLM UNKNOWN - %s", s.error);
	}
	long ctx = s.ctx_loaded ? s.ctx_loaded : s.ctx_trained;
	phx_buf_printf(&line, " | 'context'=%ld;;;0;", rc == PHX_LLM_PROBE_OK ? ctx : 0);
	char *shown = phx_redact_dup(line.data);
	printf("%s\n", shown);
	fflush(stdout);
	free(shown);
	phx_buf_free(&line);
	return state;
}

static void release(void)
{
	phx_http_free(L.http);
	for (size_t i = 0; L.ring && i < L.cap; i++)
		job_free(&L.ring[i]);
	free(L.ring);
	curl_slist_free_all(L.headers);
	phx_llm_fields_free(L.fields);
	phx_llm_rules_free();
}

int main(int argc, char **argv)
{
	phx_cli cli;
	struct options o = { 0 };
	int c;
	phx_cli_begin(&cli, "phx-llm", help_text, usage_line);
	while ((c = getopt_long(argc, argv, PHX_COMMON_SHORT, long_opts, NULL)) != -1) {
		if (phx_cli_common(&cli, c, optarg))
			continue;
		switch (c) {
		case OPT_URL: o.url = optarg; break;
		case OPT_MODEL: o.model = optarg; break;
		case OPT_API: o.api = optarg; break;
		case OPT_PARALLEL: o.parallel = optarg; break;
		case OPT_FIELDS: o.fields = optarg; break;
		case OPT_NUM_CTX: o.num_ctx = optarg; break;
		case OPT_NUM_PREDICT: o.num_predict = optarg; break;
		case OPT_SEED: o.seed = optarg; break;
		case OPT_TIMEOUT: o.timeout = optarg; break;
		case OPT_RETRIES: o.retries = optarg; break;
		case OPT_STREAM: o.stream = 1; break;
		case OPT_NO_CACHE: o.no_cache = 1; break;
		case OPT_NO_FALLBACK: o.no_fallback = 1; break;
		case OPT_CHECK: o.check = 1; break;
		default: phx_usage_error(&cli, NULL);
		}
	}
	int rc = phx_cli_finish(&cli);
	if (rc == 0)
		rc = setup(&o);
	if (rc == PHX_EX_USAGE)
		phx_usage_error(&cli, NULL);
	if (rc != 0) {
		release();
		return rc;
	}
	if (o.check) {
		if (optind < argc)
			phx_usage_error(&cli, "--check takes no file operands");
		rc = check_server();
		release();
		phx_run_answer(rc);	/* the state is the answer, not the run's fate */
		(void)phx_run_end();
		return rc;
	}
	phx_out_init(PHX_FLUSH_EACH);
	phx_reader *r = phx_reader_open(argv + optind, argc - optind, cli.max_line);
	run_loop(r, argc - optind == 0);
	if (phx_reader_io_errors(r))
		phx_run_fail(PHX_EX_DATAERR);
	phx_reader_close(r);
	summarize(phx_run_current());
	release();
	return phx_run_end();
}
