#!/usr/bin/env bash
# The daily flow end to end against the stand-in assessor:
#   phx-fetch | phx-validate | phx-store
# Every parcel of a ZIP arrives, passes the shipped schema and rules, and is
# stored once; parcel details pass too; a second run changes nothing.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
# shellcheck source=tests/servers/maricopa.sh
. "$PHX_TOP/tests/servers/maricopa.sh"
mc_start || { t_fail "stand-in assessor starts"; exit 0; }
# the MLS step of daily-collect asks the stand-in site, never the real one
# shellcheck source=tests/servers/mls.sh
. "$PHX_TOP/tests/servers/mls.sh"
mls_start || { t_fail "stand-in MLS site starts"; exit 0; }
db=$T/phoenix.db

run_pipeline() { # OUT FETCH-ARGS...
	local out=$1; shift
	phx fetch --source maricopa --rate 1000/s "$@" 2> "$T/fetch.err" \
		| phx validate --rejects "$T/validate.rej" 2> "$T/validate.err" \
		| phx store --db "$db" > "$out" 2> "$T/store.err"
	codes="${PIPESTATUS[*]}"
}

run_pipeline "$T/day1" --zip 85031
t_eq "day 1: every stage exits 0" "0 0 0" "$codes"
expected=$(mc_list 85031 | wc -l)
t_eq "day 1: every parcel of 85031 stored" "$expected" "$(jq -r 'select(.result=="inserted") | .property_id' "$T/day1" | sort -u | wc -l)"
t_eq "day 1: nothing rejected by phx-validate" 0 "$(cat "$T/validate.rej" 2>/dev/null | wc -l)"

# Day 2: the same ZIP again, fetched anew: nothing changed, nothing written.
run_pipeline "$T/day2" --zip 85031 --refresh
t_eq "day 2: every stage exits 0" "0 0 0" "$codes"
t_eq "day 2: all unchanged" "$expected" "$(jq -r 'select(.result=="unchanged")' "$T/day2" | jq -s length)"
# Details for 40 of them: valuations, sale and characteristics must pass too.
apns=$(jq -r '.property_id | ltrimstr("apn:")' "$T/day1" | head -n 40 | paste -sd, -)
run_pipeline "$T/details" --apn "$apns" --details
t_eq "details: every stage exits 0" "0 0 0" "$codes"
t_eq "details: nothing rejected by phx-validate" 0 "$(cat "$T/validate.rej" 2>/dev/null | wc -l)"
if [ -s "$T/validate.rej" ]; then head -c 600 "$T/validate.rej" | sed 's/^/# /'; echo; fi
t_eq "details: 40 parcels updated" 40 "$(jq -r 'select(.result=="updated")' "$T/details" | jq -s length)"

mc_no_token "the token is in no output, journal or log"
