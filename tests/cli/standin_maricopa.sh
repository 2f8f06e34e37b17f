#!/usr/bin/env bash
# The stand-in assessor itself answers as the live API does (spec captures):
# checked with curl, so phx-fetch's tests rest on a faithful peer.
. "$PHX_TOP/tests/lib.sh"
. "$PHX_TOP/tests/servers/maricopa.sh"

mc_start --budget 1000 --retry-after 3 || exit 1
tok=$(cat "$MARICOPA_API_KEY_FILE")
get() { curl -s -H "AUTHORIZATION: $tok" -H 'user-agent: null' "$MARICOPA_BASE_URL$1"; }
head_of() { # PATH [curl args]: status line and headers
	local p=$1; shift
	curl -s -o /dev/null -D - "$@" "$MARICOPA_BASE_URL$p" | tr -d '\r'
}

t_eq "search envelope is exactly TOTAL and Results" '["TOTAL","Results"]' \
	"$(get '/search/property/?q=85031' | jq -c keys_unsorted)"
for z in 85031:6632 85033:13097 85035:9921; do
	t_eq "TOTAL for ${z%:*}" "${z#*:}" "$(get "/search/property/?q=${z%:*}&page=3" | jq .TOTAL)"
done
t_eq "25 a page; page 1 without page=" "25 true" \
	"$(get '/search/property/?q=85033' | jq -c '.Results | length') \
$(jq -n --argjson a "$(get '/search/property/?q=85033')" \
	--argjson b "$(get '/search/property/?q=85033&page=1')" '$a == $b')"
t_eq "last page of 85031 (266) holds 7, page 267 none" "7 0" \
	"$(get '/search/property/?q=85031&page=266' | jq '.Results | length') \
$(get '/search/property/?q=85031&page=267' | jq '.Results | length')"
t_eq "result keys in the live order, misspelling included" \
	'["MCR","SubdivisonName","SectionTownshipRange","APN","Ownership","SitusAddress","SitusCity","SitusZip","PropertyType","RentalID"]' \
	"$(get '/search/property/?q=85035' | jq -c '.Results[0] | keys_unsorted')"
t_eq "address query in situs form" '["10306005"]' \
	"$(get '/search/property/?q=4027%20N%2055TH%20AVE' | jq -c '[.Results[].APN]')"
for q in '1234%20N%20Central%20Ave%20Phoenix%20AZ' '' 'qwxz'; do
	t_eq "no results for q=$q" '{"TOTAL":0,"Results":[]}' "$(get "/search/property/?q=$q")"
done
get '/search/property/?q=85031' > /dev/null
# All 266 pages through one curl (one connection), not 266 processes.
for p in $(seq 1 266); do echo "url = $MARICOPA_BASE_URL/search/property/?q=85031&page=$p"; done \
	> pages.conf
all=$(curl -s -H "AUTHORIZATION: $tok" -K pages.conf | jq -c '.Results[]')
t_eq "paging 85031 gives 6632 distinct APNs" 6632 "$(jq -r .APN <<< "$all" | sort -u | wc -l)"
t_ge "some MCR are empty" 1 "$(jq -c 'select(.MCR == "")' <<< "$all" | wc -l)"
t_ge "some RentalID are strings" 1 "$(jq -c 'select(.RentalID | type == "string")' <<< "$all" | wc -l)"
t_ge "some PropertyType have a trailing space" 1 \
	"$(jq -c 'select(.PropertyType | endswith(" "))' <<< "$all" | wc -l)"
t_ge "some APNs carry a letter" 1 "$(jq -c 'select(.APN | test("[A-Z]$"))' <<< "$all" | wc -l)"
t_ge "some addresses are shared by two parcels" 1 \
	"$(jq -r '.SitusAddress' <<< "$all" | sort | uniq -d | wc -l)"

t_eq "parcel: one object with the documented members" \
	'["Geo","IsResidential","LotSize","MCR","Owner","PropertyType","ResidentialPropertyData","SubdivisionName","Valuations"]' \
	"$(get /parcel/10306005 | jq -c '[keys[] | select(IN("MCR","PropertyType","LotSize",
		"IsResidential","SubdivisionName","Geo","Owner","ResidentialPropertyData",
		"Valuations"))]')"
t_eq "APN with dashes, spaces, dots" "true true" \
	"$(jq -n --argjson a "$(get /parcel/10306005)" --argjson b "$(get /parcel/103-06-005)" \
	--argjson c "$(get '/parcel/103%2006%20005')" '$a == $b and $b == $c') \
$(jq -n --argjson a "$(get /parcel/10306005)" --argjson b "$(get /parcel/103.06.005)" '$a == $b')"
t_eq "valuations: 5 years, comma strings, na" '5 true true' \
	"$(get /parcel/10306005/valuations | jq -c 'length, (.[0].FullCashValue | test("^[0-9]{1,3}(,[0-9]{3})+$")),
		([.[].AssessedFCV] | index("na") != null)' | paste -sd' ')"
t_eq "unknown APN: 404, empty, text/html" "HTTP/1.1 404 Not Found|Content-Type: text/html|Content-Length: 0" \
	"$(head_of /parcel/99999999 -H "AUTHORIZATION: $tok" | grep -E '^(HTTP|Content-Type|Content-Length)' | paste -sd'|')"
for s in propertyinfo address valuations residential-details owner-details; do
	t_eq "unknown APN /$s: 200 []" "[]" "$(get "/parcel/99999999/$s")"
done
t_eq "wrong token: 500 with the reason phrase, empty" \
	"HTTP/1.1 500 [search]:Unauthorized access! Please contact support.|Content-Length: 0" \
	"$(head_of '/search/property/?q=85031' -H 'AUTHORIZATION: nope' | grep -E '^(HTTP|Content-Length)' | paste -sd'|')"
t_eq "no token: the same 500" "HTTP/1.1 500 [search]:Unauthorized access! Please contact support." \
	"$(head_of /parcel/10306005 | head -n 1)"
curl -s "$MARICOPA_BASE_URL/no/such/path" > home.html
t_eq "unknown path: 200 HTML with a BOM and an XHTML doctype" "efbbbf<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML" \
	"$(head -c 3 home.html | od -An -tx1 | tr -d ' \n')$(head -c 43 home.html | tail -c +4)"
t_eq "gzip when asked" "Content-Encoding: gzip" \
	"$(head_of '/search/property/?q=85031' -H "AUTHORIZATION: $tok" -H 'Accept-Encoding: gzip' | grep -i '^content-encoding')"
t_eq "a normal user-agent is accepted too" 6632 \
	"$(curl -s -A 'Mozilla/5.0' -H "AUTHORIZATION: $tok" "$MARICOPA_BASE_URL/search/property/?q=85031" | jq .TOTAL)"
t_eq "the log says whether the token matched" "ok bad missing" \
	"$(for a in ok bad missing; do mc_count ".auth == \"$a\"" | grep -q '^0$' || echo $a; done | paste -sd' ')"
mc_stop

# Faults: the budget, then 429 with Retry-After in both forms.
mc_start --budget 2 --retry-after 3 || exit 1
tok=$(cat "$MARICOPA_API_KEY_FILE")
for _ in 1 2; do get /parcel/10306005 > /dev/null; done
t_eq "429 past the budget, Retry-After in seconds" "HTTP/1.1 429 Too Many Requests|Retry-After: 3" \
	"$(head_of /parcel/10306005 -H "AUTHORIZATION: $tok" | grep -E '^(HTTP|Retry-After)' | paste -sd'|')"
mc_stop
mc_start --budget 0 --retry-after 3 --retry-after-form date || exit 1
ra=$(head_of / | sed -n 's/^Retry-After: //p')
t_eq "Retry-After as an HTTP date, in the future" 1 \
	"$(( $(date -d "$ra" +%s) > $(date +%s) ))"
mc_stop
mc_start --fail-rate 1 || exit 1
t_eq "--fail-rate 1: 503" "HTTP/1.1 503 Service Unavailable" "$(head_of / | head -n 1)"
mc_stop
mc_start --drop-rate 1 || exit 1
curl -s -o /dev/null "$MARICOPA_BASE_URL/"
t_eq "--drop-rate 1: connection closed without an answer (curl 52)" 52 $?
mc_stop
mc_no_token "the token is in no log"
