/* timeutil.c - RFC 3339 UTC, calendar dates, durations, monotonic time. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "timeutil.h"

void phx_time_format(time_t t, char out[PHX_TIME_LEN])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, PHX_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void phx_time_now(char out[PHX_TIME_LEN])
{
	phx_time_format(time(NULL), out);
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && leap(y) ? 29 : dm[m - 1];
}

int phx_date_parse(const char *s, int *y, int *m, int *d)
{
	if (strlen(s) < 10 || s[4] != '-' || s[7] != '-')
		return -1;
	if (digits(s, 4, y) || digits(s + 5, 2, m) || digits(s + 8, 2, d))
		return -1;
	if (*m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m))
		return -1;
	return 0;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static long long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int phx_time_parse(const char *s, time_t *out)
{
	int y, mo, d, h, mi, sec;
	if (phx_date_parse(s, &y, &mo, &d) != 0 || strlen(s) < 19)
		return -1;
	if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
		return -1;
	if (s[13] != ':' || s[16] != ':')
		return -1;
	if (digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) || digits(s + 17, 2, &sec))
		return -1;
	if (h > 23 || mi > 59 || sec > 60)
		return -1;
	const char *p = s + 19;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		while (isdigit((unsigned char)*p))
			p++;
	}
	long offset = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;
		if (strlen(p) < 6 || p[3] != ':' || digits(p + 1, 2, &oh) || digits(p + 4, 2, &om) ||
		    oh > 23 || om > 59)
			return -1;
		offset = (oh * 60L + om) * 60L * (*p == '+' ? 1 : -1);
		p += 6;
	} else {
		return -1;
	}
	if (*p != '\0')
		return -1;
	long long t = days_from_civil(y, mo, d) * 86400LL + h * 3600LL + mi * 60LL + sec - offset;
	*out = (time_t)t;
	return 0;
}

int phx_duration_parse(const char *s, int64_t *seconds)
{
	char *end;
	errno = 0;
	if (!s || !isdigit((unsigned char)*s))
		return -1;
	long long v = strtoll(s, &end, 10);
	if (errno || v < 0)
		return -1;
	long long mult = 1;
	if (*end) {
		switch (*end) {
		case 's': mult = 1; break;
		case 'm': mult = 60; break;
		case 'h': mult = 3600; break;
		case 'd': mult = 86400; break;
		case 'w': mult = 7 * 86400; break;
		default: return -1;
		}
		if (end[1] != '\0')
			return -1;
	}
	if (v > INT64_MAX / mult)
		return -1;
	*seconds = v * mult;
	return 0;
}

int64_t phx_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

time_t phx_phoenix_midnight(int y, int m, int d)
{
	struct tm tm = { 0 };
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	return timegm(&tm) - PHX_PHOENIX_OFFSET;
}

void phx_phoenix_date(time_t t, char out[16])
{
	struct tm tm;
	time_t local = t + PHX_PHOENIX_OFFSET;
	gmtime_r(&local, &tm);
	strftime(out, 16, "%Y-%m-%d", &tm);
}

time_t phx_phoenix_day_start(time_t t)
{
	struct tm tm;
	time_t local = t + PHX_PHOENIX_OFFSET;
	gmtime_r(&local, &tm);
	return phx_phoenix_midnight(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

void phx_phoenix_month(time_t t, time_t *start, time_t *next)
{
	struct tm tm;
	time_t local = t + PHX_PHOENIX_OFFSET;
	gmtime_r(&local, &tm);
	*start = phx_phoenix_midnight(tm.tm_year + 1900, tm.tm_mon + 1, 1);
	*next = phx_phoenix_midnight(tm.tm_year + 1900, tm.tm_mon + 2, 1);
}
