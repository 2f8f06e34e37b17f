/* store_sqlite.c - the embedded default store: one SQLite file.
 *
 * The document is JSON text in a table keyed by property id, with the
 * columns the queries need pulled out of it (address_key, apn, zip, type,
 * price, last_seen). WAL, synchronous=NORMAL, prepared statements and one
 * transaction per batch: the speed comes from not syncing per record.
 * A lock held by another process is waited for (busy timeout); past it,
 * the error is transient and the tool retries or spools. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sqlite3.h>
#include "store.h"
#include "buf.h"
#include "xalloc.h"
#include "redact.h"
#include "merge.h"
#include "jsonparse.h"
#include "jsonwrite.h"

enum {
	ST_GET, ST_PARCELS, ST_INSERT, ST_UPDATE, ST_DELETE, ST_REPORT_GET, ST_REPORT_PUT,
	ST_COUNT, ST_SUMS, ST_N
};

static const char *const stmt_sql[ST_N] = {
	"SELECT rev, doc FROM properties WHERE property_id = ?1",
	"SELECT property_id FROM properties WHERE address_key = ?1 AND apn IS NOT NULL LIMIT 2",
	"INSERT INTO properties (property_id, rev, doc, address_key, apn, zip, type, price,"
	" last_seen, sums) VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?10)",
	"UPDATE properties SET rev = rev + 1, doc = ?2, address_key = ?3, apn = ?4, zip = ?5,"
	" type = ?6, price = ?7, last_seen = ?8, sums = ?10 WHERE property_id = ?1 AND rev = ?9",
	"DELETE FROM properties WHERE property_id = ?1",
	"SELECT doc FROM daily_reports WHERE date = ?1",
	"INSERT OR REPLACE INTO daily_reports (date, doc) VALUES (?1, ?2)",
	"SELECT count(*) FROM properties",
	"SELECT sums FROM properties WHERE property_id = ?1",
};

#define COLUMNS "property_id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL," \
	" doc TEXT NOT NULL, address_key TEXT, apn TEXT, zip TEXT, type TEXT," \
	" price INTEGER, last_seen TEXT, sums TEXT"

static const char schema_sql[] =
	"CREATE TABLE IF NOT EXISTS properties (" COLUMNS ");"
	"CREATE INDEX IF NOT EXISTS properties_address_key ON properties (address_key);"
	"CREATE TABLE IF NOT EXISTS daily_reports (date TEXT PRIMARY KEY NOT NULL,"
	" doc TEXT NOT NULL);";

typedef struct sqlite_store {
	phx_store base;
	sqlite3 *db;
	char *path;
	sqlite3_stmt *st[ST_N];
	int in_tx;
	phx_buf text;		/* reused serialisation buffer */
} sqlite_store;

typedef struct sqlite_iter {
	phx_store_iter base;
	sqlite3_stmt *st;
} sqlite_iter;

static int is_transient(int rc)
{
	rc &= 0xff;
	return rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
}

static int fail(sqlite_store *s, phx_store_error *err, int rc, const char *what)
{
	int ext = s->db ? sqlite3_extended_errcode(s->db) : rc;

	if ((ext & 0xff) != (rc & 0xff))
		ext = rc;
	phx_store_error_set(err, "sqlite", ext, is_transient(ext), "%s: %s: %s", s->path, what,
			    s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
	return -1;
}

static int exec_sql(sqlite_store *s, const char *sql, phx_store_error *err)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : fail(s, err, rc, sql);
}

static sqlite3_stmt *stmt(sqlite_store *s, int which, phx_store_error *err)
{
	int rc;

	if (!s->st[which]) {
		rc = sqlite3_prepare_v3(s->db, stmt_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
					&s->st[which], NULL);
		if (rc != SQLITE_OK) {
			fail(s, err, rc, "prepare");
			return NULL;
		}
	}
	sqlite3_reset(s->st[which]);
	sqlite3_clear_bindings(s->st[which]);
	return s->st[which];
}

static void close_store(phx_store *base)
{
	sqlite_store *s = (sqlite_store *)base;
	int i;

	for (i = 0; i < ST_N; i++)
		sqlite3_finalize(s->st[i]);
	if (s->in_tx)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(s->db);
	phx_buf_free(&s->text);
	free(s->path);
	free(s->base.display);
	free(s);
}

static int begin(phx_store *base, phx_store_error *err)
{
	sqlite_store *s = (sqlite_store *)base;

	if (s->in_tx)
		return 0;
	/* IMMEDIATE: take the write lock now (waiting up to the busy timeout),
	 * so reads of the batch and its writes see one consistent database. */
	if (exec_sql(s, "BEGIN IMMEDIATE", err) != 0)
		return -1;
	s->in_tx = 1;
	return 0;
}

static int commit(phx_store *base, phx_store_error *err)
{
	sqlite_store *s = (sqlite_store *)base;

	if (!s->in_tx)
		return 0;
	if (exec_sql(s, "COMMIT", err) != 0) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		s->in_tx = 0;
		return -1;
	}
	s->in_tx = 0;
	return 0;
}

static void rollback(phx_store *base)
{
	sqlite_store *s = (sqlite_store *)base;

	if (s->in_tx)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_tx = 0;
}

static json_t *parse_doc(const char *text, int len)
{
	json_t *doc = phx_json_parse(text ? text : "", text ? (size_t)len : 0, NULL);

	if (doc && !json_is_object(doc)) {
		json_decref(doc);
		doc = NULL;
	}
	return doc;
}

static int get(phx_store *base, const char *const *ids, size_t n, json_t **docs,
	       long long *revs, phx_store_error *err)
{
	sqlite_store *s = (sqlite_store *)base;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		sqlite3_stmt *st = stmt(s, ST_GET, err);
		docs[i] = NULL;
		revs[i] = 0;
		if (!st)
			goto failed;
		sqlite3_bind_text(st, 1, ids[i], -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			revs[i] = sqlite3_column_int64(st, 0);
			docs[i] = parse_doc((const char *)sqlite3_column_text(st, 1),
					    sqlite3_column_bytes(st, 1));
			if (!docs[i]) {
				phx_store_error_set(err, "sqlite", SQLITE_CORRUPT, 0,
						    "%s: stored document of %s is not JSON",
						    s->path, ids[i]);
				goto failed;
			}
		} else if (rc != SQLITE_DONE) {
			fail(s, err, rc, "read");
			goto failed;
		}
	}
	sqlite3_reset(s->st[ST_GET]);
	return 0;
failed:
	while (i-- > 0) {
		json_decref(docs[i]);
		docs[i] = NULL;
	}
	return -1;
}

static int get_sums(phx_store *base, const char *const *ids, size_t n, char **sums,
		    phx_store_error *err)
{
	sqlite_store *s = (sqlite_store *)base;
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		sums[i] = NULL;
	for (i = 0; i < n; i++) {
		sqlite3_stmt *st = stmt(s, ST_SUMS, err);
		if (!st)
			goto failed;
		sqlite3_bind_text(st, 1, ids[i], -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {	/* "" for a row without sums: present all the same */
			const unsigned char *t = sqlite3_column_text(st, 0);
			sums[i] = phx_xstrdup(t ? (const char *)t : "");
		} else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			fail(s, err, rc, "read");
			goto failed;
		}
	}
	sqlite3_reset(s->st[ST_SUMS]);
	return 0;
failed:
	for (i = 0; i < n; i++) {
		free(sums[i]);
		sums[i] = NULL;
	}
	return -1;
}

static int find_parcels(phx_store *base, const char *const *keys, size_t n, char **match,
			int *counts, phx_store_error *err)
{
	sqlite_store *s = (sqlite_store *)base;
	size_t i;
	int rc, found;

	for (i = 0; i < n; i++)
		match[i] = NULL;
	for (i = 0; i < n; i++) {
		sqlite3_stmt *st = stmt(s, ST_PARCELS, err);
		if (!st)
			return -1;
		sqlite3_bind_text(st, 1, keys[i], -1, SQLITE_STATIC);
		found = 0;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (found++ == 0)
				match[i] = phx_xstrdup((const char *)sqlite3_column_text(st, 0));
		}
		if (rc != SQLITE_DONE) {
			size_t j;
			for (j = 0; j <= i; j++) {
				free(match[j]);
				match[j] = NULL;
			}
			return fail(s, err, rc, "find parcels");
		}
		if (counts)
			counts[i] = found > 2 ? 2 : found;
		if (found > 1) {	/* two parcels at one address: join neither */
			free(match[i]);
			match[i] = NULL;
		}
	}
	return 0;
}

/* Bind the document and the columns pulled out of it. */
static void bind_doc(sqlite_store *s, sqlite3_stmt *st, const phx_store_item *it)
{
	const json_t *d = it->doc;
	json_t *price = json_object_get(d, "price");

	sqlite3_bind_text(st, 1, it->property_id, -1, SQLITE_STATIC);
	if (it->text) {
		sqlite3_bind_text(st, 2, it->text, (int)it->text_len, SQLITE_STATIC);
	} else {
		phx_buf_clear(&s->text);
		phx_json_write(&s->text, d);
		sqlite3_bind_text(st, 2, s->text.data ? s->text.data : "{}", (int)s->text.len,
				  SQLITE_STATIC);
	}
	sqlite3_bind_text(st, 3, json_string_value(json_object_get(d, "address_key")), -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 4, json_string_value(json_object_get(d, "apn")), -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 5, json_string_value(json_object_get(json_object_get(d, "address"),
								   "zip")), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, json_string_value(json_object_get(d, "property_type")), -1,
			  SQLITE_STATIC);
	if (json_is_integer(price))
		sqlite3_bind_int64(st, 7, json_integer_value(price));
	sqlite3_bind_text(st, 8, json_string_value(json_object_get(d, "last_seen")), -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 10, phx_doc_summary(d), -1, free);
}

/* One document: insert (rev 0) or compare-and-swap update. A refused
 * statement leaves the rest of the transaction intact. Returns -1 only for
 * a failure of the whole batch (busy, I/O). */
static int put_one(sqlite_store *s, phx_store_item *it, phx_store_error *err)
{
	sqlite3_stmt *st = stmt(s, it->rev ? ST_UPDATE : ST_INSERT, err);
	int rc;

	if (!st)
		return -1;
	bind_doc(s, st, it);
	if (it->rev)
		sqlite3_bind_int64(st, 9, it->rev);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		if (it->rev && sqlite3_changes(s->db) == 0)
			it->result = PHX_PUT_CONFLICT;
		else
			it->result = it->rev ? PHX_PUT_UPDATED : PHX_PUT_INSERTED;
	} else if (sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_PRIMARYKEY) {
		it->result = PHX_PUT_CONFLICT;
	} else if (is_transient(rc) || (rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_FULL) {
		sqlite3_reset(st);
		return fail(s, err, rc, "write");
	} else {
		it->result = PHX_PUT_FAILED;
		fail(s, &it->error, rc, it->property_id);
	}
	sqlite3_reset(st);
	return 0;
}

static int put(phx_store *base, phx_store_item *items, size_t n, phx_store_error *err)
{
	sqlite_store *s = (sqlite_store *)base;
	int own = !s->in_tx;
	size_t i;

	if (own && begin(base, err) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		items[i].result = PHX_PUT_PENDING;
		phx_store_error_clear(&items[i].error);
	}
	for (i = 0; i < n; i++)
		if (put_one(s, &items[i], err) != 0) {
			if (own)
				rollback(base);
			return -1;
		}
	return own ? commit(base, err) : 0;
}

static int del(phx_store *base, const char *id, phx_store_error *err)
{
	sqlite_store *s = (sqlite_store *)base;
	sqlite3_stmt *st = stmt(s, ST_DELETE, err);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return fail(s, err, rc, "delete");
	return sqlite3_changes(s->db) > 0;
}

static int index_exists(sqlite_store *s, const char *name)
{
	sqlite3_stmt *st;
	int found = 0;

	if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM sqlite_master WHERE type = 'index'"
			       " AND name = ?1", -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

static json_t *ensure_indexes(phx_store *base, phx_store_error *err)
{
	static const char *const idx[][2] = {
		{"properties_address_key", "address_key"},
		{"properties_zip_type", "zip, type"},
		{"properties_zip_price", "zip, price"},
		{"properties_last_seen", "last_seen"},
	};
	sqlite_store *s = (sqlite_store *)base;
	json_t *out = json_array();
	phx_buf sql = PHX_BUF_INIT;
	size_t i;

	/* The primary key is the unique property id index. */
	json_array_append_new(out, json_pack("{s:s, s:s}", "index", "property_id (primary key)",
					     "status", "exists"));
	for (i = 0; i < sizeof idx / sizeof idx[0]; i++) {
		int had = index_exists(s, idx[i][0]);
		phx_buf_clear(&sql);
		phx_buf_printf(&sql, "CREATE INDEX IF NOT EXISTS %s ON properties (%s)",
			       idx[i][0], idx[i][1]);
		if (exec_sql(s, sql.data, err) != 0) {
			json_decref(out);
			phx_buf_free(&sql);
			return NULL;
		}
		json_array_append_new(out, json_pack("{s:s, s:s}", "index", idx[i][0],
						     "status", had ? "exists" : "created"));
	}
	phx_buf_free(&sql);
	return out;
}

static int prune(phx_store *base, const char *cutoff, phx_prune_mode mode, long long *count,
		 phx_store_error *err)
{
	sqlite_store *s = (sqlite_store *)base;
	sqlite3_stmt *st = NULL;
	int rc;

	*count = 0;
	if (begin(base, err) != 0)
		return -1;
	if (mode == PHX_PRUNE_ARCHIVE && exec_sql(s, "CREATE TABLE IF NOT EXISTS "
						  "properties_archive (" COLUMNS ")", err) != 0)
		goto failed;
	rc = sqlite3_prepare_v2(s->db, "SELECT count(*) FROM properties WHERE last_seen < ?1",
				-1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, cutoff, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			*count = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW) {
		fail(s, err, rc, "prune");
		goto failed;
	}
	if (mode != PHX_PRUNE_COUNT && *count > 0) {
		static const char *const sql[2] = {
			"INSERT OR REPLACE INTO properties_archive SELECT * FROM properties"
			" WHERE last_seen < ?1",
			"DELETE FROM properties WHERE last_seen < ?1"};
		int i;
		for (i = mode == PHX_PRUNE_ARCHIVE ? 0 : 1; i < 2; i++) {
			rc = sqlite3_prepare_v2(s->db, sql[i], -1, &st, NULL);
			if (rc == SQLITE_OK) {
				sqlite3_bind_text(st, 1, cutoff, -1, SQLITE_STATIC);
				rc = sqlite3_step(st);
			}
			sqlite3_finalize(st);
			if (rc != SQLITE_DONE) {
				fail(s, err, rc, "prune");
				goto failed;
			}
		}
	}
	return commit(base, err);
failed:
	rollback(base);
	return -1;
}

static phx_store_iter *iter_open(phx_store *base, const char *zip, const char *since,
				 phx_store_error *err)
{
	sqlite_store *s = (sqlite_store *)base;
	sqlite_iter *it = phx_xcalloc(1, sizeof *it);
	int rc;

	rc = sqlite3_prepare_v2(s->db, "SELECT doc FROM properties WHERE (?1 IS NULL OR zip = ?1)"
				" AND (?2 IS NULL OR last_seen >= ?2) ORDER BY property_id",
				-1, &it->st, NULL);
	if (rc != SQLITE_OK) {
		fail(s, err, rc, "export");
		free(it);
		return NULL;
	}
	sqlite3_bind_text(it->st, 1, zip, -1, SQLITE_STATIC);
	sqlite3_bind_text(it->st, 2, since, -1, SQLITE_STATIC);
	it->base.store = base;
	return &it->base;
}

static int iter_next(phx_store_iter *base, json_t **doc, phx_store_error *err)
{
	sqlite_iter *it = (sqlite_iter *)base;
	sqlite_store *s = (sqlite_store *)base->store;
	int rc = sqlite3_step(it->st);

	*doc = NULL;
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return fail(s, err, rc, "export");
	*doc = parse_doc((const char *)sqlite3_column_text(it->st, 0),
			 sqlite3_column_bytes(it->st, 0));
	if (!*doc) {
		phx_store_error_set(err, "sqlite", SQLITE_CORRUPT, 0,
				    "%s: a stored document is not JSON", s->path);
		return -1;
	}
	return 1;
}

static void iter_close(phx_store_iter *base)
{
	sqlite_iter *it = (sqlite_iter *)base;

	sqlite3_finalize(it->st);
	free(it);
}

static long long count(phx_store *base, phx_store_error *err)
{
	sqlite_store *s = (sqlite_store *)base;
	sqlite3_stmt *st = stmt(s, ST_COUNT, err);
	long long n;
	int rc;

	if (!st)
		return -1;
	rc = sqlite3_step(st);
	n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	if (n < 0)
		fail(s, err, rc, "count");
	return n;
}

static json_t *report_get(phx_store *base, const char *date, phx_store_error *err)
{
	sqlite_store *s = (sqlite_store *)base;
	sqlite3_stmt *st = stmt(s, ST_REPORT_GET, err);
	json_t *doc = NULL;
	int rc;

	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, date, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		doc = parse_doc((const char *)sqlite3_column_text(st, 0),
				sqlite3_column_bytes(st, 0));
	else if (rc != SQLITE_DONE)
		fail(s, err, rc, "daily report");
	sqlite3_reset(st);
	return doc;
}

/* Read, add, write: safe because it runs inside a write transaction. */
static int report_add(phx_store *base, const char *date, const json_t *delta,
		      const char *updated_at, phx_store_error *err)
{
	sqlite_store *s = (sqlite_store *)base;
	int own = !s->in_tx, rc;
	json_t *doc;
	sqlite3_stmt *st;

	if (own && begin(base, err) != 0)
		return -1;
	doc = report_get(base, date, err);
	if (!doc && err && err->code != 0)
		goto failed;
	if (!doc)
		doc = json_pack("{s:s}", "date", date);
	phx_counts_add(doc, delta);
	json_object_set_new(doc, "updated_at", json_string(updated_at));
	phx_buf_clear(&s->text);
	phx_json_write(&s->text, doc);
	json_decref(doc);
	st = stmt(s, ST_REPORT_PUT, err);
	if (!st)
		goto failed;
	sqlite3_bind_text(st, 1, date, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, s->text.data, (int)s->text.len, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		fail(s, err, rc, "daily report");
		goto failed;
	}
	return own ? commit(base, err) : 0;
failed:
	if (own)
		rollback(base);
	return -1;
}

static const phx_store_ops sqlite_ops = {
	"sqlite", close_store, begin, commit, rollback, get, find_parcels, put, del,
	ensure_indexes, prune, iter_open, iter_next, iter_close, count, report_add, report_get,
	get_sums, 1,
};

/* mkdir -p of the directory holding path. */
static void make_parent(const char *path)
{
	char *dir = phx_xstrdup(path), *p;

	for (p = dir + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(dir, 0700) != 0 && errno != EEXIST)
				break;
			*p = '/';
		}
	free(dir);
}

static int setup(sqlite_store *s, const phx_store_options *opts, phx_store_error *err)
{
	sqlite3_busy_timeout(s->db, (int)opts->busy_timeout_ms);
	sqlite3_extended_result_codes(s->db, 1);
	if (opts->read_only)
		return 0;
	/* 8 KiB pages, for a new file only (SQLite ignores it later): a stored
	 * document is about 2.3 KB, so a 4 KiB page held one and stood half
	 * empty; 8 KiB pages hold three, and a first load writes a third less
	 * and spends a fifth less CPU. WAL: readers never block the writer;
	 * NORMAL: no fsync per commit, still durable against a crash of this
	 * process. */
	if (exec_sql(s, "PRAGMA page_size=8192; PRAGMA journal_mode=WAL;"
		     " PRAGMA synchronous=NORMAL;", err) != 0)
		return -1;
	return exec_sql(s, schema_sql, err);
}

phx_store *phx_store_sqlite_open(const char *path, const phx_store_options *opts,
				 phx_store_error *err)
{
	sqlite_store *s = phx_xcalloc(1, sizeof *s);
	int flags = opts->read_only ? SQLITE_OPEN_READONLY
				    : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	int rc;

	s->base.ops = &sqlite_ops;
	s->base.display = phx_redact_dup(path);
	s->path = phx_xstrdup(path);
	if (!opts->read_only)
		make_parent(path);
	rc = sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK || setup(s, opts, err) != 0) {
		if (rc != SQLITE_OK)
			fail(s, err, rc, "open");
		close_store(&s->base);
		return NULL;
	}
	return &s->base;
}
