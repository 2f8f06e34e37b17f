#!/usr/bin/env bash
# The pipelines on the stand-in assessor: daily-collect stores every parcel
# of the ZIP and the details asked for, writes the report, never shows the
# token; a second copy of a running pipeline is refused (flock); the stop
# file keeps pipelines from starting; weekly-maintenance rotates the
# dead-letter files (gzip after 7 days, delete after 30); the others run.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
# shellcheck source=tests/servers/maricopa.sh
. "$PHX_TOP/tests/servers/maricopa.sh"
mc_start || { t_fail "stand-in assessor starts"; exit 0; }
# the MLS step of daily-collect asks the stand-in site, never the real one
# shellcheck source=tests/servers/mls.sh
. "$PHX_TOP/tests/servers/mls.sh"
mls_start || { t_fail "stand-in MLS site starts"; exit 0; }
export PHX_DB=$T/phoenix.db TARGET_ZIP_CODES=85031 PHX_DETAILS_MAX=25
export PHX_FETCH_ARGS="--rate 1000/s" PHX_REPORT_DIR=$T/reports
P=$PHX_TOP/pipelines

"$P/daily-collect" > dc.out 2> dc.err
t_eq "daily-collect exits 0" 0 $?
want=$(mc_list 85031 | wc -l)
phx store export --zip 85031 > stored.ndjson
t_eq "every parcel of 85031 is stored" "$want" \
	"$(jq -c 'select(any(.sources[]; .source == "maricopa"))' stored.ndjson | wc -l)"
# one store result per listing: several listings of one parcel share its
# document, so the documents alone would undercount
t_eq "every MLS listing of 85031 is fetched once and stored" "$(mls_list 85031 | wc -l)" \
	"$(cat "$PHX_STATE_DIR"/pipelines/runs/*/mls.ndjson | jq -r .result | grep -cE '^(inserted|updated|unchanged)$')"
t_eq "each listing's detail page was asked for once" "$(mls_list 85031 | wc -l)" \
	"$(mls_count '.path | test("-mls_[0-9]+/$")')"
t_ge "listings of parcels the county knows joined them in one document" 20 \
	"$(jq -c 'select([.sources[].source] | index("maricopa") and index("phoenix_mls"))' \
		stored.ndjson | wc -l)"
t_eq "25 parcels' details were fetched" 25 "$(mc_count '.path | startswith("/parcel/")')"
t_eq "those 25 have details in the store" 25 \
	"$(phx store export --zip 85031 | jq -c 'select((.valuation_history | length) > 0)' | wc -l)"
t_contains "the log says the MLS step's fate" "MLS listings" dc.err
t_eq "the daily report is written, as text, HTML and CSV" "csv html txt" \
	"$(find reports -name 'daily-*' -size +0 | sed 's/.*[.]//' | sort | xargs)"
t_contains "the text report counts the day's parcels of 85031" 85031 "$(find reports -name 'daily-*.txt')"
"$P/daily-collect" > dc2.out 2> dc2.err
t_eq "a second run the same day exits 0" 0 $?
t_eq "the second run fetches 25 other parcels' details, the stalest" 50 \
	"$(mc_count '.path | startswith("/parcel/")' )"
t_eq "so 50 parcels have details stored" 50 \
	"$(phx store export --zip 85031 | jq -c 'select((.valuation_history | length) > 0)' | wc -l)"

# overlap: hold the lock as a running daily-collect would
lock=$PHX_STATE_DIR/pipelines/locks/daily-collect.lock
(exec 9>> "$lock"; flock 9; exec sleep 5) &
holder=$!
sleep 0.3
before=$(wc -l < "$MC_LOG")
"$P/daily-collect" > ov.out 2> ov.err
t_eq "a second daily-collect while one runs: exit 75" 75 $?
t_contains "it says it is already running" "already running" ov.err
t_eq "and sent no request" "$before" "$(wc -l < "$MC_LOG")"
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null

"$P/emergency-stop" --wait 1 2> es.err
t_eq "emergency-stop with nothing running: exit 0" 0 $?
for p in daily-collect morning-check weekly-maintenance; do
	"$P/$p" > /dev/null 2> "$p.stop.err"
	t_eq "$p refuses to start during a stop: exit 75" 75 $?
	t_contains "$p names the stop file" "remove $PHX_STATE_DIR/STOP" "$p.stop.err"
done
"$P/emergency-stop" --clear 2> /dev/null
t_eq "emergency-stop --clear removes the file" "" "$(ls "$PHX_STATE_DIR/STOP" 2>/dev/null)"

rej=$PHX_STATE_DIR/rejects
mkdir -p "$rej"
echo '{}' > "$rej/phx-validate-old.ndjson"; touch -d '8 days ago' "$rej/phx-validate-old.ndjson"
echo '{}' > "$rej/phx-validate-new.ndjson"
echo x | gzip > "$rej/phx-fetch-ancient.ndjson.gz"; touch -d '31 days ago' "$rej/phx-fetch-ancient.ndjson.gz"
# a fetch index as phx-fetch appends it: a key fetched three times, a line cut short
idx=$PHX_STATE_DIR/fetch/mls-details.idx
mkdir -p "${idx%/*}"
printf 'a1 100\nb2 200\na1 300\nc3\na1 250\n' > "$idx"
"$P/weekly-maintenance" > wk.out 2> wk.err
t_eq "weekly-maintenance exits 0" 0 $?
t_eq "the fetch index keeps one line a key, the last one appended" "a1 250|b2 200" \
	"$(paste -sd'|' "$idx")"
t_contains "and logs how far it shrank" "mls-details.idx: lines 5 -> 2" wk.err
t_eq "the index stays private" 600 "$(stat -c %a "$idx")"
t_eq "a reject file 8 days old is gzipped" "$rej/phx-validate-old.ndjson.gz" \
	"$(ls "$rej"/phx-validate-old*)"
t_eq "a reject file of today is left as it is" "$rej/phx-validate-new.ndjson" \
	"$(ls "$rej"/phx-validate-new*)"
t_eq "a gzipped one 31 days old is deleted" "" "$(ls "$rej"/phx-fetch-ancient* 2>/dev/null)"
t_contains "weekly-maintenance indexes the store" "phx-store index: exit 0" wk.err
# morning-check exits with the worst of its checks; here phx-health is what
# decides (the MLS site cannot be reached from a test: sources is CRITICAL)
phx health > health.out 2> /dev/null
hrc=$?
"$P/morning-check" > morning-check.out 2> morning-check.err
rc=$?
t_eq "morning-check exits with phx-health's status" "$hrc" "$rc"
t_contains "morning-check logs its end" "finished: exit $rc" morning-check.err
t_contains "the morning report has the health summary" "PHX-HEALTH" "reports/morning-$(TZ=America/Phoenix date +%F).txt"
for p in evening-report monthly-maintenance; do
	"$P/$p" > "$p.out" 2> "$p.err"
	rc=$?
	t_le "$p exits 0 or 1 (was $rc)" 1 "$rc"
	t_contains "$p logs its end" "finished: exit $rc" "$p.err"
done
t_eq "the monthly report has the store's figures" 1 \
	"$(grep -c '^store ' reports/monthly-*.txt)"
mc_no_token "the token is in no output, journal, report or log"
