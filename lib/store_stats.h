/* store_stats.h - `phx-store stats`: counts by ZIP, source and freshness,
 * price and value statistics per ZIP (count, min, max, mean, median), over
 * stored documents fed one at a time. */
#ifndef PHX_STORE_STATS_H
#define PHX_STORE_STATS_H
#include <time.h>
#include <jansson.h>

typedef struct phx_stats phx_stats;

/* now: the time freshness is measured from. */
phx_stats *phx_stats_new(time_t now);
void phx_stats_add(phx_stats *st, const json_t *doc);
/* The summary object (new reference):
 * {"properties":N,"freshness":{"1d":..,"7d":..,"30d":..,"90d":..,"older":..},
 *  "by_source":{SRC:N},"by_zip":{ZIP:{"properties":N,"price":{..},"value":{..}}}} */
json_t *phx_stats_result(phx_stats *st);
void phx_stats_free(phx_stats *st);

/* Median of v[0..n) (sorted in place): the middle value, or the mean of the
 * two middle values for an even n. n must be > 0. */
double phx_median(long long *v, size_t n);

#endif
