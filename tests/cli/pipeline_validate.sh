#!/usr/bin/env bash
# pipelines/validate (the post-change check) and scripts/demo (the README's
# main job) on the stand-ins: both end 0, validate reports no failed check,
# the demo stores the ZIP and writes the daily report where it says.
# Release pass only: they are shell over the same tools the other tests run.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
[ "${PHX_SAN:-0}" = 1 ] && { echo "ok - validate and demo # SKIP release pass only"; exit 0; }
PHX_VALIDATE_DIR=$T/v "$PHX_TOP/pipelines/validate" > v.out 2> v.err
rc=$?
t_eq "pipelines/validate exits 0 ($(grep 'not ok' v.out | head -3 | tr '\n' ' '))" 0 "$rc"
t_contains "it reports no failed check" ", 0 failed" v.out
t_eq "it ran every check it has" 0 "$(grep -c '^not ok' v.out)"
[ -z "$(pgrep -f "$T/v/standins")" ] && t_ok "its stand-ins are stopped" ||
	t_fail "its stand-ins are stopped" "$(pgrep -af "$T/v/standins")"

PHX_DEMO_DIR=$T/demo "$PHX_TOP/scripts/demo" "$PHX_BIN" > demo.out 2> demo.err
t_eq "scripts/demo exits 0 ($(tail -c 300 demo.err))" 0 $?
want=$(/usr/bin/python3 "$PHX_TOP/tests/servers/maricopa.py" --list 85031 | wc -l)
t_eq "the demo stores every parcel of 85031" "$want" \
	"$(PHX_DB=$T/demo/phoenix.db phx store stats | jq '.by_source.maricopa')"
t_eq "it writes the daily report, text, HTML and CSV, where it says" 3 \
	"$(grep -c "^  $T/demo/reports/daily-.*[.]\(txt\|html\|csv\)$" demo.out)"
t_eq "and the files are there" 3 "$(find "$T/demo/reports" -name 'daily-*' -size +0 | wc -l)"
t_absent "the demo's token is in no output" "$(cat "$T/demo/standins/token")" demo.out demo.err
