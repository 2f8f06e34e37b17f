/* threshold.c - Monitoring Plugins ranges and perfdata (see threshold.h).
 * Shared by phx-health and phx-cost so both read -w/-c the same way. */
#include "threshold.h"
#include "exitcode.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int parse_number(const char *s, size_t n, double *out)
{
	char tmp[40];
	if (n == 0 || n >= sizeof tmp)
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	char *end;
	errno = 0;
	double v = strtod(tmp, &end);
	if (errno || *end || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

int phx_range_parse(const char *s, phx_range *r)
{
	memset(r, 0, sizeof *r);
	if (!s || !*s)
		return 0;
	size_t len = strlen(s);
	if (len >= sizeof r->text)
		return -1;
	memcpy(r->text, s, len + 1);
	const char *p = s;
	if (*p == '@') {
		r->inside = 1;
		p++;
	}
	const char *colon = strchr(p, ':');
	if (!colon) {	/* "10": 0..10 */
		r->lo = 0;
		if (parse_number(p, strlen(p), &r->hi) != 0)
			goto bad;
	} else {
		size_t nlo = (size_t)(colon - p);
		if (nlo == 1 && *p == '~')
			r->lo_inf = 1;
		else if (nlo == 0)
			r->lo = 0;
		else if (parse_number(p, nlo, &r->lo) != 0)
			goto bad;
		const char *hi = colon + 1;
		if (!*hi)
			r->hi_inf = 1;
		else if (parse_number(hi, strlen(hi), &r->hi) != 0)
			goto bad;
	}
	if (!r->lo_inf && !r->hi_inf && r->lo > r->hi)
		goto bad;
	r->set = 1;
	return 0;
bad:
	memset(r, 0, sizeof *r);
	return -1;
}

int phx_range_alert(const phx_range *r, double v)
{
	if (!r || !r->set)
		return 0;
	int within = (r->lo_inf || v >= r->lo) && (r->hi_inf || v <= r->hi);
	return r->inside ? within : !within;
}

int phx_threshold_state(double v, const phx_range *warn, const phx_range *crit)
{
	if (phx_range_alert(crit, v))
		return PHX_MP_CRITICAL;
	if (phx_range_alert(warn, v))
		return PHX_MP_WARNING;
	return PHX_MP_OK;
}

const char *phx_mp_state_name(int state)
{
	switch (state) {
	case PHX_MP_OK: return "OK";
	case PHX_MP_WARNING: return "WARNING";
	case PHX_MP_CRITICAL: return "CRITICAL";
	default: return "UNKNOWN";
	}
}

static int severity(int state)
{
	switch (state) {
	case PHX_MP_OK: return 0;
	case PHX_MP_UNKNOWN: return 1;
	case PHX_MP_WARNING: return 2;
	default: return 3;
	}
}

int phx_mp_worst(int a, int b)
{
	return severity(a) >= severity(b) ? a : b;
}

/* %g keeps 0.95 and 1234 readable; perfdata wants '.' whatever the locale,
 * and phx never calls setlocale for LC_NUMERIC. */
static void add_number(phx_buf *b, double v)
{
	if (v == floor(v) && fabs(v) < 1e15)
		phx_buf_printf(b, "%.0f", v);
	else
		phx_buf_printf(b, "%.6g", v);
}

void phx_perfdata_add(phx_buf *b, const char *label, double value, const char *uom,
		      const phx_range *warn, const phx_range *crit,
		      int has_min, double min, int has_max, double max)
{
	if (b->len)
		phx_buf_addc(b, ' ');
	phx_buf_addc(b, '\'');
	for (const char *p = label; *p; p++) {
		if (*p == '\'')	/* a quote in a label is doubled */
			phx_buf_addc(b, '\'');
		phx_buf_addc(b, *p);
	}
	phx_buf_adds(b, "'=");
	add_number(b, value);
	if (uom)
		phx_buf_adds(b, uom);
	phx_buf_addc(b, ';');
	if (warn && warn->set)
		phx_buf_adds(b, warn->text);
	phx_buf_addc(b, ';');
	if (crit && crit->set)
		phx_buf_adds(b, crit->text);
	phx_buf_addc(b, ';');
	if (has_min)
		add_number(b, min);
	phx_buf_addc(b, ';');
	if (has_max)
		add_number(b, max);
}
