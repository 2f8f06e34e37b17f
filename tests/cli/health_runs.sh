#!/usr/bin/env bash
# phx-health's runs check against synthetic run journals that cross each
# threshold of the runbook's SLA table, and the dead man's switch.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
export PHX_STATE_DIR=$T/state
mkdir -p "$PHX_STATE_DIR"
J=$PHX_STATE_DIR/runs.ndjson
now=$(date +%s)

# run TOOL HOURS_AGO SECONDS OUT REJECTED EXIT REQUESTS RETRIES LATENCY_MS
run() {
	local end=$((now - $2 * 3600)) start
	start=$((end - $3))
	jq -nc --arg tool "$1" --arg s "$(date -u -d "@$start" +%FT%TZ)" \
		--arg e "$(date -u -d "@$end" +%FT%TZ)" --argjson out "$4" --argjson rej "$5" \
		--argjson exit "$6" --argjson req "$7" --argjson retr "$8" --argjson lat "$9" \
		'{phx:"run", tool:$tool, run:"r", started:$s, ended:$e, in:0, out:$out,
		  rejected:$rej, dropped:0, exit:$exit,
		  metrics:{requests:$req, retries:$retr, latency_ms_avg:$lat, latency_ms_p95:($lat*2)}}'
}
health() { phx health --check runs "$@" > "$T/out" 2> "$T/err"; echo $?; }
state() { jq -r 'select(.check=="runs") | .state' "$T/out"; }

: > "$J"
t_eq "no journal at all: CRITICAL (no collection recorded)" 2 "$(health)"
t_contains "the message says why" "no successful phx-fetch run recorded" "$T/out"

# A healthy day: 1000 out, 10 rejected (99 %), 3600 s (1000/h), 1 % errors, 400 ms.
{ run phx-fetch 2 3600 1000 10 0 1000 0 400; run phx-store 2 60 1000 0 0 0 0 0; } > "$J"
t_eq "a healthy day is OK" 0 "$(health)"
t_contains "success rate in the perfdata" "'runs.success'=99.0099%;90:;80:;0;100" "$T/out"
t_contains "throughput in the perfdata" "'runs.throughput'=1000;800:;500:" "$T/out"

# Success rate: 89 % is a warning, 79 % is critical.
run phx-fetch 2 3600 890 110 0 1000 0 400 > "$J"
t_eq "success 89 %: WARNING" 1 "$(health)"
run phx-fetch 2 3600 790 210 0 1000 0 400 > "$J"
t_eq "success 79 %: CRITICAL" 2 "$(health)"

# Throughput: 700/h warning, 400/h critical.
run phx-fetch 2 3600 700 0 0 700 0 400 > "$J"
t_eq "700 properties/h: WARNING" 1 "$(health)"
run phx-fetch 2 3600 400 0 0 400 0 400 > "$J"
t_eq "400 properties/h: CRITICAL" 2 "$(health)"

# Error rate: 15 % warning, 25 % critical (retries / requests).
run phx-fetch 2 3600 1000 0 0 1000 150 400 > "$J"
t_eq "15 % errors: WARNING" 1 "$(health)"
run phx-fetch 2 3600 1000 0 0 1000 250 400 > "$J"
t_eq "25 % errors: CRITICAL" 2 "$(health)"

# Response time: 6 s average warning, 11 s critical.
run phx-fetch 2 3600 1000 0 0 1000 0 6000 > "$J"
t_eq "6 s average response: WARNING" 1 "$(health)"
run phx-fetch 2 3600 1000 0 0 1000 0 11000 > "$J"
t_eq "11 s average response: CRITICAL" 2 "$(health)"

# The dead man's switch: a good run 25 h ago is OK, 27 h ago CRITICAL.
run phx-fetch 25 3600 1000 0 0 1000 0 400 > "$J"
t_eq "last success 25 h ago: not critical" 0 "$(health --window 48h)"
run phx-fetch 27 3600 1000 0 0 1000 0 400 > "$J"
t_eq "last success 27 h ago: CRITICAL" 2 "$(health --window 48h)"
t_contains "the age in the perfdata" "'runs.fetch_age'=27" "$T/out"
# A recent run that failed does not reset the switch.
{ run phx-fetch 27 3600 1000 0 0 1000 0 400; run phx-fetch 1 60 0 0 75 5 5 400; } > "$J"
t_eq "a failed run 1 h ago after a success 27 h ago: CRITICAL" 2 "$(health --window 48h)"

# Thresholds from the command line, Monitoring Plugins ranges.
run phx-fetch 2 3600 890 110 0 1000 0 400 > "$J"
t_eq "-w runs.success=85:,runs.error=~:15 makes 89 % (11 % errors) OK" 0 \
	"$(health -w runs.success=85:,runs.error=~:15)"
t_eq "-c runs.success=95: makes 89 % CRITICAL" 2 "$(health -c runs.success=95:)"
t_eq "-w with an unknown label is a usage error" 64 "$(health -w runs.nope=1)"
t_contains "the error names the label" "runs.nope" "$T/err"
t_eq "-w with a bad range is a usage error" 64 "$(health -w runs.success=abc)"

# JSON: one line per check and a summary with the exit status.
run phx-fetch 2 3600 790 210 0 1000 0 400 > "$J"
t_eq "--json exits like the text" 2 "$(health --json)"
t_eq "--json: the check line" CRITICAL "$(state)"
t_eq "--json: the summary" "CRITICAL 2 1" \
	"$(jq -r 'select(.check=="summary") | "\(.state) \(.exit) \(.checks)"' "$T/out")"

# Lines that are not run summaries are counted, never fatal.
{ echo 'not json'; echo '{"phx":"usage"}'; run phx-fetch 2 3600 1000 0 0 1000 0 400; } > "$J"
t_eq "garbage lines in the journal: still judged" 0 "$(health -v)"
t_contains "and reported in the details" "2 lines that are not run summaries" "$T/out"

# phx-health's own run line (conventions 4): its state is the answer asked
# for, so a CRITICAL check is not a failed run in the next one's figures.
run phx-fetch 30 3600 1000 0 0 1000 0 400 > "$J"
t_eq "a success 30 h ago: CRITICAL" 2 "$(health)"
t_eq "the check's run line: exit 2, marked an answer, with its state" \
	"2 true CRITICAL" \
	"$(jq -r 'select(.tool=="phx-health") | "\(.exit) \(.answer) \(.metrics.state)"' "$J")"
t_eq "a second CRITICAL check" 2 "$(health)"
t_contains "counts no failed run of phx-health" "'runs.failed'=0;" "$T/out"
t_eq "two run lines of phx-health now" 2 "$(grep -c '"tool":"phx-health"' "$J")"
