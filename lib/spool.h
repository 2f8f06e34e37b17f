/* spool.h - records the store could not confirm, kept for the next run.
 *
 * When the database is lost for longer than the retry budget, every record
 * not yet confirmed is appended (the input line, byte for byte) to
 * $STATE/spool/store-<hash of the database>.ndjson, mode 0600. The next run
 * against the same database claims that file (renames it to .replay under
 * an flock, so two runs never replay the same records) and reads it before
 * its new input. Storing is idempotent, so a replay cut short by a crash is
 * simply replayed again. */
#ifndef PHX_SPOOL_H
#define PHX_SPOOL_H
#include <stddef.h>

typedef struct phx_spool phx_spool;

/* The spool of the database named display (a redacted URI or path). */
phx_spool *phx_spool_new(const char *display);
const char *phx_spool_path(const phx_spool *sp);
/* Claim the spool for replay: returns the path of the file to read first,
 * or NULL when there is nothing to replay (or another run replays it). */
const char *phx_spool_claim(phx_spool *sp);
/* Append one record line. Returns 0, or -1 (errno set) when it could not be
 * written: the caller must then fail with 74. */
int phx_spool_add(phx_spool *sp, const char *line, size_t len);
/* Lines appended by this run. */
unsigned long long phx_spool_added(const phx_spool *sp);
/* The claimed file was read to its end: every record of it is confirmed or
 * spooled again. Remove it and release the claim. */
void phx_spool_done(phx_spool *sp);
/* Close without removing a claimed file (it is replayed next time). */
void phx_spool_free(phx_spool *sp);

#endif
