#!/usr/bin/env bash
# phx-health against real peers, up and down: a SQLite file (good, corrupt),
# the MongoDB peer started and stopped, tinyproxy pools, the LLM stand-in
# with and without the model, the assessor stand-in with a good and a bad
# token, a robots.txt served by Python's http.server, a Prometheus textfile
# read back, and a heartbeat receiver. The token is never printed.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
# shellcheck source=tests/servers/maricopa.sh
. "$PHX_TOP/tests/servers/maricopa.sh"
# shellcheck source=tests/servers/ollama.sh
. "$PHX_TOP/tests/servers/ollama.sh"
# shellcheck source=tests/servers/proxies.sh
. "$PHX_TOP/tests/servers/proxies.sh"
export PHX_STATE_DIR=$T/state HOME=$T
mkdir -p "$PHX_STATE_DIR"
PIDS=()
cleanup() { mc_stop; ol_stop; proxies_stop; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; }
t_on_exit cleanup
h() { phx health "$@" > "$T/out" 2> "$T/err"; echo $?; }
line() { jq -r --arg c "$1" 'select(.check==$c) | "\(.state) \(.message)"' "$T/out"; }
st() { jq -r --arg c "$1" 'select(.check==$c) | .state' "$T/out"; }

# --- store: SQLite
export PHX_DB=$T/good.db
phx store < /dev/null > /dev/null 2>&1
t_eq "SQLite file made by phx-store: OK" 0 "$(h --check store)"
t_contains "quick_check time in perfdata" "'store.check_time'=" "$T/out"
head -c 4096 "$T/good.db" > "$T/bad.db"
head -c 20000 /dev/urandom >> "$T/bad.db"
export PHX_DB=$T/bad.db
t_eq "a corrupt SQLite file: CRITICAL" 2 "$(h --check store --json)"
t_eq "the corrupt file's state" CRITICAL "$(st store)"
export PHX_DB=$T/none/missing.db
t_eq "a named SQLite file that does not exist: CRITICAL" 2 "$(h --check store)"
unset PHX_DB

# --- store: MongoDB peer, up then down
if out=$("$PHX_TOP/tests/servers/congodb.sh" start 2> "$T/congodb.err"); then
	MURI=$(printf '%s\n' "$out" | sed -n 1p)
	MPID=$(printf '%s\n' "$out" | sed -n 2p)
	export MONGODB_URI=$MURI
	t_eq "MongoDB peer up: OK" 0 "$(h --check store --json)"
	t_contains "ping round trip in perfdata" "store.rtt" "$T/out"
	"$PHX_TOP/tests/servers/congodb.sh" stop "$MPID"
	t_eq "MongoDB peer stopped: CRITICAL" 2 "$(h --check store --timeout 2s --json)"
	t_contains "the message says it did not answer" "store" "$T/out"
	unset MONGODB_URI
else
	t_fail "MongoDB peer (tests/servers/congodb.sh) starts" "$(cat "$T/congodb.err")"
fi

# --- llm: stand-in with and without the model, then down
if ol_start --models llama3.2:latest,qwen2.5:7b; then
	export LLM_MODEL=llama3.2
	t_eq "LLM with the model: OK" 0 "$(h --check llm --json)"
	t_contains "latency in perfdata" "llm.latency" "$T/out"
	export LLM_MODEL=mistral:7b
	t_eq "LLM without the model: CRITICAL" 2 "$(h --check llm --json)"
	t_contains "the message names the model" "mistral:7b" "$T/out"
	t_eq "the stand-in was asked /api/tags" 1 "$(( $(ol_count '.path == "/api/tags"') >= 2 ))"
	ol_stop
	t_eq "LLM server down: CRITICAL" 2 "$(h --check llm)"
	unset LLM_MODEL
else
	t_fail "the LLM stand-in starts"
fi
unset OLLAMA_URL

# --- proxies: a pool with two tinyproxies, one stopped
p1=$(t_free_port) p2=$(t_free_port) site=$(t_free_port)
start_target "$site" || t_fail "site did not start"
start_tinyproxy tp1 "$p1" || t_fail "tinyproxy 1 did not start"
start_tinyproxy tp2 "$p2" || t_fail "tinyproxy 2 did not start"
printf 'http://127.0.0.1:%s\nhttp://127.0.0.1:%s\n' "$p1" "$p2" > "$T/pool.txt"
phx proxy import "$T/pool.txt" > /dev/null 2>&1
t_eq "a pool never checked: CRITICAL (no good proxy)" 2 "$(h --check proxies --json)"
t_contains "unchecked proxies counted" "'proxies.unchecked'=2" "$T/out"
phx proxy check --probe "http://127.0.0.1:$site/page/probe" > /dev/null 2>&1
t_eq "both proxies good: OK" 0 "$(h --check proxies)"
t_contains "good count in perfdata" "'proxies.good'=2" "$T/out"
stop_pid "${PROXY_PID[tp2]}"
phx proxy check --probe "http://127.0.0.1:$site/page/probe" > /dev/null 2>&1
t_eq "one proxy stopped, one good: OK against the default minimum 1" 0 "$(h --check proxies)"
t_contains "the dead one counted" "'proxies.dead'=1" "$T/out"
t_eq "one good against -c proxies.good=2:: CRITICAL" 2 "$(h --check proxies -c proxies.good=2:)"
rm -f "$PHX_STATE_DIR/proxies.json"

# --- sources: assessor good and bad token, robots.txt served and not
mkdir -p "$T/www"
printf 'User-agent: *\nDisallow: /wp-admin/\n' > "$T/www/robots.txt"
wport=$(t_free_port)
(cd "$T/www" && exec /usr/bin/python3 -m http.server "$wport" --bind 127.0.0.1) > /dev/null 2>&1 &
PIDS+=($!)
t_wait_port "$wport"
export PHOENIX_MLS_BASE_URL=http://127.0.0.1:$wport
if mc_start; then
	t_eq "good token and robots.txt: OK" 0 "$(h --check sources --json)"
	t_contains "the token is accepted" "token accepted" "$T/out"
	good=$MC_TOKEN
	printf '%s\n' "$(cat /proc/sys/kernel/random/uuid)" > "$T/bad.token"
	MARICOPA_API_KEY_FILE=$T/bad.token h --check sources --json > /dev/null
	t_eq "a refused token: CRITICAL" CRITICAL "$(st sources)"
	t_contains "the fix is named" "MARICOPA_API_KEY" "$T/out"
	t_absent "the bad token is not printed" "$(cat "$T/bad.token")" "$T/out" "$T/err"
	t_absent "the good token is not printed" "$good" "$T/out" "$T/err"
	mc_stop
	t_eq "assessor down: CRITICAL" 2 "$(h --check sources)"
else
	t_fail "the assessor stand-in starts"
fi
closed=$(t_free_port)
export PHOENIX_MLS_BASE_URL=http://127.0.0.1:$closed
unset MARICOPA_API_KEY_FILE
t_eq "no token and robots.txt unreachable: CRITICAL" 2 "$(h --check sources)"
t_contains "the MLS failure is said" "robots.txt" "$T/out"

# --- everything down at once stays within the timeout
unset PHOENIX_MLS_BASE_URL
hole=$(t_free_port)
/usr/bin/python3 -c 'import socket,sys,time
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(64); open(sys.argv[2], "w").close()
conns=[]
while True: conns.append(s.accept())' "$hole" "$T/hole.up" &
PIDS+=($!)
while [ ! -e "$T/hole.up" ]; do sleep 0.05; done
export OLLAMA_URL=http://127.0.0.1:$hole LLM_MODEL=llama3.2
export MONGODB_URI="mongodb://phx:Mongo-Pass-77@127.0.0.1:$hole/?serverSelectionTimeoutMS=60000"
export PHOENIX_MLS_BASE_URL=http://127.0.0.1:$hole
start=$(date +%s%N)
code=$(h --timeout 1s --json)
took=$((($(date +%s%N) - start) / 1000000))
t_eq "servers that accept and never answer: CRITICAL" 2 "$code"
t_le "and the whole run ends within 10 s (took $took ms)" 10000 "$took"
t_eq "the llm check says timeout" CRITICAL "$(st llm)"
mkdir -p "$T/prom2"
h --timeout 1s --prometheus "$T/prom2" > /dev/null
t_absent "the URI password is in no output, perfdata or Prometheus file" "Mongo-Pass-77" \
	"$T/out" "$T/err" "$T/prom2/phx_health.prom"
unset OLLAMA_URL LLM_MODEL MONGODB_URI PHOENIX_MLS_BASE_URL

# --- Prometheus textfile, read back
mkdir -p "$T/prom"
h --check runs,host --prometheus "$T/prom" > /dev/null
f=$T/prom/phx_health.prom
t_check "the textfile is written" test -s "$f"
t_eq "no temp file left beside it" 1 "$(find "$T/prom" -type f | wc -l | tr -d ' ')"
bad=$(grep -v '^#' "$f" | grep -cvE '^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? -?[0-9.eE+-]+$|^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? (NaN|[+-]Inf)$')
t_eq "every sample line parses as the text exposition format" 0 "$bad"
t_check "a state sample per check" grep -q 'check="host"' "$f"
t_check "HELP and TYPE lines" grep -q '^# TYPE ' "$f"

# --- heartbeat receiver on loopback
hb=$(t_free_port)
/usr/bin/python3 -c 'import http.server,sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        open(sys.argv[2], "a").write(self.path + "\n"); self.send_response(200); self.end_headers()
    do_POST = do_GET
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()' "$hb" "$T/hb.log" &
PIDS+=($!)
t_wait_port "$hb"
: > "$PHX_STATE_DIR/runs.ndjson"
code=$(h --check runs --ping "http://127.0.0.1:$hb/ping/abc")
t_eq "runs with no journal: CRITICAL" 2 "$code"
t_eq "heartbeat: start, then the exit status" "/ping/abc/start /ping/abc/2" "$(tr '\n' ' ' < "$T/hb.log" | sed 's/ $//')"
code=$(h --check runs --ping "http://127.0.0.1:$(t_free_port)/nobody")
t_eq "a heartbeat receiver that is down does not change the result" 2 "$code"

# --- --alert: failing checks become alert lines for phx-report
h --check runs --alert > /dev/null
t_eq "one alert line for the failing runs check" "phx-health health.runs CRITICAL" \
	"$(jq -r '"\(.tool) \(.key) \(.state)"' "$PHX_STATE_DIR/alerts.ndjson")"

# --- --emergency: the runbook's next step for each failing check
h --check runs --emergency > /dev/null
t_contains "--emergency names the next step" "next step: runbook" "$T/out"
