/* rules_check.c - the rule kinds. A rule whose inputs are missing or null says
 * nothing: unknown is not wrong (the quality score counts what is missing),
 * and a value of the wrong type is the schema's finding, not a rule's. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "buf.h"
#include "rules_int.h"
#include "timeutil.h"

static const char *field_name(const phx_jptr *p)
{
	return p->ntok ? p->tok[p->ntok - 1] : "(record)";
}

static int num_at(const phx_jptr *p, const json_t *doc, double *out)
{
	const json_t *v = phx_jptr_get(p, doc);

	if (!json_is_number(v))
		return -1;
	*out = json_number_value(v);
	return 0;
}

/* Whole numbers as integers ("1234567", not "1.23457e+06"). */
static const char *fmt_num(double v, char *buf, size_t n)
{
	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, n, "%.0f", v);
	else
		snprintf(buf, n, "%.4g", v);
	return buf;
}

static int applies(const phx_rule *r, const json_t *doc)
{
	const json_t *v;

	if (!r->has_when)
		return 1;
	v = phx_jptr_get(&r->when, doc);
	if (!json_is_string(v))
		return 0;
	for (size_t i = 0; i < r->nwhen; i++)
		if (strcmp(json_string_value(v), r->when_vals[i]) == 0)
			return 1;
	return 0;
}

/* "below 120" / "above 4" when ratio is outside [min, max], else NULL. */
static const char *outside(const phx_rule *r, double ratio, char *buf, size_t n)
{
	char lim[64];

	if (r->has_min && ratio < r->min)
		snprintf(buf, n, "below the minimum %s", fmt_num(r->min, lim, sizeof lim));
	else if (r->has_max && ratio > r->max)
		snprintf(buf, n, "above the maximum %s", fmt_num(r->max, lim, sizeof lim));
	else
		return NULL;
	return buf;
}

static void year_not_after(const phx_rule *r, const json_t *doc, time_t now, phx_issues *out)
{
	struct tm tm;
	double year;
	char a[64];

	if (num_at(&r->a, doc, &year) < 0 || !gmtime_r(&now, &tm))
		return;
	long long limit = tm.tm_year + 1900LL + r->years_ahead;

	if (year > (double)limit)
		phx_issues_add(out, r->sev, r->code, r->a.text,
			       "%s %s is after %lld (this year %+lld)", field_name(&r->a),
			       fmt_num(year, a, sizeof a), limit, r->years_ahead);
}

static void time_not_after(const phx_rule *r, const json_t *doc, time_t now, phx_issues *out)
{
	const json_t *v = phx_jptr_get(&r->a, doc);
	char nowtext[PHX_TIME_LEN];
	time_t t;

	if (!json_is_string(v) || phx_time_parse(json_string_value(v), &t) != 0)
		return;
	if ((int64_t)t <= (int64_t)now + r->tolerance)
		return;
	phx_time_format(now, nowtext);
	phx_buf b = PHX_BUF_INIT;

	phx_buf_add_json_string(&b, json_string_value(v), json_string_length(v));
	phx_issues_add(out, r->sev, r->code, r->a.text, "%s %s is in the future (now %s)",
		       field_name(&r->a), b.data, nowtext);
	phx_buf_free(&b);
}

static void ratio_range(const phx_rule *r, const json_t *doc, phx_issues *out)
{
	double num, den;
	char a[64], b[64], c[64], why[128];

	if (num_at(&r->a, doc, &num) < 0 || num_at(&r->b, doc, &den) < 0 || den <= 0)
		return;
	if (outside(r, num / den, why, sizeof why))
		phx_issues_add(out, r->sev, r->code, r->a.text, "%s %s / %s %s = %s, %s",
			       field_name(&r->a), fmt_num(num, a, sizeof a), field_name(&r->b),
			       fmt_num(den, b, sizeof b), fmt_num(round(num / den * 100) / 100,
			       c, sizeof c), why);
}

/* The series item with the highest integer key that has a positive field. */
static int latest(const phx_rule *r, const json_t *series, json_int_t *year, double *value)
{
	size_t i;
	json_t *item;
	int found = 0;

	json_array_foreach(series, i, item) {
		const json_t *k = json_object_get(item, r->key);
		const json_t *f = json_object_get(item, r->field);

		if (!json_is_integer(k) || !json_is_number(f) || json_number_value(f) <= 0)
			continue;
		if (!found || json_integer_value(k) > *year) {
			*year = json_integer_value(k);
			*value = json_number_value(f);
			found = 1;
		}
	}
	return found;
}

static void latest_ratio(const phx_rule *r, const json_t *doc, phx_issues *out)
{
	const json_t *series = phx_jptr_get(&r->b, doc);
	json_int_t year = 0;
	double value, base = 0;
	char a[64], b[64], c[64], why[128];

	if (num_at(&r->a, doc, &value) < 0 || value <= 0 || !json_is_array(series) ||
	    !latest(r, series, &year, &base))
		return;
	if (outside(r, value / base, why, sizeof why))
		phx_issues_add(out, r->sev, r->code, r->a.text,
			       "%s %s is %s times the %s %s of %s %lld, %s", field_name(&r->a),
			       fmt_num(value, a, sizeof a),
			       fmt_num(round(value / base * 100) / 100, c, sizeof c),
			       r->field, fmt_num(base, b, sizeof b), r->key, (long long)year, why);
}

static int zip_in(const unsigned char *bits, const char *s, size_t len)
{
	int zip = 0;

	if (len != 5)
		return 0;
	for (size_t i = 0; i < 5; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		zip = zip * 10 + (s[i] - '0');
	}
	return (bits[zip / 8] >> (zip % 8)) & 1;
}

static void in_target(const phx_rules *R, const phx_rule *r, const json_t *doc,
		      phx_issues *out)
{
	const json_t *v = phx_jptr_get(&r->a, doc);

	if (!R->zips || !json_is_string(v))
		return;
	if (zip_in(R->zips, json_string_value(v), json_string_length(v)))
		return;
	phx_buf b = PHX_BUF_INIT;

	phx_buf_add_json_string(&b, json_string_value(v), json_string_length(v));
	phx_issues_add(out, r->sev, r->code, r->a.text,
		       "%s %s is outside the target area", field_name(&r->a), b.data);
	phx_buf_free(&b);
}

static void compare(const phx_rule *r, const json_t *doc, phx_issues *out)
{
	static const char *const names[] = { "<", "<=", ">", ">=", "==", "!=" };
	double x, y;
	int ok;
	char a[64], b[64];

	if (num_at(&r->a, doc, &x) < 0 || num_at(&r->b, doc, &y) < 0)
		return;
	switch (r->op) {
	case PHX_OP_LT: ok = x < y; break;
	case PHX_OP_LE: ok = x <= y; break;
	case PHX_OP_GT: ok = x > y; break;
	case PHX_OP_GE: ok = x >= y; break;
	case PHX_OP_EQ: ok = x == y; break;
	default: ok = x != y; break;
	}
	if (!ok)
		phx_issues_add(out, r->sev, r->code, r->a.text, "%s %s is not %s %s %s",
			       field_name(&r->a), fmt_num(x, a, sizeof a), names[r->op],
			       field_name(&r->b), fmt_num(y, b, sizeof b));
}

/* "apn:" + the APN upper case without separators when an APN is known, else
 * "addr:" + address_key (record.md). */
static void property_id(const phx_rule *r, const json_t *doc, phx_issues *out)
{
	const json_t *id = phx_jptr_get(&r->a, doc);
	const json_t *apn = phx_jptr_get(&r->b, doc);
	const json_t *key = phx_jptr_get(&r->c, doc);
	phx_buf want = PHX_BUF_INIT, got = PHX_BUF_INIT, exp = PHX_BUF_INIT;

	if (!json_is_string(id))
		return;
	if (json_is_string(apn) && json_string_length(apn) > 0) {
		phx_buf_adds(&want, "apn:");
		for (const char *s = json_string_value(apn); *s; s++)
			if (isalnum((unsigned char)*s))
				phx_buf_addc(&want, (char)toupper((unsigned char)*s));
	} else if (json_is_string(key)) {
		phx_buf_adds(&want, "addr:");
		phx_buf_add(&want, json_string_value(key), json_string_length(key));
	} else {
		return;
	}
	if (json_string_length(id) != want.len ||
	    memcmp(json_string_value(id), want.data, want.len) != 0) {
		phx_buf_add_json_string(&got, json_string_value(id), json_string_length(id));
		phx_buf_add_json_string(&exp, want.data, want.len);
		phx_issues_add(out, r->sev, r->code, r->a.text, "%s %s should be %s (from %s)",
			       field_name(&r->a), got.data, exp.data,
			       json_is_string(apn) && json_string_length(apn) > 0 ?
			       field_name(&r->b) : field_name(&r->c));
	}
	phx_buf_free(&want);
	phx_buf_free(&got);
	phx_buf_free(&exp);
}

void phx_rule_check(const phx_rules *R, const phx_rule *r, const json_t *doc, time_t now,
		    phx_issues *out)
{
	if (!applies(r, doc))
		return;
	switch (r->kind) {
	case PHX_RK_YEAR_NOT_AFTER: year_not_after(r, doc, now, out); break;
	case PHX_RK_TIME_NOT_AFTER: time_not_after(r, doc, now, out); break;
	case PHX_RK_RATIO_RANGE: ratio_range(r, doc, out); break;
	case PHX_RK_LATEST_RATIO: latest_ratio(r, doc, out); break;
	case PHX_RK_IN_TARGET: in_target(R, r, doc, out); break;
	case PHX_RK_COMPARE: compare(r, doc, out); break;
	case PHX_RK_PROPERTY_ID: property_id(r, doc, out); break;
	}
}
