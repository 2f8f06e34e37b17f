/* buf.h - a growing byte buffer, the one string builder of phx. */
#ifndef PHX_BUF_H
#define PHX_BUF_H
#include <stddef.h>
#include <stdarg.h>

typedef struct phx_buf {
	char *data;	/* always NUL-terminated once anything was added */
	size_t len;
	size_t cap;
} phx_buf;

#define PHX_BUF_INIT { NULL, 0, 0 }

void phx_buf_reserve(phx_buf *b, size_t extra);	/* aborts on out of memory */
void phx_buf_add(phx_buf *b, const void *p, size_t n);
void phx_buf_adds(phx_buf *b, const char *s);
void phx_buf_addc(phx_buf *b, char c);
void phx_buf_printf(phx_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void phx_buf_vprintf(phx_buf *b, const char *fmt, va_list ap);
/* Append s as a JSON string literal (with quotes). Invalid UTF-8 bytes
 * become U+FFFD, so the result is always valid JSON. */
void phx_buf_add_json_string(phx_buf *b, const char *s, size_t n);
void phx_buf_clear(phx_buf *b);	/* len = 0, keeps memory */
void phx_buf_free(phx_buf *b);
/* Hand the data over to the caller (malloc'd, NUL-terminated). */
char *phx_buf_steal(phx_buf *b);

#endif
