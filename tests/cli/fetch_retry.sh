#!/usr/bin/env bash
# Retry-After is obeyed in both forms (no request reaches the server before the
# time it named), 503s and dropped connections are retried until every record
# is in, and a 404 is not retried.
. "$PHX_TOP/tests/lib.sh"
. "$PHX_TOP/tests/servers/maricopa.sh"

mc_list 85033 | head -n 8 | jq -Rc '{source: "maricopa", apn: .}' > req.ndjson

# Requests that reached the server after a 429 but before its Retry-After ran out.
early() {
	jq -s '[.[] | select(.status == 429)] as $r
		| [.[] as $q | $r[] | select($q.t > .t and $q.t < .retry_until)] | length' "$MC_LOG"
}

for form in seconds date; do
	mc_start --budget 3 --budget-trips 1 --retry-after 1 --retry-after-form "$form" || exit 1
	phx fetch --rate 1000/s --concurrency 1 < req.ndjson > "out.$form" 2> "err.$form"
	t_eq "$form: exit 0 once the server let us in again" 0 $?
	t_lines "$form: every parcel in the end" 8 "out.$form"
	n429=$(mc_count '.status == 429')
	t_ge "$form: the server did answer 429" 1 "$n429"
	echo "# $form: Retry-After $(jq -r 'select(.status == 429) | .retry_after' "$MC_LOG" | head -1)"
	t_eq "$form: no request before the time Retry-After named" 0 "$(early)"
	t_ge "$form: the run summary counts the retry" 1 \
		"$(tail -n 1 "$PHX_STATE_DIR/runs.ndjson" | jq '.metrics.retries // 0')"
	mc_stop
done

# Concurrent requests: the 429 pauses the whole host, not just the one request.
mc_start --budget 2 --budget-trips 1 --retry-after 1.5 || exit 1
phx fetch --rate 1000/s --concurrency 4 < req.ndjson > out.conc 2> err.conc
t_eq "concurrency 4: exit 0" 0 $?
t_lines "concurrency 4: every parcel" 8 out.conc
first=$(jq -s '[.[] | select(.status == 429)] | min_by(.t) | .t' "$MC_LOG")
until=$(jq -s '[.[] | select(.status == 429)] | min_by(.t) | .retry_until' "$MC_LOG")
# In-flight requests may land just after the first 429; new ones must wait.
t_eq "concurrency 4: nothing new sent during the pause" 0 \
	"$(jq -s --argjson f "$first" --argjson u "$until" \
	'[.[] | select(.t > $f + 0.25 and .t < $u)] | length' "$MC_LOG")"
mc_stop

# Two processes: a 429 seen by one pauses the other too (the shared bucket).
mc_start --budget 4 --budget-trips 1 --retry-after 2 || exit 1
mc_list 85035 | head -n 12 | jq -Rc '{source: "maricopa", apn: .}' > two.ndjson
head -n 6 two.ndjson | phx fetch --rate 1000/s --concurrency 1 > out.p1 2> err.p1 &
p1=$!
tail -n 6 two.ndjson | phx fetch --rate 1000/s --concurrency 1 > out.p2 2> err.p2 &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
t_eq "two processes and a 429: both exit 0" "0 0" "$r1 $r2"
t_eq "two processes and a 429: every parcel" 12 "$(cat out.p1 out.p2 | jq -r .apn | sort -u | wc -l)"
first=$(jq -s '[.[] | select(.status == 429)] | min_by(.t) | .t' "$MC_LOG")
until=$(jq -s '[.[] | select(.status == 429)] | min_by(.t) | .retry_until' "$MC_LOG")
t_eq "two processes: neither sends during the other's Retry-After" 0 \
	"$(jq -s --argjson f "$first" --argjson u "$until" \
	'[.[] | select(.t > $f + 0.25 and .t < $u)] | length' "$MC_LOG")"
mc_stop

# 503s (seeded) and dropped connections are retried; the data is complete.
mc_start --fail-rate 0.2 --drop-rate 0.1 --seed 7 || exit 1
phx fetch --rate 1000/s < req.ndjson > out.flaky 2> err.flaky
t_eq "503s and drops: exit 0" 0 $?
t_eq "503s and drops: every parcel once" 8 "$(jq -r .apn out.flaky | sort -u | wc -l)"
t_lines "503s and drops: no duplicate" 8 out.flaky
t_ge "503s and drops: some were retried" 1 "$(mc_count '.status == 503 or .status == 0')"
mc_stop

# Answers cut off after half the body: retried, never taken as data.
mc_start --drop-rate 0.3 --drop-mode partial --seed 3 || exit 1
fetch_within 60 --rate 1000/s < req.ndjson > out.cut 2> err.cut
t_eq "cut-off answers: exit 0" 0 $?
t_eq "cut-off answers: every parcel once" "8 8" \
	"$(jq -r .apn out.cut | sort -u | wc -l) $(wc -l < out.cut)"
t_ge "cut-off answers: some were cut" 1 "$(mc_count '.drop == "partial"')"
t_eq "cut-off answers: no record holds the stand-in's half body" 0 \
	"$(jq -c 'select(.raw.APN == "10306005" and (.raw | length) == 1)' out.cut | wc -l)"
mc_stop

# A server that keeps failing: the retry budget per request is spent, then a
# reject that says how many tries it had, and exit 69 (service down).
mc_start --fail-rate 1 || exit 1
echo '{"source":"maricopa","apn":"103-06-005"}' | phx fetch --rate 1000/s --retries 2 \
	--rejects rej.503 > out.503 2> err.503
t_eq "always 503: exit 69" 69 $?
t_eq "always 503: 1 try + 2 retries reached the server" 3 "$(wc -l < "$MC_LOG")"
t_eq "always 503: the reject says fetch.http_503 after 3 tries" '"fetch.http_503" 3' \
	"$(jq -c '.code, .tries' rej.503 | paste -sd' ')"
mc_stop

# Answers slower than --timeout: each try times out, then a reject.
mc_start --slow-rate 1 --slow-ms 3000 || exit 1
echo '{"source":"maricopa","apn":"103-06-005"}' | fetch_within 15 --rate 1000/s --retries 1 \
	--timeout 0.5 --rejects rej.slow > out.slow 2> err.slow
t_eq "too slow: exit 69 (not a hang)" 69 $?
t_eq "too slow: the reject says fetch.timeout after 2 tries" '"fetch.timeout" 2' \
	"$(jq -c '.code, .tries' rej.slow | paste -sd' ')"
mc_stop

# Nobody listening: every try fails to connect, then a reject and exit 69.
closed=$(t_free_port)
echo '{"source":"maricopa","apn":"103-06-005"}' | MARICOPA_BASE_URL=http://127.0.0.1:$closed \
	fetch_within 15 --rate 1000/s --retries 2 --rejects rej.down > out.down 2> err.down
t_eq "server down: exit 69 (not a hang)" 69 $?
t_eq "server down: fetch.connect after 3 tries" '"fetch.connect" 3' \
	"$(jq -c '.code, .tries' rej.down 2>/dev/null | paste -sd' ')"

# Still rate limited after the retries: a 429 reject and exit 75 (try later).
mc_start --budget 0 --retry-after 1 || exit 1
echo '{"source":"maricopa","apn":"103-06-005"}' | phx fetch --rate 1000/s --retries 1 \
	--rejects rej.429 > out.429 2> err.429
t_eq "429 past the retries: exit 75" 75 $?
t_eq "429 past the retries: fetch.http_429 after 2 tries" '"fetch.http_429" 2' \
	"$(jq -c '.code, .tries' rej.429 | paste -sd' ')"
mc_stop

# A 404 is not worth retrying: exactly one request for the unknown parcel.
mc_start --fail-rate 0 || exit 1
echo '{"source":"maricopa","apn":"999-99-999"}' | phx fetch --rate 1000/s \
	> out.404 2> err.404 --rejects rej.404
t_eq "unknown parcel: exit 1 (a reject)" 1 $?
t_eq "unknown parcel: asked once" 1 "$(mc_count '.path == "/parcel/99999999"')"
mc_stop
mc_no_token "token in no output, journal or server log" out.* err.* rej.* \
	"$PHX_STATE_DIR" "$T"/mc.*/requests.ndjson
