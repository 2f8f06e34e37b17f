/* cost_view.h - what every phx-cost answer is computed from: the month's
 * summary (cost_sum.h), the store's property count, and the state of each
 * figure against its warning and critical range.
 *
 * The ranges start at the price file's limits ("~:20" and "~:23.75" for the
 * month, ...) and -w/-c of --check replace them, so the text, the JSON, the
 * Monitoring Plugins line and the alerts all judge the same way. */
#ifndef PHX_COST_VIEW_H
#define PHX_COST_VIEW_H
#include <time.h>
#include "buf.h"
#include "cost_sum.h"
#include "threshold.h"

/* The figures judged against thresholds. */
enum { PHX_CM_MONTH, PHX_CM_TODAY, PHX_CM_FORECAST, PHX_CM_PROPERTY, PHX_CM_N };

typedef struct phx_cost_view {
	phx_cost_summary s;
	const phx_prices *p;
	time_t at;
	long long properties;		/* stored properties, -1 unknown */
	char store_note[160];		/* why unknown, or which store */
	long long value[PHX_CM_N];	/* micro-dollars; PROPERTY -1 when unknown */
	phx_range warn[PHX_CM_N], crit[PHX_CM_N];
	int state[PHX_CM_N];		/* PHX_MP_*; PROPERTY UNKNOWN without counts */
	int worst;			/* of month, today, forecast (and property when known) */
} phx_cost_view;

/* The label of figure i in perfdata and -w/-c: "month", "today", ... */
const char *phx_cost_metric_name(int i);
/* Default ranges from the price file's limits. */
void phx_cost_view_ranges(phx_cost_view *v, const phx_prices *p);
/* Set one range from "LABEL=RANGE" (or a bare RANGE: month and forecast).
 * 0, or -1 with why in err. */
int phx_cost_view_override(phx_cost_view *v, const char *spec, int crit, char *err,
			   size_t errlen);
/* Summarize the month of at and judge every figure; properties -1 unknown.
 * The ranges must be set already. */
void phx_cost_view_compute(phx_cost_view *v, const phx_cost_ledger *l, const phx_prices *p,
			   time_t at, long long properties);
void phx_cost_view_free(phx_cost_view *v);

/* The number of stored properties (the count `phx-store stats` reports),
 * from the store phx-store writes; -1 with why in note when no store is
 * configured or it cannot be asked. */
long long phx_cost_store_count(char *note, size_t notelen);

/* micro-dollars as a plain decimal without trailing zeros: "23.75", "0.005". */
void phx_money_plain(long long micros, char out[32]);
/* used * 100 / of with one decimal ("13.8"), "-" when of is 0. */
void phx_percent(long long used, long long of, char out[32]);

#endif
