/* fastre.c - simple patterns as a list of steps, run as an NFA over a state
 * set: O(length * steps), no backtracking, no allocation per match. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fastre.h"
#include "xalloc.h"

#define MAX_STEPS 256
#define MAX_BRANCHES 16

enum { ONE, OPT, STAR };

typedef struct step {
	uint8_t set[32];	/* the bytes this step accepts */
	uint8_t kind;
} step;

typedef struct branch {
	step *steps;
	size_t n, cap;
	int bol, eol;
	/* With fewer than 64 steps, state sets are bits of one word:
	 * bit k = "step k is next". accept[c] = the steps that take byte c. */
	uint64_t *accept;	/* 256 words, or NULL */
	uint64_t star, eps;	/* steps that loop; steps that may be skipped */
} branch;

struct phx_fastre {
	branch *br;
	size_t nbr;
};

static void set_add(uint8_t *set, unsigned c)
{
	set[c >> 3] |= (uint8_t)(1u << (c & 7));
}

static int set_has(const uint8_t *set, unsigned char c)
{
	return (set[c >> 3] >> (c & 7)) & 1;
}

/* "[...]" at *pp (screened before: no backslash, no [: classes, ASCII only). */
static int parse_class(const char **pp, uint8_t *set)
{
	const char *p = *pp + 1;
	int negate = *p == '^';
	uint8_t tmp[32] = { 0 };

	p += negate;
	if (*p == ']' || *p == '\0')
		return -1;
	while (*p && *p != ']') {
		unsigned lo = (unsigned char)*p, hi = lo;

		if (p[1] == '-' && p[2] && p[2] != ']') {
			hi = (unsigned char)p[2];
			if (hi < lo)
				return -1;
			p += 3;
		} else {
			p++;
		}
		for (unsigned c = lo; c <= hi; c++)
			set_add(tmp, c);
	}
	if (*p != ']')
		return -1;
	for (int i = 0; i < 32; i++)
		set[i] = negate ? (uint8_t)~tmp[i] : tmp[i];
	*pp = p + 1;
	return 0;
}

static int parse_atom(const char **pp, uint8_t *set)
{
	const char *p = *pp;

	memset(set, 0, 32);
	if (*p == '[')
		return parse_class(pp, set);
	if (*p == '.') {
		memset(set, 0xff, 32);
		set[0] &= (uint8_t)~1u;	/* glibc: "." never matches NUL */
	} else if (*p == '\\' && p[1] && strchr(".*+?()[]{}|\\^$/", p[1])) {
		set_add(set, (unsigned char)*++p);
	} else if (strchr("()|*+?{}^$\\", *p)) {
		return -1;
	} else {
		set_add(set, (unsigned char)*p);
	}
	*pp = p + 1;
	return 0;
}

static int read_count(const char **pp, long *out)
{
	const char *p = *pp;
	long v = 0;

	if (*p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9' && v <= MAX_STEPS)
		v = v * 10 + (*p++ - '0');
	*out = v;
	*pp = p;
	return v > MAX_STEPS ? -1 : 0;
}

/* Quantifier at *pp: min and max (-1 = unbounded); none is {1,1}. */
static int parse_quant(const char **pp, long *min, long *max)
{
	const char *p = *pp;

	*min = 1;
	*max = 1;
	if (*p == '*' || *p == '+' || *p == '?') {
		*min = *p == '+';
		*max = *p == '?' ? 1 : -1;
		*pp = p + 1;
		return 0;
	}
	if (*p != '{')
		return 0;
	p++;
	if (read_count(&p, min) < 0)
		return -1;
	*max = *min;
	if (*p == ',') {
		p++;
		*max = -1;
		if (*p != '}' && (read_count(&p, max) < 0 || *max < *min))
			return -1;
	}
	if (*p != '}')
		return -1;
	*pp = p + 1;
	return 0;
}

static int add_step(branch *b, const uint8_t *set, int kind)
{
	if (b->n == MAX_STEPS)
		return -1;
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 8;
		b->steps = phx_xrealloc(b->steps, b->cap * sizeof *b->steps);
	}
	memcpy(b->steps[b->n].set, set, 32);
	b->steps[b->n++].kind = (uint8_t)kind;
	return 0;
}

/* One alternative, up to "|", ")" or the end. */
static int parse_branch(const char **pp, branch *b, int anchors_allowed)
{
	const char *p = *pp;
	uint8_t set[32];
	long min, max;

	if (*p == '^') {
		if (!anchors_allowed)
			return -1;
		b->bol = 1;
		p++;
	}
	while (*p && *p != '|' && *p != ')') {
		if (*p == '$') {
			if (!anchors_allowed || (p[1] && p[1] != '|' && p[1] != ')'))
				return -1;
			b->eol = 1;
			p++;
			break;
		}
		if (parse_atom(&p, set) < 0 || parse_quant(&p, &min, &max) < 0)
			return -1;
		if (*p == '*' || *p == '+' || *p == '?' || *p == '{')
			return -1;	/* stacked quantifiers: leave to regexec */
		for (long i = 0; i < min; i++)
			if (add_step(b, set, ONE) < 0)
				return -1;
		if (max < 0 && add_step(b, set, STAR) < 0)
			return -1;
		for (long i = min; max >= 0 && i < max; i++)
			if (add_step(b, set, OPT) < 0)
				return -1;
	}
	*pp = p;
	return 0;
}

static branch *new_branch(phx_fastre *re)
{
	if (re->nbr == MAX_BRANCHES)
		return NULL;
	re->br = phx_xrealloc(re->br, (re->nbr + 1) * sizeof *re->br);
	memset(&re->br[re->nbr], 0, sizeof *re->br);
	return &re->br[re->nbr++];
}

/* "^(A|B)$" (anchors optional): the anchors apply to every alternative. */
static int parse_group(phx_fastre *re, const char *p)
{
	int bol = *p == '^', eol;
	branch *b;

	p += bol;
	if (*p != '(')
		return -1;
	p++;
	for (;;) {
		if (!(b = new_branch(re)) || parse_branch(&p, b, 0) < 0)
			return -1;
		if (*p != '|')
			break;
		p++;
	}
	if (*p != ')')
		return -1;
	p++;
	eol = *p == '$';
	if (p[eol] != '\0')
		return -1;
	for (size_t i = 0; i < re->nbr; i++) {
		re->br[i].bol = bol;
		re->br[i].eol = eol;
	}
	return 0;
}

static void make_masks(branch *b)
{
	if (b->n >= 64)
		return;
	b->accept = phx_xcalloc(256, sizeof *b->accept);
	for (size_t k = 0; k < b->n; k++) {
		for (unsigned c = 0; c < 256; c++)
			if (set_has(b->steps[k].set, (unsigned char)c))
				b->accept[c] |= 1ULL << k;
		if (b->steps[k].kind == STAR)
			b->star |= 1ULL << k;
		if (b->steps[k].kind != ONE)
			b->eps |= 1ULL << k;
	}
}

static int parse_alternatives(phx_fastre *re, const char *p)
{
	branch *b;

	for (;;) {
		if (!(b = new_branch(re)) || parse_branch(&p, b, 1) < 0)
			return -1;
		if (*p != '|')
			break;
		p++;
	}
	return *p == '\0' ? 0 : -1;
}

phx_fastre *phx_fastre_compile(const char *pattern)
{
	phx_fastre *re = phx_xcalloc(1, sizeof *re);
	const char *p = pattern + (pattern[0] == '^');
	int ok = *p == '(' ? parse_group(re, pattern) : parse_alternatives(re, pattern);

	if (ok < 0) {
		phx_fastre_free(re);
		return NULL;
	}
	for (size_t i = 0; i < re->nbr; i++)
		make_masks(&re->br[i]);
	return re;
}

void phx_fastre_free(phx_fastre *re)
{
	if (!re)
		return;
	for (size_t i = 0; i < re->nbr; i++) {
		free(re->br[i].steps);
		free(re->br[i].accept);
	}
	free(re->br);
	free(re);
}

/* Follow optional and starred steps without reading a byte. */
static void closure(const branch *b, uint8_t *on)
{
	for (size_t i = 0; i < b->n; i++)
		if (on[i] && b->steps[i].kind != ONE)
			on[i + 1] = 1;
}

static int match_branch(const branch *b, const unsigned char *s, size_t n)
{
	uint8_t a[MAX_STEPS + 1], c[MAX_STEPS + 1];
	uint8_t *cur = a, *next = c, *t;
	size_t i, k;
	int any;

	memset(cur, 0, b->n + 1);
	cur[0] = 1;
	closure(b, cur);
	if (cur[b->n] && !b->eol)
		return 1;
	for (i = 0; i < n; i++) {
		memset(next, 0, b->n + 1);
		any = 0;
		for (k = 0; k < b->n; k++) {
			if (!cur[k] || !set_has(b->steps[k].set, s[i]))
				continue;
			next[b->steps[k].kind == STAR ? k : k + 1] = 1;
			any = 1;
		}
		if (!b->bol) {
			next[0] = 1;
			any = 1;
		}
		if (!any)
			return 0;
		closure(b, next);
		if (next[b->n] && !b->eol)
			return 1;
		t = cur;
		cur = next;
		next = t;
	}
	return cur[b->n];
}

/* Skippable steps pass their bit on to the next step, in chains. */
static uint64_t close_bits(const branch *b, uint64_t x)
{
	uint64_t y;

	while ((y = x | ((x & b->eps) << 1)) != x)
		x = y;
	return x;
}

/* The same run as match_branch, a word at a time (Shift-And). */
static int match_bits(const branch *b, const unsigned char *s, size_t n)
{
	uint64_t done = 1ULL << b->n, start = close_bits(b, 1), cur = start;

	if ((cur & done) && !b->eol)
		return 1;
	for (size_t i = 0; i < n; i++) {
		uint64_t hit = cur & b->accept[s[i]];

		cur = ((hit & ~b->star) << 1) | (hit & b->star);
		cur = close_bits(b, cur);
		if (!b->bol)
			cur |= start;
		else if (!cur)
			return 0;
		if ((cur & done) && !b->eol)
			return 1;
	}
	return (cur & done) != 0;
}

int phx_fastre_match(const phx_fastre *re, const char *s, size_t n)
{
	for (size_t i = 0; i < re->nbr; i++) {
		const branch *b = &re->br[i];

		if (b->accept ? match_bits(b, (const unsigned char *)s, n)
			      : match_branch(b, (const unsigned char *)s, n))
			return 1;
	}
	return 0;
}
