/* csv_write.h - RFC 4180 CSV through libcsv, for the people who open phx's
 * data in a spreadsheet: a header line, then one row per JSON document, each
 * column a JSON Pointer into it. Every field is quoted by libcsv (so an id
 * such as "0123" or an APN stays the text it was), rows end in CRLF. */
#ifndef PHX_CSV_WRITE_H
#define PHX_CSV_WRITE_H
#include <stddef.h>
#include <jansson.h>
#include "buf.h"
#include "jptr.h"

typedef struct phx_csv_column {
	const char *name;	/* the header */
	const char *pointer;	/* "/address/zip" */
} phx_csv_column;

typedef struct phx_csv {
	const phx_csv_column *cols;
	size_t n;
	phx_jptr *ptr;
	phx_buf row;
} phx_csv;

/* Compile the columns (cols must outlive c). 0, or -1 for a bad pointer. */
int phx_csv_init(phx_csv *c, const phx_csv_column *cols, size_t n);
void phx_csv_free(phx_csv *c);
/* The header line, then rows; each is written to stdout as one whole line
 * (output.h). 0, or -1 once stdout is closed or failed. */
int phx_csv_header(phx_csv *c);
int phx_csv_row(phx_csv *c, const json_t *doc);
/* Append one field to a row: a ',' unless it is the row's first, then s
 * quoted by libcsv. */
void phx_csv_field(phx_buf *row, const char *s, size_t n, int first);
/* One field as text: strings as they are, integers in full, reals with 15
 * significant digits, true/false, null and absent as the empty field, arrays
 * and objects as compact JSON. Appended to out. */
void phx_csv_value(phx_buf *out, const json_t *v);

#endif
