#!/usr/bin/env bash
# NDJSON requests on stdin: by ZIP, free query and APN (every spelling);
# an unknown APN is a not-found reject and the run goes on; HTML where JSON
# was expected is its own reject; nonsense finds nothing and is no error.
. "$PHX_TOP/tests/lib.sh"
. "$PHX_TOP/tests/servers/maricopa.sh"

mc_start || exit 1

# One parcel, four spellings of its APN: four records of the same parcel.
for a in 103-06-005 "103 06 005" 103.06.005 10306005; do
	jq -nc --arg a "$a" '{source: "maricopa", apn: $a}'
done > spell.ndjson
phx fetch --rate 1000/s < spell.ndjson > spell.out 2> spell.err
t_eq "APN spellings: exit 0" 0 $?
t_eq "APN spellings: all four are 10306005" "10306005 10306005 10306005 10306005" \
	"$(jq -r .apn spell.out | paste -sd' ')"
t_eq "APN spellings: one /parcel request each" 4 "$(mc_count '.path == "/parcel/10306005"')"

# A free query in situs form; two units glued to one street number.
echo '{"source":"maricopa","query":"7606 W INDIAN SCHOOL RD"}' |
	phx fetch --rate 1000/s > query.out 2> query.err
t_eq "address query: exit 0" 0 $?
t_eq "address query: both units" "10301017 10301018" "$(jq -r .apn query.out | sort | paste -sd' ')"
t_eq "address query: one page asked" 1 "$(mc_count '.query | test("q=7606")')"

# Nonsense: TOTAL 0 is a normal, empty answer.
echo '{"source":"maricopa","query":"1234 N Central Ave Phoenix AZ"}' |
	phx fetch --rate 1000/s --rejects none.rej > none.out 2> none.err
t_eq "no results: exit 0" 0 $?
t_lines "no results: no record" 0 none.out
t_eq "no results: no reject" 0 "$(cat none.rej 2>/dev/null | wc -l)"

# Unknown APN between two good ones: a not-found reject, the run goes on.
printf '%s\n' '{"source":"maricopa","apn":"103-06-005"}' \
	'{"source":"maricopa","apn":"999-99-999"}' \
	'{"source":"maricopa","apn":"10219009F"}' > mixed.ndjson
phx fetch --rate 1000/s --rejects mixed.rej < mixed.ndjson > mixed.out 2> mixed.err
t_eq "unknown APN: exit 1 (completed with a reject)" 1 $?
t_eq "unknown APN: the good parcels still come" "10219009F 10306005" \
	"$(jq -r .apn mixed.out | sort | paste -sd' ')"
t_lines "unknown APN: one reject" 1 mixed.rej
t_eq "unknown APN: a not-found code" 1 \
	"$(jq -c 'select(.code | test("not_found|404"))' mixed.rej | wc -l)"
t_eq "unknown APN: the reject carries the request" '"999-99-999"' \
	"$(jq -c '.record.apn' mixed.rej)"

# The API's home page for a path it does not know: HTML is never data.
MARICOPA_BASE_URL=$MARICOPA_BASE_URL/nothere phx fetch --source maricopa --zip 85031 \
	--rate 1000/s --rejects html.rej > html.out 2> html.err
rc=$?
t_ge "HTML answer: not a success" 1 "$rc"
t_lines "HTML answer: no record" 0 html.out
t_eq "HTML answer: the server did send 200 HTML" 1 \
	"$(mc_count '.path == "/nothere/search/property/" and .status == 200')"
t_eq "HTML answer: rejected with an HTML/not-JSON code" 1 \
	"$(jq -c 'select(.code | test("html|not_json"))' html.rej | wc -l)"

# Garbage on stdin: a reject for that line, the next request still runs.
printf '%s\n' 'not json' '{"source":"maricopa","apn":"103-06-005"}' |
	phx fetch --rate 1000/s --rejects junk.rej > junk.out 2> junk.err
t_eq "bad input line: exit 1" 1 $?
t_lines "bad input line: the good request still runs" 1 junk.out
t_eq "bad input line: rejected as not JSON" '"input.not_json"' "$(jq -c .code junk.rej)"

mc_stop
mc_no_token "token in no output, journal or server log" ./*.out ./*.err ./*.rej \
	"$PHX_STATE_DIR" "$MC_DIR"
