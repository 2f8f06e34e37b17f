#!/usr/bin/env bash
# pipelines/emergency-stop during a running daily-collect: the run stops
# within seconds (exit 143), every record phx-fetch emitted is in the store
# (the stages after it drain their input), the stop is in the log, and after
# --clear the next run completes the ZIP: every parcel stored once.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
# shellcheck source=tests/servers/maricopa.sh
. "$PHX_TOP/tests/servers/maricopa.sh"
mc_start --delay-ms 30 || { t_fail "stand-in assessor starts"; exit 0; }
# the MLS step of daily-collect asks the stand-in site, never the real one
# shellcheck source=tests/servers/mls.sh
. "$PHX_TOP/tests/servers/mls.sh"
mls_start || { t_fail "stand-in MLS site starts"; exit 0; }
export PHX_DB=$T/phoenix.db TARGET_ZIP_CODES=85031 PHX_DETAILS_MAX=5
export PHX_FETCH_ARGS="--rate 1000/s" PHX_REPORT_DIR=$T/reports
P=$PHX_TOP/pipelines
"$P/daily-collect" > dc.out 2> dc.err &
pid=$!
i=0
while [ "$(mc_count '.path | startswith("/search/")')" -lt 20 ] && kill -0 $pid 2>/dev/null; do
	i=$((i + 1)); [ $i -gt 400 ] && break; sleep 0.05
done
made=$(date +%s.%N)
"$P/emergency-stop" --wait 10 > es.out 2> es.err
es_rc=$?
wait $pid
rc=$?
took=$(echo "$(date +%s.%N) - $made" | bc)
echo "# daily-collect ended $took s after emergency-stop started"
t_eq "daily-collect ended within 5 s of the stop" 1 "$(echo "$took < 5" | bc)"
t_eq "emergency-stop saw the pipeline end within its wait: exit 0" 0 "$es_rc"
t_contains "emergency-stop says none is running" "no pipeline running" es.err
t_eq "daily-collect stopped by the stop file: exit 143" 143 "$rc"
t_contains "its log says it stopped and what it stored" "stopped (stop file or signal)" dc.err
fetch=$(jq -c 'select(.tool=="phx-fetch")' "$PHX_STATE_DIR/runs.ndjson" | tail -n 1)
t_eq "phx-fetch's summary says the stop file stopped it" '"STOP file"' "$(jq -c .stopped <<< "$fetch")"
out=$(jq .out <<< "$fetch")
t_ge "it had fetched something" 1 "$out"
t_le "but not the whole ZIP" "$(( $(mc_list 85031 | wc -l) - 1 ))" "$out"
PHX_IGNORE_STOP=1 phx store export --zip 85031 > part.ndjson
t_eq "every record phx-fetch emitted is stored" "$out" "$(wc -l < part.ndjson)"
t_eq "no details step started after the stop" 0 "$(mc_count '.path | startswith("/parcel/")')"
"$P/emergency-stop" --clear 2> /dev/null
"$P/daily-collect" > dc2.out 2> dc2.err
t_eq "after --clear the next run completes: exit 0" 0 $?
t_eq "nothing lost: every parcel of the ZIP is stored, once" "$(mc_list 85031 | sort)" \
	"$(phx store export --zip 85031 | jq -r 'select(any(.sources[]; .source == "maricopa")) | .apn' | sort)"
mc_no_token "the token is in no output, journal or log"
