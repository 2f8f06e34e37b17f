#!/usr/bin/env bash
# phx-cost --gate in a cron-like shell line, and --check as a Monitoring
# Plugin: status line, perfdata, exit codes, -w/-c ranges.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
export PHX_STATE_DIR=$T/state HOME=$T XDG_CONFIG_HOME=$T/cfg XDG_DATA_HOME=$T/data
unset PHX_DB MONGODB_URI MONGODB_URL PHX_PRICES
mkdir -p "$PHX_STATE_DIR"
J=$PHX_STATE_DIR/usage.ndjson
export PHX_PRICES=$T/prices.conf
# a journal started afresh (a rewritten journal is a rotated one: what the
# ledger counted stays counted, so the ledger goes too)
fresh() { rm -f "$J" "$PHX_STATE_DIR/cost-ledger.ndjson"; }
u() { printf '{"phx":"usage","tool":"phx-fetch","at":"%s","service":"api","what":"http_request","qty":%s}\n' "$1" "$2"; }
# a cent a request, no fixed fee
echo "unit api http_request 0.01 per 1 from 2026-01-01" > "$PHX_PRICES"
AT=--at=2026-12-20T19:00:00Z	# day 20, noon in Phoenix

# Day 20: 19 days of 50 requests (0.50 a day) and 50 today: month 10.00,
# forecast ~15.75: every figure below its warning.
for d in $(seq -w 1 20); do u "2026-12-${d}T12:00:00Z" 50; done > "$J"
out=$(phx cost --gate "$AT" --no-alerts 2> "$T/err" && echo ran)
t_eq "an open gate lets the command after && run" ran "$out"
t_eq "an open gate says nothing" "" "$(cat "$T/err")"
phx cost --check "$AT" --no-alerts > "$T/out"
t_eq "--check OK: exit 0" 0 $?
t_contains "the status line" "COST OK - 2026-12: \$10.0000 of \$25.0000 (40.0 %)" "$T/out"
t_contains "perfdata of the month, with the runbook's ranges and the budget as max" \
	"'month'=10;~:20;~:23.75;0;25" "$T/out"
t_contains "perfdata of today" "'today'=0.5;~:0.8;~:1;0;" "$T/out"
t_eq "the status line is the first line, perfdata after '|'" 1 \
	"$(head -1 "$T/out" | grep -c "^COST OK - .* | 'month'=")"

# -w/-c ranges (Monitoring Plugins syntax) move the limits.
phx cost --check "$AT" --no-alerts -w 8 -c 16 > "$T/out"
t_eq "-w 8 -c 16: month (10) and forecast (15.90) past the warning: exit 1" 1 $?
phx cost --check "$AT" --no-alerts -w 8 -c 9 > "$T/out"
t_eq "-c 9: CRITICAL, exit 2" 2 $?
t_contains "the ranges given are in the perfdata" "'month'=10;8;9;0;25" "$T/out"
phx cost --check "$AT" --no-alerts -w today=0.4 > "$T/out"
t_eq "-w today=0.4: WARNING" 1 $?
t_contains "the figure line says which" "today: WARNING \$0.5000" "$T/out"
phx cost --check "$AT" --no-alerts -c month=@5:15 > "$T/out"
t_eq "an inside range @5:15 alerts on 10" 2 $?
phx cost --check "$AT" --no-alerts -w nosuch=3 > "$T/out" 2> "$T/err"
t_eq "an unknown figure is a usage error" 64 $?
t_contains "naming the figure" "no figure named nosuch" "$T/err"
phx cost --check "$AT" --no-alerts -w abc > /dev/null 2> "$T/err"
t_eq "a bad range is a usage error" 64 $?
phx cost -w 3 "$AT" > /dev/null 2> "$T/err"
t_eq "-w without --check is a usage error" 64 $?

# Today past the daily critical (1.00): the gate closes, --check CRITICAL.
u 2026-12-20T13:00:00Z 60 >> "$J"
out=$(phx cost --gate "$AT" --no-alerts 2> "$T/err" && echo ran)
t_eq "a closed gate: the command after && does not run" "" "$out"
phx cost --gate "$AT" --no-alerts 2> "$T/err"
t_eq "--gate exits 75" 75 $?
t_lines "one line on stderr" 1 "$T/err"
t_contains "saying why" "today \$1.1000 > \$1.0000" "$T/err"
phx cost --check "$AT" --no-alerts > "$T/out"
t_eq "--check CRITICAL: exit 2" 2 $?

# The forecast alone past critical: day 2 at 1.00 a day forecasts 31.00.
fresh
u 2026-12-01T12:00:00Z 90 > "$J"
phx cost --gate --at 2026-12-02T07:00:00Z --no-alerts 2> "$T/err"
t_eq "a forecast past 23.75 closes the gate" 75 $?
t_contains "the forecast is the reason" "forecast month-end spend" "$T/err"
t_absent "the month itself is not" "month to date" "$T/err"
# The month itself past critical, late in the month.
fresh
for d in $(seq -w 1 28); do u "2026-12-${d}T12:00:00Z" 85; done > "$J"
phx cost --gate --at 2026-12-28T19:00:00Z --no-alerts 2> "$T/err"
t_eq "23.80 spent: the gate closes" 75 $?
t_contains "month to date past critical" "month to date \$23.8000 > \$23.7500" "$T/err"
# The next month opens the gate again.
out=$(phx cost --gate --at 2027-01-02T19:00:00Z --no-alerts 2>&1 && echo ran)
t_eq "a new month opens the gate" ran "$out"

# A cron-like line as in the crontab, with the pipelines' own flags.
cat > "$T/cron.sh" <<SH
#!/bin/sh
"$PHX_BIN/phx-cost" --gate --at 2026-12-28T19:00:00Z --no-alerts 2>> "$T/cron.log" && echo collected >> "$T/cron.log"
exit 0
SH
sh "$T/cron.sh"
t_absent "cron line: nothing collected past critical" collected "$T/cron.log"
t_contains "cron line: the gate's reason logged" "gate closed" "$T/cron.log"

# A broken price file: the gate fails closed (not 0), --check is UNKNOWN.
echo "unit api http_request cheap" > "$PHX_PRICES"
out=$(phx cost --gate 2> "$T/err" && echo ran)
t_eq "a broken price file: no command after the gate" "" "$out"
phx cost --gate 2> /dev/null
t_eq "and the gate exits 78" 78 $?
phx cost --check > "$T/out" 2> /dev/null
t_eq "--check with a broken price file: UNKNOWN (3)" 3 $?
t_contains "and says so" "COST UNKNOWN" "$T/out"

# The run lines (conventions 4): the gate's verdict and a check's state are
# the answers asked for ("answer": true); the report's exit is its fate.
R=$PHX_STATE_DIR/runs.ndjson
rm -f "$R"; fresh
echo "unit api http_request 0.01 per 1 from 2026-01-01" > "$PHX_PRICES"
u 2026-12-20T12:00:00Z 2400 > "$J"	# $24.00 today: past every critical
phx cost --gate "$AT" --no-alerts 2> /dev/null
t_eq "past critical: the gate closes (75)" 75 $?
phx cost --check "$AT" --no-alerts > /dev/null
t_eq "and --check is CRITICAL (2)" 2 $?
phx cost "$AT" --no-alerts > /dev/null
t_eq "and the report exits 0" 0 $?
t_eq "a run line each: mode, exit, answer" "gate 75 true|check 2 true|report 0 null" \
	"$(jq -r '"\(.metrics.mode) \(.exit) \(.answer)"' "$R" | paste -sd'|')"
