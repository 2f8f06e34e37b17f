/* report_int.h - the gatherers behind report.h, one per kind of source:
 * the store (report_store.c), the state directory's journals
 * (report_journals.c), the cost ledger (report_spend.c). Each adds its
 * members to the model and raises c->worst for what it could not read. */
#ifndef PHX_REPORT_INT_H
#define PHX_REPORT_INT_H
#include <time.h>
#include <jansson.h>
#include "report.h"

/* "collection", "new_listings", "price_changes", "zip_stats", and the
 * "properties" of each history day (history: array of {"date"} objects,
 * oldest first, may be NULL). Also "store" (display, error). */
void phx_report_store(phx_report_ctx *c, json_t *model, json_t *history);
/* Only the history days' counters (new, updated, unchanged, rejected,
 * properties = the first three summed) from daily_reports. */
void phx_report_store_history(phx_report_ctx *c, json_t *model, json_t *history);

/* One property as a report line (new reference). */
json_t *phx_report_listing(const json_t *doc);
/* Classify a stored document for the day [from, to): 1 new listing, 2 price
 * change (*old_price set), 0 neither. */
int phx_report_classify(const json_t *doc, time_t from, time_t to, long long *old_price);

/* Rejects of every tool in [from, to): {"total","top":[..]} */
json_t *phx_report_rejects(phx_report_ctx *c, time_t from, time_t to);
/* SLA figures of [from, to) from runs.ndjson, against the runbook targets. */
json_t *phx_report_sla(phx_report_ctx *c, time_t from, time_t to);
/* Alerts of alerts.ndjson in [from, to), newest last, at most 50. */
json_t *phx_report_alerts(phx_report_ctx *c, time_t from, time_t to);
/* The last phx-health run: {"state","at"} or {"state":"not run"}. */
json_t *phx_report_health(phx_report_ctx *c);
/* "reject_pct" of each history day from runs.ndjson. */
void phx_report_reject_history(phx_report_ctx *c, json_t *history);

/* "spend": today, month to date, budget, state, message; and the
 * "spend_usd_micros" of each history day. */
void phx_report_spend(phx_report_ctx *c, json_t *model, json_t *history);

/* The Phoenix date of day i of history starting at first (UTC instant). */
void phx_report_day_name(time_t first, int i, char out[16]);

/* Small JSON readers that tolerate absent members. */
long long phx_jint(const json_t *o, const char *key, long long def);
const char *phx_jstr(const json_t *o, const char *key);

#endif
