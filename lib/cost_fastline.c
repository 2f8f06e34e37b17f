/* cost_fastline.c - a usage line as the tools write it, read without
 * building a JSON tree (see phx_cost_fastline in cost_ledger.h).
 *
 * Why: parsing every line into jansson values was most of phx-cost's time
 * over a big journal. The tools write usage lines with jansson's compact
 * dump: one flat object, no whitespace, plain ASCII strings, integers. This
 * reader takes only lines whose every byte it checked against that narrow
 * form, and only when they are valid usage lines; for anything else (an
 * escape, a UTF-8 byte, a space, a real number, nesting, a duplicate key, a
 * missing field) it answers 0 and the full parser decides and words the
 * warning, so the two cannot disagree on what is counted. */
#include <string.h>
#include "cost_ledger.h"

#define MAX_MEMBERS 32
#define MAX_DIGITS 18	/* below 10^18: no overflow, no range check needed */

typedef struct member {
	const char *k, *v;
	size_t kn, vn;
	char type;	/* 's' string, 'i' integer, 't' true, 'f' false, 'n' null */
	long long i;
} member;

/* A string from s[p] == '"'; its body is [*b, *b + *bn). Returns the index
 * past the closing quote, or 0 for anything but plain printable ASCII. */
static size_t plain_string(const char *s, size_t p, size_t end, const char **b, size_t *bn)
{
	size_t q = p + 1;
	while (q < end && s[q] != '"') {
		unsigned char c = (unsigned char)s[q];
		if (c < 0x20 || c > 0x7e || c == '\\')
			return 0;
		q++;
	}
	if (q >= end)
		return 0;
	*b = s + p + 1;
	*bn = q - p - 1;
	return q + 1;
}

/* An integer in the strict JSON grammar, at most 18 digits. */
static size_t integer(const char *s, size_t p, size_t end, long long *out)
{
	int neg = s[p] == '-';
	size_t q = p + (size_t)neg, digits = 0;
	long long v = 0;
	if (q >= end || s[q] < '0' || s[q] > '9' || (s[q] == '0' && q + 1 < end &&
						      s[q + 1] >= '0' && s[q + 1] <= '9'))
		return 0;
	for (; q < end && s[q] >= '0' && s[q] <= '9'; q++) {
		if (++digits > MAX_DIGITS)
			return 0;
		v = v * 10 + (s[q] - '0');
	}
	*out = neg ? -v : v;
	return q;
}

static size_t literal(const char *s, size_t p, size_t end, const char *word, size_t n)
{
	return end - p >= n && memcmp(s + p, word, n) == 0 ? p + n : 0;
}

/* Split {"k":v,...} into members; 0 for anything outside the narrow form. */
static size_t split(const char *s, size_t n, member *m)
{
	size_t p = 1, end = n - 1, count = 0;
	if (n < 2 || s[0] != '{' || s[end] != '}' || p == end)
		return 0;
	for (;;) {
		if (count == MAX_MEMBERS || s[p] != '"')
			return 0;
		member *e = &m[count++];
		p = plain_string(s, p, end, &e->k, &e->kn);
		if (!p || p >= end || s[p] != ':')
			return 0;
		p++;
		if (p >= end)
			return 0;
		e->v = s + p;
		char c = s[p];
		if (c == '"') {
			e->type = 's';
			p = plain_string(s, p, end, &e->v, &e->vn);
		} else if (c == '-' || (c >= '0' && c <= '9')) {
			e->type = 'i';
			p = integer(s, p, end, &e->i);
		} else if (c == 't' || c == 'f' || c == 'n') {
			e->type = c;
			p = literal(s, p, end, c == 't' ? "true" : c == 'f' ? "false" : "null",
				    c == 'f' ? 5 : 4);
		} else {
			return 0;
		}
		if (!p)
			return 0;
		if (p == end)
			break;
		if (s[p] != ',')
			return 0;
		p++;
	}
	for (size_t i = 0; i < count; i++)	/* a key twice: the full parser refuses it */
		for (size_t j = i + 1; j < count; j++)
			if (m[i].kn == m[j].kn && memcmp(m[i].k, m[j].k, m[i].kn) == 0)
				return 0;
	return count;
}

static const member *get(const member *m, size_t n, const char *key)
{
	size_t kn = strlen(key);
	for (size_t i = 0; i < n; i++)
		if (m[i].kn == kn && memcmp(m[i].k, key, kn) == 0)
			return &m[i];
	return NULL;
}

/* A word as copy_word takes it: required non-empty, or absent/null/string. */
static int word(char dst[PHX_COST_WORD], const member *e, int need)
{
	dst[0] = '\0';
	if (!e || e->type == 'n')
		return need ? -1 : 0;
	if (e->type != 's' || e->vn >= PHX_COST_WORD || (need && e->vn == 0))
		return -1;
	memcpy(dst, e->v, e->vn);
	dst[e->vn] = '\0';
	return 0;
}

int phx_cost_fastline(const char *line, size_t len, phx_cost_ledger *cache, phx_cost_usage *u)
{
	member m[MAX_MEMBERS];
	size_t n = split(line, len, m);
	char at[40], why[8];
	if (!n)
		return 0;
	const member *phx = get(m, n, "phx"), *t = get(m, n, "at"), *qty = get(m, n, "qty");
	const member *bytes = get(m, n, "bytes"), *proxy = get(m, n, "proxy");
	const member *changed = get(m, n, "changed"), *status = get(m, n, "status");
	memset(u, 0, sizeof *u);
	if (!phx || phx->type != 's' || phx->vn != 5 || memcmp(phx->v, "usage", 5) != 0 ||
	    !t || t->type != 's' || t->vn >= sizeof at)
		return 0;
	if (word(u->service, get(m, n, "service"), 1) || word(u->what, get(m, n, "what"), 1) ||
	    word(u->tool, get(m, n, "tool"), 0) || word(u->source, get(m, n, "source"), 0) ||
	    word(u->zip, get(m, n, "zip"), 0) || !qty || qty->type != 'i' || qty->i < 0 ||
	    (bytes && (bytes->type != 'i' || bytes->i < 0)) ||
	    (proxy && proxy->type != 'n' && proxy->type != 's'))
		return 0;
	memcpy(at, t->v, t->vn);
	at[t->vn] = '\0';
	if (phx_cost_day_of(cache, at, u->day, why, sizeof why) != 0)
		return 0;
	u->qty = qty->i;
	u->bytes = bytes ? bytes->i : 0;
	u->proxied = (proxy && proxy->type == 's') || strcmp(u->what, "proxy_bytes") == 0;
	u->outcome = PHX_OUTCOME_OK;
	if (changed && changed->type == 'f')
		u->outcome = PHX_OUTCOME_UNCHANGED;
	else if (status && status->type == 'i' && status->i == 304)
		u->outcome = PHX_OUTCOME_UNCHANGED;
	else if (status && status->type == 'i' && (status->i == 0 || status->i >= 400))
		u->outcome = PHX_OUTCOME_FAILED;
	return 1;
}
