/* cost_report.h - phx-cost's answers as text for people and as NDJSON:
 * the default view, --remaining, --detailed and --monthly-report. Each
 * appends to a buffer the tool writes out once. Money in the NDJSON is in
 * integer micro-dollars (keys ending in _usd_micros); in the text it is
 * dollars with four decimals. */
#ifndef PHX_COST_REPORT_H
#define PHX_COST_REPORT_H
#include <jansson.h>
#include "buf.h"
#include "cost_view.h"

/* Append j as one compact line and drop the reference. */
void phx_cost_emit(phx_buf *out, json_t *j);
/* [{"key","usd_micros","lines"}...] of g (new reference). */
json_t *phx_cost_groups_json(const phx_cost_groups *g);
/* "by TITLE:" and a line per group. */
void phx_cost_groups_text(const char *title, const phx_cost_groups *g, phx_buf *out);
/* "2026-12-06 04:00 MST" (Phoenix time of t). */
void phx_cost_local_time(time_t t, char out[32]);

/* Month to date, today, forecast, per property, by service, by category. */
void phx_cost_report(const phx_cost_view *v, int json, phx_buf *out);
/* What is left today and this month, in dollars and in units at the prices
 * in effect today. */
void phx_cost_remaining(const phx_cost_view *v, int json, phx_buf *out);
/* By tool, source, ZIP and day, with the month's fixed fees as a row of their
 * own so every section adds up to the month's total. */
void phx_cost_detailed(const phx_cost_view *v, const phx_cost_ledger *l, int json,
		       phx_buf *out);
/* A whole month (the view summarized at its last second, or now for the
 * running month): totals, the limits, days over the daily limits, and the
 * breakdowns of --detailed. */
void phx_cost_monthly(const phx_cost_view *v, const phx_cost_ledger *l, int json,
		      phx_buf *out);

#endif
