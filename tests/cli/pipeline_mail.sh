#!/usr/bin/env bash
# The daily report by mail from the pipelines, through the SMTP peer
# (aiosmtpd with AUTH, STARTTLS): daily-collect mails the report it wrote,
# parsed back with Python's email module; with the peer down evening-report
# spools the mail and still exits with a warning-level status, and the next
# run sends it; the SMTP password is in no log or report.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
# shellcheck source=tests/servers/maricopa.sh
. "$PHX_TOP/tests/servers/maricopa.sh"
# shellcheck source=tests/servers/smtp.sh
. "$PHX_TOP/tests/servers/smtp.sh"
mc_start || { t_fail "stand-in assessor starts"; exit 0; }
# the MLS step of daily-collect asks the stand-in site, never the real one
# shellcheck source=tests/servers/mls.sh
. "$PHX_TOP/tests/servers/mls.sh"
mls_start || { t_fail "stand-in MLS site starts"; exit 0; }
sm_start --tls starttls || { t_fail "the SMTP peer starts"; exit 0; }
export PHX_DB=$T/phoenix.db TARGET_ZIP_CODES=85031 PHX_DETAILS_MAX=5
export PHX_FETCH_ARGS="--rate 1000/s" PHX_REPORT_DIR=$T/reports PHX_PIPELINE_LLM=0
export SENDER_EMAIL=phx@example.org RECIPIENT_EMAILS=ops@example.org
P=$PHX_TOP/pipelines

"$P/daily-collect" > dc.out 2> dc.err
t_eq "daily-collect exits 0 with SMTP configured" 0 $?
t_eq "one mail arrived" 1 "$(sm_count)"
/usr/bin/python3 - "$SM_DIR/1.eml" "$(find reports -name 'daily-*.txt')" > parsed <<'PY'
import sys
from email import policy
from email.parser import BytesParser
m = BytesParser(policy=policy.default).parsebytes(open(sys.argv[1], "rb").read())
text = m.get_body(("plain",)).get_content()
print("type", m.get_content_type())
print("to", m["To"].addresses[0].addr_spec)
first = open(sys.argv[2], encoding="utf-8").readline().strip()
print("same-report", first in text)
print("zip", "85031" in text)
PY
t_eq "it is multipart/alternative" "type multipart/alternative" "$(sed -n 1p parsed)"
t_eq "to the recipient" "to ops@example.org" "$(sed -n 2p parsed)"
t_eq "its text is the report the pipeline wrote" "same-report True" "$(sed -n 3p parsed)"
t_eq "which counts the ZIP" "zip True" "$(sed -n 4p parsed)"

sm_stop
"$P/evening-report" > er.out 2> er.err
rc=$?
t_eq "SMTP down: evening-report exits 75 (try again later)" 75 "$rc"
t_ge "the mail is spooled, not dropped" 1 \
	"$(find "$PHX_STATE_DIR/spool/mail" -name '*.eml' | wc -l)"
sm_start --tls starttls || { t_fail "the SMTP peer starts again"; exit 0; }
"$P/evening-report" > er2.out 2> er2.err
t_eq "the next evening-report exits 0" 0 $?
t_eq "and delivers the spooled mail and its own" 2 "$(sm_count)"
t_eq "the spool is empty" 0 "$(find "$PHX_STATE_DIR/spool/mail" -name '*.eml' | wc -l)"
t_absent "the SMTP password is in no log, report or state file" "$SM_PASSWORD" \
	dc.err er.err er2.err reports/* "$PHX_STATE_DIR"/*.ndjson "$PHX_STATE_DIR"/pipelines/log/*
