#!/usr/bin/env bash
# phx-cost --remaining, --detailed, --monthly-report and --recommend over
# one synthetic ledger whose every figure is worked out here by hand.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
export PHX_STATE_DIR=$T/state HOME=$T XDG_CONFIG_HOME=$T/cfg XDG_DATA_HOME=$T/data
unset PHX_DB MONGODB_URI MONGODB_URL
mkdir -p "$PHX_STATE_DIR"
J=$PHX_STATE_DIR/usage.ndjson
export PHX_PRICES=$T/prices.conf
cat > "$PHX_PRICES" <<'C'
fixed webshare proxy_plan 3.10 from 2026-01-01 category proxy
fixed smtp relay 1.00 from 2026-01-01 category mail
unit webshare proxy_bytes 1.00 per 1G from 2026-01-01 category proxy
unit * http_request 0.00 per 1 from 2026-01-01 category requests
unit mls.example http_request 0.001 per 1 from 2026-01-01 category requests
unit llm tokens_in 0.50 per 1M from 2026-01-01 category llm
unit llm tokens_out 1.00 per 1M from 2026-01-01 category llm
direct mcassessor.maricopa.gov
C
# u AT TOOL SERVICE WHAT QTY [EXTRA]
u() { printf '{"phx":"usage","tool":"%s","at":"%s","service":"%s","what":"%s","qty":%s%s}\n' \
	"$2" "$1" "$3" "$4" "$5" "${6:+,$6}"; }
d5=2026-12-05T12:00:00Z
{
	u 2026-11-03T12:00:00Z phx-fetch webshare proxy_bytes 2000000000 '"proxy":"http://p1"'
	u $d5 phx-fetch webshare proxy_bytes 1000000000 '"proxy":"http://p1"'
	u $d5 phx-fetch mcassessor.maricopa.gov http_request 1 \
		'"bytes":200000000,"status":200,"proxy":"http://p1","source":"maricopa","zip":"85031"'
	u $d5 phx-fetch mls.example http_request 1 \
		'"bytes":100000000,"status":500,"proxy":"http://p1","source":"phoenix_mls","zip":"85033"'
	u $d5 phx-fetch mls.example http_request 1 \
		'"bytes":50000000,"status":304,"proxy":"http://p1","source":"phoenix_mls","zip":"85033"'
	u $d5 phx-llm llm tokens_in 2000000
	u $d5 phx-llm llm tokens_out 1000000
} > "$J"
AT=--at=2026-12-10T19:00:00Z	# noon in Phoenix on the 10th
cost() { phx cost --no-alerts "$AT" "$@"; }

# December so far: usage 1.00 proxy + 2 MLS requests at 0.001 + 2.00 tokens;
# fixed fees for 10 days: webshare 1.00, smtp 1000000*10/31 = 322580.
total=$((1000000 + 2000 + 2000000 + 1000000 + 322580))
cost --json > "$T/out"
t_eq "the month's total, by hand" "$total" "$(jq .usd_micros "$T/out")"

# --remaining: today spent the fixed shares only (100000 + 32258).
cost --remaining --json > "$T/out"
t_eq "today: up to the daily critical 1.00" $((1000000 - 132258)) "$(jq .today_usd_micros "$T/out")"
t_eq "month: the budget less the total" $((25000000 - total)) "$(jq .month_usd_micros "$T/out")"
t_eq "in proxy bytes at 1.00 per GB" $(((1000000 - 132258) * 1000)) \
	"$(jq '.units[] | select(.what=="proxy_bytes") | .today' "$T/out")"
t_eq "in MLS requests at 0.001" $(((1000000 - 132258) / 1000)) \
	"$(jq '.units[] | select(.service=="mls.example") | .today' "$T/out")"
t_eq "a free unit is free, not a count" "true null" \
	"$(jq -r '.units[] | select(.service=="*") | "\(.free) \(.today)"' "$T/out")"
cost --remaining > "$T/out"
t_contains "text: today" "remaining today (2026-12-10)   \$0.8677" "$T/out"
t_contains "text: units" "mls.example http_request" "$T/out"

# --detailed: every section adds up to the month's total.
cost --detailed --json > "$T/out"
for by in tool source zip day; do
	t_eq "by $by adds up to the total" "$total" \
		"$(jq -s "map(select(.by==\"$by\") | .usd_micros) | add" "$T/out")"
done
t_eq "by day: one row per day so far" 10 "$(jq -s 'map(select(.by=="day")) | length' "$T/out")"
t_eq "the 5th holds the usage" $((3002000 + 132258)) \
	"$(jq 'select(.by=="day" and .key=="2026-12-05") | .usd_micros' "$T/out")"
t_eq "by ZIP: 85033's two requests" 2000 "$(jq 'select(.by=="zip" and .key=="85033") | .usd_micros' "$T/out")"
t_eq "by tool: phx-llm's tokens" 2000000 "$(jq 'select(.by=="tool" and .key=="phx-llm") | .usd_micros' "$T/out")"
t_eq "the fixed fees have their row" 1322580 \
	"$(jq 'select(.by=="tool" and .key=="(fixed fees)") | .usd_micros' "$T/out")"
cost --detailed > "$T/out"
t_contains "text: by source" "by source:" "$T/out"
t_contains "text: the MLS source" "phoenix_mls" "$T/out"

# --monthly-report: the last month by default (November, complete).
cost --monthly-report --json > "$T/out"
t_eq "the previous month" 2026-11 "$(jq -r .month "$T/out")"
t_eq "complete" true "$(jq .complete "$T/out")"
t_eq "November: 2.00 of proxy bytes and the two plans" 6100000 "$(jq .usd_micros "$T/out")"
t_eq "one day past the daily critical" "1 1" "$(jq -r '"\(.days_over_warning) \(.days_over_critical)"' "$T/out")"
t_eq "30 days" 30 "$(jq .days "$T/out")"
t_eq "the days add up" 6100000 "$(jq '[.by_day[].usd_micros] | add' "$T/out")"
cost --monthly-report 2026-12 --json > "$T/out"
t_eq "a month as a separate word" 2026-12 "$(jq -r .month "$T/out")"
t_eq "this month is not complete" false "$(jq .complete "$T/out")"
cost --monthly-report=2026-11 > "$T/out"
t_contains "text: the title" "monthly cost report 2026-11 (Phoenix)" "$T/out"
t_contains "text: the dearest day" "dearest day    2026-11-03" "$T/out"
cost --monthly-report=2026-13 > /dev/null 2> "$T/err"
t_eq "not a month: usage error" 64 $?
cost --monthly-report=2027-01 > "$T/out" 2> "$T/err"
t_eq "a month to come: usage error" 64 $?
t_contains "saying so" "2027-01 has not begun" "$T/err"

# --recommend: each saving from the ledger, over the whole month: month to
# date * 2678400 / 820801 (31 days; 9.5 days and a second gone).
whole() { echo $(($1 * 2678400 / 820801)); }
cost --recommend --json > "$T/out"
rec() { jq -r "select(.key==\"$1\") | .saving_usd_micros" "$T/out"; }
t_eq "proxy bytes to a direct service: 200 MB at 1.00/GB" "$(whole 200000)" "$(rec proxy.direct)"
t_eq "proxy bytes of failed requests: 100 MB" "$(whole 100000)" "$(rec proxy.failed)"
t_eq "unchanged fetches: 50 MB and one priced request" "$(whole 51000)" "$(rec fetch.unchanged)"
t_eq "the hosted model's tokens" "$(whole 2000000)" "$(rec llm.tokens)"
t_eq "the unused SMTP plan: its monthly fee" 1000000 "$(rec fixed.unused)"
t_eq "and its 10 days so far" 322580 \
	"$(jq -r 'select(.key=="fixed.unused") | .month_to_date_usd_micros' "$T/out")"
t_eq "the dearest first" "llm.tokens fixed.unused proxy.direct proxy.failed fetch.unchanged" \
	"$(jq -r .key "$T/out" | tr '\n' ' ' | sed 's/ $//')"
t_contains "the direct share is computed" '"message":"20.0 % of the proxy bytes (200000000 of 1000000000)' "$T/out"
cost --recommend > "$T/out"
t_contains "text: numbered, with dollars a month" "1. save \$6.5263 a month [llm.tokens]" "$T/out"
# With nothing to save, none is made up.
echo "unit * http_request 0.00 per 1 from 2026-01-01" > "$T/free.conf"
u $d5 phx-fetch api http_request 1 '"status":200' > "$T/plain.ndjson"
phx cost --prices "$T/free.conf" --recommend "$AT" "$T/plain.ndjson" > "$T/out"
t_contains "nothing to save: says so" "none: nothing in this month's ledger can be saved" "$T/out"
phx cost --prices "$T/free.conf" --recommend --json "$AT" "$T/plain.ndjson" > "$T/out"
t_eq "and no NDJSON line" 0 "$(wc -l < "$T/out" | tr -d ' ')"
