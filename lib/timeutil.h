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
/* America/Phoenix keeps UTC-7 all year (no DST): the day and month a person
 * in Phoenix means, for reports and the budget. */
#define PHX_PHOENIX_OFFSET (-7 * 3600)
/* "YYYY-MM-DD" of t in Phoenix. */
void phx_phoenix_date(time_t t, char out[16]);
/* UTC instant of 00:00 Phoenix time on t's Phoenix day. */
time_t phx_phoenix_day_start(time_t t);
/* UTC instants of the first day of t's Phoenix month and of the next month. */
void phx_phoenix_month(time_t t, time_t *start, time_t *next);
/* UTC instant of 00:00 Phoenix on date y-m-d (m 1..12; d may overflow). */
time_t phx_phoenix_midnight(int y, int m, int d);
/* Milliseconds from a monotonic clock. */
int64_t phx_mono_ms(void);

#endif
