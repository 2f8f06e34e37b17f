/* ndjson.h - reading newline-delimited JSON from file operands or stdin.
 *
 * Lines are returned with their file, 1-based line number and byte offset.
 * CRLF endings, a BOM at the start of a file, a missing final newline and
 * blank lines are handled here; every other defect becomes a line with a
 * non-OK status (and a reject code) so the caller can reject it and go on. */
#ifndef PHX_NDJSON_H
#define PHX_NDJSON_H
#include <stddef.h>
#include <jansson.h>
#include "jsonparse.h"

#define PHX_MAX_LINE_DEFAULT ((size_t)16 << 20)	/* 16 MiB */

typedef struct phx_pos {
	const char *file;		/* "-" for stdin */
	unsigned long long line;	/* 1-based, within file */
	unsigned long long offset;	/* byte offset of the line start in file */
} phx_pos;

typedef enum {
	PHX_LINE_OK = 0,
	PHX_LINE_TOO_LONG,	/* input.too_long: data holds the first bytes only */
	PHX_LINE_BAD_UTF8,	/* input.bad_utf8 */
	PHX_LINE_NUL		/* input.nul_byte */
} phx_line_status;

typedef struct phx_line {
	const char *data;	/* not NUL-terminated beyond len; valid until next call */
	size_t len;		/* without the line ending */
	phx_line_status status;
	size_t bad_at;		/* byte offset in the line of the defect (UTF-8, NUL) */
	phx_pos pos;
} phx_line;

typedef struct phx_reader phx_reader;

/* files: operands in order; nfiles == 0 means stdin. max_line: 0 = default. */
phx_reader *phx_reader_open(char *const *files, int nfiles, size_t max_line);
/* 1: a line in *out; 0: end of all input; a file that cannot be opened or
 * read is reported on stderr, counted (phx_reader_io_errors) and skipped. */
int phx_reader_next(phx_reader *r, phx_line *out);
int phx_reader_io_errors(const phx_reader *r);
void phx_reader_close(phx_reader *r);
/* Reject code for a non-OK status ("input.too_long", ...). */
const char *phx_line_status_code(phx_line_status st);

/* Parse a line that must hold one JSON object. On failure returns NULL and
 * sets *code (static string: input.not_json, input.not_object,
 * input.duplicate_key, input.too_deep, input.number_range, input.nul_byte)
 * and a human reason in reason[n]. Duplicate keys are refused: a record
 * with two values for one field is ambiguous. */
json_t *phx_parse_object(const char *data, size_t len, const char **code,
			 char *reason, size_t n);
/* The same, also giving the spans of the top-level members keys[] in the
 * line and whether it has odd keys (see phx_json_parse_spans). */
json_t *phx_parse_object_spans(const char *data, size_t len, const char **code,
			       char *reason, size_t n, const char *const *keys, size_t nkeys,
			       phx_json_span *spans, int *odd_keys);

#endif
