# shellcheck shell=bash
# tests/lib.sh - helpers for command-line test scripts. Source it.
#
# Each check prints "ok - NAME" or "not ok - NAME" plus "# " detail lines;
# tests/run counts them. Environment given by tests/run:
#   PHX_BIN   directory with the tools      PHX_TOP  the source tree
#   PHX_SAN   1 in the ASan+UBSan pass      T        a fresh temp dir for this script
#   PHX_WRAP  a command to run tools under (valgrind), may be empty
#   PHX_STATE_DIR points into $T, so no test touches the user's state.
set -u
export LC_ALL=C TZ=UTC
: "${PHX_BIN:?run through tests/run}" "${T:?}"

# t_on_exit COMMAND: run COMMAND (a shell word list, eval'd) when the script
# exits, after those added before. One EXIT trap for every stand-in a script
# starts: a second `trap X EXIT` would replace the first and leave its
# server running.
T_ON_EXIT=()
t_on_exit() {
	local c
	for c in "${T_ON_EXIT[@]}"; do [ "$c" = "$1" ] && return 0; done
	T_ON_EXIT+=("$1")
	trap t_run_exit EXIT
}
t_run_exit() {
	local c
	for c in "${T_ON_EXIT[@]}"; do eval "$c"; done
}

# Run a tool from the build under test: phx validate ARGS...
phx() { local t=$1; shift; ${PHX_WRAP:-} "$PHX_BIN/phx-$t" "$@"; }

t_ok()   { echo "ok - $1"; }
t_fail() { echo "not ok - $1"; shift; for l in "$@"; do printf '# %s\n' "$l"; done; }
t_check() { # NAME COMMAND... : passes when the command succeeds
	local n=$1; shift
	if "$@"; then t_ok "$n"; else t_fail "$n" "command failed: $*"; fi
}
t_eq() { # NAME EXPECTED ACTUAL
	if [ "$2" = "$3" ]; then t_ok "$1"; else t_fail "$1" "expected: $2" "actual:   $3"; fi
}
t_ge() { # NAME MIN ACTUAL (integers)
	if [ "$3" -ge "$2" ] 2>/dev/null; then t_ok "$1"; else t_fail "$1" "expected >= $2, got $3"; fi
}
t_le() { # NAME MAX ACTUAL (integers)
	if [ "$3" -le "$2" ] 2>/dev/null; then t_ok "$1"; else t_fail "$1" "expected <= $2, got $3"; fi
}
t_contains() { # NAME NEEDLE FILE
	if grep -qF -- "$2" "$3"; then t_ok "$1"; else t_fail "$1" "'$2' not in $3" "$(head -c 600 "$3")"; fi
}
t_absent() { # NAME NEEDLE FILE...: the string appears in none of the files
	local n=$1 s=$2; shift 2
	if grep -rqF -- "$s" "$@" 2>/dev/null; then t_fail "$n" "found it (not shown: it may be a secret) in: $(grep -rlF -- "$s" "$@" | tr '\n' ' ')"; else t_ok "$n"; fi
}
t_lines() { # NAME EXPECTED_COUNT FILE
	t_eq "$1" "$2" "$(wc -l < "$3" | tr -d ' ')"
}
# A TCP port nobody listens on (the kernel picks it).
t_free_port() {
	/usr/bin/python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()'
}
# Wait until something accepts on 127.0.0.1:PORT (max ~10 s).
t_wait_port() {
	local i=0
	while ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 200 ] && return 1; sleep 0.05
	done
}
# Strip volatile fields (time, run id) from reject/summary lines for comparison.
t_norm() { jq -c 'del(.at, .run, .started, .ended)' "$@"; }
