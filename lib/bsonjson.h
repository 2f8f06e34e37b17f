/* bsonjson.h - jansson values to BSON and back, for the MongoDB store.
 *
 * JSON to BSON keeps key order, writes every JSON integer as int64 (so a
 * value never silently changes width on the way in), reals as double, and
 * refuses keys a server could read as an operator or a path: a key that
 * begins with '$', holds '.', or holds a NUL byte never reaches BSON.
 *
 * BSON to JSON maps int32/int64 to integers, double to reals, and any type
 * JSON has no word for (dates, ObjectIds, binary, ...) to its relaxed
 * MongoDB Extended JSON object, so nothing is dropped or invented. */
#ifndef PHX_BSONJSON_H
#define PHX_BSONJSON_H
#include <stddef.h>
#include <bson/bson.h>
#include <jansson.h>

/* Nesting deeper than this is refused (MongoDB itself stops at 100). */
#define PHX_BSONJSON_MAX_DEPTH 180

/* Append the members of obj to b. skip (may be NULL) is a NULL-terminated
 * list of top-level keys to leave out. Returns 0, or -1 with a reason in
 * why[n] (naming the bad key); b is then half-written: discard it. */
int phx_json_to_bson(const json_t *obj, const char *const *skip, bson_t *b,
		     char *why, size_t n);

/* The same from JSON text[0..n) holding an object: its members appended to
 * b exactly as phx_json_to_bson would append those of the parsed text,
 * without building the tree. Returns 0, or -1 when the text is anything
 * this direct path does not take: not JSON, an unsafe or repeated key,
 * nesting past the limit, a number out of range, more than 64 keys in one
 * object. Then b is as it was, and the caller parses the text and calls
 * phx_json_to_bson, whose answer and reason count. */
int phx_json_text_to_bson(const char *text, size_t n, const char *const *skip, bson_t *b);

/* Non-zero when a key may go to the server: no leading '$', no '.', no NUL.
 * len is the key's length in bytes (jansson keys may hold NULs). */
int phx_bson_key_safe(const char *key, size_t len);

/* A new JSON object from the document, leaving out top-level keys in skip
 * (NULL-terminated, may be NULL). Returns NULL only on a malformed document. */
json_t *phx_bson_to_json(const bson_t *b, const char *const *skip);

#endif
