/* stopfile.h - the emergency stop: while $PHX_STATE_DIR/STOP exists no phx
 * tool starts (phx_cli_begin exits 75), and a running tool stops as if it
 * had been sent SIGTERM (phx_stop_requested() polls the file).
 *
 * The file is how pipelines/emergency-stop halts every collection at once,
 * including tools started by cron or CI after the stop: a signal reaches only
 * the processes running now, the file also keeps new ones from starting.
 * Polling costs one clock read per call and one stat(2) at most once a
 * second, so a loop may call it for every record. */
#ifndef PHX_STOPFILE_H
#define PHX_STOPFILE_H

/* The stop file's path (static storage), or NULL when there is no state
 * directory. PHX_STOP_FILE overrides it (tests, unusual layouts). */
const char *phx_stop_file_path(void);
/* 1 while the stop file exists. Looks at the file at most once a second;
 * once seen it stays seen for the rest of the process. 0 when
 * PHX_IGNORE_STOP=1 (diagnostics during a stop: phx-store stats, ...). */
int phx_stop_file_present(void);
/* Look now, ignoring the once-a-second limit (for the start-up check). */
int phx_stop_file_check_now(void);
/* Forget what was seen and the path (unit tests). */
void phx_stop_file_reset(void);

#endif
