/* mls_values.c - value parsers of the MLS extractor (see mls_values.h). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "mls_values.h"
#include "timeutil.h"
#include "xalloc.h"

char *phx_mls_squeeze(char *s)
{
	size_t j = 0;
	int space = 0;
	for (size_t i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isspace(c) || (c == 0xC2 && (unsigned char)s[i + 1] == 0xA0)) {
			if (c == 0xC2)
				i++;
			space = j > 0;
			continue;
		}
		if (space)
			s[j++] = ' ';
		space = 0;
		s[j++] = (char)c;
	}
	s[j] = '\0';
	return s;
}

int phx_mls_is_null(const char *s)
{
	if (!s)
		return 1;
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return 1;
	size_t stars = 0;
	while (stars < n && s[stars] == '*')
		stars++;
	if (stars == n)
		return 1;
	static const char *const words[] = { "N/A", "NA", "-", "--", "None Provided",
					     "Not Available" };
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strlen(words[i]) == n && strncasecmp(s, words[i], n) == 0)
			return 1;
	return 0;
}

/* Digits with thousands commas from p; *end after them. -1 when none. */
static int grouped(const char *p, long long *v, const char **end)
{
	long long x = 0;
	int any = 0;
	for (; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			if (x > 1000000000000000LL)
				return -1;
			x = x * 10 + (*p - '0');
			any = 1;
		} else if (*p == ',' && any && isdigit((unsigned char)p[1])) {
			continue;
		} else {
			break;
		}
	}
	*end = p;
	if (!any)
		return -1;
	*v = x;
	return 0;
}

/* One "$1,234.56" from p (the "$" optional), rounded to dollars. */
static int one_price(const char *p, long long *v, const char **end)
{
	while (*p == ' ' || *p == '$')
		p++;
	if (grouped(p, v, end) != 0)
		return -1;
	p = *end;
	if (*p == '.' && isdigit((unsigned char)p[1])) {
		int cents = (p[1] - '0') * 10 + (isdigit((unsigned char)p[2]) ? p[2] - '0' : 0);
		p += 2;
		while (isdigit((unsigned char)*p))
			p++;
		if (cents >= 50)
			(*v)++;
		*end = p;
	}
	return 0;
}

int phx_mls_money(const char *s, long long *dollars, int *range)
{
	if (phx_mls_is_null(s))
		return -1;
	const char *p = s;
	while (*p && !isdigit((unsigned char)*p))
		p++;
	long long a, b;
	const char *e;
	if (one_price(p, &a, &e) != 0)
		return -1;
	*range = 0;
	while (*e == ' ')
		e++;
	/* "-" or an en dash (U+2013) between two prices */
	int dash = *e == '-' ? 1 : (strncmp(e, "\xe2\x80\x93", 3) == 0 ? 3 : 0);
	if (dash && one_price(e + dash, &b, &e) == 0) {
		*range = 1;
		if (b < a)
			a = b;
	}
	*dollars = a;
	return 0;
}

int phx_mls_int(const char *s, long long *v)
{
	if (phx_mls_is_null(s))
		return -1;
	const char *p = s, *e;
	while (*p && !isdigit((unsigned char)*p))
		p++;
	if (p > s && p[-1] == '-')
		return -1;	/* no negative counts on a listing */
	return grouped(p, v, &e);
}

int phx_mls_number(const char *s, double *v)
{
	if (phx_mls_is_null(s))
		return -1;
	const char *p = s;
	while (*p && !isdigit((unsigned char)*p) && !(*p == '.' && isdigit((unsigned char)p[1])))
		p++;
	if (!*p)
		return -1;
	char buf[64];
	size_t j = 0;
	for (; *p && j + 1 < sizeof buf; p++) {
		if (*p == ',' && isdigit((unsigned char)p[1]))
			continue;
		if (!isdigit((unsigned char)*p) && *p != '.')
			break;
		buf[j++] = *p;
	}
	buf[j] = '\0';
	char *end;
	double d = strtod(buf, &end);
	if (end == buf || !isfinite(d))
		return -1;
	*v = d;
	return 0;
}

static double bath_weight(const char *word)
{
	static const struct { const char *w; double v; } map[] = {
		{ "full", 1.0 }, { "three quarter", 0.75 }, { "three-quarter", 0.75 },
		{ "3/4", 0.75 }, { "half", 0.5 }, { "1/2", 0.5 }, { "quarter", 0.25 },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strncasecmp(word, map[i].w, strlen(map[i].w)) == 0)
			return map[i].v;
	return -1;
}

int phx_mls_baths(const char *s, double *v)
{
	if (phx_mls_is_null(s))
		return -1;
	/* "2 Full, 1 Half": counts each followed by a kind of bathroom */
	double total = 0;
	int parts = 0;
	const char *p = s;
	while (*p) {
		while (*p && !isdigit((unsigned char)*p))
			p++;
		if (!*p)
			break;
		char *end;
		double n = strtod(p, &end);
		const char *w = end;
		while (*w == ' ')
			w++;
		double k = bath_weight(w);
		if (k < 0)
			break;
		total += n * k;
		parts++;
		p = w;
		while (*p && *p != ',' && *p != ';')
			p++;
	}
	if (parts > 0) {
		*v = total;
		return 0;
	}
	return phx_mls_number(s, v);
}

long long phx_mls_acres_to_sqft(double acres)
{
	return llround(acres * 43560.0);
}

int phx_mls_lot(const char *s, long long *sqft, int *was_acres)
{
	double d;
	if (phx_mls_number(s, &d) != 0 || d > 1e9)
		return -1;
	*was_acres = strcasestr(s, "acre") != NULL;
	*sqft = *was_acres ? phx_mls_acres_to_sqft(d) : llround(d);
	return 0;
}

int phx_mls_yes_no(const char *s)
{
	if (phx_mls_is_null(s))
		return -1;
	while (isspace((unsigned char)*s))
		s++;
	static const char *const yes[] = { "y", "yes", "true" };
	static const char *const no[] = { "n", "no", "none", "false" };
	char w[16];
	size_t j = 0;
	while (s[j] && isalpha((unsigned char)s[j]) && j + 1 < sizeof w) {
		w[j] = (char)tolower((unsigned char)s[j]);
		j++;
	}
	w[j] = '\0';
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (strcmp(w, yes[i]) == 0)
			return 1;
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		if (strcmp(w, no[i]) == 0)
			return 0;
	return -1;
}

const char *phx_mls_status(const char *word, const char **detail)
{
	static const struct { const char *prefix, *status, *detail; } map[] = {
		{ "ucb", "active", "UCB" },	/* ARMLS sub-statuses of Active */
		{ "ccbs", "active", "CCBS" },
		{ "active ucb", "active", "UCB" },
		{ "active ccbs", "active", "CCBS" },
		{ "active under contract", "active", "Active Under Contract" },
		{ "active with contingent", "active", "Active With Contingent" },
		{ "active", "active", NULL },
		{ "coming soon", "coming_soon", NULL },
		{ "pending", "pending", NULL },
		{ "closed", "sold", NULL },
		{ "sold", "sold", NULL },
		{ "temp off market", "off_market", NULL },
		{ "hold", "off_market", NULL },
		{ "off market", "off_market", NULL },
		{ "cancelled", "withdrawn", NULL },
		{ "canceled", "withdrawn", NULL },
		{ "withdrawn", "withdrawn", NULL },
		{ "expired", "expired", NULL },
	};
	*detail = NULL;
	if (phx_mls_is_null(word))
		return "unknown";
	while (isspace((unsigned char)*word))
		word++;
	char w[96];
	size_t j = 0;
	for (const char *p = word; *p && j + 1 < sizeof w; p++)
		w[j++] = (*p == '-' || *p == '(' || *p == ',') ? ' '
			: (char)tolower((unsigned char)*p);
	w[j] = '\0';
	phx_mls_squeeze(w);
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
		size_t n = strlen(map[i].prefix);
		if (strncmp(w, map[i].prefix, n) == 0 && (w[n] == '\0' || w[n] == ' ')) {
			*detail = map[i].detail;
			return map[i].status;
		}
	}
	return "unknown";
}

const char *phx_mls_dwelling_type(const char *word)
{
	static const struct { const char *prefix, *type; } map[] = {
		{ "single family", "single_family" },
		{ "patio home", "townhouse" },
		{ "townhouse", "townhouse" },
		{ "gemini", "townhouse" },
		{ "apartment", "condo" },
		{ "loft", "condo" },
		{ "condo", "condo" },
		{ "mfg", "manufactured" },
		{ "manufactured", "manufactured" },
		{ "mobile", "manufactured" },
		{ "modular", "manufactured" },
		{ "multi", "multi_family" },
		{ "duplex", "multi_family" },
		{ "land", "vacant_land" },
		{ "lot", "vacant_land" },
	};
	if (phx_mls_is_null(word))
		return NULL;
	while (isspace((unsigned char)*word))
		word++;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strncasecmp(word, map[i].prefix, strlen(map[i].prefix)) == 0)
			return map[i].type;
	return NULL;
}

int phx_mls_date(const char *s, char out[11])
{
	int y, m, d;
	if (phx_mls_is_null(s))
		return -1;
	while (isspace((unsigned char)*s))
		s++;
	if (sscanf(s, "%d/%d/%d", &m, &d, &y) == 3 && y >= 1000 && y <= 9999) {
		char buf[16];
		snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m % 100, d % 100);
		if (phx_date_parse(buf, &y, &m, &d) != 0)
			return -1;
		memcpy(out, buf, 11);
		return 0;
	}
	if (strlen(s) >= 10 && phx_date_parse(s, &y, &m, &d) == 0) {
		memcpy(out, s, 10);
		out[10] = '\0';
		return 0;
	}
	return -1;
}

const char *phx_mls_frequency(const char *s)
{
	static const struct { const char *prefix, *name; } map[] = {
		{ "month", "monthly" }, { "quarter", "quarterly" },
		{ "semi", "semi_annually" }, { "annual", "annually" }, { "year", "annually" },
	};
	if (phx_mls_is_null(s))
		return NULL;
	while (isspace((unsigned char)*s))
		s++;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strncasecmp(s, map[i].prefix, strlen(map[i].prefix)) == 0)
			return map[i].name;
	return NULL;
}

int phx_mls_id_from_url(const char *url, char *out, size_t n)
{
	if (!url || n == 0)
		return -1;
	size_t end = strcspn(url, "?#");
	const char *hit = NULL;
	for (const char *p = url; p + 5 <= url + end; p++)
		if (strncmp(p, "-mls_", 5) == 0)
			hit = p + 5;	/* the last one: an address slug may not hold it */
	if (!hit)
		return -1;
	size_t j = 0;
	while (hit + j < url + end && isalnum((unsigned char)hit[j]))
		j++;
	if (j == 0 || j >= n || (hit + j < url + end && hit[j] != '/'))
		return -1;
	memcpy(out, hit, j);
	out[j] = '\0';
	return 0;
}

char *phx_mls_canonical_url(const char *url)
{
	return phx_xstrndup(url, strcspn(url, "?#"));
}
