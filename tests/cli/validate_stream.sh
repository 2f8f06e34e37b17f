#!/usr/bin/env bash
# phx-validate as a filter: byte-exact pass-through, splicing of _phx,
# EPIPE, signals, the run summary, --min-valid, I/O errors on stdout.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
schema=$PHX_TOP/tests/fixtures/validate/any-object.schema.json
V() { phx validate --no-rules --schema "$schema" "$@"; }

# Byte-exact: key order, big numbers, floats as written, unicode escapes.
cat > "$T/in" <<'JSON'
{"z":1,"a":"10306005","big":123456789012345678,"f":1.50,"e":1E+2,"u":"\u00e9","n":null}
{"b":[1,{"x":2}],"_phx":{"trace":[{"tool":"phx-fetch"}]},"c":true}
JSON
V < "$T/in" > "$T/out" 2> "$T/err"
t_eq "valid records exit 0" 0 $?
t_lines "two records out" 2 "$T/out"
first=$(head -1 "$T/out")
t_eq "record text untouched before the added _phx" \
	'{"z":1,"a":"10306005","big":123456789012345678,"f":1.50,"e":1E+2,"u":"\u00e9","n":null,"_phx":{' \
	"${first%%\"quality\"*}"
second=$(sed -n 2p "$T/out")
t_eq "members after _phx keep their place" ',"c":true}' "${second##*]\}}"
t_eq "the existing trace is kept and extended" '["phx-fetch","phx-validate"]' \
	"$(sed -n 2p "$T/out" | jq -c '[._phx.trace[].tool]')"
t_eq "quality is a number in [0,1]" true "$(head -1 "$T/out" | jq '._phx.quality >= 0 and ._phx.quality <= 1')"
t_eq "validation lists no warnings" '[]' "$(head -1 "$T/out" | jq -c '._phx.validation')"

# The run summary: in = out + rejected.
printf '{"a":1}\nnot json\n{"b":2}\n' | V --rejects "$T/rej" > "$T/out"
t_eq "a rejected line makes exit 1" 1 $?
s=$(tail -1 "$PHX_STATE_DIR/runs.ndjson")
t_eq "summary counts" '3 2 1' "$(jq -r '"\(.in) \(.out) \(.rejected)"' <<< "$s")"
t_eq "summary counts codes" 1 "$(jq '.codes["input.not_json"]' <<< "$s")"
t_eq "summary exit" 1 "$(jq .exit <<< "$s")"
t_eq "reject points at line 2, offset 8" '2 8' "$(jq -r '"\(.input.line) \(.input.offset)"' "$T/rej")"
t_eq "reject keeps the line as a string" '"not json"' "$(jq -c .record "$T/rej")"

# Dead-letter file when no --rejects is given.
printf '[1]\n' | V > /dev/null
day=$(date -u +%Y-%m-%d)
t_check "dead-letter file written" test -s "$PHX_STATE_DIR/rejects/phx-validate-$day.ndjson"
t_eq "dead-letter file is private" 600 "$(stat -c %a "$PHX_STATE_DIR/rejects/phx-validate-$day.ndjson")"

# --min-valid: 2 of 3 valid is below 0.9 but meets 0.5.
printf '{"a":1}\n{"a":2}\n[]\n' > "$T/mv"
V --rejects "$T/r2" --min-valid 0.5 < "$T/mv" > /dev/null 2>&1
t_eq "rejects alone give 1" 1 $?
printf '{"a":1}\n{"a":2}\n' | V --min-valid 1 > /dev/null 2>&1
t_eq "--min-valid met exits 0" 0 $?
V --min-valid 2 < /dev/null > /dev/null 2>&1
t_eq "--min-valid out of range is a usage error" 64 $?

# EPIPE: the reader goes away; exit 0, quietly.
yes '{"k":"v"}' | head -n 200000 > "$T/many"
set +o pipefail
V "$T/many" 2> "$T/err" | head -n 1 > /dev/null
rc=${PIPESTATUS[0]}
t_eq "EPIPE exits 0" 0 "$rc"
t_eq "EPIPE is quiet" "" "$(cat "$T/err")"

# SIGTERM: stop after the record in hand, summary written, 143.
mkfifo "$T/fifo"
# started directly (not through the V function) so that $! is the tool itself
"$PHX_BIN/phx-validate" --no-rules --schema "$schema" "$T/fifo" > "$T/sigout" 2>/dev/null &
pid=$!
exec 7> "$T/fifo"
echo '{"one":1}' >&7
sleep 0.5
kill -TERM "$pid"
wait "$pid"
t_eq "SIGTERM exits 143" 143 $?
exec 7>&-
t_lines "the record in hand was written" 1 "$T/sigout"
t_eq "summary says SIGTERM" '"SIGTERM"' "$(tail -1 "$PHX_STATE_DIR/runs.ndjson" | jq .stopped)"

# Disk full on stdout: exit 74 with a message (shim built from tests/helpers).
if [ -f "$PHX_HELPERS/fail_write.so" ]; then
	printf '{"a":1}\n' | LD_PRELOAD=$PHX_HELPERS/fail_write.so V > "$T/o" 2> "$T/err"
	t_eq "write failure exits 74" 74 $?
	t_contains "write failure is reported" "standard output" "$T/err"
fi
