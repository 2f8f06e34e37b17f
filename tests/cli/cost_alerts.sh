#!/usr/bin/env bash
# phx-cost's alerts: one NDJSON line per limit and month (per day for the
# daily limits) in $STATE/alerts.ndjson, never the same one twice, whichever
# answer is asked and however often.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
export PHX_STATE_DIR=$T/state HOME=$T XDG_CONFIG_HOME=$T/cfg XDG_DATA_HOME=$T/data
unset PHX_DB MONGODB_URI MONGODB_URL
mkdir -p "$PHX_STATE_DIR"
J=$PHX_STATE_DIR/usage.ndjson A=$PHX_STATE_DIR/alerts.ndjson
export PHX_PRICES=$T/prices.conf
echo "unit api http_request 0.01 per 1 from 2026-01-01" > "$PHX_PRICES"
u() { printf '{"phx":"usage","at":"%s","service":"api","what":"http_request","qty":%s}\n' "$1" "$2"; }
keys() { jq -r 'select(.tool=="phx-cost") | "\(.key) \(.period)"' "$A" 2> /dev/null | sort | tr '\n' ',' ; }
# a line phx-health wrote: left alone
echo '{"phx":"alert","tool":"phx-health","key":"health.store","state":"CRITICAL"}' > "$A"

# Day 28, 0.50 a day: month 14.00, forecast ~15.8: nothing past a limit.
for d in $(seq -w 1 28); do u "2026-12-${d}T12:00:00Z" 50; done > "$J"
phx cost --at 2026-12-28T19:00:00Z > /dev/null
t_eq "below every limit: no alert" "" "$(keys)"

# 7.00 more today: month 21.00 past the warning, today 7.50 past both daily
# limits, the forecast ~23.3 past the warning.
u 2026-12-28T13:00:00Z 700 >> "$J"
phx cost --at 2026-12-28T19:00:00Z > /dev/null
t_eq "month, forecast and day alerts, each once" \
	"cost.day.critical 2026-12-28,cost.day.warning 2026-12-28,cost.forecast.warning 2026-12,cost.month.warning 2026-12," \
	"$(keys)"
line=$(jq -c 'select(.key=="cost.month.warning")' "$A")
t_eq "the alert's figures" "WARNING 21000000 20000000" \
	"$(jq -r '"\(.state) \(.usd_micros) \(.limit_usd_micros)"' <<< "$line")"
t_eq "its message" "cost 2026-12: month to date \$21.0000 is past the warning limit \$20.0000" \
	"$(jq -r .message <<< "$line")"
n=$(wc -l < "$A")
for mode in "" --check --gate --remaining --detailed --recommend; do
	phx cost $mode --at 2026-12-28T20:00:00Z > /dev/null 2>&1
done
t_eq "six more runs of every answer: no alert repeated" "$n" "$(wc -l < "$A")"
t_contains "phx-health's line is still there" '"tool":"phx-health"' "$A"

# The next day: the daily limits alert again (their period is the day), the
# month's do not; the month now passes critical.
u 2026-12-29T13:00:00Z 300 >> "$J"
phx cost --at 2026-12-29T19:00:00Z > /dev/null 2>&1
t_eq "a new day: its daily alerts, and the month's critical" \
	"cost.day.critical 2026-12-28,cost.day.critical 2026-12-29,cost.day.warning 2026-12-28,cost.day.warning 2026-12-29,cost.forecast.critical 2026-12,cost.forecast.warning 2026-12,cost.month.critical 2026-12,cost.month.warning 2026-12," \
	"$(keys)"

# A new month starts over; --no-alerts and file operands write none.
n=$(wc -l < "$A")
u 2027-01-01T13:00:00Z 2500 >> "$J"
phx cost --no-alerts --at 2027-01-01T19:00:00Z > /dev/null 2>&1
t_eq "--no-alerts: none written" "$n" "$(wc -l < "$A")"
u 2027-01-01T13:00:00Z 2500 > "$T/other.ndjson"
phx cost --at 2027-01-01T19:00:00Z "$T/other.ndjson" > /dev/null 2>&1
t_eq "a file operand: none written" "$n" "$(wc -l < "$A")"
phx cost --at 2027-01-01T19:00:00Z > /dev/null 2>&1
t_contains "January has its own month alerts" '"key":"cost.month.critical","period":"2027-01"' "$A"
t_eq "and each only once" 1 "$(grep -c '"key":"cost.month.critical","period":"2027-01"' "$A")"

# Two runs at once do not both write the same alert.
u 2027-01-02T13:00:00Z 150 >> "$J"
pids=()
for _ in 1 2 3; do phx cost --at 2027-01-02T19:00:00Z > /dev/null 2>&1 & pids+=($!); done
wait "${pids[@]}"
t_eq "three runs at once: January 2's daily critical once" 1 \
	"$(grep -c '"key":"cost.day.critical","period":"2027-01-02"' "$A")"
