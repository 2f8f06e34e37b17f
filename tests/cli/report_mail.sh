#!/usr/bin/env bash
# phx-report --mail against the SMTP peer (aiosmtpd with AUTH on loopback):
# STARTTLS and implicit TLS, the message parsed back with Python's email
# module; a send that fails (peer down, wrong password) is spooled and sent
# by the next run; a password is never sent in the clear nor printed.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
# shellcheck source=tests/fixtures/store/lib.sh
. "$PHX_TOP/tests/fixtures/store/lib.sh"
# shellcheck source=tests/servers/smtp.sh
. "$PHX_TOP/tests/servers/smtp.sh"
export PHX_STATE_DIR=$T/state PHX_DB=sqlite:$T/p.db
export SENDER_EMAIL=phx@example.org RECIPIENT_EMAILS="ops@example.org, owner@example.net"
D=2025-06-01
NOW=2025-06-01T23:00:00Z
rep() { phx report --now "$NOW" "$@"; }
spooled() { find "$PHX_STATE_DIR/spool/mail" -name '*.eml' 2>/dev/null | wc -l | tr -d ' '; }
mails_used() { jq -s '[.[] | select(.what == "mail_sent")] | length' "$PHX_STATE_DIR/usage.ndjson" 2>/dev/null || echo 0; }

{
	parcel 101 85031 289100 2025-06-01T10:00:00Z
	listing "85031|101|main st|" 85031 350000 2025-06-01T12:00:00Z
} | phx store --date "$D" > /dev/null 2>&1

# parse FILE: the message as Python's email module reads it
parse() {
	/usr/bin/python3 - "$1" <<'EOF'
import sys
from email import policy
from email.parser import BytesParser
m = BytesParser(policy=policy.default).parsebytes(open(sys.argv[1], "rb").read())
print("subject:", m["Subject"])
print("raw-subject-encoded:", m.get("Subject").__class__.__name__ != "", "=?UTF-8?B?" in open(sys.argv[1], "rb").read().decode("ascii", "replace"))
print("type:", m.get_content_type(), [p.get_content_type() for p in m.iter_parts()])
print("mime:", m["MIME-Version"])
print("has-date:", m["Date"].datetime is not None, m["Date"].datetime.utcoffset().total_seconds())
print("message-id:", m["Message-ID"].startswith("<") and m["Message-ID"].endswith("@example.org>"))
print("to:", [str(a.addr_spec) for a in m["To"].addresses])
print("text:", "Collection" in m.get_body(("plain",)).get_content())
print("html:", "<svg" in m.get_body(("html",)).get_content())
longest = max(len(l) for l in open(sys.argv[1], "rb").read().split(b"\r\n"))
print("lines<=998:", longest <= 998)
EOF
}

# --dry-run: the message on stdout, no server needed.
rep --daily "$D" --mail --dry-run > "$T/dry.eml" 2> "$T/dry.err"
t_eq "dry run: exit 0" 0 $?
parse "$T/dry.eml" > "$T/dry.parsed" 2>&1
t_contains "dry run: the encoded subject decodes" \
	"subject: phx daily report $D — 1 new, 1 updated, 0 rejected" "$T/dry.parsed"
t_contains "dry run: the subject is RFC 2047 encoded on the wire" "raw-subject-encoded: True True" "$T/dry.parsed"
t_contains "dry run: multipart/alternative, text and HTML" \
	"type: multipart/alternative ['text/plain', 'text/html']" "$T/dry.parsed"
t_contains "dry run: MIME-Version" "mime: 1.0" "$T/dry.parsed"
t_contains "dry run: Date in Phoenix time" "has-date: True -25200.0" "$T/dry.parsed"
t_contains "dry run: Message-ID" "message-id: True" "$T/dry.parsed"
t_contains "dry run: both recipients" "to: ['ops@example.org', 'owner@example.net']" "$T/dry.parsed"
t_contains "dry run: the text part is the text report" "text: True" "$T/dry.parsed"
t_contains "dry run: the HTML part has the charts" "html: True" "$T/dry.parsed"
t_contains "dry run: no line over 998 bytes" "lines<=998: True" "$T/dry.parsed"
t_eq "dry run: nothing spooled" 0 "$(spooled)"

# STARTTLS with AUTH.
if sm_start --tls starttls; then
	rep --daily "$D" --mail > "$T/m1.out" 2> "$T/m1.err"
	t_eq "starttls: sent, exit 0" 0 $?
	t_eq "starttls: the peer got one message" 1 "$(sm_count)"
	t_eq "starttls: logged in over TLS, both recipients" \
		'["phx@example.org",["ops@example.org","owner@example.net"],"phx-test",true]' \
		"$(jq -c '[.from, .to, .user, .tls]' "$SM_DIR/envelopes.ndjson")"
	parse "$SM_DIR/1.eml" > "$T/m1.parsed" 2>&1
	t_contains "starttls: the received report parses" \
		"type: multipart/alternative ['text/plain', 'text/html']" "$T/m1.parsed"
	t_contains "starttls: its subject" "subject: phx daily report $D" "$T/m1.parsed"
	t_eq "starttls: a usage line for phx-cost" 1 "$(mails_used)"
	t_eq "starttls: nothing on stdout" "" "$(cat "$T/m1.out")"
else
	t_fail "the SMTP peer starts (starttls)"
fi

# Implicit TLS (smtps).
if sm_start --tls implicit; then
	rep --overnight --mail > /dev/null 2> "$T/m2.err"
	t_eq "implicit TLS: sent, exit 0" 0 $?
	t_eq "implicit TLS: received over TLS" '["phx-test",true]' \
		"$(jq -c '[.user, .tls]' "$SM_DIR/envelopes.ndjson")"
	parse "$SM_DIR/1.eml" > "$T/m2.parsed" 2>&1
	t_contains "implicit TLS: the overnight report" "subject: phx overnight" "$T/m2.parsed"
else
	t_fail "the SMTP peer starts (implicit)"
fi

# The peer is down: spooled, exit 75; the next run sends both.
sm_stop
rep --daily "$D" --mail > /dev/null 2> "$T/m3.err"
t_eq "peer down: exit 75 (try again later)" 75 $?
t_eq "peer down: the mail is spooled" 1 "$(spooled)"
t_contains "peer down: it says so" "mail spooled as" "$T/m3.err"
t_eq "peer down: the spool file is private" 600 \
	"$(stat -c %a "$(find "$PHX_STATE_DIR/spool/mail" -name '*.eml' | head -1)")"
rep --weekly --mail > /dev/null 2> "$T/m4.err"
t_eq "peer still down: exit 75 again" 75 $?
t_eq "peer still down: two mails spooled" 2 "$(spooled)"
before=$(mails_used)
if sm_start --tls starttls; then
	rep --daily "$D" --mail > /dev/null 2> "$T/m5.err"
	t_eq "peer back: exit 0" 0 $?
	t_eq "peer back: the spooled two and the new one arrive" 3 "$(sm_count)"
	t_eq "peer back: the spool is empty" 0 "$(spooled)"
	t_eq "peer back: oldest first" "daily weekly daily" \
		"$(for i in 1 2 3; do grep -ao 'phx [a-z]* report' "$SM_DIR/$i.eml" | head -1 | cut -d' ' -f2; done | xargs)"
	t_eq "peer back: three usage lines more" $((before + 3)) "$(mails_used)"

	# A wrong password: refused, spooled, exit 78; the right one sends it.
	good=$SM_PASSWORD
	printf 'wrong-password-%s\n' "$RANDOM" > "$T/wrong.password"
	SMTP_PASSWORD_FILE=$T/wrong.password rep --daily "$D" --mail > /dev/null 2> "$T/m6.err"
	t_eq "wrong password: exit 78" 78 $?
	t_eq "wrong password: spooled" 1 "$(spooled)"
	rep --daily "$D" --mail > /dev/null 2> "$T/m7.err"
	t_eq "right password: the spooled one and the new one" "0 5 0" "$? $(sm_count) $(spooled)"
	t_absent "the password is in no output, journal or spooled mail" "$good" \
		"$T"/*.err "$T"/*.out "$PHX_STATE_DIR" "$SM_DIR"/*.eml
else
	t_fail "the SMTP peer starts again"
fi

# A password never goes in the clear: a peer without TLS is refused.
if sm_start --tls none; then
	SMTP_TLS=starttls rep --daily "$D" --mail > /dev/null 2> "$T/m8.err"
	t_eq "no STARTTLS offered, a password to send: not sent (exit 75)" 75 $?
	t_eq "no STARTTLS offered: the peer got nothing" 0 "$(sm_count)"
	t_eq "no STARTTLS offered: spooled" 1 "$(spooled)"
	rm -f "$PHX_STATE_DIR"/spool/mail/*.eml
	SMTP_TLS=none rep --daily "$D" --mail > /dev/null 2> "$T/m9.err"
	t_eq "SMTP_TLS=none is the explicit choice: sent" "0 1" "$? $(sm_count)"
else
	t_fail "the SMTP peer starts (no TLS)"
fi
sm_stop

# Alerts of phx-cost and phx-health: each mailed once, none skipped.
alert() { # KEY STATE MESSAGE
	printf '{"phx":"alert","tool":"phx-cost","at":"2025-06-01T18:00:00Z","key":"%s","state":"%s","message":"%s"}\n' \
		"$1" "$2" "$3" >> "$PHX_STATE_DIR/alerts.ndjson"
}
alert cost.day WARNING "day spend 0.85"
alert cost.month CRITICAL "month <b>24.00</b>"
SMTP_HOST='' rep --alerts --mail > /dev/null 2> "$T/a0.err"
t_eq "alerts, no SMTP_HOST: configuration error" 78 $?
if sm_start --tls starttls; then
	rep --alerts --mail > /dev/null 2> "$T/a1.err"
	t_eq "alerts: sent" "0 1" "$? $(sm_count)"
	parse "$SM_DIR/1.eml" > "$T/a1.parsed" 2>&1
	t_contains "alerts: both, the worst in the subject (the failed run did not skip them)" \
		"subject: phx alerts 2025-06-01 — 2 new, worst CRITICAL" "$T/a1.parsed"
	rep --alerts --mail > /dev/null 2> "$T/a2.err"
	t_eq "alerts: nothing new, nothing sent" "0 1" "$? $(sm_count)"
	sm_stop
	alert health.store CRITICAL "store down"
	rep --alerts --mail > /dev/null 2> "$T/a3.err"
	t_eq "alerts, peer down: spooled" "75 1" "$? $(spooled)"
	sm_start --tls starttls
	rep --alerts --mail > /dev/null 2> "$T/a4.err"
	t_eq "alerts: nothing new, but the spooled alert mail goes" "0 1 0" "$? $(sm_count) $(spooled)"
	t_contains "alerts: the spooled one is the store alert" "store down" "$SM_DIR/1.eml"
	sm_stop
else
	t_fail "the SMTP peer starts (alerts)"
fi

# Settings.
RECIPIENT_EMAILS=$'ops@example.org\r\nBcc: evil@example.com' rep --mail --dry-run > /dev/null 2> "$T/m10.err"
t_eq "a header smuggled into RECIPIENT_EMAILS: configuration error" 78 $?
SENDER_EMAIL='' rep --mail --dry-run > /dev/null 2> "$T/m11.err"
t_eq "no SENDER_EMAIL: configuration error" 78 $?
t_contains "no SENDER_EMAIL: it says so" "SENDER_EMAIL: not set" "$T/m11.err"
SMTP_HOST='' rep --mail > /dev/null 2> "$T/m12.err"
t_eq "no SMTP_HOST: configuration error" 78 $?
rep --dry-run > /dev/null 2>&1
t_eq "--dry-run without --mail: usage error" 64 $?
printf 'mail.sender = cfg@example.org\nmail.recipients = one@example.org,two@example.org\n' > "$T/phx.conf"
(unset SENDER_EMAIL RECIPIENT_EMAILS; rep --config "$T/phx.conf" --mail --dry-run > "$T/cfg.eml" 2> "$T/cfg.err")
t_eq "settings from the config file: exit 0" 0 $?
t_eq "settings from the config file: sender and recipients" \
	"From: cfg@example.org|To: one@example.org,| two@example.org" \
	"$(grep -a -E '^(From|To):|^ two' "$T/cfg.eml" | tr -d '\r' | paste -sd'|')"
SENDER_EMAIL=env@example.org rep --config "$T/phx.conf" --mail --dry-run > "$T/cfg2.eml" 2>&1
t_contains "the environment wins over the config file" "From: env@example.org" "$T/cfg2.eml"
