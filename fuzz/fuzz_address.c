/* fuzz_address.c - libFuzzer target for address and APN normalisation, which
 * see every street line, ZIP and parcel number the sources send.
 *
 * Input: ZIP \n STREET \n UNIT \n APN (missing fields are empty; an empty
 * UNIT is passed as NULL).
 *
 * Besides "no crash", it checks what callers rely on:
 *  - a cleaned string has no white space at its ends and none but single spaces;
 *  - splitting a unit gives a cleaned street and a unit that is NULL or not empty;
 *  - the key starts with at most 5 ZIP digits and a '|', has the three '|'
 *    of its form, and does not change when the street gets extra white space;
 *  - a canonical APN is 8 digits and an optional capital letter, normalizes
 *    to itself, and its display form normalizes back to it. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "address.h"
#include "apn.h"
#include "buf.h"
#include "fuzz_input.h"

#define FAIL(...) do { fprintf(stderr, "fuzz_address: " __VA_ARGS__); abort(); } while (0)

static void check_clean(const char *s, const char *what)
{
	size_t n = strlen(s);
	if (n && (s[0] == ' ' || s[n - 1] == ' '))
		FAIL("%s \"%s\" has space at an end\n", what, s);
	for (size_t i = 0; i < n; i++)
		if ((isspace((unsigned char)s[i]) && s[i] != ' ') ||
		    (s[i] == ' ' && s[i + 1] == ' '))
			FAIL("%s \"%s\" is not folded\n", what, s);
}

static void check_address(const char *zip, const char *street, const char *unit)
{
	char *clean = phx_addr_clean(street);
	check_clean(clean, "clean");
	free(clean);

	char *st = NULL, *u = NULL;
	phx_addr_split_unit(street, &st, &u);
	if (!st)
		FAIL("split_unit gave no street\n");
	check_clean(st, "split street");
	if (u && !*u)
		FAIL("split_unit gave an empty unit\n");
	free(st);
	free(u);

	char *key = phx_address_key(zip, street, unit);
	size_t digits = 0, bars = 0;
	while (isdigit((unsigned char)key[digits]))
		digits++;
	for (const char *p = key; *p; p++)
		bars += *p == '|';
	if (digits > 5 || key[digits] != '|' || bars < 3)
		FAIL("key \"%s\" is not ZIP|number|street|unit\n", key);

	phx_buf spaced = PHX_BUF_INIT;
	phx_buf_printf(&spaced, " \t%s \n", street);
	for (size_t i = 0; i < spaced.len; i++)
		if (spaced.data[i] == ' ' && i + 1 < spaced.len && spaced.data[i + 1] != ' ')
			spaced.data[i] = '\t';	/* other white space, same words */
	char *key2 = phx_address_key(zip, spaced.data, unit);
	if (strcmp(key, key2) != 0)
		FAIL("key changes with white space: \"%s\" vs \"%s\"\n", key, key2);
	phx_buf_free(&spaced);
	free(key2);
	free(key);
}

static void check_apn(const char *s)
{
	char out[PHX_APN_MAX], again[PHX_APN_MAX], shown[32];
	if (phx_apn_normalize(s, out) != 0)
		return;
	size_t n = strlen(out);
	for (size_t i = 0; i < 8; i++)
		if (!isdigit((unsigned char)out[i]))
			FAIL("canonical APN \"%s\" does not start with 8 digits\n", out);
	if (n > 9 || (n == 9 && !isupper((unsigned char)out[8])))
		FAIL("canonical APN \"%s\" has more than one capital letter after them\n", out);
	if (phx_apn_normalize(out, again) != 0 || strcmp(out, again) != 0)
		FAIL("canonical APN \"%s\" does not normalize to itself\n", out);
	phx_apn_display(out, shown, sizeof shown);
	if (phx_apn_normalize(shown, again) != 0 || strcmp(out, again) != 0)
		FAIL("display form \"%s\" does not normalize back to \"%s\"\n", shown, out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *zip = fuzz_field(&data, &size, '\n');
	char *street = fuzz_field(&data, &size, '\n');
	char *unit = fuzz_field(&data, &size, '\n');
	char *apn = fuzz_field(&data, &size, '\n');

	check_address(zip, street, unit[0] ? unit : NULL);
	check_address(NULL, street, NULL);
	check_apn(apn);
	check_apn(street);
	free(zip);
	free(street);
	free(unit);
	free(apn);
	return 0;
}
