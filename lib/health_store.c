/* health_store.c - the store check: the SQLite file opens read-only and
 * passes PRAGMA quick_check, or the MongoDB server answers ping (with its
 * round-trip time) and, where the user may run serverStatus, how many
 * connections it holds.
 *
 * The previous system's check reported the database down without asking
 * it; this one asks the same store phx-store writes (store_uri.h), and
 * bounds every step by the check's deadline (a SQLite progress handler,
 * MongoDB's connect, selection and socket timeouts). */
#include "health_checks.h"
#include "exitcode.h"
#include "store_uri.h"
#include "timeutil.h"
#include "xalloc.h"

#include <mongoc/mongoc.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const phx_health_metric_def phx_health_store_metrics[] = {
	{ "store.rtt", "ms", "~:2000", "~:5000", "MongoDB ping round trip" },
	{ "store.connections", "", NULL, NULL, "MongoDB connections (serverStatus)" },
	{ "store.check_time", "ms", "~:5000", NULL, "SQLite quick_check duration" },
	{ NULL, NULL, NULL, NULL, NULL }
};

struct store_cfg {
	char *uri;
	int mongo;
	const char *path;	/* SQLite: into uri */
};

static void quiet_driver(mongoc_log_level_t l, const char *d, const char *m, void *u)
{
	(void)l, (void)d, (void)m, (void)u;	/* failures come back as errors */
}

int phx_health_store_setup(phx_health_check *c, phx_health_ctx *ctx)
{
	struct store_cfg *s;
	struct stat st;
	int is_default = 0, err = 0;
	char *uri = phx_store_uri_resolve(NULL, &is_default, &err);

	(void)ctx;
	c->r.next_step = "runbook 'Database Connection Issues': check the server or file, "
			 "network, the connection string and credentials (MONGODB_URI / PHX_DB), "
			 "then restart the service; a failing quick_check: stop writes and "
			 "restore from backup ('Data Loss or Corruption')";
	if (!uri) {
		phx_health_set(&c->r, PHX_MP_UNKNOWN, "bad store setting (MONGODB_URI_FILE?)");
		return 1;
	}
	s = phx_xcalloc(1, sizeof *s);
	s->uri = uri;
	s->mongo = strncmp(uri, "mongodb://", 10) == 0 || strncmp(uri, "mongodb+srv://", 14) == 0;
	s->path = uri;
	if (strncmp(uri, "sqlite:", 7) == 0)
		s->path = uri + 7;
	else if (strncmp(uri, "file:", 5) == 0)
		s->path = uri + 5;
	c->data = s;
	if (!s->mongo && is_default && stat(s->path, &st) != 0) {
		phx_health_skip(&c->r, "no PHX_DB, MONGODB_URI or store.db, and no %s", s->path);
		return 1;
	}
	if (s->mongo) {
		mongoc_log_set_handler(quiet_driver, NULL);	/* before init: it may warn */
		setenv("MONGOC_DISABLE_SHM", "1", 0);	/* counters nobody reads */
		mongoc_init();
	}
	return 0;
}

static int progress(void *arg)
{
	const phx_health_check *c = arg;
	return phx_mono_ms() >= c->deadline_ms;	/* non-zero interrupts */
}

static void run_sqlite(phx_health_check *c, phx_health_ctx *ctx, const struct store_cfg *s)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int rc, rows = 0, ok = 0;
	int64_t t0;
	phx_buf first = PHX_BUF_INIT;

	rc = sqlite3_open_v2(s->path, &db, SQLITE_OPEN_READONLY, NULL);
	if (rc != SQLITE_OK) {
		phx_health_set(&c->r, PHX_MP_CRITICAL, "sqlite %s: cannot open: %s", s->path,
			       db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return;
	}
	sqlite3_busy_timeout(db, (int)phx_health_left_ms(c));
	sqlite3_progress_handler(db, 1000, progress, c);
	t0 = phx_mono_ms();
	rc = sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL);
	while (rc == SQLITE_OK || rc == SQLITE_ROW) {
		if ((rc = sqlite3_step(st)) != SQLITE_ROW)
			break;
		const char *t = (const char *)sqlite3_column_text(st, 0);
		rows++;
		if (t && strcmp(t, "ok") == 0)
			ok = 1;
		else if (rows == 1)
			phx_buf_adds(&first, t ? t : "?");
		if (rows <= 20)
			phx_health_detail(&c->r, "quick_check: %s", t ? t : "?");
	}
	if (rc == SQLITE_INTERRUPT)
		phx_health_set(&c->r, PHX_MP_CRITICAL, "sqlite %s: timeout during quick_check",
			       s->path);
	else if (rc != SQLITE_DONE)
		phx_health_set(&c->r, PHX_MP_CRITICAL, "sqlite %s: %s", s->path, sqlite3_errmsg(db));
	else if (ok && rows == 1)
		phx_health_set(&c->r, PHX_MP_OK, "sqlite %s: quick_check ok", s->path);
	else
		phx_health_set(&c->r, PHX_MP_CRITICAL, "sqlite %s: quick_check found %d problem%s: %s",
			       s->path, rows, rows == 1 ? "" : "s", first.data ? first.data : "");
	if (rc == SQLITE_DONE)
		phx_health_value_add(c, ctx, "store.check_time", (double)(phx_mono_ms() - t0));
	phx_buf_free(&first);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static mongoc_client_t *mongo_client(phx_health_check *c, const struct store_cfg *s)
{
	bson_error_t e;
	mongoc_client_t *cl;
	int32_t left = (int32_t)phx_health_left_ms(c);
	mongoc_uri_t *u = mongoc_uri_new_with_error(s->uri, &e);

	if (!u) {
		phx_health_set(&c->r, PHX_MP_CRITICAL, "%s: bad URI: %s", s->uri, e.message);
		return NULL;
	}
	mongoc_uri_set_option_as_int32(u, MONGOC_URI_CONNECTTIMEOUTMS, left);
	mongoc_uri_set_option_as_int32(u, MONGOC_URI_SERVERSELECTIONTIMEOUTMS, left);
	mongoc_uri_set_option_as_int32(u, MONGOC_URI_SOCKETTIMEOUTMS, left);
	mongoc_uri_set_option_as_bool(u, MONGOC_URI_SERVERSELECTIONTRYONCE, true);
	mongoc_uri_set_appname(u, "phx-health");
	cl = mongoc_client_new_from_uri_with_error(u, &e);
	mongoc_uri_destroy(u);
	if (!cl)
		phx_health_set(&c->r, PHX_MP_CRITICAL, "%s: %s", s->uri, e.message);
	else
		mongoc_client_set_error_api(cl, MONGOC_ERROR_API_VERSION_2);
	return cl;
}

static int mongo_command(mongoc_client_t *cl, const char *name, bson_t *reply,
			 bson_error_t *e)
{
	bson_t cmd = BSON_INITIALIZER;
	bool ok;
	BSON_APPEND_INT32(&cmd, name, 1);
	ok = mongoc_client_command_simple(cl, "admin", &cmd, NULL, reply, e);
	bson_destroy(&cmd);
	return ok ? 0 : -1;
}

static void mongo_connections(phx_health_check *c, phx_health_ctx *ctx, mongoc_client_t *cl)
{
	bson_t reply;
	bson_error_t e;
	bson_iter_t it;

	if (mongo_command(cl, "serverStatus", &reply, &e) != 0) {
		phx_health_detail(&c->r, "connection count not available: %s", e.message);
	} else if (bson_iter_init(&it, &reply) &&
		   bson_iter_find_descendant(&it, "connections.current", &it) &&
		   BSON_ITER_HOLDS_NUMBER(&it)) {
		phx_health_value_add(c, ctx, "store.connections", (double)bson_iter_as_int64(&it));
	} else {
		phx_health_detail(&c->r, "serverStatus has no connections.current");
	}
	bson_destroy(&reply);
}

static void run_mongo(phx_health_check *c, phx_health_ctx *ctx, const struct store_cfg *s)
{
	bson_t reply;
	bson_error_t e;
	int64_t t0;
	double rtt;
	mongoc_client_t *cl = mongo_client(c, s);

	if (!cl)
		return;
	/* the first ping also connects; the second is the round trip */
	if (mongo_command(cl, "ping", &reply, &e) != 0) {
		bson_destroy(&reply);
		phx_health_set(&c->r, PHX_MP_CRITICAL, "mongodb %s: %s%s", s->uri, e.message,
			       strstr(e.message, "imeout") || strstr(e.message, "imed out")
			       ? "" : " (no answer to ping)");
		mongoc_client_destroy(cl);
		return;
	}
	bson_destroy(&reply);
	t0 = phx_mono_ms();
	if (mongo_command(cl, "ping", &reply, &e) != 0) {
		bson_destroy(&reply);
		phx_health_set(&c->r, PHX_MP_CRITICAL, "mongodb %s: second ping: %s", s->uri,
			       e.message);
		mongoc_client_destroy(cl);
		return;
	}
	bson_destroy(&reply);
	rtt = (double)(phx_mono_ms() - t0);
	phx_health_set(&c->r, PHX_MP_OK, "mongodb %s: ping ok in %.0f ms", s->uri, rtt);
	phx_health_value_add(c, ctx, "store.rtt", rtt);
	mongo_connections(c, ctx, cl);
	mongoc_client_destroy(cl);
}

void phx_health_store_run(phx_health_check *c, phx_health_ctx *ctx)
{
	const struct store_cfg *s = c->data;
	if (s->mongo)
		run_mongo(c, ctx, s);
	else
		run_sqlite(c, ctx, s);
}

void phx_health_store_cleanup(phx_health_check *c)
{
	struct store_cfg *s = c->data;
	if (!s)
		return;
	free(s->uri);
	free(s);
	c->data = NULL;
}
