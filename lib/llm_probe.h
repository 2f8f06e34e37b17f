/* llm_probe.h - what phx-llm learns about the server before its first
 * question: is it up, does the model exist, its digest, the context it has
 * (loaded: /api/ps; else trained: /api/show), whether format will be
 * enforced (not on safetensors/MLX models), whether it thinks. */
#ifndef PHX_LLM_PROBE_H
#define PHX_LLM_PROBE_H
#include "http.h"

enum {
	PHX_LLM_PROBE_OK = 0,
	PHX_LLM_PROBE_DOWN,	/* no answer, or not an LLM server */
	PHX_LLM_PROBE_NO_MODEL,	/* 404 for the model */
	PHX_LLM_PROBE_BAD	/* answers we cannot read */
};

typedef struct phx_llm_server {
	char version[40];	/* "0.33.0-rc2"; "" for OpenAI servers */
	char digest[72];	/* the model's digest ("" unknown) */
	char format[24];	/* "gguf", "safetensors", "" */
	int thinking;		/* the model can think */
	long ctx_loaded;	/* /api/ps context_length, 0 unknown */
	long ctx_trained;	/* <arch>.context_length, 0 unknown */
	char error[300];	/* why, when not OK */
} phx_llm_server;

/* One request, waited for: the body is malloc'd into *body (NULL when no
 * response); returns the status, or 0 with *err set to the engine's code. */
long phx_llm_fetch(phx_http *h, const char *url, const char *post, char **body,
		   const char **err);
/* Probe base (no trailing '/') for model through api. */
int phx_llm_probe(phx_http *h, int api, const char *base, const char *model,
		  phx_llm_server *out);

#endif
