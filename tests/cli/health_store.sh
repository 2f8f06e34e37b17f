#!/usr/bin/env bash
# phx-health store: a real SQLite file good, corrupt and missing; the MongoDB
# peer up, stopped and started again.
. "$PHX_TOP/tests/lib.sh"
. "$PHX_TOP/tests/servers/health.sh"

phx health --check store > out 2>&1; rc=$?
t_eq "no store configured: UNKNOWN 3 when asked by name" 3 "$rc"
t_contains "and it says skipped" "skipped, not configured" out

sqlite3 "$T/good.db" "create table p(a); insert into p values (1);"
PHX_DB=$T/good.db phx health --check store --json > j 2>err; rc=$?
t_eq "good SQLite file: OK" "0 OK" "$rc $(state_of store j)"
t_contains "perfdata has the quick_check time" "'store.check_time'=" j

# corrupt: a valid header, then garbage over the table pages
python3 - "$T/good.db" "$T/bad.db" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
for i in range(4096 + 8, len(d)):
    d[i] = (i * 7) & 0xff
open(sys.argv[2], "wb").write(bytes(d))
PY
PHX_DB=$T/bad.db phx health --check store --json > j 2>err; rc=$?
t_eq "corrupt SQLite file: CRITICAL 2" "2 CRITICAL" "$rc $(state_of store j)"
printf 'not a database at all, just text\n%.0s' {1..200} > "$T/text.db"
PHX_DB=$T/text.db phx health --check store > out 2>&1; rc=$?
t_eq "a text file as the store: CRITICAL" 2 "$rc"
PHX_DB=$T/nowhere/none.db phx health --check store > out 2>&1; rc=$?
t_eq "a named but missing SQLite file: CRITICAL, not skipped" 2 "$rc"

CONGO="$PHX_TOP/tests/servers/congodb.sh"
if ! "$CONGO" start --port 0 > congo.out 2> congo.err; then
	echo "ok - mongodb peer # SKIP congodb not installed: $(head -c 200 congo.err)"
	exit 0
fi
uri=$(sed -n 1p congo.out); pid=$(sed -n 2p congo.out)
port=${uri##*:}; port=${port%%/*}
# a password in the URI, which must never be printed
secret_uri="mongodb://phx:S3cretPw9@127.0.0.1:$port/phx"
MONGODB_URI=$uri phx health --check store --json > j 2>err; rc=$?
t_eq "MongoDB peer up: OK" "0 OK" "$rc $(state_of store j)"
t_contains "ping round trip in perfdata" "'store.rtt'=" j
"$CONGO" stop "$pid" > /dev/null 2>&1
start=$(date +%s%N)
MONGODB_URI=$secret_uri phx health --check store --json --timeout 2s > j 2>err; rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
t_eq "MongoDB peer stopped: CRITICAL" "2 CRITICAL" "$rc $(state_of store j)"
t_le "stopped peer answered within the timeout plus 3 s ($ms ms)" 5000 "$ms"
t_absent "the URI password is in no output" S3cretPw9 j err
"$CONGO" start --port "$port" > congo.out 2> congo.err
pid=$(sed -n 2p congo.out)
MONGODB_URI=$uri phx health --check store > out 2>&1; rc=$?
t_eq "MongoDB peer started again: OK" 0 "$rc"
"$CONGO" stop "$pid" > /dev/null 2>&1
