#!/usr/bin/env bash
# phx-store's usage line for phx-cost: "store documents_written" counts the
# documents a run inserted or updated (what a hosted database tier prices),
# against its own result lines; a rerun that changes nothing writes none.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
# shellcheck source=tests/fixtures/store/lib.sh
. "$PHX_TOP/tests/fixtures/store/lib.sh"

many 50 > "$T/a"
many 20 200000 > "$T/b"		# the first 20 again, with new valuations
written() { jq -s 'map(select(.what == "documents_written") | .qty) | add // 0' \
	"$PHX_STATE_DIR/usage.ndjson"; }

check_backend() { # LABEL DB
	local label=$1 db=$2
	rm -f "$PHX_STATE_DIR/usage.ndjson"
	phx store --db "$db" "$T/a" > "$T/$label.1" 2> /dev/null
	t_eq "$label: first load: 50 written" 50 "$(written)"
	phx store --db "$db" "$T/b" > "$T/$label.2" 2> /dev/null
	t_eq "$label: the 20 updated are counted, as the result lines say" \
		"$(grep -c '"updated"' "$T/$label.2") 70" "20 $(written)"
	phx store --db "$db" "$T/b" > /dev/null 2>&1
	t_eq "$label: an unchanged rerun writes nothing" 70 "$(written)"
	t_eq "$label: the line names the backend" "$label" \
		"$(jq -r 'select(.what == "documents_written") | .backend' "$PHX_STATE_DIR/usage.ndjson" | sort -u)"
}

check_backend sqlite "$T/s.db"
if mongo_start; then
	MONGODB_DATABASE=usagetest check_backend mongodb "$MONGO_URI"
	mongo_stop
else
	echo "# the MongoDB peer cannot run here: checked on SQLite only"
fi
