/* cost_prices.c - reading the price file and applying its prices (see
 * cost_prices.h for the format). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cost_prices.h"
#include "cost.h"
#include "config.h"
#include "cost_defaults.h"
#include "log.h"
#include "state.h"
#include "timeutil.h"
#include "xalloc.h"

#define MAX_WORDS 12

static void set_err(char *err, size_t errlen, const char *name, int line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void set_err(char *err, size_t errlen, const char *name, int line, const char *fmt, ...)
{
	char why[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s:%d: %s", name, line, why);
}

int phx_money_parse(const char *s, long long *micros)
{
	long long whole = 0, frac = 0;
	int digits = 0, fdigits = 0;
	const char *p = s;
	if (*p == '$')
		p++;
	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		if (whole > 1000000000000LL)
			return -1;
		whole = whole * 10 + (*p - '0');
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, fdigits++) {
			if (fdigits >= 6)
				return -1;
			frac = frac * 10 + (*p - '0');
		}
		if (fdigits == 0)
			return -1;
	}
	if (*p || digits == 0 || whole > 1000000000000LL)	/* a trillion dollars at most */
		return -1;
	for (int i = fdigits; i < 6; i++)
		frac *= 10;
	*micros = whole * 1000000LL + frac;
	return 0;
}

void phx_money_format(long long micros, char out[32])
{
	int neg = micros < 0;
	unsigned long long v = neg ? 0ULL - (unsigned long long)micros : (unsigned long long)micros;
	v = (v + 50) / 100;	/* to 1/10000 dollar */
	snprintf(out, 32, "%s$%llu.%04llu", neg ? "-" : "", v / 10000, v % 10000);
}

int phx_month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[(m - 1) % 12];
}

static int parse_count(const char *s, long long *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	long long mult = 1;
	if (end == s || errno || v <= 0)
		return -1;
	if (*end == 'k')
		mult = 1000LL, end++;
	else if (*end == 'M')
		mult = 1000000LL, end++;
	else if (*end == 'G')
		mult = 1000000000LL, end++;
	if (*end || v > 1000000000000000LL / mult)
		return -1;
	*out = v * mult;
	return 0;
}

/* Cut a line into words; returns the count, or -1 when there are too many
 * or one is too long. */
static int split(char *line, char *w[MAX_WORDS])
{
	int n = 0;
	char *p = line;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (!*p || *p == '#')
			return n;
		if (n == MAX_WORDS)
			return -1;
		w[n++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '#')
			p++;
		if ((size_t)(p - w[n - 1]) >= PHX_COST_WORD)
			return -1;
		if (*p == '#') {
			*p = '\0';
			return n;
		}
		if (*p)
			*p++ = '\0';
	}
}

static int parse_limit(phx_prices *p, char **w, int n, const char *name, int line, char *err,
		       size_t errlen)
{
	static const char *const names[] = { "budget", "month_warning", "month_critical",
		"day_warning", "day_critical", "property_target", "property_warning",
		"property_critical" };
	long long *slots[] = { &p->budget, &p->month_warn, &p->month_crit, &p->day_warn,
		&p->day_crit, &p->prop_target, &p->prop_warn, &p->prop_crit };
	long long v;
	if (n != 3) {
		set_err(err, errlen, name, line, "limit needs NAME USD");
		return -1;
	}
	if (phx_money_parse(w[2], &v) != 0) {
		set_err(err, errlen, name, line, "limit %s: '%s' is not an amount in USD", w[1],
			w[2]);
		return -1;
	}
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strcmp(w[1], names[i]) == 0) {
			*slots[i] = v;
			return 0;
		}
	set_err(err, errlen, name, line, "unknown limit '%s'", w[1]);
	return -1;
}

/* unit SERVICE WHAT USD per N from DATE [category CAT]
 * fixed SERVICE ITEM USD from DATE [category CAT] */
static int parse_price(phx_prices *p, char **w, int n, const char *name, int line, char *err,
		       size_t errlen)
{
	phx_price pr;
	int kind = strcmp(w[0], "unit") == 0 ? PHX_PRICE_UNIT : PHX_PRICE_FIXED;
	int i = 4, y, m, d;
	memset(&pr, 0, sizeof pr);
	pr.kind = kind;
	pr.per = 1;
	pr.line = line;
	if (n < 4) {
		set_err(err, errlen, name, line, "%s needs SERVICE %s USD", w[0],
			kind == PHX_PRICE_UNIT ? "WHAT" : "ITEM");
		return -1;
	}
	snprintf(pr.service, sizeof pr.service, "%s", w[1]);
	snprintf(pr.what, sizeof pr.what, "%s", w[2]);
	snprintf(pr.category, sizeof pr.category, "%s", w[1]);
	if (phx_money_parse(w[3], &pr.usd_micros) != 0) {
		set_err(err, errlen, name, line, "'%s' is not an amount in USD", w[3]);
		return -1;
	}
	if (kind == PHX_PRICE_UNIT) {
		if (i + 1 >= n || strcmp(w[i], "per") != 0 || parse_count(w[i + 1], &pr.per) != 0) {
			set_err(err, errlen, name, line, "unit needs 'per N' (N > 0) after the price");
			return -1;
		}
		i += 2;
	}
	if (i + 1 >= n || strcmp(w[i], "from") != 0 || phx_date_parse(w[i + 1], &y, &m, &d) != 0) {
		set_err(err, errlen, name, line, "needs 'from YYYY-MM-DD' (the day it takes effect)");
		return -1;
	}
	snprintf(pr.from, sizeof pr.from, "%s", w[i + 1]);
	i += 2;
	if (i < n) {
		if (i + 2 != n || strcmp(w[i], "category") != 0) {
			set_err(err, errlen, name, line, "unexpected '%s' (only 'category CAT')", w[i]);
			return -1;
		}
		snprintf(pr.category, sizeof pr.category, "%s", w[i + 1]);
	}
	if (kind == PHX_PRICE_FIXED && strcmp(pr.service, "*") == 0) {
		set_err(err, errlen, name, line, "a fixed fee needs a service, not '*'");
		return -1;
	}
	for (size_t k = 0; k < p->n; k++)
		if (p->v[k].kind == kind && strcmp(p->v[k].service, pr.service) == 0 &&
		    strcmp(p->v[k].what, pr.what) == 0 && strcmp(p->v[k].from, pr.from) == 0) {
			set_err(err, errlen, name, line, "%s %s %s from %s is already priced on line %d",
				w[0], pr.service, pr.what, pr.from, p->v[k].line);
			return -1;
		}
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->v = phx_xrealloc(p->v, p->cap * sizeof *p->v);
	}
	p->v[p->n++] = pr;
	return 0;
}

static int parse_line(phx_prices *p, char *text, const char *name, int line, char *err,
		      size_t errlen)
{
	char *w[MAX_WORDS];
	int n = split(text, w);
	if (n < 0) {
		set_err(err, errlen, name, line, "too many words, or a word of 64 bytes or more");
		return -1;
	}
	if (n == 0)
		return 0;
	if (strcmp(w[0], "unit") == 0 || strcmp(w[0], "fixed") == 0)
		return parse_price(p, w, n, name, line, err, errlen);
	if (strcmp(w[0], "limit") == 0)
		return parse_limit(p, w, n, name, line, err, errlen);
	if (strcmp(w[0], "direct") == 0 && n == 2) {
		p->direct = phx_xrealloc(p->direct, (p->ndirect + 1) * sizeof *p->direct);
		snprintf(p->direct[p->ndirect++], PHX_COST_WORD, "%s", w[1]);
		return 0;
	}
	set_err(err, errlen, name, line, "expected unit, fixed, limit or direct, not '%s'", w[0]);
	return -1;
}

int phx_prices_parse(const char *text, size_t len, const char *name, phx_prices *out,
		     char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	snprintf(out->name, sizeof out->name, "%s", name);
	out->budget = PHX_COST_BUDGET_MICROS;
	out->month_warn = PHX_COST_MONTH_WARN_MICROS;
	out->month_crit = PHX_COST_MONTH_CRIT_MICROS;
	out->day_warn = PHX_COST_DAY_WARN_MICROS;
	out->day_crit = PHX_COST_DAY_CRIT_MICROS;
	out->prop_target = 5000;
	out->prop_warn = 10000;
	out->prop_crit = 20000;
	int line = 0;
	size_t i = 0;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
		char *copy = phx_xstrndup(text + i, n);
		line++;
		int bad = strlen(copy) != n;
		if (bad)
			set_err(err, errlen, name, line, "NUL byte");
		if (bad || parse_line(out, copy, name, line, err, errlen) != 0) {
			free(copy);
			phx_prices_free(out);
			return -1;
		}
		free(copy);
		i += n + 1;
	}
	return 0;
}

int phx_prices_load(const char *path, phx_prices *out)
{
	static const char *const envs[] = { "PHX_PRICES", NULL };
	char xdg[4096], err[512];
	const char *file = phx_setting(path, envs, "cost.prices", NULL);
	if (!file) {
		const char *x = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
		if (x && *x)
			snprintf(xdg, sizeof xdg, "%s/phx/prices.conf", x);
		else
			snprintf(xdg, sizeof xdg, "%s/.config/phx/prices.conf", home ? home : "/");
		if (access(xdg, F_OK) == 0)
			file = xdg;
	}
	if (!file) {
		if (phx_prices_parse(phx_default_prices, strlen(phx_default_prices), "(built-in)",
				     out, err, sizeof err) == 0)
			return 0;
		phx_err("%s", err);
		return -1;
	}
	size_t len;
	char *text = phx_read_file(file, &len);
	if (!text) {
		phx_err("%s: %s", file, strerror(errno));
		return -1;
	}
	int rc = phx_prices_parse(text, len, file, out, err, sizeof err);
	free(text);
	if (rc != 0)
		phx_err("%s", err);
	return rc;
}

void phx_prices_free(phx_prices *p)
{
	free(p->v);
	free(p->direct);
	p->v = NULL;
	p->direct = NULL;
	p->n = p->cap = p->ndirect = 0;
}

/* The latest price of kind for service/what in effect on day. */
static const phx_price *find(const phx_prices *p, int kind, const char *service,
			     const char *what, const char *day)
{
	const phx_price *best = NULL;
	for (size_t i = 0; i < p->n; i++) {
		const phx_price *c = &p->v[i];
		if (c->kind == kind && strcmp(c->service, service) == 0 &&
		    strcmp(c->what, what) == 0 && strcmp(c->from, day) <= 0 &&
		    (!best || strcmp(c->from, best->from) > 0))
			best = c;
	}
	return best;
}

const phx_price *phx_price_unit(const phx_prices *p, const char *service, const char *what,
				const char *day)
{
	const phx_price *u = find(p, PHX_PRICE_UNIT, service, what, day);
	return u ? u : find(p, PHX_PRICE_UNIT, "*", what, day);
}

long long phx_price_cost(const phx_price *u, long long qty)
{
	__int128 c = (__int128)qty * u->usd_micros / u->per;
	return c > (__int128)PHX_COST_MAX ? PHX_COST_MAX : (long long)c;
}

long long phx_price_units(const phx_price *u, long long usd_micros)
{
	if (u->usd_micros <= 0 || usd_micros <= 0)
		return 0;
	__int128 n = (__int128)usd_micros * u->per / u->usd_micros;
	return n > (__int128)PHX_COST_MAX ? PHX_COST_MAX : (long long)n;
}

long long phx_prices_fixed_day(const phx_prices *p, int y, int m, int d,
			       void (*each)(const phx_price *, long long, void *), void *ctx)
{
	char day[16];
	long long total = 0;
	int nd = phx_month_days(y, m);
	snprintf(day, sizeof day, "%04d-%02d-%02d", y, m, d);
	for (size_t i = 0; i < p->n; i++) {
		const phx_price *c = &p->v[i];
		if (c->kind != PHX_PRICE_FIXED || find(p, PHX_PRICE_FIXED, c->service, c->what,
						       day) != c || c->usd_micros == 0)
			continue;
		long long share = (long long)((__int128)c->usd_micros * d / nd -
					      (__int128)c->usd_micros * (d - 1) / nd);
		total = phx_cost_add(total, share);
		if (each)
			each(c, share, ctx);
	}
	return total;
}

int phx_prices_is_direct(const phx_prices *p, const char *service)
{
	for (size_t i = 0; i < p->ndirect; i++)
		if (strcmp(p->direct[i], service) == 0)
			return 1;
	return 0;
}
