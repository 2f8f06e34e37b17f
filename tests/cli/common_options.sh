#!/usr/bin/env bash
# Every tool: --help on stdout with exit 0, --version, usage errors exit 64,
# a man page that exists, and --config pointing at a missing file exits 78.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"

for bin in "$PHX_BIN"/phx-*; do
	[ -x "$bin" ] || continue
	tool=$(basename "$bin")
	t=${tool#phx-}
	phx "$t" --help > "$T/help" 2> "$T/err"
	t_eq "$tool --help exits 0" 0 $?
	t_check "$tool --help prints usage on stdout" grep -qi "usage:" "$T/help"
	t_eq "$tool --help prints nothing on stderr" "" "$(cat "$T/err")"
	out=$(phx "$t" --version)
	t_eq "$tool --version" "$tool (phx) 0.1.0" "$out"
	phx "$t" --no-such-option > "$T/out" 2> "$T/err" < /dev/null
	t_eq "$tool: unknown option exits 64" 64 $?
	t_contains "$tool: unknown option says how to get help" "--help" "$T/err"
	t_eq "$tool: usage error writes nothing on stdout" "" "$(cat "$T/out")"
	t_check "$tool has a man page" test -f "$PHX_TOP/man/$tool.1"
done

# The config file: a named one that is missing, and one holding a secret.
phx validate --config "$T/missing.conf" < /dev/null > /dev/null 2> "$T/err"
t_eq "a missing --config file exits 78" 78 $?
t_contains "the message names the file" "missing.conf" "$T/err"
printf 'maricopa.api_key = 0123-secret-4567\n' > "$T/secret.conf"
phx validate --config "$T/secret.conf" < /dev/null > /dev/null 2> "$T/err"
t_eq "a secret in the config file is refused with 78" 78 $?
t_absent "the refused secret is not printed" "0123-secret-4567" "$T/err"

# The shipped example config loads (everything in it is commented out, and
# its own text must not trip the secret-key check).
phx validate --config "$PHX_TOP/etc/phx.conf.example" < /dev/null > /dev/null 2> "$T/err"
t_eq "etc/phx.conf.example loads" 0 $?
# Uncommented, its settings are well-formed "key = value" lines.
sed -n 's/^# \([a-z_.]* = .*\)$/\1/p' "$PHX_TOP/etc/phx.conf.example" > "$T/all.conf"
t_ge "the example sets many keys" 30 "$(wc -l < "$T/all.conf")"
