/* store_mongo_admin.c - the MongoDB backend's maintenance half: indexes,
 * prune (archive or delete), the export iterator and the daily reports. */
#include <stdlib.h>
#include <string.h>
#include "bsonjson.h"
#include "store_mongo.h"
#include "xalloc.h"

/* Documents moved per round when archiving. */
#define PRUNE_BATCH 1000
/* Documents per reply when exporting (the default is 101). */
#define EXPORT_BATCH 1000
/* Longest dotted path of a daily_reports counter ("by_zip.85031.new"). */
#define COUNTER_PATH_MAX 256

/* ---- indexes ------------------------------------------------------------- */

typedef struct index_spec {
	const char *name;
	const char *key[3];	/* fields, ascending, NULL-terminated */
	int unique;
} index_spec;

/* What the queries need (runbook): the names are those mongod would give. */
static const index_spec wanted[] = {
	{"property_id_1", {"property_id", NULL}, 1},
	{"address_key_1", {"address_key", NULL}, 0},
	{"address.zip_1_property_type_1", {"address.zip", "property_type", NULL}, 0},
	{"address.zip_1_price_1", {"address.zip", "price", NULL}, 0},
	{"last_seen_1", {"last_seen", NULL}, 0},
};

static const index_spec report_date = {"date_1", {"date", NULL}, 1};

static void append_spec(bson_t *arr, const char *pos, const index_spec *x)
{
	bson_t spec, key;
	int i;

	BSON_APPEND_DOCUMENT_BEGIN(arr, pos, &spec);
	BSON_APPEND_DOCUMENT_BEGIN(&spec, "key", &key);
	for (i = 0; x->key[i]; i++)
		BSON_APPEND_INT32(&key, x->key[i], 1);
	bson_append_document_end(&spec, &key);
	BSON_APPEND_UTF8(&spec, "name", x->name);
	if (x->unique)
		BSON_APPEND_BOOL(&spec, "unique", true);
	bson_append_document_end(arr, &spec);
}

/* createIndexes is idempotent on the server: existing ones are left alone. */
static int create_indexes(mongo_store *m, const char *coll, const index_spec *const *specs,
			  size_t n, phx_store_error *err)
{
	bson_t cmd = BSON_INITIALIZER, arr;
	char pos[24];
	size_t i;
	int rc;

	BSON_APPEND_UTF8(&cmd, "createIndexes", coll);
	BSON_APPEND_ARRAY_BEGIN(&cmd, "indexes", &arr);
	for (i = 0; i < n; i++) {
		snprintf(pos, sizeof pos, "%zu", i);
		append_spec(&arr, pos, specs[i]);
	}
	bson_append_array_end(&cmd, &arr);
	rc = phx_mongo_command(m, &cmd, NULL, err);
	bson_destroy(&cmd);
	return rc;
}

/* An index on the same keys under another name (made by an older system)
 * makes mongod answer IndexOptionsConflict (85) or IndexKeySpecsConflict
 * (86): the constraint is there, which is all that writing needs. */
static int ensure_one(mongo_store *m, const char *coll, const index_spec *x,
		      phx_store_error *err)
{
	phx_store_error e = {0};

	if (create_indexes(m, coll, &x, 1, &e) == 0 ||
	    (!e.transient && (e.code == 85 || e.code == 86)))
		return 0;
	if (err)
		*err = e;
	return -1;
}

int phx_mongo_ensure_write_indexes(mongo_store *m, phx_store_error *err)
{
	if (ensure_one(m, PHX_MONGO_PROPERTIES, &wanted[0], err) < 0 ||
	    ensure_one(m, PHX_MONGO_PROPERTIES, &wanted[1], err) < 0)
		return -1;
	return ensure_one(m, PHX_MONGO_REPORTS, &report_date, err);
}

/* Names of the indexes the collection has now, as a JSON object used as a set. */
static json_t *existing_indexes(mongo_store *m, phx_store_error *err)
{
	mongoc_cursor_t *c = mongoc_collection_find_indexes_with_opts(m->props, NULL);
	json_t *names = json_object();
	const bson_t *doc;
	bson_iter_t it;
	bson_error_t e;
	const bson_t *reply;

	while (mongoc_cursor_next(c, &doc))
		if (bson_iter_init_find(&it, doc, "name") && BSON_ITER_HOLDS_UTF8(&it))
			json_object_set_new(names, bson_iter_utf8(&it, NULL), json_true());
	if (mongoc_cursor_error_document(c, &e, &reply)) {
		phx_mongo_error(err, &e, reply);
		json_decref(names);
		names = NULL;
	}
	mongoc_cursor_destroy(c);
	return names;
}

json_t *phx_mongo_ensure_indexes(phx_store *s, phx_store_error *err)
{
	mongo_store *m = (mongo_store *)s;
	const size_t n = sizeof wanted / sizeof wanted[0];
	const index_spec *todo[sizeof wanted / sizeof wanted[0]];
	json_t *have = existing_indexes(m, err), *out;
	size_t i, ntodo = 0;

	if (!have)
		return NULL;
	out = json_array();
	for (i = 0; i < n; i++) {
		int exists = json_object_get(have, wanted[i].name) != NULL;
		if (!exists)
			todo[ntodo++] = &wanted[i];
		json_array_append_new(out, json_pack("{s:s, s:s}", "index", wanted[i].name,
						     "status", exists ? "exists" : "created"));
	}
	json_decref(have);
	if (ntodo > 0 && create_indexes(m, PHX_MONGO_PROPERTIES, todo, ntodo, err) < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* ---- prune ---------------------------------------------------------------- */

static void stale_filter(bson_t *filter, const char *cutoff)
{
	bson_t lt;

	BSON_APPEND_DOCUMENT_BEGIN(filter, "last_seen", &lt);
	BSON_APPEND_UTF8(&lt, "$lt", cutoff);
	bson_append_document_end(filter, &lt);
}

/* Upsert each document into the archive by property_id (so a retried
 * round does not archive twice) and collect the ids. */
static int archive_round(mongo_store *m, mongoc_collection_t *archive, mongoc_cursor_t *c,
			 bson_t *ids, size_t *nids, phx_store_error *err)
{
	bson_t opts = BSON_INITIALIZER, upsert = BSON_INITIALIZER, reply;
	mongoc_bulk_operation_t *bulk;
	const bson_t *doc;
	bson_error_t e;
	char pos[24];
	int rc = 0;

	(void)m;
	BSON_APPEND_BOOL(&opts, "ordered", false);
	BSON_APPEND_BOOL(&upsert, "upsert", true);
	bulk = mongoc_collection_create_bulk_operation_with_opts(archive, &opts);
	*nids = 0;
	while (mongoc_cursor_next(c, &doc)) {
		bson_t sel = BSON_INITIALIZER, copy = BSON_INITIALIZER;
		const char *id = NULL;
		bson_iter_t it;
		if (bson_iter_init_find(&it, doc, "property_id") && BSON_ITER_HOLDS_UTF8(&it))
			id = bson_iter_utf8(&it, NULL);
		if (id) {
			BSON_APPEND_UTF8(&sel, "property_id", id);
			bson_copy_to_excluding_noinit(doc, &copy, "_id", NULL);
			mongoc_bulk_operation_replace_one_with_opts(bulk, &sel, &copy, &upsert, NULL);
			snprintf(pos, sizeof pos, "%zu", *nids);
			BSON_APPEND_UTF8(ids, pos, id);
			(*nids)++;
		}
		bson_destroy(&sel);
		bson_destroy(&copy);
	}
	if (mongoc_cursor_error_document(c, &e, &doc)) {
		phx_mongo_error(err, &e, doc);
		rc = -1;
	} else if (*nids > 0) {
		if (!mongoc_bulk_operation_execute(bulk, &reply, &e)) {
			phx_mongo_error(err, &e, &reply);
			rc = -1;
		}
		bson_destroy(&reply);
	}
	mongoc_bulk_operation_destroy(bulk);
	bson_destroy(&opts);
	bson_destroy(&upsert);
	return rc;
}

/* Delete the archived ids that are still stale (one seen meanwhile stays). */
static int delete_archived(mongo_store *m, const bson_t *ids, const char *cutoff,
			   long long *count, phx_store_error *err)
{
	bson_t filter = BSON_INITIALIZER, in, reply;
	bson_error_t e;
	bson_iter_t it;
	int rc = 0;

	BSON_APPEND_DOCUMENT_BEGIN(&filter, "property_id", &in);
	BSON_APPEND_ARRAY(&in, "$in", ids);
	bson_append_document_end(&filter, &in);
	stale_filter(&filter, cutoff);
	if (mongoc_collection_delete_many(m->props, &filter, NULL, &reply, &e)) {
		if (bson_iter_init_find(&it, &reply, "deletedCount"))
			*count += bson_iter_as_int64(&it);
	} else {
		phx_mongo_error(err, &e, &reply);
		rc = -1;
	}
	bson_destroy(&reply);
	bson_destroy(&filter);
	return rc;
}

/* Rounds of: find up to PRUNE_BATCH stale documents, copy them into the
 * archive, delete them. A fresh query each round, so no cursor has to
 * survive the deletions. */
static int prune_archive(mongo_store *m, const char *cutoff, long long *count,
			 phx_store_error *err)
{
	mongoc_collection_t *archive = mongoc_database_get_collection(m->db, PHX_MONGO_ARCHIVE);
	bson_t filter = BSON_INITIALIZER, opts = BSON_INITIALIZER;
	int rc = ensure_one(m, PHX_MONGO_ARCHIVE, &wanted[0], err);

	stale_filter(&filter, cutoff);
	BSON_APPEND_INT64(&opts, "limit", PRUNE_BATCH);
	while (rc == 0) {
		mongoc_cursor_t *c = mongoc_collection_find_with_opts(m->props, &filter, &opts, NULL);
		bson_t ids = BSON_INITIALIZER;
		long long before = *count;
		size_t nids = 0;
		rc = archive_round(m, archive, c, &ids, &nids, err);
		mongoc_cursor_destroy(c);
		if (rc == 0 && nids > 0)
			rc = delete_archived(m, &ids, cutoff, count, err);
		bson_destroy(&ids);
		if (nids == 0 || *count == before)
			break;	/* done, or nothing could be removed: do not spin */
	}
	bson_destroy(&filter);
	bson_destroy(&opts);
	mongoc_collection_destroy(archive);
	return rc;
}

int phx_mongo_prune(phx_store *s, const char *cutoff, phx_prune_mode mode,
		    long long *count, phx_store_error *err)
{
	mongo_store *m = (mongo_store *)s;
	bson_t filter = BSON_INITIALIZER, reply;
	bson_error_t e;
	bson_iter_t it;
	int64_t n;
	int rc = 0;

	*count = 0;
	phx_mongo_recent_clear(&m->recent);	/* what it moves or deletes is no longer there */
	stale_filter(&filter, cutoff);
	if (mode == PHX_PRUNE_COUNT) {
		n = mongoc_collection_count_documents(m->props, &filter, NULL, NULL, &reply, &e);
		if (n < 0) {
			phx_mongo_error(err, &e, &reply);
			rc = -1;
		} else {
			*count = n;
		}
		bson_destroy(&reply);
	} else if (mode == PHX_PRUNE_DELETE) {
		if (mongoc_collection_delete_many(m->props, &filter, NULL, &reply, &e)) {
			if (bson_iter_init_find(&it, &reply, "deletedCount"))
				*count = bson_iter_as_int64(&it);
		} else {
			phx_mongo_error(err, &e, &reply);
			rc = -1;
		}
		bson_destroy(&reply);
	} else {
		rc = prune_archive(m, cutoff, count, err);
	}
	bson_destroy(&filter);
	return rc;
}

/* ---- export iterator ------------------------------------------------------ */

typedef struct mongo_iter {
	phx_store_iter base;	/* first: store.c finds the store here */
	mongoc_cursor_t *cursor;
} mongo_iter;

phx_store_iter *phx_mongo_iter_open(phx_store *s, const char *zip, const char *since,
				    phx_store_error *err)
{
	mongo_store *m = (mongo_store *)s;
	bson_t filter = BSON_INITIALIZER, opts = BSON_INITIALIZER, sub;
	mongo_iter *it = phx_xcalloc(1, sizeof *it);

	(void)err;	/* the first next() reports a failed query */
	if (zip)
		BSON_APPEND_UTF8(&filter, "address.zip", zip);
	if (since) {
		BSON_APPEND_DOCUMENT_BEGIN(&filter, "last_seen", &sub);
		BSON_APPEND_UTF8(&sub, "$gte", since);
		bson_append_document_end(&filter, &sub);
	}
	BSON_APPEND_DOCUMENT_BEGIN(&opts, "sort", &sub);
	BSON_APPEND_INT32(&sub, "property_id", 1);
	bson_append_document_end(&opts, &sub);
	BSON_APPEND_INT32(&opts, "batchSize", EXPORT_BATCH);
	it->base.store = s;
	it->cursor = mongoc_collection_find_with_opts(m->props, &filter, &opts, NULL);
	bson_destroy(&filter);
	bson_destroy(&opts);
	return &it->base;
}

int phx_mongo_iter_next(phx_store_iter *base, json_t **doc, phx_store_error *err)
{
	mongo_iter *it = (mongo_iter *)base;
	const bson_t *bdoc, *reply;
	bson_error_t e;

	*doc = NULL;
	if (mongoc_cursor_next(it->cursor, &bdoc)) {
		*doc = phx_bson_to_json(bdoc, phx_mongo_hidden);
		if (*doc)
			return 1;
		phx_store_error_set(err, "mongo", 0, 0, "stored document is not valid UTF-8 JSON");
		return -1;
	}
	if (mongoc_cursor_error_document(it->cursor, &e, &reply)) {
		phx_mongo_error(err, &e, reply);
		return -1;
	}
	return 0;
}

void phx_mongo_iter_close(phx_store_iter *base)
{
	mongo_iter *it = (mongo_iter *)base;

	mongoc_cursor_destroy(it->cursor);
	free(it);
}

/* ---- daily reports -------------------------------------------------------- */

/* Every integer leaf of delta as a dotted $inc path. Keys are checked like
 * record keys: a source or ZIP named "$x" or "a.b" must not become a path. */
static int flatten_counts(bson_t *inc, const json_t *obj, char *path, size_t len,
			  phx_store_error *err)
{
	const char *key;
	json_t *v;
	void *it;

	for (it = json_object_iter((json_t *)obj); it;
	     it = json_object_iter_next((json_t *)obj, it)) {
		size_t klen = json_object_iter_key_len(it), plen = len + (len ? 1 : 0) + klen;
		key = json_object_iter_key(it);
		v = json_object_iter_value(it);
		if (!json_is_integer(v) && !json_is_object(v))
			continue;
		if (klen == 0 || !phx_bson_key_safe(key, klen) || plen >= COUNTER_PATH_MAX) {
			phx_store_error_set(err, "store", 0, 0,
					    "daily report: unusable counter name \"%.40s\"", key);
			return -1;
		}
		if (len)
			path[len] = '.';
		memcpy(path + len + (len ? 1 : 0), key, klen);
		path[plen] = '\0';
		if (json_is_integer(v))
			bson_append_int64(inc, path, (int)plen, (int64_t)json_integer_value(v));
		else if (flatten_counts(inc, v, path, plen, err) < 0)
			return -1;
		path[len] = '\0';
	}
	return 0;
}

/* One $inc upsert on {date}: concurrent runs add up instead of overwriting,
 * and the unique date index keeps it one document per day. */
int phx_mongo_report_add(phx_store *s, const char *date, const json_t *delta,
			 const char *updated_at, phx_store_error *err)
{
	mongo_store *m = (mongo_store *)s;
	bson_t filter = BSON_INITIALIZER, update = BSON_INITIALIZER, opts = BSON_INITIALIZER;
	bson_t inc = BSON_INITIALIZER, set, reply;
	char path[COUNTER_PATH_MAX] = "";
	bson_error_t e;
	int rc = 0;

	if (json_is_object(delta) && flatten_counts(&inc, delta, path, 0, err) < 0) {
		rc = -1;
		goto out;
	}
	BSON_APPEND_UTF8(&filter, "date", date);
	if (!bson_empty(&inc))
		BSON_APPEND_DOCUMENT(&update, "$inc", &inc);
	BSON_APPEND_DOCUMENT_BEGIN(&update, "$set", &set);
	BSON_APPEND_UTF8(&set, "updated_at", updated_at ? updated_at : "");
	bson_append_document_end(&update, &set);
	BSON_APPEND_BOOL(&opts, "upsert", true);
	if (!mongoc_collection_update_one(m->reports, &filter, &update, &opts, &reply, &e)) {
		phx_mongo_error(err, &e, &reply);
		rc = -1;
	}
	bson_destroy(&reply);
out:
	bson_destroy(&filter);
	bson_destroy(&update);
	bson_destroy(&opts);
	bson_destroy(&inc);
	return rc;
}

json_t *phx_mongo_report_get(phx_store *s, const char *date, phx_store_error *err)
{
	mongo_store *m = (mongo_store *)s;
	bson_t filter = BSON_INITIALIZER, opts = BSON_INITIALIZER;
	const bson_t *bdoc, *reply;
	mongoc_cursor_t *c;
	json_t *doc = NULL;
	bson_error_t e;

	BSON_APPEND_UTF8(&filter, "date", date);
	BSON_APPEND_INT64(&opts, "limit", 1);
	c = mongoc_collection_find_with_opts(m->reports, &filter, &opts, NULL);
	if (mongoc_cursor_next(c, &bdoc)) {
		doc = phx_bson_to_json(bdoc, phx_mongo_hidden);
		if (!doc)
			phx_store_error_set(err, "mongo", 0, 0, "%s: report is not valid JSON", date);
	} else if (mongoc_cursor_error_document(c, &e, &reply)) {
		phx_mongo_error(err, &e, reply);
	}
	mongoc_cursor_destroy(c);
	bson_destroy(&filter);
	bson_destroy(&opts);
	return doc;
}
