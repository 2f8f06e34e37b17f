#!/usr/bin/env bash
# phx-store when the database goes away: the SQLite file locked by another
# process (wait, then store or spool), a MongoDB server that is not there
# (spool, exit 75, no password anywhere), the spool replayed by the next run,
# and the MongoDB peer killed in the middle of a big run.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
# shellcheck source=tests/fixtures/store/lib.sh
. "$PHX_TOP/tests/fixtures/store/lib.sh"

n=2000
many $n > "$T/in"
db=$T/lock.db
phx store --db "$db" < /dev/null > /dev/null 2>&1	# create it (WAL)

# hold_lock NAME: sqlite3 holds BEGIN EXCLUSIVE on $db until release_lock.
hold_lock() {
	mkfifo "$T/$1.fifo"
	(exec sqlite3 "$db" < "$T/$1.fifo" > "$T/$1.out" 2>&1) &
	LOCK_PID=$!
	exec 3> "$T/$1.fifo"
	printf 'BEGIN EXCLUSIVE;\nINSERT INTO daily_reports VALUES ("lock", "{}");\n' >&3
	printf '.system touch %s\n' "$T/$1.locked" >&3
	local i=0
	while [ ! -e "$T/$1.locked" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
}
release_lock() {
	printf 'ROLLBACK;\n' >&3
	exec 3>&-
	wait "$LOCK_PID"
}

# 1. Locked for a while, shorter than the busy timeout: the run waits, stores all.
hold_lock a
t_check "the lock is held" test -e "$T/a.locked"
phx store --db "$db" --busy-timeout 20000 "$T/in" > "$T/a.stdout" 2> "$T/a.err" &
store_pid=$!
sleep 1
t_check "the run waits while the lock is held" kill -0 $store_pid
t_eq "nothing stored while locked" 0 "$(wc -l < "$T/a.stdout")"
release_lock
wait $store_pid
t_eq "after the lock: exit 0" 0 $?
t_lines "after the lock: every record stored" $n "$T/a.stdout"
t_eq "after the lock: the database holds them" $n \
	"$(sqlite3 "$db" 'SELECT count(*) FROM properties')"

# 2. Locked past the busy timeout and the retries: spool, exit 75, nothing lost.
hold_lock b
many 10 > "$T/in2"
phx store --db "$db" --busy-timeout 100 --retries 2 "$T/in2" > "$T/b.stdout" 2> "$T/b.err"
t_eq "locked too long: exit 75" 75 $?
t_eq "locked too long: nothing on stdout" 0 "$(wc -l < "$T/b.stdout")"
t_contains "locked too long: the message says it spooled" "spool" "$T/b.err"
t_contains "locked too long: the database's own message" "database is locked" "$T/b.err"
spool=$(ls "$PHX_STATE_DIR"/spool/store-*.ndjson 2>/dev/null | head -1)
t_lines "locked too long: every record in the spool" 10 "${spool:-/dev/null}"
release_lock
# The next run replays the spool before its own input.
parcel 99999 85031 1 2026-11-28T10:00:00Z > "$T/in3"
phx store --db "$db" "$T/in3" > "$T/c.stdout" 2> "$T/c.err"
t_eq "next run: exit 0" 0 $?
t_eq "next run: the spool first, then the input" \
	"apn:1 apn:2 apn:3 apn:4 apn:5 apn:6 apn:7 apn:8 apn:9 apn:10 apn:99999" \
	"$(jq -r .property_id "$T/c.stdout" | xargs)"
t_eq "next run: the spooled records were already stored, now confirmed" \
	"unchanged" "$(head -10 "$T/c.stdout" | jq -r .result | sort -u)"
left=
for f in "$PHX_STATE_DIR"/spool/store-*.ndjson "$PHX_STATE_DIR"/spool/*.replay; do
	[ -e "$f" ] && left="$left $f"
done
t_eq "next run: the spool is gone" "" "$left"
t_eq "nothing lost: every property once" $((n + 1)) \
	"$(sqlite3 "$db" 'SELECT count(DISTINCT property_id) FROM properties')"

# 3. MongoDB not there, a password in the URI: retries, spool, exit 75, no password.
port=$(t_free_port)
export MONGODB_URI="mongodb://phxuser:S3cretPassw0rd@127.0.0.1:$port/?serverSelectionTimeoutMS=300"
PHX_STORE_BACKOFF=50 phx store --retries 2 --stats -v "$T/in2" > "$T/d.stdout" 2> "$T/d.err"
t_eq "MongoDB unreachable: exit 75" 75 $?
mspool=$(grep -l . "$PHX_STATE_DIR"/spool/store-*.ndjson 2>/dev/null | head -1)
t_lines "MongoDB unreachable: every record in the spool" 10 "${mspool:-/dev/null}"
t_contains "MongoDB unreachable: the URI is shown masked" "phxuser:***@" "$T/d.err"
t_absent "the password appears nowhere" "S3cretPassw0rd" "$T/d.stdout" "$T/d.err" "$PHX_STATE_DIR"
unset MONGODB_URI

# 4. The MongoDB peer killed in the middle of a big run, started again, run again:
#    every record stored exactly once.
big=50000
[ "${PHX_SAN:-0}" = 1 ] && big=10000
many $big > "$T/big"
mkdir -p "$T/mdata"
if mongo_start --data "$T/mdata"; then
	uri=$MONGO_URI
	port=${uri##*:}; port=${port%%/*}
	: > "$T/e.stdout"
	MONGODB_DATABASE=killed PHX_STORE_BACKOFF=100 PHX_STORE_BACKOFF_MAX=400 \
		phx store --db "$uri" --retries 3 --batch 500 "$T/big" > "$T/e.stdout" 2> "$T/e.err" &
	store_pid=$!
	i=0
	while [ "$(wc -l < "$T/e.stdout")" -lt 1000 ] && [ $i -lt 1800 ]; do sleep 0.1; i=$((i + 1)); done
	kill -9 "$MONGO_PID"
	MONGO_PID=
	wait $store_pid
	t_eq "peer killed mid-run: exit 75" 75 $?
	stored=$(wc -l < "$T/e.stdout")
	t_ge "peer killed mid-run: some confirmed before" 1000 "$stored"
	mspool=$(ls -S "$PHX_STATE_DIR"/spool/store-*.ndjson | head -1)
	t_eq "peer killed mid-run: confirmed + spooled = all" $big \
		$((stored + $(wc -l < "$mspool")))
	mongo_start --data "$T/mdata" --port "$port"
	MONGODB_DATABASE=killed phx store --db "$uri" < /dev/null > "$T/f.stdout" 2> "$T/f.err"
	t_eq "peer back: the replay stores the rest, exit 0" 0 $?
	MONGODB_DATABASE=killed phx store --db "$uri" export | jq -r .property_id | sort > "$T/ids"
	t_lines "every record stored" $big "$T/ids"
	t_eq "none stored twice" 0 "$(uniq -d "$T/ids" | wc -l)"
	mongo_stop
else
	t_fail "MongoDB peer (tests/servers/congodb.sh) starts" "$(cat "$T/congodb.err")"
fi
