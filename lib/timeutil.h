/* timeutil.h - RFC 3339 UTC times and durations. */
#ifndef PHX_TIMEUTIL_H
#define PHX_TIMEUTIL_H
#include <time.h>
#include <stdint.h>

#define PHX_TIME_LEN 32
/* "2026-11-28T10:00:03Z" */
void phx_time_format(time_t t, char out[PHX_TIME_LEN]);
void phx_time_now(char out[PHX_TIME_LEN]);
/* Parse RFC 3339 (Z or +hh:mm offset, optional fraction). 0 on success. */
int phx_time_parse(const char *s, time_t *out);
/* Full-date "YYYY-MM-DD" with a real calendar check. 0 on success. */
int phx_date_parse(const char *s, int *y, int *m, int *d);
/* "90d", "12h", "30m", "45s", "2w", or plain seconds. 0 on success. */
int phx_duration_parse(const char *s, int64_t *seconds);
/* Milliseconds from a monotonic clock. */
int64_t phx_mono_ms(void);

#endif
