/* store_mongo.h - internals shared by the two halves of the MongoDB backend:
 * store_mongo.c (connection, errors, reading and writing properties) and
 * store_mongo_admin.c (indexes, prune, export iterator, daily reports).
 * Nothing outside those two files includes this; the tool sees store.h. */
#ifndef PHX_STORE_MONGO_H
#define PHX_STORE_MONGO_H
#include <mongoc/mongoc.h>
#include "store.h"

#define PHX_MONGO_PROPERTIES "properties"
#define PHX_MONGO_REPORTS "daily_reports"
#define PHX_MONGO_ARCHIVE "properties_archive"
/* The revision lives in the stored document under this key; it and _id are
 * bookkeeping and never cross store.h. */
#define PHX_MONGO_REV "_rev"

/* What this handle wrote since the batch began (store_mongo_recent.c): the
 * stored form as sent (with _rev) by property id. */
typedef struct mongo_recent {
	json_t *index;		/* {property_id: slot} */
	bson_t **docs;		/* slot -> document, NULL once dropped */
	long long *revs;	/* slot -> the revision it was stored with */
	size_t n, cap;
} mongo_recent;

typedef struct mongo_store {
	phx_store base;		/* first: store.c finds the ops here */
	mongoc_client_t *client;
	mongoc_database_t *db;
	mongoc_collection_t *props;
	mongoc_collection_t *reports;
	int read_only;
	mongo_recent recent;
} mongo_store;

/* The recent set: emptied, freed, one id dropped, a document kept (doc
 * taken over), and looked up (NULL when not kept; *rev its revision). */
void phx_mongo_recent_clear(mongo_recent *r);
void phx_mongo_recent_free(mongo_recent *r);
void phx_mongo_recent_drop(mongo_recent *r, const char *id);
void phx_mongo_recent_put(mongo_recent *r, const char *id, bson_t *doc, long long rev);
const bson_t *phx_mongo_recent_get(const mongo_recent *r, const char *id, long long *rev);

/* Keys never handed to the tool: the server's _id and our revision. */
extern const char *const phx_mongo_hidden[];

/* Fill err from a libmongoc error (and the reply, for error labels). */
void phx_mongo_error(phx_store_error *err, const bson_error_t *e, const bson_t *reply);

/* Run a command on the store's database; reply may be NULL. 0 or -1 with err. */
int phx_mongo_command(mongo_store *m, const bson_t *cmd, bson_t *reply,
		      phx_store_error *err);

/* The admin half's entries in the ops table. */
json_t *phx_mongo_ensure_indexes(phx_store *s, phx_store_error *err);
int phx_mongo_prune(phx_store *s, const char *cutoff, phx_prune_mode mode,
		    long long *count, phx_store_error *err);
phx_store_iter *phx_mongo_iter_open(phx_store *s, const char *zip, const char *since,
				    phx_store_error *err);
int phx_mongo_iter_next(phx_store_iter *it, json_t **doc, phx_store_error *err);
void phx_mongo_iter_close(phx_store_iter *it);
int phx_mongo_report_add(phx_store *s, const char *date, const json_t *delta,
			 const char *updated_at, phx_store_error *err);
json_t *phx_mongo_report_get(phx_store *s, const char *date, phx_store_error *err);
/* The indexes loading depends on: unique property_id (revisions), address_key
 * (parcel lookups; without it every batch scans the collection), and the
 * unique date of daily_reports. */
int phx_mongo_ensure_write_indexes(mongo_store *m, phx_store_error *err);

#endif
