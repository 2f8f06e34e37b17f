/* llm_request.h - the body of one chat request, for Ollama's /api/chat or an
 * OpenAI-compatible /v1/chat/completions (Ollama's /v1, llama-server, vLLM,
 * LM Studio). The runner options are the same for every request of a run,
 * so the server never reloads the model between records. */
#ifndef PHX_LLM_REQUEST_H
#define PHX_LLM_REQUEST_H
#include <jansson.h>
#include "buf.h"

enum { PHX_LLM_API_OLLAMA = 0, PHX_LLM_API_OPENAI = 1 };

typedef struct phx_llm_req_opts {
	int api;
	const char *model;
	long num_ctx;		/* 0 = not sent */
	long num_predict;	/* max generated tokens */
	long seed;
	int stream;
	const char *keep_alive;	/* NULL = not sent */
} phx_llm_req_opts;

/* The endpoint path of the API ("/api/chat" or "/v1/chat/completions"). */
const char *phx_llm_chat_path(int api);
/* Append the JSON request body to out. */
void phx_llm_request_body(phx_buf *out, const phx_llm_req_opts *o, const char *system,
			  const char *user, const json_t *schema);

#endif
