/* address.h - street addresses: cleaning, unit splitting, address_key.
 *
 * The assessor glues a unit to the street with no marker
 * ("7606 W INDIAN SCHOOL RD 1"), listings write "Road" and "North"; the
 * address_key makes one key of every spelling of one house:
 *   ZIP5 | house number | street, USPS abbreviations, lower case | unit
 *   "85031|4027|n 55th ave|" */
#ifndef PHX_ADDRESS_H
#define PHX_ADDRESS_H

/* Trim, and fold runs of white space into one space (malloc'd). */
char *phx_addr_clean(const char *s);
/* Split a unit off a street line: a marker ("APT 5", "UNIT 5", "STE 100",
 * "#5") or a short token glued after a street suffix ("... RD 1").
 * *street gets the cleaned street without the unit, *unit the unit or NULL.
 * Both malloc'd. */
void phx_addr_split_unit(const char *line, char **street, char **unit);
/* The key (malloc'd). zip may be NULL or longer than 5 ("85031-1234");
 * unit may be NULL (a unit inside street is split off first). */
char *phx_address_key(const char *zip, const char *street, const char *unit);

#endif
