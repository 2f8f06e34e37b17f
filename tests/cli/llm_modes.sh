#!/usr/bin/env bash
# phx-llm against every way the stand-in can misbehave (the failure modes of
# real Ollama and OpenAI-compatible servers): wrong types, extra keys,
# unsupported claims, prose and fenced answers, format ignored, length,
# a stream without done, an error line at 200, a reset, one invalid answer,
# strict and silent context overflow, 503 at cold start, the server dying
# mid-run, both APIs streaming and not, safetensors and thinking models; and
# the usage lines phx-cost prices. Nothing is ever lost: every record ends on
# stdout or in the rejects.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
# shellcheck source=tests/servers/ollama.sh
. "$PHX_TOP/tests/servers/ollama.sh"
export PHX_STATE_DIR=$T/state
in=$PHX_TOP/tests/fixtures/llm/listings.ndjson
n=$(wc -l < "$in")

# go NAME [phx-llm args]: run on the fixtures; sets rc; checks nothing is lost.
go() {
	local name=$1
	shift
	rm -f "$T/rej.ndjson"
	: > "$T/rej.ndjson"
	phx llm --no-cache --rejects "$T/rej.ndjson" "$@" < "$in" > "$T/out.ndjson" 2> "$T/err"
	rc=$?
	t_eq "$name: every record on stdout or in the rejects" "$n" \
		$(($(wc -l < "$T/out.ndjson") + $(wc -l < "$T/rej.ndjson")))
}
first() { sed -n 1p "$T/out.ndjson" | jq -c "$1"; }
codes() { jq -r .code "$T/rej.ndjson" | sort -u | tr '\n' ' ' | sed 's/ $//'; }
chats() { ol_count '.path == "/api/chat" or .path == "/v1/chat/completions"'; }

ol_start --mode wrong-types || exit 1
go "wrong types"
t_eq "wrong types: exit 0 (a field fails, not the record)" 0 "$rc"
t_eq "wrong types: nothing filled" '[]' "$(first ._phx.llm.filled)"
t_eq "wrong types: the reason per field" '"250 is outside 0..100"' "$(first ._phx.llm.failed.bathrooms)"
t_eq "wrong types: the record keeps its nulls" null "$(first .features.bedrooms)"

ol_start --mode extra-keys || exit 1
go "extra keys"
t_eq "extra keys: dropped and counted" '["list_price","notes"]' "$(first ._phx.llm.dropped_keys)"
t_eq "extra keys: the price is the source's" "$(sed -n 1p "$in" | jq .listing.list_price)" \
	"$(first .listing.list_price)"

ol_start --mode unsupported || exit 1
go "unsupported claim"
t_eq "a claim without its word in the text is dropped" '["solar"]' "$(first ._phx.llm.unsupported)"
t_eq "and not set" null "$(first .features.solar)"

ol_start --mode fence || exit 1
go "fenced JSON"
t_eq "an answer in a code fence is still read" 3 "$(first .features.bedrooms)"

for m in prose ignore-format; do
	ol_start --mode "$m" || exit 1
	go "$m"
	t_eq "$m: exit 1, rejects" 1 "$rc"
	t_eq "$m: rejected as an invalid answer" llm.invalid_answer "$(codes)"
	t_eq "$m: one retry each, then the reject" $((2 * $(wc -l < "$T/rej.ndjson"))) "$(chats)"
	t_check "$m: the retry carries the reason" \
		test "$(jq -r 'select(.path=="/api/chat") | .body.messages | map(.content) | join(" ")' \
			"$OL_LOG" | grep -ci 'previous answer')" -ge 1
done

ol_start --mode invalid-once || exit 1
go "invalid once"
t_eq "one invalid answer, then a good one: filled on the second try" "2 3" \
	"$(sed -n 1p "$T/out.ndjson" | jq -r '"\(._phx.llm.tries) \(.features.bedrooms)"')"

for m in length no-done mid-error; do
	ol_start --mode "$m" || exit 1
	go "$m"
	t_eq "$m: exit 1" 1 "$rc"
done
ol_start --mode length && go "length" && t_eq "done_reason length is a failure" llm.length "$(codes)"
ol_start --mode no-done && go "no done" && t_eq "a stream without done:true is a failure" llm.not_done "$(codes)"
ol_start --mode mid-error && go "mid error" && t_eq "an error line at 200 is a failure" llm.error "$(codes)"

ol_start --ctx 64 --overflow strict || exit 1
go "strict overflow"
t_eq "strict overflow: rejected too long" llm.too_long "$(codes)"
t_contains "the server's words are kept" "longer than the context length" "$T/rej.ndjson"
ol_start --ctx 64 --overflow silent || exit 1
go "silent truncation"
t_eq "silent truncation is found from prompt_eval_count" llm.too_long "$(codes)"

ol_start --cold-503 2 || exit 1
go "cold start"
t_eq "503 at cold start: retried, exit 0" 0 "$rc"
t_eq "503 at cold start: all answered by the model" 4 "$(jq -r 'select(._phx.llm.method=="llm")' "$T/out.ndjson" | jq -s length)"

ol_start --die-after 2 || exit 1
go "server dies"
t_eq "server dies mid-run: exit 0" 0 "$rc"
t_eq "the first two from the model, the rest from the rules" "llm llm rules rules" \
	"$(jq -r 'select(._phx.llm) | ._phx.llm.method' "$T/out.ndjson" | tr '\n' ' ' | sed 's/ $//')"
t_contains "and it says so" "rules extractor" "$T/err"

ol_start || exit 1
go "ollama streaming" --stream
t_eq "ollama streaming: exit 0" 0 "$rc"
t_eq "streamed answers fill the same" 3 "$(first .features.bedrooms)"
t_eq "stream:true was sent" true "$(jq -r 'select(.path=="/api/chat") | .body.stream' "$OL_LOG" | head -1)"
go "openai" --api openai
t_eq "openai: exit 0" 0 "$rc"
t_eq "openai: response_format carries the schema" json_schema \
	"$(jq -r 'select(.path=="/v1/chat/completions") | .body.response_format.type' "$OL_LOG" | head -1)"
t_eq "openai: filled" 3 "$(first .features.bedrooms)"
ol_start --llamacpp || exit 1
go "llama-server, streamed" --api openai --stream
t_eq "llama-server SSE: exit 0" 0 "$rc"
t_eq "llama-server SSE: filled" 3 "$(first .features.bedrooms)"

ol_start --safetensors || exit 1
go "safetensors"
t_contains "a safetensors model: warned that format is not enforced" "will not enforce the schema" "$T/err"
ol_start --thinking || exit 1
go "thinking model"
t_eq "a thinking model gets think:false" false "$(jq -r 'select(.path=="/api/chat") | .body.think' "$OL_LOG" | head -1)"

# Usage lines for phx-cost: tokens in and out per answered record.
rm -rf "$PHX_STATE_DIR"
ol_start || exit 1
go "usage"
t_eq "tokens_in usage lines, one per model answer" 4 \
	"$(jq -r 'select(.tool=="phx-llm" and .what=="tokens_in") | .qty' "$PHX_STATE_DIR/usage.ndjson" | wc -l | tr -d ' ')"
t_eq "their sum is the prompt tokens recorded in the records" \
	"$(jq -s 'map(._phx.llm.prompt_tokens // 0) | add' "$T/out.ndjson")" \
	"$(jq -s 'map(select(.tool=="phx-llm" and .what=="tokens_in") | .qty) | add' "$PHX_STATE_DIR/usage.ndjson")"
t_eq "tokens_out likewise" \
	"$(jq -s 'map(._phx.llm.completion_tokens // 0) | add' "$T/out.ndjson")" \
	"$(jq -s 'map(select(.tool=="phx-llm" and .what=="tokens_out") | .qty) | add' "$PHX_STATE_DIR/usage.ndjson")"

# Concurrency matched to the server's slots: 3 slots, 3 at once.
ol_start --slots 3 --service-ms 200 || exit 1
go "parallel" --parallel 3
t_eq "parallel: exit 0" 0 "$rc"
t_eq "parallel: the output keeps the input order" \
	"$(jq -r .property_id "$in" | tr '\n' ' ')" "$(jq -r .property_id "$T/out.ndjson" | tr '\n' ' ')"
