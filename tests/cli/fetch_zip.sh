#!/usr/bin/env bash
# phx-fetch --zip: every parcel of 85031 exactly once, one request per page,
# the live data's quirks intact; a re-run fetches nothing, --refresh fetches again.
. "$PHX_TOP/tests/lib.sh"
. "$PHX_TOP/tests/servers/maricopa.sh"

mc_start || exit 1
mc_list 85031 | sort > want.apns
t_lines "stand-in lists 6632 parcels for 85031" 6632 want.apns

phx fetch --source maricopa --zip 85031 --rate 1000/s > out.ndjson 2> err.txt
t_eq "exit 0" 0 $?
t_lines "6632 records" 6632 out.ndjson
jq -r .apn out.ndjson | sort > got.apns
t_eq "every APN of 85031, each exactly once" "$(cat want.apns)" "$(cat got.apns)"
t_eq "apn is always a string" 0 "$(jq -c 'select((.apn | type) != "string")' out.ndjson | wc -l)"
t_eq "one request per page: ceil(6632/25) = 266" 266 "$(mc_count '.path == "/search/property/"')"
t_eq "no page asked twice" 266 \
	"$(jq -r 'select(.path == "/search/property/") | .query' "$MC_LOG" | sort -u | wc -l)"
t_eq "every request sent user-agent: null" 0 "$(mc_count '.headers["user-agent"] != "null"')"
t_eq "every request accepted JSON" 0 "$(mc_count '.headers.accept != "application/json"')"
t_eq "every request carried the token" 0 "$(mc_count '.auth != "ok"')"

# The quirks, each on a parcel the stand-in pins.
jq -c 'select(.apn | IN("10306005", "10301017", "10302041A"))' out.ndjson > pinned.ndjson
rec() { jq -c --arg a "$1" 'select(.apn == $a)' pinned.ndjson; }
t_eq "misspelled SubdivisonName kept untouched in raw" '"MARYVALE TERRACE  3 AMD"' \
	"$(rec 10306005 | jq -c .raw.SubdivisonName)"
t_eq "raw is the county's object with its own key order" \
	'["MCR","SubdivisonName","SectionTownshipRange","APN","Ownership","SitusAddress","SitusCity","SitusZip","PropertyType","RentalID"]' \
	"$(rec 10306005 | jq -c '.raw | keys_unsorted')"
t_eq "property_id from the APN" '"apn:10306005"' "$(rec 10306005 | jq -c .property_id)"
t_eq "the trace names the page it came from" 1 \
	"$(rec 10306005 | jq '[._phx.trace[] | select(.url | test("/search/property/\\?q=85031"))] | length')"
t_eq "RentalID null and string both survive" 'null "R0012345"' \
	"$(rec 10306005 | jq -c .raw.RentalID) $(rec 10301017 | jq -c .raw.RentalID)"
t_eq "unit glued to the street: raw untouched" '"7606 W INDIAN SCHOOL RD 1"' \
	"$(rec 10301017 | jq -c .raw.SitusAddress)"
t_eq "unit glued to the street: street and unit split" '"7606 W INDIAN SCHOOL RD" "1"' \
	"$(rec 10301017 | jq -c '.address.street, .address.unit' | paste -sd' ')"
t_eq "two parcels at one address: two records" 2 \
	"$(jq -c 'select(.raw.SitusAddress == "5110 W CLARENDON AVE")' out.ndjson | wc -l)"
t_eq "letter-suffixed APN and trailing-space type survive" '"apn:10302041A" "vacant_land"' \
	"$(rec 10302041A | jq -c '.property_id, .property_type' | paste -sd' ')"
t_eq "every record has a property_type" 0 "$(jq -c 'select(.property_type == null)' out.ndjson | wc -l)"
t_eq "ZIP is a 5-digit string everywhere" 0 \
	"$(jq -c 'select(.address.zip != "85031")' out.ndjson | wc -l)"
t_eq "owner double spaces kept in raw" 1 \
	"$(rec 10302041A | jq '[.raw.Ownership | select(. == "EXAMPLE OWNER D  ")] | length')"

tail -n 1 "$PHX_STATE_DIR/runs.ndjson" > run1.json
t_eq "a usage line per request, with host and status" "266 266" \
	"$(jq -c --arg h "127.0.0.1:$MC_PORT" 'select(.tool == "phx-fetch" and .host == $h)' \
		"$PHX_STATE_DIR/usage.ndjson" | wc -l) \
$(jq -c 'select(.status == 200 and (.bytes | type) == "number")' "$PHX_STATE_DIR/usage.ndjson" \
		| wc -l)"
t_eq "run summary: out 6632, exit 0" '6632 0 "phx-fetch"' "$(jq -c '.out, .exit, .tool' run1.json | paste -sd' ')"

# A completed request is not fetched again...
before=$(wc -l < "$MC_LOG")
phx fetch --source maricopa --zip 85031 --rate 1000/s > again.ndjson 2> err2.txt
t_eq "re-run: exit 0" 0 $?
t_eq "re-run: no request sent" "$before" "$(wc -l < "$MC_LOG")"
t_lines "re-run: no record" 0 again.ndjson
# ...unless --refresh is given. (The ZIPs from TARGET_ZIP_CODES this time, the
# previous system's cron setting: the same request.)
TARGET_ZIP_CODES=85031 phx fetch --source maricopa --rate 1000/s --refresh > fresh.ndjson 2> err3.txt
t_eq "--refresh: exit 0" 0 $?
t_eq "--refresh: every page again" $((before + 266)) "$(wc -l < "$MC_LOG")"
t_eq "--refresh: the same 6632 parcels" "$(cat want.apns)" "$(jq -r .apn fresh.ndjson | sort)"

mc_stop
mc_no_token "token in no output, journal or server log" \
	out.ndjson again.ndjson fresh.ndjson err.txt err2.txt err3.txt "$PHX_STATE_DIR" "$MC_DIR"
