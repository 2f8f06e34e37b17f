/* llm_reply.h - reading a chat answer: Ollama's one object or NDJSON stream,
 * OpenAI's chat.completion object or SSE stream, and every error shape
 * ({"error":"text"}, {"error":{"message","code"}}, an error line at 200). */
#ifndef PHX_LLM_REPLY_H
#define PHX_LLM_REPLY_H
#include <stddef.h>
#include "buf.h"

typedef struct phx_llm_reply {
	phx_buf content;		/* the answer text (JSON in a string) */
	int done;			/* done:true / finish_reason / [DONE] seen */
	char done_reason[24];		/* "stop", "length", ... ("" when absent) */
	long long prompt_tokens, completion_tokens;
	long long total_ns, load_ns, prompt_ns, eval_ns;
	char code[32];			/* reject code when it failed */
	char error[400];		/* the server's words, or ours */
} phx_llm_reply;

void phx_llm_reply_init(phx_llm_reply *r);
void phx_llm_reply_free(phx_llm_reply *r);
/* Parse one response. 0 when it is a complete answer (done, reason stop or
 * absent, content not empty); -1 with r->code and r->error set otherwise:
 *   llm.http_NNN      non-2xx status (llm.model_missing for 404,
 *                     llm.too_long for a prompt over the context)
 *   llm.error         an "error" member, even at 200
 *   llm.not_done      no done:true / finish_reason / [DONE]
 *   llm.length        done_reason or finish_reason "length"
 *   llm.done_reason   another reason
 *   llm.refusal       OpenAI content:null with a refusal
 *   llm.empty         no content
 *   llm.bad_reply     not the JSON the API promises */
int phx_llm_reply_parse(int api, long status, const char *body, size_t len, phx_llm_reply *r);

#endif
