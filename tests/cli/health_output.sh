#!/usr/bin/env bash
# phx-health's outputs and side effects: the Prometheus textfile parsed back,
# heartbeats to a receiver on loopback (up, failing, down), --emergency,
# --alert, the stop file, a tinyproxy pool judged, the budget check.
. "$PHX_TOP/tests/lib.sh"
. "$PHX_TOP/tests/servers/health.sh"
. "$PHX_TOP/tests/servers/proxies.sh"
t_on_exit 'hp_stop; proxies_stop'
J=$PHX_STATE_DIR/runs.ndjson
run_line 3600 3600 1000 10 1000 10 1000 1500 > "$J"
sqlite3 "$T/p.db" "create table a(b);"
export PHX_DB=$T/p.db
# the machine's own load must not decide these tests: host.load never alerts
H=(-w host.load=~:100000 -c host.load=~:100000)

# --- Prometheus textfile
mkdir prom
phx health --check runs,store,host "${H[@]}" --prometheus prom > out 2>err; rc=$?
t_eq "runs, store, host OK" 0 "$rc"
t_eq "only the .prom file is left (temp file renamed)" phx_health.prom "$(ls -A prom)"
python3 - prom/phx_health.prom > parsed 2>&1 <<'PY'
import re, sys
line = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_]\w*="(?:[^"\\]|\\.)*"(?:,[a-zA-Z_]\w*="(?:[^"\\]|\\.)*")*)\})? (-?[0-9.eE+-]+|NaN|[+-]Inf)$')
typed, seen = set(), {}
for n, l in enumerate(open(sys.argv[1]), 1):
    l = l.rstrip("\n")
    if l.startswith("# TYPE "):
        typed.add(l.split()[2]); continue
    if l.startswith("# HELP ") or not l:
        continue
    m = line.match(l)
    if not m or m.group(1) not in typed:
        sys.exit("line %d is not exposition format: %r" % (n, l))
    labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(3) or ""))
    seen[(m.group(1), labels.get("check", ""), labels.get("metric", ""))] = float(m.group(4))
for k in sorted(seen):
    print("%s %s %s %g" % (k + (seen[k],)))
PY
t_eq "the textfile parses as exposition format" 0 "$?"
t_contains "runs state 0" "phx_health_state runs  0" parsed
t_contains "success rate read back" "phx_health_value runs success 99.0099" parsed
t_contains "throughput read back" "phx_health_value runs throughput 1000" parsed
t_contains "exit status" "phx_health_exit_status   0" parsed
t_eq "not-selected checks are not in it" 0 "$(grep -c 'check="llm"' prom/phx_health.prom)"
phx health --check llm --prometheus prom > out 2>&1
t_contains "a skipped check is marked skipped" 'phx_health_skipped{check="llm"} 1' prom/phx_health.prom
phx health --check runs --prometheus "$T/nowhere/x" > out 2>err; rc=$?
t_eq "an unwritable textfile dir: UNKNOWN (the collector would read stale figures)" 3 "$rc"
t_contains "and says so" "cannot write" err

# --- heartbeat
hp_start beat --beat --log "$T/beat.log"; beat=$HP_PORT
phx health --check runs --ping "http://127.0.0.1:$beat/ping/abc" > out 2>&1
t_eq "OK run pings /start then the URL" "GET /ping/abc/start|GET /ping/abc" \
	"$(paste -sd'|' "$T/beat.log")"
: > "$T/beat.log"
rm "$J"
phx health --check runs --ping "http://127.0.0.1:$beat/ping/abc/" > out 2>&1; rc=$?
t_eq "CRITICAL run pings URL/2 (trailing slash joined once)" "2 GET /ping/abc/start|GET /ping/abc/2" \
	"$rc $(paste -sd'|' "$T/beat.log")"
run_line 3600 3600 1000 10 1000 10 1000 1500 > "$J"
hp_start beat500 --beat --beat-status 500 --log "$T/beat500.log"
phx health --check runs --ping "http://127.0.0.1:$HP_PORT/p" > out 2>err; rc=$?
t_eq "a failing receiver does not fail an OK check" 0 "$rc"
t_contains "it is warned about" "ping http" err
down=$(t_free_port)
phx health --check runs --ping "http://127.0.0.1:$down/p" > out 2>err; rc=$?
t_eq "a receiver that is down does not fail an OK check" 0 "$rc"

# --- --emergency and --alert
rm "$J"
phx health --check runs,host "${H[@]}" --emergency --alert > out 2>&1; rc=$?
t_eq "emergency: CRITICAL" 2 "$rc"
t_contains "the runbook's next step for the failing check" "next step: runbook 'High Error Rate'" out
t_eq "no next step for a passing check" 1 "$(grep -c 'next step' out)"
t_eq "one alert line for the failing check" "phx-health health.runs CRITICAL" \
	"$(jq -r '[.tool, .key, .state] | join(" ")' "$PHX_STATE_DIR/alerts.ndjson")"
phx health --check runs,host "${H[@]}" --json --emergency > j 2>&1
t_eq "--json --emergency carries next_step" true \
	"$(jq -r 'select(.check=="runs") | has("next_step")' j)"
t_eq "summary line per the contract" "CRITICAL 2 2" \
	"$(jq -r 'select(.check=="summary") | "\(.state) \(.exit) \(.checks)"' j)"

# --- the stop file
touch "$PHX_STATE_DIR/STOP"
phx health --check host > out 2>&1
t_eq "the emergency stop file: exit 75" 75 "$?"
rm "$PHX_STATE_DIR/STOP"

# --- usage
phx health --check nosuch > out 2>&1
t_eq "--check nosuch: usage error" 64 "$?"
phx health --metrics > out 2>&1
t_eq "--metrics lists the labels with defaults" 1 \
	"$(grep -cE '^runs\.success +% +warn 90: +crit 80: ' out)"

# --- proxies: a pool checked through real tinyproxies
site=$(t_free_port) tp=$(t_free_port) closed=$(t_free_port)
start_target "$site"; start_tinyproxy tp-a "$tp"
printf 'http://127.0.0.1:%s\nhttp://127.0.0.1:%s\n' "$tp" "$closed" > pool.txt
phx proxy import pool.txt > /dev/null 2>&1
phx health --check proxies --json > j 2>&1
t_eq "an imported, unchecked pool: CRITICAL (no good proxy)" CRITICAL "$(state_of proxies j)"
phx proxy check --probe "http://127.0.0.1:$site/page/probe" --timeout 3s > /dev/null 2>&1
phx health --check proxies --json > j 2>&1
t_eq "after a check: 1 good, 1 dead, OK" "OK 1 1" \
	"$(state_of proxies j) $(jq -r 'select(.check=="proxies") | .message' j | grep -o '^[0-9]* good, [0-9]* dead' | tr -dc '0-9 ' | tr -s ' ' | sed 's/ $//')"
phx health --check proxies -c proxies.good=2: > out 2>&1
t_eq "-c proxies.good=2: with one good: CRITICAL" 2 "$?"

# --- budget: a price file and usage lines crossing the day limits
cat > prices.conf <<'P'
limit budget 25.00
limit month_warning 20.00
limit month_critical 23.75
limit day_warning 0.80
limit day_critical 1.00
unit llm tokens_in 1.00 per 1M from 2026-01-01 category llm
P
export PHX_PRICES=$T/prices.conf
usage() { jq -nc --arg at "$(date -u +%FT%TZ)" --argjson q "$1" \
	'{phx:"usage",tool:"phx-llm",at:$at,service:"llm",what:"tokens_in",qty:$q,run:"r"}' \
	>> "$PHX_STATE_DIR/usage.ndjson"; }
phx health --check budget --json > j 2>err
t_eq "no spending: OK" OK "$(state_of budget j)"
usage 500000
phx health --check budget --json > j 2>err
t_eq "0.50 today: OK" OK "$(state_of budget j)"
t_contains "today's spend in perfdata" "'budget.today'=0.5;~:0.80;~:1.00" j
usage 400000
phx health --check budget --json > j 2>err
t_eq "0.90 today: WARNING" WARNING "$(state_of budget j)"
usage 200000
phx health --check budget --json > j 2>err
t_eq "1.10 today: CRITICAL" CRITICAL "$(state_of budget j)"
echo 'unit broken line' > prices.conf
phx health --check budget --json > j 2>err
t_eq "an unusable price file: UNKNOWN" UNKNOWN "$(state_of budget j)"
