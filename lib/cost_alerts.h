/* cost_alerts.h - threshold alerts for phx-report to mail.
 *
 * Each limit of the price file crossed (month to date and forecast against
 * month_warning and month_critical, today against day_warning and
 * day_critical, cost per property against property_warning and
 * property_critical) appends one alert line to $STATE/alerts.ndjson, the
 * file phx-health --alert also writes:
 *   {"phx":"alert","tool":"phx-cost","at":..,"key":"cost.month.critical",
 *    "period":"2026-12","state":"CRITICAL","message":..,"usd_micros":..,
 *    "limit_usd_micros":..}
 * An alert is written once per key and period (the Phoenix month; the day
 * for the daily limits): the keys sent are remembered in
 * $STATE/cost-alerts.sent, under $STATE/cost-alerts.lock, so reruns and
 * overlapping runs never repeat one. */
#ifndef PHX_COST_ALERTS_H
#define PHX_COST_ALERTS_H
#include "cost_view.h"

/* Append the alerts v calls for that were not sent yet. Returns how many
 * were written, or -1 (logged; a failure never changes the answer). */
int phx_cost_alerts(const phx_cost_view *v);

#endif
