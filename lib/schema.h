/* schema.h - a JSON Schema (draft 2020-12) subset, compiled once, checked fast.
 *
 * Keywords: type (incl. "integer", arrays of types), required, properties,
 * additionalProperties (boolean or schema), enum, const, minimum, maximum,
 * exclusiveMinimum, exclusiveMaximum, minLength, maxLength (Unicode code
 * points), pattern (POSIX ERE; ECMA-262-only syntax is refused at load),
 * items, minItems, maxItems, $defs (at the root), $ref ("#" or
 * "#/$defs/NAME"), format "date" and "date-time". Annotations ($schema, $id,
 * title, description, $comment, default, examples, deprecated, readOnly,
 * writeOnly) are accepted and ignored. Any other keyword, a bad keyword value,
 * a pattern regcomp refuses, an unknown format or a $ref that does not resolve
 * makes loading fail, with one line per problem naming its JSON Pointer.
 *
 * "integer" means a JSON integer as written: 1.0 is a number, not an integer
 * (the suite promises integers stay integers). Numbers compare exactly, also
 * integers beyond 2^53 against limits.
 *
 * Codes (stable; phx_schema_codes lists them): schema.type, schema.required,
 * schema.additional, schema.enum, schema.const, schema.range, schema.length,
 * schema.pattern, schema.count, schema.format, schema.false. */
#ifndef PHX_SCHEMA_H
#define PHX_SCHEMA_H
#include <jansson.h>
#include "issues.h"

typedef struct phx_schema phx_schema;

/* Load and compile the schema in the file at path. On failure returns NULL
 * and sets *err to a malloc'd message (caller frees): one line per problem,
 * "PATH: /properties/x/foo: unsupported keyword \"foo\"". */
phx_schema *phx_schema_load(const char *path, char **err);
/* The same from a parsed document; name is used in messages. root is not
 * kept (the schema copies what it needs). */
phx_schema *phx_schema_compile(const json_t *root, const char *name, char **err);
void phx_schema_free(phx_schema *schema);

/* Check doc and append one error finding per failure (every failure, not
 * only the first) to out. Returns the number of findings added. */
size_t phx_schema_check(const phx_schema *schema, const json_t *doc, phx_issues *out);

/* Every code phx_schema_check can emit, NULL-terminated (for run summaries). */
extern const char *const phx_schema_codes[];

#endif
