/* store_load.c - input lines into the store in batches: see store_load.h.
 *
 * A batch is read, merged and written as a whole, and replayed as a whole
 * when the database fails under it (idempotent writes make that safe).
 * Its output lines are written only once the batch is confirmed, so a
 * line on stdout always means "stored". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "store_load.h"
#include "exitcode.h"
#include "log.h"
#include "merge.h"
#include "output.h"
#include "reject.h"
#include "run.h"
#include "signals.h"
#include "timeutil.h"
#include "xalloc.h"

#define CONFLICT_ROUNDS 5

enum rec_state { REC_PENDING, REC_DONE, REC_CONFLICT, REC_FAILED };

typedef struct rec {
	char *line;		/* the input line, for spool and rejects */
	size_t len;
	phx_pos pos;
	char *file;		/* pos.file copy: the reader's may not outlive it */
	json_t *obs;
	char *target;		/* property id it merges into */
	int slot;		/* index into the batch's documents */
	int own_slot;		/* a joined listing: its own (addr:) document, or -1 */
	enum rec_state state;
	phx_merge_result result;
	phx_store_error error;	/* REC_FAILED */
	int in_attempt;		/* pending when the current attempt began */
	char hash[65];		/* content hash of the line */
	char at[PHX_TIME_LEN];	/* observed_at as stored */
	phx_json_span spans[PHX_SPAN_N];	/* members of the line (merge_text.c) */
	int fast;		/* identical to what is stored: no document needed */
	int absent;		/* its target has no stored document (by the summaries) */
	int phase;		/* 1: written first; 2: listings without APN, after
				 * the parcels of their own batch are in place */
	int no_apn;		/* a listing without APN: it joins a parcel by address */
} rec;

struct phx_loader {
	phx_store *store;
	phx_spool *spool;
	phx_load_options o;
	rec *recs;
	size_t n;
	int spooling;		/* the database is gone: everything goes to the spool */
	int phase;		/* the phase being written */
	int exit;
	json_t *delta;		/* daily report counters not yet written */
	json_t *metrics;
};

phx_loader *phx_loader_new(phx_store *s, phx_spool *spool, const phx_load_options *o)
{
	phx_loader *l = phx_xcalloc(1, sizeof *l);

	l->store = s;
	l->spool = spool;
	l->o = *o;
	if (l->o.batch == 0)
		l->o.batch = 1000;
	l->recs = phx_xcalloc(l->o.batch, sizeof *l->recs);
	l->spooling = s == NULL;
	l->delta = json_object();
	l->metrics = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "inserted", 0, "updated", 0,
			       "unchanged", 0, "spooled", 0, "batches", 0, "retries", 0,
			       "conflicts", 0);
	return l;
}

static void metric_add(phx_loader *l, const char *k, long long n)
{
	json_t *v = json_object_get(l->metrics, k);

	json_object_set_new(l->metrics, k, json_integer(json_integer_value(v) + n));
}

/* A name safe as a report key (no '.', no '$'): ZIPs and sources are. */
static const char *report_key(const char *s)
{
	const char *p;

	if (!s || !*s || strlen(s) > 32)
		return "unknown";
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			return "unknown";
	return s;
}

static void count_in(json_t *into, const char *group, const char *key, const char *what)
{
	json_t *g = json_object_get(into, group), *k;

	if (!g) {
		g = json_object();
		json_object_set_new(into, group, g);
	}
	k = json_object_get(g, key);
	if (!k) {
		k = json_object();
		json_object_set_new(g, key, k);
	}
	json_object_set_new(k, what, json_integer(json_integer_value(json_object_get(k, what)) + 1));
}

/* Count one record in the day's report: what is new/updated/... */
static void report_count(json_t *delta, const json_t *obs, const char *what)
{
	json_t *t = json_object_get(delta, "totals");
	const char *src = json_string_value(json_object_get(obs, "source"));
	const char *zip = json_string_value(json_object_get(json_object_get(obs, "address"),
							    "zip"));

	if (!t) {
		t = json_object();
		json_object_set_new(delta, "totals", t);
	}
	json_object_set_new(t, what, json_integer(json_integer_value(json_object_get(t, what)) + 1));
	count_in(delta, "by_source", report_key(src), what);
	count_in(delta, "by_zip", report_key(zip), what);
}

static int reject_with(phx_loader *l, const phx_pos *pos, const char *code, const char *reason,
		       const char *raw, size_t len, int is_json, const json_t *obs,
		       const json_t *extra)
{
	report_count(l->delta, obs, "rejected");
	if (phx_reject(pos, code, reason, raw, len, is_json, NULL, 0, extra) != 0) {
		l->exit = phx_exit_worst(l->exit, PHX_EX_IOERR);
		return -1;
	}
	return 0;
}

static int spool_line(phx_loader *l, const char *line, size_t len)
{
	if (!l->spool || phx_spool_add(l->spool, line, len) != 0) {
		l->exit = phx_exit_worst(l->exit, PHX_EX_IOERR);
		return -1;
	}
	metric_add(l, "spooled", 1);
	phx_run_current()->dropped++;
	return 0;
}

static void rec_free(rec *r)
{
	free(r->line);
	free(r->file);
	free(r->target);
	json_decref(r->obs);
	memset(r, 0, sizeof *r);
}

static void clear_batch(phx_loader *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		rec_free(&l->recs[i]);
	l->n = 0;
}

static int emit(phx_loader *l, rec *r);

/* The database is gone for good in this run: what the batch has not
 * confirmed goes to the spool. */
static int spool_batch(phx_loader *l, const phx_store_error *err, int code)
{
	size_t i;
	int rc = 0;

	if (!l->spooling)
		phx_err("%s: %s (%s %d); spooling unconfirmed records to %s",
			l->store ? phx_store_display(l->store) : "database", err->message,
			err->domain, err->code, l->spool ? phx_spool_path(l->spool) : "(none)");
	l->spooling = 1;
	l->exit = phx_exit_worst(l->exit, code);
	for (i = 0; i < l->n && rc == 0; i++)
		if (l->recs[i].state == REC_DONE || l->recs[i].state == REC_FAILED)
			rc = emit(l, &l->recs[i]);	/* confirmed in an earlier round */
		else
			rc = spool_line(l, l->recs[i].line, l->recs[i].len);
	clear_batch(l);
	return rc;
}

static int is_listing_without_apn(const json_t *obs)
{
	json_t *apn = json_object_get(obs, "apn");
	const char *id = json_string_value(json_object_get(obs, "property_id"));

	return (!apn || json_is_null(apn)) && strncmp(id, "addr:", 5) == 0;
}

/* A record to write in the phase being written. */
static int active(const phx_loader *l, const rec *r)
{
	return r->state == REC_PENDING && r->phase == l->phase;
}

/* The parcels of phase 1 by address: seen {key: parcel id, or null when
 * two parcels share the key}, first {key: index of its first record}. */
static void batch_parcels(phx_loader *l, json_t *seen, json_t *first)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		rec *r = &l->recs[i];
		const char *key = json_string_value(json_object_get(r->obs, "address_key"));
		json_t *have;
		if (!active(l, r) || !json_is_string(json_object_get(r->obs, "apn")))
			continue;
		have = json_object_get(seen, key);
		if (!have) {
			json_object_set_new(seen, key, json_string(r->target));
			json_object_set_new(first, key, json_integer((json_int_t)i));
		} else if (json_is_string(have) && strcmp(json_string_value(have), r->target) != 0) {
			json_object_set_new(seen, key, json_null());
		}
	}
}

/* A listing without APN whose parcel comes earlier in its own batch joins
 * it in phase 1 when that is the only parcel at the address, stored ones
 * counted: the parcel's document is then written once, with the listing,
 * instead of written in phase 1, read back and written again in phase 2.
 * Anything less clear waits for phase 2, which sees the batch's parcels
 * in the database. */
static int early_joins(phx_loader *l, phx_store_error *err)
{
	json_t *seen = json_object(), *first = json_object();
	const char **keys = phx_xcalloc(l->n + 1, sizeof *keys);
	char **parcel = phx_xcalloc(l->n + 1, sizeof *parcel);
	char **match = phx_xcalloc(l->n + 1, sizeof *match);
	int *counts = phx_xcalloc(l->n + 1, sizeof *counts);
	size_t *which = phx_xcalloc(l->n + 1, sizeof *which), i, k = 0;
	int rc = 0;

	batch_parcels(l, seen, first);
	for (i = 0; i < l->n; i++) {
		rec *r = &l->recs[i];
		const char *key = json_string_value(json_object_get(r->obs, "address_key"));
		json_t *id = json_object_get(seen, key);
		if (r->state != REC_PENDING || !r->no_apn || !json_is_string(id) ||
		    json_integer_value(json_object_get(first, key)) > (json_int_t)i)
			continue;
		keys[k] = key;
		parcel[k] = phx_xstrdup(json_string_value(id));
		which[k++] = i;
	}
	if (k > 0 && phx_store_find_parcels(l->store, keys, k, match, counts, err) != 0)
		rc = -1;
	for (i = 0; i < k; i++) {
		rec *r = &l->recs[which[i]];
		if (rc == 0 && (counts[i] == 0 || (counts[i] == 1 && strcmp(match[i],
										  parcel[i]) == 0))) {
			free(r->target);
			r->target = parcel[i];
			r->phase = 1;
		} else {
			free(parcel[i]);
		}
		free(match[i]);
	}
	json_decref(seen);
	json_decref(first);
	free(keys);
	free(parcel);
	free(match);
	free(counts);
	free(which);
	return rc;
}

/* Decide where each pending record goes: its own id, or the one parcel
 * at its address when it is a listing without APN. */
static int resolve_targets(phx_loader *l, phx_store_error *err)
{
	const char **keys = phx_xcalloc(l->n + 1, sizeof *keys);
	char **match = phx_xcalloc(l->n + 1, sizeof *match);
	size_t *which = phx_xcalloc(l->n + 1, sizeof *which), i, k = 0;
	int rc = 0;

	for (i = 0; i < l->n; i++) {
		rec *r = &l->recs[i];
		if (!active(l, r))
			continue;
		free(r->target);
		r->target = phx_xstrdup(json_string_value(json_object_get(r->obs, "property_id")));
		if (is_listing_without_apn(r->obs)) {
			keys[k] = json_string_value(json_object_get(r->obs, "address_key"));
			which[k++] = i;
		}
	}
	if (k > 0 && phx_store_find_parcels(l->store, keys, k, match, NULL, err) != 0)
		rc = -1;
	for (i = 0; i < k; i++) {
		if (rc == 0 && match[i]) {
			free(l->recs[which[i]].target);
			l->recs[which[i]].target = match[i];
		} else {
			free(match[i]);
		}
	}
	free(keys);
	free(match);
	free(which);
	return rc == 0 && l->phase == 1 ? early_joins(l, err) : rc;
}

typedef struct batch_docs {
	json_t *slots;		/* {target id: slot index} */
	const char **ids;
	json_t **docs;
	long long *revs;
	int *dirty;
	int *folded;		/* an addr: document folded into its parcel */
	int *uses;		/* records of the phase that touch the slot */
	char **text;		/* a first document written as text (then docs[]
				 * holds only its indexed members) */
	size_t *text_len;
	size_t n;
} batch_docs;

static void docs_free(batch_docs *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		json_decref(d->docs[i]);
		free(d->text[i]);
	}
	json_decref(d->slots);
	free(d->ids);
	free(d->docs);
	free(d->revs);
	free(d->dirty);
	free(d->folded);
	free(d->uses);
	free(d->text);
	free(d->text_len);
	memset(d, 0, sizeof *d);
}

/* Records identical to what is stored (by the backend's summaries) need
 * no document at all: the common case of a daily re-fetch. A target is
 * skipped only when every record of the batch for it is such a record,
 * because merge order within a batch matters. */
static int mark_unchanged(phx_loader *l, phx_store_error *err)
{
	json_t *slots = json_object(), *slot;
	const char **ids = phx_xcalloc(l->n + 1, sizeof *ids);
	char **sums = phx_xcalloc(l->n + 1, sizeof *sums);
	int *all = phx_xcalloc(l->n + 1, sizeof *all), rc;
	size_t i, n = 0;

	for (i = 0; i < l->n; i++) {
		rec *r = &l->recs[i];
		if (!active(l, r))
			continue;
		slot = json_object_get(slots, r->target);
		if (!slot) {
			json_object_set_new(slots, r->target, json_integer((json_int_t)n));
			all[n] = 1;
			ids[n++] = r->target;
		}
	}
	rc = n ? phx_store_get_sums(l->store, ids, n, sums, err) : 1;
	for (i = 0; rc == 0 && i < l->n; i++) {
		rec *r = &l->recs[i];
		size_t k;
		if (!active(l, r))
			continue;
		k = (size_t)json_integer_value(json_object_get(slots, r->target));
		if (!sums[k] || !phx_summary_unchanged(sums[k], json_string_value(
				json_object_get(r->obs, "source")), r->hash, r->at))
			all[k] = 0;
	}
	for (i = 0; rc == 0 && i < l->n; i++)
		if (active(l, &l->recs[i])) {
			size_t k = (size_t)json_integer_value(json_object_get(slots,
									 l->recs[i].target));
			l->recs[i].fast = all[k];
			l->recs[i].absent = sums[k] == NULL;
		}
	for (i = 0; i < n; i++)
		free(sums[i]);
	free(sums);
	free(ids);
	free(all);
	json_decref(slots);
	return rc < 0 ? -1 : 0;
}

/* One slot per distinct target, then the stored documents of all of them. */
static int slot_of(batch_docs *d, const char *id)
{
	json_t *slot = json_object_get(d->slots, id);

	if (!slot) {
		slot = json_integer((json_int_t)d->n);
		json_object_set_new(d->slots, id, slot);
		d->ids[d->n++] = id;
	}
	return (int)json_integer_value(slot);
}

/* Read the stored documents of the slots, but not of targets the
 * summaries showed to be absent (most of a first load): docs[] stays NULL,
 * revs[] 0 for those. Another writer inserting one meanwhile makes the
 * insert a conflict, and the next round reads it. */
static int get_present(phx_loader *l, batch_docs *d, phx_store_error *err)
{
	const char **ids = phx_xcalloc(d->n + 1, sizeof *ids);
	json_t **docs = phx_xcalloc(d->n + 1, sizeof *docs);
	long long *revs = phx_xcalloc(d->n + 1, sizeof *revs);
	size_t *pos = phx_xcalloc(d->n + 1, sizeof *pos), i, k = 0;
	char *skip = phx_xcalloc(d->n + 1, 1);
	int rc = 0;

	for (i = 0; i < l->n; i++)
		if (active(l, &l->recs[i]) && !l->recs[i].fast && l->recs[i].absent)
			skip[l->recs[i].slot] = 1;
	for (i = 0; i < d->n; i++)
		if (!skip[i]) {
			ids[k] = d->ids[i];
			pos[k++] = i;
		}
	if (k > 0)
		rc = phx_store_get(l->store, ids, k, docs, revs, err);
	for (i = 0; rc == 0 && i < k; i++) {
		d->docs[pos[i]] = docs[i];
		d->revs[pos[i]] = revs[i];
	}
	free(ids);
	free(docs);
	free(revs);
	free(pos);
	free(skip);
	return rc;
}

static int load_docs(phx_loader *l, batch_docs *d, phx_store_error *err)
{
	size_t i, cap = 2 * l->n + 1;

	d->slots = json_object();
	d->ids = phx_xcalloc(cap, sizeof *d->ids);
	d->docs = phx_xcalloc(cap, sizeof *d->docs);
	d->revs = phx_xcalloc(cap, sizeof *d->revs);
	d->dirty = phx_xcalloc(cap, sizeof *d->dirty);
	d->folded = phx_xcalloc(cap, sizeof *d->folded);
	d->uses = phx_xcalloc(cap, sizeof *d->uses);
	d->text = phx_xcalloc(cap, sizeof *d->text);
	d->text_len = phx_xcalloc(cap, sizeof *d->text_len);
	for (i = 0; i < l->n; i++) {
		rec *r = &l->recs[i];
		const char *own = json_string_value(json_object_get(r->obs, "property_id"));
		if (!active(l, r) || r->fast)
			continue;
		r->slot = slot_of(d, r->target);
		d->uses[r->slot]++;
		/* A listing joining its parcel: the document it may have had on
		 * its own before the parcel was known is folded in. */
		r->own_slot = strcmp(own, r->target) != 0 ? slot_of(d, own) : -1;
		if (r->own_slot >= 0)
			d->uses[r->own_slot]++;
	}
	return get_present(l, d, err);
}

/* The outcome of one record of the phase, from its document's put. */
static void count_result(phx_loader *l, rec *r, const batch_docs *d,
			 const phx_store_item *items, size_t k, json_t *delta)
{
	size_t j;
	int res;

	if (!active(l, r))
		return;
	if (r->fast) {
		r->state = REC_DONE;
		r->result = PHX_MERGE_UNCHANGED;
		report_count(delta, r->obs, "unchanged");
		return;
	}
	res = d->dirty[r->slot];
	if (res == PHX_PUT_CONFLICT) {
		r->state = REC_CONFLICT;
	} else if (res == PHX_PUT_FAILED) {
		r->state = REC_FAILED;
		for (j = 0; j < k; j++)
			if (strcmp(items[j].property_id, r->target) == 0)
				r->error = items[j].error;
		report_count(delta, r->obs, "rejected");
	} else {
		r->state = REC_DONE;
		report_count(delta, r->obs, r->result == PHX_MERGE_INSERTED ? "new" :
			     phx_merge_result_name(r->result));
	}
}

/* Merge, write, count the records of one phase; delta gets their counts. */
static int write_phase(phx_loader *l, json_t *delta, phx_store_error *err)
{
	batch_docs d = {0};
	phx_store_item *items = NULL;
	size_t i, k = 0;
	int rc = -1, dirty;

	if (resolve_targets(l, err) != 0 || mark_unchanged(l, err) != 0 ||
	    load_docs(l, &d, err) != 0)
		goto out;
	for (i = 0; i < l->n; i++) {
		rec *r = &l->recs[i];
		if (!active(l, r) || r->fast)
			continue;
		if (!d.docs[r->slot] && d.revs[r->slot] == 0 && d.uses[r->slot] == 1) {
			/* The property's first document, and this record alone
			 * makes it: written straight from the record's text. */
			phx_buf text = PHX_BUF_INIT;
			d.docs[r->slot] = phx_merge_new_text(&text, r->target, r->obs, r->line,
							     r->len, r->spans, r->hash, r->at);
			d.text_len[r->slot] = text.len;
			d.text[r->slot] = phx_buf_steal(&text);
			d.dirty[r->slot] = 1;
			r->result = PHX_MERGE_INSERTED;
			continue;
		}
		if (r->own_slot >= 0 && d.docs[r->own_slot] && d.docs[r->slot] &&
		    !d.folded[r->own_slot]) {
			phx_merge_fold(d.docs[r->slot], d.docs[r->own_slot]);
			d.folded[r->own_slot] = r->slot + 1;
			d.dirty[r->slot] = 1;
		}
		r->result = phx_merge(&d.docs[r->slot], r->target, r->obs, r->hash, &dirty);
		if (r->own_slot >= 0 && d.folded[r->own_slot] && r->result == PHX_MERGE_UNCHANGED)
			r->result = PHX_MERGE_UPDATED;
		d.dirty[r->slot] |= dirty;
	}
	items = phx_xcalloc(d.n + 1, sizeof *items);
	for (i = 0; i < d.n; i++)
		if (d.dirty[i]) {
			items[k].property_id = d.ids[i];
			items[k].doc = d.docs[i];
			items[k].text = d.text[i];
			items[k].text_len = d.text_len[i];
			items[k++].rev = d.revs[i];
		}
	if (k > 0 && phx_store_put(l->store, items, k, err) != 0)
		goto out;
	for (i = 0; i < k; i++) {
		json_t *slot = json_object_get(d.slots, items[i].property_id);
		d.dirty[json_integer_value(slot)] = (int)items[i].result;
	}
	/* The folded documents go once their parcel holds what they held. */
	for (i = 0; i < d.n; i++) {
		int into = d.folded[i] - 1;
		if (into >= 0 && (d.dirty[into] == PHX_PUT_INSERTED ||
				  d.dirty[into] == PHX_PUT_UPDATED) &&
		    phx_store_delete(l->store, d.ids[i], err) < 0)
			goto out;
	}
	for (i = 0; i < l->n; i++)
		count_result(l, &l->recs[i], &d, items, k, delta);
	rc = 0;
out:
	free(items);
	docs_free(&d);
	return rc;
}

/* One attempt at the pending records of the batch: the parcels and other
 * records first, then the listings without APN, so that a listing finds a
 * parcel written earlier in the same batch; one transaction for both. */
static int attempt(phx_loader *l, phx_store_error *err)
{
	json_t *delta = json_deep_copy(l->delta);
	size_t i;
	int rc = -1;

	for (i = 0; i < l->n; i++) {
		l->recs[i].in_attempt = l->recs[i].state == REC_PENDING;
		l->recs[i].fast = 0;
		l->recs[i].absent = 0;
		l->recs[i].phase = l->recs[i].no_apn ? 2 : 1;
	}
	if (phx_store_begin(l->store, err) != 0)
		goto out;
	for (l->phase = 1; l->phase <= 2; l->phase++)
		if (write_phase(l, delta, err) != 0)
			goto out;
	if (json_object_size(delta) > 0) {
		char now[PHX_TIME_LEN];
		phx_time_now(now);
		if (phx_store_report_add(l->store, l->o.date, delta, now, err) != 0)
			goto out;
	}
	if (phx_store_commit(l->store, err) != 0)
		goto out;
	json_object_clear(l->delta);
	rc = 0;
out:
	if (rc != 0) {
		phx_store_rollback(l->store);
		/* Nothing of this attempt is confirmed. */
		for (i = 0; i < l->n; i++)
			if (l->recs[i].in_attempt)
				l->recs[i].state = REC_PENDING;
	}
	json_decref(delta);
	return rc;
}

void phx_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR && !phx_stop_requested())
		;
}

/* Attempt with backoff while the failure is transient. */
static int attempt_with_retries(phx_loader *l, phx_store_error *err)
{
	long wait = l->o.backoff_ms;
	int tries;

	for (tries = 0; ; tries++) {
		if (attempt(l, err) == 0)
			return 0;
		if (!err->transient || tries >= l->o.retries || phx_stop_requested())
			return -1;
		phx_info("%s: %s; retry %d of %d in %ld ms", phx_store_display(l->store),
			 err->message, tries + 1, l->o.retries, wait);
		metric_add(l, "retries", 1);
		phx_sleep_ms(wait);
		wait = wait * 2 > l->o.backoff_max_ms ? l->o.backoff_max_ms : wait * 2;
	}
}

static int emit(phx_loader *l, rec *r)
{
	json_t *extra;
	const char *own = json_string_value(json_object_get(r->obs, "property_id"));
	const char *res = phx_merge_result_name(r->result);
	int rc;

	if (r->state == REC_FAILED || r->state == REC_CONFLICT) {
		char reason[512];
		if (r->state == REC_CONFLICT)
			phx_store_error_set(&r->error, "store", 0, 0,
					    "document changed by another writer %d times in a row",
					    CONFLICT_ROUNDS);
		snprintf(reason, sizeof reason, "%s %d: %s", r->error.domain, r->error.code,
			 r->error.message);
		extra = json_pack("{s:{s:s, s:i, s:s}}", "db_error", "domain", r->error.domain,
				  "code", r->error.code, "message", r->error.message);
		rc = phx_reject(&r->pos, r->state == REC_CONFLICT ? "store.conflict" :
				"store.db_error", reason, r->line, r->len, 1, NULL, 0, extra);
		json_decref(extra);
		if (rc != 0)
			l->exit = phx_exit_worst(l->exit, PHX_EX_IOERR);
		return rc;
	}
	{
		/* {"property_id":..,"result":..,"source":..[,"joined":..]}, the
		 * line a pipeline goes on from; written by hand: one per record */
		static phx_buf line = PHX_BUF_INIT;
		const char *src = json_string_value(json_object_get(r->obs, "source"));
		phx_buf_clear(&line);
		phx_buf_add(&line, "{\"property_id\":", 15);
		phx_buf_add_json_string(&line, r->target, strlen(r->target));
		phx_buf_add(&line, ",\"result\":\"", 11);
		phx_buf_adds(&line, res);
		phx_buf_add(&line, "\",\"source\":", 11);
		phx_buf_add_json_string(&line, src, strlen(src));
		if (strcmp(own, r->target) != 0) {
			phx_buf_add(&line, ",\"joined\":", 10);
			phx_buf_add_json_string(&line, own, strlen(own));
		}
		phx_buf_addc(&line, '}');
		rc = phx_out_line(line.data, line.len);
	}
	metric_add(l, res, 1);
	if (rc == 0)
		phx_run_current()->out++;
	return rc;
}

/* Store the batch; conflicting records are merged again, a few rounds. */
static int flush_batch(phx_loader *l)
{
	phx_store_error err;
	size_t i;
	int round, more = 1, rc = 0;

	if (l->n == 0)
		return 0;
	if (l->spooling) {
		phx_store_error_set(&err, "store", 0, 1, "database unreachable");
		return spool_batch(l, &err, PHX_EX_TEMPFAIL);
	}
	metric_add(l, "batches", 1);
	for (round = 0; more && round < CONFLICT_ROUNDS; round++) {
		if (attempt_with_retries(l, &err) != 0)
			return spool_batch(l, &err, err.transient ? PHX_EX_TEMPFAIL
								 : PHX_EX_UNAVAILABLE);
		more = 0;
		for (i = 0; i < l->n; i++)
			if (l->recs[i].state == REC_CONFLICT) {
				l->recs[i].state = REC_PENDING;
				metric_add(l, "conflicts", 1);
				more = 1;
			}
	}
	for (i = 0; i < l->n; i++) {
		if (l->recs[i].state == REC_PENDING)
			l->recs[i].state = REC_CONFLICT;	/* rounds used up */
		if (rc == 0 && emit(l, &l->recs[i]) != 0)
			rc = -1;
	}
	clear_batch(l);
	return rc;
}

/* Parse and check a line; 1 when it joined the batch, 0 when rejected. */
static int take_line(phx_loader *l, const phx_line *line, json_t **obs_out,
		     phx_json_span *spans)
{
	char reason[400];
	const char *code;
	json_t *obs;
	int odd_keys = 1;

	*obs_out = NULL;
	if (line->status != PHX_LINE_OK) {
		report_count(l->delta, NULL, "rejected");
		return phx_reject_line(line, phx_line_status_code(line->status),
				       "the line cannot be read as a record") == 0 ? 0 : -1;
	}
	obs = phx_parse_object_spans(line->data, line->len, &code, reason, sizeof reason,
				     phx_record_span_keys, PHX_SPAN_N, spans, &odd_keys);
	if (!obs) {
		/* jansson refuses a NUL in a key: for a store that is the unsafe
		 * key this check exists for. */
		if (strcmp(code, "input.nul_byte") == 0 || strstr(reason, "NUL byte in object key"))
			code = "store.unsafe_key";
		return reject_with(l, &line->pos, code, reason, line->data, line->len, 0,
				   NULL, NULL) == 0 ? 0 : -1;
	}
	code = phx_observation_check_parsed(obs, odd_keys, reason, sizeof reason);
	if (code) {
		int rc = reject_with(l, &line->pos, code, reason, line->data, line->len, 1,
				     obs, NULL);
		json_decref(obs);
		return rc == 0 ? 0 : -1;
	}
	*obs_out = obs;
	return 1;
}

int phx_loader_line(phx_loader *l, const phx_line *line)
{
	json_t *obs;
	rec *r;
	int rc;

	phx_run_current()->in++;
	if (l->spooling && line->status == PHX_LINE_OK)
		return spool_line(l, line->data, line->len);
	r = &l->recs[l->n];
	rc = take_line(l, line, &obs, r->spans);
	if (rc <= 0)
		return rc;
	l->n++;
	r->line = phx_xstrndup(line->data, line->len);
	r->len = line->len;
	r->file = phx_xstrdup(line->pos.file);
	r->pos = line->pos;
	r->pos.file = r->file;
	r->obs = obs;
	phx_observation_hash_spans(line->data, line->len, r->spans, r->hash);
	phx_observation_time(obs, r->at);
	r->no_apn = is_listing_without_apn(obs);
	r->phase = r->no_apn ? 2 : 1;
	r->state = REC_PENDING;
	if (l->n == l->o.batch)
		return flush_batch(l) == 0 && !phx_out_closed() ? 0 : -1;
	return 0;
}

int phx_loader_finish(phx_loader *l)
{
	phx_store_error err;

	flush_batch(l);	/* failures are in l->exit or the output status */
	/* Rejects after the last batch still belong in the day's report. */
	if (!l->spooling && l->store && json_object_size(l->delta) > 0) {
		char now[PHX_TIME_LEN];
		phx_time_now(now);
		if (phx_store_report_add(l->store, l->o.date, l->delta, now, &err) != 0)
			phx_warn("%s: daily report: %s", phx_store_display(l->store),
				 err.message);
		json_object_clear(l->delta);
	}
	return l->exit;
}

json_t *phx_loader_metrics(const phx_loader *l)
{
	return l->metrics;
}

void phx_loader_free(phx_loader *l)
{
	if (!l)
		return;
	clear_batch(l);
	free(l->recs);
	json_decref(l->delta);
	json_decref(l->metrics);
	free(l);
}
