#!/usr/bin/env bash
# bench/llm.sh BIN_DIR [--quick] - phx-llm against the tools a user would
# otherwise pick, on the stand-in server (tests/servers/ollama.py) with a
# fixed service time per request and N parallel slots, so the server's
# maximum is known: slots / service time.
#   prompt   prompt tokens per listing (the server's prompt_eval_count) against
#            sending the whole detail page, as the previous system did (page
#            bytes / 4, the usual estimate), over the MLS fixture pages
#   curljq   a curl + jq shell loop, one request at a time (records/s)
#   phx      phx-llm --parallel SLOTS --no-cache (records/s, share of the maximum)
#   rerun    phx-llm again with its cache: requests sent (must be 0)
# --quick: 60 records instead of 400.
set -u
bin=${1:?usage: bench/llm.sh BIN_DIR [--quick]}
top=$(cd "$(dirname "$0")/.." && pwd)
case $bin in /*) ;; *) bin=$top/$bin ;; esac
n=400 slots=4 service_ms=50
[ "${2:-}" = --quick ] && n=60
export LC_ALL=C TZ=UTC
py=/usr/bin/python3
[ -x "$bin/phx-llm" ] || { echo "bench/llm.sh: no phx-llm in $bin" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/phx-bench-llm.XXXXXX")
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
export PHX_STATE_DIR=$work/state

# n records: the fixture listing with a different id and figures each
line=$(sed -n 1p "$top/tests/fixtures/llm/listings.ndjson")
for ((i = 0; i < n; i++)); do
	jq -c --arg id "bench:$i" --argjson b $((1 + i % 5)) --argjson s $((900 + i)) \
		'.property_id = $id | .listing.description =
		 "Updated \($b) bedroom, 2 bath home, \($s) sq ft, built in 1987, two-car garage, sparkling pool."' \
		<<< "$line"
done > "$work/in.ndjson"

"$py" "$top/tests/servers/ollama.py" --port-file "$work/port" --log "$work/log.ndjson" \
	--slots $slots --service-ms $service_ms 2> "$work/srv.err" &
pids+=($!)
while [ ! -s "$work/port" ]; do sleep 0.05; done
url=http://127.0.0.1:$(cat "$work/port")
wait_port "$(cat "$work/port")" || exit 1
max=$(awk -v s=$slots -v t=$service_ms 'BEGIN { printf "%.1f", s * 1000 / t }')

now() { date +%s.%N; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.1f", n / (b - a) }'; }

# curl + jq: the shell loop a user would write (one request at a time)
t0=$(now)
while IFS= read -r rec; do
	jq -c '{model:"llama3.2:latest", stream:false, format:{type:"object",
		properties:{bedrooms:{type:"integer"}, pool:{type:"boolean"}}},
		messages:[{role:"user", content:("<<<DATA x>>>\n" + .listing.description + "\n<<<END x>>>")}]}' \
		<<< "$rec" | curl -s -X POST -H 'Content-Type: application/json' --data-binary @- \
		"$url/api/chat" | jq -c '.message.content | fromjson' > /dev/null
done < "$work/in.ndjson"
t1=$(now)
curl_rate=$(rate "$n" "$t0" "$t1")

: > "$work/log.ndjson"
t0=$(now)
"$bin/phx-llm" --url "$url" --parallel $slots --no-cache < "$work/in.ndjson" > "$work/out.ndjson" \
	2> "$work/err" || { echo "bench/llm.sh: phx-llm failed: $(cat "$work/err")" >&2; exit 1; }
t1=$(now)
phx_rate=$(rate "$n" "$t0" "$t1")
filled=$(jq -r 'select(._phx.llm.method == "llm") | .property_id' "$work/out.ndjson" | wc -l)

# the rerun with the cache
"$bin/phx-llm" --url "$url" --parallel $slots < "$work/in.ndjson" > /dev/null 2>&1
: > "$work/log.ndjson"
"$bin/phx-llm" --url "$url" --parallel $slots < "$work/in.ndjson" > /dev/null 2>&1
rerun=$(jq -r 'select(.path == "/api/chat") | .path' "$work/log.ndjson" | wc -l)

# prompt tokens per listing vs whole pages
tokens=$(jq -s 'map(._phx.llm.prompt_tokens // empty) | add / length | floor' "$work/out.ndjson")
page=$(cat "$top"/tests/fixtures/mls/*.html | wc -c)
pages=$(find "$top/tests/fixtures/mls" -name '*.html' | wc -l)
page_tokens=$((page / pages / 4))

printf 'records %d, stand-in: %d slots x %d ms = %s records/s at most\n' "$n" $slots $service_ms "$max"
printf 'curl+jq loop   %8s records/s  (%.2f of the maximum)\n' "$curl_rate" \
	"$(awk -v a="$curl_rate" -v m="$max" 'BEGIN { print a / m }')"
printf 'phx-llm        %8s records/s  (%.2f of the maximum; %.1fx curl+jq), %d filled by the model\n' \
	"$phx_rate" "$(awk -v a="$phx_rate" -v m="$max" 'BEGIN { print a / m }')" \
	"$(awk -v a="$phx_rate" -v b="$curl_rate" 'BEGIN { print a / b }')" "$filled"
printf 'rerun with the cache: %d chat requests\n' "$rerun"
printf 'prompt tokens per listing %d; a whole fixture page ~%d (%.1fx fewer); fixture pages are\n' \
	"$tokens" "$page_tokens" "$(awk -v a="$page_tokens" -v b="$tokens" 'BEGIN { print a / b }')"
printf '  stripped-down markup (%d bytes on average), a live WordPress page is larger\n' $((page / pages))
