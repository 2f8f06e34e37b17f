/* store_stats.c - statistics over stored documents: see store_stats.h. */
#include <stdlib.h>
#include <string.h>
#include "store_stats.h"
#include "timeutil.h"
#include "xalloc.h"

typedef struct series {
	long long *v;
	size_t n, cap;
} series;

typedef struct zip_stats {
	char *zip;
	long long count;
	series price, value;
} zip_stats;

struct phx_stats {
	time_t now;
	long long total;
	long long fresh[5];
	json_t *by_source;
	zip_stats *zips;
	size_t nzips, capzips;
	json_t *zip_index;	/* {zip: index} */
};

static const char *const fresh_names[5] = {"1d", "7d", "30d", "90d", "older"};
static const long fresh_days[4] = {1, 7, 30, 90};

phx_stats *phx_stats_new(time_t now)
{
	phx_stats *st = phx_xcalloc(1, sizeof *st);

	st->now = now;
	st->by_source = json_object();
	st->zip_index = json_object();
	return st;
}

static void series_add(series *s, long long x)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = phx_xrealloc(s->v, s->cap * sizeof *s->v);
	}
	s->v[s->n++] = x;
}

static zip_stats *zip_of(phx_stats *st, const char *zip)
{
	json_t *i = json_object_get(st->zip_index, zip);

	if (i)
		return &st->zips[json_integer_value(i)];
	if (st->nzips == st->capzips) {
		st->capzips = st->capzips ? st->capzips * 2 : 16;
		st->zips = phx_xrealloc(st->zips, st->capzips * sizeof *st->zips);
	}
	memset(&st->zips[st->nzips], 0, sizeof *st->zips);
	st->zips[st->nzips].zip = phx_xstrdup(zip);
	json_object_set_new(st->zip_index, zip, json_integer((json_int_t)st->nzips));
	return &st->zips[st->nzips++];
}

static void count_freshness(phx_stats *st, const char *last_seen)
{
	time_t t;
	int b;

	if (!last_seen || phx_time_parse(last_seen, &t) != 0) {
		st->fresh[4]++;
		return;
	}
	for (b = 0; b < 4; b++)
		if (st->now - t <= fresh_days[b] * 86400L)
			break;
	st->fresh[b]++;
}

void phx_stats_add(phx_stats *st, const json_t *doc)
{
	const char *zip = json_string_value(json_object_get(json_object_get(doc, "address"),
							    "zip"));
	json_t *sources = json_object_get(doc, "sources"), *e, *v;
	zip_stats *z;
	size_t i;

	st->total++;
	count_freshness(st, json_string_value(json_object_get(doc, "last_seen")));
	json_array_foreach(sources, i, e) {
		const char *src = json_string_value(json_object_get(e, "source"));
		if (src)
			json_object_set_new(st->by_source, src, json_integer(
				json_integer_value(json_object_get(st->by_source, src)) + 1));
	}
	z = zip_of(st, zip ? zip : "unknown");
	z->count++;
	v = json_object_get(doc, "price");
	if (json_is_integer(v))
		series_add(&z->price, json_integer_value(v));
	v = json_object_get(doc, "value");
	if (json_is_integer(v))
		series_add(&z->value, json_integer_value(v));
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

double phx_median(long long *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_ll);
	if (n % 2)
		return (double)v[n / 2];
	/* Halve before adding: no overflow near LLONG_MAX. */
	return (double)v[n / 2 - 1] / 2.0 + (double)v[n / 2] / 2.0;
}

/* A whole number stays an integer in JSON; a half stays a real. */
static json_t *number(double x)
{
	if (x == (double)(long long)x)
		return json_integer((json_int_t)x);
	return json_real(x);
}

static json_t *summary(series *s)
{
	long double sum = 0;
	size_t i;

	if (s->n == 0)
		return json_pack("{s:i}", "count", 0);
	for (i = 0; i < s->n; i++)
		sum += s->v[i];
	phx_median(s->v, s->n);
	return json_pack("{s:I, s:I, s:I, s:I, s:o}", "count", (json_int_t)s->n,
			 "min", (json_int_t)s->v[0], "max", (json_int_t)s->v[s->n - 1],
			 "mean", (json_int_t)(sum / s->n + (sum >= 0 ? 0.5L : -0.5L)),
			 "median", number(phx_median(s->v, s->n)));
}

static int cmp_zip(const void *a, const void *b)
{
	return strcmp(((const zip_stats *)a)->zip, ((const zip_stats *)b)->zip);
}

json_t *phx_stats_result(phx_stats *st)
{
	json_t *out = json_pack("{s:I}", "properties", (json_int_t)st->total);
	json_t *fresh = json_object(), *zips = json_object();
	size_t i;
	int b;

	for (b = 0; b < 5; b++)
		json_object_set_new(fresh, fresh_names[b], json_integer(st->fresh[b]));
	json_object_set_new(out, "freshness", fresh);
	json_object_set(out, "by_source", st->by_source);
	qsort(st->zips, st->nzips, sizeof *st->zips, cmp_zip);
	json_object_clear(st->zip_index);	/* indexes are stale after the sort */
	for (i = 0; i < st->nzips; i++) {
		zip_stats *z = &st->zips[i];
		json_object_set_new(zips, z->zip, json_pack("{s:I, s:o, s:o}", "properties",
				    (json_int_t)z->count, "price", summary(&z->price),
				    "value", summary(&z->value)));
	}
	json_object_set_new(out, "by_zip", zips);
	return out;
}

void phx_stats_free(phx_stats *st)
{
	size_t i;

	if (!st)
		return;
	for (i = 0; i < st->nzips; i++) {
		free(st->zips[i].zip);
		free(st->zips[i].price.v);
		free(st->zips[i].value.v);
	}
	free(st->zips);
	json_decref(st->by_source);
	json_decref(st->zip_index);
	free(st);
}
