/* unit.h - the smallest test harness: each CHECK prints one TAP-like line. */
#ifndef PHX_UNIT_H
#define PHX_UNIT_H
#include <stdio.h>
#include <string.h>

static int unit_failed;

#define CHECK(cond) do { \
	if (cond) printf("ok - %s:%d %s\n", __FILE__, __LINE__, #cond); \
	else { printf("not ok - %s:%d %s\n", __FILE__, __LINE__, #cond); unit_failed++; } \
} while (0)

#define CHECK_STR(got, want) do { \
	const char *g_ = (got), *w_ = (want); \
	if (g_ && w_ && strcmp(g_, w_) == 0) printf("ok - %s:%d %s == \"%s\"\n", __FILE__, __LINE__, #got, w_); \
	else { printf("not ok - %s:%d %s\n#   got:  %s\n#   want: %s\n", __FILE__, __LINE__, #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)"); unit_failed++; } \
} while (0)

#define CHECK_INT(got, want) do { \
	long long g_ = (long long)(got), w_ = (long long)(want); \
	if (g_ == w_) printf("ok - %s:%d %s == %lld\n", __FILE__, __LINE__, #got, w_); \
	else { printf("not ok - %s:%d %s\n#   got:  %lld\n#   want: %lld\n", __FILE__, __LINE__, #got, g_, w_); unit_failed++; } \
} while (0)

/* main() of a unit test ends with: return unit_done(); */
static inline int unit_done(void) { fflush(stdout); return 0; }

#endif
