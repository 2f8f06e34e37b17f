#!/usr/bin/env bash
# The MLS source through the proxy pool (real tinyproxy instances): a WAF's
# plain 403 marks the proxy it came through and the page is fetched through
# another one; when no proxy is left the run stops with exit 75, keeping
# every record already written.
# shellcheck source=tests/lib.sh
source "$PHX_TOP/tests/lib.sh"
# shellcheck source=tests/servers/proxies.sh
source "$PHX_TOP/tests/servers/proxies.sh"
# shellcheck source=tests/servers/mls.sh
source "$PHX_TOP/tests/servers/mls.sh"
cd "$T" || exit 1
t_on_exit 'proxies_stop; mls_stop'

pa=$(t_free_port) pb=$(t_free_port)
start_tinyproxy tp-a "$pa" || t_fail "tinyproxy a did not start"
start_tinyproxy tp-b "$pb" || t_fail "tinyproxy b did not start"
printf 'http://127.0.0.1:%s\nhttp://127.0.0.1:%s\n' "$pa" "$pb" > pool.txt
phx proxy import pool.txt > /dev/null

# one 7G refusal on a detail page: that proxy is dead, the page comes through the other
mls_start --block 7g --block-on detail --block-after 3 --block-count 1 || exit 1
phx fetch --source phoenix_mls --proxies --zip 85031 --rate 1000/s > one.out 2> one.err
t_eq "one refusal: exit 0" 0 $?
t_lines "one refusal: every listing" 37 one.out
t_eq "one refusal: one proxy dead, one good" "dead good" \
	"$(phx proxy list | jq -r .state | sort | paste -sd' ')"
t_eq "one refusal: the refused page asked again, and answered" 1 \
	"$(jq -s '(map(.block != null) | index(true)) as $i | .[$i].path as $p |
		[.[$i + 1:][] | select(.path == $p and .status == 200)] | length' "$MLS_LOG")"

# refusals for ever: the good proxy dies too, and the run stops
phx proxy mark "http://127.0.0.1:$pa" good --reason "test reset" > /dev/null
phx proxy mark "http://127.0.0.1:$pb" good --reason "test reset" > /dev/null
mls_start --block 7g --block-on detail --block-after 3 || exit 1
phx fetch --source phoenix_mls --proxies --zip 85031 --rate 1000/s --refresh \
	> all.out 2> all.err
t_eq "refused everywhere: exit 75" 75 $?
t_lines "refused everywhere: the 3 records before kept" 3 all.out
t_eq "refused everywhere: every proxy dead" dead "$(phx proxy list | jq -r .state | sort -u)"
t_eq "refused everywhere: few requests after the first refusal (no hammering)" 1 \
	"$(jq -s '(map(.block != null) | index(true)) as $i | .[$i:] | length <= 3' "$MLS_LOG" |
		grep -c true)"
