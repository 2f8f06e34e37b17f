#!/usr/bin/env bash
# Two phx-fetch processes against one host share one rate budget: the server
# never sees more requests in a second than the limit allows (rate + burst).
. "$PHX_TOP/tests/lib.sh"
. "$PHX_TOP/tests/servers/maricopa.sh"

rate=5 burst=1 each=10
mc_start --ceiling $((rate + burst)) || exit 1
# Two disjoint sets of parcels, one per process, so the log tells them apart.
mc_list 85031 | head -n $((2 * each)) > apns
head -n "$each" apns | jq -Rc '{source: "maricopa", apn: .}' > a.ndjson
tail -n "$each" apns | jq -Rc '{source: "maricopa", apn: .}' > b.ndjson

phx fetch --rate "$rate/s:$burst" < a.ndjson > a.out 2> a.err &
pa=$!
phx fetch --rate "$rate/s:$burst" < b.ndjson > b.out 2> b.err &
pb=$!
wait $pa; ra=$?
wait $pb; rb=$?
t_eq "both runs exit 0" "0 0" "$ra $rb"
t_lines "first run: a record per parcel" "$each" a.out
t_lines "second run: a record per parcel" "$each" b.out
t_eq "server saw every request" $((2 * each)) "$(mc_count '.path | startswith("/parcel/")')"

# The two runs really overlapped in time (else the test proves nothing).
head -n "$each" apns | jq -R . > a.set
span() { jq -s --slurpfile a a.set --argjson in "$1" \
	'[.[] | select((.path[8:] | IN($a[])) == $in) | .t] | [min, max] | @tsv' -r "$MC_LOG"; }
read -r a0 a1 < <(span true)
read -r b0 b1 < <(span false)
t_eq "the two runs ran at the same time" 1 \
	"$(jq -n --argjson a0 "$a0" --argjson a1 "$a1" --argjson b0 "$b0" --argjson b1 "$b1" \
	'if $a0 < $b1 and $b0 < $a1 then 1 else 0 end')"

mc_report --ceiling $((rate + burst)) > report.json
echo "# $(cat report.json)"
t_le "no 1-second window above rate+burst ($((rate + burst)))" $((rate + burst)) \
	"$(jq .max_in_1s_window report.json)"
t_le "no calendar second above rate+burst" $((rate + burst)) \
	"$(jq .busiest_second.count report.json)"
# n requests with a bucket of size b refilled at r a second take at least (n-b)/r s
# to send; the server sees arrival times, whose jitter (a slow first request
# under valgrind) may shave up to one interval off the span.
t_ge "the whole set took at least (n - burst - 1) / rate seconds (ms)" \
	$(((2 * each - burst - 1) * 1000 / rate)) "$(jq '.span_s * 1000 | floor' report.json)"

mc_stop
mc_no_token "token in no output, journal or server log" a.out b.out a.err b.err \
	"$PHX_STATE_DIR" "$MC_DIR"
