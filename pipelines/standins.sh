# shellcheck shell=bash
# pipelines/standins.sh - start the stand-ins of the services a machine
# without credentials cannot reach, on loopback, for scripts/demo and
# pipelines/validate. Source it, then
#   si_start DIR     start them, files under DIR; exports what the tools read:
#                    MARICOPA_BASE_URL, MARICOPA_API_KEY_FILE (a fresh token),
#                    OLLAMA_URL, and PHOENIX_MLS_BASE_URL when this checkout
#                    has the MLS stand-in; returns 1 when one did not start
#   si_stop          stop them (also on EXIT once si_start ran)
# The stand-ins are the test suite's (tests/servers/*.py, Python standard
# library only); each logs its requests to DIR/NAME.requests.ndjson.
SI_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SI_PIDS=()

# si_one NAME SCRIPT ARGS...: start one, wait for its port file; sets SI_PORT
# (not printed: a command substitution would run it in a subshell that
# forgets the pid)
si_one() {
	local name=$1 script=$2 dir=$SI_DIR; shift 2
	rm -f "$dir/$name.port"
	(cd "$dir" && exec /usr/bin/python3 "$SI_TOP/tests/servers/$script" \
		--port-file "$dir/$name.port" --log "$dir/$name.requests.ndjson" "$@") \
		> "$dir/$name.log" 2>&1 9>&- &
	SI_PIDS+=($!)
	local _
	for _ in $(seq 300); do
		[ -s "$dir/$name.port" ] && { SI_PORT=$(cat "$dir/$name.port"); return 0; }
		kill -0 "${SI_PIDS[-1]}" 2> /dev/null || break
		sleep 0.05
	done
	echo "stand-in $name did not start: $(head -c 300 "$dir/$name.log")" >&2
	return 1
}

si_start() {
	SI_DIR=$1
	mkdir -p "$SI_DIR" || return 1
	trap si_stop EXIT
	(umask 077; cat /proc/sys/kernel/random/uuid > "$SI_DIR/token")
	si_one assessor maricopa.py --token-file "$SI_DIR/token" || return 1
	export MARICOPA_BASE_URL=http://127.0.0.1:$SI_PORT MARICOPA_API_KEY_FILE=$SI_DIR/token
	unset MARICOPA_API_KEY
	si_one llm ollama.py || return 1
	export OLLAMA_URL=http://127.0.0.1:$SI_PORT
	unset OLLAMA_BASE_URL LLM_MODEL
	if [ -f "$SI_TOP/tests/servers/mls.py" ]; then
		si_one mls mls.py || return 1
		export PHOENIX_MLS_BASE_URL=http://127.0.0.1:$SI_PORT
	fi
	return 0
}

si_stop() {
	local p
	for p in "${SI_PIDS[@]}"; do kill "$p" 2> /dev/null; done
	for p in "${SI_PIDS[@]}"; do wait "$p" 2> /dev/null; done
	SI_PIDS=()
	return 0
}
