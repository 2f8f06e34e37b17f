/* state.h - the state directory and the safe ways to write into it.
 *
 * $PHX_STATE_DIR, else $XDG_STATE_HOME/phx, else $HOME/.local/state/phx.
 * Created 0700 on first use. Journals are appended with single write()s of
 * whole lines under O_APPEND; shared mutable files are rewritten under flock
 * and replaced with rename(). */
#ifndef PHX_STATE_H
#define PHX_STATE_H
#include <stddef.h>

/* The state directory path (static storage); created if missing.
 * Returns NULL and logs an error when it cannot be created. */
const char *phx_state_dir(void);
/* Join the state directory and a relative path into out (size n); creates
 * the parent directories. Returns 0, or -1 with an error logged. */
int phx_state_path(char *out, size_t n, const char *rel);
/* mkdir -p with the given mode for each missing component. */
int phx_mkdirs(const char *dir, int mode);
/* Append one whole line (a '\n' is added when missing) with one write. */
int phx_append_line(const char *path, const char *line, size_t len, int mode);
/* Replace path atomically: write a temp file in the same directory, fsync,
 * rename. mode is applied to the new file. */
int phx_write_atomic(const char *path, const void *data, size_t len, int mode);
/* Read a whole file (malloc'd, NUL-terminated). Returns NULL with errno set;
 * ENOENT is not logged. */
char *phx_read_file(const char *path, size_t *len_out);
/* Open (creating 0600) path and take an exclusive flock on it.
 * Returns the fd to pass to phx_unlock, or -1. */
int phx_lock(const char *path);
void phx_unlock(int fd);

#endif
