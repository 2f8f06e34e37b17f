#!/usr/bin/env bash
# bench/proxy.sh BIN_DIR [--quick] - the cost of fetching through the proxy pool.
#
# Small JSON files from a local nginx, through one local tinyproxy, at the
# same concurrency:
#   curl    curl --parallel -x PROXY (the user's other choice: one fixed proxy)
#   pool1   phx-fetch --proxies with a scoreboard of 1 proxy
#   pool1k  phx-fetch --proxies with a scoreboard of 1,000 proxies (aliases of
#           the same tinyproxy under different user names), so every result
#           written back rewrites a large scoreboard
# Prints requests a second for each and the ratios to curl, plus the time
# of one `phx-proxy next` (lock, read, write) on the 1,000-proxy scoreboard.
# --quick: 300 files instead of 2,000.
set -u
bin=${1:?usage: bench/proxy.sh BIN_DIR [--quick]}
top=$(cd "$(dirname "$0")/.." && pwd)
case $bin in /*) ;; *) bin=$top/$bin ;; esac
files=2000 conc=${BENCH_CONCURRENCY:-8}
[ "${2:-}" = --quick ] && files=300
export LC_ALL=C TZ=UTC
py=/usr/bin/python3
[ -x "$bin/phx-fetch" ] && [ -x "$bin/phx-proxy" ] || { echo "bench/proxy.sh: no tools in $bin" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/phx-bench-proxy.XXXXXX")
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

mkdir -p "$work/www/p" "$work/tp"
for ((i = 0; i < files; i++)); do
	printf '{"APN":"%08d","SitusZip":"85031","FullCashValue":"150,%03d"}\n' $((10300000 + i)) \
		$((i % 1000)) > "$work/www/p/$i.json"
done
web=$(free_port) tp=$(free_port)
start_nginx "$web" || exit 1
printf 'Port %s\nListen 127.0.0.1\nAllow 127.0.0.1\nMaxClients 100\nLogLevel Error\n' "$tp" \
	> "$work/tp/conf"
(cd "$work/tp" && exec tinyproxy -d -c "$work/tp/conf") > /dev/null 2>&1 &
pids+=($!)
wait_port "$tp" || { echo "bench/proxy.sh: tinyproxy did not start" >&2; exit 1; }
for ((i = 0; i < files; i++)); do echo "http://127.0.0.1:$web/p/$i.json"; done > "$work/urls.txt"
sed 's/^/url = /' "$work/urls.txt" > "$work/curl.conf"

elapsed() { # COMMAND... : wall seconds
	local s e
	s=$(date +%s.%N)
	"$@" > "$work/out" 2> "$work/err" || { echo "bench/proxy.sh: failed: $*" >&2; tail -3 "$work/err" >&2; }
	e=$(date +%s.%N)
	awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", e - s }'
}
pool() { # N: a scoreboard of N aliases of the tinyproxy
	export PHX_STATE_DIR=$work/state$1
	rm -rf "$PHX_STATE_DIR"
	for ((i = 0; i < $1; i++)); do echo "http://u$i:pw@127.0.0.1:$tp"; done |
		"$bin/phx-proxy" import -q > /dev/null
}
curl -s -x "http://127.0.0.1:$tp" --parallel --parallel-max "$conc" -K "$work/curl.conf" > /dev/null
t_curl=$(elapsed curl -s -x "http://127.0.0.1:$tp" --parallel --parallel-max "$conc" -K "$work/curl.conf")
pool 1
t_p1=$(elapsed "$bin/phx-fetch" --proxies --url-file "$work/urls.txt" --concurrency "$conc" -q)
n1=$(wc -l < "$work/out")
pool 1000
t_p1k=$(elapsed "$bin/phx-fetch" --proxies --url-file "$work/urls.txt" --concurrency "$conc" -q)
n1k=$(wc -l < "$work/out")
t_next=$(elapsed "$bin/phx-proxy" next)
echo "fetch through one tinyproxy: $files files from nginx, concurrency $conc"
echo "  (phx-fetch records: pool of 1: $n1, pool of 1000: $n1k)"
awk -v n="$files" -v c="$t_curl" -v a="$t_p1" -v b="$t_p1k" -v x="$t_next" 'BEGIN {
	printf "  curl -x            %8.0f req/s\n", n / c
	printf "  phx-fetch pool 1   %8.0f req/s  (%.2f of curl)\n", n / a, c / a
	printf "  phx-fetch pool 1k  %8.0f req/s  (%.2f of curl)\n", n / b, c / b
	printf "  phx-proxy next on 1000 proxies: %.0f ms\n", x * 1000
}'
