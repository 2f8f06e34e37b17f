#!/usr/bin/env bash
# bench/store.sh BIN_DIR [--quick] - phx-store's speed and memory, both backends.
#
# Records: bench/store_gen.awk (parcels and MLS listings shaped like the record
# spec, ~870 bytes each, all valid; a third are listings, half of which join a
# parcel). Two runs each: a first load into an empty store, then the next
# day's file, in which 10% of the records changed (the rest are the same lines).
#
#   SQLite   phx-store --db sqlite:FILE   against   the sqlite3 command doing the
#            upsert in pure SQL from the same file: .import into a staging
#            table, then INSERT ... SELECT with JSON functions ... ON CONFLICT
#            DO UPDATE, into the same table layout and pragmas as phx-store's
#            (it only replaces rows: no merge, no history, no report).
#   MongoDB  phx-store --db mongodb://...   against   the official Node.js driver
#            (bench/store_node.mjs): unordered bulk replace-one upserts on
#            property_id, 1000 per batch, the same batch size as phx-store.
#            Both against the same peer (CongoDB, tests/servers/congodb.sh),
#            fresh and in memory for each tool.
#
# Prints records per second (by wall clock and by the client's CPU time) and
# peak memory (max RSS of the client process) for each (MongoDB runs also the
# peer's CPU seconds: the server's half of the wall time), then the ratios against
# the aims: phx-store >= 0.5x the pure-SQL upsert, >= 1x the Node.js driver, and
# peak memory flat in the record count (SQLite first load of N/10 against N).
# N = 1,000,000 for SQLite; the MongoDB runs use M = 100,000 (PHX_BENCH_MONGO_N):
# the peer is a JavaScript server that keeps everything in one process and
# would need minutes per run and gigabytes for a million documents.
# --quick: N = 100,000, M = 10,000. PHX_BENCH_ONLY=sqlite or mongodb runs one half.
# Files are kept in $PHX_BENCH_DIR (default build/bench) and reused: generating
# is deterministic.
set -u
bin=${1:?usage: bench/store.sh BIN_DIR [--quick]}
quick=0
[ "${2:-}" = --quick ] && quick=1
top=$(cd "$(dirname "$0")/.." && pwd)
case $bin in /*) ;; *) bin=$top/$bin ;; esac
export LC_ALL=C TZ=UTC
n=1000000 m=${PHX_BENCH_MONGO_N:-100000}
[ $quick = 1 ] && n=100000 m=${PHX_BENCH_MONGO_N:-10000}
small=$((n / 10))
work=${PHX_BENCH_DIR:-$top/build/bench}/store
mkdir -p "$work" || exit 1
[ -x "$bin/phx-store" ] || { echo "bench/store.sh: no $bin/phx-store" >&2; exit 1; }
for t in cc awk sqlite3; do
	command -v "$t" > /dev/null || { echo "bench/store.sh: $t is needed" >&2; exit 1; }
done
cc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -o "$work/rusage" "$top/bench/rusage.c" ||
	exit 1
# Runs, journals and spools of the measured runs stay here, not in the user's state.
export PHX_STATE_DIR=$work/state

# ---- the record files ---------------------------------------------------------
gen() { # COUNT ROUND FILE
	[ -s "$3" ] && return 0
	awk -v n="$1" -v round="$2" -f "$top/bench/store_gen.awk" > "$3.tmp" && mv "$3.tmp" "$3"
}
day1=$work/day1-$n.ndjson day2=$work/day2-$n.ndjson
gen "$n" 1 "$day1" && gen "$n" 2 "$day2" || exit 1
day1s=$work/day1-$small.ndjson
[ -s "$day1s" ] || head -n "$small" "$day1" > "$day1s" || exit 1
mday1=$work/day1-$m.ndjson mday2=$work/day2-$m.ndjson
[ -s "$mday1" ] || head -n "$m" "$day1" > "$mday1" || exit 1
[ -s "$mday2" ] || head -n "$m" "$day2" > "$mday2" || exit 1

# ---- measuring -----------------------------------------------------------------
declare -A rate cpurate rss
failed=0
printf '%-38s %8s %8s %10s %8s %10s %9s\n' "" records wall_s "rec/s" cpu_s "rec/cpu-s" "peak MiB"
# measure KEY LABEL RECORDS COMMAND...: run it, print a line, keep the rates and rss.
measure() {
	local key=$1 label=$2 count=$3 wall user sys kib code cpu
	shift 3
	"$work/rusage" "$work/ru" "$@" > "$work/$key.out" 2> "$work/$key.err"
	read -r wall user sys kib code < "$work/ru"
	if [ "$code" != 0 ]; then
		echo "bench/store.sh: $label: exit $code: $(tail -n 3 "$work/$key.err")" >&2
		failed=1
	fi
	cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
	rate[$key]=$(awk -v c="$count" -v w="$wall" 'BEGIN { printf "%.0f", c / w }')
	cpurate[$key]=$(awk -v c="$count" -v t="$cpu" 'BEGIN { printf "%.0f", c / t }')
	rss[$key]=$(awk -v k="$kib" 'BEGIN { printf "%.1f", k / 1024 }')
	printf '%-38s %8d %8.2f %10s %8s %10s %9s\n' "$label" "$count" "$wall" "${rate[$key]}" \
		"$cpu" "${cpurate[$key]}" "${rss[$key]}"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

only=${PHX_BENCH_ONLY:-}
# ---- SQLite ------------------------------------------------------------------------
if [ "$only" != mongodb ]; then
	echo "SQLite ($n records; the second day changes 10%)"
	db=$work/phx.db sqldb=$work/sql.db
	rm -rf "$PHX_STATE_DIR" "$db" "$db"-* "$sqldb" "$sqldb"-*
	measure sq_phx1 "phx-store, first load" "$n" "$bin/phx-store" --db "sqlite:$db" "$day1"
	measure sq_phx2 "phx-store, second day" "$n" "$bin/phx-store" --db "sqlite:$db" "$day2"

	# The same layout as phx-store's table, the same pragmas, one transaction.
	upsert_sql() { # FILE
		cat <<-EOF
		PRAGMA page_size=8192;
		PRAGMA journal_mode=WAL;
		PRAGMA synchronous=NORMAL;
		CREATE TABLE IF NOT EXISTS properties (property_id TEXT PRIMARY KEY NOT NULL,
		  rev INTEGER NOT NULL, doc TEXT NOT NULL, address_key TEXT, apn TEXT, zip TEXT,
		  type TEXT, price INTEGER, last_seen TEXT);
		CREATE INDEX IF NOT EXISTS properties_address_key ON properties (address_key);
		CREATE TABLE staging (line TEXT);
		.mode ascii
		.separator "\037" "\n"
		.import $1 staging
		BEGIN;
		INSERT INTO properties (property_id, rev, doc, address_key, apn, zip, type, price,
		  last_seen)
		SELECT line ->> '\$.property_id', 1, json(line), line ->> '\$.address_key',
		  line ->> '\$.apn', line ->> '\$.address.zip', line ->> '\$.property_type',
		  coalesce(line ->> '\$.listing.list_price',
		           line ->> '\$.parcel.valuations[0].full_cash_value'),
		  line ->> '\$.observed_at'
		FROM staging WHERE json_valid(line)
		ON CONFLICT (property_id) DO UPDATE SET rev = rev + 1, doc = excluded.doc,
		  address_key = excluded.address_key, apn = excluded.apn, zip = excluded.zip,
		  type = excluded.type, price = excluded.price, last_seen = excluded.last_seen;
		DROP TABLE staging;
		COMMIT;
		EOF
	}
	upsert_sql "$day1" > "$work/upsert1.sql"
	upsert_sql "$day2" > "$work/upsert2.sql"
	measure sq_sql1 "sqlite3 pure-SQL upsert, first load" "$n" \
		sqlite3 "$sqldb" ".read $work/upsert1.sql"
	measure sq_sql2 "sqlite3 pure-SQL upsert, second day" "$n" \
		sqlite3 "$sqldb" ".read $work/upsert2.sql"
	rm -rf "$db" "$db"-*
	measure sq_small "phx-store, first load of N/10" "$small" \
		"$bin/phx-store" --db "sqlite:$db" "$day1s"
	echo "  stored: phx-store $(sqlite3 "$work/phx.db" 'SELECT count(*) FROM properties' \
		2> /dev/null) documents (of N/10; listings joined to parcels), pure SQL" \
		"$(sqlite3 "$sqldb" 'SELECT count(*) FROM properties') rows (of N)"
	rm -rf "$db" "$db"-* "$sqldb" "$sqldb"-*
fi

# ---- MongoDB (the CongoDB peer) -------------------------------------------------------
mongo_ok=0
peer() { # start a fresh in-memory peer: sets PEER_URI, PEER_PID
	local out
	out=$("$top/tests/servers/congodb.sh" start) || return 1
	PEER_URI=$(printf '%s\n' "$out" | sed -n 1p)
	PEER_PID=$(printf '%s\n' "$out" | sed -n 2p)
}
if [ "$only" = sqlite ]; then
	:
elif command -v node > /dev/null && sh "$top/tests/servers/install-congodb.sh" > /dev/null &&
	peer; then
	mongo_ok=1
	echo "MongoDB peer ($m records; the second day changes 10%)"
	export MONGODB_DATABASE=bench
	# The peer's CPU time so far (user + system, seconds).
	peer_cpu() {
		awk -v t="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / t }' \
			"/proc/$PEER_PID/stat" 2> /dev/null || echo 0
	}
	# mmeasure: measure, then the peer's CPU seconds during that run (the
	# server's half of the work, under cpu_s).
	mmeasure() {
		local before after
		before=$(peer_cpu)
		measure "$@"
		after=$(peer_cpu)
		printf '%-38s %8s %8s %10s %8s\n' "  the peer's CPU in that run" "" "" "" \
			"$(awk -v a="$after" -v b="$before" 'BEGIN { printf "%.2f", a - b }')"
	}
	mmeasure mg_phx1 "phx-store, first load" "$m" "$bin/phx-store" --db "$PEER_URI" "$mday1"
	mmeasure mg_phx2 "phx-store, second day" "$m" "$bin/phx-store" --db "$PEER_URI" "$mday2"
	"$top/tests/servers/congodb.sh" stop "$PEER_PID"
	peer || exit 1
	mmeasure mg_node1 "node mongodb driver, first load" "$m" \
		node "$top/bench/store_node.mjs" "$PEER_URI" bench "$mday1" 1000
	mmeasure mg_node2 "node mongodb driver, second day" "$m" \
		node "$top/bench/store_node.mjs" "$PEER_URI" bench "$mday2" 1000
	"$top/tests/servers/congodb.sh" stop "$PEER_PID"
else
	echo "MongoDB peer: not available (tests/servers/install-congodb.sh), skipped" >&2
	failed=1
fi

# ---- ratios ------------------------------------------------------------------------
echo "Ratios (aim in brackets); SQLite by wall clock and by CPU time (the machine is shared)"
[ "$only" != mongodb ] && for d in 1 2; do
	day=$([ $d = 1 ] && echo "first load" || echo "second day")
	echo "  SQLite $day: phx-store / pure SQL = $(ratio "${rate[sq_phx$d]}" \
		"${rate[sq_sql$d]}")x wall, $(ratio "${cpurate[sq_phx$d]}" \
		"${cpurate[sq_sql$d]}")x CPU [>= 0.5]"
done
[ "$only" != mongodb ] &&
	echo "  SQLite peak memory: N / (N/10) = $(ratio "${rss[sq_phx1]}" "${rss[sq_small]}")x" \
		"[~1: flat]; phx-store / sqlite3 = $(ratio "${rss[sq_phx1]}" "${rss[sq_sql1]}")x"
if [ $mongo_ok = 1 ]; then
	for d in 1 2; do
		day=$([ $d = 1 ] && echo "first load" || echo "second day")
		echo "  MongoDB $day: phx-store / node = $(ratio "${rate[mg_phx$d]}" \
			"${rate[mg_node$d]}")x wall (server included) [>= 1]"
	done
	echo "  MongoDB peak memory: phx-store / node = $(ratio "${rss[mg_phx1]}" \
		"${rss[mg_node1]}")x"
fi
exit $failed
