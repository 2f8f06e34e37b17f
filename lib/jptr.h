/* jptr.h - JSON Pointers (RFC 6901), compiled once and resolved many times. */
#ifndef PHX_JPTR_H
#define PHX_JPTR_H
#include <stddef.h>
#include <jansson.h>
#include "buf.h"

typedef struct phx_jptr {
	char *text;		/* the pointer as written, "/features/year_built" */
	size_t ntok;
	char **tok;		/* unescaped reference tokens */
	size_t *toklen;
	long *index;		/* token as an array index, or -1 when it is not one */
} phx_jptr;

/* Compile s ("" = the whole document, else it starts with "/"). 0 on success,
 * -1 when s is not a pointer (bad "~" escape or no leading "/"). */
int phx_jptr_compile(phx_jptr *p, const char *s);
void phx_jptr_free(phx_jptr *p);
/* The value p points at in doc, or NULL when there is none. */
json_t *phx_jptr_get(const phx_jptr *p, const json_t *doc);
/* Append "/" and token escaped (~ => ~0, / => ~1) to out. */
void phx_jptr_add_token(phx_buf *out, const char *tok, size_t len);

#endif
