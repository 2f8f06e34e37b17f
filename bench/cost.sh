#!/usr/bin/env bash
# bench/cost.sh BIN_DIR [--quick] - phx-cost pricing a large usage journal.
#
# Generates N usage lines shaped as the tools write them (60 % proxied
# assessor requests with host, bytes, status, proxy, source, ZIP; 30 % proxy
# bytes; 10 % LLM tokens; over December 2026 in UTC, so the first hours of
# the 1st are November in Phoenix), then on one core (taskset) with
# the same month (December 2026, Phoenix: 2026-12-01T07:00Z up to
# 2027-01-01T07:00Z):
#   phx-cost FILE         the journal as a file operand: parsed, bucketed, priced
#   phx-cost (ledger)     the journal in the state directory: the first run
#                         builds the ledger, the rerun reads nothing new
#   jq -n reduce inputs   quantities summed by service and what (streaming),
#                         on the first N/20 lines (it is slow; rates per line)
#   jq -s                 the same after slurping, on the first N/100 (it holds
#                         every line in memory)
#   awk                   the same by splitting on '"' (mawk/gawk), on all N
# and prints lines per CPU second (user+sys) for each, the ratios against
# the aims (>= 5x jq) and phx-cost's peak memory for N/10 against N (flat).
# N = 10,000,000 (--quick: 1,000,000). The journal is kept in $PHX_BENCH_DIR
# (default build/bench) and reused: generating is deterministic.
set -u
bin=${1:?usage: bench/cost.sh BIN_DIR [--quick]}
quick=0
[ "${2:-}" = --quick ] && quick=1
top=$(cd "$(dirname "$0")/.." && pwd)
case $bin in /*) ;; *) bin=$top/$bin ;; esac
export LC_ALL=C TZ=UTC
n=10000000
[ $quick = 1 ] && n=1000000
work=${PHX_BENCH_DIR:-$top/build/bench}
mkdir -p "$work" || exit 1
[ -x "$bin/phx-cost" ] || { echo "bench/cost.sh: no $bin/phx-cost" >&2; exit 1; }
for t in cc jq awk; do
	command -v "$t" > /dev/null || { echo "bench/cost.sh: $t is needed" >&2; exit 1; }
done
pin=(); command -v taskset > /dev/null && pin=(taskset -c "${BENCH_CPU:-0}")
cc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -o "$work/rusage" "$top/bench/rusage.c" ||
	exit 1

# the journal generator (deterministic)
gen=$(cat <<'AWK'
BEGIN {
	for (i = 0; i < n; i++) {
		d = i % 28 + 1; h = int(i / 1000) % 24; m = i % 60; r = i % 10
		at = sprintf("2026-12-%02dT%02d:%02d:%02dZ", d, h, m, m)
		if (r < 6)
			printf "{\"phx\":\"usage\",\"tool\":\"phx-fetch\",\"at\":\"%s\",\"service\":\"mcassessor.maricopa.gov\",\"what\":\"http_request\",\"qty\":1,\"run\":\"r%d\",\"host\":\"mcassessor.maricopa.gov\",\"bytes\":%d,\"status\":%d,\"proxy\":\"http://p%d.example:8080\",\"source\":\"maricopa\",\"zip\":\"8503%d\"}\n", at, i % 97, 3000 + i % 5000, (i % 50 == 0) ? 503 : 200, i % 10, i % 5
		else if (r < 9)
			printf "{\"phx\":\"usage\",\"tool\":\"phx-fetch\",\"at\":\"%s\",\"service\":\"webshare\",\"what\":\"proxy_bytes\",\"qty\":%d,\"run\":\"r%d\",\"proxy\":\"p%d\"}\n", at, 3000 + i % 5000, i % 97, i % 10
		else
			printf "{\"phx\":\"usage\",\"tool\":\"phx-llm\",\"at\":\"%s\",\"service\":\"llm\",\"what\":\"tokens_in\",\"qty\":%d,\"run\":\"r%d\",\"model\":\"llama3.2\"}\n", at, 500 + i % 300, i % 97
	}
}
AWK
)
big=$work/usage-$n.ndjson
if [ ! -s "$big" ]; then
	awk -v n="$n" "$gen" > "$big.tmp" && mv "$big.tmp" "$big" || exit 1
fi
tenth=$work/usage-$n-first-$((n / 10)).ndjson jqpart=$work/usage-$n-first-$((n / 20)).ndjson
slurp=$work/usage-$n-first-$((n / 100)).ndjson
[ -s "$tenth" ] || head -n $((n / 10)) "$big" > "$tenth" || exit 1
[ -s "$jqpart" ] || head -n $((n / 20)) "$big" > "$jqpart" || exit 1
[ -s "$slurp" ] || head -n $((n / 100)) "$big" > "$slurp" || exit 1

state=$(mktemp -d "${TMPDIR:-/tmp}/phx-bench-cost.XXXXXX")
trap 'rm -rf "$state"' EXIT
export PHX_STATE_DIR=$state/state XDG_CONFIG_HOME=$state/config HOME=$state
unset PHX_DB MONGODB_URI MONGODB_URL PHX_PRICES
mkdir -p "$PHX_STATE_DIR"

declare -A cpu wall rss rc lines
calc() { awk "BEGIN { print $1 }"; }
# run NAME LINES CMD...: stdout to $work/cost-NAME.out
run() {
	local name=$1 w u s m c; lines[$1]=$2; shift 2
	"$work/rusage" "$work/cost-$name.time" "${pin[@]}" "$@" > "$work/cost-$name.out" \
		2> "$work/cost-$name.err"
	read -r w u s m c < "$work/cost-$name.time"
	cpu[$name]=$(calc "$u + $s") wall[$name]=$w rss[$name]=$m rc[$name]=$c
}
rate() { calc "${lines[$1]} / (${cpu[$1]} + 0.0001)"; }
row() { # NAME LABEL
	printf '%-34s %9d %8.2f %8.2f %11.0f %9.1f\n' "$2" "${lines[$1]}" "${cpu[$1]}" \
		"${wall[$1]}" "$(rate "$1")" "$(calc "${rss[$1]} / 1024")"
}
verdict() { [ "$(calc "($1) ? 1 : 0")" = 1 ] && echo met || echo MISSED; }

at=2026-12-31T19:00:00Z lo=2026-12-01T07:00:00Z hi=2027-01-01T07:00:00Z
sum_jq='select(.phx == "usage" and .at >= $lo and .at < $hi)'
echo "usage lines: $n ($(($(stat -c %s "$big") / 1048576)) MiB) in $big; one core: ${pin[*]:-no taskset}"
run phx "$n" "$bin/phx-cost" --json --no-alerts --at "$at" "$big"
run phxtenth $((n / 10)) "$bin/phx-cost" --json --no-alerts --at "$at" "$tenth"
ln -s "$big" "$PHX_STATE_DIR/usage.ndjson"
run ledger "$n" "$bin/phx-cost" --json --no-alerts --at "$at"
run rerun "$n" "$bin/phx-cost" --json --no-alerts --at "$at"
run jq $((n / 20)) jq -n --arg lo "$lo" --arg hi "$hi" \
	"reduce (inputs | $sum_jq) as \$u ({}; .[\"\(\$u.service) \(\$u.what)\"] += \$u.qty)" "$jqpart"
run jqs $((n / 100)) jq -s --arg lo "$lo" --arg hi "$hi" \
	"map($sum_jq) | group_by(.service + \" \" + .what) | map({key: (.[0].service + \" \" + .[0].what), qty: (map(.qty) | add)})" "$slurp"
run awk "$n" awk -F'"' -v lo="$lo" -v hi="$hi" '{
	at = ""; s = ""; w = ""; q = 0
	for (i = 2; i < NF; i += 2) {
		if ($i == "at") at = $(i + 2)
		else if ($i == "service") s = $(i + 2)
		else if ($i == "what") w = $(i + 2)
		else if ($i == "qty") { v = $(i + 1); sub(/^:/, "", v); sub(/,.*/, "", v); q = v + 0 }
	}
	if (at >= lo && at < hi) { sum[s " " w] += q; n++ }
} END { for (k in sum) print k, sum[k]; print "lines", n }' "$big"

printf '%-34s %9s %8s %8s %11s %9s\n' tool lines cpu_s wall_s 'lines/cpu_s' peak_MiB
row phx "phx-cost FILE"
row phxtenth "phx-cost FILE (first N/10)"
row ledger "phx-cost, ledger built"
row rerun "phx-cost, rerun (nothing new)"
row jq "jq -n reduce (first N/20)"
row jqs "jq -s (first N/100)"
row awk "awk ($(readlink -f "$(command -v awk)" | xargs basename))"
phx_lines=$(jq .lines "$work/cost-phx.out") awk_lines=$(awk '$1 == "lines" { print $2 }' "$work/cost-awk.out")
echo "sanity: December lines counted: phx-cost $phx_lines, awk $awk_lines;" \
	"ledger run $(jq .usd_micros "$work/cost-ledger.out") = rerun $(jq .usd_micros "$work/cost-rerun.out")" \
	"= file $(jq .usd_micros "$work/cost-phx.out") micro-dollars"
vs_jq=$(calc "$(rate phx) / $(rate jq)") vs_jqs=$(calc "$(rate phx) / $(rate jqs)")
mem=$(calc "${rss[phx]} / ${rss[phxtenth]}")
printf 'phx-cost vs jq -n reduce:  %6.2fx the speed (aim >= 5):    %s\n' "$vs_jq" "$(verdict "$vs_jq >= 5")"
printf 'phx-cost vs jq -s:         %6.2fx the speed (aim >= 5):    %s\n' "$vs_jqs" "$(verdict "$vs_jqs >= 5")"
printf 'phx-cost vs awk:           %6.2fx the speed\n' "$(calc "$(rate phx) / $(rate awk)")"
printf 'peak memory, N vs N/10:    %6.2fx           (aim <= 1.1): %s\n' "$mem" "$(verdict "$mem <= 1.1")"
[ "${rc[phx]}" = 0 ] && [ "${rc[ledger]}" = 0 ] && [ "${rc[jq]}" = 0 ] && [ "$phx_lines" = "$awk_lines" ]
