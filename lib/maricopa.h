/* maricopa.h - the Maricopa County Assessor API: the requests to make and
 * how its answers become property records (record.md).
 *
 * Built for what the live API does (see phx-fetch(1)): 25 results a page and
 * no page count, auth failure as HTTP 500 with "Unauthorized" in the reason
 * phrase, HTML for unknown paths, 404 or [] for an unknown APN, numbers as
 * comma-grouped strings, "na" for not published. */
#ifndef PHX_MARICOPA_H
#define PHX_MARICOPA_H
#include <stddef.h>
#include <jansson.h>
#include "http.h"

#define PHX_MARICOPA_BASE "https://mcassessor.maricopa.gov"
#define PHX_MARICOPA_PAGE_SIZE 25

/* URLs (malloc'd). base has no trailing slash requirement. page >= 1. */
char *phx_maricopa_search_url(const char *base, const char *query, long page);
char *phx_maricopa_parcel_url(const char *base, const char *apn);
/* ceil(total / 25); 0 for total <= 0. */
long phx_maricopa_pages(long long total);

/* Check an answer that should hold JSON. Returns NULL and the parsed body in
 * *doc, or a reject code with words in why:
 *   fetch.auth       HTTP 500 with "Unauthorized" in the reason phrase
 *   fetch.not_found  404, or an empty array where an object was wanted
 *   fetch.not_json   HTML or anything else that is not JSON
 *   fetch.http_NNN   any other status that is not 2xx
 * want_object: the body must be an object ([] means not found). */
const char *phx_maricopa_check(const phx_http_result *r, int want_object, json_t **doc,
			       char *why, size_t n);

/* A search page: TOTAL and Results. NULL, or "fetch.bad_shape" with why. */
const char *phx_maricopa_search_page(const json_t *doc, long long *total,
				     json_t **results, char *why, size_t n);

/* "1,234,500" -> 1234500, 1234500 -> 1234500, "na" / "" / junk -> null. */
json_t *phx_maricopa_int(const json_t *v);
/* The record's property_type for the county's word (trailing spaces fine). */
const char *phx_maricopa_property_type(const char *county_word);

/* One observation. item: a search result (may be NULL); details: the
 * /parcel/<apn> object (may be NULL); one of them must be given. raw is
 * the search result untouched, or {"search":..,"parcel":..} with details.
 * asked_apn: the APN the request named (NULL for a search); the county's
 * /parcel/<apn> answer may leave its APN key out, and the request already
 * tells it. An APN in the answer wins over the asked one.
 * Returns NULL when neither gives an APN or an address (*why set). */
json_t *phx_maricopa_record(const json_t *item, const json_t *details,
			    const char *asked_apn, const char *observed_at,
			    char *why, size_t n);

#endif
