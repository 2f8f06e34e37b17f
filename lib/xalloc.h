/* xalloc.h - allocation that never returns NULL: out of memory is exit 70. */
#ifndef PHX_XALLOC_H
#define PHX_XALLOC_H
#include <stddef.h>

void *phx_xmalloc(size_t n);
void *phx_xcalloc(size_t n, size_t size);
void *phx_xrealloc(void *p, size_t n);
char *phx_xstrdup(const char *s);
char *phx_xstrndup(const char *s, size_t n);

#endif
