#!/usr/bin/env bash
# The persisted ledger: reruns count nothing twice, a growing journal is read
# from where the last run stopped, a line still being written waits for the
# next run, appends from two writers while phx-cost runs lose nothing,
# parallel phx-cost runs share the ledger, a damaged ledger is rebuilt, and
# a million lines of a thousandth of a micro-dollar sum exactly.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
export PHX_STATE_DIR=$T/state HOME=$T XDG_CONFIG_HOME=$T/cfg XDG_DATA_HOME=$T/data
unset PHX_DB MONGODB_URI MONGODB_URL
mkdir -p "$PHX_STATE_DIR"
J=$PHX_STATE_DIR/usage.ndjson L=$PHX_STATE_DIR/cost-ledger.ndjson
export PHX_PRICES=$T/prices.conf
echo "unit api http_request 0.01 per 1 from 2026-01-01" > "$PHX_PRICES"
AT=--at=2026-12-20T19:00:00Z
u() { printf '{"phx":"usage","tool":"%s","at":"2026-12-20T12:00:00Z","service":"api","what":"http_request","qty":%s}\n' "${2:-t}" "$1"; }
spent() { phx cost --json --no-alerts "$AT" | jq .usd_micros; }

for _ in $(seq 10); do u 1; done > "$J"
t_eq "10 requests" 100000 "$(spent)"
t_eq "a rerun counts nothing twice" 100000 "$(spent)"
t_eq "nor does a third run" 100000 "$(spent)"
t_eq "the ledger remembers the lines read" 10 "$(head -1 "$L" | jq .lines)"
t_eq "and the bytes" "$(wc -c < "$J" | tr -d ' ')" "$(head -1 "$L" | jq .offset)"

# The journal grows: only the new lines are added.
for _ in $(seq 5); do u 1; done >> "$J"
t_eq "5 more lines: 15 requests" 150000 "$(spent)"

# A line still being written (no newline yet) waits for the next run.
line=$(u 100)
printf '%s' "${line:0:30}" >> "$J"
t_eq "a half line is not counted" 150000 "$(spent)"
printf '%s\n' "${line:30}" >> "$J"
t_eq "once complete it is counted, once" 1150000 "$(spent)"
t_eq "and stays counted once" 1150000 "$(spent)"

# A damaged ledger is rebuilt from the journal, with a warning.
echo "garbage" > "$L"
phx cost --json --no-alerts "$AT" > "$T/out" 2> "$T/err"
t_eq "a damaged ledger: rebuilt, the same sum" 1150000 "$(jq .usd_micros "$T/out")"
t_contains "with a warning" "rebuilding the cost ledger" "$T/err"

# Two writers append while phx-cost runs again and again: nothing lost,
# nothing counted twice.
writer() { local _; for _ in $(seq 1500); do u 1 "w$1" >> "$J"; done; }
writer 1 & w1=$!
writer 2 & w2=$!
runs=0
while kill -0 "$w1" 2> /dev/null || kill -0 "$w2" 2> /dev/null; do
	phx cost --no-alerts "$AT" > /dev/null 2>> "$T/during.err"
	runs=$((runs + 1))
done
wait "$w1" "$w2"
t_ge "phx-cost ran while the writers appended" 1 "$runs"
t_eq "no warnings during the appends" "" "$(cat "$T/during.err")"
t_eq "after the appends: 3000 more requests, exactly" 31150000 "$(spent)"
phx cost --detailed --json --no-alerts "$AT" > "$T/out"
t_eq "each writer's 1500 lines are in the ledger" "1500 1500" \
	"$(jq -r 'select(.by=="tool" and (.key|startswith("w"))) | .lines' "$T/out" | sort | tr '\n' ' ' | sed 's/ $//')"

# Parallel phx-cost runs over new lines: the lock keeps them from reading
# the same bytes twice.
for _ in $(seq 200); do u 1; done >> "$J"
pids=()
for _ in 1 2 3 4; do phx cost --no-alerts "$AT" > /dev/null 2>&1 & pids+=($!); done
wait "${pids[@]}"
t_eq "four runs at once: 200 more requests, once" 33150000 "$(spent)"

# A million tiny entries: each a thousandth of a micro-dollar (0.000001 per
# 1000 requests); priced line by line each would round to 0.
n=1000000
[ "${PHX_SAN:-0}" = 1 ] || [ -n "${PHX_WRAP:-}" ] && n=200000
echo "unit api http_request 0.000001 per 1k from 2026-01-01" > "$T/tiny.conf"
awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++)
	printf "{\"phx\":\"usage\",\"at\":\"2026-12-%02dT12:00:00Z\",\"service\":\"api\",\"what\":\"http_request\",\"qty\":1}\n", i % 20 + 1 }' \
	> "$T/tiny.ndjson"
phx cost --json --prices "$T/tiny.conf" "$AT" "$T/tiny.ndjson" > "$T/out"
t_eq "$n tiny entries sum exactly ($n / 1000 micro-dollars)" $((n / 1000)) "$(jq .usage_usd_micros "$T/out")"
t_eq "all of them counted" "$n" "$(jq .lines "$T/out")"
