#!/usr/bin/env bash
# phx-proxy import --webshare against the WebShare API v2 stand-in: paging,
# valid:false, a refused key, a passing 500, a service that is down.
# shellcheck source=tests/lib.sh
source "$PHX_TOP/tests/lib.sh"
cd "$T" || exit 1
key='ws-KEY-5f1c9e77d0a4'
port=$(t_free_port)
t_on_exit 'kill "$ws" 2>/dev/null; wait "$ws" 2>/dev/null'

# 230 proxies, three pages of at most 100; addresses are never contacted here.
/usr/bin/python3 - > proxies.json <<'EOF'
import json
items = [{"proxy_address": "127.0.%d.%d" % (i // 200, 1 + i % 200), "port": 6000 + i,
          "username": "wsuser", "password": "Ws-Pass-%04d" % i,
          "valid": i != 7, "country_code": "US", "city_name": "Phoenix"} for i in range(230)]
print(json.dumps(items))
EOF
(cd "$T" && exec /usr/bin/python3 "$PHX_TOP/tests/servers/webshare.py" --port "$port" \
	--key "$key" --proxies proxies.json --log requests.ndjson --fail-page 2) &
ws=$!
t_wait_port "$port" || t_fail "webshare stand-in did not start"
export PHX_WEBSHARE_URL=http://127.0.0.1:$port

WEBSHARE_API_KEY=$key phx proxy import --webshare > import.out 2> import.err
t_eq "import --webshare exits 0" 0 $?
t_eq "import counts (one invalid left out)" "229 229 1" \
	"$(jq -r '"\(.read) \(.added) \(.invalid)"' import.out)"
t_eq "paged through page 3, page 2 retried after a 500" "1:200 2:500 2:200 3:200" \
	"$(jq -r '(.path|capture("page=(?<p>[0-9]+)").p) + ":" + (.status|tostring)' requests.ndjson | paste -sd ' ')"
t_eq "every request carried the token" true "$(jq -s 'all(.auth_ok)' requests.ndjson)"
t_eq "mode=direct and page_size=100 asked for" 4 "$(grep -c 'mode=direct.*page_size=100\|page_size=100.*mode=direct' requests.ndjson)"
phx proxy list > list.out
t_lines "229 in the pool" 229 list.out
t_eq "country and city kept" "US Phoenix" "$(jq -r 'select(.proxy|contains(":6001")) | "\(.country) \(.city)"' list.out)"
t_eq "source is webshare" webshare "$(jq -r .source list.out | sort -u)"
t_eq "credentials used from the list" "http://wsuser:Ws-Pass-0003@127.0.0.4:6003" \
	"$(phx proxy list --show-secrets | jq -r 'select(.proxy|contains(":6003")).proxy')"

# The key from a file works too.
echo "$key" > key.txt
WEBSHARE_API_KEY_FILE=$T/key.txt phx proxy import --webshare > import2.out 2> import2.err
t_eq "key from WEBSHARE_API_KEY_FILE" "0 0" "$(jq -r '"\(.added) \(.retired)"' import2.out)"

# A refused key: exit 78, nothing merged, the key never printed.
cp "$PHX_STATE_DIR/proxies.json" before.json
WEBSHARE_API_KEY=wrong-key-0000 phx proxy import --webshare > bad.out 2> bad.err
t_eq "refused key exits 78" 78 $?
t_contains "says the key was refused" "API key was refused (HTTP 401: Invalid token.)" bad.err
t_check "pool untouched after a refused key" cmp -s before.json "$PHX_STATE_DIR/proxies.json"
phx proxy import --webshare > nokey.out 2> nokey.err
t_eq "no key at all exits 78" 78 $?

# The service down: 69, pool untouched.
PHX_WEBSHARE_URL=http://127.0.0.1:$(t_free_port) WEBSHARE_API_KEY=$key \
	phx proxy import --webshare > down.out 2> down.err
t_eq "service down exits 69" 69 $?
t_check "pool untouched when the service is down" cmp -s before.json "$PHX_STATE_DIR/proxies.json"

# A proxy gone from WebShare is retired, with its history; back, it returns.
kill "$ws"; wait "$ws" 2>/dev/null
/usr/bin/python3 -c 'import json,sys; d=json.load(open("proxies.json")); print(json.dumps(d[1:]))' > fewer.json
(cd "$T" && exec /usr/bin/python3 "$PHX_TOP/tests/servers/webshare.py" --port "$port" \
	--key "$key" --proxies fewer.json) &
ws=$!
t_wait_port "$port"
WEBSHARE_API_KEY=$key phx proxy import --webshare > import3.out
t_eq "vanished proxy retired" "1 0" "$(jq -r '"\(.retired) \(.added)"' import3.out)"
t_eq "still in the scoreboard, retired" true \
	"$(phx proxy list --all | jq -r 'select(.proxy|contains(":6000")).retired')"
t_contains "its history says why" "no longer in its source" <(phx proxy show http://wsuser@127.0.0.1:6000)

# No secret in any output or journal.
t_absent "key in no output" "$key" ./*.out ./*.err "$PHX_STATE_DIR/runs.ndjson"
t_absent "wrong key in no output" "wrong-key-0000" ./*.out ./*.err
t_absent "no proxy password in outputs" "Ws-Pass-00" ./*.out ./*.err "$PHX_STATE_DIR/runs.ndjson"
