#!/usr/bin/env bash
# phx-cost's default answer over synthetic journals of several months: the
# Phoenix month and day boundaries (UTC-7), a price change in the middle of
# a month, old months keeping their price, malformed lines, usage lines from
# stdin, and the cost per property from the store's count.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
export PHX_STATE_DIR=$T/state HOME=$T XDG_CONFIG_HOME=$T/cfg XDG_DATA_HOME=$T/data
unset PHX_DB MONGODB_URI MONGODB_URL PHX_PRICES
mkdir -p "$PHX_STATE_DIR"
J=$PHX_STATE_DIR/usage.ndjson
P=$T/prices.conf
# u AT SERVICE WHAT QTY [EXTRA-JSON-MEMBERS]: one usage line
u() { printf '{"phx":"usage","tool":"phx-fetch","at":"%s","service":"%s","what":"%s","qty":%s%s}\n' \
	"$1" "$2" "$3" "$4" "${5:+,$5}"; }
cost() { phx cost --prices "$P" --no-alerts "$@"; }
val() { jq -r "$1" "$T/out"; }

# One cent a request; a 3.10 plan (0.10 a day in a 31-day month).
cat > "$P" <<'C'
fixed plan base 3.10 from 2026-01-01 category plan
unit api http_request 0.01 per 1 from 2026-01-01 category requests
C

# Three months: October 10 requests, November 20, December 5 so far.
{
	for _ in $(seq 10); do u 2026-10-15T12:00:00Z api http_request 1; done
	for _ in $(seq 20); do u 2026-11-15T12:00:00Z api http_request 1; done
	for _ in $(seq 5); do u 2026-12-02T12:00:00Z api http_request 1; done
} > "$J"
cost --json --at 2026-12-03T19:00:00Z > "$T/out" 2> "$T/err"
t_eq "exit 0" 0 $?
t_eq "December: 3 days of the plan and 5 requests" 350000 "$(val .usd_micros)"
t_eq "the month is December" 2026-12 "$(val .month)"
t_eq "today: one day of the plan" 100000 "$(val .today_usd_micros)"
t_eq "usage and fixed fees apart" "50000 300000" "$(val '"\(.usage_usd_micros) \(.fixed_usd_micros)"')"
t_eq "remaining of the 25.00 budget" 24650000 "$(val .remaining_usd_micros)"
t_eq "budget used in %" 1.4 "$(val .used_pct)"
t_contains "printed with one decimal, not 17 digits" '"used_pct":1.4,' "$T/out"
# forecast: the whole plan (3.10) plus 0.05 so far, extended at its rate: 2.5
# days (216001 s) gone, 2462399 s left: 50000 * 2462399 / 216001 = 569997
t_eq "forecast: fixed fees in full plus the usage trend" 3719997 "$(val .forecast_usd_micros)"
t_eq "by service: the plan first (dearest)" "plan api" "$(val '[.by_service[].key] | join(" ")')"
t_eq "state OK" OK "$(val .state)"
t_eq "no store: the cost per property is unknown" null "$(val .per_property_usd_micros)"
t_eq "and says why" "no store configured" "$(val .properties_note)"

cost --json --at 2026-11-30T12:00:00Z > "$T/out"
t_eq "November alone: 30 days of the plan (3.10 * 30/30) and 20 requests" 3300000 "$(val .usd_micros)"
cost --json --at 2026-10-31T23:00:00Z > "$T/out"
t_eq "October: 31 days of the plan and 10 requests" 3200000 "$(val .usd_micros)"

# The Phoenix boundary: 2026-12-01T03:00Z is still November 30 in Phoenix.
u 2026-12-01T03:00:00Z api http_request 100 > "$J.2"
cat "$J.2" >> "$J"
cost --json --at 2026-11-30T23:59:00-07:00 > "$T/out"
t_eq "03:00 UTC on December 1 counts in November (Phoenix)" 4300000 "$(val .usd_micros)"
# 3.10 over 30 days: day 30 gets 3100000 - 3100000 * 29 / 30 = 103334
t_eq "and on November 30" 1103334 "$(val .today_usd_micros)"
cost --json --at 2026-12-03T19:00:00Z > "$T/out"
t_eq "December is unchanged by it" 350000 "$(val .usd_micros)"
# 07:00 UTC on the 1st is the first hour of the month in Phoenix
u 2026-12-01T07:00:00Z api http_request 2 >> "$J"
cost --json --at 2026-12-03T19:00:00Z > "$T/out"
t_eq "07:00 UTC on December 1 counts in December" 370000 "$(val .usd_micros)"

# A price change in the middle of December: two cents from December 10.
echo "unit api http_request 0.02 per 1 from 2026-12-10 category requests" >> "$P"
{ u 2026-12-09T12:00:00Z api http_request 1; u 2026-12-10T12:00:00Z api http_request 1; } >> "$J"
cost --json --at 2026-12-10T19:00:00Z > "$T/out"
# 10 days of plan 1.00, 5+2+1 requests at 1 cent, 1 at 2 cents
t_eq "the new price from its day on, the old one before" 1100000 "$(val .usd_micros)"
t_eq "today at the new price" 120000 "$(val .today_usd_micros)"
cost --json --at 2026-11-30T12:00:00Z > "$T/out"
t_eq "November keeps its price" 4300000 "$(val .usd_micros)"
# A price file that changes an old month's price later: the old month stays.
sed -i 's/^unit api http_request 0.01 per 1 from 2026-01-01/unit api http_request 0.05 per 1 from 2026-01-01/' "$P"
cost --json --at 2026-12-10T19:00:00Z --monthly-report=2026-11 > "$T/out"
t_eq "November, priced before, keeps its price when the file changes later" 4300000 \
	"$(val .usd_micros)"
cost --json --at 2026-12-10T19:00:00Z > "$T/out"
t_eq "December's days before the 10th take the changed price (8 at 0.05)" 1420000 "$(val .usd_micros)"
sed -i 's/0.05 per 1 from 2026-01-01/0.01 per 1 from 2026-01-01/' "$P"

# Malformed lines: a warning naming file and line, not counted, not fatal.
n=$(wc -l < "$J")
{ echo 'not json'; echo '{"phx":"usage","at":"2026-12-10T12:00:00Z","service":"api","what":"http_request","qty":-3}'
  echo '{"phx":"run","tool":"x"}'; u 2026-12-10T13:00:00Z api http_request 1; } >> "$J"
cost --json --at 2026-12-10T19:00:00Z > "$T/out" 2> "$T/err"
t_eq "malformed lines are not fatal" 0 $?
t_contains "the warning names file and line" "usage.ndjson:$((n + 1)): skipped, not counted" "$T/err"
t_contains "a negative qty is named" "usage.ndjson:$((n + 2)):" "$T/err"
t_contains "a line of another kind is named" "usage.ndjson:$((n + 3)): skipped, not counted: not a usage line" "$T/err"
t_eq "only the good line is counted" 1120000 "$(val .usd_micros)"
cost --at 2026-12-10T19:00:00Z > "$T/out" 2> "$T/err"
t_eq "a rerun does not warn again about lines already read" "" "$(cat "$T/err")"

# Text for people.
t_contains "text: month to date" "month to date  \$1.1200 of \$25.0000 (4.4 %)" "$T/out"
t_contains "text: Phoenix local time" "as of 2026-12-10 12:00 MST" "$T/out"
t_contains "text: by category" "by category:" "$T/out"
t_contains "text: per property unknown" "per property   unknown (no store configured)" "$T/out"

# Usage lines on stdin ('-') and from a file: nothing is remembered.
before=$(cat "$PHX_STATE_DIR/cost-ledger.ndjson")
{ u 2026-12-05T12:00:00Z api http_request 7; echo '{"broken'; } |
	cost --json --at 2026-12-10T19:00:00Z - > "$T/out" 2> "$T/err"
t_eq "stdin: 10 days of plan and 7 requests" 1070000 "$(val .usd_micros)"
t_contains "stdin: the bad line is named '-:2'" "-:2: skipped" "$T/err"
t_eq "stdin leaves the ledger as it was" "$before" "$(cat "$PHX_STATE_DIR/cost-ledger.ndjson")"
printf '%s' "$(u 2026-12-05T12:00:00Z api http_request 3)" > "$T/one.ndjson"
cost --json --at 2026-12-10T19:00:00Z "$T/one.ndjson" > "$T/out"
t_eq "a file operand, last line without newline" 1030000 "$(val .usd_micros)"
{ u 2026-12-05T12:00:00Z api http_request 1; echo '{"phx":"usage"}'; } > "$T/two.ndjson"
cost --json --at 2026-12-10T19:00:00Z "$T/one.ndjson" "$T/two.ndjson" > "$T/out" 2> "$T/err"
t_eq "two file operands add up" 1040000 "$(val .usd_micros)"
t_contains "a bad line is numbered within its own file" "two.ndjson:2: skipped" "$T/err"
cost --at 2026-12-10T19:00:00Z "$T/missing.ndjson" > /dev/null 2> "$T/err"
t_eq "a missing file operand exits 74" 74 $?
t_contains "and names it" "missing.ndjson" "$T/err"

# Hostile input: a BOM, CRLF, NUL in a string, random bytes, quantities at
# the top of int64 (sums saturate, never wrap), a trillion-dollar price.
printf '\xef\xbb\xbf%s\r\n' "$(u 2026-12-05T12:00:00Z api http_request 1)" > "$T/h.ndjson"
u 2026-12-05T12:00:00Z 'a\u0000b' http_request 1 >> "$T/h.ndjson"
head -c 100000 /dev/urandom >> "$T/h.ndjson"
echo >> "$T/h.ndjson"
u 2026-12-05T12:00:00Z api http_request 9223372036854775807 >> "$T/h.ndjson"
u 2026-12-05T12:00:00Z api http_request 9223372036854775807 >> "$T/h.ndjson"
cost --json --at 2026-12-10T19:00:00Z "$T/h.ndjson" > "$T/out" 2> "$T/err"
t_eq "hostile lines: not fatal" 0 $?
t_eq "the BOM and CRLF line counted, the NUL one not" 3 "$(val .lines)"
t_contains "the NUL in a word is named" "h.ndjson:2: skipped" "$T/err"
t_contains "int64 quantities: the sum saturates at 4e18 micro-dollars" \
	'"usage_usd_micros":4000000000000000000,' "$T/out"
t_eq "no sum wrapped to a negative" 0 \
	"$(val '[.usd_micros, .usage_usd_micros, .today_usd_micros, .forecast_usd_micros] | map(select(. < 0)) | length')"
echo "unit api http_request 1000000000000 per 1 from 2026-01-01" > "$T/huge.conf"
for mode in --check --detailed --recommend --remaining --monthly-report=2026-12; do
	phx cost --prices "$T/huge.conf" --no-alerts $mode --json --at 2026-12-10T19:00:00Z \
		"$T/h.ndjson" > "$T/out" 2> /dev/null
	t_le "a trillion-dollar price, $mode: an answer, not a crash" 3 $?
done
echo "unit api http_request 10000000000000 per 1 from 2026-01-01" > "$T/huge.conf"
phx cost --prices "$T/huge.conf" > /dev/null 2> "$T/err"
t_eq "ten trillion dollars is not a price" 78 $?

# The cost per property from the store's count (phx-store stats counts).
. "$PHX_TOP/tests/fixtures/store/lib.sh"
export PHX_DB=$T/store.db
many 40 | phx store > /dev/null 2> "$T/store.err"
t_eq "40 properties stored" 40 "$(phx store stats | jq .properties)"
cost --json --at 2026-12-10T19:00:00Z > "$T/out"
t_eq "the store's count" 40 "$(val .properties)"
t_eq "month to date / 40" $((1120000 / 40)) "$(val .per_property_usd_micros)"
t_eq "0.028 a property is past the critical 0.02" CRITICAL "$(val .states.property)"
cost --json --at 2026-12-10T19:00:00Z --properties 1000 > "$T/out"
t_eq "--properties overrides the count" 1120 "$(val .per_property_usd_micros)"
t_eq "0.00112 a property is OK" OK "$(val .states.property)"
# The same count from MongoDB (the stand-in peer), when it can run here.
if mongo_start; then
	many 25 | phx store --db "$MONGO_URI" > /dev/null 2> "$T/store.err"
	unset PHX_DB
	MONGODB_URI=$MONGO_URI phx cost --prices "$P" --no-alerts --json \
		--at 2026-12-10T19:00:00Z > "$T/out" 2> "$T/err"
	t_eq "MongoDB: the store's count" 25 "$(val .properties)"
	t_eq "MongoDB: month to date / 25" $((1120000 / 25)) "$(val .per_property_usd_micros)"
	mongo_stop
else
	t_ok "MongoDB report # SKIP MongoDB peer not available: $(head -c 200 "$T/congodb.err")"
fi
# A MongoDB nobody answers at, with a password: unknown, the password nowhere.
port=$(t_free_port)
MONGODB_URI="mongodb://phx:s3cret-pw-42@127.0.0.1:$port/phx" phx cost --prices "$P" \
	--no-alerts --json --at 2026-12-10T19:00:00Z > "$T/out" 2> "$T/err"
t_eq "an unreachable MongoDB: the cost per property is unknown" null "$(val .per_property_usd_micros)"
t_contains "the note says the store cannot be asked" "the store cannot be opened" "$T/out"
t_absent "the password is in no output" "s3cret-pw-42" "$T/out" "$T/err"
export PHX_DB=$T/no-such.db
cost --json --at 2026-12-10T19:00:00Z > "$T/out"
t_eq "a store file that is missing: unknown" "no store file" "$(val .properties_note)"
unset PHX_DB

# A broken price file: exit 78, nothing printed on stdout.
echo "unit api http_request cheap" > "$T/bad.conf"
phx cost --prices "$T/bad.conf" > "$T/out" 2> "$T/err"
t_eq "a bad price file exits 78" 78 $?
t_contains "it names file and line" "bad.conf:1:" "$T/err"
t_eq "nothing on stdout" "" "$(cat "$T/out")"
