#!/usr/bin/env bash
# bench/health.sh BIN_DIR - how long the morning check takes when every
# service hangs (accepts the connection, never answers), against the way the
# previous system's script asked: one service after another, each with the
# same timeout (curl -m, the user's other choice).
#
# Four services are asked: the LLM server (/api/tags), the assessor (one
# parcel), the MLS site (robots.txt) and MongoDB, all pointed at one
# listening socket that never answers. Prints the seconds of each way and
# the ratio; the sequential way grows with the number of services, the
# parallel one stays near one timeout.
set -u
bin=${1:?usage: bench/health.sh BIN_DIR (e.g. build/release/bin)}
top=$(cd "$(dirname "$0")/.." && pwd)
case $bin in /*) ;; *) bin=$top/$bin ;; esac
[ -x "$bin/phx-health" ] || { echo "bench/health.sh: no phx-health in $bin" >&2; exit 1; }
timeout_s=${BENCH_TIMEOUT:-2}
work=$(mktemp -d "${TMPDIR:-/tmp}/phx-bench-health.XXXXXX")
/usr/bin/python3 "$top/tests/servers/health_peers.py" --port-file "$work/port" --llm-hang &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
while [ ! -s "$work/port" ]; do sleep 0.05; done
port=$(cat "$work/port") u=http://127.0.0.1:$(cat "$work/port")
printf '%s\n' "bench-token-not-real" > "$work/token"
export PHX_STATE_DIR=$work/state HOME=$work XDG_CONFIG_HOME=$work/cfg XDG_DATA_HOME=$work/data
export OLLAMA_URL=$u LLM_MODEL=llama3.2 MARICOPA_BASE_URL=$u PHOENIX_MLS_BASE_URL=$u
export MARICOPA_API_KEY_FILE=$work/token MONGODB_URI=mongodb://127.0.0.1:$port/phx
mkdir -p "$PHX_STATE_DIR"
ms() { date +%s%N; }
t0=$(ms)
"$bin/phx-health" -q --check store,llm,sources --timeout "${timeout_s}s" > "$work/out" 2>&1
t1=$(ms)
for path in /api/tags /parcel/10306005 /robots.txt /; do
	curl -s -m "$timeout_s" -o /dev/null "$u$path"
done
t2=$(ms)
par=$(( (t1 - t0) / 1000000 )) seq=$(( (t2 - t1) / 1000000 ))
echo "services hung: 4, timeout ${timeout_s} s each"
echo "phx-health (parallel):      $par ms"
echo "curl one after another:     $seq ms"
awk -v p="$par" -v s="$seq" 'BEGIN { printf "ratio sequential/parallel:  %.2f\n", s / p }'
