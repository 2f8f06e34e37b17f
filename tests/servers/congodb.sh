#!/bin/sh
# congodb.sh - run the MongoDB test peer (see congodb.mjs for what it is and its gaps).
#
#   congodb.sh run   [--port N] [--data DIR]   foreground; exec's node, so a caller's
#                                              $! is the server. Prints the URI.
#   congodb.sh start [--port N] [--data DIR]   background; prints the URI, then the PID
#   congodb.sh stop PID                        SIGTERM, wait up to 10 s, then SIGKILL
#
# --port 0 (default) picks a free port; always 127.0.0.1. Without --data the data
# lives in memory only. --tls-cert PEM --tls-key PEM: TLS only (the URI printed
# ends in ?tls=true). Run install-congodb.sh first.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
launcher="$here/congodb.mjs"
NODE=${NODE:-node}

need_peer() {
	[ -f "$here/node_modules/.smartmongo/package.json" ] && return 0
	echo "congodb.sh: the peer is not installed; run $here/install-congodb.sh" >&2
	exit 69
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
run)
	need_peer
	exec "$NODE" "$launcher" "$@"
	;;
start)
	need_peer
	out=$(mktemp)
	"$NODE" "$launcher" "$@" >"$out" &
	pid=$!
	i=0
	while [ ! -s "$out" ]; do
		if ! kill -0 "$pid" 2>/dev/null; then
			rm -f "$out"
			echo "congodb.sh: the peer exited before listening" >&2
			exit 1
		fi
		i=$((i + 1))
		[ $i -gt 300 ] && { kill "$pid"; rm -f "$out"; echo "congodb.sh: timeout" >&2; exit 1; }
		sleep 0.05
	done
	head -n 1 "$out"
	echo "$pid"
	rm -f "$out"
	;;
stop)
	pid=${1:?usage: congodb.sh stop PID}
	kill "$pid" 2>/dev/null || exit 0
	i=0
	while kill -0 "$pid" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 200 ] && { kill -9 "$pid" 2>/dev/null; break; }
		sleep 0.05
	done
	;;
*)
	echo "usage: congodb.sh run|start [--port N] [--data DIR] [--tls-cert F --tls-key F]" \
		"| stop PID" >&2
	exit 64
	;;
esac
