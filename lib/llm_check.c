/* llm_check.c - judge a model's answer field by field (see llm_check.h). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "llm_check.h"
#include "buf.h"

void phx_llm_verdict_init(phx_llm_verdict *v)
{
	v->values = json_object();
	v->failed = json_object();
	v->unsupported = json_array();
	v->dropped = json_array();
}

void phx_llm_verdict_free(phx_llm_verdict *v)
{
	json_decref(v->values);
	json_decref(v->failed);
	json_decref(v->unsupported);
	json_decref(v->dropped);
	memset(v, 0, sizeof *v);
}

static int is_word_byte(unsigned char c)
{
	return isalnum(c) || c == '_';
}

/* Case-insensitive search for w as a whole word starting at or after from. */
static const char *find_word(const char *t, size_t len, const char *w, size_t from)
{
	size_t wl = strlen(w);
	for (size_t i = from; wl && i + wl <= len; i++) {
		if (strncasecmp(t + i, w, wl) != 0)
			continue;
		if (i > 0 && is_word_byte((unsigned char)t[i - 1]))
			continue;
		if (i + wl < len && is_word_byte((unsigned char)t[i + wl]))
			continue;
		return t + i;
	}
	return NULL;
}

int phx_llm_text_has_word(const char *t, size_t len, const char *w)
{
	size_t from = 0;
	const char *p;
	while ((p = find_word(t, len, w, from)) != NULL) {
		size_t at = (size_t)(p - t);
		int negated = at >= 3 && strncasecmp(p - 3, "no ", 3) == 0 &&
			      (at == 3 || !is_word_byte((unsigned char)p[-4]));
		if (!negated)
			return 1;
		from = at + 1;
	}
	return 0;
}

static const char *const small_words[] = { "zero", "one", "two", "three", "four", "five",
					   "six", "seven", "eight", "nine", "ten" };

/* Digits as written in text, optionally with thousands commas: "1,234". */
static int has_digits(const char *t, size_t len, const char *digits)
{
	size_t dl = strlen(digits);
	for (size_t i = 0; i < len; i++) {
		/* not the tail of another number: "2,100" or "2.100" does not back 100 */
		if (i > 0 && (isdigit((unsigned char)t[i - 1]) || t[i - 1] == '.' ||
			      (t[i - 1] == ',' && i > 1 && isdigit((unsigned char)t[i - 2]))))
			continue;
		size_t j = i, k = 0;
		while (j < len && k < dl) {
			if (t[j] == digits[k])
				j++, k++;
			else if (t[j] == ',' && k > 0 && j + 1 < len && isdigit((unsigned char)t[j + 1]))
				j++;
			else
				break;
		}
		/* nor its head: "1,450" or "2.5" does not back 1 or 2 */
		if (k == dl && (j >= len || (!isdigit((unsigned char)t[j]) &&
			      !((t[j] == ',' || t[j] == '.') && j + 1 < len &&
				isdigit((unsigned char)t[j + 1])))))
			return 1;
	}
	return 0;
}

int phx_llm_text_has_number(const char *t, size_t len, double x)
{
	char d[48];
	if (x == floor(x) && fabs(x) < 1e15) {
		snprintf(d, sizeof d, "%lld", (long long)x);
		if (x >= 0 && x <= 10 && phx_llm_text_has_word(t, len, small_words[(int)x]))
			return 1;
		if (x == 1 && phx_llm_text_has_word(t, len, "single"))
			return 1;
	} else {
		snprintf(d, sizeof d, "%g", x);
		/* "2.5 baths" may be written "2 1/2" or "two and a half": only digits here */
	}
	return has_digits(t, len, d);
}

/* Trim white space and one ``` fence (```json ... ```). */
static void unwrap(const char **s, size_t *n)
{
	const char *p = *s, *e = *s + *n;
	while (p < e && isspace((unsigned char)*p))
		p++;
	while (e > p && isspace((unsigned char)e[-1]))
		e--;
	if (e - p >= 6 && memcmp(p, "```", 3) == 0 && memcmp(e - 3, "```", 3) == 0) {
		p += 3;
		e -= 3;
		while (p < e && *p != '\n' && !isspace((unsigned char)*p) && *p != '{')
			p++;	/* the language tag */
		while (p < e && isspace((unsigned char)*p))
			p++;
		while (e > p && isspace((unsigned char)e[-1]))
			e--;
	}
	*s = p;
	*n = (size_t)(e - p);
}

static int has_evidence(const phx_llm_field *fd, const char *desc, size_t dl)
{
	for (size_t i = 0; i < fd->nevidence; i++)
		if (phx_llm_text_has_word(desc, dl, fd->evidence[i]))
			return 1;
	return 0;
}

static void judge(const phx_llm_field *fd, json_t *val, const char *desc, size_t dl,
		  phx_llm_verdict *v)
{
	char why[160];
	double x = 0;
	if (json_is_null(val))
		return;
	if (fd->type == PHX_LLM_BOOLEAN) {
		if (!json_is_boolean(val)) {
			json_object_set_new(v->failed, fd->name, json_string("not a boolean"));
			return;
		}
		if (json_is_true(val) && fd->nevidence && !has_evidence(fd, desc, dl)) {
			json_array_append_new(v->unsupported, json_string(fd->name));
			return;
		}
		json_object_set(v->values, fd->name, val);
		return;
	}
	if (fd->type == PHX_LLM_INTEGER) {
		if (json_is_integer(val))
			x = (double)json_integer_value(val);
		else if (json_is_real(val) && json_real_value(val) == floor(json_real_value(val)) &&
			 fabs(json_real_value(val)) < 9e15)
			x = json_real_value(val);	/* 3.0: an integer written as a real */
		else {
			json_object_set_new(v->failed, fd->name, json_string("not an integer"));
			return;
		}
	} else if (json_is_number(val)) {
		x = json_number_value(val);
	} else {
		json_object_set_new(v->failed, fd->name, json_string("not a number"));
		return;
	}
	if ((fd->has_min && x < fd->min) || (fd->has_max && x > fd->max)) {
		snprintf(why, sizeof why, "%g is outside %g..%g", x, fd->has_min ? fd->min : -INFINITY,
			 fd->has_max ? fd->max : INFINITY);
		json_object_set_new(v->failed, fd->name, json_string(why));
		return;
	}
	if (!fd->nevidence && !phx_llm_text_has_number(desc, dl, x)) {
		json_array_append_new(v->unsupported, json_string(fd->name));
		return;
	}
	json_object_set_new(v->values, fd->name,
			    fd->type == PHX_LLM_INTEGER || json_is_integer(val)
			    ? json_integer((json_int_t)x) : json_real(x));
}

/* Whether the number token t[0..n) overflows a double or a long long, as
 * jansson refuses it ("real number overflow", "too big integer"). */
static int overflows(const char *t, size_t n)
{
	char tok[512];
	if (n >= sizeof tok)
		return 1;	/* 511 digits: beyond any double's exponent too */
	memcpy(tok, t, n);
	tok[n] = '\0';
	errno = 0;
	if (strpbrk(tok, ".eE")) {
		double d = strtod(tok, NULL);
		return errno == ERANGE && isinf(d);
	}
	(void)strtoll(tok, NULL, 10);
	return errno == ERANGE;
}

/* A number no double or long long holds (a model wrote 2020e4562) makes
 * jansson refuse the whole answer. Quoted, it is one field that fails its
 * type check (every askable field is a number or a boolean) and the other
 * fields still count. The answer with such numbers quoted, or NULL when it
 * has none. */
static char *quote_overflows(const char *s, size_t len, size_t *outlen)
{
	phx_buf out = PHX_BUF_INIT;
	int in_str = 0, quoted = 0;
	for (size_t i = 0; i < len;) {
		char c = s[i];
		if (in_str) {
			if (c == '\\' && i + 1 < len) {
				phx_buf_add(&out, s + i, 2);
				i += 2;
				continue;
			}
			in_str = c != '"';
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '-' || isdigit((unsigned char)c)) {
			size_t j = i + 1;
			while (j < len && (isdigit((unsigned char)s[j]) || (s[j] && strchr("+-.eE", s[j]))))
				j++;
			int q = overflows(s + i, j - i);
			quoted += q;
			if (q)
				phx_buf_addc(&out, '"');
			phx_buf_add(&out, s + i, j - i);
			if (q)
				phx_buf_addc(&out, '"');
			i = j;
			continue;
		}
		phx_buf_addc(&out, c);
		i++;
	}
	if (!quoted) {
		phx_buf_free(&out);
		return NULL;
	}
	*outlen = out.len;
	return out.data;
}

int phx_llm_check(const char *answer, size_t len, const phx_llm_fields *f, const int *idx,
		  size_t n, const char *desc, size_t dl, phx_llm_verdict *v, char *err, size_t errn)
{
	json_error_t je;
	unwrap(&answer, &len);
	json_t *o = json_loadb(answer, len, JSON_REJECT_DUPLICATES, &je);
	size_t ql = 0;
	char *quoted = o ? NULL : quote_overflows(answer, len, &ql);
	if (quoted) {
		o = json_loadb(quoted, ql, JSON_REJECT_DUPLICATES, NULL);
		free(quoted);
	}
	if (!o) {
		snprintf(err, errn, "the answer is not JSON (%s)", je.text);
		return -1;
	}
	if (!json_is_object(o)) {
		json_decref(o);
		snprintf(err, errn, "the answer is JSON but not an object");
		return -1;
	}
	const char *key;
	json_t *val;
	json_object_foreach(o, key, val) {
		int asked = -1;
		for (size_t i = 0; i < n && asked < 0; i++)
			if (strcmp(phx_llm_field_at(f, (size_t)idx[i])->name, key) == 0)
				asked = idx[i];
		if (asked < 0)
			json_array_append_new(v->dropped, json_string(key));
		else
			judge(phx_llm_field_at(f, (size_t)asked), val, desc, dl, v);
	}
	json_decref(o);
	return 0;
}
