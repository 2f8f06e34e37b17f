# shellcheck shell=bash
# pipelines/lib.sh - what every pipeline script shares. Source it, then call
#   px_init NAME "$@"
# which, in this order:
#   1. re-runs the script under timeout(1) (PHX_PIPELINE_TIMEOUT, or the
#      script's PX_TIMEOUT), so a hung step cannot hold the next cron run;
#      timeout puts the run in its own process group and, when the time is
#      up, sends SIGTERM to that group: the tools stop as on a signal, save
#      their cursors and write their summaries;
#   2. refuses to start while the emergency stop file exists (exit 75);
#   3. takes the pipeline's lock with flock(1): a second copy of the same
#      pipeline (cron overlap, a hand run during a cron run) refuses with
#      exit 75 instead of doubling the requests.
# Then the script runs its steps with px_step / px_flow and ends with
# px_finish, which exits with the worst status of all steps (conventions:
# 0 < 1 < 75 < 65 < 69 < 78 < 74 < 64 < 70 < 130/143).
#
# Why downstream stages ignore the stop file: a stop must lose nothing. The
# source stage (phx-fetch) stops within a second of the file appearing, its
# cursor saved after each page it wrote; the stages after it (phx-llm,
# phx-validate, phx-store) must read what is already in the pipe to the end,
# or records fetched and marked done would be dropped between two stages.
# So px_flow runs them with PHX_IGNORE_STOP=1 and in a session of their own
# (setsid), out of reach of signals sent to the run's process group; they end
# when their input ends. A stop therefore ends a run as: fetch stops, the
# rest drains, the pipeline logs "stopped" and exits 143.
#
# Environment (all optional):
#   PHX_BIN            the phx tools (default: build/release/bin of this
#                      checkout, else the directory of phx-fetch on PATH)
#   PHX_STATE_DIR      the state directory (default $XDG_STATE_HOME/phx)
#   PHX_STOP_FILE      the stop file (default $PHX_STATE_DIR/STOP)
#   PHX_PIPELINE_TIMEOUT  limit of one run, timeout(1) syntax (30m, 3h)
#   PHX_REPORT_DIR     where reports are written (default $PHX_STATE_DIR/reports)
# Logs: $PHX_STATE_DIR/pipelines/log/NAME-YYYY-MM-DD.log (also on stderr).
set -uo pipefail
export LC_ALL=C
# libmongoc's counters in memory, not in /dev/shm/mongoc-PID: a step killed
# by timeout leaves that file, and a later process with its PID printed a
# warning into the reports. Nothing reads the counters.
export MONGOC_DISABLE_SHM=${MONGOC_DISABLE_SHM:-1}

PX_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PX_WORST=0
PX_STOPPED=0

# The rank of an exit status in the conventions' order, mildest first.
px_rank() {
	case $1 in
		0) echo 0 ;; 1) echo 1 ;; 75) echo 2 ;; 65) echo 3 ;; 69) echo 4 ;;
		78) echo 5 ;; 74) echo 6 ;; 64) echo 7 ;; 70) echo 8 ;;
		130|143) echo 9 ;; *) echo 8 ;;
	esac
}

# Remember rc when it is worse than what we have.
px_note_rc() {
	local rc=$1
	[ "$(px_rank "$rc")" -gt "$(px_rank "$PX_WORST")" ] && PX_WORST=$rc
	return 0
}

px_log() {
	local line
	line="$(date -u +%Y-%m-%dT%H:%M:%SZ) $PX_NAME: $*"
	printf '%s\n' "$line" >&2
	[ -n "${PX_LOG:-}" ] && printf '%s\n' "$line" >> "$PX_LOG"
	return 0
}

px_stop_file() { echo "${PHX_STOP_FILE:-$PX_STATE/STOP}"; }
px_stop_present() { [ "${PHX_IGNORE_STOP:-0}" != 1 ] && [ -e "$(px_stop_file)" ]; }

px_find_bin() {
	if [ -n "${PHX_BIN:-}" ]; then
		PX_BIN=$(cd "$PHX_BIN" && pwd) || { echo "phx pipeline: PHX_BIN=$PHX_BIN" >&2; exit 78; }
	elif [ -x "$PX_TOP/build/release/bin/phx-fetch" ]; then
		PX_BIN=$PX_TOP/build/release/bin
	elif command -v phx-fetch > /dev/null; then
		PX_BIN=$(dirname "$(command -v phx-fetch)")
	else
		echo "phx pipeline: no phx tools: build them (make) or set PHX_BIN" >&2
		exit 78
	fi
	export PHX_BIN=$PX_BIN
}

# px_init NAME ARGS...: see the top of this file. PX_TIMEOUT (set by the
# script before) is the default limit.
px_init() {
	PX_NAME=$1; shift
	local self
	self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
	if [ "${PX_UNDER_TIMEOUT:-}" != "$PX_NAME.$PPID" ]; then
		# the marker names this script and timeout's pid, so a pipeline
		# started by another pipeline gets its own limit
		local limit=${PHX_PIPELINE_TIMEOUT:-${PX_TIMEOUT:-30m}}
		exec bash -c 'export PX_UNDER_TIMEOUT=$1.$$; shift; exec timeout -k 30 "$@"' \
			px "$PX_NAME" "$limit" "$self" "$@"
	fi
	unset PX_UNDER_TIMEOUT
	px_find_bin
	PX_STATE=${PHX_STATE_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/phx}
	export PHX_STATE_DIR=$PX_STATE
	PX_DAY=$(TZ=America/Phoenix date +%Y-%m-%d)
	PX_REPORTS=${PHX_REPORT_DIR:-$PX_STATE/reports}
	mkdir -p "$PX_STATE/pipelines/log" "$PX_STATE/pipelines/locks" "$PX_REPORTS" || exit 74
	PX_LOG=$PX_STATE/pipelines/log/$PX_NAME-$PX_DAY.log
	if px_stop_present; then
		px_log "emergency stop: remove $(px_stop_file) to resume"
		exit 75
	fi
	PX_LOCK=$PX_STATE/pipelines/locks/$PX_NAME.lock
	exec 9>> "$PX_LOCK"
	if ! flock -n 9; then
		px_log "already running (pid $(cat "$PX_LOCK.pid" 2>/dev/null || echo '?')): not started"
		exit 75
	fi
	echo $$ > "$PX_LOCK.pid"
	trap 'PX_STOPPED=1' TERM INT
	px_log "started (tools: $PX_BIN, state: $PX_STATE)"
}

px_have() { [ -x "$PX_BIN/phx-$1" ]; }

# After a step: 0 to go on, 1 when the run must stop (stop file or signal).
px_should_stop() {
	if [ "$PX_STOPPED" = 1 ]; then return 0; fi
	if px_stop_present; then PX_STOPPED=1; return 0; fi
	return 1
}

# px_step LABEL COMMAND...: run one command, log its status, keep the worst.
px_step() {
	local label=$1 rc; shift
	if px_should_stop; then px_log "$label: not started (stopping)"; return 143; fi
	"$@"
	rc=$?
	px_note_rc "$rc"
	px_log "$label: exit $rc"
	return "$rc"
}

# px_flow LABEL OUT SOURCE-COMMAND... : the collection flow
#   SOURCE | [phx-llm] | phx-validate | phx-store > OUT
# with the downstream stages draining (see the top). Logs every stage's status.
px_flow() {
	local label=$1 out=$2 rc; shift 2
	if px_should_stop; then px_log "$label: not started (stopping)"; return 143; fi
	local drain=(env PHX_IGNORE_STOP=1 setsid -w)
	local zips=()
	[ -n "${TARGET_ZIP_CODES:-}" ] && zips=(--target-zips "$TARGET_ZIP_CODES")
	local codes
	if px_have llm && [ "${PHX_PIPELINE_LLM:-1}" = 1 ]; then
		"$@" 9>&- \
			| "${drain[@]}" "$PX_BIN/phx-llm" 9>&- \
			| "${drain[@]}" "$PX_BIN/phx-validate" "${zips[@]}" 9>&- \
			| "${drain[@]}" "$PX_BIN/phx-store" > "$out" 9>&-
		codes="${PIPESTATUS[*]}"
		px_log "$label: exit status fetch llm validate store: $codes"
	else
		"$@" 9>&- \
			| "${drain[@]}" "$PX_BIN/phx-validate" "${zips[@]}" 9>&- \
			| "${drain[@]}" "$PX_BIN/phx-store" > "$out" 9>&-
		codes="${PIPESTATUS[*]}"
		px_log "$label: exit status fetch validate store: $codes"
	fi
	local c worst=0
	for c in $codes; do
		[ "$(px_rank "$c")" -gt "$(px_rank "$worst")" ] && worst=$c
	done
	px_note_rc "$worst"
	px_log "$label: stored $(px_results "$out")"
	return "$worst"
}

# Seconds in a duration like 30d, 12h, 90m, 45s (a bare number: seconds).
px_duration_s() {
	local v=${1%[dhms]} u=${1##*[0-9]}
	case $u in d) echo $((v * 86400)) ;; h) echo $((v * 3600)) ;; m) echo $((v * 60)) ;;
		*) echo "$v" ;; esac
}

# "inserted 12 unchanged 3" from a phx-store load output file.
px_results() {
	[ -s "$1" ] || { echo nothing; return 0; }
	jq -r '.result // empty' "$1" | sort | uniq -c | awk '{printf "%s%s %s", s, $2, $1; s=", "}'
	echo
}

# px_rotate DIR GZIP_DAYS DELETE_DAYS PATTERN: gzip files matching PATTERN
# not modified for GZIP_DAYS, delete their .gz after DELETE_DAYS. Prints
# "gzipped N, deleted M".
px_rotate() {
	local dir=$1 gz=$2 del=$3 pat=$4 ng=0 nd=0 f
	[ -d "$dir" ] || { echo "gzipped 0, deleted 0"; return 0; }
	while IFS= read -r -d '' f; do
		gzip -f -- "$f" && ng=$((ng + 1))
	done < <(find "$dir" -maxdepth 1 -type f -name "$pat" -mtime +"$((gz - 1))" -print0)
	while IFS= read -r -d '' f; do
		rm -f -- "$f" && nd=$((nd + 1))
	done < <(find "$dir" -maxdepth 1 -type f -name "$pat.gz" -mtime +"$((del - 1))" -print0)
	echo "gzipped $ng, deleted $nd"
}

# px_compact FILE: a fetch index of phx-fetch (a "KEY EPOCH" line appended
# per detail fetch, the last line of a key winning) cut down to one line per
# key, replaced atomically. Lines phx-fetch would not read go. A line a
# phx-fetch run appends meanwhile may be lost: that page is fetched again,
# nothing else. Prints "FILE: lines BEFORE -> AFTER".
px_compact() {
	local f=$1 tmp before after
	[ -s "$f" ] || { echo "$(basename "$f"): empty"; return 0; }
	tmp=$(mktemp "$f.XXXXXX") || return 74
	before=$(wc -l < "$f")
	if LC_ALL=C awk 'NF >= 2 && length($1) <= 15 && $2 ~ /^[0-9]+$/ && $2 > 0 { t[$1] = $2 }
		END { for (k in t) print k, t[k] }' "$f" | LC_ALL=C sort > "$tmp" &&
		chmod 600 "$tmp" && mv -f "$tmp" "$f"; then
		after=$(wc -l < "$f")
		echo "$(basename "$f"): lines $before -> $after"
	else
		rm -f "$tmp"
		echo "$(basename "$f"): not compacted"
		return 74
	fi
}

# px_report KIND [DATE]: the report by phx-report when it is installed, as
# text and HTML files in the report directory (and the daily one's CSV), and mailed when SMTP_HOST and
# RECIPIENT_EMAILS are set (phx-report spools what it cannot send and sends
# it on the next run). Without phx-report: the store's own day summary
# (phx-store report) into the report directory, and a note saying so.
px_report() {
	local kind=$1 date=${2:-$PX_DAY} base
	base=$PX_REPORTS/$kind-$date
	if px_have report; then
		px_step "phx-report --$kind (text)" "$PX_BIN/phx-report" "--$kind" \
			--format text > "$base.txt"
		px_step "phx-report --$kind (html)" "$PX_BIN/phx-report" "--$kind" \
			--format html > "$base.html"
		# the day's new listings and price changes, for a spreadsheet
		[ "$kind" = daily ] &&
			px_step "phx-report --daily --csv" "$PX_BIN/phx-report" --daily --csv > "$base.csv"
		if [ -n "${SMTP_HOST:-}" ] && [ -n "${RECIPIENT_EMAILS:-}" ]; then
			px_step "phx-report --$kind --mail" "$PX_BIN/phx-report" "--$kind" --mail
		else
			px_log "SMTP_HOST or RECIPIENT_EMAILS not set: the $kind report is not mailed"
		fi
	else
		px_log "phx-report is not installed: the $kind report is phx-store's summary only, not mailed"
		px_step "phx-store report" "$PX_BIN/phx-store" report --date "$date" > "$base.json"
	fi
	local f list=
	for f in "$base".*; do [ -e "$f" ] && list+=" $f"; done
	px_log "$kind report:${list:- none}"
}

px_finish() {
	if [ "$PX_STOPPED" = 1 ]; then
		px_log "stopped (stop file or signal): what was collected is stored; the next run resumes"
		px_note_rc 143
	fi
	px_log "finished: exit $PX_WORST"
	exit "$PX_WORST"
}
