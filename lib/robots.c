/* robots.c - robots.txt parsing and matching (see robots.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "robots.h"
#include "xalloc.h"

typedef struct rule {
	char *pattern;
	int allow;
} rule;

struct phx_robots {
	rule *rules;
	size_t n, cap;
	double delay;
	int deny_all;		/* unreachable robots.txt: assume complete disallow */
};

phx_robots *phx_robots_new(int allow_all)
{
	phx_robots *r = phx_xcalloc(1, sizeof *r);
	r->deny_all = !allow_all;
	return r;
}

static void add_rule(phx_robots *r, const char *pat, size_t n, int allow)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->rules = phx_xrealloc(r->rules, r->cap * sizeof *r->rules);
	}
	r->rules[r->n].pattern = phx_xstrndup(pat, n);
	r->rules[r->n].allow = allow;
	r->n++;
}

static void trim(const char **s, const char **e)
{
	while (*s < *e && isspace((unsigned char)**s))
		(*s)++;
	while (*e > *s && isspace((unsigned char)(*e)[-1]))
		(*e)--;
}

/* Whether a User-agent value names agent: "*" aside, the value's product
 * token equals ours, case-insensitively ("phx-fetch/1.0" names phx-fetch). */
static int names_agent(const char *v, size_t n, const char *agent)
{
	size_t tok = 0;
	while (tok < n && (isalnum((unsigned char)v[tok]) || v[tok] == '-' || v[tok] == '_'))
		tok++;
	return tok > 0 && tok == strlen(agent) && strncasecmp(v, agent, tok) == 0;
}

/* A rule line of a group that applies to us. */
static void group_line(phx_robots *r, const char *k, size_t kn, const char *v, size_t vn)
{
	if (kn == 8 && strncasecmp(k, "disallow", 8) == 0 && vn > 0) {
		add_rule(r, v, vn, 0);
	} else if (kn == 5 && strncasecmp(k, "allow", 5) == 0 && vn > 0) {
		add_rule(r, v, vn, 1);
	} else if (kn == 11 && strncasecmp(k, "crawl-delay", 11) == 0) {
		char buf[32];
		size_t m = vn < sizeof buf - 1 ? vn : sizeof buf - 1;
		memcpy(buf, v, m);
		buf[m] = '\0';
		char *e;
		double d = strtod(buf, &e);
		if (e != buf && d > 0 && d < 86400 && d > r->delay)
			r->delay = d;
	}
}

/* One pass per kind of group: the rules of every group naming agent
 * (want_star 0), or of the "*" groups (want_star 1). Returns groups found. */
static int read_groups(phx_robots *r, const char *text, size_t len, const char *agent,
		       int want_star)
{
	int in_group = 0, member = 0, found = 0;
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *hash = memchr(p, '#', (size_t)(le - p));
		const char *ce = hash ? hash : le;
		const char *colon = memchr(p, ':', (size_t)(ce - p));
		if (colon) {
			const char *ks = p, *ke = colon, *vs = colon + 1, *ve = ce;
			trim(&ks, &ke);
			trim(&vs, &ve);
			size_t kn = (size_t)(ke - ks), vn = (size_t)(ve - vs);
			if (kn == 10 && strncasecmp(ks, "user-agent", 10) == 0) {
				if (!in_group)
					member = 0;	/* a new group starts */
				in_group = 1;
				int hit = want_star ? (vn == 1 && vs[0] == '*')
						    : names_agent(vs, vn, agent);
				if (hit && !member)
					found++;
				member |= hit;
			} else {
				in_group = 0;
				if (member)
					group_line(r, ks, kn, vs, vn);
			}
		}
		p = nl ? nl + 1 : end;
	}
	return found;
}

phx_robots *phx_robots_parse(const char *text, size_t len, const char *agent)
{
	phx_robots *r = phx_robots_new(1);
	if (!text)
		return r;
	if (read_groups(r, text, len, agent, 0) == 0)
		read_groups(r, text, len, agent, 1);
	return r;
}

/* Whether pat matches path: "*" is any run, a final "$" the end, and the
 * pattern is a prefix otherwise. One backtrack point (the last star), so
 * the time is at most pattern times path even for a hostile file. */
static int matches(const char *pat, const char *path)
{
	size_t pn = strlen(pat);
	int anchored = pn > 0 && pat[pn - 1] == '$';
	if (anchored)
		pn--;
	const char *star = NULL, *resume = NULL;
	size_t i = 0;
	const char *s = path;
	for (;;) {
		if (i == pn) {
			if (!anchored || *s == '\0')
				return 1;
		} else if (pat[i] == '*') {
			star = pat + ++i;
			resume = s;
			continue;
		} else if (*s != '\0' && pat[i] == *s) {
			i++;
			s++;
			continue;
		}
		if (!star || *resume == '\0')
			return 0;
		i = (size_t)(star - pat);	/* the star takes one more character */
		s = ++resume;
	}
}

int phx_robots_allowed(const phx_robots *r, const char *path)
{
	if (r->deny_all)
		return strcmp(path, "/robots.txt") == 0;
	if (strcmp(path, "/robots.txt") == 0)
		return 1;
	long best = -1;
	int allow = 1;
	for (size_t i = 0; i < r->n; i++) {
		if (!matches(r->rules[i].pattern, path))
			continue;
		long len = (long)strlen(r->rules[i].pattern);	/* the rule's specificity */
		if (len > best || (len == best && r->rules[i].allow)) {
			best = len;
			allow = r->rules[i].allow;
		}
	}
	return allow;
}

double phx_robots_crawl_delay(const phx_robots *r)
{
	return r->delay;
}

size_t phx_robots_rules(const phx_robots *r)
{
	return r->n;
}

void phx_robots_free(phx_robots *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->rules[i].pattern);
	free(r->rules);
	free(r);
}
