#!/usr/bin/env bash
# phx-store and the TLS options of a MongoDB URI: the peer behind a TLS port
# with a certificate made here; the URI's tlsCAFile, its absence and
# tlsAllowInvalidCertificates decide whether the connection is accepted.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
# shellcheck source=tests/fixtures/store/lib.sh
. "$PHX_TOP/tests/fixtures/store/lib.sh"

if ! openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" \
	-days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2> "$T/openssl.err"; then
	t_fail "a test certificate is made" "$(cat "$T/openssl.err")"
	exit 0
fi
if ! mongo_start --tls-cert "$T/cert.pem" --tls-key "$T/key.pem"; then
	t_fail "the MongoDB peer starts with TLS" "$(cat "$T/congodb.err")"
	exit 0
fi
base=${MONGO_URI%%\?*}
many 20 > "$T/in"
export PHX_STORE_RETRIES=0 PHX_STORE_CONNECT_TIMEOUT=2000

# tls DB OPTIONS: store the input into database DB over the given URI options.
tls() {
	MONGODB_DATABASE=$1 phx store --db "$base?$2" "$T/in" > "$T/$1.out" 2> "$T/$1.err"
}

tls ca "tls=true&tlsCAFile=$T/cert.pem"
t_eq "tlsCAFile names the CA: exit 0" 0 $?
t_lines "tlsCAFile names the CA: every record stored" 20 "$T/ca.out"

tls noca "tls=true"
rc=$?
t_check "no CA for a self-signed certificate: refused (exit $rc)" test "$rc" -ne 0
t_lines "no CA: nothing reported stored" 0 "$T/noca.out"
t_contains "no CA: the driver says why" "certificate verify failed" "$T/noca.err"

tls invalid "tls=true&tlsAllowInvalidCertificates=true"
t_eq "tlsAllowInvalidCertificates: exit 0" 0 $?
t_lines "tlsAllowInvalidCertificates: every record stored" 20 "$T/invalid.out"

tls plain "tls=false"
rc=$?
t_check "plain MongoDB protocol on the TLS port: refused (exit $rc)" test "$rc" -ne 0

# What was stored over TLS can be read back over TLS.
MONGODB_DATABASE=ca phx store export --db "$base?tls=true&tlsCAFile=$T/cert.pem" > "$T/exp"
t_lines "export over TLS" 20 "$T/exp"
