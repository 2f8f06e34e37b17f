#!/usr/bin/env bash
# phx-report --daily on a store filled by phx-store from fixture records and
# on hand-written journals: the counts, rejects, listings, statistics, SLA,
# spend, health and alerts of one Phoenix day, in text, NDJSON, HTML
# (hostile values escaped, three SVG charts, no script) and CSV.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
# shellcheck source=tests/fixtures/store/lib.sh
. "$PHX_TOP/tests/fixtures/store/lib.sh"
export PHX_STATE_DIR=$T/state PHX_DB=sqlite:$T/p.db PHX_PRICES=$T/prices.conf
mkdir -p "$PHX_STATE_DIR/rejects"
D=2025-06-01
NOW=2025-06-01T23:00:00Z	# 16:00 in Phoenix
rep() { phx report --now "$NOW" "$@"; }

cat > "$PHX_PRICES" <<'EOF'
limit budget 25.00
unit webshare proxy_bytes 1.00 per 1000000 from 2025-01-01 category proxy
EOF

# listing2 KEY ZIP PRICE AT STREET BEDS BATHS URL: an MLS observation with more facts
listing2() {
	jq -nc --arg key "$1" --arg zip "$2" --argjson price "$3" --arg at "$4" --arg street "$5" \
		--argjson beds "$6" --argjson baths "$7" --arg url "$8" \
		'{property_id:("addr:" + $key), apn:null, address_key:$key,
		  address:{street:$street, city:"PHOENIX", zip:$zip}, property_type:"single_family",
		  features:{bedrooms:$beds, bathrooms:$baths}, parcel:null,
		  listing:{mls_id:("M" + ($price|tostring)), status:"active", list_price:$price, url:$url},
		  source:"phoenix_mls", observed_at:$at}'
}

# Before the day: a parcel and its listing at 350,000.
{
	parcel 101 85031 289100 2025-05-20T10:00:00Z
	listing "85031|101|main st|" 85031 350000 2025-05-20T12:00:00Z
} > "$T/before.ndjson"
phx store --date 2025-05-20 "$T/before.ndjson" > /dev/null 2> "$T/store1.err"
t_eq "the day before is stored" 0 $?

# The day: the price drops to 340,000; two new listings, one with hostile
# text; a line that is not JSON.
HOSTILE='<script>alert(1)</script> & "Quote", Apt'
{
	listing "85031|101|main st|" 85031 340000 2025-06-01T15:00:00Z
	listing2 "85032|7|oak st|" 85032 200000 2025-06-01T16:00:00Z "7 OAK ST" 3 2.5 \
		"https://mls.example/l/7"
	listing2 "85033|9|elm st|" 85033 123456 2025-06-01T17:00:00Z "$HOSTILE" 2 1 \
		'javascript:alert(2)'
	echo 'not json'
} > "$T/day.ndjson"
phx store --date "$D" "$T/day.ndjson" > /dev/null 2> "$T/store2.err"
t_eq "the day is stored, one line rejected" 1 $?

# Journals: rejects of another tool (one of them before the Phoenix day
# began), runs, usage, an alert, a health check.
for at in 2025-06-01T20:00:00Z 2025-06-01T21:00:00Z 2025-06-01T22:00:00Z 2025-06-01T03:00:00Z; do
	printf '{"phx":"reject","tool":"phx-validate","code":"schema.range","reason":"features.year_built: 2091 is above the maximum 2027","input":{"file":"fetched.ndjson","line":7,"offset":0},"at":"%s","record":{}}\n' "$at"
done >> "$PHX_STATE_DIR/rejects/phx-validate-$D.ndjson"
cat >> "$PHX_STATE_DIR/runs.ndjson" <<'EOF'
{"phx":"run","tool":"phx-fetch","started":"2025-06-01T19:00:00Z","ended":"2025-06-01T20:00:00Z","in":1,"out":1000,"rejected":10,"exit":1,"codes":{},"metrics":{"requests":1000,"retries":0,"latency_ms_avg":400,"latency_ms_p95":800}}
{"phx":"run","tool":"phx-health","started":"2025-06-01T21:00:00Z","ended":"2025-06-01T21:00:01Z","in":0,"out":0,"rejected":0,"exit":1,"codes":{},"metrics":{}}
EOF
printf '{"phx":"usage","tool":"phx-fetch","at":"2025-06-01T20:00:00Z","service":"webshare","what":"proxy_bytes","qty":250000,"run":"r"}\n' \
	>> "$PHX_STATE_DIR/usage.ndjson"
printf '{"phx":"alert","tool":"phx-cost","at":"2025-06-01T18:00:00Z","key":"cost.day","state":"WARNING","message":"day spend <b>high</b>"}\n' \
	>> "$PHX_STATE_DIR/alerts.ndjson"

# NDJSON: the model itself.
rep --daily "$D" --format ndjson > "$T/r.ndjson" 2> "$T/r.err"
t_eq "ndjson: exit 0" 0 $?
t_lines "ndjson: one line" 1 "$T/r.ndjson"
j() { jq -c "$1" "$T/r.ndjson"; }
t_eq "the day's totals from daily_reports" '[2,1,1]' "$(j '.collection.totals | [.new, .updated, .rejected]')"
t_eq "per ZIP" '[1,1,1]' "$(j '.collection.by_zip | [.["85031"].updated, .["85032"].new, .["85033"].new]')"
# (phx-store's own reject was written now, on another day than D)
t_eq "rejects of the Phoenix day only" 3 "$(j .rejects.total)"
t_eq "top codes with counts and an example" '[["schema.range",3,"phx-validate"]]' \
	"$(j '[.rejects.top[] | [.code, .count, .tool]]')"
t_eq "the example's reason" '"features.year_built: 2091 is above the maximum 2027"' \
	"$(j '.rejects.top[0].reason')"
t_eq "new listings, ZIP order" '["addr:85032|7|oak st|","addr:85033|9|elm st|"]' \
	"$(j '[.new_listings[].property_id]')"
t_eq "a new listing's facts" '["7 OAK ST, PHOENIX","85032",200000,3,2.5,"https://mls.example/l/7"]' \
	"$(j '.new_listings[0] | [.address, .zip, .price, .beds, .baths, .url]')"
t_eq "the price change" '[["apn:101",350000,340000]]' \
	"$(j '[.price_changes[] | [.property_id, .old_price, .price]]')"
t_eq "value statistics per ZIP" '[289100,340000]' \
	"$(j '.zip_stats["85031"] | [.value.median, .price.median]')"
t_eq "SLA figures of the day" '[1,1000,99,1]' \
	"$(j '.sla | [.fetch_runs, .fetched, (.success_pct|floor), .error_pct]')"
t_eq "spend of the day and month to date" '[250000,250000]' \
	"$(j '.spend | [.day_usd_micros, .month_usd_micros]')"
t_eq "health: the last phx-health run" '"WARNING"' "$(j .health.state)"
t_eq "alerts of the day" '["cost.day"]' "$(j '[.alerts[].key]')"
t_eq "30 days of history, ending with the day" '[30,"2025-05-03","2025-06-01"]' \
	"$(j '.history | [length, .[0].date, .[-1].date]')"
t_eq "history: collected, spend and reject rate of the day" '[3,250000,1]' \
	"$(j '.history[-1] | [.properties, .spend_usd_micros, (.reject_pct|floor)]')"
t_eq "history: the day before the first store is empty" '[0,0,null]' \
	"$(j '.history[0] | [.properties, .spend_usd_micros, .reject_pct]')"

# Text: what the pipelines write into daily-DATE.txt.
rep --daily "$D" --format text > "$T/r.txt" 2> "$T/r.err"
t_eq "text: exit 0" 0 $?
t_contains "text: subject line" "phx daily report $D — 2 new, 1 updated, 1 rejected" "$T/r.txt"
t_contains "text: the price change" '$350,000 -> $340,000 (-2.9%)' "$T/r.txt"
t_contains "text: the top reject code, where its example came from" \
	"schema.range                  3  e.g. phx-validate (fetched.ndjson:7):" "$T/r.txt"
t_contains "text: SLA with targets" "success 99.0% [> 95%]" "$T/r.txt"
t_contains "text: spend" 'day $0.2500, month to date $0.2500 of $25.0000' "$T/r.txt"
t_contains "text: health" "Health: WARNING" "$T/r.txt"
t_contains "text: rooms" "3 bd / 2.5 ba" "$T/r.txt"
t_contains "text: the time as a person in Phoenix reads it" \
	"generated 2025-06-01 16:00 Phoenix (2025-06-01T23:00:00Z)" "$T/r.txt"
t_eq "the date defaults to today in Phoenix (--now)" "$(head -1 "$T/r.txt")" \
	"$(rep --daily 2> /dev/null | head -1)"
t_eq "--daily is the default report" "$(head -1 "$T/r.txt")" "$(rep 2> /dev/null | head -1)"

# HTML: escaped, charts, no script.
rep --daily "$D" --format html > "$T/r.html" 2> "$T/r.err"
t_eq "html: exit 0" 0 $?
t_absent "html: the hostile address is not markup" "<script" "$T/r.html"
t_contains "html: the hostile address is shown, escaped" \
	'&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Quote&quot;, Apt' "$T/r.html"
t_absent "html: no javascript: link" 'href="javascript' "$T/r.html"
t_contains "html: the alert's markup is escaped" 'day spend &lt;b&gt;high&lt;/b&gt;' "$T/r.html"
/usr/bin/python3 - "$T/r.html" > "$T/html.check" 2>&1 <<'EOF'
import sys
import lxml.html
doc = lxml.html.parse(sys.argv[1]).getroot()
print("script", len(doc.xpath("//script")))
print("svg", len(doc.xpath("//*[local-name()='svg']")))
print("bars", len(doc.xpath("(//*[local-name()='svg'])[1]/*[local-name()='rect']")))
print("links", " ".join(doc.xpath("//a/@href")))
print("on", len(doc.xpath("//@*[starts-with(name(), 'on')]")))
EOF
t_eq "html: parsed: no script, 3 charts, 30 bars + background, one link, no handlers" \
	"script 0|svg 3|bars 31|links https://mls.example/l/7|on 0" "$(paste -sd'|' "$T/html.check")"

# CSV: RFC 4180 through libcsv; fields read back exactly.
rep --daily "$D" --csv > "$T/r.csv" 2> "$T/r.err"
t_eq "csv: exit 0" 0 $?
t_eq "csv: CRLF line ends" 4 "$(grep -c $'\r$' "$T/r.csv")"
/usr/bin/python3 - "$T/r.csv" > "$T/csv.check" 2>&1 <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
print(",".join(rows[0]))
for r in rows[1:]:
    print(r[1], r[2], r[3], r[5], r[6], "|" + r[4] + "|")
EOF
t_eq "csv: header and rows read back" \
"date,change,property_id,zip,address,price,old_price,beds,baths,url
new addr:85032|7|oak st| 85032 200000  |7 OAK ST, PHOENIX|
new addr:85033|9|elm st| 85033 123456  |$HOSTILE, PHOENIX|
price_change apn:101 85031 340000 350000 |101 MAIN ST|" "$(cat "$T/csv.check")"

# The reader goes away before the report is written (EPIPE): a quiet exit 0.
rep --daily "$D" --format html 2> "$T/pipe.err" | { exec 0<&-; sleep 1; }
t_eq "reader gone: exit 0" 0 "${PIPESTATUS[0]}"
t_eq "reader gone: nothing said" "" "$(cat "$T/pipe.err")"
rep --daily "$D" --format html > /dev/full 2> "$T/full.err"
t_eq "disk full: exit 74" 74 $?
t_contains "disk full: it says so" "stdout:" "$T/full.err"

# Usage errors and an unreachable store.
rep --format xml > /dev/null 2>&1
t_eq "--format xml: usage error" 64 $?
rep --daily 2026-02-30 > /dev/null 2>&1
t_eq "not a date: usage error" 64 $?
rep --overnight "$D" > /dev/null 2>&1
t_eq "--overnight takes no date" 64 $?
rep --daily --weekly > /dev/null 2>&1
t_eq "two reports: usage error" 64 $?
rep --weekly --csv > /dev/null 2>&1
t_eq "--csv is for --daily" 64 $?
rep --daily "$D" --db "sqlite:$T/missing/none.db" > "$T/nostore.txt" 2> "$T/nostore.err"
t_eq "no store: exit 69" 69 $?
t_contains "no store: the report still comes, saying so" "STORE UNAVAILABLE" "$T/nostore.txt"
t_contains "no store: the rejects are still counted" "Rejects: 3" "$T/nostore.txt"

# The same day stored in MongoDB (the test peer) gives the same report.
if mongo_start; then
	export MONGODB_DATABASE=t_report
	phx store --db "$MONGO_URI" --date 2025-05-20 "$T/before.ndjson" > /dev/null 2>&1
	phx store --db "$MONGO_URI" --date "$D" "$T/day.ndjson" > /dev/null 2>&1
	rep --daily "$D" --format ndjson --db "$MONGO_URI" > "$T/mongo.ndjson" 2> "$T/mongo.err"
	t_eq "mongodb: exit 0" 0 $?
	t_eq "mongodb: the same report as SQLite" "$(jq -cS 'del(.generated, .store)' "$T/r.ndjson")" \
		"$(jq -cS 'del(.generated, .store)' "$T/mongo.ndjson")"
	mongo_stop
else
	t_fail "MongoDB peer (tests/servers/congodb.sh) starts" "$(cat "$T/congodb.err" 2>/dev/null)"
fi
