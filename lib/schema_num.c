/* schema_num.c - exact number comparison, so an integer beyond 2^53 is never
 * rounded to a double before it is compared with a limit. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "schema_int.h"

void phx_num_from_json(phx_num *out, const json_t *v)
{
	out->is_int = json_is_integer(v);
	out->i = out->is_int ? json_integer_value(v) : 0;
	out->d = out->is_int ? (double)out->i : json_real_value(v);
}

/* i compared with d, exactly. d is finite (jansson refuses NaN and Inf). */
static int cmp_int_real(json_int_t i, double d)
{
	if (d >= 9223372036854775808.0)
		return -1;
	if (d < -9223372036854775808.0)
		return 1;
	double fl = floor(d);
	long long li = (long long)fl;

	if (i < li)
		return -1;
	if (i > li)
		return 1;
	return d > fl ? -1 : 0;
}

int phx_num_cmp(const phx_num *a, const phx_num *b)
{
	if (a->is_int && b->is_int)
		return (a->i > b->i) - (a->i < b->i);
	if (a->is_int)
		return cmp_int_real(a->i, b->d);
	if (b->is_int)
		return -cmp_int_real(b->i, a->d);
	return (a->d > b->d) - (a->d < b->d);
}

void phx_num_format(const phx_num *n, char *buf, size_t len)
{
	if (n->is_int) {
		snprintf(buf, len, "%lld", (long long)n->i);
		return;
	}
	snprintf(buf, len, "%.15g", n->d);
	if (strtod(buf, NULL) != n->d)
		snprintf(buf, len, "%.17g", n->d);
	/* A real stays visibly a real: 2.0, not 2 (which would read as an integer). */
	if (!strpbrk(buf, ".eE") && strlen(buf) + 3 <= len)
		memcpy(buf + strlen(buf), ".0", 3);
}
