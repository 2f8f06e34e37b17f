/* fuzz_input.h - helpers shared by the fuzz targets: cutting one input into
 * fields, and a logger that formats every message but prints none.
 * Included by exactly one .c per fuzz binary. */
#ifndef PHX_FUZZ_INPUT_H
#define PHX_FUZZ_INPUT_H
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "xalloc.h"

/* The next field of the input, up to sep or the end, as a malloc'd C string
 * (a NUL inside cuts it short, as it would for a caller). Moves the input on. */
static inline char *fuzz_field(const uint8_t **data, size_t *size, char sep)
{
	const uint8_t *end = memchr(*data, sep, *size);
	size_t n = end ? (size_t)(end - *data) : *size;
	char *s = phx_xmalloc(n + 1);
	memcpy(s, *data, n);
	s[n] = '\0';
	*data += n + (end ? 1 : 0);
	*size -= n + (end ? 1 : 0);
	return s;
}

/* The rest of the input as an exactly sized heap copy, so ASan sees any read
 * past its end (a NUL is added after it only when nul is set). */
static inline char *fuzz_rest(const uint8_t *data, size_t size, int nul)
{
	char *s = phx_xmalloc(size + (nul ? 1 : 0) + (size == 0 && !nul));
	memcpy(s, data, size);
	if (nul)
		s[size] = '\0';
	return s;
}

#ifdef FUZZ_QUIET_LOG
/* Replaces lib/log.c (its object is then not linked): diagnostics are
 * formatted, so their arguments are still checked, and dropped, because a
 * bad input per run would otherwise fill the fuzz log. */
#include <stdarg.h>
#include <stdio.h>
#include "log.h"

static const char *fuzz_tool = "fuzz";
static int fuzz_level = 1;

void phx_log_set_tool(const char *tool) { fuzz_tool = tool; }
const char *phx_log_tool(void) { return fuzz_tool; }
void phx_log_set_level(int l) { fuzz_level = l; }
int phx_log_level(void) { return fuzz_level; }

static void fuzz_format(const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
}

#define FUZZ_LOG_FN(name)					\
	void name(const char *fmt, ...)				\
	{							\
		va_list ap;					\
		va_start(ap, fmt);				\
		fuzz_format(fmt, ap);				\
		va_end(ap);					\
	}
FUZZ_LOG_FN(phx_err)
FUZZ_LOG_FN(phx_warn)
FUZZ_LOG_FN(phx_info)
FUZZ_LOG_FN(phx_debug)
#endif

#endif
