#!/usr/bin/env bash
# daily-collect's budget gate with the real phx-cost: under the budget the
# collection runs; with a plan that puts the month's forecast past the
# critical $23.75 it fetches nothing, logs why and exits 75; phx-health's
# budget check and phx-cost --check say CRITICAL for the same ledger.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
# shellcheck source=tests/servers/maricopa.sh
. "$PHX_TOP/tests/servers/maricopa.sh"
mc_start || { t_fail "stand-in assessor starts"; exit 0; }
# the MLS step of daily-collect asks the stand-in site, never the real one
# shellcheck source=tests/servers/mls.sh
. "$PHX_TOP/tests/servers/mls.sh"
mls_start || { t_fail "stand-in MLS site starts"; exit 0; }
export PHX_DB=$T/phoenix.db TARGET_ZIP_CODES=85031 PHX_DETAILS_MAX=5
export PHX_FETCH_ARGS="--rate 1000/s" PHX_REPORT_DIR=$T/reports PHX_PIPELINE_LLM=0
P=$PHX_TOP/pipelines

printf 'unit * http_request 0.00 per 1 from 2026-01-01\n' > "$T/cheap.conf"
PHX_PRICES=$T/cheap.conf "$P/daily-collect" > dc.out 2> dc.err
t_eq "under the budget: daily-collect exits 0" 0 $?
t_contains "the log says the gate is open" "budget gate: open" dc.err
before=$(mc_count 'true')
t_ge "and the assessor was asked" 1 "$before"

# a plan of $30.00 a month: the forecast passes the critical $23.75
printf 'fixed bigplan base 30.00 from 2026-01-01 category plan\n' > "$T/dear.conf"
PHX_PRICES=$T/dear.conf "$P/daily-collect" > dc2.out 2> dc2.err
t_eq "past critical: daily-collect exits 75" 75 $?
t_contains "the log says the gate closed" "budget gate: closed" dc2.err
t_eq "nothing was fetched" "$before" "$(mc_count 'true')"
PHX_PRICES=$T/dear.conf phx cost --check > check.out 2>&1
t_eq "phx-cost --check: CRITICAL (2)" 2 $?
PHX_PRICES=$T/dear.conf phx health --check budget > health.out 2>&1
t_eq "phx-health's budget check: CRITICAL (2) for the same ledger" 2 $?
