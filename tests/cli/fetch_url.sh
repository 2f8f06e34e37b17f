#!/usr/bin/env bash
# Generic requests ({"url": ...} and --url-file): the response itself comes out
# (status, headers, body as JSON when JSON, as text otherwise); the assessor's
# token is never sent to any other host; -v and --stats print no secret.
. "$PHX_TOP/tests/lib.sh"
. "$PHX_TOP/tests/servers/maricopa.sh"

mc_start || exit 1
home=$MARICOPA_BASE_URL/about.html
echo "{\"url\":\"$home\"}" | phx fetch --rate 1000/s > home.out 2> home.err
t_eq "url request: exit 0" 0 $?
t_lines "url request: one output line" 1 home.out
t_eq "url request: the status" 200 "$(jq .status home.out)"
t_eq "url request: HTML comes out as text" string "$(jq -r '.body | type' home.out)"
t_contains "url request: the page itself" 'XHTML 1.0 Transitional' home.out

# Another host (the same stand-in on another port, with another token).
first_url=$MARICOPA_BASE_URL
other_pid=
mc_start_other() {
	mkdir -p other
	(cd other && exec /usr/bin/python3 "$MC_SERVER" --port-file port --token x \
		--log requests.ndjson) 2> other/stderr &
	other_pid=$!
	local i=0
	while [ ! -s other/port ] && [ $i -lt 300 ]; do i=$((i + 1)); sleep 0.05; done
}
mc_start_other
other=http://127.0.0.1:$(cat other/port)
printf '%s\n' "$other/search/property/?q=85031" "$other/parcel/10306005" \
	"$first_url/search/property/?q=85031" > urls.txt
phx fetch --url-file urls.txt --rate 1000/s -v -v --stats > urls.out 2> urls.err
t_lines "--url-file: one output line per URL" 3 urls.out
t_eq "--url-file: JSON bodies come out as JSON" "object" \
	"$(jq -r --arg u "$first_url/" 'select(.url | startswith($u)) | .body | type' urls.out)"
t_eq "the other host never got the assessor's token" 0 \
	"$(jq -c 'select(.auth != "missing")' other/requests.ndjson | wc -l)"
t_eq "the other host was asked twice" 2 "$(wc -l < other/requests.ndjson)"
kill "$other_pid"; wait "$other_pid" 2>/dev/null
mc_stop
mc_no_token "token in no output (-v -v, --stats), journal or server log" ./*.out ./*.err \
	"$PHX_STATE_DIR" "$T"/mc.*/requests.ndjson other/requests.ndjson
