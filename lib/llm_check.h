/* llm_check.h - what phx-llm takes from a model's answer, whatever it says.
 *
 * The answer text is parsed as JSON (white space and a ```json fence
 * tolerated) and must be one object. Then, key by key: only the keys asked
 * are taken (others dropped and counted); a value of the wrong type or out
 * of range fails that field alone; a boolean true needs one of its evidence
 * words in the description, and a number must itself appear in it, else
 * the value is dropped as unsupported. null means "not stated". */
#ifndef PHX_LLM_CHECK_H
#define PHX_LLM_CHECK_H
#include <stddef.h>
#include <jansson.h>
#include "llm_fields.h"

typedef struct phx_llm_verdict {
	json_t *values;		/* {name: value} taken */
	json_t *failed;		/* {name: reason} wrong type or range */
	json_t *unsupported;	/* [name] claims without evidence */
	json_t *dropped;	/* [key] keys not asked */
} phx_llm_verdict;

void phx_llm_verdict_init(phx_llm_verdict *v);
void phx_llm_verdict_free(phx_llm_verdict *v);
/* 0 when the answer is an object (its fields judged into *v); -1 with a
 * reason in err[n] when the answer as a whole is unusable. */
int phx_llm_check(const char *answer, size_t len, const phx_llm_fields *f, const int *idx,
		  size_t n, const char *desc, size_t desc_len, phx_llm_verdict *v,
		  char *err, size_t errn);
/* Whether the text states a word (case-insensitive, whole word, not right
 * after "no "), or states the number x. Exposed for tests. */
int phx_llm_text_has_word(const char *text, size_t len, const char *word);
int phx_llm_text_has_number(const char *text, size_t len, double x);

#endif
