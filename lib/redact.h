/* redact.h - the one redaction routine every printed string goes through.
 *
 * Secrets registered here are replaced by "***" wherever they occur, and the
 * password part of any URL (scheme://user:PASSWORD@host) is always masked. */
#ifndef PHX_REDACT_H
#define PHX_REDACT_H
#include <stddef.h>
#include "buf.h"

/* Register a secret value (copied). Values shorter than 4 bytes are
 * ignored: masking "ab" everywhere would wreck output, and such a value
 * is no secret anyway. */
void phx_redact_add(const char *secret);
/* Append s with every secret masked to out. */
void phx_redact_append(phx_buf *out, const char *s, size_t n);
/* Return a malloc'd redacted copy of s. */
char *phx_redact_dup(const char *s);
/* Non-zero when s contains a registered secret or a URL password. */
int phx_redact_needed(const char *s, size_t n);
/* Forget all secrets (tests). */
void phx_redact_reset(void);

#endif
