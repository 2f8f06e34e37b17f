#!/usr/bin/env bash
# --details: one /parcel/<apn> request per parcel (not five), valuations as
# integer dollars with "na" as null, residential facts; --max-age skips
# parcels whose details are fresh. Expected values come from the stand-in
# itself, read with curl.
. "$PHX_TOP/tests/lib.sh"
. "$PHX_TOP/tests/servers/maricopa.sh"

mc_start || exit 1
oracle() { curl -sf -H "AUTHORIZATION: $(cat "$MARICOPA_API_KEY_FILE")" "$MARICOPA_BASE_URL$1"; }
oracle /parcel/10306005 > want.json
: > "$MC_LOG"

echo '{"source":"maricopa","apn":"103-06-005"}' | phx fetch --details --rate 1000/s \
	> one.out 2> one.err
t_eq "--details by APN: exit 0" 0 $?
t_lines "--details by APN: one record" 1 one.out
t_eq "--details by APN: one request" 1 "$(wc -l < "$MC_LOG")"

money='if type == "string" and test("^[0-9,]+$") then gsub(","; "") | tonumber else null end'
t_eq "valuations: one per tax year, integers from comma strings" \
	"$(jq -c "[.Valuations[] | {y: (.TaxYear | tonumber), f: (.FullCashValue | $money),
		l: (.LimitedPropertyValue | $money)}] | sort_by(.y)" want.json)" \
	"$(jq -c '[.parcel.valuations[] | {y: .tax_year, f: .full_cash_value,
		l: .limited_value}] | sort_by(.y)' one.out)"
t_eq "the stand-in has \"na\" for the newest year's assessed values" '"na"' \
	"$(jq -c '.Valuations | max_by(.TaxYear) | .AssessedFCV' want.json)"
t_eq "\"na\" becomes null, never 0 or a string" 'null null' \
	"$(jq -c '.parcel.valuations | max_by(.tax_year)
		| .assessed_full_cash_value, .assessed_limited_value' one.out | paste -sd' ')"
t_eq "assessed values of older years are integers" \
	"$(jq -c "[.Valuations[] | .AssessedFCV | $money] | map(select(. != null)) | sort" want.json)" \
	"$(jq -c '[.parcel.valuations[] | .assessed_full_cash_value | select(. != null)] | sort' \
		one.out)"
t_eq "living space, lot, year built, garages from ResidentialPropertyData" \
	"$(jq -c '.ResidentialPropertyData | [.LivableSpace, .LotSize, .ConstructionYear,
		.NumberOfGarages]' want.json)" \
	"$(jq -c '.features | [.square_feet, .lot_size_sqft, .year_built, .garage_spaces]' one.out)"
t_eq "pool from the Pool number (>0 means a pool)" \
	"$(jq -c '.ResidentialPropertyData.Pool > 0' want.json)" "$(jq -c '.features.pool' one.out)"
t_eq "no bedroom count is published: null" null "$(jq -c .features.bedrooms one.out)"
t_eq "owner from Owner.Ownership" "$(jq -c .Owner.Ownership want.json)" \
	"$(jq -c .parcel.owner.name one.out)"
t_eq "location from Geo" "$(jq -c '[.Geo.lat, .Geo.long]' want.json)" \
	"$(jq -c '[.location.lat, .location.lon]' one.out)"
t_eq "the county's object kept whole in raw" "$(jq -cS '.Valuations' want.json)" \
	"$(jq -cS '[.raw | .. | objects | select(has("Valuations")) | .Valuations][0]' one.out)"

# A commercial parcel: ResidentialPropertyData is null; features unknown, no crash.
echo '{"source":"maricopa","apn":"10219009F"}' | phx fetch --details --rate 1000/s \
	> com.out 2> com.err
t_eq "commercial parcel: exit 0" 0 $?
t_eq "commercial parcel: no residential facts means null, never 0" 'null null' \
	"$(jq -c '.features.year_built, .features.square_feet' com.out | paste -sd' ')"

# A query with --details: the search page, then one /parcel request per parcel.
: > "$MC_LOG"
echo '{"source":"maricopa","query":"7606 W INDIAN SCHOOL RD"}' |
	phx fetch --details --rate 1000/s > q.out 2> q.err
t_eq "query --details: exit 0" 0 $?
t_lines "query --details: two records" 2 q.out
t_eq "query --details: 1 search + 2 parcel requests, no sub-resources" "1 2 0" \
	"$(mc_count '.path == "/search/property/"') $(mc_count '.path | test("^/parcel/[^/]+$")') \
$(mc_count '.path | test("^/parcel/[^/]+/.")')"
t_eq "query --details: valuations on both" 2 \
	"$(jq -c 'select((.parcel.valuations | length) == 5)' q.out | wc -l)"

# --max-age: details fetched a moment ago are not fetched again.
: > "$MC_LOG"
echo '{"source":"maricopa","query":"7606 W INDIAN SCHOOL RD"}' |
	phx fetch --details --max-age 1d --refresh --rate 1000/s > q2.out 2> q2.err
t_eq "--max-age: exit 0" 0 $?
t_eq "--max-age: the search again, no parcel request" "1 0" \
	"$(mc_count '.path == "/search/property/"') $(mc_count '.path | startswith("/parcel/")')"
t_lines "--max-age: the parcels are still emitted" 2 q2.out

mc_stop
mc_no_token "token in no output, journal or server log" ./*.out ./*.err "$PHX_STATE_DIR" "$MC_DIR"
