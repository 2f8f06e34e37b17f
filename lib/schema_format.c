/* schema_format.c - "date" and "date-time" (RFC 3339, real calendar) and the
 * screening of ECMA-262 patterns that POSIX ERE would read differently. */
#include <string.h>
#include "schema_int.h"

static int digits(const char *s, size_t n, int *out)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

/* full-date = YYYY-MM-DD with the month's real number of days. */
int phx_format_date(const char *s, size_t n)
{
	int y, m, d;

	if (n != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	if (digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
		return -1;
	if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	return 0;
}

/* The offset at s: "Z", "z" or "+hh:mm"/"-hh:mm", in minutes east of UTC. */
static int parse_offset(const char *s, size_t n, int *minutes)
{
	int h, m;

	if (n == 1 && (s[0] == 'Z' || s[0] == 'z')) {
		*minutes = 0;
		return 0;
	}
	if (n != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':')
		return -1;
	if (digits(s + 1, 2, &h) || digits(s + 4, 2, &m) || h > 23 || m > 59)
		return -1;
	*minutes = (s[0] == '-' ? -1 : 1) * (h * 60 + m);
	return 0;
}

/* date-time = full-date "T" hh:mm:ss [.frac] offset. T and Z may be lower
 * case (RFC 3339 5.6). Second 60 is a leap second: valid only at 23:59 UTC. */
int phx_format_datetime(const char *s, size_t n)
{
	int hh, mm, ss, off;
	size_t i = 19;

	if (n < 20 || phx_format_date(s, 10) || (s[10] != 'T' && s[10] != 't'))
		return -1;
	if (s[13] != ':' || s[16] != ':')
		return -1;
	if (digits(s + 11, 2, &hh) || digits(s + 14, 2, &mm) || digits(s + 17, 2, &ss))
		return -1;
	if (hh > 23 || mm > 59 || ss > 60)
		return -1;
	if (s[i] == '.') {
		size_t start = ++i;

		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return -1;
	}
	if (parse_offset(s + i, n - i, &off))
		return -1;
	if (ss == 60) {
		int utc = ((hh * 60 + mm - off) % 1440 + 1440) % 1440;

		if (utc != 23 * 60 + 59)
			return -1;
	}
	return 0;
}

static const char *screen_bracket(const char **pp)
{
	const char *p = *pp + 1;

	if (*p == '^')
		p++;
	if (*p == ']')
		return "\"[]\" or \"[^]\" (POSIX reads that ] as a member)";
	for (; *p && *p != ']'; p++) {
		if (*p == '\\')
			return "a backslash inside [...] (POSIX reads it literally)";
		if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '='))
			return "a POSIX class like [:alpha:] (ECMA-262 reads it differently)";
		if ((unsigned char)*p >= 0x80)
			return "a non-ASCII character inside [...] (matched byte by byte)";
	}
	*pp = *p ? p : p - 1;
	return NULL;
}

/* The bounds of "{n}", "{n,}" or "{n,m}" starting after the brace. */
static int bound_too_big(const char *p)
{
	for (int part = 0; part < 2; part++) {
		long v = 0;

		while (*p >= '0' && *p <= '9') {
			if ((v = v * 10 + (*p++ - '0')) > 255)
				return 1;
		}
		if (*p != ',')
			break;
		p++;
	}
	return 0;
}

const char *phx_pattern_unsupported(const char *pattern)
{
	static const char escapable[] = ".*+?()[]{}|\\^$/";

	for (const char *p = pattern; *p; p++) {
		const char *why;

		switch (*p) {
		case '\\':
			if (p[1] == '\0')
				return "a trailing backslash";
			if (!strchr(escapable, p[1]))
				return "a backslash escape like \\d, \\w, \\s, \\b, \\n or \\u"
				       " (write [0-9] and the like instead)";
			p++;
			break;
		case '[':
			if ((why = screen_bracket(&p)))
				return why;
			break;
		case '(':
			if (p[1] == '?')
				return "a (?...) group (non-capturing, lookaround or named)";
			break;
		case '{':
			if (bound_too_big(p + 1))
				return "a repetition count above 255 (a big automaton)";
			break;
		case '*': case '+': case '?': case '}':
			if (p[1] == '?')
				return "a lazy quantifier (*?, +?, ??, {n,m}?)";
			if (p[1] == '*' || p[1] == '+' || p[1] == '{')
				return "a quantifier on a quantifier (a syntax error in ECMA-262)";
			break;
		default:
			break;
		}
	}
	return NULL;
}
