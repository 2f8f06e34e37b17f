#!/usr/bin/env bash
# phx-health runs: synthetic run journals on each side of every SLA threshold
# of the runbook (success 90/80 %, throughput 800/500 per hour, errors
# 10/20 %, response time 5/10 s), the dead man's switch at 26 h, and -w/-c.
. "$PHX_TOP/tests/lib.sh"
. "$PHX_TOP/tests/cli/health_lib.sh"
J=$PHX_STATE_DIR/runs.ndjson

phx health --check runs > out 2>&1; rc=$?
t_eq "no journal: CRITICAL (no collection ever recorded)" 2 "$rc"
t_contains "it says so" "no successful phx-fetch run recorded" out

# journal AGE DUR OUT REJ REQ RETRIES AVG P95 -> the runs state
st() {
	{ run_line "$@"; run_line 600 60 10 0 0 0 0 0 phx-store; } > "$J"
	phx health --check runs --json > j 2>err
	state_of runs j
}
t_eq "all within the SLA" OK "$(st 3600 3600 1000 10 1000 10 1000 1500)"
t_contains "success, throughput, errors, latency in perfdata" \
	"'runs.success'=99.0099%;90:;80:;0;100 'runs.throughput'=1000;800:;500:;0; 'runs.error'=2%;~:10;~:20;0;100 'runs.latency_avg'=1000ms;~:5000;~:10000;0; 'runs.latency_p95'=1500ms" j
t_eq "success 87 %: WARNING"    WARNING  "$(st 3600 3600 1000 150 100000 0 1000 1500)"
t_eq "success 77 %: CRITICAL"   CRITICAL "$(st 3600 3600 1000 300 100000 0 1000 1500)"
t_eq "success exactly 90 %: OK" OK       "$(st 3600 3600 900 100 100000 0 1000 1500)"
t_eq "700 per hour: WARNING"    WARNING  "$(st 3600 3600 700 0 1000 0 1000 1500)"
t_eq "400 per hour: CRITICAL"   CRITICAL "$(st 3600 3600 400 0 1000 0 1000 1500)"
t_eq "errors 14 %: WARNING"     WARNING  "$(st 3600 3600 1000 0 1000 140 1000 1500)"
t_eq "errors 25 %: CRITICAL"    CRITICAL "$(st 3600 3600 1000 0 1000 250 1000 1500)"
t_eq "6 s average: WARNING"     WARNING  "$(st 3600 3600 1000 0 1000 0 6000 9000)"
t_eq "11 s average: CRITICAL"   CRITICAL "$(st 3600 3600 1000 0 1000 0 11000 15000)"
t_eq "last collection 25 h ago: not CRITICAL" OK "$(st 90000 3600 1000 0 1000 0 1000 1500)"
t_eq "last collection 27 h ago: CRITICAL (dead man's switch)" CRITICAL \
	"$(st 97200 3600 1000 0 1000 0 1000 1500)"
t_contains "the age is in the message" "last phx-fetch OK 27.0 h ago" j

{ run_line 3600 3600 1000 10 1000 10 1000 1500; run_line 60 60 0 0 0 0 0 0 phx-fetch 2
  echo 'not json at all'; echo '{"phx":"run"}'; } > "$J"
phx health --check runs -v > out 2>&1; rc=$?
t_eq "a failed run after a good one, and junk lines: still judged" 0 "$rc"
t_contains "the failed run is counted" "'runs.failed'=1" out
t_contains "junk lines are noted" "2 lines that are not run summaries" out

run_line 3600 3600 1000 10 1000 10 1000 1500 > "$J"
phx health --check runs -w runs.success=99.5: > out 2>&1
t_eq "-w runs.success=99.5: makes 99 % a WARNING" 1 "$?"
phx health --check runs -c runs.throughput=2000: -w runs.throughput=3000: > out 2>&1
t_eq "-c runs.throughput=2000: makes 1000/h CRITICAL" 2 "$?"
t_contains "perfdata shows the given ranges" "'runs.throughput'=1000;3000:;2000:;" out
phx health --check runs -w runs.success=@95:100 > out 2>&1
t_eq "@95:100 alerts inside the range" 1 "$?"
phx health --check runs --window 30m > out 2>&1
t_contains "a 30 min window sees no run of 1 h ago" "no phx-fetch run in the last 0.5 h" out
for bad in 'runs.success' 'nosuch.metric=10' 'runs.success=abc' 'runs.success='; do
	phx health -w "$bad" > out 2>&1
	t_eq "-w '$bad' is a usage error" 64 "$?"
done
