#!/usr/bin/env bash
# phx-store as a stream: SIGTERM in the middle (finish the batch in hand,
# exit 143, every line on stdout is stored and every stored record has its
# line), a reader that goes away (exit 0), input from stdin and '-', the run
# summary.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
# shellcheck source=tests/fixtures/store/lib.sh
. "$PHX_TOP/tests/fixtures/store/lib.sh"

n=60000
[ "${PHX_SAN:-0}" = 1 ] && n=30000
many $n > "$T/in"
db=$T/s.db

# The binary itself, not the phx() wrapper: the signal must reach it.
: > "$T/out"
"$PHX_BIN/phx-store" --db "$db" --batch 500 "$T/in" > "$T/out" 2> "$T/err" &
pid=$!
i=0
while [ "$(wc -l < "$T/out")" -lt 1000 ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i + 1)); done
kill -TERM $pid
wait $pid
t_eq "SIGTERM: exit 143" 143 $?
got=$(wc -l < "$T/out")
t_ge "SIGTERM: some records were stored first" 1000 "$got"
t_le "SIGTERM: it stopped before the end" $((n - 1)) "$got"
t_eq "SIGTERM: every output line is stored, every stored record has its line" "$got" \
	"$(sqlite3 "$db" 'SELECT count(*) FROM properties')"
t_eq "SIGTERM: no half line" "" "$(tail -c 1 "$T/out" | tr -d '\n')"
phx store --db "$db" "$T/in" > "$T/out2" 2> /dev/null
t_eq "after SIGTERM: the next run stores the rest" "$n" \
	"$(sqlite3 "$db" 'SELECT count(*) FROM properties')"
t_eq "after SIGTERM: the rest are new, the first part unchanged" "$((n - got)) $got" \
	"$(grep -c '"inserted"' "$T/out2") $(grep -c '"unchanged"' "$T/out2")"

many 5000 > "$T/in5"
phx store --db "$T/p.db" "$T/in5" 2> "$T/perr" | head -1 > "$T/head"
t_eq "reader gone: exit 0" "0" "${PIPESTATUS[0]}"
t_lines "reader gone: the line it read" 1 "$T/head"

parcel 1 85031 1 2026-11-28T00:00:00Z | phx store --db "$T/i.db" --stats > "$T/o1" 2> "$T/sum"
t_eq "stdin: stored" "inserted" "$(jq -r .result "$T/o1")"
t_eq "--stats: the run summary on stderr" '[1,1,0,{"inserted":1}]' \
	"$(grep '"phx":"run"' "$T/sum" | jq -c '[.in, .out, .rejected, {inserted: .metrics.inserted}]')"
parcel 2 85031 1 2026-11-28T00:00:00Z | phx store --db "$T/i.db" "$T/in5" - > "$T/o2" 2> /dev/null
t_eq "operands then '-': read in order" "apn:1 apn:5000 apn:2" \
	"$(jq -r .property_id "$T/o2" | sed -n '1p;5000p;5001p' | xargs)"
t_contains "the summary is in runs.ndjson" '"tool":"phx-store"' "$PHX_STATE_DIR/runs.ndjson"
