#!/usr/bin/env bash
# phx-fetch --proxies through real tinyproxy and squid instances: rotation,
# Basic auth, a proxy stopped mid-run, a proxy the site bans, block pages,
# a restart keeping the scoreboard, exit 75 when none is left, --allow-direct,
# and no credential in any output.
# shellcheck source=tests/lib.sh
source "$PHX_TOP/tests/lib.sh"
# shellcheck source=tests/servers/proxies.sh
source "$PHX_TOP/tests/servers/proxies.sh"
cd "$T" || exit 1
t_on_exit proxies_stop

site=$(t_free_port) pa=$(t_free_port) pb=$(t_free_port) pauth=$(t_free_port) sq=$(t_free_port)
start_target "$site" --deny-via squid-a || t_fail "site did not start"
start_tinyproxy tp-a "$pa" || t_fail "tinyproxy a did not start"
start_tinyproxy tp-b "$pb" || t_fail "tinyproxy b did not start"
start_tinyproxy tp-auth "$pauth" carol Auth-Pass-7731 || t_fail "tinyproxy auth did not start"

printf 'http://127.0.0.1:%s\nhttp://127.0.0.1:%s\nhttp://carol:Auth-Pass-7731@127.0.0.1:%s\n' \
	"$pa" "$pb" "$pauth" > pool.txt
phx proxy import pool.txt > /dev/null
urls() { # FIRST LAST: page URLs of the site
	local i
	for i in $(seq "$1" "$2"); do echo "http://127.0.0.1:$site/page/$i"; done
}
via_count() { # NAME FROM_LINE: requests the site got through NAME since line FROM_LINE
	tail -n +"$2" target.log | jq -r '.via' | grep -cF -- " $1 ("
}

# 1. Rotation over the good proxies, the auth one with its credentials.
urls 1 12 > run1.urls
phx fetch --proxies --url-file run1.urls --concurrency 1 > run1.out 2> run1.err
t_eq "run 1: exit 0" 0 $?
t_lines "run 1: 12 responses" 12 run1.out
t_eq "tp-a carried 4" 4 "$(via_count tp-a 1)"
t_eq "tp-b carried 4" 4 "$(via_count tp-b 1)"
t_eq "tp-auth carried 4 (credentials accepted)" 4 "$(via_count tp-auth 1)"
t_eq "no Proxy-Authorization reached the site" false "$(jq -s 'any(.proxy_auth_leaked)' target.log)"
# The trace (which ends up in the database) names the proxy by scheme, host
# and port only: no user name, no password.
t_eq "trace names the auth proxy by host and port only" "http://127.0.0.1:$pauth" \
	"$(jq -r '._phx.trace[-1].proxy' run1.out | grep -F ":$pauth" | sort -u)"
t_absent "no user name of a proxy in the output" "carol" run1.out
t_eq "scoreboard: all three good" "good good good" "$(phx proxy list | jq -r .state | paste -sd ' ')"
t_eq "scoreboard: carol's proxy ok 4 times" 4 \
	"$(phx proxy list | jq -r 'select(.proxy|contains("carol")) | .ok_total')"
t_ge "proxy bytes in the usage journal" 12 \
	"$(jq -r 'select(.what=="proxy_bytes" and .service=="webshare") | .qty' "$PHX_STATE_DIR/usage.ndjson" | wc -l)"

# 2. tp-b stopped in the middle of a run: marked dead with the reason, and
#    the run still fetches every page through the others.
urls 101 130 > run2.urls
mark=$(($(wc -l < target.log) + 1))
phx fetch --proxies --url-file run2.urls --concurrency 1 --rate 15/s:1 > run2.out 2> run2.err &
fetch=$!
for _ in $(seq 200); do
	[ "$(tail -n +"$mark" target.log | wc -l)" -ge 6 ] && break
	sleep 0.05
done
stop_pid "${PROXY_PID[tp-b]}"
at_stop=$(wc -l < target.log)
wait "$fetch"
t_eq "run 2: exit 0 despite the stop" 0 $?
t_ge "run 2: tp-b carried pages before it stopped" 1 "$(via_count tp-b "$mark")"
t_ge "run 2: pages still came after the stop" 1 "$(($(wc -l < target.log) - at_stop))"
t_lines "run 2: 30 responses" 30 run2.out
t_eq "tp-b dead" dead "$(phx proxy list | jq -r --arg p "http://127.0.0.1:$pb" 'select(.proxy==$p).state')"
phx proxy show "http://127.0.0.1:$pb" > tpb.history
t_eq "its history: why and on which page" "dead true true" \
	"$(jq -r 'select(.to=="dead") | "\(.to) \(.error != null) \(.target|test("/page/1[0-3][0-9]$"))"' tpb.history | tail -1)"
t_contains "phx-fetch said so on stderr" "127.0.0.1:$pb" run2.err

# 3. A restart keeps the scoreboard: the dead proxy is skipped from the start.
mark=$(($(wc -l < target.log) + 1))
urls 201 206 > run3.urls
phx fetch --proxies --url-file run3.urls --concurrency 1 > run3.out 2> run3.err
t_eq "run 3: exit 0" 0 $?
t_eq "run 3: tp-b not tried" 0 "$(via_count tp-b "$mark")"
t_eq "run 3: the others shared the work" "3 3" "$(via_count tp-a "$mark") $(via_count tp-auth "$mark")"
t_eq "run 3: no connection failure" 0 "$(grep -c 'marked dead' run3.err)"

# 4. A proxy the site bans (403): dead, and the page is fetched through another.
start_squid squid-a "$sq" dave Squid-Pass-4417 || t_fail "squid did not start"
echo "http://dave:Squid-Pass-4417@127.0.0.1:$sq" | phx proxy import --source squid > /dev/null
urls 301 306 > run4.urls
phx fetch --proxies --url-file run4.urls --concurrency 1 > run4.out 2> run4.err
t_eq "run 4: exit 0" 0 $?
t_lines "run 4: 6 responses" 6 run4.out
t_eq "run 4: all 200" 200 "$(jq -r .status run4.out | sort -u)"
t_eq "site refused squid once" 1 "$(jq -r 'select(.status==403) | .via' target.log | grep -c squid-a)"
phx proxy show "http://dave@127.0.0.1:$sq" > squid.history
t_eq "squid dead with 403 in its history" "dead 403" \
	"$(jq -r 'select(.to=="dead") | "\(.to) \(.status)"' squid.history)"

# 5. A block page counts against the proxy; the page is given up after K
#    different proxies (here K=2), the rest of the pool is spared.
echo "http://127.0.0.1:$site/blocked" > run5.urls
PHX_FETCH_MAX_PROXY_FAILURES=2 phx fetch --proxies --url-file run5.urls --rejects rej5.ndjson \
	> run5.out 2> run5.err
t_eq "run 5: block page rejected, exit 75 (try later)" 75 $?
t_eq "run 5: reject code" fetch.proxy_failed "$(jq -r .code rej5.ndjson)"
t_eq "run 5: two proxies burned" 2 "$(grep -c 'block page marker' run5.err)"
phx proxy mark "http://127.0.0.1:$pa" good --reason "test reset" > /dev/null
phx proxy mark "http://carol@127.0.0.1:$pauth" good --reason "test reset" > /dev/null

# 6. No proxy left: exit 75, reject fetch.no_proxies, nothing direct.
stop_pid "${PROXY_PID[tp-a]}"
stop_pid "${PROXY_PID[tp-auth]}"
mark=$(($(wc -l < target.log) + 1))
urls 401 403 > run6.urls
phx fetch --proxies --url-file run6.urls --rejects rej6.ndjson > run6.out 2> run6.err
t_eq "run 6: exit 75" 75 $?
t_contains "run 6: reject code fetch.no_proxies" '"code":"fetch.no_proxies"' rej6.ndjson
t_eq "run 6: not one request went direct" 0 "$(tail -n +"$mark" target.log | wc -l | tr -d ' ')"
t_eq "run 6: every proxy dead now" dead "$(phx proxy list | jq -r .state | sort -u)"

# 7. --allow-direct: the pages come, directly.
phx fetch --proxies --allow-direct --url-file run6.urls > run7.out 2> run7.err
t_eq "run 7: exit 0 with --allow-direct" 0 $?
t_lines "run 7: 3 responses" 3 run7.out
t_eq "run 7: direct (no Via)" "" "$(tail -n 3 target.log | jq -r .via | sort -u)"
t_contains "run 7: says it went direct" "going direct" run7.err

# No credential anywhere: outputs, rejects, journals, the listing.
phx proxy list --all > list.out
for pw in Auth-Pass-7731 Squid-Pass-4417; do
	t_absent "no $pw in any output" "$pw" ./*.out ./*.err ./rej*.ndjson target.log \
		"$PHX_STATE_DIR/runs.ndjson" "$PHX_STATE_DIR/usage.ndjson" "$PHX_STATE_DIR/rejects"
done
