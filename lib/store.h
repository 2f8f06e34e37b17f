/* store.h - the store interface: one stored document per property.
 *
 * phx-store talks to a backend only through these functions; which backend
 * it is (SQLite file, MongoDB server) is decided once by phx_store_open()
 * from the URI. Merging (lib/merge.h) happens in the tool, on jansson
 * documents, so every backend stores exactly the same documents.
 *
 * Documents crossing this interface are the stored document of record.md
 * (property_id, apn, address_key, address, ..., first_seen, last_seen,
 * last_changed, price_history, valuation_history, sources). Backend
 * bookkeeping (a MongoDB _id, a revision) never appears in them.
 *
 * Calling pattern of one batch (the tool does this, never the backend):
 *   phx_store_begin()           SQLite: BEGIN IMMEDIATE; MongoDB: nothing
 *   phx_store_find_parcels()    listings without APN -> their parcel
 *   phx_store_get()             stored documents and revisions of the batch
 *   (merge in memory)
 *   phx_store_put()             unordered; a result per document
 *   phx_store_report_add()      the day's counts of this batch
 *   phx_store_commit()          SQLite: COMMIT; MongoDB: nothing
 * When any of these fails with err.transient set (connection lost, server
 * down, database locked past the busy timeout), nothing of the batch is
 * confirmed: the tool calls phx_store_rollback(), backs off and replays the
 * whole batch from phx_store_get() on. So phx_store_put() must be
 * idempotent: resending a batch that was partly or wholly applied must not
 * duplicate a document (MongoDB: upserts filtered on property_id, never
 * plain inserts, under the unique property_id index).
 *
 * Revisions protect the history against two writers (two overlapping cron
 * runs): phx_store_get() returns the revision it read (0 = no document),
 * phx_store_put() writes only when the stored revision is still that one,
 * and stores rev + 1. Otherwise the item gets PHX_PUT_CONFLICT and the tool
 * re-reads and re-merges it. A document inserted with rev 0 that already
 * exists is also a conflict (unique index / duplicate key). */
#ifndef PHX_STORE_H
#define PHX_STORE_H
#include <stddef.h>
#include <jansson.h>

/* One error struct for every failure, mapped straight onto a reject:
 * domain is "sqlite", "mongo" or "store"; code and message are the
 * database's own (SQLite extended result code, MongoDB error code, e.g.
 * 11000). message never holds a URI password. */
typedef struct phx_store_error {
	char domain[16];
	int code;
	int transient;		/* retrying later may succeed (connection, busy, timeout) */
	char message[384];
} phx_store_error;

/* Set err (domain, code, transient, printf-style message); err may be NULL. */
void phx_store_error_set(phx_store_error *err, const char *domain, int code,
			 int transient, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void phx_store_error_clear(phx_store_error *err);

typedef struct phx_store_options {
	const char *database;		/* MongoDB database, default "phoenix_real_estate" */
	long busy_timeout_ms;		/* SQLite: wait this long for a lock (default 10000) */
	long connect_timeout_ms;	/* MongoDB: connect / server selection (default 5000) */
	long op_timeout_ms;		/* MongoDB: socket timeout per operation (default 30000) */
	int read_only;			/* stats, export: open without creating */
} phx_store_options;

#define PHX_STORE_DATABASE_DEFAULT "phoenix_real_estate"

typedef struct phx_store phx_store;

/* One document to write. The tool fills property_id, doc, rev; the backend
 * fills result and error. doc is borrowed. */
typedef enum {
	PHX_PUT_PENDING = 0,
	PHX_PUT_INSERTED,	/* a new document */
	PHX_PUT_UPDATED,	/* an existing one replaced (rev matched) */
	PHX_PUT_CONFLICT,	/* revision moved on (another writer): re-read, re-merge */
	PHX_PUT_FAILED		/* this document refused by the database: see error */
} phx_put_result;

typedef struct phx_store_item {
	const char *property_id;
	json_t *doc;
	long long rev;		/* revision read by phx_store_get(); 0 = insert */
	phx_put_result result;
	phx_store_error error;	/* when result is PHX_PUT_FAILED */
	/* Optional: the whole document as JSON text (a first document written
	 * straight from its record, merge.h). Then doc holds only the members
	 * backends index (property_id, apn, address_key, address,
	 * property_type, price, last_seen, sources[].{source, hash,
	 * first_seen, last_seen}); for a backend without stores_text the
	 * dispatcher parses text into a whole doc first. */
	const char *text;
	size_t text_len;
} phx_store_item;

/* Open a store. uri: "mongodb://..." or "mongodb+srv://..." (MongoDB, TLS
 * options of the URI honoured), "sqlite:PATH", "file:PATH" or a plain path
 * (SQLite). Creates what is missing (SQLite file and tables; MongoDB unique
 * property_id index) unless opts->read_only. opts may be NULL (defaults).
 * Returns NULL with err set. */
phx_store *phx_store_open(const char *uri, const phx_store_options *opts,
			  phx_store_error *err);
/* "sqlite" or "mongodb". */
const char *phx_store_kind(const phx_store *s);
/* The URI with any password replaced by "***" (for messages). */
const char *phx_store_display(const phx_store *s);
void phx_store_close(phx_store *s);

int phx_store_begin(phx_store *s, phx_store_error *err);
int phx_store_commit(phx_store *s, phx_store_error *err);
void phx_store_rollback(phx_store *s);

/* Fetch the stored documents of ids[0..n). docs[i] gets a new reference or
 * NULL when absent, revs[i] its revision (0 when absent). Duplicate ids are
 * allowed. Returns 0, or -1 with err (then docs[] are all NULL). */
int phx_store_get(phx_store *s, const char *const *ids, size_t n,
		  json_t **docs, long long *revs, phx_store_error *err);

/* For each address key, the parcel it belongs to: a stored document with
 * that address_key whose top-level "apn" is a string. match[i] gets a
 * malloc'd property id when exactly one such document exists, else NULL
 * (none, or two parcels sharing one situs address); counts[i] (counts may
 * be NULL) how many there are: 0, 1, or 2 for two or more. Returns 0 or -1. */
int phx_store_find_parcels(phx_store *s, const char *const *keys, size_t n,
			   char **match, int *counts, phx_store_error *err);

/* Write items[0..n), unordered: one failed document does not stop the
 * others. Returns 0 when every item has a result (INSERTED, UPDATED,
 * CONFLICT or FAILED), -1 with err when the batch as a whole failed (then
 * no item counts as confirmed; the tool may resend). */
int phx_store_put(phx_store *s, phx_store_item *items, size_t n, phx_store_error *err);

/* Optional fast path: for each id, the summary of its sources without the
 * document: sums[i] a malloc'd "SOURCE HASH FIRST_SEEN LAST_SEEN\n..." line
 * per source (phx_doc_summary in merge.h; "" when it has none), or NULL
 * only when there is no such document, so the tool skips reading it. Lets the
 * tool see that a record is identical to what is stored without reading
 * and parsing the whole document. Returns 0, -1 with err, or 1 when the
 * backend has no such thing (ops->get_sums NULL): then use get. */
int phx_store_get_sums(phx_store *s, const char *const *ids, size_t n, char **sums,
		       phx_store_error *err);

/* Delete one document (import --replace, tests). 1 deleted, 0 absent, -1 error. */
int phx_store_delete(phx_store *s, const char *property_id, phx_store_error *err);

/* Ensure the indexes the queries need: unique property_id, address_key,
 * (zip, property_type), (zip, price), last_seen. Returns a new array of
 * {"index":NAME,"status":"created"|"exists"}, or NULL with err. */
json_t *phx_store_ensure_indexes(phx_store *s, phx_store_error *err);

/* Properties whose last_seen is before cutoff (RFC 3339, compared as the
 * stored "YYYY-MM-DDTHH:MM:SSZ" strings). PHX_PRUNE_ARCHIVE moves them to
 * properties_archive (table or collection), PHX_PRUNE_DELETE deletes them,
 * PHX_PRUNE_COUNT only counts (--dry-run). *count gets how many. */
typedef enum { PHX_PRUNE_COUNT, PHX_PRUNE_ARCHIVE, PHX_PRUNE_DELETE } phx_prune_mode;
int phx_store_prune(phx_store *s, const char *cutoff, phx_prune_mode mode,
		    long long *count, phx_store_error *err);

/* Iterate over stored documents, in property_id order, optionally only one
 * ZIP (address.zip) and/or only last_seen >= since. zip, since may be NULL.
 * next: 1 with a new reference in *doc, 0 at the end, -1 with err. */
typedef struct phx_store_iter phx_store_iter;
phx_store_iter *phx_store_iter_open(phx_store *s, const char *zip, const char *since,
				    phx_store_error *err);
int phx_store_iter_next(phx_store_iter *it, json_t **doc, phx_store_error *err);
void phx_store_iter_close(phx_store_iter *it);

/* Number of stored properties, or -1 with err. */
long long phx_store_count(phx_store *s, phx_store_error *err);

/* daily_reports: one document per day {"date":"YYYY-MM-DD", "totals":{..},
 * "by_source":{SRC:{..}}, "by_zip":{ZIP:{..}}, "updated_at":..} where each
 * {..} holds integer counters (new, updated, unchanged, rejected).
 * report_add adds the counters of delta (same shape, without "date") to the
 * day's document, creating it; it must not lose a concurrent run's counts
 * (SQLite: inside the batch transaction; MongoDB: $inc upsert, or
 * read-modify-write under the revision rule). phx_counts_add (merge.h) adds
 * two such objects for backends that read, add and write. */
int phx_store_report_add(phx_store *s, const char *date, const json_t *delta,
			 const char *updated_at, phx_store_error *err);
/* The day's document (new reference), NULL when none (err->code 0) or on error. */
json_t *phx_store_report_get(phx_store *s, const char *date, phx_store_error *err);

/* ---- for backends only ------------------------------------------------ */

/* Every backend implements these; phx_store_* dispatch through them. */
typedef struct phx_store_ops {
	const char *kind;
	void (*close)(phx_store *);
	int (*begin)(phx_store *, phx_store_error *);
	int (*commit)(phx_store *, phx_store_error *);
	void (*rollback)(phx_store *);
	int (*get)(phx_store *, const char *const *, size_t, json_t **, long long *,
		   phx_store_error *);
	int (*find_parcels)(phx_store *, const char *const *, size_t, char **, int *,
			    phx_store_error *);
	int (*put)(phx_store *, phx_store_item *, size_t, phx_store_error *);
	int (*del)(phx_store *, const char *, phx_store_error *);
	json_t *(*ensure_indexes)(phx_store *, phx_store_error *);
	int (*prune)(phx_store *, const char *, phx_prune_mode, long long *,
		     phx_store_error *);
	phx_store_iter *(*iter_open)(phx_store *, const char *, const char *,
				     phx_store_error *);
	int (*iter_next)(phx_store_iter *, json_t **, phx_store_error *);
	void (*iter_close)(phx_store_iter *);
	long long (*count)(phx_store *, phx_store_error *);
	int (*report_add)(phx_store *, const char *, const json_t *, const char *,
			  phx_store_error *);
	json_t *(*report_get)(phx_store *, const char *, phx_store_error *);
	/* optional (may be NULL) */
	int (*get_sums)(phx_store *, const char *const *, size_t, char **, phx_store_error *);
	int stores_text;	/* put takes items with text as they are */
} phx_store_ops;

/* A backend's handle starts with this struct (first member), so the
 * dispatcher can find its ops; display is the redacted URI (malloc'd,
 * freed by the backend's close). */
struct phx_store {
	const phx_store_ops *ops;
	char *display;
};

/* Likewise, a backend's iterator starts with this. */
struct phx_store_iter {
	phx_store *store;
};

/* Backend constructors, called by phx_store_open only.
 * lib/store_sqlite.c: path is the file name (URI prefix removed).
 * lib/store_mongo.c: uri is the full mongodb:// or mongodb+srv:// URI. */
phx_store *phx_store_sqlite_open(const char *path, const phx_store_options *opts,
				 phx_store_error *err);
phx_store *phx_store_mongo_open(const char *uri, const phx_store_options *opts,
				phx_store_error *err);

#endif
