#!/usr/bin/env bash
# bench/validate.sh BIN_DIR [--quick] - phx-validate's speed and memory.
#
# Generates N realistic property records (bench/gen_records.c: assessor and
# MLS observations with raw objects, ~5% invalid, ~10% with warnings), then
# times on one core (taskset), each with the same input:
#   phx-validate          default schema and rules (etc/)
#   jansson parse only    json_loadb of every line (bench/jansson_parse.c):
#                         the floor for a jansson-based tool
#   jq 1.6                bench/validate.jq: the same required fields, types,
#                         ranges, enums, patterns, three rules and a quality
#                         score; on the first N/10 records (it is slow; the
#                         rate is per record)
#   ajv 8 (node)          bench/ajv_validate.js: ajv-cli's engine on the same
#                         schema, plus the jq rules; when npm can install it
# and prints records per CPU second (user+sys) for each, and the ratios
# against the aims: >= 3x jq; <= 1.5x jansson's time; the same peak memory
# for N/10 records as for N.
# CPU time is noisy on a shared machine, so when valgrind is there the
# instructions phx-validate and the jansson parse execute on the first N/100
# records are counted too (callgrind): the same ratio, without the noise.
# N = 1,000,000 (--quick: 100,000). Files are kept in $PHX_BENCH_DIR
# (default build/bench) and reused: generating is deterministic.
set -u
bin=${1:?usage: bench/validate.sh BIN_DIR [--quick]}
quick=0
[ "${2:-}" = --quick ] && quick=1
top=$(cd "$(dirname "$0")/.." && pwd)
case $bin in /*) ;; *) bin=$top/$bin ;; esac
export LC_ALL=C TZ=UTC
n=1000000
[ $quick = 1 ] && n=100000
small=$((n / 10))
work=${PHX_BENCH_DIR:-$top/build/bench}
mkdir -p "$work" || exit 1
[ -x "$bin/phx-validate" ] || { echo "bench/validate.sh: no $bin/phx-validate" >&2; exit 1; }
for t in cc jq; do
	command -v "$t" > /dev/null || { echo "bench/validate.sh: $t is needed" >&2; exit 1; }
done
pin=(); command -v taskset > /dev/null && pin=(taskset -c "${BENCH_CPU:-0}")

# ---- helpers, built here (not part of the product) -------------------------
cflags=(-std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror)
for p in gen_records rusage; do
	cc "${cflags[@]}" -o "$work/$p" "$top/bench/$p.c" || exit 1
done
read -ra jcflags <<< "$(pkg-config --cflags jansson)"
read -ra jlibs <<< "$(pkg-config --libs jansson)"
cc "${cflags[@]}" "${jcflags[@]}" -o "$work/jansson_parse" "$top/bench/jansson_parse.c" \
	"${jlibs[@]}" || exit 1

# ---- the record files -------------------------------------------------------
big=$work/records-$n.ndjson part=$work/records-$n-first-$small.ndjson
if [ ! -s "$big" ]; then
	"$work/gen_records" "$n" > "$big.tmp" && mv "$big.tmp" "$big" || exit 1
fi
[ -s "$part" ] || head -n "$small" "$big" > "$part" || exit 1
tiny=$work/records-$n-first-$((n / 100)).ndjson
[ -s "$tiny" ] || head -n $((n / 100)) "$big" > "$tiny" || exit 1

# ---- ajv, when npm can install it ------------------------------------------
have_ajv=0
if command -v node > /dev/null && command -v npm > /dev/null; then
	if [ ! -d "$top/bench/node_modules/ajv-formats" ]; then
		npm install --prefix "$top/bench" --no-audit --no-fund --silent > "$work/npm.log" 2>&1 ||
			echo "bench/validate.sh: npm install failed (see $work/npm.log): no ajv figures"
	fi
	[ -d "$top/bench/node_modules/ajv-formats" ] && have_ajv=1
fi

# ---- measuring ---------------------------------------------------------------
declare -A cpu wall rss rc recs
calc() { awk "BEGIN { print $1 }"; }
# run NAME RECORDS CMD...: stdout to /dev/null, stderr to $work/NAME.err
run() {
	local name=$1 w u s m c; recs[$1]=$2; shift 2
	"$work/rusage" "$work/$name.time" "${pin[@]}" "$@" > /dev/null 2> "$work/$name.err"
	read -r w u s m c < "$work/$name.time"
	cpu[$name]=$(calc "$u + $s") wall[$name]=$w rss[$name]=$m rc[$name]=$c
}
rate() { calc "${recs[$1]} / (${cpu[$1]} + 0.0001)"; }
row() { # NAME LABEL
	printf '%-30s %9d %8.2f %8.2f %10.0f %9.1f\n' "$2" "${recs[$1]}" "${cpu[$1]}" \
		"${wall[$1]}" "$(rate "$1")" "$(calc "${rss[$1]} / 1024")"
}
# instructions NAME CMD...: instructions executed (callgrind's total Ir)
instructions() {
	local name=$1; shift
	# exit status not checked: phx-validate exits 1 when it rejected records
	valgrind --tool=callgrind --callgrind-out-file="$work/$name.cg" "$@" > /dev/null \
		2> "$work/$name.cg.err"
	awk '/^summary:/ { print $2 }' "$work/$name.cg"
}
verdict() { [ "$(calc "($1) ? 1 : 0")" = 1 ] && echo met || echo MISSED; }

state=$(mktemp -d "${TMPDIR:-/tmp}/phx-bench-state.XXXXXX")
trap 'rm -rf "$state"' EXIT
export PHX_STATE_DIR=$state XDG_CONFIG_HOME=$state/config

echo "records: $n ($(($(stat -c %s "$big") / 1048576)) MiB) in $big; one core: ${pin[*]:-no taskset}"
run phx "$n" "$bin/phx-validate" --rejects /dev/null "$big"
phx_rejected=$(tail -n 1 "$state/runs.ndjson" | jq .rejected)
phx_out=$(tail -n 1 "$state/runs.ndjson" | jq .out)
run phxsmall "$small" "$bin/phx-validate" --rejects /dev/null "$part"
phxsmall_rejected=$(tail -n 1 "$state/runs.ndjson" | jq .rejected)
run phxbare "$n" "$bin/phx-validate" --no-rules \
	--schema "$top/tests/fixtures/validate/any-object.schema.json" --rejects /dev/null "$big"
run jansson "$n" "$work/jansson_parse" "$big"
jq=(jq -cR --argjson year "$(date -u +%Y)" -f "$top/bench/validate.jq" "$part")
"${jq[@]}" | grep -c '^{"reject":' > "$work/jq.rejected"
run jq "$small" "${jq[@]}"
if [ $have_ajv = 1 ]; then
	node "$top/bench/ajv_validate.js" "$top/etc/property.schema.json" "$part" |
		grep -c '^{"reject":' > "$work/ajv.rejected"
	run ajv "$n" node "$top/bench/ajv_validate.js" "$top/etc/property.schema.json" "$big"
fi

printf '%-30s %9s %8s %8s %10s %9s\n' tool records cpu_s wall_s 'rec/cpu_s' peak_MiB
row phx "phx-validate"
row phxsmall "phx-validate (first N/10)"
row phxbare "phx-validate (no checks)"
row jansson "jansson parse only"
row jq "jq 1.6 (first N/10)"
[ $have_ajv = 1 ] && row ajv "ajv 8 on node $(node --version)"
echo "sanity: phx-validate exit ${rc[phx]}, out $phx_out + rejected $phx_rejected of $n;" \
	"rejected among the first N/10: phx $phxsmall_rejected, jq $(cat "$work/jq.rejected")$(
	[ $have_ajv = 1 ] && echo ", ajv $(cat "$work/ajv.rejected")")"

speed_jq=$(calc "$(rate phx) / $(rate jq)")
vs_jansson=$(calc "${cpu[phx]} / ${cpu[jansson]}")
mem=$(calc "${rss[phx]} / ${rss[phxsmall]}")
printf 'phx-validate vs jq:            %6.2fx the speed (aim >= 3):      %s\n' "$speed_jq" \
	"$(verdict "$speed_jq >= 3")"
printf 'phx-validate vs jansson parse: %6.2fx the time  (aim <= 1.5):    %s\n' "$vs_jansson" \
	"$(verdict "$vs_jansson <= 1.5")"
printf 'peak memory, N vs N/10:        %6.2fx           (aim 1, <= 1.1): %s\n' "$mem" \
	"$(verdict "$mem <= 1.1")"
[ $have_ajv = 1 ] && printf 'phx-validate vs ajv:           %6.2fx the speed\n' \
	"$(calc "$(rate phx) / $(rate ajv)")"
if command -v valgrind > /dev/null; then
	ir_phx=$(instructions phx "$bin/phx-validate" --rejects /dev/null "$tiny")
	ir_jansson=$(instructions jansson "$work/jansson_parse" "$tiny")
	[ -n "$ir_phx" ] && [ -n "$ir_jansson" ] &&
		printf 'instructions per record (first N/100): phx-validate %.0f, jansson %.0f: %.2fx\n' \
		"$(calc "$ir_phx / ($n / 100)")" "$(calc "$ir_jansson / ($n / 100)")" \
		"$(calc "$ir_phx / $ir_jansson")"
fi
# a tool that failed makes the figures meaningless
[ "${rc[phx]}" -le 1 ] && [ "${rc[jansson]}" = 0 ] && [ "${rc[jq]}" = 0 ]
