/* llm_fields.h - which record fields phx-llm may ask a model for, their
 * types, ranges and evidence words, and which of them each source gets
 * (etc/llm-fields.conf; the format is described there and in phx-llm(1)). */
#ifndef PHX_LLM_FIELDS_H
#define PHX_LLM_FIELDS_H
#include <stddef.h>

typedef enum { PHX_LLM_INTEGER, PHX_LLM_NUMBER, PHX_LLM_BOOLEAN } phx_llm_type;

typedef struct phx_llm_field {
	char *name;		/* schema key: "bedrooms" */
	char *object;		/* record member holding it: "features" */
	char *member;		/* "bedrooms" */
	phx_llm_type type;
	int has_min, has_max;
	double min, max;
	char **evidence;	/* words; a boolean true needs one in the text */
	size_t nevidence;
	char *desc;		/* meaning, shown to the model */
} phx_llm_field;

typedef struct phx_llm_fields phx_llm_fields;

/* Parse the config text; name is used in error messages. NULL with *err
 * (malloc'd, "name:line: reason") on a bad line. */
phx_llm_fields *phx_llm_fields_parse(const char *text, const char *name, char **err);
void phx_llm_fields_free(phx_llm_fields *f);
size_t phx_llm_fields_count(const phx_llm_fields *f);
const phx_llm_field *phx_llm_field_at(const phx_llm_fields *f, size_t i);
/* Index of the field named name, or -1. */
int phx_llm_field_index(const phx_llm_fields *f, const char *name);
/* The field indices askable for source (its own "ask" line, else "*"),
 * into idx[max]; returns how many. */
size_t phx_llm_fields_for(const phx_llm_fields *f, const char *source, int *idx, size_t max);
const char *phx_llm_type_name(phx_llm_type t);

#endif
