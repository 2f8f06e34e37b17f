#!/usr/bin/env bash
# phx-llm against the stand-in: fills null fields only, passes records with
# nothing to ask byte for byte, takes only schema keys, needs evidence for
# claims, falls back to rules when the server is down, 78 for a missing model.
. "$PHX_TOP/tests/lib.sh"
. "$PHX_TOP/tests/servers/ollama.sh"
in=$PHX_TOP/tests/fixtures/llm/listings.ndjson

ol_start || exit 1
phx llm < "$in" > out.ndjson 2> err; rc=$?
t_eq "normal run exits 0" 0 "$rc"
t_lines "every record out" 8 out.ndjson
t_eq "nothing to ask: byte for byte" "$(sed -n 6p "$in")" "$(sed -n 6p out.ndjson)"
t_eq "filled from the description" '3 2 1450 true' \
	"$(sed -n 1p out.ndjson | jq -r '.features | "\(.bedrooms) \(.bathrooms) \(.square_feet) \(.pool)"')"
t_eq "a stated value is kept" 5 "$(sed -n 3p out.ndjson | jq '.features.bedrooms')"
t_eq "think and truncate false sent" 'false false' \
	"$(jq -r 'select(.path=="/api/chat") | "\(.body.think) \(.body.truncate)"' "$OL_LOG" | head -1)"
t_eq "schema sent in format" object "$(jq -r 'select(.path=="/api/chat") | .body.format.type' "$OL_LOG" | head -1)"
n=$(ol_chats)
phx llm < "$in" > out2.ndjson 2> err2
t_eq "rerun asks nothing (cache)" "$n" "$(ol_chats)"
t_eq "rerun gives the same fields" "$(jq -c .features out.ndjson)" "$(jq -c .features out2.ndjson)"

ol_start --mode inject || exit 1
phx llm --no-cache < "$in" > inj.ndjson 2> err
t_eq "injection: extra keys dropped" '["list_price","apn"]' "$(sed -n 4p inj.ndjson | jq -c '._phx.llm.dropped_keys')"
t_eq "injection: no claim without evidence" null "$(sed -n 4p inj.ndjson | jq '.features.pool')"
t_eq "injection: out of range fails the field" '"999 is outside 0..100"' \
	"$(sed -n 4p inj.ndjson | jq '._phx.llm.failed.bedrooms')"
t_eq "injection: price untouched" 300004 "$(sed -n 4p inj.ndjson | jq '.listing.list_price')"

ol_start --models other:latest || exit 1
phx llm --no-cache < "$in" > miss.ndjson 2> err; rc=$?
t_eq "missing model exits 78" 78 "$rc"
t_contains "names the pull" "ollama pull llama3.2:latest" err

ol_stop
phx llm --no-cache --url "http://127.0.0.1:$(t_free_port)" < "$in" > down.ndjson 2> err; rc=$?
t_eq "server down: rules, exit 0" 0 "$rc"
t_eq "server down: marked rules" rules "$(sed -n 1p down.ndjson | jq -r '._phx.llm.method')"
t_eq "rules find the beds" 3 "$(sed -n 1p down.ndjson | jq '.features.bedrooms')"
phx llm --no-cache --no-fallback --url "http://127.0.0.1:$(t_free_port)" < "$in" > /dev/null 2>&1; rc=$?
t_eq "no server, no fallback: 69" 69 "$rc"
phx llm --check --url "http://127.0.0.1:$(t_free_port)" > chk; rc=$?
t_eq "--check down: CRITICAL 2" 2 "$rc"
t_contains "--check line" "LLM CRITICAL" chk
t_eq "--check's run line: its state is the answer" "2 true" \
	"$(jq -r 'select(.tool=="phx-llm") | "\(.exit) \(.answer)"' "$PHX_STATE_DIR/runs.ndjson" | tail -1)"
