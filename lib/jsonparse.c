/* jsonparse.c - JSON text to jansson values: see jsonparse.h.
 *
 * A recursive descent over the text in place. A string without escapes
 * becomes a jansson string straight from the input bytes; a decimal of at
 * most 15 digits becomes a double by one exact division or multiplication
 * (correctly rounded, so equal to strtod's), everything else goes through
 * strtoll/strtod.
 *
 * Where jansson's lexer reads a byte ahead (after a number or a word) or
 * checks a whole string before looking at its escapes, this parser does the
 * same, so both report the same kind of error for the same text. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "jsonparse.h"
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "buf.h"
#include "utf8.h"

typedef struct parser {
	const unsigned char *p, *start, *end;
	int depth;
	phx_json_error *err;
	phx_buf *scratch;	/* unescaped text of the current string */
	const char *const *keys;	/* top-level members whose spans are wanted */
	size_t nkeys, key_len[PHX_JSON_WANT_MAX];
	phx_json_span *spans;
	int odd_keys;		/* a key with '$' first or a '.', or a NUL in a string */
} parser;

/* Bytes that may stand in a string as they are: printable ASCII but the
 * quote and the backslash. */
static unsigned char plain[256];

static void init_tables(void)
{
	int c;

	if (plain['a'])
		return;
	for (c = 0x20; c < 0x80; c++)
		plain[c] = c != '"' && c != '\\';
}

static int is_digit(unsigned c)
{
	return c - '0' < 10;
}

static int is_hex(unsigned c)
{
	return c - '0' < 10 || (c | 0x20) - 'a' < 6;
}

static int is_alpha(unsigned c)
{
	return (c | 0x20) - 'a' < 26;
}

/* Length of the valid UTF-8 sequence at p (RFC 3629: no overlongs, no
 * surrogates, nothing past U+10FFFF), 0 when there is none. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
	size_t avail = (size_t)(end - p);
	unsigned c = p[0];

	if (c < 0x80)
		return 1;
	if (c < 0xC2 || c > 0xF4)
		return 0;
	if (c < 0xE0)
		return avail >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c < 0xF0) {
		if (avail < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0))
			return 0;
		return 3;
	}
	if (avail < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
	    (p[3] & 0xC0) != 0x80)
		return 0;
	if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))
		return 0;
	return 4;
}

static int bad_utf8_at(const parser *ps, const unsigned char *q)
{
	return q < ps->end && *q >= 0x80 && utf8_len(q, ps->end) == 0;
}

/* Record the error (the last one set wins: callers return at once, and
 * the depth check replaces a syntax error of the value it looked at). */
static json_t *fail(parser *ps, const unsigned char *at, phx_json_status st, const char *what)
{
	phx_json_error *e = ps->err;
	char near[24];
	size_t i = 0;

	e->status = st;
	e->offset = (size_t)(at - ps->start);
	if (at >= ps->end) {
		snprintf(e->text, sizeof e->text, "%s at the end of the text", what);
		return NULL;
	}
	for (i = 0; i < 16 && at + i < ps->end; i++) {
		unsigned char c = at[i];
		if (i > 0 && (c == ',' || c == ':' || c == ']' || c == '}' || c == ' '))
			break;
		near[i] = c >= 0x20 && c < 0x7f && c != '\'' ? (char)c : '?';
	}
	near[i] = '\0';
	snprintf(e->text, sizeof e->text, "%s near '%s'", what, near);
	return NULL;
}

/* A byte nothing may start with here: a UTF-8 error when it is not UTF-8
 * (jansson checks every byte it reads), else a syntax error. */
static json_t *unexpected(parser *ps, const unsigned char *at, const char *what)
{
	if (bad_utf8_at(ps, at))
		return fail(ps, at, PHX_JSON_BAD_UTF8, "invalid UTF-8");
	if (at >= ps->end)
		return fail(ps, at, PHX_JSON_SYNTAX, "premature end of input");
	return fail(ps, at, PHX_JSON_SYNTAX, what);
}

static void skip_ws(parser *ps)
{
	const unsigned char *p = ps->p;

	while (p < ps->end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
		p++;
	ps->p = p;
}

static int hex4(const unsigned char *p, unsigned *out, const unsigned char **bad)
{
	unsigned v = 0, d;
	int i;

	for (i = 0; i < 4; i++) {
		unsigned c = p[i];
		if (is_digit(c))
			d = c - '0';
		else if ((c | 0x20) - 'a' < 6)
			d = (c | 0x20) - 'a' + 10;
		else {
			*bad = p + i;
			return -1;
		}
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

static void add_utf8(phx_buf *b, unsigned cp)
{
	unsigned char u[4];

	phx_buf_add(b, u, phx_utf8_encode(cp, u));
}

/* One \uXXXX escape (and its low surrogate) at p, just past the 'u'.
 * Returns where the escape ends, or NULL (a syntax error set). A lone or
 * mismatched surrogate is not an error yet: *bad_pair gets its place, and
 * the string reports it only if the rest of it is sound, as jansson does. */
static const unsigned char *unicode_escape(parser *ps, const unsigned char *p,
					   const unsigned char **bad_pair)
{
	const unsigned char *bad;
	unsigned cp, lo;

	if (ps->end - p < 4 || hex4(p, &cp, &bad) != 0) {
		/* the first byte that is not a hex digit, or the end */
		for (bad = p; bad < ps->end && bad < p + 4 && is_hex(*bad); bad++)
			;
		unexpected(ps, bad, "invalid \\u escape");
		return NULL;
	}
	p += 4;
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		if (ps->end - p >= 6 && p[0] == '\\' && p[1] == 'u' &&
		    hex4(p + 2, &lo, &bad) == 0) {
			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				add_utf8(ps->scratch, 0x10000 + ((cp - 0xD800) << 10) +
					 (lo - 0xDC00));
				return p + 6;
			}
			/* a high surrogate, then a non-low escape: the pair is bad,
			 * and the second escape is used up with it */
			if (!*bad_pair)
				*bad_pair = p - 6;
			return p + 6;
		}
		if (!*bad_pair)
			*bad_pair = p - 6;
		return p;
	}
	if (cp >= 0xDC00 && cp <= 0xDFFF) {
		if (!*bad_pair)
			*bad_pair = p - 6;
		return p;
	}
	if (cp == 0)
		ps->odd_keys = 1;
	add_utf8(ps->scratch, cp);
	return p;
}

/* Past the bytes that stand in a string as they are: 16 at a time while
 * there are 16 (SSE2: the quote, the backslash, and signed bytes below 0x20,
 * which takes in every byte >= 0x80, stop the run), then one by one. */
static const unsigned char *skip_plain(const unsigned char *p, const unsigned char *end)
{
#ifdef __SSE2__
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
	const __m128i space = _mm_set1_epi8(0x20);

	while (end - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		__m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote),
							 _mm_cmpeq_epi8(v, bslash)),
					    _mm_cmplt_epi8(v, space));
		unsigned mask = (unsigned)_mm_movemask_epi8(stop);
		if (mask)
			return p + __builtin_ctz(mask);
		p += 16;
	}
#endif
	while (p < end && plain[*p])
		p++;
	return p;
}

/* The string whose opening quote is at ps->p. *s, *len: its bytes, in the
 * input when it had no escapes, else in ps->scratch (valid until the next
 * string). Returns 0, or -1 with the error set. */
static int parse_string(parser *ps, const char **s, size_t *len)
{
	const unsigned char *p = ps->p + 1, *run = p, *end = ps->end, *bad_pair = NULL;
	int escaped = 0;
	size_t n;

	for (;;) {
		p = skip_plain(p, end);
		if (p >= end) {
			fail(ps, p, PHX_JSON_SYNTAX, "premature end of input in a string");
			return -1;
		}
		if (*p == '"')
			break;
		if (*p >= 0x80) {
			if ((n = utf8_len(p, end)) == 0) {
				fail(ps, p, PHX_JSON_BAD_UTF8, "invalid UTF-8");
				return -1;
			}
			p += n;
			continue;
		}
		if (*p < 0x20) {
			fail(ps, p, PHX_JSON_SYNTAX, "control character in a string");
			return -1;
		}
		/* a backslash */
		if (!escaped) {
			phx_buf_clear(ps->scratch);
			escaped = 1;
		}
		phx_buf_add(ps->scratch, run, (size_t)(p - run));
		p++;
		if (p >= end) {
			fail(ps, p, PHX_JSON_SYNTAX, "premature end of input in a string");
			return -1;
		}
		switch (*p) {
		case '"': case '\\': case '/':
			phx_buf_addc(ps->scratch, (char)*p);
			p++;
			break;
		case 'b': phx_buf_addc(ps->scratch, '\b'); p++; break;
		case 'f': phx_buf_addc(ps->scratch, '\f'); p++; break;
		case 'n': phx_buf_addc(ps->scratch, '\n'); p++; break;
		case 'r': phx_buf_addc(ps->scratch, '\r'); p++; break;
		case 't': phx_buf_addc(ps->scratch, '\t'); p++; break;
		case 'u':
			p = unicode_escape(ps, p + 1, &bad_pair);
			if (!p)
				return -1;
			break;
		default:
			unexpected(ps, p, "invalid escape");
			return -1;
		}
		run = p;
	}
	if (bad_pair) {
		fail(ps, bad_pair, PHX_JSON_SYNTAX, "invalid Unicode surrogate");
		return -1;
	}
	if (escaped) {
		phx_buf_add(ps->scratch, run, (size_t)(p - run));
		*s = ps->scratch->data ? ps->scratch->data : "";
		*len = ps->scratch->len;
	} else {
		*s = (const char *)ps->p + 1;
		*len = (size_t)(p - (ps->p + 1));
	}
	ps->p = p + 1;
	return 0;
}

static const double pow10_exact[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
	1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

/* The token [s, e) through strto*: copied, since the input has no NUL. */
static json_t *number_slow(parser *ps, const unsigned char *s, const unsigned char *e,
			   int is_real)
{
	char small[64], *tmp = small;
	size_t n = (size_t)(e - s);
	json_t *v;

	if (n >= sizeof small && !(tmp = malloc(n + 1)))
		return fail(ps, s, PHX_JSON_NOMEM, "out of memory");
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	errno = 0;
	if (is_real) {
		double d = strtod(tmp, NULL);
		v = (d == HUGE_VAL || d == -HUGE_VAL) && errno == ERANGE ? NULL : json_real(d);
		if (!v)
			fail(ps, s, PHX_JSON_RANGE, "real number overflow");
	} else {
		long long i = strtoll(tmp, NULL, 10);
		v = errno == ERANGE ? NULL : json_integer(i);
		if (!v)
			fail(ps, s, PHX_JSON_RANGE, i < 0 ? "too big negative integer"
							  : "too big integer");
	}
	if (tmp != small)
		free(tmp);
	return v;
}

static json_t *parse_number(parser *ps)
{
	const unsigned char *s = ps->p, *p = s, *end = ps->end, *int_start;
	uint64_t mant = 0;
	int sig = 0, frac = 0, is_real = 0, neg = 0, exp = 0, exp_neg = 0, exp_digits = 0;

	if (*p == '-') {
		neg = 1;
		p++;
	}
	int_start = p;
	if (p >= end || !is_digit(*p))
		return unexpected(ps, p, "invalid number");
	if (*p == '0') {
		p++;
		if (p < end && is_digit(*p))
			return unexpected(ps, p, "invalid number (a leading zero)");
	} else {
		for (; p < end && is_digit(*p); p++) {
			mant = mant * 10 + (*p - '0');
			sig++;
		}
	}
	if (p < end && *p == '.') {
		is_real = 1;
		if (++p >= end || !is_digit(*p))
			return unexpected(ps, p, "invalid number");
		for (; p < end && is_digit(*p); p++, frac++) {
			if (mant || *p != '0')
				sig++;
			if (sig <= 18)
				mant = mant * 10 + (*p - '0');
		}
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		is_real = 1;
		if (++p < end && (*p == '+' || *p == '-'))
			exp_neg = *p++ == '-';
		if (p >= end || !is_digit(*p))
			return unexpected(ps, p, "invalid number");
		for (; p < end && is_digit(*p); p++, exp_digits++)
			if (exp_digits < 6)
				exp = exp * 10 + (*p - '0');
	}
	ps->p = p;
	/* jansson has read the byte after the number: it reports a bad one first */
	if (bad_utf8_at(ps, p))
		return fail(ps, p, PHX_JSON_BAD_UTF8, "invalid UTF-8");
	if (!is_real) {
		if (p - int_start <= 18) {
			long long v = (long long)mant;
			return json_integer(neg ? -v : v);
		}
		return number_slow(ps, s, p, 0);
	}
	if (sig <= 15 && exp_digits <= 5) {
		int e10 = (exp_neg ? -exp : exp) - frac;
		if (e10 >= -22 && e10 <= 22) {
			double d = (double)mant;
			d = e10 < 0 ? d / pow10_exact[-e10] : d * pow10_exact[e10];
			return json_real(neg ? -d : d);
		}
	}
	return number_slow(ps, s, p, 1);
}

/* true, false, null: jansson reads the whole word and a byte past it. */
static json_t *parse_word(parser *ps)
{
	static const struct { const char *w; size_t n; } words[] = {
		{ "true", 4 }, { "false", 5 }, { "null", 4 }
	};
	const unsigned char *p = ps->p, *q = p;
	size_t i;

	while (q < ps->end && is_alpha(*q))
		q++;
	if (bad_utf8_at(ps, q))
		return fail(ps, q, PHX_JSON_BAD_UTF8, "invalid UTF-8");
	for (i = 0; i < 3; i++)
		if ((size_t)(q - p) == words[i].n && memcmp(p, words[i].w, words[i].n) == 0) {
			ps->p = q;
			return i == 0 ? json_true() : i == 1 ? json_false() : json_null();
		}
	return fail(ps, p, PHX_JSON_SYNTAX, "invalid token");
}

/* jansson lexes the next token before its parser asks whether it is the
 * kind it wants, so an error inside that token (bad UTF-8, a bad string, a
 * number out of range) wins over "':' expected". 1 when there is one (set). */
static int token_error(parser *ps, const unsigned char *at)
{
	const unsigned char *save = ps->p;
	const char *s;
	size_t len;
	json_t *v = NULL;
	unsigned c;

	if (at >= ps->end)
		return 0;
	if (bad_utf8_at(ps, at)) {
		fail(ps, at, PHX_JSON_BAD_UTF8, "invalid UTF-8");
		return 1;
	}
	ps->p = at;
	c = *at;
	if (c == '"') {
		if (parse_string(ps, &s, &len) != 0)
			return 1;
	} else if (c == '-' || is_digit(c)) {
		v = parse_number(ps);
		if (!v && ps->err->status != PHX_JSON_SYNTAX)
			return 1;
	} else if (is_alpha(c)) {
		v = parse_word(ps);
		if (!v && ps->err->status == PHX_JSON_BAD_UTF8)
			return 1;
	}
	json_decref(v);
	ps->p = save;
	return 0;
}

/* A token of the wrong kind at at: what was expected, unless the token
 * itself is broken. */
static json_t *unexpected_token(parser *ps, const unsigned char *at, const char *expected)
{
	if (token_error(ps, at))
		return NULL;
	return unexpected(ps, at, expected);
}

static json_t *parse_value(parser *ps);

static json_t *parse_array(parser *ps)
{
	json_t *a = json_array(), *v;

	if (!a)
		return fail(ps, ps->p, PHX_JSON_NOMEM, "out of memory");
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == ']') {
		ps->p++;
		return a;
	}
	for (;;) {
		if (!(v = parse_value(ps)))
			goto failed;
		if (json_array_append_new(a, v) != 0) {
			fail(ps, ps->p, PHX_JSON_NOMEM, "out of memory");
			goto failed;
		}
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == ']') {
			ps->p++;
			return a;
		}
		unexpected_token(ps, ps->p, "',' or ']' expected");
		goto failed;
	}
failed:
	json_decref(a);
	return NULL;
}

/* A top-level member just parsed: its span, when its key is wanted. */
static void note_span(parser *ps, const char *key, size_t len, const unsigned char *key_at,
		      const unsigned char *value_at)
{
	size_t i;

	for (i = 0; i < ps->nkeys; i++)
		if (ps->key_len[i] == len && memcmp(ps->keys[i], key, len) == 0) {
			ps->spans[i].member = (size_t)(key_at - ps->start);
			ps->spans[i].start = (size_t)(value_at - ps->start);
			ps->spans[i].end = (size_t)(ps->p - ps->start);
			ps->spans[i].found = 1;
			return;
		}
}

/* 1 when key is already in o: then that is the error. */
static int duplicate(parser *ps, json_t *o, const char *key, size_t len,
		     const unsigned char *key_at)
{
	if (!json_object_getn(o, key, len))
		return 0;
	fail(ps, key_at, PHX_JSON_DUPLICATE, "duplicate object key");
	return 1;
}

static json_t *parse_object(parser *ps)
{
	json_t *o = json_object(), *v;
	const char *key;
	char *copy = NULL;
	size_t len, before;

	if (!o)
		return fail(ps, ps->p, PHX_JSON_NOMEM, "out of memory");
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == '}') {
		ps->p++;
		return o;
	}
	for (;;) {
		const unsigned char *key_at = ps->p, *value_at;
		if (ps->p >= ps->end || *ps->p != '"') {
			unexpected_token(ps, ps->p, "a string (a key) expected");
			goto failed;
		}
		if (parse_string(ps, &key, &len) != 0)
			goto failed;
		if (key == ps->scratch->data) {	/* the next string reuses scratch */
			if (!(copy = malloc(len + 1))) {
				fail(ps, key_at, PHX_JSON_NOMEM, "out of memory");
				goto failed;
			}
			memcpy(copy, key, len);
			copy[len] = '\0';
			key = copy;
		}
		if (len && (key[0] == '$' || memchr(key, '.', len)))
			ps->odd_keys = 1;
		if (memchr(key, '\0', len)) {
			fail(ps, key_at, PHX_JSON_NUL_KEY, "NUL byte in object key not supported");
			goto failed;
		}
		/* A repeated key is found by the object not growing: one hash
		 * lookup less per key. jansson reports it before anything wrong
		 * after the key, so every failure below asks first. */
		before = json_object_size(o);
		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != ':') {
			if (!duplicate(ps, o, key, len, key_at))
				unexpected_token(ps, ps->p, "':' expected");
			goto failed;
		}
		ps->p++;
		skip_ws(ps);
		value_at = ps->p;
		/* jansson checks the depth before it sees that the text ended */
		if (ps->p >= ps->end && ps->depth >= PHX_JSON_MAX_DEPTH) {
			if (!duplicate(ps, o, key, len, key_at))
				fail(ps, ps->p, PHX_JSON_TOO_DEEP, "maximum parsing depth reached");
			goto failed;
		}
		if (!(v = parse_value(ps))) {
			duplicate(ps, o, key, len, key_at);
			goto failed;
		}
		if (json_object_setn_new_nocheck(o, key, len, v) != 0) {
			fail(ps, key_at, PHX_JSON_NOMEM, "out of memory");
			goto failed;
		}
		if (json_object_size(o) == before) {
			fail(ps, key_at, PHX_JSON_DUPLICATE, "duplicate object key");
			goto failed;
		}
		if (ps->nkeys && ps->depth == 1)
			note_span(ps, key, len, key_at, value_at);
		free(copy);
		copy = NULL;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			skip_ws(ps);
			continue;
		}
		if (ps->p < ps->end && *ps->p == '}') {
			ps->p++;
			return o;
		}
		unexpected_token(ps, ps->p, "',' or '}' expected");
		goto failed;
	}
failed:
	free(copy);
	json_decref(o);
	return NULL;
}

/* Past the depth limit jansson still lexes the token first: a bad string,
 * an out-of-range number or an undecodable byte is reported as that. */
static json_t *too_deep(parser *ps)
{
	const unsigned char *at = ps->p;

	if (token_error(ps, at))
		return NULL;
	return fail(ps, at, PHX_JSON_TOO_DEEP, "maximum parsing depth reached");
}

static json_t *parse_value(parser *ps)
{
	json_t *v;
	const char *s;
	size_t len;

	skip_ws(ps);
	if (ps->p >= ps->end || bad_utf8_at(ps, ps->p))
		return unexpected(ps, ps->p, "a value expected");
	if (++ps->depth > PHX_JSON_MAX_DEPTH)
		return too_deep(ps);
	switch (*ps->p) {
	case '{':
		v = parse_object(ps);
		break;
	case '[':
		v = parse_array(ps);
		break;
	case '"':
		if (parse_string(ps, &s, &len) != 0)
			return NULL;
		if (!(v = json_stringn_nocheck(s, len)))
			return fail(ps, ps->p, PHX_JSON_NOMEM, "out of memory");
		break;
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		v = parse_number(ps);
		break;
	default:
		v = is_alpha(*ps->p) ? parse_word(ps) : unexpected(ps, ps->p, "invalid token");
		break;
	}
	ps->depth--;
	return v;
}

json_t *phx_json_parse_spans(const char *text, size_t n, phx_json_error *err,
			     const char *const *keys, size_t nkeys, phx_json_span *spans,
			     int *odd_keys)
{
	static phx_buf scratch = PHX_BUF_INIT;	/* reused: this runs per record */
	phx_json_error own;
	parser ps;
	json_t *v;
	size_t i;

	if (!err)
		err = &own;
	init_tables();
	ps.start = ps.p = (const unsigned char *)text;
	ps.end = ps.start + n;
	ps.depth = 0;
	ps.err = err;
	ps.scratch = &scratch;
	ps.keys = keys;
	ps.nkeys = nkeys <= PHX_JSON_WANT_MAX ? nkeys : PHX_JSON_WANT_MAX;
	ps.spans = spans;
	ps.odd_keys = 0;
	for (i = 0; i < ps.nkeys; i++) {
		ps.key_len[i] = strlen(keys[i]);
		memset(&spans[i], 0, sizeof spans[i]);
	}
	err->status = PHX_JSON_OK;
	err->offset = 0;
	err->text[0] = '\0';
	v = parse_value(&ps);
	if (!v)
		return NULL;
	skip_ws(&ps);
	if (ps.p < ps.end) {
		json_decref(v);
		return unexpected_token(&ps, ps.p, "end of the text expected");
	}
	if (odd_keys)
		*odd_keys = ps.odd_keys;
	return v;
}

json_t *phx_json_parse(const char *text, size_t n, phx_json_error *err)
{
	return phx_json_parse_spans(text, n, err, NULL, 0, NULL, NULL);
}
