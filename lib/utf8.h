/* utf8.h - UTF-8 validation (RFC 3629: no overlongs, no surrogates). */
#ifndef PHX_UTF8_H
#define PHX_UTF8_H
#include <stddef.h>

/* Returns the byte offset of the first invalid sequence, or n when valid. */
size_t phx_utf8_check(const char *s, size_t n);

#endif
