/* report_fmt.h - the phrases text and HTML share: a listing line, a price
 * range, the SLA figures against their targets, spend and health. Plain
 * UTF-8; the HTML writer escapes them like every other value. */
#ifndef PHX_REPORT_FMT_H
#define PHX_REPORT_FMT_H
#include <stddef.h>
#include <jansson.h>

/* Listings shown in text and HTML; CSV and NDJSON hold them all. */
#define PHX_REPORT_SHOWN 100

/* A number with unit ("93.3%"), "-" when null. */
void phx_report_fmt_num(const json_t *v, const char *unit, char *out, size_t n);
/* A price or "-" when null. */
void phx_report_fmt_price(const json_t *v, char *out, size_t n);
/* "3 bd / 2 ba", "-" for an unknown count. */
void phx_report_fmt_rooms(const json_t *listing, char *out, size_t n);
/* A price change: "$150,000 -> $140,000 (-6.7%)"; a new listing: its price. */
void phx_report_fmt_change(const json_t *listing, char *out, size_t n);
/* ZIP, address, price or change, rooms, link on one line. */
void phx_report_fmt_listing(const json_t *listing, char *out, size_t n);
/* "$150,000 ($100,000 - $200,000)" from {count,min,max,median}, "-" when empty. */
void phx_report_fmt_range(const json_t *st, char *out, size_t n);
/* The SLA figures with the runbook's targets in brackets. */
void phx_report_fmt_sla(const json_t *sla, char *out, size_t n);
/* Runs, failed runs and what the store did in the window. */
void phx_report_fmt_sla_runs(const json_t *sla, char *out, size_t n);
void phx_report_fmt_spend(const json_t *spend, char *out, size_t n);
void phx_report_fmt_health(const json_t *health, char *out, size_t n);
/* An RFC 3339 UTC time as a person in Phoenix reads it:
 * "2026-12-06 16:00 Phoenix (2026-12-06T23:00:00Z)". */
void phx_report_fmt_local(const char *rfc3339, char *out, size_t n);

#endif
