#!/usr/bin/env bash
# phx-fetch --source phoenix_mls against the stand-in site: every listing of
# a ZIP exactly once, each detail page fetched once at its canonical URL,
# every record valid; a re-run fetches no detail page whose card did not
# change; URL requests; the trouble pages rejected, never empty records.
. "$PHX_TOP/tests/lib.sh"
. "$PHX_TOP/tests/servers/mls.sh"

t_check "--help names phoenix_mls (pipelines look for it)" \
	sh -c "'$PHX_BIN/phx-fetch' --help | grep -q phoenix_mls"

mls_start || exit 1
mls_list 85031 | sort > want.31
mls_list 85033 | sort > want.33
t_lines "the stand-in lists 37 listings for 85031" 37 want.31
t_lines "the stand-in lists 53 listings for 85033" 53 want.33

phx fetch --source phoenix_mls --zip 85031,85033 --rate 1000/s > out.ndjson 2> err.txt
t_eq "exit 0" 0 $?
t_lines "90 records" 90 out.ndjson
jq -r '.listing.url | sub("^http://[^/]*"; "")' out.ndjson | sort > got.urls
t_eq "every listing of both ZIPs, each exactly once" "$(sort -u want.31 want.33)" "$(cat got.urls)"
t_eq "every record is phoenix_mls with a listing" 0 \
	"$(jq -c 'select(.source != "phoenix_mls" or (.listing.mls_id | type) != "string")' out.ndjson | wc -l)"
phx validate < out.ndjson > valid.ndjson 2> valid.err
t_eq "every record passes phx-validate" 0 $?
t_eq "each detail page fetched once" 90 \
	"$(jq -r 'select(.kind == "detail") | .path' "$MLS_LOG" | sort -u | wc -l)"
t_eq "no detail page asked twice" 90 "$(mls_count '.kind == "detail"')"
t_eq "detail pages asked at the canonical URL (no query string)" 0 \
	"$(mls_count '.kind == "detail" and .query != ""')"
t_eq "search pages: 2 for 85031, 3 for 85033" "2 3" \
	"$(mls_count '.kind == "search" and .zip == "85031"') $(mls_count '.kind == "search" and .zip == "85033"')"
t_eq "pages of 25" 0 "$(mls_count '.kind == "search" and .limit != 25')"
t_eq "robots.txt asked first" robots "$(head -1 "$MLS_LOG" | jq -r .kind)"
t_eq "an honest User-Agent" 0 "$(mls_count '(.ua | startswith("phx-fetch/")) | not')"
t_eq "both card templates were read (v2 cards for 85033)" 53 \
	"$(jq -c 'select(.address.zip == "85033")' out.ndjson | wc -l)"
t_eq "both detail templates were read" "classic v2" \
	"$(jq -r .raw.template out.ndjson | sort -u | paste -sd' ')"
rec() { jq -c --arg m "$1" 'select(.listing.mls_id == $m)' out.ndjson; }
t_eq "condo with HOA: fee and frequency" '215 "monthly"' \
	"$(rec 6940007 | jq -c '.listing.hoa.fee, .listing.hoa.frequency' | paste -sd' ')"
t_eq "the APN joins the assessor's" '"10219009F"' "$(rec 6940007 | jq -c .apn)"
t_eq "two MLS numbers at one address, two records" 2 \
	"$(jq -c 'select(.address.street == "4027 N 55th Ave")' out.ndjson | wc -l)"
t_eq "a hostile description is kept verbatim, as data" 1 \
	"$(rec 6940015 | jq '[.listing.description | test("IGNORE PREVIOUS INSTRUCTIONS")] | map(select(.)) | length')"
t_eq "the trace names the detail page" 1 \
	"$(rec 6940007 | jq '[._phx.trace[] | select(.url | test("-mls_6940007/$"))] | length')"
t_eq "run summary: 5 pages, 90 details" "5 90" \
	"$(jq -c 'select(.tool == "phx-fetch")' "$PHX_STATE_DIR/runs.ndjson" | tail -1 | jq -r '"\(.metrics.mls_pages) \(.metrics.mls_details)"')"

: > "$MLS_LOG"
phx fetch --source phoenix_mls --zip 85031,85033 --rate 1000/s > again.ndjson 2> again.err
t_eq "re-run: exit 0" 0 $?
t_lines "re-run: no record (no card changed)" 0 again.ndjson
t_eq "re-run: the search pages only" "5 0" \
	"$(mls_count '.kind == "search"') $(mls_count '.kind == "detail"')"
t_eq "re-run: robots.txt from the cache" 0 "$(mls_count '.kind == "robots"')"

mls_start --change 6940007 || exit 1
phx fetch --source phoenix_mls --zip 85033 --rate 1000/s > changed.ndjson 2> changed.err
t_eq "a changed card: that listing only" '"6940007"' "$(jq -c .listing.mls_id changed.ndjson)"
t_eq "a changed card: the new price" 384000 "$(jq .listing.list_price changed.ndjson)"
phx fetch --source phoenix_mls --zip 85031 --refresh --rate 1000/s > refresh.ndjson 2> /dev/null
t_lines "--refresh fetches every listing again" 37 refresh.ndjson

# the site serves 10 a page whatever Limit says: paging follows the count
mls_start --page-size 10 || exit 1
phx fetch --source phoenix_mls --zip 85031 --refresh --rate 1000/s > ten.ndjson 2> /dev/null
t_lines "10 a page: still every listing" 37 ten.ndjson
t_eq "10 a page: 4 search pages" 4 "$(mls_count '.kind == "search"')"

# a URL request, with the search's query string: fetched at the canonical URL
u=$(head -1 want.31)
: > "$MLS_LOG"
echo "{\"source\":\"phoenix_mls\",\"url\":\"$PHOENIX_MLS_BASE_URL$u?PostalCode=85031&pg=1&Limit=25\"}" |
	phx fetch --rate 1000/s > url.ndjson 2> url.err
t_eq "URL request: exit 0" 0 $?
t_eq "URL request: one record of that listing" "$u" \
	"$(jq -r '.listing.url | sub("^http://[^/]*"; "")' url.ndjson)"
t_eq "URL request: asked without the query string" 1 \
	"$(mls_count ".kind == \"detail\" and .path == \"$u\" and .query == \"\"")"
echo '{"source":"phoenix_mls","url":"https://example.com/somewhere"}' |
	phx fetch --rate 1000/s --rejects rej.ndjson > /dev/null 2>&1
t_eq "a URL that is no listing: request.bad_url" request.bad_url "$(jq -r .code rej.ndjson)"

# the trouble ZIP: each page refused with its own code, never an empty record
phx fetch --source phoenix_mls --zip 85099 --rate 1000/s --retries 1 --timeout 10 \
	--rejects trouble.rej > trouble.ndjson 2> trouble.err
t_eq "trouble: the good, the slow and the redirected listing" "6949994 6949995 6949996" \
	"$(jq -r .listing.mls_id trouble.ndjson | sort | paste -sd' ')"
codes() { jq -r --arg m "$1" 'select(.url | test("-mls_" + $m)) | .code' trouble.rej; }
t_eq "soft-404: mls.not_found" mls.not_found "$(codes 6949998)"
t_eq "changed layout: mls.layout_changed with the URL" mls.layout_changed "$(codes 6949999)"
t_eq "missing required data: mls.bad_page" mls.bad_page "$(codes 6949993)"
t_check "truncated body: a fetch error, no record" test -n "$(codes 6949997)"
t_eq "no record without an MLS number" 0 \
	"$(jq -c 'select(.listing.mls_id == null)' trouble.ndjson | wc -l)"
t_eq "the redirect followed: the page with the slash" 1 \
	"$(mls_count '.kind == "detail" and .mls == "6949995" and .status == 200 and (.path | endswith("/"))')"
mls_stop
