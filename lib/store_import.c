/* store_import.c - restore stored documents: see store_import.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "store_import.h"
#include "exitcode.h"
#include "log.h"
#include "merge.h"
#include "output.h"
#include "reject.h"
#include "run.h"
#include "signals.h"
#include "xalloc.h"

typedef struct import_batch {
	json_t **docs;
	const char **ids;
	long long *revs;
	json_t **old;
	phx_store_item *items;
	phx_pos *pos;
	char **files;
	size_t n;
} import_batch;

static int write_batch(phx_store *s, import_batch *b, phx_store_error *err)
{
	size_t i;

	if (phx_store_begin(s, err) != 0)
		return -1;
	if (phx_store_get(s, b->ids, b->n, b->old, b->revs, err) != 0)
		goto failed;
	for (i = 0; i < b->n; i++) {
		json_decref(b->old[i]);
		b->old[i] = NULL;
		memset(&b->items[i], 0, sizeof b->items[i]);
		b->items[i].property_id = b->ids[i];
		b->items[i].doc = b->docs[i];
		b->items[i].rev = b->revs[i];
	}
	if (phx_store_put(s, b->items, b->n, err) != 0 || phx_store_commit(s, err) != 0)
		goto failed;
	return 0;
failed:
	phx_store_rollback(s);
	return -1;
}

static int report_results(import_batch *b)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < b->n; i++) {
		phx_store_item *it = &b->items[i];
		if (it->result == PHX_PUT_INSERTED || it->result == PHX_PUT_UPDATED) {
			json_t *o = json_pack("{s:s, s:s}", "property_id", b->ids[i], "result",
					      it->result == PHX_PUT_INSERTED ? "inserted"
									    : "replaced");
			if (phx_out_json(o) == 0)
				phx_run_current()->out++;
			json_decref(o);
		} else {
			char reason[512];
			snprintf(reason, sizeof reason, "%s %d: %s",
				 it->result == PHX_PUT_CONFLICT ? "store" : it->error.domain,
				 it->error.code, it->result == PHX_PUT_CONFLICT ?
				 "changed by another writer during the import" : it->error.message);
			if (phx_reject(&b->pos[i], it->result == PHX_PUT_CONFLICT ?
				       "store.conflict" : "store.db_error", reason, NULL, 0, 0,
				       b->docs[i], 0, NULL) != 0)
				rc = -1;
		}
	}
	return rc;
}

static void clear(import_batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		json_decref(b->docs[i]);
		free(b->files[i]);
	}
	b->n = 0;
}

/* Store the batch, retrying transient failures. 0, or an exit status. */
static int flush(phx_store *s, import_batch *b, const phx_load_options *lo)
{
	phx_store_error err;
	long wait = lo->backoff_ms;
	int tries;

	if (b->n == 0)
		return 0;
	for (tries = 0; write_batch(s, b, &err) != 0; tries++) {
		if (!err.transient || tries >= lo->retries || phx_stop_requested()) {
			phx_err("%s: %s (%s %d)", phx_store_display(s), err.message, err.domain,
				err.code);
			clear(b);
			return err.transient ? PHX_EX_TEMPFAIL : PHX_EX_UNAVAILABLE;
		}
		phx_sleep_ms(wait);
		wait = wait * 2 > lo->backoff_max_ms ? lo->backoff_max_ms : wait * 2;
	}
	tries = report_results(b) == 0 ? 0 : PHX_EX_IOERR;
	clear(b);
	return tries;
}

/* Parse and check one line; a document or NULL (rejected). */
static json_t *take(const phx_line *line)
{
	char reason[400], path[200];
	const char *code;
	json_t *doc;

	if (line->status != PHX_LINE_OK) {
		phx_reject_line(line, phx_line_status_code(line->status), "unreadable line");
		return NULL;
	}
	doc = phx_parse_object(line->data, line->len, &code, reason, sizeof reason);
	if (!doc) {
		phx_reject(&line->pos, code, reason, line->data, line->len, 0, NULL, 0, NULL);
		return NULL;
	}
	if (phx_json_unsafe_key(doc, path, sizeof path)) {
		snprintf(reason, sizeof reason, "key \"%s\" begins with '$' or contains '.' or NUL",
			 path);
		code = "store.unsafe_key";
	} else if (!json_is_string(json_object_get(doc, "property_id")) ||
		   !json_is_array(json_object_get(doc, "sources"))) {
		snprintf(reason, sizeof reason, "not a stored document (property_id, sources)");
		code = "store.bad_record";
	} else {
		return doc;
	}
	phx_reject(&line->pos, code, reason, line->data, line->len, 1, NULL, 0, NULL);
	json_decref(doc);
	return NULL;
}

int phx_store_import(phx_store *s, char **files, int nfiles, size_t max_line,
		     const phx_load_options *lo)
{
	import_batch b = { 0 };
	phx_reader *r = phx_reader_open(files, nfiles, max_line);
	phx_line line;
	int rc = 0;
	size_t cap = lo->batch ? lo->batch : 1000;
	json_t *doc;

	b.docs = phx_xcalloc(cap, sizeof *b.docs);
	b.ids = phx_xcalloc(cap, sizeof *b.ids);
	b.revs = phx_xcalloc(cap, sizeof *b.revs);
	b.old = phx_xcalloc(cap, sizeof *b.old);
	b.items = phx_xcalloc(cap, sizeof *b.items);
	b.pos = phx_xcalloc(cap, sizeof *b.pos);
	b.files = phx_xcalloc(cap, sizeof *b.files);
	while (rc == 0 && !phx_stop_requested() && !phx_out_closed() &&
	       phx_reader_next(r, &line) == 1) {
		phx_run_current()->in++;
		doc = take(&line);
		if (!doc)
			continue;
		b.docs[b.n] = doc;
		b.ids[b.n] = json_string_value(json_object_get(doc, "property_id"));
		b.files[b.n] = phx_xstrdup(line.pos.file);
		b.pos[b.n] = line.pos;
		b.pos[b.n].file = b.files[b.n];
		if (++b.n == cap)
			rc = flush(s, &b, lo);
	}
	if (rc == 0)
		rc = flush(s, &b, lo);
	clear(&b);
	if (phx_reader_io_errors(r))
		rc = phx_exit_worst(rc, PHX_EX_DATAERR);
	phx_reader_close(r);
	free(b.docs);
	free(b.ids);
	free(b.revs);
	free(b.old);
	free(b.items);
	free(b.pos);
	free(b.files);
	return rc;
}
