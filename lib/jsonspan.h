/* jsonspan.h - find byte spans in JSON text without building a tree.
 *
 * Used to pass a record through unchanged apart from one member: the text is
 * known to be a valid JSON object (the parser has seen it), so the scanner
 * only tracks strings and nesting. */
#ifndef PHX_JSONSPAN_H
#define PHX_JSONSPAN_H
#include <stddef.h>

/* Find top-level member key of the object in s[0..n). On success returns 0
 * and the value's span [*vstart, *vend). Returns -1 when absent. Keys
 * written with escapes ("\u005fphx") are matched by their decoded value. */
int phx_json_member_span(const char *s, size_t n, const char *key,
			 size_t *vstart, size_t *vend);
/* Offset of the object's closing '}' (trailing white space skipped), and
 * whether the object has any member. Returns -1 when s is not an object. */
int phx_json_object_close(const char *s, size_t n, size_t *close, int *has_members);

#endif
