/* test_store_mongo.c - the MongoDB backend against the test peer (CongoDB,
 * started here through tests/servers/congodb.sh): revisions and conflicts,
 * per-document failures with the server's own code, unsafe keys, parcels,
 * indexes, prune, export order, reports, and a server that goes away. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <mongoc/mongoc.h>
#include "merge.h"
#include "store.h"
#include "unit.h"

static pid_t peer;
static char peer_uri[256];

/* Start the peer (port "0" = any; data dir may be NULL); 0 when it listens. */
static int peer_start(const char *port, const char *data)
{
	const char *top = getenv("PHX_TOP") ? getenv("PHX_TOP") : ".";
	char script[4096];
	struct pollfd pfd;
	size_t got = 0;
	int fds[2];

	snprintf(script, sizeof script, "%s/tests/servers/congodb.sh", top);
	if (pipe(fds) != 0)
		return -1;
	peer = fork();
	if (peer == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		if (data)
			execl("/bin/sh", "sh", script, "run", "--port", port, "--data", data,
			      (char *)NULL);
		else
			execl("/bin/sh", "sh", script, "run", "--port", port, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	pfd.fd = fds[0];
	pfd.events = POLLIN;
	while (got < sizeof peer_uri - 1 && poll(&pfd, 1, 20000) == 1) {
		ssize_t r = read(fds[0], peer_uri + got, 1);
		if (r <= 0 || peer_uri[got] == '\n')
			break;
		got++;
	}
	peer_uri[got] = '\0';
	close(fds[0]);
	return strncmp(peer_uri, "mongodb://", 10) == 0 ? 0 : -1;
}

static void peer_stop(int sig)
{
	if (peer > 0) {
		kill(peer, sig);
		waitpid(peer, NULL, 0);
	}
	peer = 0;
}

static phx_store *open_db(const char *uri, const char *db, phx_store_error *err)
{
	phx_store_options o = {db, 10000, 3000, 10000, 0};

	return phx_store_open(uri, &o, err);
}

static json_t *doc(const char *id, const char *key, const char *apn, const char *zip,
		   const char *seen)
{
	return json_pack("{s:s, s:s?, s:s, s:{s:s}, s:s, s:i, s:[i, s]}", "property_id", id,
			 "apn", apn, "address_key", key, "address", "zip", zip, "last_seen", seen,
			 "price", 250000, "list", 1, "two");
}

static void put_one(phx_store *s, const char *id, json_t *d, long long rev,
		    phx_put_result want)
{
	phx_store_item it = {id, d, rev, PHX_PUT_PENDING, {{0}, 0, 0, {0}}, NULL, 0};
	phx_store_error err;

	CHECK_INT(phx_store_put(s, &it, 1, &err), 0);
	CHECK_INT(it.result, want);
}

static void check_put_get(phx_store *s)
{
	json_t *a = doc("apn:1", "k1", "1", "85031", "2026-11-01T00:00:00Z");
	json_t *b = doc("apn:2", "k2", "2", "85032", "2026-11-02T00:00:00Z");
	const char *ids[] = {"apn:2", "nope", "apn:1", "apn:2"};
	phx_store_item items[2] = {{"apn:1", a, 0, 0, {{0}, 0, 0, {0}}, NULL, 0},
				   {"apn:2", b, 0, 0, {{0}, 0, 0, {0}}, NULL, 0}};
	json_t *docs[4];
	long long revs[4];
	phx_store_error err;
	char *want, *got;

	CHECK_INT(phx_store_put(s, items, 2, &err), 0);
	CHECK_INT(items[0].result, PHX_PUT_INSERTED);
	CHECK_INT(items[1].result, PHX_PUT_INSERTED);
	CHECK_INT(phx_store_get(s, ids, 4, docs, revs, &err), 0);
	CHECK(docs[1] == NULL && revs[1] == 0);
	CHECK(docs[0] && docs[3] && revs[0] == 1 && revs[3] == 1 && revs[2] == 1);
	/* Same members, same order, no _id or _rev. */
	want = json_dumps(a, JSON_COMPACT);
	got = docs[2] ? json_dumps(docs[2], JSON_COMPACT) : NULL;
	CHECK_STR(got, want);
	free(want);
	free(got);
	CHECK(json_equal(docs[3], b));
	for (int i = 0; i < 4; i++)
		json_decref(docs[i]);

	/* A write on the revision read lands; a second one on the same is a conflict. */
	json_object_set_new(a, "price", json_integer(260000));
	put_one(s, "apn:1", a, 1, PHX_PUT_UPDATED);
	put_one(s, "apn:1", a, 1, PHX_PUT_CONFLICT);
	put_one(s, "apn:2", b, 0, PHX_PUT_CONFLICT);	/* "new" but already there */
	CHECK_INT(phx_store_get(s, ids + 2, 1, docs, revs, &err), 0);
	CHECK_INT(revs[0], 2);
	CHECK_INT(json_integer_value(json_object_get(docs[0], "price")), 260000);
	json_decref(docs[0]);
	json_decref(a);
	json_decref(b);
}

/* get_sums: the summary of the stored sources, the very text merge.c makes
 * from the whole document (so the projection has the shape mongod gives:
 * an array of subdocuments), NULL for an absent id, per position. */
static void check_sums(void)
{
	json_t *a = json_pack("{s:s, s:s, s:[{s:s, s:s, s:s, s:s, s:s, s:{s:i}},"
			      " {s:s, s:s, s:s}, i, {s:s, s:s, s:s, s:s, s:s}]}",
			      "property_id", "apn:s1", "address_key", "ks1", "sources",
			      "source", "maricopa", "first_seen", "2026-11-01T00:00:00Z",
			      "last_seen", "2026-11-03T00:00:00Z", "hash", "aa11", "last_changed",
			      "2026-11-01T00:00:00Z", "record", "x", 1,
			      "source", "half", "hash", "bb22", "first_seen",
			      "2026-11-01T00:00:00Z", 7,
			      "source", "phoenix_mls", "hash", "cc33", "last_seen",
			      "2026-11-04T00:00:00Z", "first_seen", "2026-11-02T00:00:00Z",
			      "trace", "t");
	json_t *b = json_pack("{s:s, s:s}", "property_id", "apn:s2", "address_key", "ks2");
	const char *ids[] = {"apn:s1", "nope", "apn:s2", "apn:s1"};
	char *sums[4], *want = phx_doc_summary(a);
	phx_store_error err;
	phx_store *s = open_db(peer_uri, "sums", &err);

	CHECK(s != NULL);
	if (!s)
		goto out;
	CHECK_STR(want, "maricopa aa11 2026-11-01T00:00:00Z 2026-11-03T00:00:00Z\n"
		  "phoenix_mls cc33 2026-11-02T00:00:00Z 2026-11-04T00:00:00Z\n");
	put_one(s, "apn:s1", a, 0, PHX_PUT_INSERTED);
	put_one(s, "apn:s2", b, 0, PHX_PUT_INSERTED);
	CHECK_INT(phx_store_get_sums(s, ids, 4, sums, &err), 0);
	CHECK_STR(sums[0], want);
	CHECK(sums[1] == NULL);
	CHECK_STR(sums[2], "");		/* stored, but no sources */
	CHECK_STR(sums[3], want);
	for (int i = 0; i < 4; i++)
		free(sums[i]);
	/* After an update the summary is the new document's. */
	json_object_set_new(json_array_get(json_object_get(a, "sources"), 0), "last_seen",
			    json_string("2026-11-09T00:00:00Z"));
	put_one(s, "apn:s1", a, 1, PHX_PUT_UPDATED);
	free(want);
	want = phx_doc_summary(a);
	CHECK_INT(phx_store_get_sums(s, ids, 1, sums, &err), 0);
	CHECK_STR(sums[0], want);
	CHECK(strstr(want, "2026-11-09T00:00:00Z") != NULL);
	free(sums[0]);
	phx_store_close(s);
out:
	free(want);
	json_decref(a);
	json_decref(b);
}

/* A batch's own writes are read back from what it sent; a write by another
 * writer since is caught by the revision (a conflict), and the re-read after
 * it, or any read in a new attempt (begin), is the server's. */
static void check_own_writes(void)
{
	json_t *x = doc("apn:w1", "kw1", "w1", "85031", "2026-11-01T00:00:00Z"), *other, *got;
	const char *id = "apn:w1";
	phx_store_error err;
	phx_store *a = open_db(peer_uri, "own", &err), *b = open_db(peer_uri, "own", &err);
	long long rev;
	char *want, *text;

	CHECK(a != NULL && b != NULL);
	if (!a || !b)
		goto out;
	CHECK_INT(phx_store_begin(a, &err), 0);
	put_one(a, id, x, 0, PHX_PUT_INSERTED);
	CHECK_INT(phx_store_get(a, &id, 1, &got, &rev, &err), 0);
	want = json_dumps(x, JSON_COMPACT);
	text = got ? json_dumps(got, JSON_COMPACT) : NULL;
	CHECK_STR(text, want);
	CHECK_INT(rev, 1);
	free(want);
	free(text);
	json_decref(got);
	/* Another writer moves it on. */
	CHECK_INT(phx_store_get(b, &id, 1, &other, &rev, &err), 0);
	CHECK_INT(rev, 1);
	json_object_set_new(other, "price", json_integer(1));
	put_one(b, id, other, 1, PHX_PUT_UPDATED);
	/* Within a's attempt the read still says rev 1; writing on it conflicts. */
	CHECK_INT(phx_store_get(a, &id, 1, &got, &rev, &err), 0);
	CHECK_INT(rev, 1);
	put_one(a, id, got, 1, PHX_PUT_CONFLICT);
	json_decref(got);
	CHECK_INT(phx_store_get(a, &id, 1, &got, &rev, &err), 0);
	CHECK_INT(rev, 2);
	CHECK_INT(json_integer_value(json_object_get(got, "price")), 1);
	/* a writes rev 3, b writes rev 4; a's next attempt reads b's. */
	put_one(a, id, got, 2, PHX_PUT_UPDATED);
	json_decref(got);
	json_object_set_new(other, "price", json_integer(2));
	put_one(b, id, other, 3, PHX_PUT_UPDATED);
	CHECK_INT(phx_store_begin(a, &err), 0);
	CHECK_INT(phx_store_get(a, &id, 1, &got, &rev, &err), 0);
	CHECK_INT(rev, 4);
	CHECK_INT(json_integer_value(json_object_get(got, "price")), 2);
	json_decref(got);
	/* Deleted: absent, not what was written. */
	put_one(a, id, other, 4, PHX_PUT_UPDATED);
	CHECK_INT(phx_store_delete(a, id, &err), 1);
	CHECK_INT(phx_store_get(a, &id, 1, &got, &rev, &err), 0);
	CHECK(got == NULL && rev == 0);
	json_decref(other);
out:
	if (a)
		phx_store_close(a);
	if (b)
		phx_store_close(b);
	json_decref(x);
}

/* Items given as text: stored as their parse would be (the item's
 * property_id first, the text's own left out); a text that is not JSON or
 * holds an unsafe key fails that item alone. */
static void check_text_items(void)
{
	static const char good[] = "{\"property_id\":\"ignored\",\"address_key\":\"kt1\","
				   "\"s\":\"\\u00e9\\n\",\"n\":[1,2.5,-3,null,true],\"o\":{\"x\":{}}}";
	static const char bad[] = "{\"address_key\":\"kt2\",\"a\":[1,}";
	static const char unsafe[] = "{\"address_key\":\"kt3\",\"a\":{\"$set\":1}}";
	phx_store_item items[3] = {
		{"apn:t1", NULL, 0, 0, {{0}, 0, 0, {0}}, good, sizeof good - 1},
		{"apn:t2", NULL, 0, 0, {{0}, 0, 0, {0}}, bad, sizeof bad - 1},
		{"apn:t3", NULL, 0, 0, {{0}, 0, 0, {0}}, unsafe, sizeof unsafe - 1}};
	const char *ids[] = {"apn:t1", "apn:t2", "apn:t3"};
	json_t *docs[3], *want = json_loads(good, 0, NULL);
	long long revs[3];
	phx_store_error err;
	phx_store *s = open_db(peer_uri, "text", &err), *fresh = open_db(peer_uri, "text", &err);
	char *a, *b;

	CHECK(s != NULL && fresh != NULL && want != NULL);
	if (!s || !fresh || !want)
		goto out;
	json_object_set_new(want, "property_id", json_string("apn:t1"));
	CHECK_INT(phx_store_put(s, items, 3, &err), 0);
	CHECK_INT(items[0].result, PHX_PUT_INSERTED);
	CHECK_INT(items[1].result, PHX_PUT_FAILED);
	CHECK(strstr(items[1].error.message, "not JSON") != NULL);
	CHECK_INT(items[2].result, PHX_PUT_FAILED);
	CHECK(strstr(items[2].error.message, "$set") != NULL);
	/* From the server (a handle that wrote nothing), not the one that wrote. */
	CHECK_INT(phx_store_get(fresh, ids, 3, docs, revs, &err), 0);
	CHECK(docs[0] && !docs[1] && !docs[2] && revs[0] == 1);
	a = json_dumps(want, JSON_COMPACT);
	b = docs[0] ? json_dumps(docs[0], JSON_COMPACT) : NULL;
	CHECK_STR(b, a);
	free(a);
	free(b);
	for (int i = 0; i < 3; i++)
		json_decref(docs[i]);
out:
	if (s)
		phx_store_close(s);
	if (fresh)
		phx_store_close(fresh);
	json_decref(want);
}

/* One bad document fails alone: refused here (unsafe key) or by the server
 * (a duplicate on another unique index, with the server's code and text). */
static void check_bad_documents(phx_store *s, mongoc_collection_t *raw)
{
	json_t *ok1 = doc("apn:10", "k10", "10", "85031", "2026-11-03T00:00:00Z");
	json_t *bad = doc("apn:11", "k11", "11", "85031", "2026-11-03T00:00:00Z");
	json_t *ok2 = doc("apn:12", "k12", "12", "85031", "2026-11-03T00:00:00Z");
	json_t *dup = doc("apn:13", "k12", "13", "85031", "2026-11-03T00:00:00Z");
	phx_store_item items[4] = {{"apn:10", ok1, 0, 0, {{0}, 0, 0, {0}}, NULL, 0},
				   {"apn:11", bad, 0, 0, {{0}, 0, 0, {0}}, NULL, 0},
				   {"apn:12", ok2, 0, 0, {{0}, 0, 0, {0}}, NULL, 0},
				   {"apn:13", dup, 0, 0, {{0}, 0, 0, {0}}, NULL, 0}};
	bson_t *cmd = BCON_NEW("createIndexes", "properties", "indexes", "[", "{",
			       "key", "{", "address_key", BCON_INT32(1), "}",
			       "name", "address_key_unique", "unique", BCON_BOOL(true), "}", "]");
	const char *ids[] = {"apn:10", "apn:11", "apn:12", "apn:13"};
	json_t *docs[4];
	long long revs[4];
	phx_store_error err;
	bson_error_t e;

	CHECK(mongoc_collection_write_command_with_opts(raw, cmd, NULL, NULL, &e));
	json_object_set_new(json_object_get(bad, "address"), "$where", json_string("1"));
	CHECK_INT(phx_store_put(s, items, 4, &err), 0);
	CHECK_INT(items[0].result, PHX_PUT_INSERTED);
	CHECK_INT(items[1].result, PHX_PUT_FAILED);
	CHECK_STR(items[1].error.domain, "store");
	CHECK(strstr(items[1].error.message, "$where") != NULL);
	CHECK_INT(items[2].result, PHX_PUT_INSERTED);
	CHECK_INT(items[3].result, PHX_PUT_FAILED);
	CHECK_STR(items[3].error.domain, "mongo");
	CHECK_INT(items[3].error.code, 11000);
	CHECK(strstr(items[3].error.message, "E11000") != NULL);
	CHECK(strstr(items[3].error.message, "address_key") != NULL);
	CHECK_INT(phx_store_get(s, ids, 4, docs, revs, &err), 0);
	CHECK(docs[0] && !docs[1] && docs[2] && !docs[3]);
	for (int i = 0; i < 4; i++)
		json_decref(docs[i]);
	json_decref(ok1);
	json_decref(bad);
	json_decref(ok2);
	json_decref(dup);
	bson_destroy(cmd);
	cmd = BCON_NEW("dropIndexes", "properties", "index", "address_key_unique");
	CHECK(mongoc_collection_write_command_with_opts(raw, cmd, NULL, NULL, &e));
	bson_destroy(cmd);
}

static void check_parcels(phx_store *s)
{
	const char *keys[] = {"pk1", "pk2", "pk3", "pk4", "pk1"};
	char *match[5];
	int counts[5];
	phx_store_error err;
	json_t *d;

	put_one(s, "apn:21", d = doc("apn:21", "pk1", "21", "85033", "2026-11-04T00:00:00Z"),
		0, PHX_PUT_INSERTED);
	json_decref(d);
	put_one(s, "apn:22", d = doc("apn:22", "pk2", "22", "85033", "2026-11-04T00:00:00Z"),
		0, PHX_PUT_INSERTED);
	json_decref(d);
	put_one(s, "apn:23", d = doc("apn:23", "pk2x", "23", "85033", "2026-11-04T00:00:00Z"),
		0, PHX_PUT_INSERTED);
	json_decref(d);
	put_one(s, "addr:pk3", d = doc("addr:pk3", "pk3", NULL, "85033", "2026-11-04T00:00:00Z"),
		0, PHX_PUT_INSERTED);
	json_decref(d);
	/* apn:23 moves onto pk2: two parcels at one address now. */
	d = doc("apn:23", "pk2", "23", "85033", "2026-11-04T00:00:00Z");
	put_one(s, "apn:23", d, 1, PHX_PUT_UPDATED);
	json_decref(d);
	CHECK_INT(phx_store_find_parcels(s, keys, 5, match, counts, &err), 0);
	CHECK_STR(match[0], "apn:21");
	CHECK(match[1] == NULL);	/* two parcels */
	CHECK(match[2] == NULL);	/* a document, but not a parcel (apn null) */
	CHECK(match[3] == NULL);	/* nothing */
	CHECK_STR(match[4], "apn:21");
	CHECK_INT(counts[0], 1);
	CHECK_INT(counts[1], 2);
	CHECK_INT(counts[2], 0);
	CHECK_INT(counts[3], 0);
	for (int i = 0; i < 5; i++)
		free(match[i]);
}

static void check_indexes(phx_store *s)
{
	phx_store_error err;
	json_t *r = phx_store_ensure_indexes(s, &err);
	char *text = r ? json_dumps(r, JSON_COMPACT) : NULL;

	CHECK_STR(text, "[{\"index\":\"property_id_1\",\"status\":\"exists\"},"
		  "{\"index\":\"address_key_1\",\"status\":\"exists\"},"
		  "{\"index\":\"address.zip_1_property_type_1\",\"status\":\"created\"},"
		  "{\"index\":\"address.zip_1_price_1\",\"status\":\"created\"},"
		  "{\"index\":\"last_seen_1\",\"status\":\"created\"}]");
	free(text);
	json_decref(r);
	r = phx_store_ensure_indexes(s, &err);
	text = r ? json_dumps(r, JSON_COMPACT) : NULL;
	CHECK(text && !strstr(text, "created"));
	free(text);
	json_decref(r);
}

static void check_export_and_count(phx_store *s)
{
	phx_store_error err;
	phx_store_iter *it = phx_store_iter_open(s, "85031", "2026-11-02T00:00:00Z", &err);
	json_t *d;
	char got[256] = "";

	while (it && phx_store_iter_next(it, &d, &err) == 1) {
		size_t n = strlen(got);
		snprintf(got + n, sizeof got - n, "%s ",
			 json_string_value(json_object_get(d, "property_id")));
		CHECK(json_object_get(d, "_id") == NULL && json_object_get(d, "_rev") == NULL);
		json_decref(d);
	}
	phx_store_iter_close(it);
	/* apn:1 is in 85031 but seen before the 2nd; sorted by property id. */
	CHECK_STR(got, "apn:10 apn:12 ");
	CHECK_INT(phx_store_count(s, &err), 8);
}

static void check_prune(phx_store *s, mongoc_database_t *raw)
{
	mongoc_collection_t *arch = mongoc_database_get_collection(raw, "properties_archive");
	phx_store_error err;
	long long n = -1;
	bson_t q = BSON_INITIALIZER;

	CHECK_INT(phx_store_prune(s, "2026-11-03T00:00:00Z", PHX_PRUNE_COUNT, &n, &err), 0);
	CHECK_INT(n, 2);	/* apn:1, apn:2 */
	CHECK_INT(phx_store_prune(s, "2026-11-03T00:00:00Z", PHX_PRUNE_ARCHIVE, &n, &err), 0);
	CHECK_INT(n, 2);
	CHECK_INT(mongoc_collection_count_documents(arch, &q, NULL, NULL, NULL, NULL), 2);
	CHECK_INT(phx_store_count(s, &err), 6);
	CHECK_INT(phx_store_prune(s, "2026-11-04T00:00:00Z", PHX_PRUNE_DELETE, &n, &err), 0);
	CHECK_INT(n, 2);	/* apn:10, apn:12 */
	CHECK_INT(phx_store_count(s, &err), 4);
	CHECK_INT(phx_store_delete(s, "apn:21", &err), 1);
	CHECK_INT(phx_store_delete(s, "apn:21", &err), 0);
	mongoc_collection_destroy(arch);
}

static void check_reports(phx_store *s)
{
	json_t *d1 = json_pack("{s:{s:i, s:i}, s:{s:{s:i}}}", "totals", "new", 2, "updated", 1,
			       "by_zip", "85031", "new", 2);
	json_t *d2 = json_pack("{s:{s:i}, s:{s:{s:i}}}", "totals", "new", 3, "by_zip", "85031",
			       "new", 1);
	json_t *bad = json_pack("{s:{s:i}}", "by_source", "$evil", 1), *r;
	phx_store_error err;
	char *text;

	CHECK_INT(phx_store_report_add(s, "2026-11-28", d1, "2026-11-28T10:00:00Z", &err), 0);
	CHECK_INT(phx_store_report_add(s, "2026-11-28", d2, "2026-11-28T11:00:00Z", &err), 0);
	CHECK_INT(phx_store_report_add(s, "2026-11-28", bad, "2026-11-28T12:00:00Z", &err), -1);
	r = phx_store_report_get(s, "2026-11-28", &err);
	CHECK_INT(json_integer_value(json_object_get(json_object_get(r, "totals"), "new")), 5);
	CHECK_INT(json_integer_value(json_object_get(json_object_get(r, "totals"), "updated")), 1);
	text = json_dumps(json_object_get(r, "by_zip"), JSON_COMPACT);
	CHECK_STR(text, "{\"85031\":{\"new\":3}}");
	CHECK_STR(json_string_value(json_object_get(r, "updated_at")), "2026-11-28T11:00:00Z");
	CHECK(json_object_get(r, "_id") == NULL);
	free(text);
	json_decref(r);
	CHECK(phx_store_report_get(s, "2026-11-27", &err) == NULL && err.code == 0);
	json_decref(d1);
	json_decref(d2);
	json_decref(bad);
}

/* Nobody there: a transient error, quickly, and no password in it. */
static void check_unreachable(void)
{
	phx_store_error err;
	phx_store *s = open_db("mongodb://phx:Sup3rSecretPw@127.0.0.1:1/?connectTimeoutMS=500",
			       "t", &err);

	CHECK(s == NULL);
	CHECK_INT(err.transient, 1);
	CHECK_STR(err.domain, "mongo");
	CHECK(strstr(err.message, "Sup3rSecretPw") == NULL);
	s = open_db("mongodb://[::1", "t", &err);
	CHECK(s == NULL && err.transient == 0);
}

/* The server killed under an open store: the batch fails as a whole and
 * transient; the server back (same data): resending stores nothing twice. */
static void check_server_lost(const char *data)
{
	char port[16], uri[sizeof peer_uri];
	const char *p;
	phx_store_error err;
	phx_store *s;
	phx_store_item items[3];
	json_t *d[3];
	int i;

	CHECK_INT(peer_start("0", data), 0);
	snprintf(uri, sizeof uri, "%s", peer_uri);
	p = strrchr(uri, ':');
	snprintf(port, sizeof port, "%ld", p ? strtol(p + 1, NULL, 10) : 0L);
	s = open_db(uri, "lost", &err);
	CHECK(s != NULL);
	if (!s)
		return;
	for (i = 0; i < 3; i++) {
		char id[16];
		snprintf(id, sizeof id, "apn:%d", 100 + i);
		d[i] = doc(id, id, id + 4, "85031", "2026-11-05T00:00:00Z");
		items[i] = (phx_store_item){json_string_value(json_object_get(d[i],
							 "property_id")), d[i], 0, 0,
					    {{0}, 0, 0, {0}}, NULL, 0};
	}
	CHECK_INT(phx_store_put(s, items, 2, &err), 0);
	peer_stop(SIGKILL);
	CHECK_INT(phx_store_put(s, items, 3, &err), -1);
	CHECK_INT(err.transient, 1);
	CHECK_INT(items[2].result, PHX_PUT_PENDING);
	phx_store_close(s);
	CHECK_INT(peer_start(port, data), 0);
	s = open_db(uri, "lost", &err);
	CHECK(s != NULL);
	if (s) {
		CHECK_INT(phx_store_put(s, items, 3, &err), 0);
		CHECK_INT(items[0].result, PHX_PUT_CONFLICT);	/* stored before the kill */
		CHECK_INT(items[1].result, PHX_PUT_CONFLICT);
		CHECK_INT(items[2].result, PHX_PUT_INSERTED);
		CHECK_INT(phx_store_count(s, &err), 3);
		phx_store_close(s);
	}
	for (i = 0; i < 3; i++)
		json_decref(d[i]);
	peer_stop(SIGTERM);
}

int main(void)
{
	char data[] = "/tmp/phx-mongo-test.XXXXXX";
	mongoc_client_t *client;
	mongoc_database_t *raw;
	mongoc_collection_t *props;
	phx_store_error err;
	phx_store *s;

	if (peer_start("0", NULL) != 0) {
		CHECK(!"the MongoDB peer starts (run tests/servers/install-congodb.sh)");
		return unit_done();
	}
	s = open_db(peer_uri, "unit", &err);
	CHECK(s != NULL);
	if (s) {
		CHECK_STR(phx_store_kind(s), "mongodb");
		client = mongoc_client_new(peer_uri);
		raw = mongoc_client_get_database(client, "unit");
		props = mongoc_database_get_collection(raw, "properties");
		check_put_get(s);
		check_sums();
		check_own_writes();
		check_text_items();
		check_bad_documents(s, props);
		check_parcels(s);
		check_indexes(s);
		check_export_and_count(s);
		check_prune(s, raw);
		check_reports(s);
		mongoc_collection_destroy(props);
		mongoc_database_destroy(raw);
		mongoc_client_destroy(client);
		phx_store_close(s);
	}
	peer_stop(SIGTERM);
	check_unreachable();
	if (mkdtemp(data)) {
		check_server_lost(data);
		char cmd[128];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", data);
		CHECK_INT(system(cmd), 0);
	}
	return unit_done();
}
