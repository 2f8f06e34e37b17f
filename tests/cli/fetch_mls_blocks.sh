#!/usr/bin/env bash
# Block pages of the MLS site: each classified, and answered politely. A
# challenge (Cloudflare cf-mitigated, a 200 challenge page, DataDome's
# captcha) waits and tries again, as do 429 (Retry-After in seconds and as
# an HTTP date) and 503; a refusal (7G's plain 403, Akamai, PerimeterX,
# DataDome's ban) stops the run at once with exit 75, keeping the records
# already written, without asking again.
. "$PHX_TOP/tests/lib.sh"
. "$PHX_TOP/tests/servers/mls.sh"
export PHOENIX_MLS_BACKOFF=1

summary() { jq -c 'select(.tool == "phx-fetch")' "$PHX_STATE_DIR/runs.ndjson" | tail -1 | jq -c "$1"; }
# run MODE: 3 good detail pages, then one block answer, then good ones again
run() {
	rm -rf "$PHX_STATE_DIR"
	mls_start --block "$1" --block-on detail --block-after 3 --block-count 1 --retry-after 1 ||
		exit 1
	fetch_within 60 --source phoenix_mls --zip 85031 --rate 1000/s --rejects "$1.rej" \
		> "$1.out" 2> "$1.err"
	echo $? > "$1.rc"
}
# the gap before the request that followed the block answer
gap() { jq -s '(map(.block != null) | index(true)) as $i | .[$i + 1].t - .[$i].t' "$MLS_LOG"; }
at_least() { jq -e -n "$1 >= $2" > /dev/null; }
fetch_within() { timeout -k 2 "$1" ${PHX_WRAP:-} "$PHX_BIN/phx-fetch" "${@:2}"; }

for m in cf-challenge challenge-200 datadome; do
	run $m
	t_eq "$m: exit 0 after waiting" 0 "$(cat $m.rc)"
	t_lines "$m: every listing in the end" 37 $m.out
	t_eq "$m: classified as a challenge" 1 "$(summary .metrics.blocks.challenge)"
	t_contains "$m: the wait is said" "waiting 1 s before trying again" $m.err
	t_check "$m: waited before asking again" at_least "$(gap)" 0.9
done
t_contains "cf-challenge: by its header" "cf-mitigated: challenge" cf-challenge.err
t_contains "challenge-200: by the page's script" "Cloudflare challenge script" challenge-200.err
t_contains "datadome: by its header and captcha" "DataDome captcha" datadome.err

for m in 429-seconds 429-date 503 cf-429; do
	run $m
	t_eq "$m: exit 0 after the retry" 0 "$(cat $m.rc)"
	t_lines "$m: every listing in the end" 37 $m.out
	t_eq "$m: the engine retried once" 1 "$(summary .metrics.retries)"
	kind=rate_limited; [ $m = 503 ] && kind=unavailable
	t_eq "$m: the retried answer counted in blocks.$kind" 1 \
		"$(summary ".metrics.blocks.$kind")"
	t_check "$m: Retry-After honoured" at_least "$(gap)" 0.9
done

for m in 7g akamai perimeterx datadome-ban; do
	run $m
	t_eq "$m: exit 75" 75 "$(cat $m.rc)"
	t_lines "$m: the 3 records before the block kept" 3 $m.out
	t_eq "$m: classified as a refusal" 1 "$(summary .metrics.blocks.forbidden)"
	t_eq "$m: rejected as mls.blocked" mls.blocked "$(jq -r .code $m.rej | sort -u)"
	t_eq "$m: nothing asked after the block" 0 \
		"$(jq -s '(map(.block != null) | index(true)) as $i | .[$i + 1:] | length' "$MLS_LOG")"
done
t_contains "7g: named" "plain nginx 403" 7g.err
t_contains "akamai: named" "AkamaiGHost" akamai.err
t_contains "perimeterx: named" "PerimeterX" perimeterx.err
t_contains "datadome-ban: named" "t=bv" datadome-ban.err

# a 7G user-agent rule: a bad-bot name is refused; ours is not on the list
rm -rf "$PHX_STATE_DIR"
mls_start || exit 1
PHOENIX_MLS_USER_AGENT="python-requests/2.31" fetch_within 30 --source phoenix_mls \
	--zip 85031 --rate 1000/s > ua.out 2> ua.err
t_eq "a bad-bot User-Agent: refused, exit 75" 75 $?
t_eq "a bad-bot User-Agent: one page asked, then stop" 1 "$(mls_count '.kind != "robots"')"
mls_stop
