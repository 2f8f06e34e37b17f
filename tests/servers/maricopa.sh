# shellcheck shell=bash
# tests/servers/maricopa.sh - start and stop the stand-in assessor from a test.
# Source it after tests/lib.sh:
#
#   mc_start [maricopa.py options...]   start on a free port; sets MC_PORT, MC_LOG,
#                                       MC_TOKEN, MARICOPA_BASE_URL, MARICOPA_API_KEY_FILE
#   mc_stop                             stop it (also done by the EXIT trap)
#   mc_report [--ceiling N]             rates seen in its request log, as JSON
#   mc_count JQ_FILTER                  requests in the log matching a jq filter
#   mc_list QUERY                       the APNs a search for QUERY must find
#   mc_no_token NAME [FILE...]          the token is in none of the files, nor
#                                       anywhere under $T (state, logs, output)
#
# The token is a fresh random UUID per test, written to a 0600 file; it is
# handed to phx-fetch through MARICOPA_API_KEY_FILE, never on a command line.
MC_PY=/usr/bin/python3
MC_SERVER="$PHX_TOP/tests/servers/maricopa.py"
MC_PID=
MC_N=0

mc_start() {
	mc_stop
	MC_N=$((MC_N + 1))
	MC_DIR=$T/mc.$MC_N
	mkdir -p "$MC_DIR"
	rm -f "$MC_DIR/port"
	MC_LOG=$MC_DIR/requests.ndjson
	MC_TOKEN=${MC_TOKEN:-$(cat /proc/sys/kernel/random/uuid)}
	(umask 077; printf '%s\n' "$MC_TOKEN" > "$T/mc.token")
	(cd "$MC_DIR" && exec "$MC_PY" "$MC_SERVER" --port-file "$MC_DIR/port" \
		--token-file "$T/mc.token" --log "$MC_LOG" "$@") 2> "$MC_DIR/stderr" &
	MC_PID=$!
	t_on_exit mc_stop
	local i=0
	while [ ! -s "$MC_DIR/port" ]; do
		i=$((i + 1))
		if [ $i -gt 300 ] || ! kill -0 "$MC_PID" 2>/dev/null; then
			echo "# maricopa.py did not start: $(cat "$MC_DIR/stderr")"
			return 1
		fi
		sleep 0.05
	done
	MC_PORT=$(cat "$MC_DIR/port")
	t_wait_port "$MC_PORT" || return 1
	export MARICOPA_BASE_URL="http://127.0.0.1:$MC_PORT"
	export MARICOPA_API_KEY_FILE="$T/mc.token"
	unset MARICOPA_API_KEY
	: > "$MC_LOG"
}

mc_stop() {
	if [ -n "$MC_PID" ]; then
		kill "$MC_PID" 2>/dev/null
		wait "$MC_PID" 2>/dev/null
		MC_PID=
	fi
}

mc_report() { "$MC_PY" "$MC_SERVER" --report "$MC_LOG" "$@"; }
mc_count() { jq -c "select($1)" "$MC_LOG" | wc -l | tr -d ' '; }
mc_list() { "$MC_PY" "$MC_SERVER" --list "$1"; }

mc_no_token() { # NAME [FILE-OR-DIR...]: the named files, and every file under $T
	local n=$1 f
	shift
	local files=("$@")
	while IFS= read -r -d '' f; do files+=("$f"); done \
		< <(find "$T" -type f ! -name mc.token -print0)
	t_absent "$n" "$MC_TOKEN" "${files[@]}"
}

# fetch_within SECONDS ARGS...: phx-fetch with a deadline, for cases where a
# bug could make it hang; a hang ends as exit 124 and fails the check at once
# instead of holding the whole suite until its timeout.
fetch_within() {
	local s=$1; shift
	timeout -k 2 "$s" ${PHX_WRAP:-} "$PHX_BIN/phx-fetch" "$@"
}
