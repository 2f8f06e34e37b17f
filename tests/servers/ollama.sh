# shellcheck shell=bash
# tests/servers/ollama.sh - start and stop the stand-in Ollama server from a test.
# Source it after tests/lib.sh:
#
#   ol_start [ollama.py options...]   start on a free port; sets OL_PORT, OL_LOG and
#                                     OLLAMA_URL (unsets the other server variables)
#   ol_stop                           stop it (also done by the EXIT trap)
#   ol_count JQ_FILTER                logged requests matching a jq filter
#   ol_chats                          chat requests logged (both APIs)
OL_PY=/usr/bin/python3
OL_SERVER="$PHX_TOP/tests/servers/ollama.py"
OL_PID=
OL_N=0

ol_start() {
	ol_stop
	OL_N=$((OL_N + 1))
	OL_DIR=$T/ol.$OL_N
	mkdir -p "$OL_DIR"
	OL_LOG=$OL_DIR/requests.ndjson
	: > "$OL_LOG"
	(cd "$OL_DIR" && exec "$OL_PY" "$OL_SERVER" --port-file "$OL_DIR/port" \
		--log "$OL_LOG" "$@") 2> "$OL_DIR/stderr" &
	OL_PID=$!
	t_on_exit ol_stop
	local i=0
	while [ ! -s "$OL_DIR/port" ]; do
		i=$((i + 1))
		if [ $i -gt 300 ] || ! kill -0 "$OL_PID" 2>/dev/null; then
			echo "# ollama.py did not start: $(cat "$OL_DIR/stderr")"
			return 1
		fi
		sleep 0.05
	done
	OL_PORT=$(cat "$OL_DIR/port")
	t_wait_port "$OL_PORT" || return 1
	export OLLAMA_URL="http://127.0.0.1:$OL_PORT"
	unset OLLAMA_BASE_URL LLM_MODEL
}

ol_stop() {
	if [ -n "$OL_PID" ]; then
		kill "$OL_PID" 2>/dev/null
		wait "$OL_PID" 2>/dev/null
		OL_PID=
	fi
}

ol_count() { jq -c "select($1)" "$OL_LOG" | wc -l | tr -d ' '; }
ol_chats() { ol_count '.path == "/api/chat" or .path == "/v1/chat/completions"'; }
