# shellcheck shell=bash
# tests/servers/mls.sh - start and stop the stand-in MLS site from a test.
# Source it after tests/lib.sh:
#
#   mls_start [mls.py options...]  start on a free port; sets MLS_PORT, MLS_LOG,
#                                  PHOENIX_MLS_BASE_URL
#   mls_stop                       stop it (also done by the EXIT trap)
#   mls_count JQ_FILTER            requests in the log matching a jq filter
#   mls_list ZIP                   the detail paths a search for ZIP must find
MLS_PY=/usr/bin/python3
MLS_SERVER="$PHX_TOP/tests/servers/mls.py"
MLS_PID=
MLS_N=0

mls_start() {
	mls_stop
	MLS_N=$((MLS_N + 1))
	MLS_DIR=$T/mls.$MLS_N
	mkdir -p "$MLS_DIR"
	MLS_LOG=$MLS_DIR/requests.ndjson
	(cd "$MLS_DIR" && exec "$MLS_PY" "$MLS_SERVER" --port-file "$MLS_DIR/port" \
		--log "$MLS_LOG" "$@") 2> "$MLS_DIR/stderr" &
	MLS_PID=$!
	t_on_exit mls_stop
	local i=0
	while [ ! -s "$MLS_DIR/port" ]; do
		i=$((i + 1))
		if [ $i -gt 300 ] || ! kill -0 "$MLS_PID" 2>/dev/null; then
			echo "# mls.py did not start: $(cat "$MLS_DIR/stderr")"
			return 1
		fi
		sleep 0.05
	done
	MLS_PORT=$(cat "$MLS_DIR/port")
	t_wait_port "$MLS_PORT" || return 1
	export PHOENIX_MLS_BASE_URL="http://127.0.0.1:$MLS_PORT"
	: > "$MLS_LOG"
}

mls_stop() {
	if [ -n "$MLS_PID" ]; then
		kill "$MLS_PID" 2>/dev/null
		wait "$MLS_PID" 2>/dev/null
		MLS_PID=
	fi
}

mls_count() { jq -c "select($1)" "$MLS_LOG" | wc -l | tr -d ' '; }
mls_list() { "$MLS_PY" "$MLS_SERVER" --list "$1"; }
