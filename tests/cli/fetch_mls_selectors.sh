#!/usr/bin/env bash
# The selectors file is data: --check-selectors shows what each line read on
# a page (a URL of the site, or a saved file); an edited file (--selectors,
# PHOENIX_MLS_SELECTORS) changes the extraction, and a file matching nothing
# refuses every page as mls.layout_changed instead of writing empty records.
. "$PHX_TOP/tests/lib.sh"
. "$PHX_TOP/tests/servers/mls.sh"

mls_start || exit 1
u=$PHOENIX_MLS_BASE_URL$(mls_list 85031 | grep -- '-mls_6937912/')
phx fetch --source phoenix_mls --rate 1000/s --check-selectors "$u" > check.ndjson 2> check.err
t_eq "--check-selectors: exit 0" 0 $?
t_eq "--check-selectors: the page first, classic template" '"page" "classic"' \
	"$(head -1 check.ndjson | jq -c '.kind, .template' | paste -sd' ')"
t_eq "--check-selectors: one line per selector of the file" \
	"$(grep -c -E '^(template|row|field|text) ' "$PHX_TOP/etc/mls-selectors.conf")" \
	"$(jq -c 'select(.kind != "page")' check.ndjson | wc -l)"
t_eq "--check-selectors: the price field matched" true \
	"$(jq -c 'select(.kind == "field" and .field == "list_price" and .template == "classic") | .matched' check.ndjson)"
t_eq "--check-selectors: robots.txt first, then the page, nothing else" "robots detail" \
	"$(jq -r .kind "$MLS_LOG" | paste -sd' ')"
t_eq "--check-selectors: no record written" 0 "$(jq -c 'select(.source)' check.ndjson | wc -l)"

curl -sf "$u" > page.html
phx fetch --source phoenix_mls --check-selectors page.html > file.ndjson 2> /dev/null
t_eq "--check-selectors FILE: the same report" "$(jq -c 'del(.read?)' check.ndjson | md5sum)" \
	"$(jq -c 'del(.read?)' file.ndjson | md5sum)"

# the site renames "Approx SQFT" to "Living SqFt": one line fixes it
sed 's/Approx SQFT/Living SqFt/' page.html > renamed.html
phx fetch --source phoenix_mls --check-selectors renamed.html > before.ndjson 2> /dev/null
t_eq "renamed label: unmapped before the edit" null \
	"$(jq -c '.read[]? | select(.label == "Living SqFt") | .field' before.ndjson | head -1)"
cp "$PHX_TOP/etc/mls-selectors.conf" mine.conf
echo "label square_feet living sqft" >> mine.conf
phx fetch --source phoenix_mls --selectors mine.conf --check-selectors renamed.html \
	> after.ndjson 2> /dev/null
t_eq "renamed label: mapped after the edit" '"square_feet"' \
	"$(jq -c '.read[]? | select(.label == "Living SqFt") | .field' after.ndjson | head -1)"

# extraction follows the file: the price read from the v1 header is dropped
grep -v '^field classic list_price' "$PHX_TOP/etc/mls-selectors.conf" |
	sed 's/^label list_price list price$/label list_price current price/' > noprice.conf
echo "{\"source\":\"phoenix_mls\",\"url\":\"$u\"}" > one.req
phx fetch --rate 1000/s < one.req > std.ndjson 2> /dev/null
PHOENIX_MLS_SELECTORS=$T/noprice.conf phx fetch --rate 1000/s < one.req > edit.ndjson 2> /dev/null
t_eq "shipped file: the price from the meta tag, confirmed by the page" '"meta"' \
	"$(jq -c ._phx.mls.layers.list_price std.ndjson)"
t_eq "edited file named in provenance" "\"$T/noprice.conf\"" "$(jq -c ._phx.mls.selectors edit.ndjson)"
printf 'version nothing-matches\ntemplate classic //div[@id="no-such-thing"]\n' > none.conf
phx fetch --source phoenix_mls --selectors none.conf --zip 85031 --rate 1000/s \
	--rejects none.rej > none.ndjson 2> /dev/null
t_eq "a file that matches nothing: exit 1" 1 $?
t_lines "a file that matches nothing: no record" 0 none.ndjson
t_eq "a file that matches nothing: every listing mls.layout_changed" "37 mls.layout_changed" \
	"$(jq -r .code none.rej | sort | uniq -c | awk '{print $1, $2}')"
t_eq "the reject names the URL" 37 "$(jq -r .url none.rej | grep -c -- '-mls_')"
# search results pages: their lines are data too
s="$PHOENIX_MLS_BASE_URL/mls/search/?PostalCode=85031&pg=1&Limit=25"
phx fetch --source phoenix_mls --rate 1000/s --check-selectors "$s" > search.ndjson 2> /dev/null
t_eq "--check-selectors on a results page: 25 cards of 37" '"search" 25 37' \
	"$(head -1 search.ndjson | jq -c '.page, .cards, .count' | paste -sd' ')"
t_eq "--check-selectors on a results page: one line per search line" \
	"$(grep -c '^search ' "$PHX_TOP/etc/mls-selectors.conf")" \
	"$(jq -c 'select(.kind == "search")' search.ndjson | wc -l)"
curl -sf "$s" | sed 's/flexmls_connect__sr_result/idx-result/g' > search-renamed.html
phx fetch --source phoenix_mls --check-selectors search-renamed.html > sr1.ndjson 2> /dev/null
t_eq "renamed card class: no card, exit 1" "1 0" "$? $(head -1 sr1.ndjson | jq .cards)"
sed "s/ flexmls_connect__sr_result '/ idx-result '/" "$PHX_TOP/etc/mls-selectors.conf" > cards.conf
phx fetch --source phoenix_mls --selectors cards.conf --check-selectors search-renamed.html \
	> sr2.ndjson 2> /dev/null
t_eq "renamed card class: the edited search card line finds the 25" "0 25" \
	"$? $(head -1 sr2.ndjson | jq .cards)"

printf 'bogus line\n' > bad.conf
phx fetch --source phoenix_mls --selectors bad.conf --zip 85031 --rate 1000/s > /dev/null 2> bad.err
t_eq "a broken selectors file: exit 78" 78 $?
t_contains "a broken selectors file: the line is named" "bad.conf" bad.err
mls_stop
