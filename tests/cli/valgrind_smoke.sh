#!/usr/bin/env bash
# The common paths of phx-validate under valgrind: no invalid access, no
# definite leak. (make valgrind runs every test this way.)
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
if [ "${PHX_SAN:-0}" = 1 ] || [ -n "${PHX_WRAP:-}" ]; then
	t_ok "valgrind smoke: not under ASan or another wrapper (valgrind cannot run ASan binaries)"
	exit 0
fi
VG=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite)
printf '{"a":1}\nnot json\n[1]\n{"a":1,"a":2}\n{"x":"\xff"}\n' > "$T/mixed"
cat "$PHX_TOP/tests/fixtures/validate/good.json" >> "$T/mixed"
"${VG[@]}" "$PHX_BIN/phx-validate" --rejects "$T/rej" < "$T/mixed" > "$T/out" 2> "$T/err"
rc=$?
t_check "phx-validate under valgrind: no memory error (exit $rc)" test "$rc" -ne 99
"${VG[@]}" "$PHX_BIN/phx-validate" --no-rules \
	--schema "$PHX_TOP/tests/fixtures/validate/any-object.schema.json" --rejects "$T/rej2" \
	< "$T/mixed" > "$T/out" 2> "$T/err"
rc=$?
t_eq "phx-validate --no-rules under valgrind: exit 1 (rejects), no memory error" 1 "$rc"
