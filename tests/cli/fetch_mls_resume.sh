#!/usr/bin/env bash
# kill -9 in the middle of an MLS run, then run again: every listing comes
# out once over the two runs, and no detail page whose record the first run
# wrote is fetched again; SIGTERM stops it cleanly (exit 143) the same way.
. "$PHX_TOP/tests/lib.sh"
. "$PHX_TOP/tests/servers/mls.sh"

mls_start || exit 1
mls_list 85033 | sort > want
"$PHX_BIN/phx-fetch" --source phoenix_mls --zip 85033 --rate 20/s > first.ndjson 2> first.err &
pid=$!
i=0
while [ "$(wc -l < first.ndjson)" -lt 10 ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
kill -9 $pid
wait $pid 2>/dev/null
n1=$(wc -l < first.ndjson)
t_check "killed part way: some records out, not all" test "$n1" -ge 10 -a "$n1" -lt 53
jq -r '.listing.url | sub("^http://[^/]*"; "")' first.ndjson | sort > got1
: > "$MLS_LOG"
phx fetch --source phoenix_mls --zip 85033 --rate 1000/s > second.ndjson 2> second.err
t_eq "second run: exit 0" 0 $?
jq -r '.listing.url | sub("^http://[^/]*"; "")' second.ndjson | sort > got2
t_eq "every listing once over the two runs" "$(cat want)" "$(sort got1 got2)"
t_eq "no page the first run wrote is fetched again" 0 \
	"$(jq -r 'select(.kind == "detail") | .path' "$MLS_LOG" | grep -c -x -F -f got1)"

rm -rf "$PHX_STATE_DIR"
"$PHX_BIN/phx-fetch" --source phoenix_mls --zip 85033 --rate 20/s > term.ndjson 2> term.err &
pid=$!
i=0
while [ "$(wc -l < term.ndjson)" -lt 5 ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
kill -TERM $pid
wait $pid
t_eq "SIGTERM: exit 143" 143 $?
t_eq "SIGTERM: whole lines only" 0 "$(jq -c . term.ndjson > /dev/null 2>&1; echo $?)"
phx fetch --source phoenix_mls --zip 85033 --rate 1000/s > rest.ndjson 2> /dev/null
t_eq "SIGTERM: the rest on the next run" 53 "$(cat term.ndjson rest.ndjson | wc -l)"
mls_stop
