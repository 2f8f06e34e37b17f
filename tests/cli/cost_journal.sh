#!/usr/bin/env bash
# The usage lines the spending tools really write, priced by phx-cost and
# checked against what the tools and their stand-ins say was spent:
# phx-fetch's requests and bytes (the assessor stand-in), phx-llm's tokens
# (the Ollama stand-in).
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
# shellcheck source=tests/servers/maricopa.sh
. "$PHX_TOP/tests/servers/maricopa.sh"
# shellcheck source=tests/servers/ollama.sh
. "$PHX_TOP/tests/servers/ollama.sh"
export PHX_STATE_DIR=$T/state HOME=$T XDG_CONFIG_HOME=$T/cfg XDG_DATA_HOME=$T/data
unset PHX_DB MONGODB_URI MONGODB_URL
mkdir -p "$PHX_STATE_DIR"
export PHX_PRICES=$T/prices.conf
# a tenth of a cent a request, whichever host; hosted-model token prices
cat > "$PHX_PRICES" <<'C'
unit * http_request 0.001 per 1 from 2026-01-01 category requests
unit llm tokens_in 0.50 per 1M from 2026-01-01 category llm
unit llm tokens_out 2.00 per 1M from 2026-01-01 category llm
C
cost() { phx cost --no-alerts "$@"; }

# phx-fetch: one search of 85031 (266 pages at the stand-in).
mc_start || exit 1
phx fetch --source maricopa --zip 85031 --rate 1000/s > "$T/fetch.ndjson" 2> "$T/fetch.err"
t_eq "phx-fetch ran" 0 $?
served=$(mc_count '.path == "/search/property/"')
run=$(jq -c 'select(.tool=="phx-fetch")' "$PHX_STATE_DIR/runs.ndjson" | tail -1)
cost --detailed --json > "$T/out"
t_eq "every request the stand-in served is a usage line in the ledger" "$served" \
	"$(jq -s 'map(select(.by=="tool" and .key=="phx-fetch")) | .[0].lines' "$T/out")"
t_eq "and the run's own count agrees" "$(jq .metrics.requests <<< "$run")" \
	"$(jq -s 'map(select(.by=="tool" and .key=="phx-fetch")) | .[0].lines' "$T/out")"
t_eq "the bytes of the requests, as the run counted them" "$(jq .metrics.bytes <<< "$run")" \
	"$(jq -s 'map(select(.by=="tool" and .key=="phx-fetch")) | .[0].bytes' "$T/out")"
t_eq "priced at 0.001 a request" $((served * 1000)) \
	"$(jq -s 'map(select(.by=="tool" and .key=="phx-fetch")) | .[0].usd_micros' "$T/out")"
t_eq "--detailed: all of them under source maricopa" "$served" \
	"$(jq -s 'map(select(.by=="source" and .key=="maricopa")) | .[0].lines' "$T/out")"
t_eq "--detailed: and under ZIP 85031" "$served" \
	"$(jq -s 'map(select(.by=="zip" and .key=="85031")) | .[0].lines' "$T/out")"
cost --json > "$T/out"
t_eq "the default answer: the same total" $((served * 1000)) "$(jq .usd_micros "$T/out")"
t_eq "no unpriced line" 0 "$(jq .unpriced_lines "$T/out")"
mc_stop

# phx-llm: tokens in and out per answered listing.
in=$PHX_TOP/tests/fixtures/llm/listings.ndjson
ol_start || exit 1
phx llm --no-cache < "$in" > "$T/llm.ndjson" 2> "$T/llm.err"
t_eq "phx-llm ran" 0 $?
U=$PHX_STATE_DIR/usage.ndjson
tin=$(jq -s 'map(select(.tool=="phx-llm" and .what=="tokens_in") | .qty) | add' "$U")
tout=$(jq -s 'map(select(.tool=="phx-llm" and .what=="tokens_out") | .qty) | add' "$U")
t_ge "the listings cost tokens" 1 "$tin"
t_ge "at least those the records report (retried answers cost tokens too)" \
	"$(jq -s 'map(._phx.llm.prompt_tokens // 0) | add' "$T/llm.ndjson")" "$tin"
cost --detailed --json > "$T/out"
reqs=$(jq -s 'map(select(.tool=="phx-llm" and .what=="http_request")) | length' "$U")
t_eq "every request the model server logged is a usage line" "$(ol_count true)" "$reqs"
# one bucket each for tokens in and out, each priced as a whole, rounded
# down, and the requests at 0.001
t_eq "phx-llm's tokens and requests priced as the journal holds them" \
	$(( tin * 500000 / 1000000 + tout * 2000000 / 1000000 + reqs * 1000 )) \
	"$(jq -s 'map(select(.by=="tool" and .key=="phx-llm")) | .[0].usd_micros' "$T/out")"
cost --recommend --json > "$T/out"
t_eq "--recommend: the hosted model's tokens" 1 "$(jq -s 'map(select(.key=="llm.tokens")) | length' "$T/out")"
ol_stop

# phx-proxy check: the bytes through each proxy (service webshare), priced
# at a micro-dollar a byte (a probe is a few kB), with the proxy's password
# in no answer.
# shellcheck source=tests/servers/proxies.sh
. "$PHX_TOP/tests/servers/proxies.sh"
t_on_exit proxies_stop
echo "unit webshare proxy_bytes 1.00 per 1M from 2026-01-01 category proxy" >> "$PHX_PRICES"
site=$(t_free_port) tp=$(t_free_port)
start_target "$site" || t_fail "the proxy target did not start"
start_tinyproxy tp-auth "$tp" alice Cost-Proxy-Pass-7 || t_fail "tinyproxy did not start"
echo "http://alice:Cost-Proxy-Pass-7@127.0.0.1:$tp" > "$T/pool.txt"
(cd "$T" && phx proxy import pool.txt > /dev/null 2>&1)
phx proxy check --probe "http://127.0.0.1:$site/page/probe" > "$T/check.out" 2> "$T/check.err"
pb=$(jq -s 'map(select(.what=="proxy_bytes") | .qty) | add // 0' "$U")
t_ge "the check sent bytes through the proxy" 1 "$pb"
cost --json > "$T/out" 2> "$T/err"
t_eq "the proxy bytes priced, one micro-dollar each" "$pb" \
	"$(jq '.by_category[] | select(.key=="proxy") | .usd_micros' "$T/out")"
cost --detailed > "$T/detail.out" 2>> "$T/err"
cost --recommend > "$T/rec.out" 2>> "$T/err"
t_absent "the proxy password is in no answer of phx-cost" Cost-Proxy-Pass-7 \
	"$T/out" "$T/detail.out" "$T/rec.out" "$T/err" "$PHX_STATE_DIR/cost-ledger.ndjson"

# phx-store: documents written (a hosted database tier's price), one usage
# line per load, priced at a tenth of a cent a document.
# shellcheck source=tests/fixtures/store/lib.sh
. "$PHX_TOP/tests/fixtures/store/lib.sh"
echo "unit store documents_written 1.00 per 1k from 2026-01-01 category database" >> "$PHX_PRICES"
before=$(cost --json | jq '.by_category[] | select(.key=="database") | .usd_micros')
many 30 | phx store --db "$T/s.db" > "$T/store.out" 2> /dev/null
many 30 | phx store --db "$T/s.db" > /dev/null 2>&1	# nothing changed: nothing written
written=$(grep -c '"inserted"' "$T/store.out")
t_eq "30 documents inserted" 30 "$written"
cost --json > "$T/out"
t_eq "priced: 30 documents at 0.001" $(( ${before:-0} + written * 1000 )) \
	"$(jq '.by_category[] | select(.key=="database") | .usd_micros' "$T/out")"
