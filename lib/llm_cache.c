/* llm_cache.c - the content-hash answer cache of phx-llm (llm_cache.h). */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <jansson.h>
#include "jsonwrite.h"
#include "llm_cache.h"
#include "log.h"
#include "sha256.h"
#include "state.h"

void phx_llm_cache_key(char out[65], int api, const char *model, const char *digest,
		       const char *template_sha, const char *schema_sha,
		       const char *desc, size_t desc_len)
{
	phx_sha256 c;
	unsigned char d[32];
	char a = (char)('0' + api);
	phx_sha256_init(&c);
	phx_sha256_update(&c, &a, 1);
	const char *parts[] = { model, digest ? digest : "", template_sha, schema_sha };
	for (size_t i = 0; i < 4; i++)
		phx_sha256_update(&c, parts[i], strlen(parts[i]) + 1);
	phx_sha256_update(&c, desc, desc_len);
	phx_sha256_final(&c, d);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static int entry_path(char *out, size_t n, const char *key)
{
	char rel[128];
	snprintf(rel, sizeof rel, "llm-cache/%.2s/%s.json", key, key);
	return phx_state_path(out, n, rel);
}

static long long num(const json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_integer(v) ? (long long)json_integer_value(v) : 0;
}

int phx_llm_cache_get(const char *key, phx_llm_reply *r)
{
	char path[4096];
	if (entry_path(path, sizeof path, key) != 0)
		return 0;
	size_t len;
	char *text = phx_read_file(path, &len);
	if (!text)
		return 0;
	json_t *o = json_loadb(text, len, 0, NULL);
	free(text);
	const char *content = json_string_value(json_object_get(o, "content"));
	if (!content) {
		json_decref(o);
		return 0;
	}
	phx_buf_clear(&r->content);
	phx_buf_adds(&r->content, content);
	r->done = 1;
	const char *dr = json_string_value(json_object_get(o, "done_reason"));
	snprintf(r->done_reason, sizeof r->done_reason, "%s", dr ? dr : "");
	r->prompt_tokens = num(o, "prompt_tokens");
	r->completion_tokens = num(o, "completion_tokens");
	r->total_ns = num(o, "total_ns");
	r->load_ns = num(o, "load_ns");
	r->prompt_ns = num(o, "prompt_ns");
	r->eval_ns = num(o, "eval_ns");
	json_decref(o);
	return 1;
}

int phx_llm_cache_put(const char *key, const phx_llm_reply *r)
{
	static int warned;
	char path[4096];
	if (entry_path(path, sizeof path, key) != 0)
		return -1;
	json_t *o = json_pack("{s:s%, s:s, s:I, s:I, s:I, s:I, s:I, s:I}",
			      "content", r->content.data ? r->content.data : "", r->content.len,
			      "done_reason", r->done_reason,
			      "prompt_tokens", (json_int_t)r->prompt_tokens,
			      "completion_tokens", (json_int_t)r->completion_tokens,
			      "total_ns", (json_int_t)r->total_ns, "load_ns", (json_int_t)r->load_ns,
			      "prompt_ns", (json_int_t)r->prompt_ns, "eval_ns", (json_int_t)r->eval_ns);
	if (!o)
		return -1;	/* content not UTF-8: not worth keeping */
	phx_buf b = PHX_BUF_INIT;
	phx_json_write(&b, o);
	json_decref(o);
	int rc = phx_write_atomic(path, b.data, b.len, 0600);
	phx_buf_free(&b);
	if (rc != 0 && !warned++)
		phx_warn("%s: cannot write the answer cache", path);
	return rc;
}
