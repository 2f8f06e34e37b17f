/* cost_sum.h - month to date, today and the month-end forecast, from the
 * ledger and the fixed fees of the price file, in Phoenix days.
 *
 * The forecast is the month's fixed fees in full plus the usage so far
 * extended at its rate so far to the end of the month; the rate is taken
 * over at least one day, so the first hours of a month do not extrapolate
 * one early burst. */
#ifndef PHX_COST_SUM_H
#define PHX_COST_SUM_H
#include <time.h>
#include "cost_ledger.h"
#include "cost_prices.h"

typedef struct phx_cost_group {
	char key[2 * PHX_COST_WORD + 16];
	long long usd_micros, qty, lines, bytes;
} phx_cost_group;

typedef struct phx_cost_groups {
	phx_cost_group *v;
	size_t n, cap;
} phx_cost_groups;

void phx_cost_groups_add(phx_cost_groups *g, const char *key, long long usd, long long qty,
			 long long lines, long long bytes);
/* Dearest first, then by key. */
void phx_cost_groups_sort(phx_cost_groups *g);
void phx_cost_groups_free(phx_cost_groups *g);

typedef struct phx_cost_summary {
	char month[8], today[11];	/* Phoenix */
	int y, m, d, ndays;		/* d: day of the month at `at` */
	int complete;			/* the month is over */
	long long usage, fixed, total;	/* month to date */
	long long today_usage, today_fixed, today_total;
	long long fixed_month;		/* the fixed fees of the whole month */
	long long forecast;
	long long lines, unpriced_lines;
	long long elapsed_s, month_s;
	phx_cost_groups by_service, by_category;
} phx_cost_summary;

/* Sum the month of `at` (Phoenix) as it stands at `at`. */
void phx_cost_summarize(const phx_cost_ledger *l, const phx_prices *p, time_t at,
			phx_cost_summary *s);
void phx_cost_summary_free(phx_cost_summary *s);
/* 1 when bucket b falls in s's month up to and including s's day. */
int phx_cost_in_month(const phx_cost_summary *s, const phx_cost_bucket *b);

#endif
