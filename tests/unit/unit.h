/* unit.h - the smallest test harness: each CHECK prints one TAP-like line. */
#ifndef PHX_UNIT_H
#define PHX_UNIT_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "redact.h"

static int unit_failed;

/* The expression as printed: through the redactor, so that a URL password
 * written into a test's expression never reaches the test log either. */
static inline void unit_line(int ok, const char *file, int line, const char *expr)
{
	char *shown = phx_redact_dup(expr);
	printf("%s - %s:%d %s\n", ok ? "ok" : "not ok", file, line, shown);
	free(shown);
}

static inline void unit_bool(int ok, const char *file, int line, const char *expr)
{
	unit_line(ok, file, line, expr);
	unit_failed += !ok;
}

static inline void unit_str(const char *got, const char *want, const char *file, int line,
			    const char *expr)
{
	int ok = got && want && strcmp(got, want) == 0;
	unit_line(ok, file, line, expr);
	if (!ok)
		printf("#   got:  %s\n#   want: %s\n", got ? got : "(null)",
		       want ? want : "(null)");
	unit_failed += !ok;
}

static inline void unit_int(long long got, long long want, const char *file, int line,
			    const char *expr)
{
	int ok = got == want;
	unit_line(ok, file, line, expr);
	if (!ok)
		printf("#   got:  %lld\n#   want: %lld\n", got, want);
	unit_failed += !ok;
}

#define CHECK(cond) unit_bool(!!(cond), __FILE__, __LINE__, #cond)
#define CHECK_STR(got, want) unit_str((got), (want), __FILE__, __LINE__, #got)
#define CHECK_INT(got, want) \
	unit_int((long long)(got), (long long)(want), __FILE__, __LINE__, #got)

/* main() of a unit test ends with: return unit_done(); */
static inline int unit_done(void)
{
	fflush(stdout);
	return 0;
}

#endif
