/* jsonparse.h - JSON text to jansson values, in one pass over the text.
 *
 * jansson's json_loadb reads a character at a time through a stream layer
 * and copies every token twice; on phx-store's path that was a third of
 * the CPU. phx_json_parse builds the same values and refuses the same
 * texts as json_loadb with JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL |
 * JSON_DECODE_ANY (fuzz/fuzz_jsonparse.c holds the two against each other):
 *  - any value at the top, surrounded by optional JSON whitespace only;
 *  - strings: valid UTF-8, no raw control characters, escaped surrogates
 *    only in pairs; \u0000 allowed in values, refused in object keys;
 *  - numbers: strict JSON grammar; without '.', 'e' or 'E' an integer,
 *    refused out of the 64-bit range; otherwise a real, refused when it
 *    overflows to infinity (underflow to 0 is allowed);
 *  - a key twice in one object is refused;
 *  - nesting: at most 2048 values deep, counted as jansson counts them
 *    (a scalar inside 2048 arrays is too deep). */
#ifndef PHX_JSONPARSE_H
#define PHX_JSONPARSE_H
#include <stddef.h>
#include <jansson.h>

typedef enum {
	PHX_JSON_OK = 0,
	PHX_JSON_SYNTAX,	/* not JSON */
	PHX_JSON_BAD_UTF8,	/* a byte that is not UTF-8 */
	PHX_JSON_DUPLICATE,	/* a key twice in one object */
	PHX_JSON_TOO_DEEP,
	PHX_JSON_RANGE,		/* integer out of range, real overflow */
	PHX_JSON_NUL_KEY,	/* \u0000 in an object key */
	PHX_JSON_NOMEM
} phx_json_status;

#define PHX_JSON_MAX_DEPTH 2048

typedef struct phx_json_error {
	phx_json_status status;
	size_t offset;		/* byte offset in the text where it went wrong */
	char text[96];		/* what went wrong, with the text near it */
} phx_json_error;

/* The value of text[0..n), a new reference; NULL with *err filled (err may
 * be NULL). text needs no NUL terminator. */
json_t *phx_json_parse(const char *text, size_t n, phx_json_error *err);

/* Where a top-level member of an object stands in the text: its key's
 * opening quote, and its value [start, end). found 0: no such member. */
typedef struct phx_json_span {
	size_t member, start, end;
	int found;
} phx_json_span;

#define PHX_JSON_WANT_MAX 32

/* phx_json_parse, and when the text is an object, spans[i] for its
 * top-level member keys[i] (nkeys <= PHX_JSON_WANT_MAX; keys compared
 * after unescaping). Lets a caller copy members out of the text as they
 * were written instead of writing the parsed values again. *odd_keys
 * (when not NULL) is set to 1 when some key at any depth begins with '$'
 * or holds a '.', or a string holds \u0000: what a store must look at
 * closer (MongoDB reads such keys as operators and paths), else 0. */
json_t *phx_json_parse_spans(const char *text, size_t n, phx_json_error *err,
			     const char *const *keys, size_t nkeys, phx_json_span *spans,
			     int *odd_keys);

#endif
