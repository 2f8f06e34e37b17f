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

/* Non-zero when a key may go to the server: no leading '$', no '.', no NUL.
 * len is the key's length in bytes (jansson keys may hold NULs). */
int phx_bson_key_safe(const char *key, size_t len);

/* A new JSON object from the document, leaving out top-level keys in skip
 * (NULL-terminated, may be NULL). Returns NULL only on a malformed document. */
json_t *phx_bson_to_json(const bson_t *b, const char *const *skip);

#endif
