/* reject.h - the reject envelope and where rejects go (conventions 2).
 *
 * {"phx":"reject","tool":..,"code":..,"reason":..,"input":{"file","line","offset"},
 *  "at":..,"tries":N?,"record":<the original object, byte for byte, or the line as a string>}
 *
 * Rejects go to --rejects FILE ("-" = stderr) or else to the dead-letter file
 * $STATE/rejects/TOOL-YYYY-MM-DD.ndjson, appended, mode 0600. Every reject
 * line passes through the redactor. */
#ifndef PHX_REJECT_H
#define PHX_REJECT_H
#include <stddef.h>
#include <jansson.h>
#include "ndjson.h"

/* path: NULL for the dead-letter file. Opened lazily at the first reject. */
void phx_rejects_set_path(const char *path);

/* Reject a record. pos may be NULL (a reject not tied to an input line).
 * Exactly one of raw/record is used for "record": raw (len rawlen) is the
 * original line, embedded as-is when raw_is_json, else as a JSON string
 * (cut to 4 KiB, with "record_truncated":true when cut); record is a jansson
 * value serialized compactly. tries <= 0 leaves "tries" out.
 * extra may be NULL; its members (e.g. "errors":[...], "url", "status") are
 * added to the envelope before "record".
 * Counts the code for the run summary. Returns 0, or -1 when the reject
 * could not be written (then the run must end with 74). */
int phx_reject(const phx_pos *pos, const char *code, const char *reason,
	       const char *raw, size_t rawlen, int raw_is_json,
	       const json_t *record, int tries, const json_t *extra);

/* Convenience: reject a non-OK or unparsable input line. */
int phx_reject_line(const phx_line *line, const char *code, const char *reason);

/* Number of rejects written in this run, and whether any write failed. */
unsigned long long phx_rejects_count(void);
int phx_rejects_failed(void);
void phx_rejects_close(void);

#endif
