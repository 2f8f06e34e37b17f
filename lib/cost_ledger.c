/* cost_ledger.c - summing usage lines into the ledger's buckets, and reading
 * the journal from where the last run stopped (see cost_ledger.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cost_ledger.h"
#include "log.h"
#include "ndjson.h"
#include "sha256.h"
#include "timeutil.h"
#include "xalloc.h"

#define MAX_WARNINGS 20
#define MAX_USAGE_LINE ((size_t)1 << 20)

static int copy_word(char *dst, const json_t *v, const char *name, int need, char *why,
		     size_t whylen)
{
	dst[0] = '\0';
	if (!v || json_is_null(v)) {
		if (need)
			snprintf(why, whylen, "no \"%s\"", name);
		return need ? -1 : 0;
	}
	if (!json_is_string(v)) {
		snprintf(why, whylen, "\"%s\" is not a string", name);
		return -1;
	}
	size_t n = json_string_length(v);
	if (n >= PHX_COST_WORD || (need && n == 0) || strlen(json_string_value(v)) != n) {
		snprintf(why, whylen, "\"%s\" is empty, too long (64 bytes or more) or holds NUL",
			 name);
		return -1;
	}
	memcpy(dst, json_string_value(v), n + 1);
	return 0;
}

static int get_count(const json_t *v, const char *name, long long *out, char *why,
		     size_t whylen)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		snprintf(why, whylen, "\"%s\" is not an integer >= 0", name);
		return -1;
	}
	*out = json_integer_value(v);
	return 0;
}

/* The Phoenix day of an RFC 3339 time. Lines of one UTC hour written with
 * "Z" share a day, so the last one is remembered. */
int phx_cost_day_of(phx_cost_ledger *c, const char *at, char day[11], char *why,
		    size_t whylen)
{
	size_t n = strlen(at);
	int cacheable = n >= 20 && n < 40 && at[n - 1] == 'Z' && at[10] == 'T';
	if (c && cacheable && c->last_day[0] && memcmp(c->last_at, at, 13) == 0) {
		memcpy(day, c->last_day, 11);
		return 0;
	}
	time_t t;
	char d[16];
	if (phx_time_parse(at, &t) != 0) {
		snprintf(why, whylen, "\"at\" is not an RFC 3339 time");
		return -1;
	}
	phx_phoenix_date(t, d);
	if (strlen(d) != 10) {	/* a year before 1000 or after 9999 */
		snprintf(why, whylen, "\"at\" is not a time of the years 1000 to 9999");
		return -1;
	}
	memcpy(day, d, 10);
	day[10] = '\0';
	if (c && cacheable) {
		memcpy(c->last_at, at, 13);
		memcpy(c->last_day, day, 11);
	}
	return 0;
}

static int outcome_of(const json_t *o)
{
	const json_t *changed = json_object_get(o, "changed");
	const json_t *st = json_object_get(o, "status");
	if (json_is_false(changed))
		return PHX_OUTCOME_UNCHANGED;
	if (json_is_integer(st)) {
		json_int_t s = json_integer_value(st);
		if (s == 304)
			return PHX_OUTCOME_UNCHANGED;
		if (s == 0 || s >= 400)
			return PHX_OUTCOME_FAILED;
	}
	return PHX_OUTCOME_OK;
}

int phx_cost_usage_parse(const char *line, size_t len, phx_cost_ledger *cache,
			 phx_cost_usage *u, char *why, size_t whylen)
{
	const char *code;
	char reason[160];
	json_t *o = phx_parse_object(line, len, &code, reason, sizeof reason);
	int rc = -1;
	memset(u, 0, sizeof *u);
	if (!o) {
		snprintf(why, whylen, "%s: %s", code, reason);
		return -1;
	}
	const json_t *phx = json_object_get(o, "phx"), *at = json_object_get(o, "at");
	const json_t *bytes = json_object_get(o, "bytes"), *proxy = json_object_get(o, "proxy");
	if (!json_is_string(phx) || strcmp(json_string_value(phx), "usage") != 0) {
		snprintf(why, whylen, "not a usage line (\"phx\" is not \"usage\")");
		goto out;
	}
	if (!json_is_string(at)) {
		snprintf(why, whylen, "no \"at\" time");
		goto out;
	}
	if (copy_word(u->service, json_object_get(o, "service"), "service", 1, why, whylen) ||
	    copy_word(u->what, json_object_get(o, "what"), "what", 1, why, whylen) ||
	    copy_word(u->tool, json_object_get(o, "tool"), "tool", 0, why, whylen) ||
	    copy_word(u->source, json_object_get(o, "source"), "source", 0, why, whylen) ||
	    copy_word(u->zip, json_object_get(o, "zip"), "zip", 0, why, whylen) ||
	    get_count(json_object_get(o, "qty"), "qty", &u->qty, why, whylen) ||
	    (bytes && get_count(bytes, "bytes", &u->bytes, why, whylen)) ||
	    phx_cost_day_of(cache, json_string_value(at), u->day, why, whylen))
		goto out;
	if (proxy && !json_is_null(proxy) && !json_is_string(proxy)) {
		snprintf(why, whylen, "\"proxy\" is not a string or null");
		goto out;
	}
	u->proxied = json_is_string(proxy) || strcmp(u->what, "proxy_bytes") == 0;
	u->outcome = outcome_of(o);
	rc = 0;
out:
	json_decref(o);
	return rc;
}

void phx_cost_ledger_init(phx_cost_ledger *l)
{
	memset(l, 0, sizeof *l);
	phx_sha256_hex("", 0, l->head);
}

void phx_cost_ledger_free(phx_cost_ledger *l)
{
	free(l->b);
	free(l->slot);
	memset(l, 0, sizeof *l);
}

static void mix(unsigned long long *h, const char *s)
{
	for (; *s; s++)
		*h = (*h ^ (unsigned char)*s) * 1099511628211ULL;
	*h = (*h ^ 0xff) * 1099511628211ULL;
}

static unsigned long long key_hash(const phx_cost_usage *k)
{
	unsigned long long h = 14695981039346656037ULL;
	mix(&h, k->day);
	mix(&h, k->tool);
	mix(&h, k->service);
	mix(&h, k->what);
	mix(&h, k->source);
	mix(&h, k->zip);
	return (h ^ (unsigned long long)(k->proxied * 3 + k->outcome)) * 1099511628211ULL;
}

static int key_eq(const phx_cost_usage *a, const phx_cost_usage *b)
{
	return a->proxied == b->proxied && a->outcome == b->outcome &&
	       strcmp(a->day, b->day) == 0 && strcmp(a->what, b->what) == 0 &&
	       strcmp(a->service, b->service) == 0 && strcmp(a->tool, b->tool) == 0 &&
	       strcmp(a->source, b->source) == 0 && strcmp(a->zip, b->zip) == 0;
}

static void rehash(phx_cost_ledger *l)
{
	free(l->slot);
	l->nslot = l->nslot ? l->nslot * 2 : 256;
	l->slot = phx_xcalloc(l->nslot, sizeof *l->slot);
	for (size_t i = 0; i < l->n; i++) {
		size_t s = key_hash(&l->b[i].k) & (l->nslot - 1);
		while (l->slot[s])
			s = (s + 1) & (l->nslot - 1);
		l->slot[s] = i + 1;
	}
}

static phx_cost_bucket *bucket_for(phx_cost_ledger *l, const phx_cost_usage *k)
{
	if ((l->n + 1) * 2 > l->nslot)
		rehash(l);
	size_t s = key_hash(k) & (l->nslot - 1);
	while (l->slot[s]) {
		phx_cost_bucket *b = &l->b[l->slot[s] - 1];
		if (key_eq(&b->k, k))
			return b;
		s = (s + 1) & (l->nslot - 1);
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->b = phx_xrealloc(l->b, l->cap * sizeof *l->b);
	}
	phx_cost_bucket *b = &l->b[l->n];
	memset(b, 0, sizeof *b);
	b->k = *k;
	b->k.qty = b->k.bytes = 0;
	snprintf(b->category, sizeof b->category, "unpriced");
	l->slot[s] = ++l->n;
	return b;
}

void phx_cost_ledger_add(phx_cost_ledger *l, const phx_cost_usage *u)
{
	phx_cost_bucket *b = bucket_for(l, u);
	b->lines++;
	b->qty = phx_cost_add(b->qty, u->qty);
	b->bytes = phx_cost_add(b->bytes, u->bytes);
	b->dirty = 1;
}

static void take_line(phx_cost_ledger *l, const char *s, size_t n, const char *name)
{
	phx_cost_usage u;
	char why[256];
	l->lines++;
	if (l->lines == 1 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {	/* a BOM */
		s += 3;
		n -= 3;
	}
	if (n && s[n - 1] == '\r')
		n--;
	if (n == 0)
		return;
	if (n > MAX_USAGE_LINE) {
		snprintf(why, sizeof why, "input.too_long: a usage line over 1 MiB");
	} else if (phx_cost_fastline(s, n, l, &u) == 1 ||
		   phx_cost_usage_parse(s, n, l, &u, why, sizeof why) == 0) {
		phx_cost_ledger_add(l, &u);
		return;
	}
	l->bad_lines++;
	if (l->warned++ < MAX_WARNINGS)
		phx_warn("%s:%llu: skipped, not counted: %s", name, l->lines, why);
	else if (l->warned == MAX_WARNINGS + 1)
		phx_warn("%s: more malformed lines skipped; the ledger counts them", name);
}

long long phx_cost_ledger_read(phx_cost_ledger *l, int fd, const char *name, int whole)
{
	size_t cap = 1 << 20, have = 0;
	char *buf = phx_xmalloc(cap);
	long long used = 0;
	int skipping = 0;	/* inside a line too long to hold */
	for (;;) {
		ssize_t r = read(fd, buf + have, cap - have);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			phx_err("%s: %s", name, strerror(errno));
			free(buf);
			return -1;
		}
		if (r == 0)
			break;
		have += (size_t)r;
		size_t start = 0;
		char *nl;
		while ((nl = memchr(buf + start, '\n', have - start))) {
			size_t n = (size_t)(nl - (buf + start));
			if (!skipping)
				take_line(l, buf + start, n, name);
			skipping = 0;
			start += n + 1;
		}
		used += (long long)start;
		memmove(buf, buf + start, have - start);
		have -= start;
		if (have == cap) {	/* no newline in 1 MiB: count it once, drop it */
			if (!skipping)
				take_line(l, buf, MAX_USAGE_LINE + 1, name);
			skipping = 1;
			used += (long long)have;
			have = 0;
		}
	}
	if (whole && have && !skipping) {
		take_line(l, buf, have, name);
		used += (long long)have;
	}
	free(buf);
	return used;
}

void phx_cost_ledger_price(phx_cost_ledger *l, const phx_prices *p, const char *from)
{
	for (size_t i = 0; i < l->n; i++) {
		phx_cost_bucket *b = &l->b[i];
		if (!b->dirty && strcmp(b->k.day, from) < 0)
			continue;
		const phx_price *u = phx_price_unit(p, b->k.service, b->k.what, b->k.day);
		b->priced = u != NULL;
		b->usd_micros = u ? phx_price_cost(u, b->qty) : 0;
		snprintf(b->category, sizeof b->category, "%s", u ? u->category : "unpriced");
		b->dirty = 0;
	}
}
