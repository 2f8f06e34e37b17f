/* store_mongo.c - the MongoDB backend of store.h, through libmongoc 1.23:
 * connecting, error mapping, and reading and writing property documents.
 * Indexes, prune, export and daily reports are in store_mongo_admin.c.
 *
 * Each stored document carries, besides the tool's document, a server-made
 * ObjectId _id and our revision _rev. A write is a replace-one upsert whose
 * filter is {property_id, _rev: <the revision read>} under the unique
 * property_id index: it lands when nobody wrote since the read; otherwise
 * the upsert's insert collides with the existing document (E11000) and the
 * item is a conflict (any other duplicate key fails that document).
 * Resending a batch after a lost connection therefore never stores
 * anything twice. A standalone mongod gives no driver retries
 * for writes: on a transient failure the whole batch is reported
 * unconfirmed and the tool replays it (see store.h). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "bsonjson.h"
#include "jsonparse.h"
#include "log.h"
#include "merge.h"
#include "redact.h"
#include "store_mongo.h"
#include "xalloc.h"

/* MongoDB refuses documents above 16 MiB; check before sending so that one
 * such document fails alone instead of failing its whole batch in the driver. */
#define MAX_DOC_BYTES (16 * 1024 * 1024)

const char *const phx_mongo_hidden[] = {"_id", PHX_MONGO_REV, NULL};

static const phx_store_ops mongo_ops;

/* ---- the driver, errors ------------------------------------------------ */

static void log_driver(mongoc_log_level_t level, const char *domain, const char *msg,
		       void *data)
{
	(void)data;
	if (level <= MONGOC_LOG_LEVEL_WARNING)
		phx_info("mongoc %s: %s", domain, msg);
	else if (level <= MONGOC_LOG_LEVEL_INFO)
		phx_debug("mongoc %s: %s", domain, msg);
}

static void init_driver(void)
{
	/* The driver's own messages go through the redacting logger, not stderr,
	 * from the first one on (mongoc_init itself may warn). Its shared-memory
	 * counters are off: nothing here reads them, and when /dev/shm is short
	 * the driver printed "Falling back to malloc for counters" into reports. */
	mongoc_log_set_handler(log_driver, NULL);
	setenv("MONGOC_DISABLE_SHM", "1", 0);
	mongoc_init();
	atexit(mongoc_cleanup);
}

/* Server error codes where trying again later can succeed. */
static int transient_code(int code)
{
	static const int codes[] = {
		6,	/* HostUnreachable */
		7,	/* HostNotFound */
		64,	/* WriteConcernFailed (wtimeout) */
		89,	/* NetworkTimeout */
		91,	/* ShutdownInProgress */
		134,	/* ReadConcernMajorityNotAvailableYet */
		189,	/* PrimarySteppedDown */
		262,	/* ExceededTimeLimit */
		9001,	/* SocketException */
		10107,	/* NotWritablePrimary */
		11600,	/* InterruptedAtShutdown */
		11602,	/* InterruptedDueToReplStateChange */
		13435,	/* NotPrimaryNoSecondaryOk */
		13436,	/* NotPrimaryOrSecondary */
	};
	size_t i;

	for (i = 0; i < sizeof codes / sizeof codes[0]; i++)
		if (codes[i] == code)
			return 1;
	return 0;
}

void phx_mongo_error(phx_store_error *err, const bson_error_t *e, const bson_t *reply)
{
	int transient = e->domain == MONGOC_ERROR_STREAM ||
			e->domain == MONGOC_ERROR_SERVER_SELECTION;

	if ((e->domain == MONGOC_ERROR_SERVER || e->domain == MONGOC_ERROR_WRITE_CONCERN) &&
	    transient_code((int)e->code))
		transient = 1;
	if (reply && (mongoc_error_has_label(reply, "RetryableWriteError") ||
		      mongoc_error_has_label(reply, "NetworkError")))
		transient = 1;
	phx_store_error_set(err, "mongo", (int)e->code, transient, "%s", e->message);
}

int phx_mongo_command(mongo_store *m, const bson_t *cmd, bson_t *reply,
		      phx_store_error *err)
{
	bson_t local;
	bson_error_t e;
	bson_t *r = reply ? reply : &local;
	int ok = mongoc_database_write_command_with_opts(m->db, cmd, NULL, r, &e);

	if (!ok)
		phx_mongo_error(err, &e, r);
	if (!reply)
		bson_destroy(&local);
	return ok ? 0 : -1;
}

/* ---- opening ----------------------------------------------------------- */

/* The URI as it may be shown: "scheme://user:***@hosts/...". The password
 * (as written and as decoded) is also registered with the redactor, and so
 * is a TLS key file password given in the options. */
static char *display_uri(const char *text, const mongoc_uri_t *uri)
{
	const char *hosts = strstr(text, "://");
	const char *end, *at = NULL, *colon, *p;
	phx_buf out = {0};

	if (uri && mongoc_uri_get_password(uri))
		phx_redact_add(mongoc_uri_get_password(uri));
	if (uri && mongoc_uri_get_option_as_utf8(uri, MONGOC_URI_TLSCERTIFICATEKEYFILEPASSWORD,
						 NULL))
		phx_redact_add(mongoc_uri_get_option_as_utf8(
			uri, MONGOC_URI_TLSCERTIFICATEKEYFILEPASSWORD, NULL));
	if (!hosts)
		return phx_redact_dup(text);
	hosts += 3;
	end = hosts + strcspn(hosts, "/?");
	for (p = hosts; p < end; p++)
		if (*p == '@')
			at = p;
	if (!at)
		return phx_redact_dup(text);
	colon = memchr(hosts, ':', (size_t)(at - hosts));
	if (colon) {
		char *raw = phx_xstrndup(colon + 1, (size_t)(at - colon - 1));
		phx_redact_add(raw);
		free(raw);
	}
	phx_buf_add(&out, text, (size_t)((colon ? colon : at) - text));
	if (colon)
		phx_buf_adds(&out, ":***");
	phx_buf_adds(&out, at);
	return phx_buf_steal(&out);
}

static int32_t clamp_ms(long ms)
{
	return ms <= 0 ? 1 : ms > INT32_MAX ? INT32_MAX : (int32_t)ms;
}

/* Our timeouts, unless the URI sets its own. */
static void apply_timeouts(mongoc_uri_t *uri, const phx_store_options *o)
{
	if (!mongoc_uri_has_option(uri, MONGOC_URI_CONNECTTIMEOUTMS))
		mongoc_uri_set_option_as_int32(uri, MONGOC_URI_CONNECTTIMEOUTMS,
					       clamp_ms(o->connect_timeout_ms));
	if (!mongoc_uri_has_option(uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS))
		mongoc_uri_set_option_as_int32(uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS,
					       clamp_ms(o->connect_timeout_ms));
	if (!mongoc_uri_has_option(uri, MONGOC_URI_SOCKETTIMEOUTMS))
		mongoc_uri_set_option_as_int32(uri, MONGOC_URI_SOCKETTIMEOUTMS,
					       clamp_ms(o->op_timeout_ms));
	if (!mongoc_uri_get_appname(uri))
		mongoc_uri_set_appname(uri, "phx-store");
}

static int ping(mongo_store *m, phx_store_error *err)
{
	bson_t cmd = BSON_INITIALIZER, reply;
	bson_error_t e;
	int ok;

	BSON_APPEND_INT32(&cmd, "ping", 1);
	ok = mongoc_client_command_simple(m->client, "admin", &cmd, NULL, &reply, &e);
	if (!ok)
		phx_mongo_error(err, &e, &reply);
	bson_destroy(&reply);
	bson_destroy(&cmd);
	return ok ? 0 : -1;
}

static void mongo_close(phx_store *s)
{
	mongo_store *m = (mongo_store *)s;

	if (m->props)
		mongoc_collection_destroy(m->props);
	if (m->reports)
		mongoc_collection_destroy(m->reports);
	if (m->db)
		mongoc_database_destroy(m->db);
	if (m->client)
		mongoc_client_destroy(m->client);
	phx_mongo_recent_free(&m->recent);
	free(m->base.display);
	free(m);
}

phx_store *phx_store_mongo_open(const char *text, const phx_store_options *opts,
				phx_store_error *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	mongo_store *m = phx_xcalloc(1, sizeof *m);
	mongoc_uri_t *uri;
	bson_error_t e;

	pthread_once(&once, init_driver);
	m->base.ops = &mongo_ops;
	m->read_only = opts->read_only;
	m->base.display = display_uri(text, NULL);
	uri = mongoc_uri_new_with_error(text, &e);
	if (!uri) {
		/* Not transient: a malformed URI stays malformed. */
		phx_store_error_set(err, "mongo", (int)e.code, 0, "%s: %s", m->base.display,
				    e.message);
		mongo_close(&m->base);
		return NULL;
	}
	free(m->base.display);
	m->base.display = display_uri(text, uri);
	apply_timeouts(uri, opts);
	m->client = mongoc_client_new_from_uri_with_error(uri, &e);
	mongoc_uri_destroy(uri);
	if (!m->client) {
		phx_mongo_error(err, &e, NULL);
		mongo_close(&m->base);
		return NULL;
	}
	mongoc_client_set_error_api(m->client, MONGOC_ERROR_API_VERSION_2);
	m->db = mongoc_client_get_database(m->client, opts->database);
	m->props = mongoc_database_get_collection(m->db, PHX_MONGO_PROPERTIES);
	m->reports = mongoc_database_get_collection(m->db, PHX_MONGO_REPORTS);
	if (ping(m, err) < 0 || (!m->read_only && phx_mongo_ensure_write_indexes(m, err) < 0)) {
		mongo_close(&m->base);
		return NULL;
	}
	return &m->base;
}

/* Every write is its own unit: there is no transaction to begin or commit.
 * A new attempt (and a rolled-back one) forgets what was written before it,
 * so its reads go to the server. */
static int mongo_begin(phx_store *s, phx_store_error *err)
{
	(void)err;
	phx_mongo_recent_clear(&((mongo_store *)s)->recent);
	return 0;
}

static int mongo_commit(phx_store *s, phx_store_error *err)
{
	(void)s;
	(void)err;
	return 0;
}

static void mongo_rollback(phx_store *s)
{
	phx_mongo_recent_clear(&((mongo_store *)s)->recent);
}

/* ---- finding the positions of ids in a batch --------------------------- */

typedef struct id_index {
	const char *const *ids;
	size_t *pos;		/* positions of ids, sorted by id */
	size_t n;
} id_index;

static int cmp_pos(const void *a, const void *b, void *ctx)
{
	const char *const *ids = ctx;

	return strcmp(ids[*(const size_t *)a], ids[*(const size_t *)b]);
}

static void id_index_init(id_index *x, const char *const *ids, size_t n)
{
	size_t i;

	x->ids = ids;
	x->n = n;
	x->pos = phx_xmalloc((n ? n : 1) * sizeof *x->pos);
	for (i = 0; i < n; i++)
		x->pos[i] = i;
	qsort_r(x->pos, n, sizeof *x->pos, cmp_pos, (void *)ids);
}

/* How many positions hold id; *first gets the first one's slot in x->pos. */
static size_t id_index_find(const id_index *x, const char *id, size_t *first)
{
	size_t lo = 0, hi = x->n, k;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(x->ids[x->pos[mid]], id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (k = lo; k < x->n && strcmp(x->ids[x->pos[k]], id) == 0; k++)
		;
	*first = lo;
	return k - lo;
}

/* {FIELD: {$in: [values...]}} */
static void append_in(bson_t *filter, const char *field, const char *const *values, size_t n)
{
	bson_t sub, arr;
	char idx[24];
	const char *key;
	size_t i;

	BSON_APPEND_DOCUMENT_BEGIN(filter, field, &sub);
	BSON_APPEND_ARRAY_BEGIN(&sub, "$in", &arr);
	for (i = 0; i < n; i++) {
		size_t klen = bson_uint32_to_string((uint32_t)i, &key, idx, sizeof idx);
		bson_append_utf8(&arr, key, (int)klen, values[i], -1);
	}
	bson_append_array_end(&sub, &arr);
	bson_append_document_end(filter, &sub);
}

/* Ask for a whole batch's answer in one reply rather than the server's
 * default of 101 documents and then round trips of getMore (the server
 * still caps a reply at 16 MiB). */
static void one_batch(bson_t *opts, size_t n)
{
	BSON_APPEND_INT64(opts, "batchSize", (int64_t)(n < 1 ? 1 : n));
}

static const char *utf8_member(const bson_t *doc, const char *key)
{
	bson_iter_t it;

	if (bson_iter_init_find(&it, doc, key) && BSON_ITER_HOLDS_UTF8(&it))
		return bson_iter_utf8(&it, NULL);
	return NULL;
}

/* ---- reading ------------------------------------------------------------ */

/* A document stored before revisions (an older system's) counts as rev 1;
 * writes expecting rev 1 also accept a missing _rev. */
static long long stored_rev(const bson_t *doc)
{
	bson_iter_t it;

	if (bson_iter_init_find(&it, doc, PHX_MONGO_REV) && BSON_ITER_HOLDS_NUMBER(&it))
		return bson_iter_as_int64(&it);
	return 1;
}

static void drop_docs(json_t **docs, long long *revs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		json_decref(docs[i]);
		docs[i] = NULL;
		revs[i] = 0;
	}
}

static int cursor_failed(mongoc_cursor_t *c, phx_store_error *err)
{
	bson_error_t e;
	const bson_t *reply;

	if (!mongoc_cursor_error_document(c, &e, &reply))
		return 0;
	phx_mongo_error(err, &e, reply);
	return 1;
}

/* The stored documents of ids[0..n) from the server; docs[where[i]] and
 * revs[where[i]] get the answer for ids[i]. */
static int fetch_docs(mongo_store *m, const char *const *ids, size_t n, const size_t *where,
		      json_t **docs, long long *revs, phx_store_error *err)
{
	bson_t filter = BSON_INITIALIZER, opts = BSON_INITIALIZER;
	const bson_t *bdoc;
	mongoc_cursor_t *c;
	id_index x;
	size_t i, first, count;
	int rc = 0;

	id_index_init(&x, ids, n);
	append_in(&filter, "property_id", ids, n);
	one_batch(&opts, n);
	c = mongoc_collection_find_with_opts(m->props, &filter, &opts, NULL);
	while (rc == 0 && mongoc_cursor_next(c, &bdoc)) {
		const char *id = utf8_member(bdoc, "property_id");
		json_t *doc;
		if (!id || (count = id_index_find(&x, id, &first)) == 0)
			continue;
		doc = phx_bson_to_json(bdoc, phx_mongo_hidden);
		if (!doc) {
			phx_store_error_set(err, "mongo", 0, 0,
					    "%s: stored document is not valid UTF-8 JSON", id);
			rc = -1;
			break;
		}
		for (i = first; i < first + count; i++) {
			size_t p = where[x.pos[i]];
			json_decref(docs[p]);
			docs[p] = i == first ? json_incref(doc) : json_deep_copy(doc);
			revs[p] = stored_rev(bdoc);
		}
		json_decref(doc);
	}
	if (rc == 0 && cursor_failed(c, err))
		rc = -1;
	mongoc_cursor_destroy(c);
	bson_destroy(&filter);
	bson_destroy(&opts);
	free(x.pos);
	return rc;
}

/* What this handle wrote in the batch comes from the recent set (see
 * store_mongo_recent.c); only the rest is asked of the server. */
static int mongo_get(phx_store *s, const char *const *ids, size_t n, json_t **docs,
		     long long *revs, phx_store_error *err)
{
	mongo_store *m = (mongo_store *)s;
	const char **miss = phx_xmalloc((n ? n : 1) * sizeof *miss);
	size_t *where = phx_xmalloc((n ? n : 1) * sizeof *where);
	size_t i, k = 0;
	int rc = 0;

	for (i = 0; i < n; i++) {
		const bson_t *kept = phx_mongo_recent_get(&m->recent, ids[i], &revs[i]);
		docs[i] = kept ? phx_bson_to_json(kept, phx_mongo_hidden) : NULL;
		if (docs[i])
			continue;
		revs[i] = 0;
		miss[k] = ids[i];
		where[k++] = i;
	}
	if (k > 0 && fetch_docs(m, miss, k, where, docs, revs, err) < 0) {
		drop_docs(docs, revs, n);
		rc = -1;
	}
	free(miss);
	free(where);
	return rc;
}

/* The summary of each document's sources (store.h get_sums) from a
 * projection of sources.{source,hash,first_seen,last_seen}: the server sends
 * a few hundred bytes per property instead of the whole document, and the
 * summary is made by merge.c's own phx_doc_summary, so it is the one the
 * SQLite backend keeps. Nothing is stored for it: it cannot go stale. */
static void sums_projection(bson_t *opts)
{
	static const char *const fields[] = {
		"property_id", "sources.source", "sources.hash", "sources.first_seen",
		"sources.last_seen", NULL
	};
	bson_t proj;
	size_t i;

	BSON_APPEND_DOCUMENT_BEGIN(opts, "projection", &proj);
	BSON_APPEND_INT32(&proj, "_id", 0);
	for (i = 0; fields[i]; i++)
		BSON_APPEND_INT32(&proj, fields[i], 1);
	bson_append_document_end(opts, &proj);
}

static int mongo_get_sums(phx_store *s, const char *const *ids, size_t n, char **sums,
			  phx_store_error *err)
{
	mongo_store *m = (mongo_store *)s;
	bson_t filter = BSON_INITIALIZER, opts = BSON_INITIALIZER;
	const bson_t *bdoc;
	mongoc_cursor_t *c;
	id_index x;
	size_t i, first, count;
	int rc = 0;

	for (i = 0; i < n; i++)
		sums[i] = NULL;
	if (n == 0)
		return 0;
	id_index_init(&x, ids, n);
	append_in(&filter, "property_id", ids, n);
	sums_projection(&opts);
	one_batch(&opts, n);
	c = mongoc_collection_find_with_opts(m->props, &filter, &opts, NULL);
	while (mongoc_cursor_next(c, &bdoc)) {
		const char *id = utf8_member(bdoc, "property_id");
		json_t *part;
		char *sum;
		if (!id || (count = id_index_find(&x, id, &first)) == 0)
			continue;
		part = phx_bson_to_json(bdoc, phx_mongo_hidden);
		if (!part) {
			phx_store_error_set(err, "mongo", 0, 0,
					    "%s: stored document is not valid UTF-8 JSON", id);
			rc = -1;
			break;
		}
		sum = phx_doc_summary(part);
		json_decref(part);
		for (i = first; i < first + count; i++) {
			free(sums[x.pos[i]]);
			sums[x.pos[i]] = i == first ? sum : phx_xstrdup(sum);
		}
	}
	if (rc == 0 && cursor_failed(c, err))
		rc = -1;
	if (rc < 0)
		for (i = 0; i < n; i++) {
			free(sums[i]);
			sums[i] = NULL;
		}
	mongoc_cursor_destroy(c);
	bson_destroy(&filter);
	bson_destroy(&opts);
	free(x.pos);
	return rc;
}

static int mongo_find_parcels(phx_store *s, const char *const *keys, size_t n, char **match,
			      int *counts, phx_store_error *err)
{
	mongo_store *m = (mongo_store *)s;
	bson_t filter = BSON_INITIALIZER, opts = BSON_INITIALIZER, apn, proj;
	size_t *hits = phx_xcalloc(n ? n : 1, sizeof *hits);
	const bson_t *bdoc;
	mongoc_cursor_t *c;
	id_index x;
	size_t i, first, count;
	int rc = 0;

	for (i = 0; i < n; i++)
		match[i] = NULL;
	if (n == 0) {
		free(hits);
		return 0;
	}
	id_index_init(&x, keys, n);
	append_in(&filter, "address_key", keys, n);
	BSON_APPEND_DOCUMENT_BEGIN(&filter, "apn", &apn);
	BSON_APPEND_UTF8(&apn, "$type", "string");
	bson_append_document_end(&filter, &apn);
	BSON_APPEND_DOCUMENT_BEGIN(&opts, "projection", &proj);
	BSON_APPEND_INT32(&proj, "property_id", 1);
	BSON_APPEND_INT32(&proj, "address_key", 1);
	bson_append_document_end(&opts, &proj);
	one_batch(&opts, n);
	c = mongoc_collection_find_with_opts(m->props, &filter, &opts, NULL);
	while (mongoc_cursor_next(c, &bdoc)) {
		const char *key = utf8_member(bdoc, "address_key");
		const char *id = utf8_member(bdoc, "property_id");
		if (!key || !id || (count = id_index_find(&x, key, &first)) == 0)
			continue;
		for (i = first; i < first + count; i++) {
			size_t p = x.pos[i];
			/* Two parcels on one address: the listing joins neither. */
			if (hits[p]++ == 0)
				match[p] = phx_xstrdup(id);
			else if (match[p]) {
				free(match[p]);
				match[p] = NULL;
			}
		}
	}
	if (cursor_failed(c, err)) {
		for (i = 0; i < n; i++) {
			free(match[i]);
			match[i] = NULL;
		}
		rc = -1;
	}
	for (i = 0; counts && i < n; i++)
		counts[i] = hits[i] > 2 ? 2 : (int)hits[i];
	mongoc_cursor_destroy(c);
	bson_destroy(&filter);
	bson_destroy(&opts);
	free(hits);
	free(x.pos);
	return rc;
}

/* ---- writing ------------------------------------------------------------ */

static const char *const put_skip[] = {"_id", PHX_MONGO_REV, "property_id", NULL};

static void item_fail(phx_store_item *it, const char *domain, int code, const char *msg)
{
	it->result = PHX_PUT_FAILED;
	phx_store_error_set(&it->error, domain, code, 0, "%s", msg);
}

/* The members of an item's document: from its text when it has one (no
 * tree built); a text the direct path does not take is parsed, so its
 * failure reads as the tree path's. */
static int doc_members(const phx_store_item *it, bson_t *doc, char *why, size_t n)
{
	phx_json_error jerr;
	json_t *whole;
	int rc;

	if (!it->text)
		return phx_json_to_bson(it->doc, put_skip, doc, why, n);
	if (phx_json_text_to_bson(it->text, it->text_len, put_skip, doc) == 0)
		return 0;
	whole = phx_json_parse(it->text, it->text_len, &jerr);
	if (!whole) {
		snprintf(why, n, "a document text that is not JSON: %s", jerr.text);
		return -1;
	}
	rc = phx_json_to_bson(whole, put_skip, doc, why, n);
	json_decref(whole);
	return rc;
}

/* The stored form: property_id (always the item's), the document, _rev. */
static int build_doc(const phx_store_item *it, bson_t *doc, char *why, size_t n)
{
	BSON_APPEND_UTF8(doc, "property_id", it->property_id);
	if (doc_members(it, doc, why, n) < 0)
		return -1;
	BSON_APPEND_INT64(doc, PHX_MONGO_REV, it->rev + 1);
	if (doc->len > MAX_DOC_BYTES) {
		snprintf(why, n, "document is %u bytes, more than MongoDB's %d",
			 (unsigned)doc->len, MAX_DOC_BYTES);
		return -1;
	}
	return 0;
}

/* {property_id: ID, _rev: REV}; rev 1 also matches a document without _rev. */
static void build_selector(const phx_store_item *it, bson_t *sel)
{
	bson_t in, arr;

	BSON_APPEND_UTF8(sel, "property_id", it->property_id);
	if (it->rev != 1) {
		BSON_APPEND_INT64(sel, PHX_MONGO_REV, it->rev);
		return;
	}
	BSON_APPEND_DOCUMENT_BEGIN(sel, PHX_MONGO_REV, &in);
	BSON_APPEND_ARRAY_BEGIN(&in, "$in", &arr);
	BSON_APPEND_INT64(&arr, "0", 1);
	BSON_APPEND_NULL(&arr, "1");
	bson_append_array_end(&in, &arr);
	bson_append_document_end(sel, &in);
}

/* Queue one item; 1 when queued (*sent: the stored form, the caller's),
 * 0 when it failed on our side. */
static int queue_item(mongoc_bulk_operation_t *bulk, phx_store_item *it, bson_t **sent)
{
	bson_t *doc = bson_new(), sel = BSON_INITIALIZER, opts = BSON_INITIALIZER;
	bson_error_t e;
	char why[200];
	int queued = 0;

	if (!it->property_id || (!it->text && !json_is_object(it->doc))) {
		item_fail(it, "store", 0, "no property_id or no document");
	} else if (build_doc(it, doc, why, sizeof why) < 0) {
		item_fail(it, "store", 0, why);
	} else {
		build_selector(it, &sel);
		BSON_APPEND_BOOL(&opts, "upsert", true);
		/* build_doc already refused unsafe keys and jansson strings are
		 * UTF-8: the driver's second walk over every document is waste. */
		BSON_APPEND_BOOL(&opts, "validate", false);
		if (mongoc_bulk_operation_replace_one_with_opts(bulk, &sel, doc, &opts, &e))
			queued = 1;
		else
			item_fail(it, "mongo", (int)e.code, e.message);
	}
	if (queued)
		*sent = doc;
	else
		bson_destroy(doc);
	bson_destroy(&sel);
	bson_destroy(&opts);
	return queued;
}

/* An E11000 is a revision conflict only when it is the property_id index
 * that refused (mongod names it in keyPattern; every server in errmsg); a
 * duplicate on another unique index is that document's failure. */
static int on_property_id(const bson_iter_t *write_error, const char *msg)
{
	bson_iter_t doc, key;

	if (strstr(msg, "dup key: { property_id: "))
		return 1;
	if (bson_iter_recurse(write_error, &doc) && bson_iter_find(&doc, "keyPattern") &&
	    bson_iter_recurse(&doc, &key) && bson_iter_next(&key) &&
	    strcmp(bson_iter_key(&key), "property_id") == 0 && !bson_iter_next(&key))
		return 1;
	return 0;
}

/* Per-document outcome from the bulk reply: upserted => inserted, E11000 =>
 * conflict (the revision moved on), another write error => that document
 * failed with the server's code and message, otherwise updated. */
static void map_reply(const bson_t *reply, phx_store_item *items, const size_t *op_item,
		      size_t nops)
{
	bson_iter_t it, arr, doc;
	size_t i;

	if (bson_iter_init_find(&it, reply, "upserted") && bson_iter_recurse(&it, &arr)) {
		while (bson_iter_next(&arr)) {
			if (bson_iter_recurse(&arr, &doc) && bson_iter_find(&doc, "index")) {
				int64_t k = bson_iter_as_int64(&doc);
				if (k >= 0 && (size_t)k < nops)
					items[op_item[k]].result = PHX_PUT_INSERTED;
			}
		}
	}
	if (bson_iter_init_find(&it, reply, "writeErrors") && bson_iter_recurse(&it, &arr)) {
		while (bson_iter_next(&arr)) {
			bson_iter_t f;
			int64_t k = -1, code = 0;
			const char *msg = "write failed";
			if (!bson_iter_recurse(&arr, &doc))
				continue;
			if (bson_iter_find_descendant(&doc, "index", &f))
				k = bson_iter_as_int64(&f);
			if (bson_iter_recurse(&arr, &doc) && bson_iter_find_descendant(&doc, "code", &f))
				code = bson_iter_as_int64(&f);
			if (bson_iter_recurse(&arr, &doc) &&
			    bson_iter_find_descendant(&doc, "errmsg", &f) && BSON_ITER_HOLDS_UTF8(&f))
				msg = bson_iter_utf8(&f, NULL);
			if (k < 0 || (size_t)k >= nops)
				continue;
			if (code == 11000 && on_property_id(&arr, msg))
				items[op_item[k]].result = PHX_PUT_CONFLICT;
			else
				item_fail(&items[op_item[k]], "mongo", (int)code, msg);
		}
	}
	for (i = 0; i < nops; i++)
		if (items[op_item[i]].result == PHX_PUT_PENDING)
			items[op_item[i]].result = PHX_PUT_UPDATED;
}

static int has_write_errors(const bson_t *reply)
{
	bson_iter_t it, arr;

	return bson_iter_init_find(&it, reply, "writeErrors") && bson_iter_recurse(&it, &arr) &&
	       bson_iter_next(&arr);
}

/* What a write stored is kept for the batch's own re-reads; anything else
 * (conflict, failure) drops what was kept for that id. */
static void keep_written(mongo_store *m, phx_store_item *items, const size_t *op_item,
			 bson_t **sent, size_t nops)
{
	size_t i;

	for (i = 0; i < nops; i++) {
		phx_store_item *it = &items[op_item[i]];
		if (it->result == PHX_PUT_INSERTED || it->result == PHX_PUT_UPDATED) {
			phx_mongo_recent_put(&m->recent, it->property_id, sent[i], it->rev + 1);
		} else {
			phx_mongo_recent_drop(&m->recent, it->property_id);
			bson_destroy(sent[i]);
		}
	}
}

static int mongo_put(phx_store *s, phx_store_item *items, size_t n, phx_store_error *err)
{
	mongo_store *m = (mongo_store *)s;
	bson_t bulk_opts = BSON_INITIALIZER, reply;
	mongoc_bulk_operation_t *bulk;
	size_t *op_item = phx_xmalloc((n ? n : 1) * sizeof *op_item);
	bson_t **sent = phx_xmalloc((n ? n : 1) * sizeof *sent);
	size_t i, nops = 0;
	bson_error_t e;
	int rc = 0;

	BSON_APPEND_BOOL(&bulk_opts, "ordered", false);
	bulk = mongoc_collection_create_bulk_operation_with_opts(m->props, &bulk_opts);
	for (i = 0; i < n; i++) {
		items[i].result = PHX_PUT_PENDING;
		phx_store_error_clear(&items[i].error);
		if (queue_item(bulk, &items[i], &sent[nops]))
			op_item[nops++] = i;
		else if (items[i].property_id)
			phx_mongo_recent_drop(&m->recent, items[i].property_id);
	}
	if (nops > 0) {
		int ok = mongoc_bulk_operation_execute(bulk, &reply, &e) != 0;
		phx_store_error tmp = {0};
		if (!ok)
			phx_mongo_error(&tmp, &e, &reply);
		if (ok || (has_write_errors(&reply) && !tmp.transient)) {
			map_reply(&reply, items, op_item, nops);
			keep_written(m, items, op_item, sent, nops);
		} else {
			/* Nothing of the batch counts as confirmed; the tool resends it. */
			if (err)
				*err = tmp;
			for (i = 0; i < nops; i++) {
				items[op_item[i]].result = PHX_PUT_PENDING;
				bson_destroy(sent[i]);
			}
			phx_mongo_recent_clear(&m->recent);
			rc = -1;
		}
		bson_destroy(&reply);
	}
	mongoc_bulk_operation_destroy(bulk);
	bson_destroy(&bulk_opts);
	free(op_item);
	free(sent);
	return rc;
}

static int mongo_delete(phx_store *s, const char *property_id, phx_store_error *err)
{
	mongo_store *m = (mongo_store *)s;
	bson_t filter = BSON_INITIALIZER, reply;
	bson_error_t e;
	bson_iter_t it;
	int rc;

	phx_mongo_recent_drop(&m->recent, property_id);
	BSON_APPEND_UTF8(&filter, "property_id", property_id);
	if (mongoc_collection_delete_one(m->props, &filter, NULL, &reply, &e)) {
		rc = bson_iter_init_find(&it, &reply, "deletedCount") &&
		     bson_iter_as_int64(&it) > 0;
	} else {
		phx_mongo_error(err, &e, &reply);
		rc = -1;
	}
	bson_destroy(&reply);
	bson_destroy(&filter);
	return rc;
}

static long long mongo_count(phx_store *s, phx_store_error *err)
{
	mongo_store *m = (mongo_store *)s;
	bson_t filter = BSON_INITIALIZER, reply;
	bson_error_t e;
	int64_t n;

	n = mongoc_collection_count_documents(m->props, &filter, NULL, NULL, &reply, &e);
	if (n < 0)
		phx_mongo_error(err, &e, &reply);
	bson_destroy(&reply);
	bson_destroy(&filter);
	return n < 0 ? -1 : (long long)n;
}

static const phx_store_ops mongo_ops = {
	.kind = "mongodb",
	.close = mongo_close,
	.begin = mongo_begin,
	.commit = mongo_commit,
	.rollback = mongo_rollback,
	.get = mongo_get,
	.find_parcels = mongo_find_parcels,
	.put = mongo_put,
	.del = mongo_delete,
	.ensure_indexes = phx_mongo_ensure_indexes,
	.prune = phx_mongo_prune,
	.iter_open = phx_mongo_iter_open,
	.iter_next = phx_mongo_iter_next,
	.iter_close = phx_mongo_iter_close,
	.count = mongo_count,
	.report_add = phx_mongo_report_add,
	.report_get = phx_mongo_report_get,
	.get_sums = mongo_get_sums,
	.stores_text = 1,	/* text goes straight to BSON (bsonjson.h) */
};
