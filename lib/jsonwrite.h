/* jsonwrite.h - compact JSON text from jansson values, straight into a
 * phx_buf. jansson's own dumper keeps a hash table of open containers per
 * call to catch cycles; records never have cycles, and that bookkeeping cost
 * more than the writing on the hot path of phx-validate. Keys keep their
 * insertion order; reals print in the shortest form that reads back equal. */
#ifndef PHX_JSONWRITE_H
#define PHX_JSONWRITE_H
#include <jansson.h>
#include "buf.h"

void phx_json_write(phx_buf *out, const json_t *value);

#endif
