/* fastre.h - a linear-time matcher for the simple patterns schemas mostly use
 * (literals, ".", [classes], * + ? {n,m}, ^ $, and one level of "|", also
 * inside one outer group: "^(apn:[0-9]+|addr:.+)$"). It answers exactly what
 * glibc regexec (REG_EXTENDED, C locale, REG_STARTEND) answers for those
 * patterns, without regexec's per-call allocations; anything else is left to
 * regexec. "." matches any byte but NUL, as glibc's does. */
#ifndef PHX_FASTRE_H
#define PHX_FASTRE_H
#include <stddef.h>

typedef struct phx_fastre phx_fastre;

/* NULL when the pattern is outside the simple subset (use regexec then). */
phx_fastre *phx_fastre_compile(const char *pattern);
/* 1 when some substring of s (n bytes, NULs allowed) matches, else 0. */
int phx_fastre_match(const phx_fastre *re, const char *s, size_t n);
void phx_fastre_free(phx_fastre *re);

#endif
