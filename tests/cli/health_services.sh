#!/usr/bin/env bash
# phx-health llm and sources against their stand-ins, up, down and wrong;
# every service down (or hung) at once still ends within one timeout.
. "$PHX_TOP/tests/lib.sh"
. "$PHX_TOP/tests/servers/health.sh"
. "$PHX_TOP/tests/servers/maricopa.sh"

phx health --check llm > out 2>&1; rc=$?
t_eq "no LLM configured: UNKNOWN, skipped" 3 "$rc"
t_contains "skip says why" "no OLLAMA_URL" out

hp_start llm --llm llama3.2:latest,nomic-embed-text:latest; llm=$HP_PORT
OLLAMA_URL=http://127.0.0.1:$llm LLM_MODEL=llama3.2 phx health --check llm --json > j 2>&1; rc=$?
t_eq "LLM with the model (llama3.2 names llama3.2:latest): OK" "0 OK" "$rc $(state_of llm j)"
t_contains "latency in perfdata" "'llm.latency'=" j
OLLAMA_URL=http://127.0.0.1:$llm LLM_MODEL=qwen2.5:7b phx health --check llm --json > j 2>&1; rc=$?
t_eq "LLM without the model: CRITICAL" "2 CRITICAL" "$rc $(state_of llm j)"
t_contains "and names the fix" "ollama pull qwen2.5:7b" j
hp_start llm0 --llm ""
OLLAMA_URL=http://127.0.0.1:$HP_PORT/ LLM_MODEL=llama3.2 phx health --check llm > out 2>&1
t_eq "an LLM server with no models at all: CRITICAL" 2 "$?"
dead=$(t_free_port)
OLLAMA_URL=http://127.0.0.1:$dead LLM_MODEL=llama3.2 phx health --check llm > out 2>&1
t_eq "LLM server down: CRITICAL (never healthy without asking)" 2 "$?"

mc_start || exit 1
hp_start mls --beat --log "$T/mls.log"; mls=$HP_PORT
PHOENIX_MLS_BASE_URL=http://127.0.0.1:$mls phx health --check sources --json > j 2>err; rc=$?
t_eq "assessor accepts the token, robots.txt answers: OK" "0 OK" "$rc $(state_of sources j)"
t_eq "one cheap request to the assessor, with the token" "1 1" \
	"$(mc_count 'true') $(mc_count '.auth == "ok"')"
t_contains "robots.txt was asked for" "GET /robots.txt" "$T/mls.log"
t_absent "the token is in no output" "$MC_TOKEN" j err
good=$MC_TOKEN
(umask 077; cat /proc/sys/kernel/random/uuid > "$T/bad.token")
bad=$(cat "$T/bad.token")
MARICOPA_API_KEY_FILE=$T/bad.token PHOENIX_MLS_BASE_URL=http://127.0.0.1:$mls \
	phx health --check sources --emergency > out 2>err; rc=$?
t_eq "a refused token: CRITICAL" 2 "$rc"
t_contains "the fix is named" "MARICOPA_API_KEY" out
t_absent "neither token is printed" "$bad" out err
t_absent "not the good one either" "$good" out err
hp_start mls503 --beat --beat-status 503 --log /dev/null
PHOENIX_MLS_BASE_URL=http://127.0.0.1:$HP_PORT phx health --check sources > out 2>&1
t_eq "MLS site answering 503: CRITICAL" 2 "$?"
mc_stop

# everything configured, everything down or hung: one timeout, not the sum
hp_start hang --llm-hang; hang=$HP_PORT
export OLLAMA_URL=http://127.0.0.1:$hang LLM_MODEL=llama3.2
p1=$(t_free_port) p2=$(t_free_port)
export MONGODB_URI=mongodb://127.0.0.1:$p1/phx MARICOPA_BASE_URL=http://127.0.0.1:$p2
export PHOENIX_MLS_BASE_URL=http://127.0.0.1:$hang
start=$(date +%s%N)
phx health --timeout 2s --json > j 2>err; rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
t_eq "all down: CRITICAL" 2 "$rc"
t_le "all down with 2 s each: one timeout, not the sum of 4 ($ms ms)" 6000 "$ms"
t_eq "the hung LLM is reported as a timeout" true \
	"$(jq -r 'select(.check=="llm") | .message | test("timeout")' j)"
t_eq "store, llm and sources each CRITICAL" "CRITICAL CRITICAL CRITICAL" \
	"$(state_of store j) $(state_of llm j) $(state_of sources j)"
start=$(date +%s%N)
phx health --json > j 2>err; rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
t_le "default timeout 5 s: the whole run under 10 s ($ms ms)" 10000 "$ms"
