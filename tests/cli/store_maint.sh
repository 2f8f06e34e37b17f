#!/usr/bin/env bash
# phx-store maintenance: index, prune, export, import, stats - against SQLite
# and the MongoDB peer - and the man page's examples.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
# shellcheck source=tests/fixtures/store/lib.sh
. "$PHX_TOP/tests/fixtures/store/lib.sh"

checks() { # BACKEND
	local b=$1
	{
		# 85031: values 100, 200, 300, 400 (even: median 250); prices 5, 7, 9 (odd)
		parcel 1 85031 100 2026-01-01T00:00:00Z
		parcel 2 85031 200 2026-06-01T00:00:00Z
		parcel 3 85031 300 2026-11-20T00:00:00Z
		parcel 4 85031 400 2026-11-27T12:00:00Z
		listing "85031|1|main st|" 85031 5 2026-01-01T01:00:00Z
		listing "85031|2|main st|" 85031 9 2026-06-01T01:00:00Z
		listing "85031|3|main st|" 85031 7 2026-11-20T01:00:00Z
		parcel 5 85032 1000 2026-11-27T12:00:00Z
	} > "$T/$b.in"
	st "$b" x "$T/$b.in" > /dev/null 2>&1
	t_eq "$b: loaded" 0 $?

	st "$b" x index > "$T/$b.idx1"
	st "$b" x index > "$T/$b.idx2"
	t_lines "$b: index: five indexes" 5 "$T/$b.idx1"
	t_contains "$b: index: the first run creates" '"created"' "$T/$b.idx1"
	t_eq "$b: index: the second finds them all" 5 "$(grep -c '"exists"' "$T/$b.idx2")"

	st "$b" x stats --now 2026-11-28T00:00:00Z > "$T/$b.stats"
	t_eq "$b: stats: even count median is the mean of the middle two" \
		'{"count":4,"min":100,"max":400,"mean":250,"median":250}' \
		"$(jq -c '.by_zip."85031".value' "$T/$b.stats")"
	t_eq "$b: stats: odd count median is the middle value" \
		'{"count":3,"min":5,"max":9,"mean":7,"median":7}' \
		"$(jq -c '.by_zip."85031".price' "$T/$b.stats")"
	t_eq "$b: stats: counts" '[5,3,5,{"1d":2,"7d":0,"30d":1,"90d":0,"older":2}]' \
		"$(jq -c '[.properties, .by_source.phoenix_mls, .by_source.maricopa, .freshness]' \
			"$T/$b.stats")"

	st "$b" x export --zip 85032 > "$T/$b.zip"
	t_eq "$b: export --zip" "apn:5" "$(jq -r .property_id "$T/$b.zip" | xargs)"
	st "$b" x export --since 2026-11-20T00:00:00Z > "$T/$b.since"
	t_eq "$b: export --since" "apn:3 apn:4 apn:5" "$(jq -r .property_id "$T/$b.since" | xargs)"

	st "$b" x export > "$T/$b.all"
	st "$b" y import "$T/$b.all" > "$T/$b.imp"
	t_eq "$b: import: every document inserted" "5" "$(grep -c '"inserted"' "$T/$b.imp")"
	st "$b" y export > "$T/$b.all2"
	t_check "$b: import then export gives the same documents" cmp -s "$T/$b.all" "$T/$b.all2"
	st "$b" y import "$T/$b.all" > "$T/$b.imp2"
	t_eq "$b: import again replaces" "5" "$(grep -c '"replaced"' "$T/$b.imp2")"
	printf '%s\n' '{"property_id":"apn:7","sources":[],"$set":{"price":1}}' > "$T/$b.evil"
	st "$b" y import "$T/$b.evil" --rejects "$T/$b.evil.rej" > /dev/null 2>&1
	t_eq "$b: import refuses an unsafe key" "store.unsafe_key" "$(jq -r .code "$T/$b.evil.rej")"

	st "$b" x prune --older-than 90d --dry-run --now 2026-11-28T00:00:00Z > "$T/$b.p1"
	t_eq "$b: prune --dry-run counts" '["none",2,true]' \
		"$(jq -c '[.action, .properties, .dry_run]' "$T/$b.p1")"
	t_eq "$b: prune --dry-run keeps them" 5 "$(st "$b" x export | wc -l)"
	st "$b" x prune --older-than 90d --now 2026-11-28T00:00:00Z > "$T/$b.p2"
	t_eq "$b: prune archives" '["archived",2]' "$(jq -c '[.action, .properties]' "$T/$b.p2")"
	t_eq "$b: prune: what is left" "apn:3 apn:4 apn:5" \
		"$(st "$b" x export | jq -r .property_id | xargs)"
	st "$b" x prune --older-than 3d --delete --now 2026-11-28T00:00:00Z > "$T/$b.p3"
	t_eq "$b: prune --delete" '["deleted",1]' "$(jq -c '[.action, .properties]' "$T/$b.p3")"
	t_eq "$b: prune --delete: what is left" "apn:4 apn:5" \
		"$(st "$b" x export | jq -r .property_id | xargs)"
}

setup_backends
for b in $BACKENDS; do
	checks "$b"
done

# The archive is real: the pruned rows are in properties_archive (SQLite).
t_eq "sqlite: the archive holds the pruned properties" "apn:1 apn:2" \
	"$(sqlite3 "$T/x.db" 'SELECT property_id FROM properties_archive ORDER BY 1' | xargs)"

# The man page's examples, as written there (default database, env URI).
export XDG_DATA_HOME=$T/xdg
cd "$T" || exit 1
parcel 10 85031 5 2026-11-28T00:00:00Z > valid.ndjson
phx store valid.ndjson > stored.ndjson
t_eq "example: default database" "0 1" "$? $(wc -l < stored.ndjson)"
t_check "example: the default database file" test -s "$XDG_DATA_HOME/phx/phoenix.db"
phx store index > /dev/null && phx store prune --older-than 90d --dry-run > /dev/null &&
	phx store prune --older-than 90d > /dev/null
t_eq "example: weekly maintenance" 0 $?
phx store export --zip 85031 > 85031.ndjson && phx store import --db "$T/copy.db" 85031.ndjson > /dev/null
t_eq "example: backup and restore" "0 1" "$? $(wc -l < 85031.ndjson)"
t_eq "example: median prices" "{}" "$(phx store stats | jq -c '.by_zip | map_values(.price.median) | del(."85031")')"
phx store report > report.json
t_eq "example: today's counts" 1 "$(jq .totals.new report.json)"
