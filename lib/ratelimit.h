/* ratelimit.h - per-host token buckets shared by every process on the machine.
 *
 * A bucket lives in $STATE/ratelimit/<key>.bucket and is read, refilled,
 * debited and rewritten under flock (<key>.lock), so two phx-fetch runs
 * started together against one host share one budget. Times are wall-clock
 * milliseconds because several processes read them. */
#ifndef PHX_RATELIMIT_H
#define PHX_RATELIMIT_H
#include <stdint.h>

typedef struct phx_bucket_state {
	double tokens;		/* may be fractional */
	int64_t at_ms;		/* when tokens was last computed */
	int64_t pause_until_ms;	/* Retry-After: nobody takes before this */
} phx_bucket_state;

/* The arithmetic, without files: refill s at per_sec up to burst (at least
 * 1), then take one token. Returns 0 when taken, else the milliseconds to
 * wait before one is there (s is refilled but not debited). A fresh state
 * (at_ms == 0) starts full. */
long phx_bucket_take(phx_bucket_state *s, int64_t now_ms, double per_sec, double burst);

/* Take a token from the shared bucket for key ("host:port").
 * Returns 0 when taken, > 0 ms to wait before trying again, -1 on a state
 * file error (logged; the caller should wait and retry, never go unlimited). */
long phx_ratelimit_take(const char *key, double per_sec, double burst);
/* Close the shared bucket until until_ms (wall clock) and empty it:
 * Retry-After from the server slows every process using it. */
int phx_ratelimit_pause(const char *key, int64_t until_ms);

/* "1000/h", "20/s", "60/min", "5000/day", optionally ":BURST" ("1000/h:5").
 * A bare number is per second. Burst defaults to 1. 0 on success. */
int phx_rate_parse(const char *s, double *per_sec, double *burst);

/* Wall-clock milliseconds. */
int64_t phx_wall_ms(void);

#endif
