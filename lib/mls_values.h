/* mls_values.h - the words and numbers of an MLS listing page turned into
 * record values (record.md): money in whole dollars, acres into square feet,
 * "2 Full, 1 Half" baths, ARMLS statuses and dwelling types.
 *
 * Pages print what the MLS withholds as "********" and missing values as
 * "N/A": both are unknown (null), never 0. Every parser returns -1 for
 * "unknown" and leaves its output alone. */
#ifndef PHX_MLS_VALUES_H
#define PHX_MLS_VALUES_H
#include <stddef.h>

/* 1 for "", "********" (any run of '*'), "N/A", "NA", "-", "--", "None
 * Provided": values that mean unknown. s may be NULL (unknown). */
int phx_mls_is_null(const char *s);
/* Collapse white space (NBSP too) into single spaces and trim, in place. */
char *phx_mls_squeeze(char *s);
/* "$450,000" -> 450000, "$450,000.50" -> 450001 (rounded). A range
 * "$500,000 - $450,000" gives the lower price and *range = 1. */
int phx_mls_money(const char *s, long long *dollars, int *range);
/* The first integer in s, commas allowed: "1,850 sqft" -> 1850, "3BD" -> 3. */
int phx_mls_int(const char *s, long long *v);
/* The first decimal number in s: "0.25 acres" -> 0.25. */
int phx_mls_number(const char *s, double *v);
/* Baths: "2.5", "2 Full, 1 Half" -> 2.5, "3 Full" -> 3, "2BA" -> 2. */
int phx_mls_baths(const char *s, double *v);
/* Acres to square feet, x 43,560 rounded. */
long long phx_mls_acres_to_sqft(double acres);
/* A lot size with its unit in the text: "0.25 Acres" or "10,890 sq ft"
 * (no unit: square feet). */
int phx_mls_lot(const char *s, long long *sqft, int *was_acres);
/* Y / Yes / True -> 1, N / No / None / False -> 0, else -1. */
int phx_mls_yes_no(const char *s);
/* The record's listing.status for a status word; *detail (may be NULL on
 * return) the MLS's own sub-status: "UCB", "CCBS". Unknown words give
 * "unknown". Returns the status (static storage). */
const char *phx_mls_status(const char *word, const char **detail);
/* The record's property_type for an ARMLS dwelling type, or NULL. */
const char *phx_mls_dwelling_type(const char *word);
/* "12/5/2025" (n/d/Y) or "2025-12-05" -> "2025-12-05". */
int phx_mls_date(const char *s, char out[11]);
/* HOA fee frequency: "Monthly" -> "monthly", "Semi-Annually" ->
 * "semi_annually"... NULL when not one of them. */
const char *phx_mls_frequency(const char *s);
/* The MLS number of a detail URL ("...-mls_6937912/") into out, or -1. */
int phx_mls_id_from_url(const char *url, char *out, size_t n);
/* The URL without query string and fragment (malloc'd). */
char *phx_mls_canonical_url(const char *url);

#endif
