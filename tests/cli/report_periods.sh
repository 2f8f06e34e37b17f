#!/usr/bin/env bash
# phx-report --weekly (the week against the SLA targets and the week before,
# with the trend) and --overnight (the last 24 hours, short) on hand-written
# run journals and a store filled by phx-store.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
# shellcheck source=tests/fixtures/store/lib.sh
. "$PHX_TOP/tests/fixtures/store/lib.sh"
export PHX_STATE_DIR=$T/state PHX_DB=sqlite:$T/p.db PHX_PRICES=$T/prices.conf
mkdir -p "$PHX_STATE_DIR"
printf 'limit budget 25.00\nunit webshare proxy_bytes 1.00 per 1000000 from 2025-01-01\n' > "$PHX_PRICES"
NOW=2025-06-09T16:00:00Z	# Monday 09:00 in Phoenix: the morning check
J=$PHX_STATE_DIR/runs.ndjson

# run TOOL ENDED SECONDS OUT REJECTED EXIT REQUESTS RETRIES LATENCY_MS
run() {
	local s
	s=$(date -u -d "@$(($(date -u -d "$2" +%s) - $3))" +%FT%TZ)
	jq -nc --arg tool "$1" --arg s "$s" --arg e "$2" --argjson out "$4" --argjson rej "$5" \
		--argjson exit "$6" --argjson req "$7" --argjson retr "$8" --argjson lat "$9" \
		'{phx:"run", tool:$tool, run:"r", started:$s, ended:$e, in:0, out:$out,
		  rejected:$rej, exit:$exit, codes:{},
		  metrics:{requests:$req, retries:$retr, latency_ms_avg:$lat, latency_ms_p95:($lat*2)}}'
}
{
	# the week before (May 26 - Jun 1): 90 % success, 800 an hour, 3 s latency
	run phx-fetch 2025-05-28T17:00:00Z 3600 900 100 1 1000 0 3000
	# this week (Jun 2-8): 99 % success, 1200 an hour, 500 ms; the last run of
	# the week ends on Sunday evening in Phoenix, in the overnight window too
	run phx-fetch 2025-06-03T17:00:00Z 3600 1188 12 1 1200 0 500
	run phx-fetch 2025-06-07T17:00:00Z 3600 1188 12 1 1200 0 500
	# overnight: a failed store run and a good fetch run
	run phx-store 2025-06-09T02:00:00Z 60 0 0 69 0 0 0
	run phx-fetch 2025-06-09T03:00:00Z 1800 500 0 0 500 0 400
} > "$J"
for d in 2025-06-03 2025-06-07; do
	many 20 | phx store --date "$d" > /dev/null 2>&1
done
printf '{"phx":"usage","tool":"phx-fetch","at":"2025-06-07T20:00:00Z","service":"webshare","what":"proxy_bytes","qty":300000,"run":"r"}\n' \
	>> "$PHX_STATE_DIR/usage.ndjson"
printf '{"phx":"alert","tool":"phx-cost","at":"2025-06-09T06:00:00Z","key":"cost.forecast","state":"WARNING","message":"forecast above 80 %%"}\n' \
	>> "$PHX_STATE_DIR/alerts.ndjson"

# Weekly.
phx report --now "$NOW" --weekly 2025-06-08 --format ndjson > "$T/w.ndjson" 2> "$T/w.err"
t_eq "weekly: exit 0" 0 $?
j() { jq -c "$1" "$T/w.ndjson"; }
t_eq "weekly: seven days ending with the date" '[7,"2025-06-02","2025-06-08"]' \
	"$(j '.history | [length, .[0].date, .[-1].date]')"
t_eq "weekly: collected per day from daily_reports" '[0,20,0,0,0,20,0]' "$(j '[.history[].properties]')"
t_eq "weekly: the week's SLA figures" '[3,99.2,1150.4]' \
	"$(j '.sla | [.fetch_runs, .success_pct, .per_hour]')"
t_eq "weekly: the week before" '[1,90,900]' \
	"$(j '.previous | [.fetch_runs, .success_pct, .per_hour]')"
t_eq "weekly: the trend" '{"success_pct":"better","error_pct":"better","per_hour":"better","latency_avg_ms":"better"}' \
	"$(j .trend)"
t_eq "weekly: spend and spend per property" '[300000,40,7500]' \
	"$(j '[.spend_usd_micros, .properties, .usd_micros_per_property]')"
phx report --now "$NOW" --weekly 2025-06-08 > "$T/w.txt" 2> "$T/w.err"
t_contains "weekly text: subject" "phx weekly report 2025-06-02 to 2025-06-08 — 40 properties" "$T/w.txt"
t_contains "weekly text: the trend line" "trend: success better, errors better, throughput better, latency better" "$T/w.txt"
t_contains "weekly text: against the targets" "success 99.2% [> 95%]" "$T/w.txt"
t_contains "weekly text: cost per property against its target" '$0.0075 a property (target < $0.0050)' "$T/w.txt"
phx report --now "$NOW" --weekly 2025-06-08 --format html > "$T/w.html" 2> "$T/w.err"
t_eq "weekly html: exit 0 and three charts" "0 3" "$? $(grep -o '<svg' "$T/w.html" | wc -l)"

# Overnight: the 24 hours before now.
phx report --now "$NOW" --overnight --format ndjson > "$T/o.ndjson" 2> "$T/o.err"
t_eq "overnight: exit 0" 0 $?
t_eq "overnight: the window" '["2025-06-08T16:00:00Z","2025-06-09T16:00:00Z"]' \
	"$(jq -c '[.from, .to]' "$T/o.ndjson")"
t_eq "overnight: runs of the window, the failed one named" '[2,1,[{"tool":"phx-store","failed":1,"runs":1}]]' \
	"$(jq -c '.sla | [.runs, .failed_runs, .failed]' "$T/o.ndjson")"
t_eq "overnight: the alert" '["cost.forecast"]' "$(jq -c '[.alerts[].key]' "$T/o.ndjson")"
phx report --now "$NOW" --overnight > "$T/o.txt" 2> "$T/o.err"
t_contains "overnight text: subject" "phx overnight 2025-06-09 — 500 fetched, 1 failed runs, 1 alerts" "$T/o.txt"
t_contains "overnight text: the failed run" "failed 1 (phx-store 1 of 1)" "$T/o.txt"
t_le "overnight text: short" 20 "$(wc -l < "$T/o.txt")"

# The pipelines' own invocations (pipelines/lib.sh px_report, morning-check,
# weekly-maintenance): no --now, no --db, the store from PHX_DB.
for args in "--daily --format text" "--daily --format html" "--overnight" \
	"--weekly --format text" "--weekly --format html"; do
	# shellcheck disable=SC2086
	phx report $args > "$T/p.out" 2> "$T/p.err"
	t_eq "pipelines: phx-report $args: exit 0, output, no diagnostics" "0 yes " \
		"$? $([ -s "$T/p.out" ] && echo yes) $(cat "$T/p.err")"
done
