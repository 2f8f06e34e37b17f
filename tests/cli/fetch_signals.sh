#!/usr/bin/env bash
# EPIPE: `phx-fetch ... | head -3` stops early, exit 0, few requests spent.
# SIGTERM: no new requests, the summary is written, exit 143, and a re-run
# picks up where it stopped.
. "$PHX_TOP/tests/lib.sh"
. "$PHX_TOP/tests/servers/maricopa.sh"

mc_start --delay-ms 20 || exit 1
phx fetch --source maricopa --zip 85031 --rate 1000/s 2> err.pipe | head -n 3 > head.out
t_eq "EPIPE: phx-fetch exits 0" 0 "${PIPESTATUS[0]}"
t_lines "EPIPE: head got its 3 lines" 3 head.out
sleep 0.3
n=$(wc -l < "$MC_LOG")
echo "# EPIPE after $n requests"
t_le "EPIPE: a handful of requests, not all 266" 20 "$n"
t_eq "EPIPE: no error message" "" "$(cat err.pipe)"

mc_stop
mc_start --delay-ms 40 || exit 1
mc_list 85031 | sort > want.apns
# The tool itself in the background (not the phx function), so $! is its pid;
# the output file exists before the loop below first reads it.
: > term1.ndjson
${PHX_WRAP:-} "$PHX_BIN/phx-fetch" --source maricopa --zip 85031 --rate 1000/s \
	> term1.ndjson 2> err.term &
pid=$!
i=0
while [ "$(wc -l < term1.ndjson)" -lt 100 ] && kill -0 $pid 2>/dev/null; do
	i=$((i + 1)); [ $i -gt 400 ] && break; sleep 0.05
done
kill -TERM $pid
sent=$(date +%s.%N)
wait $pid
t_eq "SIGTERM: exit 143" 143 $?
t_eq "SIGTERM: the run summary says 143" '"phx-fetch" 143' \
	"$(tail -n 1 "$PHX_STATE_DIR/runs.ndjson" | jq -c '.tool, .exit' | paste -sd' ')"
t_eq "SIGTERM: the summary counts what was emitted" "$(wc -l < term1.ndjson)" \
	"$(tail -n 1 "$PHX_STATE_DIR/runs.ndjson" | jq .out)"
t_eq "SIGTERM: no request started after the signal" 0 \
	"$(mc_count ".t > $sent + 0.1")"
phx fetch --source maricopa --zip 85031 --rate 1000/s > term2.ndjson 2> err.term2
t_eq "after SIGTERM: the re-run completes, exit 0" 0 $?
cat term1.ndjson term2.ndjson > both.ndjson
t_eq "after SIGTERM: every parcel" "$(cat want.apns)" "$(jq -r .apn both.ndjson | sort -u)"
t_lines "after SIGTERM: each exactly once" 6632 both.ndjson
mc_stop
mc_no_token "token in no output, journal or server log" ./*.ndjson err.* "$PHX_STATE_DIR" \
	"$T"/mc.*/requests.ndjson
