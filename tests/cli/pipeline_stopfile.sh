#!/usr/bin/env bash
# The emergency stop file $PHX_STATE_DIR/STOP: no tool starts while it exists
# (exit 75 and the message), every tool starts again once it is gone, and a
# running phx-fetch stops within about a second as on SIGTERM: what it had
# fetched is on its stdout, the run summary says why, a re-run completes.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
# shellcheck source=tests/servers/maricopa.sh
. "$PHX_TOP/tests/servers/maricopa.sh"
mkdir -p "$PHX_STATE_DIR"
stop=$PHX_STATE_DIR/STOP
touch "$stop"
for tool in "$PHX_BIN"/phx-*; do
	name=${tool##*/}
	echo '{}' | ${PHX_WRAP:-} "$tool" > "$name.out" 2> "$name.err"
	rc=$?
	t_eq "$name refuses to start while STOP exists: exit 75" 75 "$rc"
	t_eq "$name says why, naming the file" \
		"$name: emergency stop: remove $stop to resume" "$(cat "$name.err")"
	t_eq "$name wrote nothing on stdout" "" "$(cat "$name.out")"
done
t_eq "a refused start writes no run summary" 0 \
	"$(cat "$PHX_STATE_DIR/runs.ndjson" 2>/dev/null | wc -l)"
PHX_IGNORE_STOP=1 phx validate --version > ign.out 2>&1
t_eq "PHX_IGNORE_STOP=1 lets a tool run during a stop" 0 $?
rm -f "$stop"
echo '{}' | phx validate > v.out 2> v.err
t_eq "without STOP phx-validate runs again (exit 1: the record is rejected)" 1 $?

mc_start --delay-ms 40 || exit 1
# the MLS step of daily-collect asks the stand-in site, never the real one
# shellcheck source=tests/servers/mls.sh
. "$PHX_TOP/tests/servers/mls.sh"
mls_start || { t_fail "stand-in MLS site starts"; exit 0; }
: > run1.ndjson
${PHX_WRAP:-} "$PHX_BIN/phx-fetch" --source maricopa --zip 85031 --rate 1000/s \
	> run1.ndjson 2> run1.err &
pid=$!
i=0
while [ "$(wc -l < run1.ndjson)" -lt 50 ] && kill -0 $pid 2>/dev/null; do
	i=$((i + 1)); [ $i -gt 400 ] && break; sleep 0.05
done
touch "$stop"
made=$(date +%s.%N)
wait $pid
rc=$?
took=$(echo "$(date +%s.%N) - $made" | bc)
echo "# phx-fetch stopped $took s after the stop file appeared"
t_eq "STOP during a run: phx-fetch exits 143 as on SIGTERM" 143 $rc
t_eq "STOP during a run: stopped within 3 s" 1 "$(echo "$took < 3" | bc)"
last=$(tail -n 1 "$PHX_STATE_DIR/runs.ndjson")
t_eq "the run summary says the stop file stopped it" '"STOP file" 143' \
	"$(jq -c '.stopped, .exit' <<< "$last" | paste -sd' ')"
t_eq "the summary counts every record emitted" "$(wc -l < run1.ndjson)" "$(jq .out <<< "$last")"
t_eq "every emitted line is whole JSON" "$(wc -l < run1.ndjson)" \
	"$(jq -c . run1.ndjson 2>/dev/null | wc -l)"
t_eq "no request started a second after the stop file" 0 "$(mc_count ".t > $made + 1.2")"
rm -f "$stop"
phx fetch --source maricopa --zip 85031 --rate 1000/s > run2.ndjson 2> run2.err
t_eq "after the stop is cleared the re-run completes" 0 $?
cat run1.ndjson run2.ndjson > both.ndjson
t_eq "nothing lost: every parcel of the ZIP, once" "$(mc_list 85031 | sort)" \
	"$(jq -r .apn both.ndjson | sort)"
mc_stop
mc_no_token "the token is in no output or journal"
