#!/usr/bin/env bash
# The real cron daemon (Debian cron, in the foreground) fires a pipeline at a
# minute boundary: cron runs in a mount namespace of its own (unshare) that
# shows it only this test's crontab, so the machine's jobs never run and the
# machine's crontabs are not touched. morning-check fires, at second 0-2 of
# a minute, writes its log and report in the test's state directory. Also:
# pipelines/crontab has the runbook's times in UTC. Runs in the release pass
# only (it waits for a minute boundary; the pipeline is shell and the ASan
# pass adds nothing to it).
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
tab=$PHX_TOP/pipelines/crontab
line() { grep -E "pipelines/$1\$" "$tab" | awk '{print $1, $2, $3, $4, $5}'; }
t_eq "daily-collect at 10:00 UTC (03:00 Phoenix)" "0 10 * * *" "$(line daily-collect)"
t_eq "morning-check at 16:00 UTC (09:00 Phoenix)" "0 16 * * *" "$(line morning-check)"
t_eq "evening-report at 01:00 UTC (18:00 Phoenix)" "0 1 * * *" "$(line evening-report)"
t_eq "weekly-maintenance Sunday 09:00 UTC (02:00 Phoenix)" "0 9 * * 0" "$(line weekly-maintenance)"
t_eq "monthly-maintenance days 1-7 at 09:30 UTC, Sundays only" "30 9 1-7 * *" \
	"$(line monthly-maintenance)"
t_contains "the monthly line tests for a Sunday" '[ "$(date -u +\%u)" = 7 ]' "$tab"

skip() { echo "ok - cron fires morning-check at a minute boundary # SKIP $1"; exit 0; }
[ "${PHX_SAN:-0}" = 1 ] && skip "release pass only"
[ -x /usr/sbin/cron ] || skip "no /usr/sbin/cron (Debian package cron)"
[ "$(id -u)" = 0 ] || skip "cron needs root to run jobs as root"
unshare --mount --propagation private true 2>/dev/null || skip "unshare --mount not permitted here"

mkdir -p crond spool run
chmod 755 "$T"
# cron's environment is bare: the job names everything it needs
cat > ./crontab <<EOC
SHELL=/bin/bash
PHX_STATE_DIR=$PHX_STATE_DIR
PHX_BIN=$PHX_BIN
PHX_DB=$T/phoenix.db
PHX_REPORT_DIR=$T/reports
* * * * * root date -u +\%s.\%N >> $T/fired; $PHX_TOP/pipelines/morning-check > $T/job.out 2> $T/job.err
EOC
chmod 644 ./crontab
(exec unshare --mount --propagation private bash -c '
	mount --bind "$1/crontab" /etc/crontab &&
	mount --bind "$1/crond" /etc/cron.d &&
	mount -t tmpfs tmpfs /var/spool/cron &&
	mkdir -p /var/spool/cron/crontabs &&
	mount -t tmpfs tmpfs /run &&
	exec /usr/sbin/cron -f' _ "$T") > cron.out 2> cron.err &
cron=$!
t_on_exit 'kill $cron 2>/dev/null; wait $cron 2>/dev/null'
i=0
while [ ! -s "$PHX_STATE_DIR/pipelines/log/morning-check-$(TZ=America/Phoenix date +%Y-%m-%d).log" ] \
	|| ! grep -q finished "$PHX_STATE_DIR"/pipelines/log/morning-check-*.log 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 750 ] || ! kill -0 $cron 2>/dev/null; then break; fi
	sleep 0.1
done
if [ ! -s fired ]; then
	t_fail "cron fires morning-check at a minute boundary" "cron: $(head -c 400 cron.err)"
	exit 0
fi
sec=$(awk '{ print int($1) % 60 }' fired | head -n 1)
t_le "cron fired the job at second 0-2 of a minute (second $sec)" 2 "$sec"
if grep -q "finished: exit" "$PHX_STATE_DIR"/pipelines/log/morning-check-*.log 2>/dev/null; then
	t_ok "morning-check ran to its end under cron"
else
	t_fail "morning-check ran to its end under cron" "$(head -c 600 job.err)" "$(head -c 300 job.out)"
fi
t_eq "its report is written" 1 "$(find reports -name 'morning-*' | wc -l)"
