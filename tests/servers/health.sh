# shellcheck shell=bash
# shellcheck disable=SC2034 # HP_PORT is read by the scripts that source this
# tests/servers/health.sh - shared by the health_*.sh tests: a clean
# environment where no service is configured, peers on loopback, and a run
# journal writer. Source after tests/lib.sh.
unset PHX_DB MONGODB_URI MONGODB_URL MARICOPA_API_KEY MARICOPA_API_KEY_FILE OLLAMA_URL \
	OLLAMA_BASE_URL PHX_LLM_URL LLM_MODEL PHX_LLM_MODEL PHOENIX_MLS_BASE_URL PHX_PRICES
export PHX_STATE_DIR=$T/state HOME=$T/home XDG_DATA_HOME=$T/data XDG_CONFIG_HOME=$T/cfg
mkdir -p "$PHX_STATE_DIR" "$HOME"
export PHOENIX_MLS_BASE_URL=    # no MLS site unless a test names one
HP_PIDS=()
hp_stop() { local p; for p in "${HP_PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; HP_PIDS=(); }
t_on_exit hp_stop
# hp_start NAME ARGS...: a health_peers.py on a free port; its port in $HP_PORT
hp_start() {
	local name=$1 i=0; shift
	rm -f "$T/$name.port"
	/usr/bin/python3 "$PHX_TOP/tests/servers/health_peers.py" --port-file "$T/$name.port" "$@" &
	HP_PIDS+=("$!")
	while [ ! -s "$T/$name.port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	HP_PORT=$(cat "$T/$name.port")
}
# run_line AGE_S DURATION_S OUT REJECTED REQUESTS RETRIES AVG_MS P95_MS [TOOL] [EXIT]
run_line() {
	local now end start
	now=$(date +%s); end=$((now - $1)); start=$((end - $2))
	jq -nc --arg s "$(date -u -d "@$start" +%FT%TZ)" --arg e "$(date -u -d "@$end" +%FT%TZ)" \
		--argjson o "$3" --argjson r "$4" --argjson q "$5" --argjson t "$6" \
		--argjson a "$7" --argjson p "$8" --arg tool "${9:-phx-fetch}" --argjson x "${10:-0}" \
		'{phx:"run",tool:$tool,run:"r",started:$s,ended:$e,exit:$x,in:$o,out:$o,rejected:$r,
		  metrics:{requests:$q,retries:$t,latency_ms_avg:$a,latency_ms_p95:$p}}'
}
# state_of CHECK JSONFILE
state_of() { jq -r --arg c "$1" 'select(.check == $c) | .state' "$2"; }
