# bench/store_gen.awk - property observations for bench/store.sh, the shape of
# the record spec: two thirds assessor parcels (with valuations, owner, raw
# object, fetch trace), one third MLS listings without APN, half of which sit
# at a parcel's address (so phx-store joins them to it). Every record is valid.
#
#   awk -v n=N -v round=1|2 -f bench/store_gen.awk > records.ndjson
#
# round=2 is the next day's input: the same lines, except every tenth record
# (10%), which was observed a day later with a new value or list price.
# Deterministic: the values of record i depend on i only.
function rnd(m) {	# MINSTD, exact in awk's doubles
	seed = (seed * 48271) % 2147483647
	return seed % m
}
BEGIN {
	if (n == "") n = 1000
	if (round == "") round = 1
	nst = split("N 55TH AVE|W INDIAN SCHOOL RD|E CAMELBACK RD|N 7TH ST|W THOMAS RD|" \
		"E MCDOWELL RD|N CENTRAL AVE|W MARYLAND AVE|E BETHANY HOME RD|N 32ND ST|" \
		"W GLENDALE AVE|E VAN BUREN ST|N 19TH AVE|W OSBORN RD", street, "|")
	nzip = split("85003 85006 85008 85015 85017 85018 85019 85021 85029 85031 85033 " \
		"85035 85037 85301 85302", zips, " ")
	ntype = split("single_family condo townhouse manufactured residential", types, " ")
	nst2 = split("active pending sold coming_soon", stat, " ")
	for (i = 1; i <= n; i++) {
		seed = (i * 7919 + 13) % 2147483647
		rnd(2)
		changed = round == 2 && i % 10 == 7
		day = changed ? 29 : 28
		at = sprintf("2026-11-%02dT10:%02d:%02dZ", day, rnd(60), rnd(60))
		if (i % 3 == 0 && i % 6 == 0) addr = i - 1	# a listing at a parcel
		else addr = i
		s = street[addr % nst + 1]
		key_st = tolower(s)
		zip = zips[addr % nzip + 1]
		house = 100 + addr
		key = zip "|" house "|" key_st "|"
		loc = sprintf("{\"lat\":33.%06d,\"lon\":-112.%06d}", rnd(999999), rnd(999999))
		feat = sprintf("{\"bedrooms\":%d,\"bathrooms\":%d.%d,\"square_feet\":%d," \
			"\"lot_size_sqft\":%d,\"year_built\":%d,\"garage_spaces\":%d,\"pool\":%s," \
			"\"stories\":null}", 1 + rnd(6), 1 + rnd(4), rnd(2) * 5, 700 + rnd(3500),
			3000 + rnd(15000), 1940 + rnd(85), rnd(4), rnd(3) ? "false" : "true")
		adr = sprintf("{\"street\":\"%d %s\",\"unit\":null,\"city\":\"PHOENIX\"," \
			"\"state\":\"AZ\",\"zip\":\"%s\",\"county\":\"Maricopa\"}", house, s, zip)
		trace = sprintf("{\"trace\":[{\"tool\":\"phx-fetch\",\"version\":\"0.3.0\"," \
			"\"at\":\"%s\",\"status\":200,\"proxy\":null}]}", at)
		type = types[rnd(ntype) + 1]
		if (i % 3 != 0) {
			fcv = 150000 + rnd(900000)
			if (changed) fcv = int(fcv * 1.05)
			apn = sprintf("%08d", 10000000 + i)
			printf "{\"property_id\":\"apn:%s\",\"apn\":\"%s\",\"address_key\":\"%s\"," \
				"\"address\":%s,\"location\":%s,\"property_type\":\"%s\",\"features\":%s," \
				"\"parcel\":{\"mcr\":\"%d\",\"subdivision\":\"MARYVALE TERRACE %d\"," \
				"\"str\":\"292N2E\",\"owner\":{\"name\":\"OWNER %d\"},\"valuations\":" \
				"[{\"tax_year\":2026,\"full_cash_value\":%d,\"limited_value\":%d}]}," \
				"\"listing\":null,\"source\":\"maricopa\",\"observed_at\":\"%s\"," \
				"\"raw\":{\"APN\":\"%s\",\"FullCashValue\":\"%d\",\"SitusZip\":\"%s\"}," \
				"\"_phx\":%s}\n", apn, apn, key, adr, loc, type, feat, 1000 + rnd(9000),
				rnd(40), rnd(100000), fcv, int(fcv * 0.7), at, apn, fcv, zip, trace
		} else {
			price = 200000 + rnd(1200000)
			if (changed) price = int(price * 0.98)
			printf "{\"property_id\":\"addr:%s\",\"apn\":null,\"address_key\":\"%s\"," \
				"\"address\":%s,\"location\":%s,\"property_type\":\"%s\",\"features\":%s," \
				"\"parcel\":null,\"listing\":{\"mls_id\":\"%d\",\"status\":\"%s\"," \
				"\"list_price\":%d,\"list_date\":\"2026-%02d-%02d\",\"days_on_market\":%d," \
				"\"url\":\"https://example.test/listing/%d\",\"agent\":\"Agent %d\"}," \
				"\"source\":\"phoenix_mls\",\"observed_at\":\"%s\",\"raw\":{\"ListingId\":" \
				"\"%d\",\"ListPrice\":\"$%d\",\"Status\":\"Active\"},\"_phx\":%s}\n",
				key, key, adr, loc, type, feat, 6000000 + i, stat[rnd(nst2) + 1], price,
				1 + rnd(10), 1 + rnd(28), rnd(200), i, rnd(500), at, 6000000 + i, price,
				trace
		}
	}
}
