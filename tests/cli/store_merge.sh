#!/usr/bin/env bash
# phx-store: merging observations into one document per property, the output
# lines, rejects, idempotence, histories - against SQLite and the MongoDB peer.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
# shellcheck source=tests/fixtures/store/lib.sh
. "$PHX_TOP/tests/fixtures/store/lib.sh"

checks() { # BACKEND
	local b=$1 in=$T/$1.in
	{
		parcel 10306005 85031 289100 2026-11-28T10:00:00Z "85031|4027|n 55th ave|"
		listing "85031|4027|n 55th ave|" 85031 350000 2026-11-28T11:00:00Z
		parcel 1 85032 150000 2026-11-28T10:00:00Z
		printf '%s\n' '{"property_id":"apn:9","source":"maricopa","observed_at":"2026-11-28T10:00:00Z","address_key":"k","raw":{"$where":"sleep(1)"}}'
		printf '%s\n' '{"property_id":"apn:9","source":"maricopa","observed_at":"2026-11-28T10:00:00Z","address_key":"k","raw":{"a.b":1}}'
		printf '%s\n' '{"property_id":"apn:9","source":"maricopa","observed_at":"2026-11-28T10:00:00Z","address_key":"k","raw":{"a\u0000b":1}}'
		printf '%s\n' '{"property_id":"apn:9","source":"maricopa","observed_at":"someday","address_key":"k"}'
		printf '%s\n' 'not json'
	} > "$in"
	st "$b" m "$in" --rejects "$T/$b.rej" > "$T/$b.out" 2> "$T/$b.err"
	t_eq "$b: some rejected: exit 1" 1 $?
	t_lines "$b: one output line per stored record" 3 "$T/$b.out"
	t_eq "$b: results" "inserted updated inserted" "$(jq -r .result "$T/$b.out" | xargs)"
	t_eq "$b: the listing joined its parcel" "apn:10306005 addr:85031|4027|n 55th ave|" \
		"$(jq -r 'select(.joined) | .property_id + " " + .joined' "$T/$b.out")"
	t_eq "$b: reject codes" \
		"store.unsafe_key store.unsafe_key store.unsafe_key store.bad_record input.not_json" \
		"$(jq -r .code "$T/$b.rej" | xargs)"
	t_eq "$b: two documents stored" 2 "$(st "$b" m export | wc -l)"

	st "$b" m export > "$T/$b.exp1"
	st "$b" m "$in" --rejects "$T/$b.rej2" > "$T/$b.out2" 2> /dev/null
	t_eq "$b: the same input again: all unchanged" "unchanged unchanged unchanged" \
		"$(jq -r .result "$T/$b.out2" | xargs)"
	st "$b" m export > "$T/$b.exp2"
	t_check "$b: the same input again stores nothing new" cmp -s "$T/$b.exp1" "$T/$b.exp2"

	# Changes: a new list price, a new valuation, an older observation, same facts later.
	{
		listing "85031|4027|n 55th ave|" 85031 340000 2026-12-01T11:00:00Z
		parcel 10306005 85031 300000 2026-12-02T10:00:00Z "85031|4027|n 55th ave|"
		parcel 10306005 85031 111111 2026-11-01T10:00:00Z "85031|4027|n 55th ave|"
		parcel 1 85032 150000 2026-12-03T10:00:00Z
	} > "$T/$b.in3"
	st "$b" m "$T/$b.in3" > "$T/$b.out3" 2> /dev/null
	t_eq "$b: changes" "updated updated unchanged unchanged" "$(jq -r .result "$T/$b.out3" | xargs)"
	st "$b" m export > "$T/$b.exp3"
	local d
	d=$(jq -c 'select(.property_id == "apn:10306005") | [.price, .value,
		(.price_history | map(.price)), (.valuation_history | map(.full_cash_value)),
		.first_seen, .last_seen, .last_changed, (.sources | map(.source))]' "$T/$b.exp3")
	t_eq "$b: histories gain entries, keep old ones, times move" \
		'[340000,300000,[350000,340000],[289100,300000],"2026-11-01T10:00:00Z","2026-12-02T10:00:00Z","2026-12-02T10:00:00Z",["maricopa","phoenix_mls"]]' "$d"
	d=$(jq -c 'select(.property_id == "apn:1") | [.last_seen, .last_changed]' "$T/$b.exp3")
	t_eq "$b: same facts later: only last_seen moves" \
		'["2026-12-03T10:00:00Z","2026-11-28T10:00:00Z"]' "$d"

	# Two parcels share a situs address: the listing stays on its own.
	{
		parcel 21 85033 1 2026-11-28T10:00:00Z "85033|9|twin ave|"
		parcel 22 85033 2 2026-11-28T10:00:00Z "85033|9|twin ave|"
	} > "$T/$b.in4"
	listing "85033|9|twin ave|" 85033 5 2026-11-28T12:00:00Z > "$T/$b.in5"
	st "$b" m "$T/$b.in4" > /dev/null 2>&1
	st "$b" m "$T/$b.in5" > "$T/$b.out5" 2>&1
	t_eq "$b: two parcels at one address: the listing stays on its own" \
		'{"property_id":"addr:85033|9|twin ave|","result":"inserted","source":"phoenix_mls"}' \
		"$(cat "$T/$b.out5")"

	# A listing stored on its own before its parcel was known is folded into
	# the parcel when it next joins it: one document, the whole history.
	listing "85034|5|late st|" 85034 500 2026-11-01T00:00:00Z > "$T/$b.in6"
	parcel 50 85034 400 2026-11-02T00:00:00Z "85034|5|late st|" > "$T/$b.in7"
	listing "85034|5|late st|" 85034 450 2026-11-03T00:00:00Z > "$T/$b.in8"
	st "$b" f "$T/$b.in6" > /dev/null 2>&1
	st "$b" f "$T/$b.in7" > /dev/null 2>&1
	st "$b" f "$T/$b.in8" > "$T/$b.out8" 2>&1
	t_eq "$b: fold: the listing joins its parcel" \
		'{"property_id":"apn:50","result":"updated","source":"phoenix_mls","joined":"addr:85034|5|late st|"}' \
		"$(cat "$T/$b.out8")"
	st "$b" f export > "$T/$b.exp8"
	t_eq "$b: fold: one document left" "apn:50" "$(jq -r .property_id "$T/$b.exp8" | xargs)"
	t_eq "$b: fold: the history of both, in time order" \
		'[[500,450],"2026-11-01T00:00:00Z",["maricopa","phoenix_mls"]]' \
		"$(jq -c '[(.price_history | map(.price)), .first_seen, (.sources | map(.source))]' \
			"$T/$b.exp8")"

	# The day's report: counts of every run of the day, by source and ZIP.
	st "$b" m report > "$T/$b.report"
	t_eq "$b: daily report totals" '{"new":5,"updated":3,"unchanged":5,"rejected":10}' \
		"$(jq -c '.totals | {new, updated, unchanged, rejected}' "$T/$b.report")"
	t_eq "$b: daily report by source" '[2,1,6]' \
		"$(jq -c '[.by_source.phoenix_mls.updated, .by_source.phoenix_mls.new,
			.by_source.maricopa.rejected]' "$T/$b.report")"
	t_eq "$b: daily report by ZIP" '[2,3]' \
		"$(jq -c '[.by_zip."85032".unchanged, .by_zip."85031".updated]' "$T/$b.report")"

	# Joins within one batch: a parcel earlier in the batch is joined in the
	# same write, but only when it is the only parcel at the address, stored
	# ones counted; a listing before its parcel joins it all the same.
	{
		parcel 71 85040 100000 2026-11-28T10:00:00Z "85040|71|two st|"
		parcel 72 85040 100000 2026-11-28T10:00:00Z "85040|71|two st|"
		listing "85040|71|two st|" 85040 300000 2026-11-28T11:00:00Z
		listing "85040|73|late st|" 85040 310000 2026-11-28T11:00:00Z
		parcel 73 85040 100000 2026-11-28T10:00:00Z "85040|73|late st|"
		parcel 74 85040 100000 2026-11-28T10:00:00Z "85040|74|one st|"
		listing "85040|74|one st|" 85040 320000 2026-11-28T11:00:00Z
	} > "$T/$b.batch"
	st "$b" j "$T/$b.batch" > "$T/$b.jout" 2> /dev/null
	t_eq "$b: in one batch: where each listing went" \
		"addr:85040|71|two st|,apn:73,apn:74" \
		"$(jq -r 'select(.source == "phoenix_mls") | .property_id' "$T/$b.jout" | paste -sd,)"
	t_eq "$b: in one batch: the joined listings" "apn:73 apn:74" \
		"$(jq -r 'select(.joined) | .property_id' "$T/$b.jout" | xargs)"
	t_eq "$b: in one batch: five documents (four parcels, one lone listing)" 5 \
		"$(st "$b" j export | wc -l)"
	# A parcel stored before and another one in the batch: two parcels.
	{
		parcel 81 85041 100000 2026-11-28T10:00:00Z "85041|81|old st|"
	} > "$T/$b.first"
	st "$b" k "$T/$b.first" > /dev/null 2>&1
	{
		parcel 82 85041 100000 2026-11-28T10:00:00Z "85041|81|old st|"
		listing "85041|81|old st|" 85041 330000 2026-11-28T11:00:00Z
	} > "$T/$b.second"
	st "$b" k "$T/$b.second" > "$T/$b.kout" 2> /dev/null
	t_eq "$b: a stored parcel and one in the batch: the listing stays alone" 		"inserted inserted -" "$(jq -r '.result' "$T/$b.kout" | xargs) $(jq -r '.joined // "-"' 			"$T/$b.kout" | tail -n 1)"
}

setup_backends
for b in $BACKENDS; do
	checks "$b"
done
