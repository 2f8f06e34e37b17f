/* xalloc.c - allocation that never returns NULL. Running out of memory is
 * not a per-record condition a tool can recover from: report and exit 70. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "xalloc.h"
#include "exitcode.h"

static void out_of_memory(size_t n)
{
	char msg[96];
	int len = snprintf(msg, sizeof msg, "phx: out of memory (%zu bytes)\n", n);
	if (len > 0 && write(2, msg, (size_t)len) < 0) {
		/* nothing more we can do */
	}
	_exit(PHX_EX_SOFTWARE);
}

void *phx_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		out_of_memory(n);
	return p;
}

void *phx_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory(n * size);
	return p;
}

void *phx_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		out_of_memory(n);
	return q;
}

char *phx_xstrndup(const char *s, size_t n)
{
	char *p = phx_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *phx_xstrdup(const char *s)
{
	return phx_xstrndup(s, strlen(s));
}
