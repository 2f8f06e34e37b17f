#!/usr/bin/env bash
# validate_fetched_records.sh - the contract between phx-fetch and the shipped
# schema and rules: records the fetcher makes from the stand-in assessor (with
# and without parcel details) all pass phx-validate, with no error and no
# warning, and score above 0.5. A change to either side that breaks the record
# shape fails here, not in production.
# shellcheck source=tests/lib.sh
source "$PHX_TOP/tests/lib.sh"
# shellcheck source=tests/servers/maricopa.sh
source "$PHX_TOP/tests/servers/maricopa.sh"

mc_start
# Parcels at house number 4027 (eleven in the stand-in), then their details by APN.
phx fetch --query 4027 --rate 1000/s --rejects "$T/fetch.rej" > "$T/search.ndjson"
t_eq "fetch: search exit" 0 $?
t_ge "fetch: search records" 5 "$(wc -l < "$T/search.ndjson")"
apns=$(jq -r '.apn' "$T/search.ndjson" | head -40 | paste -sd, -)
phx fetch --apn "$apns" --details --rate 1000/s --rejects "$T/fetch.rej" > "$T/details.ndjson"
t_eq "fetch: details exit" 0 $?
t_ge "fetch: detail records" 5 "$(wc -l < "$T/details.ndjson")"
mc_stop

for f in search details; do
	TARGET_ZIP_CODES=85031,85033,85035 phx validate --rejects "$T/$f.rej" \
		"$T/$f.ndjson" > "$T/$f.valid"
	t_eq "validate $f: exit" 0 $?
	t_eq "validate $f: every record passes" "$(wc -l < "$T/$f.ndjson")" \
		"$(wc -l < "$T/$f.valid")"
	[ -s "$T/$f.rej" ] && t_fail "validate $f: no rejects" \
		"$(jq -c '[.input.line, [.errors[].code]]' "$T/$f.rej" | head -5)"
	t_eq "validate $f: no warnings" 0 \
		"$(jq -s '[.[]._phx.validation | length] | add // 0' "$T/$f.valid")"
	t_eq "validate $f: every score above 0.5" 0 \
		"$(jq -s '[.[] | select(._phx.quality <= 0.5)] | length' "$T/$f.valid")"
done
