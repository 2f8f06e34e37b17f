/* llm_request.c - chat request bodies for both APIs (see llm_request.h).
 *
 * Ollama: stream as asked, think:false (one pass, the grammar from the first
 * token; accepted by every model), truncate:false (an over-long prompt is an
 * error, not a silent cut), temperature 0 and a fixed seed, and the schema
 * as a JSON object in "format" (a schema sent as a string is a 500).
 * OpenAI: max_tokens (Ollama ignores max_completion_tokens), an explicit
 * temperature (Ollama's /v1 would use 1.0), and the json_schema wrapper with
 * a name: the one form every server reads. */
#include "jsonwrite.h"
#include "llm_request.h"

const char *phx_llm_chat_path(int api)
{
	return api == PHX_LLM_API_OPENAI ? "/v1/chat/completions" : "/api/chat";
}

void phx_llm_request_body(phx_buf *out, const phx_llm_req_opts *o, const char *system,
			  const char *user, const json_t *schema)
{
	json_t *msgs = json_pack("[{s:s, s:s}, {s:s, s:s}]", "role", "system", "content", system,
				 "role", "user", "content", user);
	json_t *b;
	if (o->api == PHX_LLM_API_OPENAI) {
		b = json_pack("{s:s, s:o, s:i, s:I, s:I, s:b, s:{s:s, s:{s:s, s:b, s:O}}}",
			      "model", o->model, "messages", msgs, "temperature", 0,
			      "seed", (json_int_t)o->seed, "max_tokens", (json_int_t)o->num_predict,
			      "stream", o->stream, "response_format", "type", "json_schema",
			      "json_schema", "name", "listing_facts", "strict", 1, "schema", schema);
		if (o->stream)
			json_object_set_new(b, "stream_options", json_pack("{s:b}", "include_usage", 1));
	} else {
		json_t *opts = json_pack("{s:i, s:I, s:I}", "temperature", 0,
					 "seed", (json_int_t)o->seed,
					 "num_predict", (json_int_t)o->num_predict);
		if (o->num_ctx > 0)
			json_object_set_new(opts, "num_ctx", json_integer(o->num_ctx));
		b = json_pack("{s:s, s:o, s:b, s:b, s:b, s:O, s:o}", "model", o->model,
			      "messages", msgs, "stream", o->stream, "think", 0, "truncate", 0,
			      "format", schema, "options", opts);
		if (o->keep_alive)
			json_object_set_new(b, "keep_alive", json_string(o->keep_alive));
	}
	phx_json_write(out, b);
	json_decref(b);
}
