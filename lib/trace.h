/* trace.h - provenance: the _phx object of a record and its trace[]. */
#ifndef PHX_TRACE_H
#define PHX_TRACE_H
#include <jansson.h>

/* The record's "_phx" object, created (appended last) when missing.
 * Returns a borrowed reference, or NULL when "_phx" exists but is not an
 * object (the caller should reject: code "record.bad_phx"). */
json_t *phx_record_meta(json_t *record);
/* Append {"tool","version","at", ...members of extra} to _phx.trace.
 * extra may be NULL; its members are copied. Returns 0, or -1 as above. */
int phx_trace_append(json_t *record, const char *tool, const json_t *extra);

#endif
