/* store_load.h - phx-store's main job: input lines into the store, in
 * batches, with retries, rejects, the day's report, and the spool when the
 * database stays away. One output line per stored record:
 *   {"property_id":..,"result":"inserted|updated|unchanged","source":..}
 * ("joined":<the listing's own id> when a listing joined its parcel). */
#ifndef PHX_STORE_LOAD_H
#define PHX_STORE_LOAD_H
#include <stddef.h>
#include "ndjson.h"
#include "spool.h"
#include "store.h"

typedef struct phx_load_options {
	size_t batch;		/* records per transaction / bulk write */
	int retries;		/* tries of a batch after the first */
	long backoff_ms;	/* first wait; doubles up to backoff_max_ms */
	long backoff_max_ms;
	const char *date;	/* the daily_reports entry, YYYY-MM-DD */
} phx_load_options;

typedef struct phx_loader phx_loader;

/* s may be NULL: the database could not be reached at all, so every
 * record goes to the spool. spool may be NULL (no spooling possible). */
phx_loader *phx_loader_new(phx_store *s, phx_spool *spool, const phx_load_options *o);
/* One input line. Returns 0, or -1 when the run must stop (output closed,
 * a reject or the spool could not be written). */
int phx_loader_line(phx_loader *l, const phx_line *line);
/* Store what is pending. Returns the exit status this part of the run
 * earned: 0, 75 (records spooled), 69 (database refused the batch as a
 * whole: records spooled), 74 (spool or rejects not writable). */
int phx_loader_finish(phx_loader *l);
/* Counters for the run summary: stored, inserted, updated, unchanged,
 * spooled, retries, batches. */
json_t *phx_loader_metrics(const phx_loader *l);
void phx_loader_free(phx_loader *l);

/* Sleep, cut short by SIGINT/SIGTERM: the pause between tries. */
void phx_sleep_ms(long ms);

#endif
