/* store.c - choosing the backend from the URI, and the calls that dispatch
 * to it. The tool never learns which backend it has. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "store.h"
#include "jsonparse.h"
#include "xalloc.h"

void phx_store_error_set(phx_store_error *err, const char *domain, int code,
			 int transient, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	snprintf(err->domain, sizeof err->domain, "%s", domain);
	err->code = code;
	err->transient = transient;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
}

void phx_store_error_clear(phx_store_error *err)
{
	if (err)
		memset(err, 0, sizeof *err);
}

static int has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

phx_store *phx_store_open(const char *uri, const phx_store_options *opts,
			  phx_store_error *err)
{
	static const phx_store_options defaults = {
		PHX_STORE_DATABASE_DEFAULT, 10000, 5000, 30000, 0};
	phx_store_options o = opts ? *opts : defaults;

	phx_store_error_clear(err);
	if (!o.database || !*o.database)
		o.database = defaults.database;
	if (o.busy_timeout_ms <= 0)
		o.busy_timeout_ms = defaults.busy_timeout_ms;
	if (o.connect_timeout_ms <= 0)
		o.connect_timeout_ms = defaults.connect_timeout_ms;
	if (o.op_timeout_ms <= 0)
		o.op_timeout_ms = defaults.op_timeout_ms;
	if (!uri || !*uri) {
		phx_store_error_set(err, "store", 0, 0, "no database given");
		return NULL;
	}
	if (has_prefix(uri, "mongodb://") || has_prefix(uri, "mongodb+srv://"))
		return phx_store_mongo_open(uri, &o, err);
	if (has_prefix(uri, "sqlite://"))
		return phx_store_sqlite_open(uri + 9, &o, err);
	if (has_prefix(uri, "sqlite:"))
		return phx_store_sqlite_open(uri + 7, &o, err);
	if (has_prefix(uri, "file:"))
		return phx_store_sqlite_open(uri + 5, &o, err);
	if (strstr(uri, "://")) {
		phx_store_error_set(err, "store", 0, 0,
				    "unknown database scheme (want a path, sqlite: or mongodb://)");
		return NULL;
	}
	return phx_store_sqlite_open(uri, &o, err);
}

const char *phx_store_kind(const phx_store *s) { return s->ops->kind; }
const char *phx_store_display(const phx_store *s) { return s->display; }

void phx_store_close(phx_store *s)
{
	if (s)
		s->ops->close(s);
}

int phx_store_begin(phx_store *s, phx_store_error *err)
{
	phx_store_error_clear(err);
	return s->ops->begin(s, err);
}

int phx_store_commit(phx_store *s, phx_store_error *err)
{
	phx_store_error_clear(err);
	return s->ops->commit(s, err);
}

void phx_store_rollback(phx_store *s) { s->ops->rollback(s); }

int phx_store_get(phx_store *s, const char *const *ids, size_t n, json_t **docs,
		  long long *revs, phx_store_error *err)
{
	phx_store_error_clear(err);
	return s->ops->get(s, ids, n, docs, revs, err);
}

int phx_store_find_parcels(phx_store *s, const char *const *keys, size_t n,
			   char **match, int *counts, phx_store_error *err)
{
	phx_store_error_clear(err);
	return s->ops->find_parcels(s, keys, n, match, counts, err);
}

/* For a backend that wants trees: items given as text get their whole
 * document parsed for the call. */
static int put_as_trees(phx_store *s, phx_store_item *items, size_t n, phx_store_error *err)
{
	json_t **small = phx_xcalloc(n + 1, sizeof *small);
	size_t i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		json_t *whole;
		if (!items[i].text)
			continue;
		whole = phx_json_parse(items[i].text, items[i].text_len, NULL);
		if (!whole) {
			phx_store_error_set(err, "store", 0, 0, "%s: a document text that is not "
					    "JSON", items[i].property_id);
			rc = -1;
			break;
		}
		small[i] = items[i].doc;
		items[i].doc = whole;
	}
	if (rc == 0)
		rc = s->ops->put(s, items, n, err);
	for (i = 0; i < n; i++)
		if (small[i]) {
			json_decref(items[i].doc);
			items[i].doc = small[i];
		}
	free(small);
	return rc;
}

int phx_store_put(phx_store *s, phx_store_item *items, size_t n, phx_store_error *err)
{
	size_t i;

	phx_store_error_clear(err);
	if (!s->ops->stores_text)
		for (i = 0; i < n; i++)
			if (items[i].text)
				return put_as_trees(s, items, n, err);
	return s->ops->put(s, items, n, err);
}

int phx_store_get_sums(phx_store *s, const char *const *ids, size_t n, char **sums,
		       phx_store_error *err)
{
	phx_store_error_clear(err);
	if (!s->ops->get_sums)
		return 1;
	return s->ops->get_sums(s, ids, n, sums, err);
}

int phx_store_delete(phx_store *s, const char *property_id, phx_store_error *err)
{
	phx_store_error_clear(err);
	return s->ops->del(s, property_id, err);
}

json_t *phx_store_ensure_indexes(phx_store *s, phx_store_error *err)
{
	phx_store_error_clear(err);
	return s->ops->ensure_indexes(s, err);
}

int phx_store_prune(phx_store *s, const char *cutoff, phx_prune_mode mode,
		    long long *count, phx_store_error *err)
{
	phx_store_error_clear(err);
	return s->ops->prune(s, cutoff, mode, count, err);
}

phx_store_iter *phx_store_iter_open(phx_store *s, const char *zip, const char *since,
				    phx_store_error *err)
{
	phx_store_error_clear(err);
	return s->ops->iter_open(s, zip, since, err);
}

int phx_store_iter_next(phx_store_iter *it, json_t **doc, phx_store_error *err)
{
	phx_store_error_clear(err);
	return it->store->ops->iter_next(it, doc, err);
}

void phx_store_iter_close(phx_store_iter *it)
{
	if (it)
		it->store->ops->iter_close(it);
}

long long phx_store_count(phx_store *s, phx_store_error *err)
{
	phx_store_error_clear(err);
	return s->ops->count(s, err);
}

int phx_store_report_add(phx_store *s, const char *date, const json_t *delta,
			 const char *updated_at, phx_store_error *err)
{
	phx_store_error_clear(err);
	return s->ops->report_add(s, date, delta, updated_at, err);
}

json_t *phx_store_report_get(phx_store *s, const char *date, phx_store_error *err)
{
	phx_store_error_clear(err);
	return s->ops->report_get(s, date, err);
}
