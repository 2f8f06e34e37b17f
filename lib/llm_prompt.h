/* llm_prompt.h - the JSON schema of the fields asked and the prompt around
 * one listing description.
 *
 * The description is the only record text the model sees. It goes into the
 * user message between markers carrying a hash of the text itself (so the
 * text cannot contain its own end marker), and the system message says that
 * block is data, never instructions. The schema goes both into the prompt
 * (the model never sees a grammar) and into format / response_format. */
#ifndef PHX_LLM_PROMPT_H
#define PHX_LLM_PROMPT_H
#include <jansson.h>
#include "buf.h"
#include "llm_fields.h"

/* {"type":"object","properties":{...},"required":[...],"additionalProperties":false}
 * of the fields idx[0..n); every property also allows null. New reference. */
json_t *phx_llm_schema(const phx_llm_fields *f, const int *idx, size_t n);
/* Lower-case hex SHA-256 of the prompt template (constant per build). */
const char *phx_llm_template_sha(void);
/* Build the system and user messages. retry_error: NULL, or why the
 * previous answer was refused (told to the model on the one retry). */
void phx_llm_prompt(const json_t *schema, const phx_llm_fields *f, const int *idx, size_t n,
		    const char *desc, size_t desc_len, const char *retry_error,
		    phx_buf *system, phx_buf *user);

#endif
