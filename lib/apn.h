/* apn.h - Maricopa assessor parcel numbers (APN) in their many spellings.
 *
 * "103-06-005", "103 06 005", "103.06.005" and "10306005" are one parcel;
 * some carry a letter suffix ("10219009F"). The canonical form is the
 * compact upper-case one the county's search returns. An APN is an
 * identifier: always a string. */
#ifndef PHX_APN_H
#define PHX_APN_H
#include <stddef.h>

#define PHX_APN_MAX 16	/* canonical form plus NUL, with room to spare */

/* Canonical form into out: 8 digits and an optional letter. Returns 0, or -1
 * when s is not an APN in any accepted spelling. */
int phx_apn_normalize(const char *s, char out[PHX_APN_MAX]);
/* "10219009F" -> "102-19-009F" (book-map-parcel), for people. */
void phx_apn_display(const char *canonical, char *out, size_t n);

#endif
