#!/usr/bin/env bash
# phx-proxy without a network: import, list, next, mark, show, retire,
# backoff, two processes sharing the scoreboard, and no password in any output.
# shellcheck source=tests/lib.sh
source "$PHX_TOP/tests/lib.sh"
cd "$T" || exit 1
pool=$PHX_STATE_DIR/proxies.json

cat > list.txt <<'EOF'
# a plain file of proxy URLs and WebShare download-list lines
http://alice:Tiny-Pass-111@127.0.0.1:3101
socks5://127.0.0.1:3102
127.0.0.1:3103:bob:Webshare-Pass-222
127.0.0.2:3104:bob:Webshare-Pass-222
this is not a proxy
EOF

# The example of the man page.
phx proxy import list.txt > import.out 2> import.err
t_eq "import with a bad line exits 1" 1 $?
t_eq "import counts" '{"source":"file","read":4,"added":4,"updated":0,"retired":0,"invalid":0,"rejected":1,"pool":4}' "$(cat import.out)"
rej=$(ls "$PHX_STATE_DIR"/rejects/phx-proxy-*.ndjson 2>/dev/null | head -1)
t_eq "bad line rejected with its code" "proxy.bad_line:6" "$(jq -r '.code + ":" + (.input.line|tostring)' "$rej" 2>/dev/null)"
t_eq "scoreboard is mode 0600" 600 "$(stat -c %a "$pool")"

phx proxy list > list.out
t_lines "list: one line per proxy" 4 list.out
t_eq "list masks passwords" "http://alice:***@127.0.0.1:3101" "$(jq -r 'select(.proxy|contains("3101")).proxy' list.out)"
t_eq "all unchecked after import" "unchecked" "$(jq -r .state list.out | sort -u)"
phx proxy list --show-secrets > secrets.out
t_contains "list --show-secrets shows them" "Tiny-Pass-111" secrets.out

# next: round robin over usable proxies.
for _ in 1 2 3 4 5; do phx proxy next; done > next.out
t_eq "next cycles through the pool" \
	"http://alice:***@127.0.0.1:3101 socks5://127.0.0.1:3102 http://bob:***@127.0.0.1:3103 http://bob:***@127.0.0.2:3104 http://alice:***@127.0.0.1:3101" \
	"$(tr '\n' ' ' < next.out | sed 's/ $//')"
t_eq "next --show-secrets is usable by curl -x" "socks5://127.0.0.1:3102" "$(phx proxy next --show-secrets)"
t_eq "next --show-secrets with a password" "http://bob:Webshare-Pass-222@127.0.0.1:3103" "$(phx proxy next --show-secrets)"

# mark and show
phx proxy mark http://alice@127.0.0.1:3101 bad --reason "answers 403 to everything" > mark.out
t_eq "mark bad: dead" dead "$(jq -r .state mark.out)"
phx proxy list --state dead > dead.out
t_eq "list --state dead" "http://alice:***@127.0.0.1:3101" "$(jq -r .proxy dead.out)"
phx proxy show 'http://alice:***@127.0.0.1:3101' > masked.out
phx proxy show http://alice@127.0.0.1:3101 > show.out
t_check "a masked URL names the same proxy" cmp -s masked.out show.out
t_eq "show: history has import and the mark" "imported|answers 403 to everything" \
	"$(jq -r .reason show.out | paste -sd '|')"
t_eq "show: the state change" "unchecked>dead" "$(jq -r 'select(.to=="dead") | .from + ">" + .to' show.out)"
phx proxy mark http://alice@127.0.0.1:3101 good --reason "fixed by WebShare support" > /dev/null
t_eq "mark good" good "$(phx proxy list | jq -r 'select(.proxy|contains("3101")).state')"
phx proxy mark http://alice@127.0.0.1:3101 bad > /dev/null 2> mark.err
t_eq "mark without --reason is a usage error" 64 $?
phx proxy show http://nobody@127.0.0.1:1 > /dev/null 2> show.err
t_eq "show of an unknown proxy fails" 65 $?

# Identity is scheme, user, host, port: the password is not part of it.
printf 'http://alice:New-Pass-333@127.0.0.1:3101\n127.0.0.1:3103:bob:Webshare-Pass-222\n' > list2.txt
phx proxy import list2.txt > import2.out
t_eq "re-import: no new, one updated, two retired" '1 0 2' "$(jq -r '"\(.updated) \(.added) \(.retired)"' import2.out)"
t_eq "history kept across import" 3 "$(phx proxy show http://alice@127.0.0.1:3101 | wc -l | tr -d ' ')"
t_eq "retired ones are not listed" 2 "$(phx proxy list | wc -l | tr -d ' ')"
t_eq "retired ones are listed with --all" 2 "$(phx proxy list --all | jq -r 'select(.retired) | .proxy' | wc -l | tr -d ' ')"
t_contains "retired: kept with the reason" "no longer in its source" <(phx proxy show socks5://127.0.0.1:3102)
t_contains "new password in use" "New-Pass-333" <(phx proxy list --show-secrets)

# Nothing usable: next exits 75.
phx proxy mark http://alice@127.0.0.1:3101 bad --reason r1 > /dev/null
phx proxy mark http://bob@127.0.0.1:3103 bad --reason r2 > /dev/null
phx proxy next > none.out 2> none.err
t_eq "next with nothing usable exits 75" 75 $?
t_lines "and prints nothing" 0 none.out

# Backoff: with base and cap of one second the dead come back unchecked.
export PHX_PROXY_BACKOFF_BASE=1s PHX_PROXY_BACKOFF_CAP=1s
phx proxy mark http://bob@127.0.0.1:3103 bad --reason "short backoff" > back.out
until_ts=$(jq -r .dead_until back.out)
t_eq "dead_until set" 1 "$([ "$until_ts" != null ] && echo 1)"
state=dead
for _ in $(seq 60); do
	state=$(phx proxy list | jq -r 'select(.proxy|contains("3103")).state')
	[ "$state" = unchecked ] && break
	sleep 0.1
done
t_eq "back as unchecked after the backoff" unchecked "$state"
phx proxy next > /dev/null
t_contains "and the history says why" "backoff over" <(phx proxy show http://bob@127.0.0.1:3103)
unset PHX_PROXY_BACKOFF_BASE PHX_PROXY_BACKOFF_CAP
PHX_PROXY_BACKOFF_BASE=1h PHX_PROXY_BACKOFF_CAP=1m phx proxy list > /dev/null 2> cfg.err
t_eq "cap below base is a config error" 78 $?

# Two processes updating the scoreboard at once lose nothing.
printf 'http://127.0.0.1:3201\nhttp://127.0.0.1:3202\n' | phx proxy import --source race > /dev/null
hammer() {
	local i
	for i in $(seq 15); do
		phx proxy mark "$1" bad --reason "race $i" > /dev/null || echo "fail $i"
	done
}
hammer http://127.0.0.1:3201 > race1.out &
p1=$!
hammer http://127.0.0.1:3202 > race2.out &
p2=$!
wait $p1 $p2
t_lines "racing marks all succeeded" 0 race1.out
t_eq "no update lost (proxy 1)" 15 "$(phx proxy show http://127.0.0.1:3201 | grep -c '"race ')"
t_eq "no update lost (proxy 2)" 15 "$(phx proxy show http://127.0.0.1:3202 | grep -c '"race ')"
t_eq "scoreboard still valid JSON" proxy-pool "$(jq -r .phx "$pool")"

# A corrupt scoreboard is refused, not overwritten.
cp "$pool" pool.bak
echo '{"proxies": 5}' > "$pool"
phx proxy next > /dev/null 2> corrupt.err
t_eq "corrupt scoreboard: exit 74" 74 $?
t_contains "and says so" "not a proxy pool" corrupt.err
t_eq "left as it was" '{"proxies": 5}' "$(cat "$pool")"
cp pool.bak "$pool"

t_contains "--help names the commands" "mark URL good|bad" <(phx proxy --help)
t_eq "--version" "phx-proxy (phx) $(phx proxy --version | awk '{print $3}')" "$(phx proxy --version)"
phx proxy list --stats > /dev/null 2> stats.err
t_contains "--stats prints the run summary" '"tool":"phx-proxy"' stats.err
phx proxy frobnicate > /dev/null 2>&1
t_eq "unknown command: usage" 64 $?
phx proxy list extra > /dev/null 2>&1
t_eq "operand where none is taken: usage" 64 $?

# No password anywhere but the scoreboard and --show-secrets output.
rm -f secrets.out
for pw in Tiny-Pass-111 Webshare-Pass-222 New-Pass-333; do
	t_absent "no $pw in outputs and journals" "$pw" ./*.out ./*.err "$PHX_STATE_DIR/rejects" \
		"$PHX_STATE_DIR/runs.ndjson"
done
