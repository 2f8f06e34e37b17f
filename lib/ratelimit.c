/* ratelimit.c - token buckets in the state directory, shared under flock. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "ratelimit.h"
#include "log.h"
#include "state.h"

int64_t phx_wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long phx_bucket_take(phx_bucket_state *s, int64_t now_ms, double per_sec, double burst)
{
	if (burst < 1)
		burst = 1;
	if (s->at_ms == 0 || s->at_ms > now_ms + 60000) {
		/* new bucket, or a clock that jumped back: start full */
		s->tokens = burst;
		s->at_ms = now_ms;
	}
	if (now_ms > s->at_ms) {
		s->tokens += (double)(now_ms - s->at_ms) * per_sec / 1000.0;
		s->at_ms = now_ms;
	}
	if (s->tokens > burst)
		s->tokens = burst;
	if (s->pause_until_ms > now_ms) {
		s->tokens = 0;
		return (long)(s->pause_until_ms - now_ms);
	}
	if (s->tokens >= 1.0) {
		s->tokens -= 1.0;
		return 0;
	}
	double wait = ceil((1.0 - s->tokens) * 1000.0 / per_sec);
	return wait < 1 ? 1 : (long)wait;
}

/* "127.0.0.1:8080" -> "127.0.0.1_8080": one safe file name per key. */
static int bucket_paths(const char *key, char *data, char *lock, size_t n)
{
	char name[200];
	size_t j = 0;
	for (const char *p = key; *p && j + 1 < sizeof name; p++)
		name[j++] = (isalnum((unsigned char)*p) || *p == '.' || *p == '-') ? *p : '_';
	name[j] = '\0';
	char rel[256];
	snprintf(rel, sizeof rel, "ratelimit/%s.bucket", name);
	if (phx_state_path(data, n, rel) != 0)
		return -1;
	snprintf(rel, sizeof rel, "ratelimit/%s.lock", name);
	return phx_state_path(lock, n, rel);
}

static void bucket_read(const char *path, phx_bucket_state *s)
{
	memset(s, 0, sizeof *s);
	char *text = phx_read_file(path, NULL);
	if (!text)
		return;
	double tokens;
	long long at, pause;
	if (sscanf(text, "%lf %lld %lld", &tokens, &at, &pause) == 3 && isfinite(tokens)) {
		s->tokens = tokens;
		s->at_ms = at;
		s->pause_until_ms = pause;
	}
	free(text);
}

/* Temp file and rename, without the fsync of phx_write_atomic: the bucket is
 * rewritten for every request under the lock, a lost bucket after a power
 * failure costs nothing, and an fsync here would slow every request. */
static int bucket_write(const char *path, const phx_bucket_state *s)
{
	char line[128], tmp[PATH_MAX];
	int n = snprintf(line, sizeof line, "%.6f %lld %lld\n", s->tokens,
			 (long long)s->at_ms, (long long)s->pause_until_ms);
	snprintf(tmp, sizeof tmp, "%s.%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int ok = fd >= 0 && write(fd, line, (size_t)n) == n;
	if (fd >= 0 && close(fd) != 0)
		ok = 0;
	if (!ok || rename(tmp, path) != 0) {
		phx_err("%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

long phx_ratelimit_take(const char *key, double per_sec, double burst)
{
	char data[PATH_MAX], lock[PATH_MAX];
	if (bucket_paths(key, data, lock, sizeof data) != 0)
		return -1;
	int fd = phx_lock(lock);
	if (fd < 0) {
		phx_err("%s: cannot lock: %s", lock, strerror(errno));
		return -1;
	}
	phx_bucket_state s;
	bucket_read(data, &s);
	long wait = phx_bucket_take(&s, phx_wall_ms(), per_sec, burst);
	int rc = wait == 0 ? bucket_write(data, &s) : 0;
	phx_unlock(fd);
	return rc != 0 ? -1 : wait;
}

int phx_ratelimit_pause(const char *key, int64_t until_ms)
{
	char data[PATH_MAX], lock[PATH_MAX];
	if (bucket_paths(key, data, lock, sizeof data) != 0)
		return -1;
	int fd = phx_lock(lock);
	if (fd < 0)
		return -1;
	phx_bucket_state s;
	bucket_read(data, &s);
	int rc = 0;
	if (until_ms > s.pause_until_ms) {
		int64_t now = phx_wall_ms();
		if (s.at_ms == 0)
			s.at_ms = now;
		s.pause_until_ms = until_ms;
		s.tokens = 0;
		rc = bucket_write(data, &s);
	}
	phx_unlock(fd);
	return rc;
}

static double unit_seconds(const char *u)
{
	static const struct { const char *name; double sec; } units[] = {
		{"s", 1}, {"sec", 1}, {"second", 1}, {"m", 60}, {"min", 60},
		{"minute", 60}, {"h", 3600}, {"hr", 3600}, {"hour", 3600},
		{"d", 86400}, {"day", 86400},
	};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strcmp(u, units[i].name) == 0)
			return units[i].sec;
	return 0;
}

int phx_rate_parse(const char *s, double *per_sec, double *burst)
{
	char *end;
	errno = 0;
	double count = strtod(s, &end);
	if (end == s || errno || !isfinite(count) || count <= 0)
		return -1;
	double sec = 1;
	if (*end == '/') {
		char unit[16];
		size_t n = strcspn(end + 1, ":");
		if (n == 0 || n >= sizeof unit)
			return -1;
		memcpy(unit, end + 1, n);
		unit[n] = '\0';
		sec = unit_seconds(unit);
		if (sec == 0)
			return -1;
		end += 1 + n;
	}
	double b = 1;
	if (*end == ':') {
		char *bend;
		errno = 0;
		b = strtod(end + 1, &bend);
		if (bend == end + 1 || *bend || errno || !isfinite(b) || b < 1 || b > 1e6)
			return -1;
	} else if (*end) {
		return -1;
	}
	*per_sec = count / sec;
	*burst = b;
	return 0;
}
