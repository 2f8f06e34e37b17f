/* utf8.h - UTF-8 validation (RFC 3629: no overlongs, no surrogates). */
#ifndef PHX_UTF8_H
#define PHX_UTF8_H
#include <stddef.h>

/* Returns the byte offset of the first invalid sequence, or n when valid. */
size_t phx_utf8_check(const char *s, size_t n);

/* Code point cp (at most U+10FFFF) as UTF-8 into out; returns its length, 1-4. */
size_t phx_utf8_encode(unsigned cp, unsigned char out[4]);

#endif
