/* report_store.c - what the store says about a day: its daily_reports
 * counters, the new listings and price changes of the day, and price and
 * value statistics per ZIP, all from one pass over the stored documents. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report_int.h"
#include "log.h"
#include "exitcode.h"
#include "merge.h"
#include "store_stats.h"
#include "timeutil.h"

long long phx_jint(const json_t *o, const char *key, long long def)
{
	const json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? (long long)json_integer_value(v) : def;
}

const char *phx_jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

void phx_report_day_name(time_t first, int i, char out[16])
{
	phx_phoenix_date(first + (time_t)i * 86400 + 3600, out);
}

static void store_failed(phx_report_ctx *c, json_t *model, const phx_store_error *err)
{
	json_t *st = json_object_get(model, "store");
	phx_err("store: %s (%s %d)", err->message, err->domain, err->code);
	if (st)
		json_object_set_new(st, "error", json_string(err->message));
	c->worst = phx_exit_worst(c->worst, err->transient ? PHX_EX_TEMPFAIL
							   : PHX_EX_UNAVAILABLE);
}

/* "4027 N 55TH AVE #2, PHOENIX" from the address, else the address key. */
static json_t *address_line(const json_t *doc)
{
	const json_t *a = json_object_get(doc, "address");
	const char *street = phx_jstr(a, "street"), *unit = phx_jstr(a, "unit");
	const char *city = phx_jstr(a, "city");
	char line[512];

	if (!street || !*street) {
		const char *key = phx_jstr(doc, "address_key");
		return json_string(key ? key : "(no address)");
	}
	snprintf(line, sizeof line, "%s%s%s%s%s", street, unit && *unit ? " #" : "",
		 unit && *unit ? unit : "", city && *city ? ", " : "", city ? city : "");
	return json_string(line);
}

static json_t *number_or_null(const json_t *v)
{
	return json_is_number(v) ? json_copy((json_t *)v) : json_null();
}

json_t *phx_report_listing(const json_t *doc)
{
	const json_t *f = json_object_get(doc, "features");
	const json_t *l = json_object_get(doc, "listing");
	const char *zip = phx_jstr(json_object_get(doc, "address"), "zip");
	const char *url = phx_jstr(l, "url"), *id = phx_jstr(doc, "property_id");

	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "property_id", id ? id : "",
			 "address", address_line(doc),
			 "zip", zip ? json_string(zip) : json_null(),
			 "price", number_or_null(json_object_get(doc, "price")),
			 "beds", number_or_null(json_object_get(f, "bedrooms")),
			 "baths", number_or_null(json_object_get(f, "bathrooms")),
			 "url", url ? json_string(url) : json_null());
}

static time_t entry_time(const json_t *e)
{
	time_t t;
	const char *at = phx_jstr(e, "at");
	return at && phx_time_parse(at, &t) == 0 ? t : (time_t)-1;
}

/* From price_history: the last price before the day (prev) and the last
 * one by its end (now). No price before the day and one in it: new. */
int phx_report_classify(const json_t *doc, time_t from, time_t to, long long *old_price)
{
	const json_t *h = json_object_get(doc, "price_history"), *prev = NULL, *cur = NULL;
	int in_day = 0;
	size_t i;
	json_t *e;

	json_array_foreach(h, i, e) {
		time_t t = entry_time(e);
		if (t == (time_t)-1 || t >= to || !json_is_integer(json_object_get(e, "price")))
			continue;
		if (t < from)
			prev = e;
		else
			in_day = 1;
		cur = e;
	}
	if (!in_day)
		return 0;
	if (!prev)
		return 1;
	long long a = phx_jint(prev, "price", 0), b = phx_jint(cur, "price", 0);
	if (a == b)
		return 0;
	*old_price = a;
	return 2;
}

static long long collected(const json_t *day)
{
	const json_t *t = json_object_get(day, "totals");
	return phx_jint(t, "new", 0) + phx_jint(t, "updated", 0) + phx_jint(t, "unchanged", 0);
}

/* Each history day's counters from daily_reports, and "properties" collected. */
static void fill_history(phx_report_ctx *c, phx_store *s, json_t *model, json_t *history)
{
	static const char *const keys[] = { "new", "updated", "unchanged", "rejected", NULL };
	phx_store_error err;
	size_t i;
	json_t *e;

	json_array_foreach(history, i, e) {
		json_t *d = phx_store_report_get(s, phx_jstr(e, "date"), &err);
		if (!d && err.domain[0]) {
			store_failed(c, model, &err);
			return;
		}
		const json_t *t = json_object_get(d, "totals");
		json_object_set_new(e, "properties", json_integer(d ? collected(d) : 0));
		for (int k = 0; keys[k]; k++)
			json_object_set_new(e, keys[k], json_integer(phx_jint(t, keys[k], 0)));
		json_decref(d);
	}
}

static void day_counts(phx_report_ctx *c, phx_store *s, json_t *model)
{
	phx_store_error err;
	json_t *doc = phx_store_report_get(s, c->date, &err);

	if (!doc && err.domain[0]) {
		store_failed(c, model, &err);
		return;
	}
	if (!doc)
		doc = json_pack("{s:{}, s:{}, s:{}}", "totals", "by_source", "by_zip");
	json_object_del(doc, "date");
	json_object_del(doc, "updated_at");
	json_object_set_new(model, "collection", doc);
}

void phx_report_store_history(phx_report_ctx *c, json_t *model, json_t *history)
{
	phx_store_error err;
	phx_store *s = phx_store_open(c->uri, &c->sopts, &err);

	if (!s) {
		store_failed(c, model, &err);
		return;
	}
	fill_history(c, s, model, history);
	phx_store_close(s);
}

/* Listings sorted by ZIP, then address, so reports read the same twice. */
static int by_zip_address(const void *pa, const void *pb)
{
	const json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
	const char *za = phx_jstr(a, "zip"), *zb = phx_jstr(b, "zip");
	int r = strcmp(za ? za : "", zb ? zb : "");
	return r ? r : strcmp(phx_jstr(a, "address"), phx_jstr(b, "address"));
}

static json_t *sorted(json_t *arr)
{
	size_t n = json_array_size(arr);
	json_t **v = n ? calloc(n, sizeof *v) : NULL, *out = json_array();
	if (n && !v)
		return arr;
	for (size_t i = 0; i < n; i++)
		v[i] = json_array_get(arr, i);
	if (n)
		qsort(v, n, sizeof *v, by_zip_address);
	for (size_t i = 0; i < n; i++)
		json_array_append(out, v[i]);
	free(v);
	json_decref(arr);
	return out;
}

static void walk(phx_report_ctx *c, phx_store *s, json_t *model)
{
	phx_store_error err;
	phx_stats *st = phx_stats_new(c->now);
	json_t *fresh = json_array(), *changes = json_array(), *doc;
	phx_store_iter *it = phx_store_iter_open(s, NULL, NULL, &err);
	int more = 0;

	if (it) {
		while ((more = phx_store_iter_next(it, &doc, &err)) == 1) {
			long long old = 0;
			int k = phx_report_classify(doc, c->day_start, c->day_end, &old);
			phx_stats_add(st, doc);
			if (k) {
				json_t *l = phx_report_listing(doc);
				if (k == 2)
					json_object_set_new(l, "old_price", json_integer(old));
				json_array_append_new(k == 1 ? fresh : changes, l);
			}
			json_decref(doc);
		}
		phx_store_iter_close(it);
	}
	if (!it || more < 0)
		store_failed(c, model, &err);
	json_t *res = phx_stats_result(st);
	json_object_set(model, "zip_stats", json_object_get(res, "by_zip"));
	json_object_set(model, "stored", json_object_get(res, "properties"));
	json_decref(res);
	phx_stats_free(st);
	json_object_set_new(model, "new_listings", sorted(fresh));
	json_object_set_new(model, "price_changes", sorted(changes));
}

void phx_report_store(phx_report_ctx *c, json_t *model, json_t *history)
{
	phx_store_error err;
	phx_store *s = phx_store_open(c->uri, &c->sopts, &err);
	json_t *info = json_object();

	json_object_set_new(model, "store", info);
	if (!s) {
		json_object_set_new(info, "display", json_string("(unavailable)"));
		store_failed(c, model, &err);
		json_object_set_new(model, "collection",
				    json_pack("{s:{}, s:{}, s:{}}", "totals", "by_source", "by_zip"));
		json_object_set_new(model, "new_listings", json_array());
		json_object_set_new(model, "price_changes", json_array());
		json_object_set_new(model, "zip_stats", json_object());
		return;
	}
	json_object_set_new(info, "display", json_string(phx_store_display(s)));
	day_counts(c, s, model);
	fill_history(c, s, model, history);
	walk(c, s, model);
	phx_store_close(s);
}
