#!/usr/bin/env bash
# phx-fetch --source phoenix_mls obeys robots.txt: Disallow and Allow (the
# longest rule wins), its own group before "*", Crawl-delay; disallowed
# links are never fetched and are counted in the run summary; the file is
# cached in the state directory; no file (404) allows all, an unreachable
# one (503) allows nothing.
. "$PHX_TOP/tests/lib.sh"
. "$PHX_TOP/tests/servers/mls.sh"

summary() { jq -c 'select(.tool == "phx-fetch")' "$PHX_STATE_DIR/runs.ndjson" | tail -1 | jq -c "$1"; }
fresh() { rm -rf "$PHX_STATE_DIR"; : > "$MLS_LOG"; }

mls_start --robots disallow-search || exit 1
phx fetch --source phoenix_mls --zip 85031 --rate 1000/s --rejects rej.ndjson > out.ndjson 2> err.txt
t_lines "Disallow /mls/search: no record" 0 out.ndjson
t_eq "Disallow /mls/search: no search page asked" 0 "$(mls_count '.kind == "search"')"
t_eq "Disallow /mls/search: the request rejected" mls.robots_disallowed "$(jq -r .code rej.ndjson)"
t_eq "Disallow /mls/search: counted" 1 "$(summary .metrics.robots_disallowed)"
t_check "robots.txt cached in the state directory" \
	grep -q "Disallow: /mls/search" "$PHX_STATE_DIR"/fetch/robots/127.0.0.1_*.txt

# Disallow: /mls/*-mls_6940, Allow: /mls/*-mls_69400 (longer: wins)
fresh
mls_start --robots disallow-some || exit 1
mls_list 85031 | sort > all.31
grep -E -- '-mls_6940[1-9]' all.31 > off.31
grep -v -E -- '-mls_6940[1-9]' all.31 > on.31
phx fetch --source phoenix_mls --zip 85031 --rate 1000/s > some.ndjson 2> some.err
t_eq "Disallow with wildcard: exit 0 (skipped links are no rejects)" 0 $?
jq -r '.listing.url | sub("^http://[^/]*"; "")' some.ndjson | sort > got.31
t_eq "only the allowed listings, each once" "$(cat on.31)" "$(cat got.31)"
t_eq "no disallowed page was asked" 0 \
	"$(jq -r 'select(.kind == "detail") | .path' "$MLS_LOG" | grep -c -F -f off.31)"
t_eq "Allow beats a shorter Disallow: the 69400xx listings" \
	"$(grep -c -- '-mls_69400' all.31)" "$(grep -c -- '-mls_69400' got.31)"
t_eq "the disallowed links are counted" "$(wc -l < off.31)" "$(summary .metrics.robots_disallowed)"

# a group for phx-fetch wins over "*"
fresh
mls_start --robots phx-group || exit 1
phx fetch --source phoenix_mls --zip 85031 --rate 1000/s > grp.ndjson 2> /dev/null
t_eq "our own group is obeyed over *" 0 "$(mls_count '.kind == "search"')"

# Disallow: / : nothing but robots.txt
fresh
mls_start --robots disallow-all || exit 1
u=$(head -1 all.31)
echo "{\"source\":\"phoenix_mls\",\"url\":\"$PHOENIX_MLS_BASE_URL$u\"}" |
	phx fetch --rate 1000/s --rejects all.rej > all.ndjson 2> /dev/null
t_eq "Disallow /: only robots.txt asked" robots "$(jq -r .kind "$MLS_LOG" | sort -u | paste -sd' ')"
t_eq "Disallow /: a URL request rejected" mls.robots_disallowed "$(jq -r .code all.rej)"

# no robots.txt: everything allowed; unreachable: nothing
fresh
mls_start --robots missing || exit 1
echo "{\"source\":\"phoenix_mls\",\"url\":\"$PHOENIX_MLS_BASE_URL$u\"}" |
	phx fetch --rate 1000/s > miss.ndjson 2> /dev/null
t_lines "robots.txt 404: the page is fetched" 1 miss.ndjson
fresh
mls_start --robots 503 || exit 1
echo "{\"source\":\"phoenix_mls\",\"url\":\"$PHOENIX_MLS_BASE_URL$u\"}" |
	phx fetch --rate 1000/s --retries 1 > down.ndjson 2> down.err
t_eq "robots.txt unreachable: exit 69" 69 $?
t_eq "robots.txt unreachable: no page asked" 0 "$(mls_count '.kind == "detail"')"
t_contains "robots.txt unreachable: said" "robots.txt could not be read" down.err

# Crawl-delay: 2 slows a run given --rate 1000/s (lower bounds only)
fresh
printf 'User-agent: *\nCrawl-delay: 2\n' > delay.txt
mls_start --robots-file "$T/delay.txt" || exit 1
head -3 all.31 | while read -r p; do
	echo "{\"source\":\"phoenix_mls\",\"url\":\"$PHOENIX_MLS_BASE_URL$p\"}"
done | phx fetch --rate 1000/s > delay.ndjson 2> /dev/null
t_lines "Crawl-delay: three records" 3 delay.ndjson
gaps=$(jq -s '[.[] | select(.kind == "detail") | .t] | [range(1; length) as $i | (.[$i] - .[$i - 1])] | map(select(. < 1.9)) | length' "$MLS_LOG")
t_eq "Crawl-delay: 2 s at least between pages" 0 "$gaps"
mls_stop
