/* jsonwrite.c - compact JSON writer over jansson values. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "jsonwrite.h"

static void write_integer(phx_buf *out, json_int_t v)
{
	char tmp[24];
	char *p = tmp + sizeof tmp;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	phx_buf_add(out, p, (size_t)(tmp + sizeof tmp - p));
}

/* Reals with at most `decimals` decimals (scores, ratios, coordinates) are
 * the common case: written without the printf machinery when
 * v * 10^decimals is an integer m below 10^15 and m / 10^decimals gives v
 * back. That decimal then reads back as v (one correctly rounded division),
 * and with trailing zeros dropped it is the shortest that does: below 10^9
 * two doubles are closer than 10^-6. 0 when v is not such a real. */
static int write_decimal_real(phx_buf *out, double v, int decimals, double scale)
{
	double scaled = v * scale;
	char frac[8];
	long long m, unit;
	int len, i;

	if (!(fabs(scaled) < 1e15) || scaled != (double)(long long)scaled)
		return 0;
	m = (long long)scaled;
	if ((double)m / scale != v)
		return 0;
	if (m < 0 || (m == 0 && signbit(v))) {
		phx_buf_addc(out, '-');
		m = -m;
	}
	for (unit = 1, i = 0; i < decimals; i++)
		unit *= 10;
	write_integer(out, m / unit);
	for (i = decimals - 1, m %= unit; i >= 0; i--, m /= 10)
		frac[i] = (char)('0' + m % 10);
	len = decimals;
	while (len > 1 && frac[len - 1] == '0')
		len--;
	phx_buf_addc(out, '.');
	phx_buf_add(out, frac, (size_t)len);
	return 1;
}

static int write_short_real(phx_buf *out, double v)
{
	return write_decimal_real(out, v, 3, 1e3) || write_decimal_real(out, v, 6, 1e6);
}

/* Shortest %.Ng that reads back as the same double; always with a '.' or an
 * exponent so that it stays a real when read again. */
static void write_real(phx_buf *out, double v)
{
	char tmp[40];
	int n = 0;
	if (!isfinite(v)) {
		phx_buf_adds(out, "null");	/* JSON has no NaN or Infinity */
		return;
	}
	if (write_short_real(out, v))
		return;
	/* %.15g is exact for every decimal of up to 15 digits, which is what
	 * scores and coordinates are; 16 and 17 digits cover the rest. */
	for (int prec = 15; prec <= 17; prec++) {
		n = snprintf(tmp, sizeof tmp, "%.*g", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	phx_buf_add(out, tmp, (size_t)n);
	if (!strpbrk(tmp, ".eEn"))
		phx_buf_adds(out, ".0");
}

void phx_json_write(phx_buf *out, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *key;
		size_t key_len;
		json_t *member;
		int first = 1;
		phx_buf_addc(out, '{');
		json_object_keylen_foreach((json_t *)v, key, key_len, member) {
			if (!first)
				phx_buf_addc(out, ',');
			first = 0;
			phx_buf_add_json_string(out, key, key_len);
			phx_buf_addc(out, ':');
			phx_json_write(out, member);
		}
		phx_buf_addc(out, '}');
		break;
	}
	case JSON_ARRAY: {
		size_t i;
		json_t *item;
		phx_buf_addc(out, '[');
		json_array_foreach(v, i, item) {
			if (i)
				phx_buf_addc(out, ',');
			phx_json_write(out, item);
		}
		phx_buf_addc(out, ']');
		break;
	}
	case JSON_STRING:
		phx_buf_add_json_string(out, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		write_integer(out, json_integer_value(v));
		break;
	case JSON_REAL:
		write_real(out, json_real_value(v));
		break;
	case JSON_TRUE:
		phx_buf_adds(out, "true");
		break;
	case JSON_FALSE:
		phx_buf_adds(out, "false");
		break;
	case JSON_NULL:
		phx_buf_adds(out, "null");
		break;
	}
}
