#!/usr/bin/env bash
# The examples of phx-cost(1), and the exact calls of the pipelines
# (daily-collect, morning-check, evening-report, monthly-maintenance), on
# the shipped prices and the real clock.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
export PHX_STATE_DIR=$T/state HOME=$T XDG_CONFIG_HOME=$T/cfg XDG_DATA_HOME=$T/data
unset PHX_DB MONGODB_URI MONGODB_URL PHX_PRICES
mkdir -p "$PHX_STATE_DIR"
J=$PHX_STATE_DIR/usage.ndjson
now() { date -u +%Y-%m-%dT%H:%M:%SZ; }

# The pipelines' calls with an empty journal: the shipped prices (the 2.99
# proxy plan) are far below every limit.
phx cost --gate > "$T/out" 2> "$T/err"
t_eq "daily-collect: phx-cost --gate is open" 0 $?
t_eq "and silent" "" "$(cat "$T/out" "$T/err")"
phx cost --check > "$T/out" 2> "$T/err"
t_eq "morning-check: phx-cost --check OK" 0 $?
t_contains "a status line" "COST OK - " "$T/out"
phx cost --remaining > "$T/out"
t_eq "evening-report: phx-cost --remaining" 0 $?
t_contains "today's remaining" "remaining today" "$T/out"
phx cost --monthly-report > "$T/out"
t_eq "monthly-maintenance: phx-cost --monthly-report" 0 $?
t_contains "the last month's report" "monthly cost report" "$T/out"

# EXAMPLES: the report of the last month as NDJSON.
phx cost --monthly-report --json > "$T/out"
t_eq "--monthly-report --json: one line" 1 "$(jq -s length "$T/out")"
t_eq "of the month before this one" "$(date -u -d "$(date -u -d '-7 hours' +%Y-%m-01) -1 day" +%Y-%m)" \
	"$(jq -r .month "$T/out")"

# EXAMPLES: --detailed over another machine's journal leaves the ledger alone.
printf '{"phx":"usage","tool":"phx-fetch","at":"%s","service":"webshare","what":"proxy_bytes","qty":1000000000,"zip":"85031"}\n' \
	"$(now)" > "$T/other-usage.ndjson"
before=$(cksum < "$PHX_STATE_DIR/cost-ledger.ndjson")
phx cost --detailed "$T/other-usage.ndjson" > "$T/out"
t_contains "--detailed FILE: the ZIP" "85031" "$T/out"
t_eq "--detailed FILE: the ledger untouched" "$before" "$(cksum < "$PHX_STATE_DIR/cost-ledger.ndjson")"

# EXAMPLES: --check with stricter month limits. 40 GB through the proxies
# today at 0.40/GB: 16.00, past -w month=15 (the forecast passes too).
printf '{"phx":"usage","tool":"phx-fetch","at":"%s","service":"webshare","what":"proxy_bytes","qty":40000000000}\n' \
	"$(now)" > "$J"
phx cost --check -w month=15 -c month=20 > "$T/out"
t_eq "--check -w month=15 -c month=20: past critical (the forecast, today)" 2 $?
t_contains "the month's ranges in the perfdata" ";15;20;0;25" "$T/out"

# EXAMPLES: the crontab line: past critical phx-fetch never starts.
sh -c "\"$PHX_BIN/phx-cost\" --gate && \"$PHX_BIN/phx-fetch\" --source maricopa --zip 85031" \
	> "$T/out" 2> "$T/err"
t_eq "the crontab line exits with the gate's 75" 75 $?
t_absent "phx-fetch did not run" '"tool":"phx-fetch"' "$PHX_STATE_DIR/runs.ndjson"
t_contains "the gate said why" "gate closed" "$T/err"

# phx-health's budget check reads the same ledger: the same figures (the
# forecast is left out: it moves with every second of the month).
phx health --check budget > "$T/health.out" 2>&1
phx cost --check > "$T/cost.out"
hm=$(grep -o "'budget.month'=[0-9.]*" "$T/health.out" | cut -d= -f2)
cm=$(grep -o "'month'=[0-9.]*" "$T/cost.out" | cut -d= -f2)
t_eq "phx-health and phx-cost: the same month to date" "$cm" "$hm"
t_check "the figure is there (16 dollars and more)" test "${cm%%.*}" -ge 16
