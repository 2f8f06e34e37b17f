#!/usr/bin/env bash
# kill -9 in the middle of a ZIP, then the same command again: together the two
# runs emit every parcel of 85031 exactly once.
. "$PHX_TOP/tests/lib.sh"
. "$PHX_TOP/tests/servers/maricopa.sh"

# Slow answers, so the kill lands while requests are in flight, mid-run.
mc_start --delay-ms 30 || exit 1
mc_list 85031 | sort > want.apns

# The tool itself in the background (not the phx function), so $! is its pid;
# the output file exists before the loop below first reads it.
: > run1.ndjson
${PHX_WRAP:-} "$PHX_BIN/phx-fetch" --source maricopa --zip 85031 --rate 1000/s \
	> run1.ndjson 2> err1 &
pid=$!
i=0
while [ "$(wc -l < run1.ndjson)" -lt 1500 ] && kill -0 $pid 2>/dev/null; do
	i=$((i + 1)); [ $i -gt 600 ] && break; sleep 0.05
done
kill -9 $pid
wait $pid
t_eq "first run was killed by SIGKILL" 137 $?
n1=$(wc -l < run1.ndjson)
echo "# killed after $n1 records, $(wc -l < "$MC_LOG") requests"
t_ge "first run got somewhere" 1500 "$n1"
t_le "first run did not finish" 6600 "$n1"
# Only whole lines: a killed run never leaves half a record.
t_eq "first run's output is whole JSON lines" "$n1" "$(jq -c .apn run1.ndjson | wc -l)"

run1_requests=$(wc -l < "$MC_LOG")
phx fetch --source maricopa --zip 85031 --rate 1000/s > run2.ndjson 2> err2
t_eq "second run: exit 0" 0 $?
cat run1.ndjson run2.ndjson > both.ndjson
t_eq "together: every parcel" "$(cat want.apns)" "$(jq -r .apn both.ndjson | sort -u)"
# A page goes out in one write, between staging its cursor and committing it
# with a rename, so a kill repeats nothing (the window left is one rename).
t_lines "together: each exactly once" 6632 both.ndjson
# The second run asks only for what the first did not finish: the pages not
# done (at most one done page is not marked yet) and page 1 for the total.
run2_requests=$(($(wc -l < "$MC_LOG") - run1_requests))
echo "# second run: $run2_requests requests"
t_le "second run did not start over" $((266 - n1 / 25 + 2)) "$run2_requests"
mc_stop
mc_no_token "token in no output, journal or server log" run1.ndjson run2.ndjson err1 err2 \
	"$PHX_STATE_DIR" "$MC_DIR"
