/* output.h - writing whole NDJSON lines to stdout.
 *
 * Each line is handed to write(2) whole (several whole lines may share one
 * write when buffered), so readers never see half a record. When the reader
 * goes away (EPIPE) phx_out_closed() turns true: stop quietly, exit 0. A failed
 * write for any other reason is an I/O error: exit 74. */
#ifndef PHX_OUTPUT_H
#define PHX_OUTPUT_H
#include <stddef.h>
#include <jansson.h>

enum phx_flush { PHX_FLUSH_EACH, PHX_FLUSH_BUFFERED };

void phx_out_init(enum phx_flush policy);
/* Write one line; the '\n' is added. Returns 0, or -1 once output is closed
 * or failed (then stop producing). */
int phx_out_line(const char *s, size_t n);
/* Serialize j compactly, keys in insertion order, and write it as a line. */
int phx_out_json(const json_t *j);
int phx_out_flush(void);
/* True once the reader went away (EPIPE). */
int phx_out_closed(void);
/* True once a write failed for another reason. */
int phx_out_failed(void);
/* Flush and close stdout; returns PHX_EX_OK or PHX_EX_IOERR (message logged). */
int phx_out_finish(void);

#endif
