# shellcheck shell=bash
# tests/servers/smtp.sh - start and stop the SMTP peer (smtp.py, aiosmtpd)
# from a test. Source it after tests/lib.sh:
#
#   sm_start [--tls none|starttls|implicit] [--port N]
#       start on loopback with AUTH; sets SM_DIR (the received messages:
#       N.eml, envelopes.ndjson), SM_PORT, and exports SMTP_HOST, SMTP_PORT,
#       SMTP_USERNAME, SMTP_PASSWORD_FILE, SMTP_TLS (and SMTP_CA_FILE with TLS)
#   sm_stop      stop it (also done by the EXIT trap)
#   sm_count     messages received so far
#
# The password is a fresh random UUID in a 0600 file (SM_PASSWORD holds it
# for the tests that look for it in output); TLS uses a self-signed
# certificate for 127.0.0.1 made with openssl, trusted through SMTP_CA_FILE.
SM_PY=/usr/bin/python3
SM_SERVER="$PHX_TOP/tests/servers/smtp.py"
SM_PID=
SM_N=0

sm_cert() {
	[ -s "$T/smtp-cert.pem" ] && return 0
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
		-addext subjectAltName=IP:127.0.0.1,DNS:localhost \
		-keyout "$T/smtp-key.pem" -out "$T/smtp-cert.pem" 2> "$T/openssl.err"
}

sm_start() {
	local tls=none port=0
	while [ $# -gt 0 ]; do
		case $1 in
		--tls) tls=$2; shift 2 ;;
		--port) port=$2; shift 2 ;;
		*) echo "# sm_start: unknown option $1"; return 1 ;;
		esac
	done
	sm_stop
	SM_N=$((SM_N + 1))
	SM_DIR=$T/smtp.$SM_N
	rm -rf "$SM_DIR"
	mkdir -p "$SM_DIR"
	SM_PASSWORD=${SM_PASSWORD:-$(cat /proc/sys/kernel/random/uuid)}
	(umask 077; printf '%s\n' "$SM_PASSWORD" > "$T/smtp.password")
	local tlsargs=()
	if [ "$tls" != none ]; then
		sm_cert || { echo "# openssl: $(cat "$T/openssl.err")"; return 1; }
		tlsargs=(--cert "$T/smtp-cert.pem" --key "$T/smtp-key.pem")
		export SMTP_CA_FILE="$T/smtp-cert.pem"
	else
		unset SMTP_CA_FILE
	fi
	"$SM_PY" "$SM_SERVER" --dir "$SM_DIR" --port-file "$SM_DIR/port" --port "$port" \
		--user phx-test --password-file "$T/smtp.password" --tls "$tls" \
		"${tlsargs[@]}" 2> "$SM_DIR/stderr" &
	SM_PID=$!
	t_on_exit sm_stop
	local i=0
	while [ ! -s "$SM_DIR/port" ]; do
		i=$((i + 1))
		if [ $i -gt 300 ] || ! kill -0 "$SM_PID" 2>/dev/null; then
			echo "# smtp.py did not start: $(cat "$SM_DIR/stderr")"
			return 1
		fi
		sleep 0.05
	done
	SM_PORT=$(cat "$SM_DIR/port")
	t_wait_port "$SM_PORT" || return 1
	export SMTP_HOST=127.0.0.1 SMTP_PORT=$SM_PORT SMTP_USERNAME=phx-test SMTP_TLS=$tls
	export SMTP_PASSWORD_FILE="$T/smtp.password"
	unset SMTP_PASSWORD
}

sm_stop() {
	if [ -n "$SM_PID" ]; then
		kill "$SM_PID" 2>/dev/null
		wait "$SM_PID" 2>/dev/null
	fi
	SM_PID=
}

sm_count() {
	find "$SM_DIR" -name '*.eml' 2>/dev/null | wc -l | tr -d ' '
}
