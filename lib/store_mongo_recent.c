/* store_mongo_recent.c - the documents this handle wrote since the batch
 * began (see store_mongo.h).
 *
 * A batch writes its parcels, then reads some of them straight back to
 * merge the listings that join them (store_load.c's second phase). Those
 * reads are answered from the stored form kept at the write, so the server
 * does not send back what it was just sent. This is safe under the
 * revision rule: the kept revision is the one the write stored; if another
 * writer moved it on since, the next write on it is a conflict, the entry
 * is dropped, and the re-read after the conflict goes to the server (every
 * new attempt begins with an empty set). */
#include <stdlib.h>
#include "store_mongo.h"
#include "xalloc.h"

/* Beyond this many documents the set starts again (a caller that never
 * calls phx_store_begin() must not make it grow without end). */
#define RECENT_MAX 4096

void phx_mongo_recent_clear(mongo_recent *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->docs[i])
			bson_destroy(r->docs[i]);
	r->n = 0;
	if (r->index)
		json_object_clear(r->index);
}

void phx_mongo_recent_free(mongo_recent *r)
{
	phx_mongo_recent_clear(r);
	json_decref(r->index);
	free(r->docs);
	free(r->revs);
	r->index = NULL;
	r->docs = NULL;
	r->revs = NULL;
	r->cap = 0;
}

void phx_mongo_recent_drop(mongo_recent *r, const char *id)
{
	json_t *slot = r->index ? json_object_get(r->index, id) : NULL;
	size_t k;

	if (!slot)
		return;
	k = (size_t)json_integer_value(slot);
	bson_destroy(r->docs[k]);
	r->docs[k] = NULL;
	json_object_del(r->index, id);
}

void phx_mongo_recent_put(mongo_recent *r, const char *id, bson_t *doc, long long rev)
{
	phx_mongo_recent_drop(r, id);
	if (r->n >= RECENT_MAX)
		phx_mongo_recent_clear(r);
	if (!r->index)
		r->index = json_object();
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 256;
		r->docs = phx_xrealloc(r->docs, r->cap * sizeof *r->docs);
		r->revs = phx_xrealloc(r->revs, r->cap * sizeof *r->revs);
	}
	r->docs[r->n] = doc;
	r->revs[r->n] = rev;
	json_object_set_new(r->index, id, json_integer((json_int_t)r->n));
	r->n++;
}

const bson_t *phx_mongo_recent_get(const mongo_recent *r, const char *id, long long *rev)
{
	json_t *slot = r->index ? json_object_get(r->index, id) : NULL;
	size_t k;

	if (!slot)
		return NULL;
	k = (size_t)json_integer_value(slot);
	*rev = r->revs[k];
	return r->docs[k];
}
