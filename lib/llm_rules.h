/* llm_rules.h - the fallback extractor: fixed patterns over the description
 * for the fields a listing usually states in a set phrase ("3 bed", "2.5
 * baths", "2-car garage", "built in 1987", "sparkling pool"). phx-llm uses
 * it when the model server is down, and marks its records "method":"rules".
 * It finds less than a model, and never invents: no match, no value. */
#ifndef PHX_LLM_RULES_H
#define PHX_LLM_RULES_H
#include <stddef.h>
#include <jansson.h>
#include "llm_fields.h"

/* Compile the patterns once; 0, or -1 (a bug: the patterns are fixed). */
int phx_llm_rules_init(void);
void phx_llm_rules_free(void);
/* The answer for the fields idx[0..n) found in desc, as the JSON text a
 * model would give ({"bedrooms":3,"pool":null,...}); malloc'd. Fields the
 * rules do not know are null. */
char *phx_llm_rules_answer(const phx_llm_fields *f, const int *idx, size_t n,
			   const char *desc, size_t len);

#endif
