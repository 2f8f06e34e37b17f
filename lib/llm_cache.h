/* llm_cache.h - answers already paid for, keyed by a hash of everything that
 * decides them (API, model, digest, prompt template, schema, description),
 * in $PHX_STATE_DIR/llm-cache/XX/HASH.json, so a re-run asks nothing twice.
 * Only answers that passed the checks are stored. */
#ifndef PHX_LLM_CACHE_H
#define PHX_LLM_CACHE_H
#include <stddef.h>
#include "llm_reply.h"

/* The key (lower-case hex) of one request. */
void phx_llm_cache_key(char out[65], int api, const char *model, const char *digest,
		       const char *template_sha, const char *schema_sha,
		       const char *desc, size_t desc_len);
/* 1 and *r filled (content, tokens, durations, done_reason) on a hit; 0 on
 * a miss or an unreadable entry. */
int phx_llm_cache_get(const char *key, phx_llm_reply *r);
/* Store; 0, or -1 (logged once; a cache that cannot be written only costs
 * requests later). */
int phx_llm_cache_put(const char *key, const phx_llm_reply *r);

#endif
