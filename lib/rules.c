/* rules.c - read the rules file: "rule", "weight" and "quality" lines.
 * Every problem is reported with its file and line; a rules file is never
 * half understood. The format is documented at the top of etc/rules.conf
 * and in phx-record(5). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "rules_int.h"
#include "timeutil.h"
#include "xalloc.h"

#define MAX_TOKENS 32

typedef struct parser {
	const char *name;
	int line;
	phx_buf errs;
	int nerr;
	char *tok[MAX_TOKENS];
	size_t ntok;
	int used[MAX_TOKENS];
} parser;

__attribute__((format(printf, 2, 3)))
static void problem(parser *P, const char *fmt, ...)
{
	va_list ap;

	phx_buf_printf(&P->errs, "%s%s:%d: ", P->nerr ? "\n" : "", P->name, P->line);
	va_start(ap, fmt);
	phx_buf_vprintf(&P->errs, fmt, ap);
	va_end(ap);
	P->nerr++;
}

/* The value of parameter key ("key=value" among the tokens from 4 on), or NULL. */
static const char *param(parser *P, const char *key)
{
	size_t klen = strlen(key);

	for (size_t i = 4; i < P->ntok; i++) {
		if (strncmp(P->tok[i], key, klen) == 0 && P->tok[i][klen] == '=') {
			P->used[i] = 1;
			return P->tok[i] + klen + 1;
		}
	}
	return NULL;
}

static int get_ptr(parser *P, const char *key, phx_jptr *out, int required)
{
	const char *v = param(P, key);

	if (!v) {
		if (required)
			problem(P, "missing %s=POINTER", key);
		return -1;
	}
	if (phx_jptr_compile(out, v) < 0 || out->ntok == 0) {
		if (out->text)
			phx_jptr_free(out);
		problem(P, "%s=%s is not a JSON Pointer to a field", key, v);
		return -1;
	}
	return 0;
}

static int parse_double(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return (errno || end == s || *end || !isfinite(*out)) ? -1 : 0;
}

static int get_num(parser *P, const char *key, double *out)
{
	const char *v = param(P, key);

	if (!v)
		return 0;
	if (parse_double(v, out) < 0) {
		problem(P, "%s=%s is not a number", key, v);
		return 0;
	}
	return 1;
}

static char *get_word(parser *P, const char *key)
{
	const char *v = param(P, key);

	if (!v || !*v) {
		problem(P, "missing %s=NAME", key);
		return NULL;
	}
	return phx_xstrdup(v);
}

static void get_range(parser *P, phx_rule *r)
{
	r->has_min = get_num(P, "min", &r->min);
	r->has_max = get_num(P, "max", &r->max);
	if (!r->has_min && !r->has_max)
		problem(P, "give min=, max= or both");
	else if (r->has_min && r->has_max && r->min > r->max)
		problem(P, "min is above max");
}

static void get_years(parser *P, phx_rule *r)
{
	const char *v = param(P, "years_ahead");
	char *end;

	r->years_ahead = 1;
	if (!v)
		return;
	errno = 0;
	r->years_ahead = strtoll(v, &end, 10);
	if (errno || end == v || *end || r->years_ahead < -1000 || r->years_ahead > 1000)
		problem(P, "years_ahead=%s is not a whole number of years", v);
}

static void get_tolerance(parser *P, phx_rule *r)
{
	const char *v = param(P, "tolerance");

	r->tolerance = 0;
	if (v && (phx_duration_parse(v, &r->tolerance) != 0 || r->tolerance < 0))
		problem(P, "tolerance=%s is not a duration (like 10m, 2h, 1d)", v);
}

static void get_op(parser *P, phx_rule *r)
{
	static const char *const ops[] = { "<", "<=", ">", ">=", "==", "!=" };
	const char *v = param(P, "op");

	for (size_t i = 0; v && i < sizeof ops / sizeof ops[0]; i++) {
		if (strcmp(v, ops[i]) == 0) {
			r->op = (enum phx_rule_op)i;
			return;
		}
	}
	problem(P, "op= must be one of < <= > >= == !=");
}

/* when=POINTER=VALUE|VALUE...: the rule applies only when the string there
 * is one of the values. */
static void get_when(parser *P, phx_rule *r)
{
	const char *v = param(P, "when");
	const char *eq;
	char *ptr;

	if (!v)
		return;
	eq = strchr(v, '=');
	if (!eq || eq[1] == '\0') {
		problem(P, "when= must be POINTER=VALUE or POINTER=VALUE|VALUE");
		return;
	}
	ptr = phx_xstrndup(v, (size_t)(eq - v));
	if (phx_jptr_compile(&r->when, ptr) < 0 || r->when.ntok == 0) {
		if (r->when.text)
			phx_jptr_free(&r->when);
		problem(P, "when=%s: \"%s\" is not a JSON Pointer to a field", v, ptr);
		free(ptr);
		return;
	}
	free(ptr);
	r->has_when = 1;
	for (const char *s = eq + 1; ; ) {
		const char *bar = strchr(s, '|');
		size_t len = bar ? (size_t)(bar - s) : strlen(s);

		r->when_vals = phx_xrealloc(r->when_vals, (r->nwhen + 1) * sizeof *r->when_vals);
		r->when_vals[r->nwhen++] = phx_xstrndup(s, len);
		if (!bar)
			break;
		s = bar + 1;
	}
}

static const struct { const char *name; enum phx_rule_kind kind; } kinds[] = {
	{ "year_not_after", PHX_RK_YEAR_NOT_AFTER }, { "time_not_after", PHX_RK_TIME_NOT_AFTER },
	{ "ratio_range", PHX_RK_RATIO_RANGE }, { "latest_ratio", PHX_RK_LATEST_RATIO },
	{ "in_target", PHX_RK_IN_TARGET }, { "compare", PHX_RK_COMPARE },
	{ "property_id", PHX_RK_PROPERTY_ID },
};

static void get_params(parser *P, phx_rule *r)
{
	switch (r->kind) {
	case PHX_RK_YEAR_NOT_AFTER:
		get_ptr(P, "path", &r->a, 1);
		get_years(P, r);
		break;
	case PHX_RK_TIME_NOT_AFTER:
		get_ptr(P, "path", &r->a, 1);
		get_tolerance(P, r);
		break;
	case PHX_RK_RATIO_RANGE:
		get_ptr(P, "num", &r->a, 1);
		get_ptr(P, "den", &r->b, 1);
		get_range(P, r);
		break;
	case PHX_RK_LATEST_RATIO:
		get_ptr(P, "value", &r->a, 1);
		get_ptr(P, "series", &r->b, 1);
		r->key = get_word(P, "key");
		r->field = get_word(P, "field");
		get_range(P, r);
		break;
	case PHX_RK_IN_TARGET:
		get_ptr(P, "path", &r->a, 1);
		break;
	case PHX_RK_COMPARE:
		get_ptr(P, "left", &r->a, 1);
		get_op(P, r);
		get_ptr(P, "right", &r->b, 1);
		break;
	case PHX_RK_PROPERTY_ID:
		get_ptr(P, "id", &r->a, 1);
		get_ptr(P, "apn", &r->b, 1);
		get_ptr(P, "address_key", &r->c, 1);
		break;
	}
	get_when(P, r);
}

static int valid_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_'))
			return 0;
	return 1;
}

static void parse_rule(parser *P, phx_rules *R)
{
	phx_rule r = { 0 };
	size_t k;

	if (P->ntok < 4) {
		problem(P, "a rule is: rule NAME error|warning KIND key=value ...");
		return;
	}
	if (!valid_name(P->tok[1]))
		problem(P, "rule name \"%s\": use lower case letters, digits and _", P->tok[1]);
	for (size_t i = 0; i < R->n; i++)
		if (strcmp(R->rules[i].code + 5, P->tok[1]) == 0)
			problem(P, "rule \"%s\" is defined twice", P->tok[1]);
	if (strcmp(P->tok[2], "error") == 0)
		r.sev = PHX_SEV_ERROR;
	else if (strcmp(P->tok[2], "warning") == 0)
		r.sev = PHX_SEV_WARNING;
	else
		problem(P, "severity \"%s\": use error or warning", P->tok[2]);
	for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		if (strcmp(P->tok[3], kinds[k].name) == 0)
			break;
	if (k == sizeof kinds / sizeof kinds[0]) {
		problem(P, "unknown rule kind \"%s\"", P->tok[3]);
		return;
	}
	r.kind = kinds[k].kind;
	get_params(P, &r);
	for (size_t i = 4; i < P->ntok; i++)
		if (!P->used[i])
			problem(P, "%s: unknown parameter \"%s\" for kind %s", P->tok[1], P->tok[i],
				P->tok[3]);
	phx_buf code = PHX_BUF_INIT;

	phx_buf_printf(&code, "rule.%s", P->tok[1]);
	r.code = phx_buf_steal(&code);
	R->rules = phx_xrealloc(R->rules, (R->n + 1) * sizeof *R->rules);
	R->rules[R->n++] = r;
}

static void parse_weight(parser *P, phx_rules *R)
{
	double w;
	char *err = NULL;

	if (P->ntok != 3 || parse_double(P->tok[2], &w) < 0) {
		problem(P, "a weight is: weight POINTER NUMBER");
		return;
	}
	if (phx_quality_cfg_weight(R->quality, P->tok[1], w, &err) < 0) {
		problem(P, "%s", err);
		free(err);
	}
}

static void parse_quality(parser *P, phx_rules *R)
{
	for (size_t i = 1; i < P->ntok; i++) {
		char *eq = strchr(P->tok[i], '=');
		char *err = NULL;
		double v;

		if (!eq || parse_double(eq + 1, &v) < 0) {
			problem(P, "quality settings are key=NUMBER, not \"%s\"", P->tok[i]);
			continue;
		}
		*eq = '\0';
		if (phx_quality_cfg_set(R->quality, P->tok[i], v, &err) < 0) {
			problem(P, "%s", err);
			free(err);
		}
		*eq = '=';
	}
}

/* Split line (modified in place) into whitespace-separated tokens; a token
 * starting with '#' starts a comment. */
static void tokenize(parser *P, char *line)
{
	char *s = line;

	P->ntok = 0;
	memset(P->used, 0, sizeof P->used);
	while (*s) {
		while (*s == ' ' || *s == '\t' || *s == '\r')
			s++;
		if (!*s || *s == '#')
			break;
		if (P->ntok == MAX_TOKENS) {
			problem(P, "more than %d words on one line", MAX_TOKENS);
			P->ntok = 0;
			return;
		}
		P->tok[P->ntok++] = s;
		while (*s && *s != ' ' && *s != '\t' && *s != '\r')
			s++;
		if (*s)
			*s++ = '\0';
	}
}

static void parse_line(parser *P, phx_rules *R, char *line)
{
	tokenize(P, line);
	if (P->ntok == 0)
		return;
	if (strcmp(P->tok[0], "rule") == 0)
		parse_rule(P, R);
	else if (strcmp(P->tok[0], "weight") == 0)
		parse_weight(P, R);
	else if (strcmp(P->tok[0], "quality") == 0)
		parse_quality(P, R);
	else
		problem(P, "unknown line \"%s\" (rule, weight or quality)", P->tok[0]);
}

phx_rules *phx_rules_parse(const char *text, const char *name, char **err)
{
	parser P = { .name = name ? name : "rules" };
	phx_rules *R = phx_xcalloc(1, sizeof *R);
	char *copy = phx_xstrdup(text);

	R->quality = phx_quality_cfg_new();
	for (char *line = copy; line; ) {
		char *nl = strchr(line, '\n');

		if (nl)
			*nl = '\0';
		P.line++;
		parse_line(&P, R, line);
		line = nl ? nl + 1 : NULL;
	}
	free(copy);
	if (P.nerr) {
		phx_rules_free(R);
		if (err)
			*err = phx_buf_steal(&P.errs);
		else
			phx_buf_free(&P.errs);
		return NULL;
	}
	return R;
}

phx_rules *phx_rules_load(const char *path, char **err)
{
	phx_buf text = PHX_BUF_INIT;
	char chunk[8192];
	size_t n;
	FILE *f = fopen(path, "r");
	phx_rules *R;

	if (!f) {
		phx_buf_printf(&text, "%s: %s", path, strerror(errno));
		if (err)
			*err = phx_buf_steal(&text);
		else
			phx_buf_free(&text);
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		phx_buf_add(&text, chunk, n);
	if (ferror(f)) {
		fclose(f);
		phx_buf_clear(&text);
		phx_buf_printf(&text, "%s: read error", path);
		if (err)
			*err = phx_buf_steal(&text);
		else
			phx_buf_free(&text);
		return NULL;
	}
	fclose(f);
	if (text.len != strlen(text.data ? text.data : "")) {
		phx_buf_free(&text);
		if (err)
			*err = phx_xstrdup("rules file contains a NUL byte");
		return NULL;
	}
	R = phx_rules_parse(text.data ? text.data : "", path, err);
	phx_buf_free(&text);
	return R;
}

static void free_rule(phx_rule *r)
{
	free(r->code);
	phx_jptr_free(&r->a);
	phx_jptr_free(&r->b);
	phx_jptr_free(&r->c);
	free(r->key);
	free(r->field);
	if (r->has_when)
		phx_jptr_free(&r->when);
	for (size_t i = 0; i < r->nwhen; i++)
		free(r->when_vals[i]);
	free(r->when_vals);
}

void phx_rules_free(phx_rules *R)
{
	if (!R)
		return;
	for (size_t i = 0; i < R->n; i++)
		free_rule(&R->rules[i]);
	free(R->rules);
	phx_quality_cfg_free(R->quality);
	free(R->zips);
	free(R);
}

int phx_rules_set_target_zips(phx_rules *R, const char *list, char **err)
{
	unsigned char *bits = NULL;
	const char *s = list ? list : "";

	while (*s) {
		size_t len = strcspn(s, ", \t\n");

		if (len) {
			int zip = 0, ok = len == 5;

			for (size_t i = 0; ok && i < 5; i++) {
				ok = isdigit((unsigned char)s[i]);
				zip = zip * 10 + (s[i] - '0');
			}
			if (!ok) {
				phx_buf b = PHX_BUF_INIT;

				phx_buf_adds(&b, "target ZIP code ");
				phx_buf_add_json_string(&b, s, len);
				phx_buf_adds(&b, " is not 5 digits");
				free(bits);
				if (err)
					*err = phx_buf_steal(&b);
				else
					phx_buf_free(&b);
				return -1;
			}
			if (!bits)
				bits = phx_xcalloc(100000 / 8 + 1, 1);
			bits[zip / 8] |= (unsigned char)(1u << (zip % 8));
		}
		s += len;
		s += *s != '\0';
	}
	free(R->zips);
	R->zips = bits;
	return 0;
}

void phx_rules_set_now(phx_rules *R, time_t now)
{
	R->now = now;
}

size_t phx_rules_check(const phx_rules *R, const json_t *doc, phx_issues *out)
{
	size_t before = phx_issues_count(out);
	time_t now = R->now ? R->now : time(NULL);

	for (size_t i = 0; i < R->n; i++)
		phx_rule_check(R, &R->rules[i], doc, now, out);
	return phx_issues_count(out) - before;
}

size_t phx_rules_count(const phx_rules *R)
{
	return R->n;
}

const char *phx_rules_code(const phx_rules *R, size_t i)
{
	return i < R->n ? R->rules[i].code : NULL;
}

phx_severity phx_rules_severity(const phx_rules *R, size_t i)
{
	return i < R->n ? R->rules[i].sev : PHX_SEV_ERROR;
}

const phx_quality_cfg *phx_rules_quality(const phx_rules *R)
{
	return R->quality;
}
