/* test_address.c - cleaning, unit splitting, address_key. */
#include <stdlib.h>
#include "unit.h"
#include "address.h"

static char last[256];

static const char *key(const char *zip, const char *street, const char *unit)
{
	char *k = phx_address_key(zip, street, unit);
	snprintf(last, sizeof last, "%s", k);
	free(k);
	return last;
}

static void split(const char *line, const char *want_street, const char *want_unit)
{
	char *st, *un;
	phx_addr_split_unit(line, &st, &un);
	CHECK_STR(st, want_street);
	CHECK_STR(un ? un : "(none)", want_unit);
	free(st);
	free(un);
}

int main(void)
{
	/* found by fuzz_address: a unit marker with nothing after it */
	split("123 MAIN ST APT #", "123 MAIN ST", "(none)");
	char *c = phx_addr_clean("  4027  N   55TH AVE  ");
	CHECK_STR(c, "4027 N 55TH AVE");
	free(c);

	CHECK_STR(key("85031", "4027 N 55TH AVE", NULL), "85031|4027|n 55th ave|");
	CHECK_STR(key("85031", "4027 North 55th Avenue", NULL), "85031|4027|n 55th ave|");
	CHECK_STR(key("85031-1234", "4027  N 55TH AVE ", ""), "85031|4027|n 55th ave|");
	CHECK_STR(key("85033", "7606 W INDIAN SCHOOL RD 1", NULL),
		  "85033|7606|w indian school rd|1");
	CHECK_STR(key("85033", "7606 West Indian School Road Apt 1", NULL),
		  "85033|7606|w indian school rd|1");
	CHECK_STR(key("85033", "7606 W Indian School Rd #1", NULL),
		  "85033|7606|w indian school rd|1");
	CHECK_STR(key("85033", "7606 W Indian School Rd", "#1"),
		  "85033|7606|w indian school rd|1");
	CHECK_STR(key("85031", "123 Main St. W", NULL), "85031|123|main st w|");
	CHECK_STR(key(NULL, "N CENTRAL AVE", NULL), "||n central ave|");
	/* a street called North stays a name in the middle */
	CHECK_STR(key("85001", "10 E NORTH LANE", NULL), "85001|10|e north ln|");

	split("7606 W INDIAN SCHOOL RD 1", "7606 W INDIAN SCHOOL RD", "1");
	split("7606 W INDIAN SCHOOL RD  12B", "7606 W INDIAN SCHOOL RD", "12B");
	split("4027 N 55TH AVE", "4027 N 55TH AVE", "(none)");
	split("1500 N HWY 60", "1500 N HWY 60", "(none)");
	split("123 W MAIN ST UNIT 5", "123 W MAIN ST", "5");
	split("123 W MAIN ST STE 100", "123 W MAIN ST", "100");
	split("123 AVENUE B", "123 AVENUE B", "(none)");
	split("", "", "(none)");
	return unit_done();
}
