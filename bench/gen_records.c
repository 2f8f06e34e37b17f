/* gen_records.c - write N realistic property records (NDJSON) to stdout for
 * the benchmarks: assessor observations (source maricopa, with parcel and
 * valuations) and MLS observations (source phoenix_mls, with a listing), each
 * with its raw source object and a fetch trace, like the example in the
 * record spec. About 5% break a schema keyword or an error rule, about 10%
 * trip a warning rule, and one in a thousand is cut short (not JSON).
 *
 *   gen_records N [SEED] > records.ndjson
 * The same N and SEED give the same bytes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t state = 0x9E3779B97F4A7C15u;

static uint32_t rnd(uint32_t n)	/* uniform enough in [0, n) */
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return (uint32_t)((state >> 32) % n);
}

#define PICK(a) ((a)[rnd(sizeof(a) / sizeof((a)[0]))])

static const char *const streets[] = {
	"N 55TH AVE", "W INDIAN SCHOOL RD", "E CAMELBACK RD", "N 7TH ST", "W THOMAS RD",
	"E MCDOWELL RD", "N CENTRAL AVE", "W MARYLAND AVE", "E BETHANY HOME RD",
	"N 32ND ST", "W GLENDALE AVE", "E VAN BUREN ST", "S MILL AVE", "N 19TH AVE"
};
static const char *const keys[] = {
	"n 55th ave", "w indian school rd", "e camelback rd", "n 7th st", "w thomas rd",
	"e mcdowell rd", "n central ave", "w maryland ave", "e bethany home rd",
	"n 32nd st", "w glendale ave", "e van buren st", "s mill ave", "n 19th ave"
};
static const struct { const char *city, *zip; } places[] = {
	{ "PHOENIX", "85031" }, { "PHOENIX", "85033" }, { "PHOENIX", "85015" },
	{ "PHOENIX", "85018" }, { "SCOTTSDALE", "85251" }, { "TEMPE", "85281" },
	{ "MESA", "85201" }, { "GLENDALE", "85301" }, { "CHANDLER", "85225" }
};
static const char *const types[] = {
	"single_family", "single_family", "single_family", "condo", "townhouse",
	"residential", "manufactured", "multi_family"
};
static const char *const statuses[] = {
	"active", "active", "pending", "sold", "coming_soon", "off_market", "expired"
};
static const char *const owners[] = {
	"EXAMPLE OWNER A/EXAMPLE OWNER B", "SMITH FAMILY TRUST", "GARCIA JOSE & MARIA",
	"DESERT HOMES LLC", "NGUYEN THANH", "OPENDOOR PROPERTY J LLC"
};

/* one defect per invalid record, picked by kind */
enum defect { NONE, YEAR_FUTURE, BAD_ZIP, BEDROOMS_STRING, BAD_TYPE, NO_KEY, ID_MISMATCH,
	      BAD_TIME, N_DEFECTS };

static void put_null_or_int(const char *name, int known, long v, int comma)
{
	if (known)
		printf("\"%s\":%ld%s", name, v, comma ? "," : "");
	else
		printf("\"%s\":null%s", name, comma ? "," : "");
}

static void record(unsigned long i)
{
	int mls = rnd(3) == 0;
	enum defect d = rnd(100) < 5 ? (enum defect)(1 + rnd(N_DEFECTS - 1)) : NONE;
	int warn = rnd(10) == 0;
	unsigned s = rnd(sizeof streets / sizeof streets[0]);
	unsigned p = rnd(sizeof places / sizeof places[0]);
	unsigned house = 100 + rnd(9800);
	unsigned long apn = 10000000 + (i * 7919) % 89999999;
	int has_apn = !mls || rnd(2);
	int beds = 1 + (int)rnd(6), year = 1940 + (int)rnd(85);
	int sqft = warn ? 30000 : 600 + beds * 300 + (int)rnd(900);
	long fcv = 120000 + (long)rnd(900000), price = fcv + (long)rnd(200000) - 50000;
	const char *type = d == BAD_TYPE ? "house" : PICK(types);
	const char *zip = d == BAD_ZIP ? "8503" : places[p].zip;
	char key[160];
	snprintf(key, sizeof key, "%s|%u|%s|", places[p].zip, house, keys[s]);

	if (has_apn)
		printf("{\"property_id\":\"apn:%lu\",\"apn\":\"%lu\",",
		       d == ID_MISMATCH ? apn + 1 : apn, apn);
	else
		printf("{\"property_id\":\"addr:%s\",\"apn\":null,", key);
	if (d != NO_KEY)
		printf("\"address_key\":\"%s\",", key);
	printf("\"address\":{\"street\":\"%u %s\",\"unit\":null,\"city\":\"%s\",\"state\":\"AZ\","
	       "\"zip\":\"%s\",\"county\":\"Maricopa\"},", house, streets[s], places[p].city, zip);
	if (rnd(2))
		printf("\"location\":{\"lat\":33.%06u,\"lon\":-112.%06u},", rnd(999999),
		       rnd(999999));
	else
		printf("\"location\":null,");
	printf("\"property_type\":\"%s\",\"features\":{", type);
	if (d == BEDROOMS_STRING)
		printf("\"bedrooms\":\"%d\",", beds);
	else
		put_null_or_int("bedrooms", mls || rnd(4) == 0, beds, 1);
	if (mls)
		printf("\"bathrooms\":%d.%d,", 1 + (int)rnd(4), rnd(2) ? 5 : 0);
	else
		printf("\"bathrooms\":null,");
	printf("\"square_feet\":%d,", sqft);
	put_null_or_int("lot_size_sqft", rnd(8) != 0, 4000 + (long)rnd(12000), 1);
	printf("\"year_built\":%d,", d == YEAR_FUTURE ? 2091 : year);
	put_null_or_int("garage_spaces", rnd(3) != 0, rnd(4), 1);
	printf("\"pool\":%s,\"stories\":null},", rnd(3) ? "false" : "true");
	if (!mls) {
		printf("\"parcel\":{\"mcr\":\"%u\",\"subdivision\":\"MARYVALE TERRACE  %u AMD\","
		       "\"str\":\"292N2E\",\"owner\":{\"name\":\"%s\"},\"valuations\":[",
		       1000 + rnd(9000), 1 + rnd(40), PICK(owners));
		for (int y = 2024; y <= 2026; y++)
			printf("{\"tax_year\":%d,\"full_cash_value\":%ld,\"limited_value\":%ld}%s", y,
			       fcv - (2026 - y) * 9000, (fcv - (2026 - y) * 9000) * 7 / 10,
			       y < 2026 ? "," : "");
		printf("]},\"listing\":null,\"source\":\"maricopa\",");
	} else {
		printf("\"parcel\":null,\"listing\":{\"mls_id\":\"%u\",\"status\":\"%s\","
		       "\"list_price\":%ld,\"list_date\":\"2026-%02u-%02u\",\"days_on_market\":%u,"
		       "\"url\":\"https://example.test/listing/%lu\",\"agent\":\"Agent %u\"},"
		       "\"source\":\"phoenix_mls\",",
		       6000000 + rnd(999999), PICK(statuses), warn ? price * 20 : price,
		       1 + rnd(11), 1 + rnd(28), rnd(200), i, rnd(500));
	}
	if (d == BAD_TIME)
		printf("\"observed_at\":\"2026-13-45T10:00:03Z\",");
	else
		printf("\"observed_at\":\"2026-11-%02uT%02u:%02u:%02uZ\",", 1 + rnd(27), rnd(24),
		       rnd(60), rnd(60));
	if (mls)
		printf("\"raw\":{\"ListingId\":\"%u\",\"ListPrice\":\"$%ld\",\"Beds\":\"%d\","
		       "\"Status\":\"Active\"},", rnd(999999), price, beds);
	else
		printf("\"raw\":{\"APN\":\"%lu\",\"SubdivisonName\":\"MARYVALE TERRACE\","
		       "\"PropertyUseCode\":\"0131\",\"FullCashValue\":\"%ld\"},", apn, fcv);
	printf("\"_phx\":{\"trace\":[{\"tool\":\"phx-fetch\",\"version\":\"0.1.0\","
	       "\"at\":\"2026-11-27T10:00:03Z\",\"status\":200,\"proxy\":null}]}}\n");
}

int main(int argc, char **argv)
{
	char *end;
	unsigned long n = argc > 1 ? strtoul(argv[1], &end, 10) : 0;
	if (argc < 2 || *end) {
		fprintf(stderr, "usage: gen_records N [SEED]\n");
		return 64;
	}
	if (argc > 2)
		state ^= strtoull(argv[2], NULL, 10) * 0x2545F4914F6CDD1Du;
	static char obuf[1 << 20];
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	for (unsigned long i = 0; i < n; i++) {
		if (i % 1000 == 999) {
			fputs("{\"property_id\":\"apn:1234\",\"address\":{\"street\":\n", stdout);
			continue;
		}
		record(i);
	}
	return fflush(stdout) == 0 ? 0 : 74;
}
