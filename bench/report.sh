#!/usr/bin/env bash
# bench/report.sh BIN_DIR [--quick] - how long the daily report takes on a
# store of N properties (default 100,000; --quick 20,000), in SQLite, two
# days stored (day 2 changes every tenth record), against what a user would
# otherwise run for the same figures: `phx-store stats` (the per-ZIP
# statistics) plus `phx-store export | jq` picking the day's new listings and
# price changes. phx-report does both in one pass over the store and adds
# the journals, the charts and the HTML.
set -u
bin=${1:?usage: bench/report.sh BIN_DIR [--quick]}
top=$(cd "$(dirname "$0")/.." && pwd)
case $bin in /*) ;; *) bin=$top/$bin ;; esac
n=100000
[ "${2:-}" = --quick ] && n=20000
for t in "$bin/phx-report" "$bin/phx-store"; do
	[ -x "$t" ] || { echo "bench/report.sh: no $t" >&2; exit 1; }
done
command -v jq > /dev/null || { echo "bench/report.sh: jq is needed" >&2; exit 1; }
work=${PHX_BENCH_DIR:-$top/build/bench}/report
mkdir -p "$work" || exit 1
cc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -o "$work/rusage" "$top/bench/rusage.c" ||
	exit 1
export PHX_STATE_DIR=$work/state PHX_DB=sqlite:$work/report-$n.db
db=$work/report-$n.db
if [ ! -s "$db" ]; then
	rm -rf "$PHX_STATE_DIR"
	awk -v n="$n" -v round=1 -f "$top/bench/store_gen.awk" |
		"$bin/phx-store" -q --date 2026-11-28 > /dev/null || exit 1
	awk -v n="$n" -v round=2 -f "$top/bench/store_gen.awk" |
		"$bin/phx-store" -q --date 2026-11-29 > /dev/null || exit 1
fi
now=2026-11-30T06:00:00Z	# the evening of Nov 29 in Phoenix
# The day in UTC instants: Nov 29 00:00 to Nov 30 00:00 Phoenix.
jqday='def inday: . >= "2026-11-29T07:00:00Z" and . < "2026-11-30T07:00:00Z";
  select(.price_history | length > 0)
  | (.price_history | map(select(.at < "2026-11-30T07:00:00Z"))) as $h
  | ($h | map(select(.at < "2026-11-29T07:00:00Z")) | last) as $prev
  | select($h | length > 0) | ($h | last) as $cur
  | select($cur.at | inday)
  | if $prev == null then {change: "new", id: .property_id, price: $cur.price}
    elif $prev.price != $cur.price then {change: "price", id: .property_id, old: $prev.price, price: $cur.price}
    else empty end'

printf '%-44s %8s %8s %9s\n' "" wall_s cpu_s "peak MiB"
measure() { # LABEL COMMAND...
	local label=$1 wall user sys kib code
	shift
	"$work/rusage" "$work/ru" "$@" > "$work/out" 2> "$work/err"
	read -r wall user sys kib code < "$work/ru"
	[ "$code" = 0 ] || echo "bench/report.sh: $label: exit $code: $(tail -n 3 "$work/err")" >&2
	printf '%-44s %8.2f %8.2f %9.1f\n' "$label" "$wall" \
		"$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" \
		"$(awk -v k="$kib" 'BEGIN { print k / 1024 }')"
	last_wall=$wall
}
echo "store: $n properties (SQLite), day 2 of 2"
measure "phx-report --daily --format text" "$bin/phx-report" -q --now "$now" --daily
rw=$last_wall
measure "phx-report --daily --format html" "$bin/phx-report" -q --now "$now" --daily --format html
measure "phx-report --daily --csv" "$bin/phx-report" -q --now "$now" --daily --csv
rows=$(($(wc -l < "$work/out") - 1))
measure "phx-store stats" "$bin/phx-store" -q stats
sw=$last_wall
measure "phx-store export | jq (the day's changes)" bash -c \
	"\"$bin/phx-store\" -q export | jq -c '$jqday' > \"$work/jq.out\""
jw=$last_wall
echo "the day's new listings and price changes: phx-report $rows, jq $(wc -l < "$work/jq.out")"
awk -v r="$rw" -v s="$sw" -v j="$jw" \
	'BEGIN { printf "ratio (stats + export|jq) / phx-report --daily: %.2f\n", (s + j) / r }'
