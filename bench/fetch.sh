#!/usr/bin/env bash
# bench/fetch.sh BIN_DIR [--quick] - phx-fetch's speed and politeness.
#
# 1. Throughput: phx-fetch's generic URL mode (--url-file) against
#    `curl --parallel --parallel-max N` (the user's other choice), fetching the
#    same small JSON files from a local nginx at the same concurrency. Prints
#    requests a second, CPU seconds per 1,000 requests and peak memory for
#    both, and the ratios (aims: >= 0.9 of curl's throughput, <= 1.5x its CPU).
# 2. Politeness: a 20 requests/second limit against the stand-in assessor:
#    the rate achieved and the busiest second the server saw.
# --quick: 2,000 files once and a 15-second rate run, instead of 10,000 files
# three times and 60 s.
set -u
bin=${1:?usage: bench/fetch.sh BIN_DIR [--quick]}
quick=0
[ "${2:-}" = --quick ] && quick=1
top=$(cd "$(dirname "$0")/.." && pwd)
case $bin in /*) ;; *) bin=$top/$bin ;; esac
export LC_ALL=C TZ=UTC
files=10000 rounds=3 conc=${BENCH_CONCURRENCY:-16} rate_zips=85031,85033,85035
[ $quick = 1 ] && files=2000 rounds=1 rate_zips=85031
py=/usr/bin/python3
[ -x "$bin/phx-fetch" ] || { echo "bench/fetch.sh: no $bin/phx-fetch" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/phx-bench-fetch.XXXXXX")
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

# ---- the files, and nginx serving them (bench/lib.sh) ----------------------
mkdir -p "$work/www/p"
"$py" - "$work/www/p" "$files" <<'PY'
import json, sys
d, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    rec = {"APN": "%08d" % (10300000 + i), "SitusAddress": "%d N 55TH AVE" % (2800 + i % 2000),
           "SitusZip": "85031", "FullCashValue": "{:,}".format(150000 + i * 7),
           "PropertyType": "RESIDENTIAL", "RentalID": None}
    with open("%s/%05d.json" % (d, i), "w") as f:
        json.dump(rec, f)
PY
port=$(free_port)
start_nginx "$port" || exit 1
for ((i = 0; i < files; i++)); do
	printf 'http://127.0.0.1:%s/p/%05d.json\n' "$port" "$i"
done > "$work/urls.txt"
sed 's/^/url = /' "$work/urls.txt" > "$work/curl.conf"

# ---- throughput -----------------------------------------------------------
# GNU time when installed, else bench/rusage.c (getrusage of the child).
if [ -x /usr/bin/time ]; then
	timer() { local o=$1; shift; /usr/bin/time -f '%e %U %S %M' -o "$o" "$@"; }
else
	cc -std=c11 -D_GNU_SOURCE -O2 -o "$work/rusage" "$top/bench/rusage.c" ||
		{ echo "bench/fetch.sh: no /usr/bin/time and cannot build bench/rusage.c" >&2; exit 1; }
	timer() { "$work/rusage" "$@"; }
fi
measure() { # NAME COMMAND... ; prints "elapsed user sys maxrss_kb"
	local name=$1; shift
	timer "$work/time.$name" "$@" > "$work/out.$name" 2> "$work/err.$name"
	local rc=$?
	[ $rc -eq 0 ] || { echo "bench/fetch.sh: $name exited $rc" >&2; tail -5 "$work/err.$name" >&2; }
	tail -n 1 "$work/time.$name" | cut -d' ' -f1-4
}
export PHX_STATE_DIR=$work/state
# Warm the page cache and nginx once, untimed.
curl -s --parallel --parallel-max "$conc" -K "$work/curl.conf" > /dev/null 2>&1
# Alternate the two, several rounds, and add up: one round is under a second.
c_el=0 c_us=0 c_sy=0 c_rss=0 p_el=0 p_us=0 p_sy=0 p_rss=0
add() { awk -v a="$1" -v b="$2" 'BEGIN { print a + b }'; }
maxi() { if [ "$1" -gt "$2" ]; then echo "$1"; else echo "$2"; fi; }
for ((r = 0; r < rounds; r++)); do
	read -r el us sy rss < <(measure curl curl -s --parallel --parallel-max "$conc" \
		-K "$work/curl.conf")
	c_el=$(add "$c_el" "$el"); c_us=$(add "$c_us" "$us"); c_sy=$(add "$c_sy" "$sy")
	c_rss=$(maxi "$c_rss" "$rss")
	rm -rf "$PHX_STATE_DIR"
	read -r el us sy rss < <(measure phx "$bin/phx-fetch" --url-file "$work/urls.txt" \
		--concurrency "$conc" -q)
	p_el=$(add "$p_el" "$el"); p_us=$(add "$p_us" "$us"); p_sy=$(add "$p_sy" "$sy")
	p_rss=$(maxi "$p_rss" "$rss")
done
p_out=$(wc -l < "$work/out.phx")
c_bytes=$(wc -c < "$work/out.curl")
echo "fetch throughput: $files small JSON files from nginx on loopback, concurrency $conc," \
	"$rounds rounds each"
echo "  (curl output: $c_bytes bytes of bodies; phx-fetch output: $p_out records)"
awk -v n=$((files * rounds)) -v ce="$c_el" -v cu="$c_us" -v cs="$c_sy" -v cr="$c_rss" \
	-v pe="$p_el" -v pu="$p_us" -v ps="$p_sy" -v pr="$p_rss" 'BEGIN {
	if (ce <= 0) ce = 0.01; if (pe <= 0) pe = 0.01
	crps = n / ce; prps = n / pe
	ccpu = (cu + cs) * 1000 / n; pcpu = (pu + ps) * 1000 / n
	if (ccpu <= 0) ccpu = 0.001
	printf "  %-10s %10s %14s %12s %10s\n", "tool", "req/s", "CPU s/1000", "peak RSS", "wall s"
	printf "  %-10s %10.0f %14.3f %9d KB %10.2f\n", "curl", crps, ccpu, cr, ce
	printf "  %-10s %10.0f %14.3f %9d KB %10.2f\n", "phx-fetch", prps, pcpu, pr, pe
	printf "  ratios phx-fetch/curl: throughput %.2f (aim >= 0.9), CPU %.2f (aim <= 1.5), memory %.2f\n",
		prps / crps, pcpu / ccpu, pr / cr
}'
[ "$p_out" -eq "$files" ] || echo "  WARNING: phx-fetch emitted $p_out records for $files URLs"

# ---- politeness: 20 requests a second against the stand-in ---------------
mkdir -p "$work/mc"
uuid=$(cat /proc/sys/kernel/random/uuid)
(umask 077; printf '%s\n' "$uuid" > "$work/mc/token")
(cd "$work/mc" && exec "$py" "$top/tests/servers/maricopa.py" --port-file "$work/mc/port" \
	--token-file "$work/mc/token" --log "$work/mc/requests.ndjson") 2> "$work/mc/stderr" &
pids+=($!)
i=0
while [ ! -s "$work/mc/port" ] && [ $i -lt 300 ]; do i=$((i + 1)); sleep 0.05; done
mport=$(cat "$work/mc/port")
wait_port "$mport" || { echo "bench/fetch.sh: stand-in did not start" >&2; exit 1; }
export MARICOPA_BASE_URL=http://127.0.0.1:$mport MARICOPA_API_KEY_FILE=$work/mc/token
export PHX_STATE_DIR=$work/state-rate
dur=60; [ $quick = 1 ] && dur=15
# 85031+85033+85035 is 1,187 pages: about 60 s at 20/s (266 pages, 13 s, for --quick).
timeout $((dur + 30)) "$bin/phx-fetch" --source maricopa --zip "$rate_zips" --rate 20/s \
	--concurrency 4 -q > /dev/null 2> "$work/mc/fetch.err"
"$py" "$top/tests/servers/maricopa.py" --report "$work/mc/requests.ndjson" --ceiling 21 \
	> "$work/mc/report.json"
echo "rate limit 20/s (burst 1) against the stand-in assessor, ZIPs $rate_zips:"
jq -r '"  \(.requests) requests in \(.span_s) s: achieved \(.rate) req/s;" +
	" busiest calendar second \(.busiest_second.count), busiest 1-s window \(.max_in_1s_window)"' \
	"$work/mc/report.json"
