#!/usr/bin/env bash
# phx-validate against hostile input: every defect in the corpus made by
# tests/fixtures/hostile-corpus.sh gets its own reject code (or a clean
# result), nothing crashes or hangs, every good line still comes out byte for
# byte, rejects point at the right line and byte offset, and the run summary
# keeps in = out + rejected. Also: unreadable operands, the line limit at its
# edges, the default schema, EPIPE and a full disk on stdout.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
schema=$PHX_TOP/tests/fixtures/validate/any-object.schema.json
corpus=$T/corpus
bash "$PHX_TOP/tests/fixtures/hostile-corpus.sh" "$corpus" || t_fail "corpus generated"
# timeout: a hang is a failure, not a stuck test run
V() { timeout 300 ${PHX_WRAP:-} "$PHX_BIN/phx-validate" --no-rules --schema "$schema" "$@"; }

summary() { tail -n 1 "$PHX_STATE_DIR/runs.ndjson"; }
# Output lines without the "_phx" that phx-validate appended (good lines have none).
strip_phx() { sed -E 's/,"_phx":\{.*\}\}$/}/' "$1"; }

# check_positions NAME INPUT REJECTS: each reject's line/offset are consistent
# with the file: the offset starts a line, that line has the reported number,
# and the file's bytes there begin with the record kept in the reject.
check_positions() {
	local name=$1 file=$2 rej=$3 bad=0 seen=0 line off prefix got nl
	while IFS=' ' read -r line off prefix; do
		seen=$((seen + 1))
		nl=$(head -c "$off" "$file" | tr -dc '\n' | wc -c)
		if [ "$nl" -ne $((line - 1)) ]; then
			bad=1; t_fail "$name: offset $off is on line $((nl + 1)), reject says $line"
		fi
		if [ "$off" -gt 0 ] && [ "$(tail -c +"$off" "$file" | head -c 1 | od -An -c | tr -d ' ')" != '\n' ]; then
			bad=1; t_fail "$name: offset $off is not at the start of a line"
		fi
		prefix=$(printf '%s' "$prefix" | base64 -d)
		got=$(tail -c +$((off + 1)) "$file" | head -c "${#prefix}")
		if [ "$got" != "$prefix" ]; then
			bad=1; t_fail "$name: bytes at offset $off" "expected: $prefix" "actual:   $got"
		fi
	done < <(jq -r '[.input.line, .input.offset,
		((.record | if type == "string" then . else tojson end)
		 | (capture("^(?<p>[ -~]{0,40})").p // "") | @base64)] | join(" ")' "$rej")
	[ $seen -eq 0 ] && bad=1 && t_fail "$name: no rejects to check positions of"
	[ $bad -eq 0 ] && t_ok "$name: rejects point at their lines and offsets"
}

total_in=0 total_out=0 total_rej=0
for input in "$corpus"/*.ndjson; do
	name=$(basename "$input" .ndjson)
	rej=$T/$name.rej out=$T/$name.out
	V --rejects "$rej" "$input" > "$out" 2> "$T/$name.err"
	rc=$?
	touch "$rej"
	want_out=$(wc -l < "$corpus/$name.good") want_rej=$(wc -l < "$corpus/$name.rejects")
	want_rc=0; [ "$want_rej" -gt 0 ] && want_rc=1
	t_eq "$name: exit status" "$want_rc" "$rc"
	if strip_phx "$out" | cmp -s - "$corpus/$name.good"; then
		t_ok "$name: every good line comes out, byte for byte"
	else
		t_fail "$name: good lines out" "$(strip_phx "$out" | diff "$corpus/$name.good" - | head -c 800)"
	fi
	t_eq "$name: each output line is JSON with a quality" "$want_out" \
		"$(jq -r '._phx.quality | numbers' "$out" 2> /dev/null | wc -l)"
	t_eq "$name: reject codes and line numbers" "$(cat "$corpus/$name.rejects")" \
		"$(jq -r '"\(.code) \(.input.line)"' "$rej" 2>&1)"
	t_eq "$name: rejects name the input file" "$want_rej" \
		"$(jq -r --arg f "$input" 'select(.input.file == $f) | .code' "$rej" | wc -l)"
	[ "$want_rej" -gt 0 ] && check_positions "$name" "$input" "$rej"
	t_eq "$name: run summary in out rejected exit" \
		"$((want_out + want_rej)) $want_out $want_rej $want_rc" \
		"$(summary | jq -r '"\(.in) \(.out) \(.rejected) \(.exit)"')"
	total_in=$((total_in + want_out + want_rej)) total_out=$((total_out + want_out))
	total_rej=$((total_rej + want_rej))
done
t_eq "empty and blank-only files give no output and no reject" "0 0 0 0" \
	"$(cat "$T/empty.out" "$T/blank_only.out" "$T/empty.rej" "$T/blank_only.rej" | wc -l) $(
	   wc -c < "$T/empty.out") $(wc -c < "$T/blank_only.out") $(wc -c < "$T/empty.err")"
t_eq "a BOM at the start of the file is stripped" '{"id":"bomstart-1"}' \
	"$(strip_phx "$T/bom_start.out" | head -n 1)"
t_absent "no CR reaches the output" $'\r' "$T/crlf.out"
t_contains "the 20 MiB line's reject names the limit" "longer than --max-line" "$T/too_long.rej"
t_le "the 20 MiB line's reject keeps only a prefix" 8192 "$(wc -c < "$T/too_long.rej")"

# All files in one run: the counts add up across operands.
V --rejects "$T/all.rej" "$corpus"/*.ndjson > "$T/all.out" 2> "$T/all.err"
t_eq "all files in one run: exit 1" 1 $?
t_eq "all files in one run: in out rejected" "$total_in $total_out $total_rej" \
	"$(summary | jq -r '"\(.in) \(.out) \(.rejected)"')"
t_eq "all files in one run: summary codes add up to rejected" "$total_rej" \
	"$(summary | jq '[.codes[]] | add')"
t_lines "all files in one run: output lines" "$total_out" "$T/all.out"

# stdin, as '-' among operands and alone.
printf '{"id":"stdin-1"}\n{oops\n' | V --rejects "$T/stdin.rej" "$corpus/truncated.ndjson" - \
	> "$T/stdin.out" 2> /dev/null
t_eq "stdin as '-': its reject says file -, line 2, offset 17" '- 2 17' \
	"$(jq -r 'select(.input.file == "-") | "\(.input.file) \(.input.line) \(.input.offset)"' \
	   "$T/stdin.rej")"
t_contains "stdin as '-': its good line comes out" '"stdin-1"' "$T/stdin.out"

# Unreadable operands: a message naming each, the other files still read.
mkdir "$T/a-directory"
V --rejects "$T/unread.rej" "$corpus/truncated.ndjson" "$T/no-such-file" "$T/a-directory" \
	"$corpus/crlf.ndjson" > "$T/unread.out" 2> "$T/unread.err"
rc=$?
t_contains "missing operand is reported" "$T/no-such-file" "$T/unread.err"
t_contains "directory operand is reported" "$T/a-directory" "$T/unread.err"
t_eq "files around the unreadable ones are read" \
	"$(cat "$corpus/truncated.good" "$corpus/crlf.good")" "$(strip_phx "$T/unread.out")"
t_check "unreadable operands make a failing exit status ($rc)" test "$rc" -gt 1
t_eq "unreadable operands: the summary's exit says so" "$rc" "$(summary | jq .exit)"

# The line limit at its edges (--max-line 64): 64 bytes pass, 65 do not, a CR
# does not count, an overlong last line without a newline is still rejected.
line_of() { # LEN ID: an object of exactly LEN bytes
	local head="{\"id\":\"$2\",\"pad\":\""
	printf '%s%s"}' "$head" "$(head -c $(($1 - ${#head} - 2)) /dev/zero | tr '\0' p)"
}
{
	line_of 64 edge-1; printf '\n'
	line_of 65 edge-2; printf '\n'
	line_of 64 edge-3; printf '\r\n'
	line_of 65 edge-4; printf '\r\n'
	printf '{"id":"edge-5"}\n'
	line_of 200 edge-6
} > "$T/edge.ndjson"
V --max-line 64 --rejects "$T/edge.rej" "$T/edge.ndjson" > "$T/edge.out" 2> "$T/edge.err"
t_eq "--max-line 64: exit 1" 1 $?
t_eq "--max-line 64: 64-byte lines pass, with or without CR" \
	"$(line_of 64 edge-1; echo; line_of 64 edge-3; echo; echo '{"id":"edge-5"}')" \
	"$(strip_phx "$T/edge.out")"
t_eq "--max-line 64: 65 bytes and the unterminated last line are too long" \
	"input.too_long 2 input.too_long 4 input.too_long 6" \
	"$(jq -r '"\(.code) \(.input.line)"' "$T/edge.rej" | tr '\n' ' ' | sed 's/ $//')"
check_positions "--max-line 64" "$T/edge.ndjson" "$T/edge.rej"

# The default schema and rules: a valid record passes around hostile lines.
good=$PHX_TOP/tests/fixtures/validate/good.json
{ cat "$good"; printf '{"property_id":\n\x00\n[1]\n'; cat "$good"; } > "$T/default.ndjson"
timeout 300 ${PHX_WRAP:-} "$PHX_BIN/phx-validate" --rejects "$T/default.rej" \
	"$T/default.ndjson" > "$T/default.out" 2> "$T/default.err"
t_eq "default schema: exit 1" 1 $?
t_eq "default schema: the valid records pass, unchanged apart from _phx" \
	"$(jq -c 'del(._phx)' "$good" "$good")" "$(jq -c 'del(._phx)' "$T/default.out")"
t_eq "default schema: the fetch trace is kept and phx-validate's added" \
	'["phx-fetch","phx-validate"]' "$(head -n 1 "$T/default.out" | jq -c '[._phx.trace[].tool]')"
t_eq "default schema: the hostile lines are rejected" \
	"input.not_json 2 input.nul_byte 3 input.not_object 4" \
	"$(jq -r '"\(.code) \(.input.line)"' "$T/default.rej" | tr '\n' ' ' | sed 's/ $//')"

# EPIPE: the reader takes one line and goes; the tool stops early, exit 0.
yes '{"id":"pipe","n":12345}' | head -n 200000 > "$T/many.ndjson"
V "$T/many.ndjson" 2> "$T/pipe.err" | head -n 1 > "$T/pipe.out"
rc=${PIPESTATUS[0]}
t_eq "EPIPE: exit 0" 0 "$rc"
t_eq "EPIPE: no message" "" "$(cat "$T/pipe.err")"
t_lines "EPIPE: head got its line" 1 "$T/pipe.out"
t_check "EPIPE: stopped reading early ($(summary | jq .in) of 200000)" \
	test "$(summary | jq .in)" -lt 200000

# A full disk on stdout: exit 74, a message, and the summary records it.
LD_PRELOAD=$PHX_HELPERS/fail_write.so V "$corpus/truncated.ndjson" --rejects "$T/df.rej" \
	> "$T/df.out" 2> "$T/df.err"
t_eq "disk full: exit 74" 74 $?
t_contains "disk full: the message says why" "No space left on device" "$T/df.err"
t_eq "disk full: the summary's exit is 74" 74 "$(summary | jq .exit)"
