/* report.h - phx-report's model: every figure of a report gathered into one
 * JSON object, which the text, HTML, NDJSON and CSV writers then render.
 * Gathering and rendering are apart so every format shows the same numbers.
 *
 * The model of a daily report (kind "daily"):
 *   {"phx":"report","kind":"daily","date":"YYYY-MM-DD","generated":T,
 *    "store":{"display":..,"error":..?},
 *    "collection":{"totals":{new,updated,unchanged,rejected},"by_source":{..},"by_zip":{..}},
 *    "rejects":{"total":N,"codes":N,"files":N,"top":[{"code","count","tool","reason","input"?}]},
 *    "new_listings":[L], "price_changes":[L + "old_price"],
 *    "zip_stats":{ZIP:{"properties","price":{..},"value":{..}}},
 *    "sla":{..}, "spend":{..}, "health":{..}, "alerts":[..],
 *    "history":[{"date","properties","spend_usd_micros","reject_pct"}]}
 * where L = {"property_id","address","zip","price","beds","baths","url"}. */
#ifndef PHX_REPORT_H
#define PHX_REPORT_H
#include <time.h>
#include <jansson.h>
#include "buf.h"
#include "store.h"

#define PHX_REPORT_HISTORY_DAYS 30
#define PHX_REPORT_TOP_CODES 10

typedef struct phx_report_ctx {
	const char *uri;		/* the store (resolved like phx-store) */
	phx_store_options sopts;
	time_t now;
	int y, m, d;			/* the Phoenix day reported on */
	char date[16];
	time_t day_start, day_end;	/* its UTC instants [start, end) */
	const char *prices;		/* price file, NULL = configured */
	int worst;			/* exit status raised by what could not be read */
} phx_report_ctx;

/* Fill the day fields from a "YYYY-MM-DD" (NULL = today in Phoenix).
 * 0, or -1 when date is not a date. */
int phx_report_set_day(phx_report_ctx *c, const char *date);

/* The models (new references). Never NULL: what could not be read is
 * said in the model and raises c->worst. */
json_t *phx_report_daily(phx_report_ctx *c);
json_t *phx_report_overnight(phx_report_ctx *c);
json_t *phx_report_weekly(phx_report_ctx *c);
/* The alerts appended to alerts.ndjson since the last alerts mail (kind
 * "alerts": "alerts", "total", "worst", "cursor"); _done records that they
 * were mailed (or spooled). _done returns 0 or 74. */
json_t *phx_report_alerts_new(phx_report_ctx *c);
int phx_report_alerts_done(const json_t *model);

/* Renderers. */
void phx_report_text(const json_t *model, phx_buf *out);
void phx_report_html(const json_t *model, phx_buf *out);
/* The subject line of the report's mail (UTF-8, not yet encoded). */
void phx_report_subject(const json_t *model, phx_buf *out);
/* new_listings and price_changes as RFC 4180 CSV with a header line.
 * Fields are quoted by libcsv (csv_write.h). */
void phx_report_csv(const json_t *model, phx_buf *out);

/* Dollars for people: 1234500 -> "$1,234,500"; micro-dollars -> "$0.1234". */
void phx_report_dollars(long long usd, char *out, size_t n);
void phx_report_micros(long long usd_micros, char *out, size_t n);

#endif
